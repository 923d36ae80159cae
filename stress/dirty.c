// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dirty: tunes writeback for the run so that it never stops (dirty pages
 * expire after 'expire', the flusher wakes every 'writeback', background
 * writeback starts at 'background' bytes, writers throttle at 'bytes'),
 * and samples the dirty and writeback page counts at every step, so that
 * the timeline shows what writeback was doing while DMA went on. Pinned
 * pages that writeback cleans while the device keeps writing them are the
 * first half of the ext4 "dirty page without buffers" problem.
 *
 * The *_bytes and *_ratio tunables are two faces of one setting: writing
 * one zeroes the other, and 0 is refused by *_bytes. So each pair is saved
 * together and restored through whichever was in force.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knob.h"
#include "memstat.h"
#include "stressor.h"
#include "units.h"
#include "what.h"

#define VM "/proc/sys/vm/"

static const char *const dirty_keys[] = { "expire", "writeback", "background",
					  "bytes", NULL };

/* A bytes tunable with its ratio twin. */
struct dirty_pair {
	struct knob bytes;
	char ratio_path[64];
	char ratio_saved[32];
};

struct dirty_state {
	struct knob expire, writeback;
	struct dirty_pair background, limit;
};

static int dirty_check_opt(const char *key, const char *val, size_t mr_size,
			   struct mrs_err *e)
{
	double d;
	size_t sz;

	(void)mr_size;
	if (!strcmp(key, "expire") || !strcmp(key, "writeback")) {
		if (parse_duration(val, &d) || d < 0.01 || d > 3600)
			return mrs_err_set(
				e, EINVAL,
				"%s=%s: want a duration from 10ms to 1h (kept in centiseconds)",
				key, val);
	} else if (parse_size(val, &sz) || sz < 8192) {
		return mrs_err_set(e, EINVAL,
				   "%s=%s: want a size of at least 8K", key,
				   val);
	}
	return 0;
}

static int set_centisecs(struct stress_ctx *c, struct knob *k, const char *key,
			 const char *def, const char *name, struct mrs_err *e)
{
	const char *v = stress_opt(c, key);
	char path[64], buf[32];
	double d = 0;

	parse_duration(v ? v : def, &d);
	snprintf(buf, sizeof(buf), "%ld", (long)(d * 100 + 0.5));
	snprintf(path, sizeof(path), VM "%s", name);
	return knob_set(k, path, buf, e);
}

/* Set NAME_bytes, having saved NAME_ratio; DEF NULL leaves it alone. */
static int set_bytes(struct stress_ctx *c, struct dirty_pair *p,
		     const char *key, const char *def, const char *name,
		     struct mrs_err *e)
{
	const char *v = stress_opt(c, key);
	char path[64], buf[32];
	size_t sz = 0;
	int ret;

	if (!v && !def)
		return 0;
	parse_size(v ? v : def, &sz);
	snprintf(p->ratio_path, sizeof(p->ratio_path), VM "%s_ratio", name);
	ret = knob_read(p->ratio_path, p->ratio_saved, sizeof(p->ratio_saved),
			e);
	if (ret)
		return ret;
	snprintf(buf, sizeof(buf), "%zu", sz);
	snprintf(path, sizeof(path), VM "%s_bytes", name);
	return knob_set(&p->bytes, path, buf, e);
}

static void restore_pair(struct dirty_pair *p)
{
	struct mrs_err e = { 0 };

	if (!p->bytes.changed)
		return;
	/* bytes 0 means the ratio was in force: writing it zeroes bytes. */
	if (strcmp(p->bytes.saved, "0")) {
		knob_restore(&p->bytes);
		return;
	}
	p->bytes.changed = false;
	if (knob_write(p->ratio_path, p->ratio_saved, &e))
		fprintf(stderr, "mrstress: restoring %s: %s\n", p->ratio_path,
			e.msg);
}

static void dirty_teardown(struct stress_ctx *c)
{
	struct dirty_state *s = c->priv;

	if (!s)
		return;
	restore_pair(&s->limit);
	restore_pair(&s->background);
	knob_restore(&s->writeback);
	knob_restore(&s->expire);
	free(s);
	c->priv = NULL;
}

static int dirty_setup(struct stress_ctx *c, struct mrs_err *e)
{
	struct dirty_state *s;
	int ret;

	if (geteuid())
		return mrs_err_set(e, EOPNOTSUPP, "dirty needs root");
	s = calloc(1, sizeof(*s));
	if (!s)
		return mrs_err_set(e, ENOMEM, "dirty: out of memory");
	c->priv = s;
	ret = set_centisecs(c, &s->expire, "expire", "100ms",
			    "dirty_expire_centisecs", e);
	if (!ret)
		ret = set_centisecs(c, &s->writeback, "writeback", "100ms",
				    "dirty_writeback_centisecs", e);
	if (!ret)
		ret = set_bytes(c, &s->background, "background", "64K",
				"dirty_background", e);
	if (!ret)
		ret = set_bytes(c, &s->limit, "bytes", NULL, "dirty", e);
	if (ret)
		dirty_teardown(c); /* the engine tears down only what set up */
	return ret;
}

static int dirty_step(struct stress_ctx *c, struct stress_step *st,
		      struct mrs_err *e)
{
	uint64_t nr_dirty = 0, nr_wb = 0, dirty = 0, wb = 0;
	char d[16], w[16];
	int ret;

	(void)c;
	ret = memstat_read("/proc/vmstat", "nr_dirty", &nr_dirty, e);
	if (!ret)
		ret = memstat_read("/proc/vmstat", "nr_writeback", &nr_wb, e);
	if (!ret)
		ret = memstat_read("/proc/meminfo", "Dirty", &dirty, e);
	if (!ret)
		ret = memstat_read("/proc/meminfo", "Writeback", &wb, e);
	if (ret)
		return ret;
	step_what(st, "dirty %llup/%s wb %llup/%s",
		  (unsigned long long)nr_dirty,
		  format_size(dirty, d, sizeof(d)), (unsigned long long)nr_wb,
		  format_size(wb, w, sizeof(w)));
	return 0;
}

const struct stressor stressor_dirty = {
	.name = "dirty",
	.help = "constant writeback for the run: vm.dirty_* 'expire' (100ms), 'writeback' (100ms), 'background' (64K), 'bytes' (unchanged) restored after; steps sample nr_dirty/nr_writeback; root",
	.keys = dirty_keys,
	.check_opt = dirty_check_opt,
	.setup = dirty_setup,
	.step = dirty_step,
	.teardown = dirty_teardown,
};
