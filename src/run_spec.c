// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command-line forms of a run:
 *   --mr BACKING[:FS|DIR][:SIZE][,access=rw|ro|odp[+atomic|+mw]][,hugepage=SIZE][,name=N]
 *   --dma OP[,bs=SIZE][,qd=N][,threads=N][,check=N][,mr=NAME][,name=N]
 *   --stress TYPE[,interval=DURATION][,mr=NAME][,KEY=VALUE]...
 * Every key is checked; the message names the option, the key and why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mr.h"
#include "run_spec.h"
#include "units.h"

#define DEFAULT_MR_SIZE (8u << 20)
#define DEFAULT_DURATION 10.0

void run_spec_init(struct run_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->duration = DEFAULT_DURATION;
}

int mr_spec_find(const struct run_spec *s, const char *name)
{
	for (unsigned i = 0; i < s->n_mrs; i++)
		if (!strcmp(s->mrs[i].name, name))
			return (int)i;
	return -1;
}

static int parse_uint(const char *v, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long n;

	if (!v || *v < '0' || *v > '9')
		return -EINVAL;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n < lo || n > hi)
		return -EINVAL;
	*out = (unsigned)n;
	return 0;
}

static int copy_name(char *dst, size_t len, const char *v, const char *what,
		     struct mrs_err *e)
{
	if (!*v || strlen(v) >= len || strpbrk(v, " ,:=\t"))
		return mrs_err_set(
			e, EINVAL,
			"%s name '%s': want 1-%zu characters, no spaces, commas, colons or '='",
			what, v, len - 1);
	snprintf(dst, len, "%s", v);
	return 0;
}

/* "rw", "ro", "odp", joined with '+' to "atomic", "mw", "local". */
static int parse_access(const char *v, unsigned *access)
{
	static const struct {
		const char *name;
		unsigned bits;
	} words[] = {
		{ "rw", MR_ACCESS_RW },
		{ "ro", MR_ACCESS_RO },
		{ "odp", MR_ACCESS_ODP },
		{ "local", IBV_ACCESS_LOCAL_WRITE },
		{ "atomic", IBV_ACCESS_REMOTE_ATOMIC | IBV_ACCESS_LOCAL_WRITE },
		{ "mw", IBV_ACCESS_MW_BIND },
		{ "ondemand", IBV_ACCESS_ON_DEMAND },
	};
	char buf[96], *tok, *save = NULL;
	unsigned acc = 0;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, "+", &save); tok;
	     tok = strtok_r(NULL, "+", &save)) {
		size_t i;

		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (!strcmp(tok, words[i].name))
				break;
		if (i == sizeof(words) / sizeof(words[0]))
			return -EINVAL;
		acc |= words[i].bits;
	}
	if (!acc)
		return -EINVAL;
	*access = acc;
	return 0;
}

int mr_spec_set(struct mr_spec *m, const char *key, const char *val,
		struct mrs_err *e)
{
	if (!strcmp(key, "name"))
		return copy_name(m->name, sizeof(m->name), val, "mr", e);
	if (!strcmp(key, "access")) {
		if (parse_access(val, &m->access))
			return mrs_err_set(
				e, EINVAL,
				"access=%s: want rw, ro or odp, optionally joined with +atomic, +mw, +local",
				val);
		return 0;
	}
	if (!strcmp(key, "size")) {
		if (parse_size(val, &m->size) || !m->size)
			return mrs_err_set(
				e, EINVAL,
				"size=%s: want a size such as 64K or 8M", val);
		return 0;
	}
	if (!strcmp(key, "hugepage")) {
		if (parse_size(val, &m->hugepage_size) ||
		    (m->hugepage_size & (m->hugepage_size - 1)))
			return mrs_err_set(
				e, EINVAL,
				"hugepage=%s: want a huge page size such as 2M or 1G",
				val);
		return 0;
	}
	return mrs_err_set(
		e, EINVAL,
		"unknown key '%s' (mr keys: name, access, size, hugepage)",
		key);
}

int dma_spec_set(struct dma_spec *d, const char *key, const char *val,
		 struct mrs_err *e)
{
	if (!strcmp(key, "name"))
		return copy_name(d->name, sizeof(d->name), val, "dma", e);
	if (!strcmp(key, "mr"))
		return copy_name(d->mr, sizeof(d->mr), val, "mr", e);
	if (!strcmp(key, "op")) {
		if (dma_op_parse(val, &d->op))
			return mrs_err_set(
				e, EINVAL,
				"op=%s: want write, read, send, atomic or mixed",
				val);
		return 0;
	}
	if (!strcmp(key, "bs")) {
		if (parse_size(val, &d->block_size) ||
		    d->block_size < BLOCK_MIN_SIZE ||
		    d->block_size % BLOCK_CHUNK || d->block_size > (1u << 30))
			return mrs_err_set(
				e, EINVAL,
				"bs=%s: want a multiple of %d bytes from %d up to 1G",
				val, BLOCK_CHUNK, BLOCK_MIN_SIZE);
		return 0;
	}
	if (!strcmp(key, "qd"))
		return parse_uint(val, 1, 4096, &d->qd) ?
			       mrs_err_set(e, EINVAL, "qd=%s: want 1-4096",
					   val) :
			       0;
	if (!strcmp(key, "threads"))
		return parse_uint(val, 1, 256, &d->threads) ?
			       mrs_err_set(e, EINVAL, "threads=%s: want 1-256",
					   val) :
			       0;
	if (!strcmp(key, "check"))
		return parse_uint(val, 1, 1u << 30, &d->check_every) ?
			       mrs_err_set(
				       e, EINVAL,
				       "check=%s: want a number of operations >= 1",
				       val) :
			       0;
	return mrs_err_set(
		e, EINVAL,
		"unknown key '%s' (dma keys: op, bs, qd, threads, check, mr, name)",
		key);
}

static int unknown_stress_key(const struct stressor *s, const char *key,
			      struct mrs_err *e)
{
	char own[160] = "";
	size_t at = 0;

	for (const char *const *k = s->keys; k && *k && at < sizeof(own); k++)
		at += (size_t)snprintf(own + at, sizeof(own) - at, ", %s", *k);
	return mrs_err_set(
		e, EINVAL,
		"unknown key '%s' for stressor %s (keys: interval, rate, range, threads, mr, name%s)",
		key, s->name, own);
}

int stress_spec_set(struct stress_spec *st, const char *key, const char *val,
		    struct mrs_err *e)
{
	const char *const *k;
	char *end;

	if (!strcmp(key, "name"))
		return copy_name(st->name, sizeof(st->name), val, "stress", e);
	if (!strcmp(key, "mr"))
		return copy_name(st->mr, sizeof(st->mr), val, "mr", e);
	if (!strcmp(key, "interval")) {
		if (parse_duration(val, &st->interval) || st->interval > 3600)
			return mrs_err_set(
				e, EINVAL,
				"interval=%s: want a duration such as 100ms or 2s",
				val);
		return 0;
	}
	if (!strcmp(key, "rate")) {
		double rate = strtod(val, &end);

		if (end == val || *end || !(rate > 0) || rate > 1e6)
			return mrs_err_set(
				e, EINVAL,
				"rate=%s: want steps per second per thread, e.g. 10 or 0.5",
				val);
		st->interval = 1 / rate;
		return 0;
	}
	if (!strcmp(key, "threads"))
		return parse_uint(val, 1, 64, &st->threads) ?
			       mrs_err_set(e, EINVAL, "threads=%s: want 1-64",
					   val) :
			       0;
	if (!strcmp(key, "range")) {
		uint64_t off, len;

		/* Checked against the MR's size once it is known. */
		if (strlen(val) >= sizeof(st->range) ||
		    stress_range_parse(val, (size_t)1 << 60, 1, &off, &len))
			return mrs_err_set(
				e, EINVAL,
				"range=%s: want START-END, sizes or percentages of the MR (0-50%%, 1M-3M)",
				val);
		str_copy(st->range, sizeof(st->range), val);
		return 0;
	}
	for (k = st->s->keys; k && *k; k++)
		if (!strcmp(*k, key))
			break;
	if (!k || !*k)
		return unknown_stress_key(st->s, key, e);
	if (st->n_opts == STRESS_MAX_OPTS)
		return mrs_err_set(e, EINVAL, "too many options for %s",
				   st->s->name);
	if (strlen(val) >= sizeof(st->opts[0].val))
		return mrs_err_set(e, EINVAL, "%s=%s: value too long", key,
				   val);
	snprintf(st->opts[st->n_opts].key, sizeof(st->opts[0].key), "%s", key);
	snprintf(st->opts[st->n_opts].val, sizeof(st->opts[0].val), "%s", val);
	st->n_opts++;
	return 0;
}

/* Apply ",key=value" pairs of a command-line argument through set(). */
static int apply_keys(char *rest, void *obj,
		      int (*set)(void *, const char *, const char *,
				 struct mrs_err *),
		      struct mrs_err *e)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(rest, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq)
			return mrs_err_set(e, EINVAL, "'%s': want KEY=VALUE",
					   tok);
		*eq = '\0';
		if (set(obj, tok, eq + 1, e))
			return -EINVAL;
	}
	return 0;
}

static int set_mr(void *o, const char *k, const char *v, struct mrs_err *e)
{
	return mr_spec_set(o, k, v, e);
}

static int set_dma(void *o, const char *k, const char *v, struct mrs_err *e)
{
	return dma_spec_set(o, k, v, e);
}

static int set_stress(void *o, const char *k, const char *v, struct mrs_err *e)
{
	return stress_spec_set(o, k, v, e);
}

/* Split "head,rest": returns rest (possibly empty) and cuts head off. */
static char *split_head(char *buf)
{
	char *comma = strchr(buf, ',');

	if (!comma)
		return buf + strlen(buf);
	*comma = '\0';
	return comma + 1;
}

/* "file:ext4:8M": backing, then place when it needs one, then size. */
static int mr_head(struct mr_spec *m, char *head, struct mrs_err *e)
{
	char *f[4] = { head, NULL, NULL, NULL };
	unsigned n = 1, i = 1;

	for (char *p = strchr(head, ':'); p && n < 4; p = strchr(p, ':')) {
		*p++ = '\0';
		f[n++] = p;
	}
	m->backing = backing_find(f[0]);
	if (!m->backing)
		return mrs_err_set(e, EINVAL,
				   "unknown backing '%s' (see mrstress --list)",
				   f[0]);
	if (m->backing->needs_dir) {
		size_t sz;

		if (n < 2 || !*f[1] || (n == 2 && !parse_size(f[1], &sz)))
			return mrs_err_set(
				e, EINVAL,
				"backing %s needs a filesystem or directory before the size: %s:ext4:8M",
				f[0], f[0]);
		snprintf(m->where, sizeof(m->where), "%s", f[i++]);
	}
	if (i < n && mr_spec_set(m, "size", f[i++], e))
		return -EINVAL;
	if (i < n)
		return mrs_err_set(e, EINVAL, "'%s': too many ':' fields",
				   f[i]);
	return 0;
}

int run_spec_add_mr(struct run_spec *s, const char *arg, struct mrs_err *e)
{
	struct mr_spec *m;
	char buf[PATH_MAX + 128], *rest;

	if (s->n_mrs == RUN_MAX_MRS)
		return mrs_err_set(e, EINVAL, "--mr: at most %d MRs",
				   RUN_MAX_MRS);
	m = &s->mrs[s->n_mrs];
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "mr%u", s->n_mrs);
	m->size = DEFAULT_MR_SIZE;
	m->access = MR_ACCESS_RW;
	snprintf(buf, sizeof(buf), "%s", arg);
	rest = split_head(buf);
	if (mr_head(m, buf, e) || apply_keys(rest, m, set_mr, e))
		return -EINVAL;
	s->n_mrs++;
	return 0;
}

int run_spec_add_dma(struct run_spec *s, const char *arg, struct mrs_err *e)
{
	struct dma_spec *d;
	char buf[512], *rest;

	if (s->n_dmas == RUN_MAX_DMAS)
		return mrs_err_set(e, EINVAL, "--dma: at most %d",
				   RUN_MAX_DMAS);
	d = &s->dmas[s->n_dmas];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "dma%u", s->n_dmas);
	d->block_size = 4096;
	d->qd = 8;
	d->threads = 1;
	d->check_every = 16;
	snprintf(buf, sizeof(buf), "%s", arg);
	rest = split_head(buf);
	if (dma_spec_set(d, "op", buf, e) || apply_keys(rest, d, set_dma, e))
		return -EINVAL;
	s->n_dmas++;
	return 0;
}

int run_spec_add_stress(struct run_spec *s, const char *arg, struct mrs_err *e)
{
	struct stress_spec *st;
	char buf[512], *rest;

	if (s->n_stress == RUN_MAX_STRESS)
		return mrs_err_set(e, EINVAL, "--stress: at most %d",
				   RUN_MAX_STRESS);
	st = &s->stress[s->n_stress];
	memset(st, 0, sizeof(*st));
	st->interval = 0.1;
	st->threads = 1;
	snprintf(buf, sizeof(buf), "%s", arg);
	rest = split_head(buf);
	st->s = stressor_find(buf);
	if (!st->s)
		return mrs_err_set(
			e, EINVAL,
			"unknown stressor '%s' (see mrstress --list)", buf);
	snprintf(st->name, sizeof(st->name), "%s", st->s->name);
	if (apply_keys(rest, st, set_stress, e))
		return -EINVAL;
	s->n_stress++;
	return 0;
}

int run_spec_add_expect(struct run_spec *s, const char *arg, struct mrs_err *e)
{
	char buf[512], *tok, *save = NULL;
	enum finding_class c;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (finding_class_parse(tok, &c))
			return mrs_err_set(
				e, EINVAL,
				"unknown finding class '%s' (detached, zeroed, stale, misplaced, torn, garbage, policy-refused, completion-error, ...)",
				tok);
		s->expect_mask |= 1u << c;
	}
	return 0;
}

static int finish_dma(struct run_spec *s, struct dma_spec *d, size_t *bs_of_mr,
		      struct mrs_err *e)
{
	int m = d->mr[0] ? mr_spec_find(s, d->mr) : 0;

	if (m < 0)
		return mrs_err_set(e, EINVAL, "dma %s: no mr named '%s'",
				   d->name, d->mr);
	str_copy(d->mr, sizeof(d->mr), s->mrs[m].name);
	if (s->mrs[m].size % d->block_size)
		return mrs_err_set(
			e, EINVAL,
			"dma %s: bs %zu does not divide the size of mr %s (%zu)",
			d->name, d->block_size, d->mr, s->mrs[m].size);
	if (bs_of_mr[m] && bs_of_mr[m] != d->block_size)
		return mrs_err_set(
			e, EINVAL,
			"dma %s: mr %s is already written in blocks of %zu; all DMA on one MR shares its block size",
			d->name, d->mr, bs_of_mr[m]);
	bs_of_mr[m] = d->block_size;
	if (d->op == DMA_OP_ATOMIC || d->op == DMA_OP_MIXED)
		s->mrs[m].access |= IBV_ACCESS_REMOTE_ATOMIC |
				    IBV_ACCESS_LOCAL_WRITE;
	return 0;
}

static int finish_stress(struct run_spec *s, struct stress_spec *st,
			 struct mrs_err *e)
{
	int m = st->mr[0] ? mr_spec_find(s, st->mr) : 0;
	uint64_t off, len;

	if (m < 0)
		return mrs_err_set(e, EINVAL, "stress %s: no mr named '%s'",
				   st->name, st->mr);
	str_copy(st->mr, sizeof(st->mr), s->mrs[m].name);
	if (st->range[0] &&
	    stress_range_parse(st->range, s->mrs[m].size, 1, &off, &len))
		return mrs_err_set(
			e, EINVAL,
			"stress %s: range=%s is not inside mr %s (%zu bytes)",
			st->name, st->range, st->mr, s->mrs[m].size);
	for (unsigned i = 0; i < st->n_opts; i++)
		if (st->s->check_opt &&
		    st->s->check_opt(st->opts[i].key, st->opts[i].val,
				     s->mrs[m].size, e))
			return -EINVAL;
	return 0;
}

int run_spec_finish(struct run_spec *s, struct mrs_err *e)
{
	size_t bs_of_mr[RUN_MAX_MRS] = { 0 };

	if (!s->n_mrs)
		return mrs_err_set(
			e, EINVAL,
			"nothing to register: give --mr (e.g. --mr anon:8M)");
	for (unsigned i = 0; i < s->n_mrs; i++)
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(s->mrs[i].name, s->mrs[j].name))
				return mrs_err_set(e, EINVAL,
						   "two MRs named '%s'",
						   s->mrs[i].name);
	if (!s->n_dmas && run_spec_add_dma(s, "write", e))
		return -EINVAL;
	for (unsigned i = 0; i < s->n_dmas; i++)
		if (finish_dma(s, &s->dmas[i], bs_of_mr, e))
			return -EINVAL;
	for (unsigned i = 0; i < s->n_stress; i++)
		if (finish_stress(s, &s->stress[i], e))
			return -EINVAL;
	return 0;
}
