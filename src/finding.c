// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "units.h"

#define FINDING_CAP 100000

static const char *const class_names[FC_COUNT] = {
	[FC_POLICY_REFUSED] = "policy-refused",
	[FC_DETACHED] = "detached",
	[FC_ZEROED] = "zeroed",
	[FC_STALE] = "stale",
	[FC_MISPLACED] = "misplaced",
	[FC_TORN] = "torn",
	[FC_GARBAGE] = "garbage",
	[FC_COMPLETION_ERROR] = "completion-error",
	[FC_HANG] = "hang",
	[FC_KERNEL_WARNING] = "kernel-warning",
	[FC_KERNEL_BUG] = "kernel-bug",
	[FC_KERNEL_OOPS] = "kernel-oops",
	[FC_LOCKDEP] = "lockdep",
	[FC_HUNG_TASK] = "hung-task",
	[FC_SOFT_LOCKUP] = "soft-lockup",
	[FC_RCU_STALL] = "rcu-stall",
	[FC_KASAN] = "kasan",
	[FC_TAINT] = "taint",
	[FC_PIN_LEAK] = "pin-leak",
	[FC_MR_LEAK] = "mr-leak",
	[FC_HARNESS_ERROR] = "harness-error",
	[FC_PEER_LOST] = "peer-lost",
};

const char *finding_class_name(enum finding_class c)
{
	return c < FC_COUNT ? class_names[c] : "unknown";
}

int finding_class_parse(const char *name, enum finding_class *c)
{
	int i = name_index(class_names, FC_COUNT, name);

	if (i < 0)
		return -EINVAL;
	*c = (enum finding_class)i;
	return 0;
}

bool finding_class_is_data(enum finding_class c)
{
	return c >= FC_DETACHED && c <= FC_GARBAGE;
}

void finding_list_init(struct finding_list *l)
{
	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->lock, NULL);
}

void finding_list_free(struct finding_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	pthread_mutex_destroy(&l->lock);
	memset(l, 0, sizeof(*l));
}

static bool list_grow(struct finding_list *l)
{
	size_t cap = l->cap ? l->cap * 2 : 64;
	struct finding *v;

	if (cap > FINDING_CAP)
		cap = FINDING_CAP;
	if (cap <= l->n)
		return false;
	/*
	 * Not a fault point: the finding that says a fault fired is stored
	 * here, and a list that cannot grow is counted as dropped.
	 */
	v = realloc(l->v, cap * sizeof(*v));
	if (!v)
		return false;
	l->v = v;
	l->cap = cap;
	return true;
}

void finding_add(struct finding_list *l, const struct finding *f)
{
	/* A finding without its text still says what happened. */
	char *text = f->text ? strdup(f->text) : NULL;

	pthread_mutex_lock(&l->lock);
	if (l->n == l->cap && !list_grow(l)) {
		l->dropped++;
		free(text);
	} else {
		l->v[l->n] = *f;
		l->v[l->n].text = text;
		l->v[l->n].covered = false;
		l->v[l->n].covered_by = -1;
		if (finding_class_is_data(f->cls) && !l->v[l->n].blocks)
			l->v[l->n].blocks = 1;
		l->n++;
	}
	pthread_mutex_unlock(&l->lock);
}

void finding_add_error(struct finding_list *l, const char *mr, double t,
		       const struct mrs_err *e, const char *fmt, ...)
{
	struct finding f = { .cls = FC_HARNESS_ERROR, .t = t, .err = e->code };
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	str_copy(f.mr, sizeof(f.mr), mr);
	snprintf(f.title, sizeof(f.title), "harness-error: %s", what);
	str_copy(f.detail, sizeof(f.detail), e->msg);
	finding_add(l, &f);
}

static int by_place(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	int d;

	if (finding_class_is_data(a->cls) != finding_class_is_data(b->cls))
		return finding_class_is_data(a->cls) ? 1 : -1;
	d = (int)a->cls - (int)b->cls;
	if (!d)
		d = strcmp(a->mr, b->mr);
	if (!d)
		d = strcmp(a->view, b->view);
	if (!d && a->offset != b->offset)
		d = a->offset < b->offset ? -1 : 1;
	if (!d && a->t != b->t)
		d = a->t < b->t ? -1 : 1;
	return d;
}

static bool mergeable(const struct finding *a, const struct finding *b)
{
	return finding_class_is_data(a->cls) && a->cls == b->cls &&
	       !strcmp(a->mr, b->mr) && !strcmp(a->view, b->view) &&
	       a->offset + a->length == b->offset;
}

static void merge_into(struct finding *a, const struct finding *b)
{
	a->length += b->length;
	a->blocks += b->blocks;
	if (b->t < a->t)
		a->t = b->t;
	if (b->t_from < a->t_from)
		a->t_from = b->t_from;
}

/* Give a merged range a title that says how much of the MR it covers. */
static void retitle(struct finding *f)
{
	if (f->blocks > 1)
		snprintf(f->title, sizeof(f->title),
			 "%s: %llu blocks of %s at 0x%llx-0x%llx (%s)",
			 finding_class_name(f->cls),
			 (unsigned long long)f->blocks, f->mr,
			 (unsigned long long)f->offset,
			 (unsigned long long)(f->offset + f->length), f->view);
}

void finding_list_coalesce(struct finding_list *l)
{
	size_t out = 0;

	if (!l->n)
		return;
	qsort(l->v, l->n, sizeof(*l->v), by_place);
	for (size_t i = 1; i < l->n; i++) {
		if (mergeable(&l->v[out], &l->v[i])) {
			merge_into(&l->v[out], &l->v[i]);
			free(l->v[i].text);
		} else
			l->v[++out] = l->v[i];
	}
	l->n = out + 1;
	for (size_t i = 0; i < l->n; i++)
		retitle(&l->v[i]);
}

size_t finding_list_unexpected(const struct finding_list *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += !l->v[i].covered;
	return n + l->dropped;
}

void hexdump(FILE *f, const char *indent, const uint8_t *buf, size_t len,
	     uint64_t base)
{
	for (size_t i = 0; i < len; i += 16) {
		size_t n = len - i < 16 ? len - i : 16;

		fprintf(f, "%s%08llx ", indent, (unsigned long long)(base + i));
		for (size_t j = 0; j < 16; j++) {
			if (j < n)
				fprintf(f, " %02x", buf[i + j]);
			else
				fputs("   ", f);
		}
		fputs("  |", f);
		for (size_t j = 0; j < n; j++)
			fputc(isprint(buf[i + j]) ? buf[i + j] : '.', f);
		fputs("|\n", f);
	}
}

void finding_print_dumps(FILE *f, const char *indent, const char *inner,
			 const struct finding *x)
{
	if (!finding_class_is_data(x->cls) || !x->dump_len)
		return;
	fprintf(f, "%sexpected (block offset 0x%x):\n", indent, x->dump_offset);
	hexdump(f, inner, x->expected, x->dump_len, x->dump_offset);
	fprintf(f, "%sfound:\n", indent);
	hexdump(f, inner, x->found, x->dump_len, x->dump_offset);
}

const struct finding *
finding_list_first_unexpected(const struct finding_list *l)
{
	for (size_t k = 0; k < l->n; k++)
		if (!l->v[k].covered)
			return &l->v[k];
	return NULL;
}
