/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_TAINT_H
#define MRS_TAINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "finding.h"

/*
 * The kernel's taint flags (/proc/sys/kernel/tainted, a decimal bit mask)
 * as the letters the kernel prints in "Tainted: G        W" lines
 * (Documentation/admin-guide/tainted-kernels.rst).
 */

#define TAINT_FILE "/proc/sys/kernel/tainted"
#define TAINT_BITS 19
#define TAINT_LETTERS_LEN (TAINT_BITS + 1)

/* The letter of a set bit ('P', 'W', ...), or '?' for an unknown bit. */
char taint_letter(unsigned bit);
/*
 * The letters of the bits set in mask, in bit order, "" when none: the
 * kernel's "G" (bit 0 clear) is not written, "P" is. Unknown bits are
 * skipped. buf holds at least TAINT_LETTERS_LEN bytes.
 */
void taint_letters(uint64_t mask, char *buf, size_t len);
/* Parses the file's text ("512\n"); returns 0, or -EINVAL. */
int taint_parse(const char *text, uint64_t *mask);

/* "W (kernel warning), L (soft lockup)" for the bits of mask. */
void taint_describe(uint64_t mask, char *buf, size_t len);
int taint_read(uint64_t *mask, struct mrs_err *e);
/*
 * A run's taint finding: true and f filled (class, title, detail) when
 * after has bits before had not. The bits are sticky, so a kernel tainted
 * by an earlier run yields no finding for a later one.
 */
bool taint_new_bits(uint64_t before, uint64_t after, struct finding *f);

#endif
