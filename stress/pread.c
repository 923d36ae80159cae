// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pread: read random ranges of the file behind an MR, unverified. It only
 * races the page cache: lookups, readahead and uptodate checks on pages a
 * device is writing, and refaults of pages other stressors dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "stressor.h"
#include "units.h"
#include "what.h"

#define PREAD_CHUNK (1u << 20)

static const char *const pread_keys[] = { NULL };

struct pread_state {
	unsigned n;
	void *buf[]; /* one chunk per thread */
};

static void pread_teardown(struct stress_ctx *c)
{
	struct pread_state *s = c->priv;

	for (unsigned i = 0; s && i < s->n; i++)
		free(s->buf[i]);
	free(s);
	c->priv = NULL;
}

static int pread_setup(struct stress_ctx *c, struct mrs_err *e)
{
	struct pread_state *s =
		calloc(1, sizeof(*s) + c->n_threads * sizeof(s->buf[0]));

	if (!s)
		return mrs_err_set(e, ENOMEM, "pread: out of memory");
	c->priv = s;
	s->n = c->n_threads;
	for (unsigned i = 0; i < s->n; i++) {
		s->buf[i] = malloc(PREAD_CHUNK);
		if (!s->buf[i]) {
			pread_teardown(c);
			return mrs_err_set(e, ENOMEM, "pread: out of memory");
		}
	}
	return 0;
}

static int pread_step(struct stress_ctx *c, struct stress_step *st,
		      struct mrs_err *e)
{
	struct pread_state *s = c->priv;
	const struct target *t = c->t;
	uint64_t off, len, done = 0;
	char a[12], b[12];

	stress_rand_range(c, st, &off, &len);
	format_size(off, a, sizeof(a));
	format_size(len, b, sizeof(b));
	step_what(st, "pread %s+%s", a, b);
	while (done < len && !atomic_load(c->stop)) {
		size_t chunk = len - done < PREAD_CHUNK ? len - done :
							  PREAD_CHUNK;
		ssize_t n = pread(t->region.fd, s->buf[st->thread], chunk,
				  (off_t)(off + done));

		if (n < 0)
			return mrs_err_sys(e, "pread(%s, %s+%s)",
					   t->region.desc, a, b);
		if (n == 0)
			break; /* the file is short right now (truncate) */
		done += (uint64_t)n;
	}
	return 0;
}

const struct stressor stressor_pread = {
	.name = "pread",
	.help = "pread random ranges of the file, unverified (races the page cache)",
	.keys = pread_keys,
	.needs_file = true,
	.setup = pread_setup,
	.step = pread_step,
	.teardown = pread_teardown,
};
