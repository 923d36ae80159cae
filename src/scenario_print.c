// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A run spec written back as a scenario file: the reproducer of a run.
 * Every key is written, defaults included, so that the file says all that
 * the run did; numbers are written so that they read back to the same bits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mr.h"
#include "scenario.h"
#include "units.h"

/* The shortest decimal form that strtod() reads back as exactly v. */
static const char *exact(double v, char *buf, size_t len)
{
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
		snprintf(buf, len, "%.0f", v);
		return buf;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

static void print_scenario(FILE *f, const struct run_spec *s)
{
	char num[40];

	fprintf(f, "[scenario]\n");
	fprintf(f, "name = %s\n", s->name);
	if (s->description[0])
		fprintf(f, "description = %s\n", s->description);
	fprintf(f, "duration = %ss\n", exact(s->duration, num, sizeof(num)));
	fprintf(f, "seed = %llu\n", (unsigned long long)s->seed);
	fprintf(f, "slowdown = %s\n", exact(s->slowdown, num, sizeof(num)));
	fprintf(f, "hang_timeout = %ss\n",
		exact(s->hang_timeout, num, sizeof(num)));
	fprintf(f, "requires = %s\n",
		expect_caps_format(s->requires, num, sizeof(num)));
}

static void print_mr(FILE *f, const struct mr_spec *m)
{
	char buf[96];

	fprintf(f, "\n[mr %s]\n", m->name);
	fprintf(f, "backing = %s\n", m->backing->name);
	if (m->where[0])
		fprintf(f, "%s = %s\n", strchr(m->where, '/') ? "dir" : "fs",
			m->where);
	fprintf(f, "size = %s\n", format_size(m->size, buf, sizeof(buf)));
	fprintf(f, "access = %s\n",
		mr_access_format(m->access, buf, sizeof(buf)));
	fprintf(f, "hugepage = %s\n",
		format_size(m->hugepage_size, buf, sizeof(buf)));
}

static void print_dma(FILE *f, const struct dma_spec *d)
{
	char buf[32];

	fprintf(f, "\n[dma %s]\n", d->name);
	fprintf(f, "mr = %s\n", d->mr);
	fprintf(f, "op = %s\n", dma_op_name(d->op));
	fprintf(f, "bs = %s\n", format_size(d->block_size, buf, sizeof(buf)));
	fprintf(f, "qd = %u\n", d->qd);
	fprintf(f, "threads = %u\n", d->threads);
	fprintf(f, "check = %u\n", d->check_every);
}

static void print_stress(FILE *f, const struct stress_spec *st)
{
	char num[40];

	fprintf(f, "\n[stress %s]\n", st->name);
	fprintf(f, "type = %s\n", st->s->name);
	fprintf(f, "mr = %s\n", st->mr);
	fprintf(f, "interval = %ss\n", exact(st->interval, num, sizeof(num)));
	fprintf(f, "threads = %u\n", st->threads);
	if (st->range[0])
		fprintf(f, "range = %s\n", st->range);
	for (unsigned i = 0; i < st->n_opts; i++)
		fprintf(f, "%s = %s\n", st->opts[i].key, st->opts[i].val);
}

static void print_expects(FILE *f, const struct expect_list *l)
{
	char buf[512];

	if (!l->n)
		return;
	fprintf(f, "\n[expect]\n");
	for (unsigned i = 0; i < l->n; i++)
		fprintf(f, "%s = %s\n", finding_class_name(l->v[i].cls),
			expect_format(&l->v[i], buf, sizeof(buf)));
}

int scenario_print(FILE *f, const struct run_spec *s)
{
	fprintf(f, "; mrstress scenario: mrstress THIS-FILE reruns it\n");
	print_scenario(f, s);
	for (unsigned i = 0; i < s->n_mrs; i++)
		print_mr(f, &s->mrs[i]);
	for (unsigned i = 0; i < s->n_dmas; i++)
		print_dma(f, &s->dmas[i]);
	for (unsigned i = 0; i < s->n_stress; i++)
		print_stress(f, &s->stress[i]);
	print_expects(f, &s->expects);
	return fflush(f) || ferror(f) ? -EIO : 0;
}
