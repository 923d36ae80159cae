// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command-line forms of a run:
 *   --mr BACKING[:FS|DIR][:SIZE][,access=rw|ro|odp[+atomic|+mw]][,hugepage=SIZE][,name=N]
 *   --dma OP[,bs=SIZE][,qd=N][,threads=N][,check=N][,mr=NAME][,name=N]
 *   --stress TYPE[,interval=DURATION][,mr=NAME][,KEY=VALUE]...
 * Every key is checked; the message names the option, the key and why.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mr.h"
#include "run_spec.h"
#include "units.h"

#define DEFAULT_MR_SIZE (8u << 20)
#define DEFAULT_DURATION 10.0
#define MAX_SLOWDOWN 1000.0
#define DEFAULT_HANG_TIMEOUT 10.0
/* A value of a key, as a scenario file's line can hold one. */
#define RUN_VALUE_MAX 200
#define MIN_SLOWDOWN 0.001

void run_spec_init(struct run_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->duration = DEFAULT_DURATION;
	s->slowdown = 1;
	s->hang_timeout = DEFAULT_HANG_TIMEOUT;
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

/*
 * Access words, in the order mr_access_format() tries them: the sets
 * first, so that "rw+atomic" comes out rather than a list of bits.
 */
static const struct flag_word access_words[] = {
	{ "odp", MR_ACCESS_ODP },
	{ "rw", MR_ACCESS_RW },
	{ "ro", MR_ACCESS_RO },
	{ "atomic", IBV_ACCESS_REMOTE_ATOMIC | IBV_ACCESS_LOCAL_WRITE },
	{ "mw", IBV_ACCESS_MW_BIND },
	{ "local", IBV_ACCESS_LOCAL_WRITE },
	{ "ondemand", IBV_ACCESS_ON_DEMAND },
};

#define N_ACCESS_WORDS (sizeof(access_words) / sizeof(access_words[0]))

/* "rw", "ro", "odp", joined with '+' to "atomic", "mw", "local". */
static int parse_access(const char *v, unsigned *access)
{
	return parse_flag_words(v, access_words, N_ACCESS_WORDS, access);
}

const char *mr_access_format(unsigned access, char *buf, size_t len)
{
	unsigned left = access;
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < N_ACCESS_WORDS && left; i++) {
		unsigned bits = access_words[i].bits;

		if ((bits & ~access) || !(bits & left))
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "+" : "", access_words[i].name);
		left &= ~bits;
	}
	return buf;
}

bool mr_access_word(const char *w)
{
	for (size_t i = 0; i < N_ACCESS_WORDS; i++)
		if (!strcmp(access_words[i].name, w))
			return true;
	return false;
}

static int parse_seed(const char *v, uint64_t *seed)
{
	unsigned long long n;
	char *end;

	if (*v < '0' || *v > '9')
		return -EINVAL;
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno || *end || n > INT64_MAX)
		return -EINVAL;
	*seed = n;
	return 0;
}

static int parse_slowdown(const char *v, double *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(d) || d < MIN_SLOWDOWN ||
	    d > MAX_SLOWDOWN)
		return -EINVAL;
	*out = d;
	return 0;
}

/* A name or description: printable, and short enough to keep whole. */
static int copy_text(char *dst, size_t len, const char *v, const char *what,
		     struct mrs_err *e)
{
	for (const char *p = v; *p; p++)
		if (iscntrl((unsigned char)*p))
			return mrs_err_set(
				e, EINVAL,
				"%s: want printable text on one line", what);
	if (strlen(v) >= len)
		return mrs_err_set(e, EINVAL, "%s: want at most %zu characters",
				   what, len - 1);
	str_copy(dst, len, v);
	return 0;
}

int run_spec_set(struct run_spec *s, const char *key, const char *val,
		 struct mrs_err *e)
{
	if (!strcmp(key, "name"))
		return copy_text(s->name, sizeof(s->name), val, "name", e);
	if (!strcmp(key, "description"))
		return copy_text(s->description, sizeof(s->description), val,
				 "description", e);
	if (!strcmp(key, "duration")) {
		if (parse_duration(val, &s->duration) || s->duration <= 0)
			return mrs_err_set(
				e, EINVAL,
				"duration=%s: want a time such as 10s, 500ms or 2m",
				val);
		return 0;
	}
	if (!strcmp(key, "seed")) {
		if (parse_seed(val, &s->seed))
			return mrs_err_set(
				e, EINVAL,
				"seed=%s: want a number from 0 to 2^63-1", val);
		s->seed_given = true;
		return 0;
	}
	if (!strcmp(key, "slowdown")) {
		if (parse_slowdown(val, &s->slowdown))
			return mrs_err_set(
				e, EINVAL,
				"slowdown=%s: want a number from %g up to %.0f, such as 2 or 0.5",
				val, MIN_SLOWDOWN, MAX_SLOWDOWN);
		return 0;
	}
	if (!strcmp(key, "hang_timeout")) {
		double t;

		if (parse_duration(val, &t) || t < 1 || t > 3600)
			return mrs_err_set(
				e, EINVAL,
				"hang_timeout=%s: want a time from 1s to 1h, such as 10s",
				val);
		s->hang_timeout = t;
		return 0;
	}
	if (!strcmp(key, "requires"))
		return expect_caps_parse(val, s->requires, e);
	return mrs_err_set(
		e, EINVAL,
		"unknown key '%s' (scenario keys: name, description, duration, seed, slowdown, hang_timeout, requires)",
		key);
}

void run_spec_choose_seed(struct run_spec *s)
{
	if (s->seed_given)
		return;
	s->seed = (((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid()) &
		  INT64_MAX;
	s->seed_given = true;
}

/* fs = ext4 (a scratch filesystem by name) or dir = /some/dir. */
static int mr_place(struct mr_spec *m, const char *key, const char *val,
		    struct mrs_err *e)
{
	bool dir = !strcmp(key, "dir");

	if (!*val || strlen(val) >= sizeof(m->where))
		return mrs_err_set(e, EINVAL, "%s=%s: want a %s", key, val,
				   dir ? "directory" : "filesystem name");
	if (dir && !strchr(val, '/'))
		return mrs_err_set(
			e, EINVAL,
			"dir=%s: want a path with a '/' (fs= names a scratch filesystem)",
			val);
	if (!dir && strchr(val, '/'))
		return mrs_err_set(
			e, EINVAL,
			"fs=%s: want a filesystem name such as ext4 (dir= takes a path)",
			val);
	str_copy(m->where, sizeof(m->where), val);
	return 0;
}

int mr_spec_set(struct mr_spec *m, const char *key, const char *val,
		struct mrs_err *e)
{
	if (!strcmp(key, "name"))
		return copy_name(m->name, sizeof(m->name), val, "mr", e);
	if (!strcmp(key, "backing")) {
		m->backing = backing_find(val);
		if (!m->backing)
			return mrs_err_set(
				e, EINVAL,
				"backing=%s: unknown backing (see mrstress --list)",
				val);
		return 0;
	}
	if (!strcmp(key, "fs") || !strcmp(key, "dir"))
		return mr_place(m, key, val, e);
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
		"unknown key '%s' (mr keys: backing, fs, dir, size, access, hugepage, name)",
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

/* A key said twice in one argument: the second would silently win. */
static bool key_seen(char *const *seen, unsigned n, const char *key)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(seen[i], key))
			return true;
	return false;
}

/*
 * Apply ",key=value" pairs of a command-line argument through set(). Every
 * pair is checked: empty ones (",,", a trailing ','), a key said twice and
 * a value longer than any key takes (but dir=, a path) are errors.
 */
static int apply_keys(char *rest, void *obj,
		      int (*set)(void *, const char *, const char *,
				 struct mrs_err *),
		      struct mrs_err *e)
{
	char *seen[64];
	unsigned n_seen = 0;
	char *tok = rest, *next;

	if (!*rest)
		return 0;
	for (; tok; tok = next) {
		char *eq;

		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		eq = strchr(tok, '=');
		if (!*tok)
			return mrs_err_set(
				e, EINVAL,
				"an empty KEY=VALUE between commas: drop the extra ','");
		if (!eq)
			return mrs_err_set(e, EINVAL, "'%s': want KEY=VALUE",
					   tok);
		*eq = '\0';
		if (key_seen(seen, n_seen, tok))
			return mrs_err_set(e, EINVAL,
					   "%s= given twice: say each key once",
					   tok);
		if (strcmp(tok, "dir") && strlen(eq + 1) > RUN_VALUE_MAX)
			return mrs_err_set(
				e, EINVAL,
				"%s=: a value of %zu characters is too long (at most %d)",
				tok, strlen(eq + 1), RUN_VALUE_MAX);
		if (n_seen < sizeof(seen) / sizeof(seen[0]))
			seen[n_seen++] = tok;
		if (set(obj, tok, eq + 1, e))
			return -EINVAL;
	}
	return 0;
}

int mr_spec_setter(void *o, const char *k, const char *v, struct mrs_err *e)
{
	return mr_spec_set(o, k, v, e);
}

int dma_spec_setter(void *o, const char *k, const char *v, struct mrs_err *e)
{
	return dma_spec_set(o, k, v, e);
}

int stress_spec_setter(void *o, const char *k, const char *v, struct mrs_err *e)
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

struct mr_spec *run_spec_new_mr(struct run_spec *s, struct mrs_err *e)
{
	struct mr_spec *m;

	if (s->n_mrs == RUN_MAX_MRS) {
		mrs_err_set(e, EINVAL, "at most %d MRs", RUN_MAX_MRS);
		return NULL;
	}
	m = &s->mrs[s->n_mrs++];
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "mr%u", s->n_mrs - 1);
	m->size = DEFAULT_MR_SIZE;
	m->access = MR_ACCESS_RW;
	return m;
}

struct dma_spec *run_spec_new_dma(struct run_spec *s, struct mrs_err *e)
{
	struct dma_spec *d;

	if (s->n_dmas == RUN_MAX_DMAS) {
		mrs_err_set(e, EINVAL, "at most %d DMA sections", RUN_MAX_DMAS);
		return NULL;
	}
	d = &s->dmas[s->n_dmas++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "dma%u", s->n_dmas - 1);
	d->op = DMA_OP_WRITE;
	d->block_size = 4096;
	d->qd = 8;
	d->threads = 1;
	d->check_every = 16;
	return d;
}

static bool stress_named(const struct run_spec *s, const char *name)
{
	for (unsigned i = 0; i < s->n_stress; i++)
		if (!strcmp(s->stress[i].name, name))
			return true;
	return false;
}

struct stress_spec *run_spec_new_stress(struct run_spec *s,
					const struct stressor *type,
					struct mrs_err *e)
{
	struct stress_spec *st;

	if (s->n_stress == RUN_MAX_STRESS) {
		mrs_err_set(e, EINVAL, "at most %d stressors", RUN_MAX_STRESS);
		return NULL;
	}
	st = &s->stress[s->n_stress];
	memset(st, 0, sizeof(*st));
	st->s = type;
	st->interval = 0.1;
	st->threads = 1;
	/* Named after its type; a second of the same type gets a number. */
	if (stress_named(s, type->name))
		snprintf(st->name, sizeof(st->name), "%.20s%u", type->name,
			 s->n_stress);
	else
		str_copy(st->name, sizeof(st->name), type->name);
	s->n_stress++;
	return st;
}

/* A command-line argument into buf, whole or not at all. */
static int copy_arg(char *buf, size_t len, const char *arg, struct mrs_err *e)
{
	if (strlen(arg) >= len)
		return mrs_err_set(
			e, E2BIG,
			"an argument of %zu characters is too long (at most %zu)",
			strlen(arg), len - 1);
	if (*arg && arg[strlen(arg) - 1] == ',')
		return mrs_err_set(e, EINVAL, "a trailing ',': drop it");
	memcpy(buf, arg, strlen(arg) + 1);
	return 0;
}

/* Undo the last new_*() when its argument turned out to be wrong. */
static int drop_last(unsigned *n)
{
	(*n)--;
	return -EINVAL;
}

int run_spec_add_mr(struct run_spec *s, const char *arg, struct mrs_err *e)
{
	struct mr_spec *m = run_spec_new_mr(s, e);
	char buf[PATH_MAX + 128], *rest;

	if (!m)
		return -EINVAL;
	if (copy_arg(buf, sizeof(buf), arg, e))
		return drop_last(&s->n_mrs);
	rest = split_head(buf);
	if (mr_head(m, buf, e) || apply_keys(rest, m, mr_spec_setter, e))
		return drop_last(&s->n_mrs);
	return 0;
}

int run_spec_add_dma(struct run_spec *s, const char *arg, struct mrs_err *e)
{
	struct dma_spec *d = run_spec_new_dma(s, e);
	char buf[512], *rest;

	if (!d)
		return -EINVAL;
	if (copy_arg(buf, sizeof(buf), arg, e))
		return drop_last(&s->n_dmas);
	rest = split_head(buf);
	if (dma_spec_set(d, "op", buf, e) ||
	    apply_keys(rest, d, dma_spec_setter, e))
		return drop_last(&s->n_dmas);
	return 0;
}

int run_spec_add_stress(struct run_spec *s, const char *arg, struct mrs_err *e)
{
	const struct stressor *type;
	struct stress_spec *st;
	char buf[512], *rest;

	if (copy_arg(buf, sizeof(buf), arg, e))
		return -EINVAL;
	rest = split_head(buf);
	type = stressor_find(buf);
	if (!type)
		return mrs_err_set(
			e, EINVAL,
			"unknown stressor '%s' (see mrstress --list)", buf);
	st = run_spec_new_stress(s, type, e);
	if (!st)
		return -EINVAL;
	if (apply_keys(rest, st, stress_spec_setter, e))
		return drop_last(&s->n_stress);
	return 0;
}

int run_spec_add_expect(struct run_spec *s, const char *arg, struct mrs_err *e)
{
	char buf[512], *tok, *save = NULL;
	enum finding_class c;

	if (copy_arg(buf, sizeof(buf), arg, e))
		return -EINVAL;
	if (!*buf || buf[strspn(buf, ",")] == '\0' || strstr(buf, ",,") ||
	    buf[strlen(buf) - 1] == ',' || buf[0] == ',')
		return mrs_err_set(
			e, EINVAL,
			"want finding classes joined with ',', such as detached,zeroed");
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (finding_class_parse(tok, &c))
			return mrs_err_set(
				e, EINVAL,
				"unknown finding class '%s' (detached, zeroed, stale, misplaced, torn, garbage, policy-refused, completion-error, ...)",
				tok);
		if (expect_add_may(&s->expects, c, e))
			return -EINVAL;
	}
	return 0;
}

static int fault(struct spec_where *w, enum spec_part part, unsigned index,
		 const char *key)
{
	w->part = part;
	w->index = index;
	str_copy(w->key, sizeof(w->key), key);
	return -EINVAL;
}

static int finish_mr(struct run_spec *s, unsigned i, struct spec_where *w,
		     struct mrs_err *e)
{
	const struct mr_spec *m = &s->mrs[i];

	for (unsigned j = 0; j < i; j++)
		if (!strcmp(m->name, s->mrs[j].name)) {
			mrs_err_set(e, EINVAL, "two MRs named '%s'", m->name);
			return fault(w, PART_MR, i, "");
		}
	if (!m->backing) {
		mrs_err_set(
			e, EINVAL,
			"mr %s: no backing (backing = anon, memfd, file... see mrstress --list)",
			m->name);
		return fault(w, PART_MR, i, "");
	}
	if (m->backing->needs_dir && !m->where[0]) {
		mrs_err_set(
			e, EINVAL,
			"mr %s: backing %s needs fs = NAME (a scratch filesystem) or dir = PATH",
			m->name, m->backing->name);
		return fault(w, PART_MR, i, "backing");
	}
	if (!m->backing->needs_dir && m->where[0]) {
		mrs_err_set(
			e, EINVAL,
			"mr %s: backing %s is not a file: it takes no fs or dir",
			m->name, m->backing->name);
		return fault(w, PART_MR, i,
			     strchr(m->where, '/') ? "dir" : "fs");
	}
	return 0;
}

static int finish_dma(struct run_spec *s, unsigned i, size_t *bs_of_mr,
		      struct spec_where *w, struct mrs_err *e)
{
	struct dma_spec *d = &s->dmas[i];
	int m = d->mr[0] ? mr_spec_find(s, d->mr) : 0;

	for (unsigned j = 0; j < i; j++)
		if (!strcmp(d->name, s->dmas[j].name)) {
			mrs_err_set(e, EINVAL, "two DMA sections named '%s'",
				    d->name);
			return fault(w, PART_DMA, i, "");
		}
	if (m < 0) {
		mrs_err_set(e, EINVAL, "dma %s: no mr named '%s'", d->name,
			    d->mr);
		return fault(w, PART_DMA, i, "mr");
	}
	str_copy(d->mr, sizeof(d->mr), s->mrs[m].name);
	if (s->mrs[m].size % d->block_size) {
		mrs_err_set(
			e, EINVAL,
			"dma %s: bs %zu does not divide the size of mr %s (%zu)",
			d->name, d->block_size, d->mr, s->mrs[m].size);
		return fault(w, PART_DMA, i, "bs");
	}
	if (bs_of_mr[m] && bs_of_mr[m] != d->block_size) {
		mrs_err_set(
			e, EINVAL,
			"dma %s: mr %s is already written in blocks of %zu; all DMA on one MR shares its block size",
			d->name, d->mr, bs_of_mr[m]);
		return fault(w, PART_DMA, i, "bs");
	}
	bs_of_mr[m] = d->block_size;
	if (d->op == DMA_OP_ATOMIC || d->op == DMA_OP_MIXED)
		s->mrs[m].access |= IBV_ACCESS_REMOTE_ATOMIC |
				    IBV_ACCESS_LOCAL_WRITE;
	return 0;
}

static int finish_stress_opts(const struct stress_spec *st, unsigned i,
			      size_t mr_size, struct spec_where *w,
			      struct mrs_err *e)
{
	const char *key = "";
	char msg[sizeof(e->msg)];

	if (!st->s->check_opts ||
	    !st->s->check_opts(st->opts, st->n_opts, mr_size, &key, e))
		return 0;
	str_copy(msg, sizeof(msg), e->msg);
	mrs_err_set(e, EINVAL, "stress %s: %s", st->name, msg);
	return fault(w, PART_STRESS, i, key);
}

static int finish_stress(struct run_spec *s, unsigned i, struct spec_where *w,
			 struct mrs_err *e)
{
	struct stress_spec *st = &s->stress[i];
	int m = st->mr[0] ? mr_spec_find(s, st->mr) : 0;
	uint64_t off, len;

	for (unsigned j = 0; j < i; j++)
		if (!strcmp(st->name, s->stress[j].name)) {
			mrs_err_set(
				e, EINVAL,
				"two stressors named '%s' (give each a name)",
				st->name);
			return fault(w, PART_STRESS, i, "");
		}
	if (m < 0) {
		mrs_err_set(e, EINVAL, "stress %s: no mr named '%s'", st->name,
			    st->mr);
		return fault(w, PART_STRESS, i, "mr");
	}
	str_copy(st->mr, sizeof(st->mr), s->mrs[m].name);
	if (st->range[0] &&
	    stress_range_parse(st->range, s->mrs[m].size, 1, &off, &len)) {
		mrs_err_set(
			e, EINVAL,
			"stress %s: range=%s is not inside mr %s (%zu bytes)",
			st->name, st->range, st->mr, s->mrs[m].size);
		return fault(w, PART_STRESS, i, "range");
	}
	for (unsigned k = 0; k < st->n_opts; k++) {
		char msg[sizeof(e->msg)];

		if (!st->s->check_opt ||
		    !st->s->check_opt(st->opts[k].key, st->opts[k].val,
				      s->mrs[m].size, e))
			continue;
		str_copy(msg, sizeof(msg), e->msg);
		mrs_err_set(e, EINVAL, "stress %s: %s", st->name, msg);
		return fault(w, PART_STRESS, i, st->opts[k].key);
	}
	return finish_stress_opts(st, i, s->mrs[m].size, w, e);
}

/* "mr == NAME" in an expectation names an MR of the run. */
static int finish_expect(const struct run_spec *s, unsigned i,
			 struct spec_where *w, struct mrs_err *e)
{
	const struct expectation *x = &s->expects.v[i];

	for (unsigned k = 0; k < x->n_terms; k++) {
		const struct expect_term *t = &x->terms[k];

		if (t->kind == TERM_MR && mr_spec_find(s, t->word) < 0) {
			mrs_err_set(e, EINVAL,
				    "%s: no mr named '%s' in 'mr %s %s'",
				    finding_class_name(x->cls), t->word,
				    t->cmp == CMP_EQ ? "==" : "!=", t->word);
			return fault(w, PART_EXPECT, i, "");
		}
	}
	return 0;
}

int run_spec_finish(struct run_spec *s, struct spec_where *where,
		    struct mrs_err *e)
{
	size_t bs_of_mr[RUN_MAX_MRS] = { 0 };
	struct spec_where dummy = { 0 };
	struct spec_where *w = where ? where : &dummy;

	memset(w, 0, sizeof(*w));
	if (!s->n_mrs)
		return mrs_err_set(
			e, EINVAL,
			"nothing to register: give --mr (e.g. --mr anon:8M)");
	for (unsigned i = 0; i < s->n_mrs; i++)
		if (finish_mr(s, i, w, e))
			return -EINVAL;
	if (!s->n_dmas && !run_spec_new_dma(s, e))
		return -EINVAL;
	for (unsigned i = 0; i < s->n_dmas; i++)
		if (finish_dma(s, i, bs_of_mr, w, e))
			return -EINVAL;
	for (unsigned i = 0; i < s->n_stress; i++)
		if (finish_stress(s, i, w, e))
			return -EINVAL;
	for (unsigned i = 0; i < s->expects.n; i++)
		if (finish_expect(s, i, w, e))
			return -EINVAL;
	return 0;
}
