/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_ERROR_H
#define MRS_ERROR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * An error travels up as a negative errno-style code plus one message that
 * says what was being done: "reg_mr(file ext4 2M shared, rw): Bad address".
 */
struct mrs_err {
	int code; /* positive errno value, 0 when unset */
	char msg[512];
	bool injected; /* a fault point made it fail (src/fault.h) */
};

__attribute__((format(printf, 3, 4))) int
mrs_err_set(struct mrs_err *e, int code, const char *fmt, ...);

/* Like mrs_err_set() with the current errno, appending its text. */
__attribute__((format(printf, 2, 3))) int mrs_err_sys(struct mrs_err *e,
						      const char *fmt, ...);

/*
 * A fault point named name failed on this thread: the next error set here
 * says so ("... [injected fault mrstress/rdma/reg_mr]") and is marked.
 */
void mrs_err_injected(const char *name);

/* Copy src into dst of len bytes, cut short if need be, always terminated. */
void str_copy(char *dst, size_t len, const char *src);
/* Cut the white space off both ends of s, in place: returns the start. */
char *str_trim(char *s);

/* The symbolic name of an errno value ("EFAULT"), "E?" when unknown. */
const char *errno_name(int err);

#endif
