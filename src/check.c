// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Turns verdicts on a block's views into findings: the place where "the
 * bytes differ" becomes "the MR holds pages the file no longer has".
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "check.h"

int check_buf_init(struct check_buf *cb, size_t block_size)
{
	cb->size = block_size;
	cb->expected = mrs_malloc(block_size);
	cb->tmp = mrs_malloc(block_size);
	if (!cb->expected || !cb->tmp) {
		check_buf_free(cb);
		return -ENOMEM;
	}
	return 0;
}

void check_buf_free(struct check_buf *cb)
{
	free(cb->expected);
	free(cb->tmp);
	cb->expected = cb->tmp = NULL;
}

static enum finding_class class_of(enum block_state s)
{
	switch (s) {
	case BLOCK_ZEROED:
		return FC_ZEROED;
	case BLOCK_STALE:
		return FC_STALE;
	case BLOCK_MISPLACED:
		return FC_MISPLACED;
	case BLOCK_TORN:
		return FC_TORN;
	default:
		return FC_GARBAGE;
	}
}

static void fill_dumps(struct finding *f, const struct view *v,
		       const struct block_verdict *vd, struct check_buf *cb)
{
	uint32_t start = vd->first_bad & ~15u;
	uint32_t len = FINDING_DUMP;

	if (start + len > cb->size)
		len = (uint32_t)cb->size - start;
	f->dump_offset = start;
	f->dump_len = len;
	memcpy(f->expected, (const char *)cb->expected + start, len);
	memcpy(f->found, (const char *)v->buf + start, len);
}

/* Adds a finding unless cls was already reported for blk: returns 1 if so. */
static unsigned report(struct target *t, size_t blk, enum finding_class cls,
		       const struct view *v, const struct block_verdict *vd,
		       const struct block_expect *x, struct check_buf *cb,
		       struct finding_list *fl, double now)
{
	uint64_t off = (uint64_t)blk * t->block_size;
	struct block_key k = { t->mr_id, (uint32_t)t->block_size, off,
			       t->seed };
	struct finding f = { .cls = cls, .t = now };

	if (t->reported[blk] & (1u << cls))
		return 0;
	t->reported[blk] |= 1u << cls;
	snprintf(f.mr, sizeof(f.mr), "%s", t->name);
	snprintf(f.view, sizeof(f.view), "%s", v->name);
	f.offset = off;
	f.length = f.block_size = t->block_size;
	f.expected_gen = x->gen_hi;
	f.found_gen = vd->found_gen;
	f.found_gen_valid = vd->header_valid;
	f.t_from = x->t_since > t->t0 ? x->t_since - t->t0 : 0;
	snprintf(f.title, sizeof(f.title), "%s: %s block at 0x%llx (%s, %s)",
		 finding_class_name(cls), t->name, (unsigned long long)off,
		 v->name, t->region.desc);
	if (cls == FC_DETACHED)
		snprintf(f.detail, sizeof(f.detail),
			 "the MR holds gen %llu, %s shows %s: %s",
			 (unsigned long long)x->gen_hi, v->name,
			 block_state_name(vd->state), vd->detail);
	else
		snprintf(f.detail, sizeof(f.detail),
			 "expected gen %llu..%llu%s: %s",
			 (unsigned long long)x->gen_lo,
			 (unsigned long long)x->gen_hi,
			 x->zero_ok ? " or zeros" : "", vd->detail);
	block_fill(cb->expected, &k, x->gen_hi);
	fill_dumps(&f, v, vd, cb);
	finding_add(fl, &f);
	return 1;
}

/* One finding for all the file views that lost the MR's pages. */
static unsigned report_detached(struct target *t, size_t blk,
				const struct view *views,
				const struct block_verdict *vd,
				const struct block_expect *x, unsigned n,
				struct check_buf *cb, struct finding_list *fl,
				double now)
{
	const struct block_verdict *mr_vd = NULL;
	struct view joined = { 0 };
	char names[16] = "";
	unsigned first = n;

	for (unsigned i = 0; i < n; i++)
		if (views[i].reaches_mr)
			mr_vd = &vd[i];
	for (unsigned i = 0; mr_vd && i < n; i++) {
		if (views[i].reaches_mr || !block_detached(mr_vd, &vd[i]))
			continue;
		if (first == n)
			first = i;
		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s", names[0] ? "+" : "", views[i].name);
	}
	if (first == n)
		return 0;
	joined = views[first];
	joined.name = names;
	return report(t, blk, FC_DETACHED, &joined, &vd[first], &x[first], cb,
		      fl, now);
}

unsigned check_views(struct target *t, size_t blk, const struct view *views,
		     unsigned n, struct check_buf *cb, struct finding_list *fl,
		     double now)
{
	struct block_verdict vd[4], *mr_vd = NULL;
	struct block_expect x[4];
	struct block_key k = { t->mr_id, (uint32_t)t->block_size,
			       (uint64_t)blk * t->block_size, t->seed };
	unsigned found = 0;

	if (n > 4)
		n = 4;
	for (unsigned i = 0; i < n; i++) {
		shadow_expect(&t->shadow, blk, views[i].file_view, &x[i]);
		block_verify(views[i].buf, &k, &x[i], &vd[i]);
		if (views[i].reaches_mr)
			mr_vd = &vd[i];
	}
	for (unsigned i = 0; i < n; i++) {
		if (vd[i].state == BLOCK_OK || (mr_vd && !views[i].reaches_mr &&
						block_detached(mr_vd, &vd[i])))
			continue;
		found += report(t, blk, class_of(vd[i].state), &views[i],
				&vd[i], &x[i], cb, fl, now);
	}
	return found + report_detached(t, blk, views, vd, x, n, cb, fl, now);
}

int check_cpu_views(struct target *t, size_t blk, struct check_buf *cb,
		    struct view *views, struct mrs_err *e)
{
	size_t off = blk * t->block_size;
	bool file = target_has_file(t);
	ssize_t got;

	views[0] = (struct view){ .name = "cpu",
				  .buf = (char *)t->region.addr + off,
				  .file_view = file };
	if (!file)
		return 1;
	got = fault_fire(FAULT_FILE_PREAD) ?
		      -1 :
		      pread(t->region.fd, cb->tmp, t->block_size, (off_t)off);
	if (got < 0)
		return mrs_err_sys(e, "pread(%s) at 0x%zx", t->region.desc,
				   off);
	/* Short read: the file ends inside the block; the rest reads as 0. */
	if ((size_t)got < t->block_size)
		memset((char *)cb->tmp + got, 0, t->block_size - (size_t)got);
	views[1] = (struct view){ .name = "pread",
				  .buf = cb->tmp,
				  .file_view = true };
	return 2;
}
