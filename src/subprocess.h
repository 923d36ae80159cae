/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_SUBPROCESS_H
#define MRS_SUBPROCESS_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* What a program said and how it ended. */
struct subprocess_output {
	char *out; /* all of its stdout, NUL-terminated; free() it */
	size_t len;
	char err[256]; /* the start of its stderr */
	int status; /* wait status */
};

/*
 * Run argv[0] (a path: no shell, no PATH search) with stdin on /dev/null,
 * collecting stdout and stderr, for at most timeout seconds: then it is
 * killed and -ETIMEDOUT returned, so that a stuck tool never holds up a
 * run. -ENOENT when it cannot be executed, -EFBIG when it prints more than
 * max_out bytes. On success o->out must be freed by the caller.
 */
int subprocess_capture(char *const argv[], double timeout, size_t max_out,
		       struct subprocess_output *o, struct mrs_err *e);

/*
 * Wait for child pid until mono_now() passes end, polling (a child stuck
 * in the kernel must not hold up its caller), then SIGKILL it and reap it:
 * it never outlives the call. 0 with *status, -ETIMEDOUT when it was
 * killed, or -errno from waitpid.
 */
int subprocess_reap(pid_t pid, double end, int *status);

/*
 * The path of program name in $PATH or then in extra (a colon-separated
 * list), into buf: 0, or -ENOENT.
 */
int subprocess_find(const char *name, const char *extra, char *buf, size_t len);

#endif
