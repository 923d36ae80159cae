/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_UNITS_H
#define MRS_UNITS_H

#include <stddef.h>

/*
 * Parse a size such as "4096", "64K", "8M", "1G" (binary multiples, an
 * optional "iB"/"B" suffix). Returns 0, or -EINVAL / -ERANGE.
 */
int parse_size(const char *s, size_t *out);

/* Format a byte count the way parse_size() reads it back: "8M", "4K", "100". */
const char *format_size(size_t bytes, char *buf, size_t len);

/* A duration: "10" or "10s", "500ms", "250us", "2m", "1h"; decimals allowed. */
int parse_duration(const char *s, double *out);

/* A size, or a percentage of total ("50%"). */
int parse_size_or_percent(const char *s, size_t total, size_t *out);

/* A word of a '+'-joined set of flags ("rw+atomic", "wait-before+write"). */
struct flag_word {
	const char *name;
	unsigned bits;
};

/*
 * OR the bits of each '+'-joined word of s, each one of words[0..n):
 * 0, or -EINVAL for an unknown word or no bits at all.
 */
int parse_flag_words(const char *s, const struct flag_word *words, size_t n,
		     unsigned *out);

/* Index of name in names[0..n), or -1: for option values such as op names. */
int name_index(const char *const *names, int n, const char *name);

#endif
