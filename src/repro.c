// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reproducer generator: one MR of a resolved run, its DMA and the
 * stressors racing it, written as a standalone C program. The generic
 * program is text from src/repro_*.c.in (repro_text.h, made by the
 * build); this file writes what is particular to the run around it.
 */
#include <errno.h>
#include <infiniband/verbs.h>
#include <stdlib.h>
#include <string.h>

#include "repro.h"
#include "repro_plan.h"
#include "repro_text.h"
#include "units.h"

#define BUILD_COMMAND "cc -O2 -Wall -o repro repro.c -libverbs"

/* s with every "*" followed by "/" split, so it cannot end a comment. */
static void comment_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		fputc(*s, f);
		if (s[0] == '*' && s[1] == '/')
			fputc(' ', f);
	}
}

/* s as the body of a C string literal. */
static void c_string(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s < ' ')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

/* The class in words: "any-data" is a name only the program uses. */
static const char *target_said(const struct repro_plan *p)
{
	if (!strcmp(p->target, "any-data"))
		return "any data damage (detached, zeroed, stale, misplaced, torn, garbage)";
	return p->target;
}

/* The finding's title, or one made from the run. */
static const char *title(const struct repro_plan *p,
			 const struct repro_target *tg, char *buf, size_t len)
{
	if (tg->title[0])
		return tg->title;
	snprintf(buf, len, "%s on %s",
		 !strcmp(p->target, "any-data") ? "data damage" : p->target,
		 p->memory);
	return buf;
}

static void write_what_it_does(FILE *f, const struct repro_plan *p)
{
	fprintf(f,
		" * What it does: builds %s, registers it as an RDMA MR and\n"
		" * connects an RC QP to itself on the first RDMA device with an ACTIVE\n"
		" * port. Then, for DURATION_S seconds, in rounds: RDMA %s of every\n"
		" * block while %s in threads of\n"
		" * their own at their intervals; with those paused, one more RDMA WRITE of\n"
		" * every block, and every block checked through the views that can\n"
		" * disagree (RDMA READ of the MR, the CPU mapping%s).\n"
		" * Exit status: 1 when what it reproduces came back, 0 when it did\n"
		" * not within DURATION_S, 2 when it could not set up, 3 when\n"
		" * something else stopped it.\n",
		p->memory, p->reads ? "READ (checked)" : "WRITE",
		p->n_racers ? p->racers_said : "nothing races them",
		p->backing->has_file ? ", pread of the file" : "");
}

static void write_header(FILE *f, const struct repro_plan *p,
			 const struct repro_target *tg,
			 const char *kernel_release)
{
	char t[256];

	fputs("/*\n * repro.c: a standalone reproducer of\n *   ", f);
	comment_text(f, title(p, tg, t, sizeof(t)));
	fputs("\n *\n * Seen on:     ", f);
	if (kernel_release)
		comment_text(f, kernel_release);
	else
		fputs("(not run: written by mrstress --print-repro)", f);
	fprintf(f, "\n * Written by:  mrstress %s from run '", PACKAGE_VERSION);
	comment_text(f, p->spec->name);
	fprintf(f,
		"', seed %llu\n"
		" * Reproduces:  %s\n *              on MR %s (%s)\n *\n",
		(unsigned long long)p->spec->seed, target_said(p), p->mr->name,
		p->memory);
	write_what_it_does(f, p);
	fputs(" *\n * Build:  " BUILD_COMMAND "\n"
	      " * Run:    as root, with an RDMA device; soft-RoCE on interface IFACE:\n"
	      " *           modprobe rdma_rxe && rdma link add rxe0 type rxe netdev IFACE\n",
	      f);
	if (p->backing->needs_dir) {
		fputs(" *         ./repro DIR   (DIR: a directory on ", f);
		comment_text(f, p->mr->where);
		fputs(", e.g. /mnt/", f);
		comment_text(f, p->mr->where[0] == '/' ? "ext4" : p->mr->where);
		fputs(")\n", f);
	} else {
		fputs(" *         ./repro\n", f);
	}
	fputs(" *         REPRO_DEVICE=NAME picks the device.\n */\n\n", f);
}

/* IBV_ACCESS_* names of the bits of access, joined by '|'. */
static void write_access(FILE *f, unsigned access)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{ IBV_ACCESS_LOCAL_WRITE, "IBV_ACCESS_LOCAL_WRITE" },
		{ IBV_ACCESS_REMOTE_WRITE, "IBV_ACCESS_REMOTE_WRITE" },
		{ IBV_ACCESS_REMOTE_READ, "IBV_ACCESS_REMOTE_READ" },
		{ IBV_ACCESS_REMOTE_ATOMIC, "IBV_ACCESS_REMOTE_ATOMIC" },
		{ IBV_ACCESS_MW_BIND, "IBV_ACCESS_MW_BIND" },
		{ IBV_ACCESS_ON_DEMAND, "IBV_ACCESS_ON_DEMAND" },
	};
	const char *sep = "";

	fputs("#define MR_ACCESS (", f);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (access & names[i].bit) {
			fprintf(f, "%s%s", sep, names[i].name);
			sep = " | ";
		}
	fputs(*sep ? ")\n" : "0)\n", f);
}

static void write_params(FILE *f, const struct repro_plan *p,
			 const struct repro_target *tg)
{
	char sz[16], t[256];

	fputs("/* The run, resolved: sizes, flags and the seed of every choice. */\n#define TITLE \"",
	      f);
	c_string(f, title(p, tg, t, sizeof(t)));
	fprintf(f, "\"\n#define TARGET_CLASS \"%s\"\n#define MEMORY \"",
		p->target);
	c_string(f, p->memory);
	fprintf(f,
		"\"\n#define NEEDS_DIR %d\n"
		"#define SEED 0x%llxULL\n"
		"#define MR_SIZE %zuUL /* %s */\n"
		"#define HUGEPAGE_SHIFT %d /* log2 of the huge page size asked for, 0: the default */\n"
		"#define MEM_PAGE_SIZE %zuUL /* of the memory: racers pick whole pages */\n",
		p->backing->needs_dir, (unsigned long long)p->spec->seed,
		p->size, format_size(p->size, sz, sizeof(sz)),
		p->hugepage ? __builtin_ctzl(p->hugepage) : 0, p->page);
	write_access(f, p->mr->access);
	fprintf(f,
		"#define BLOCK_SIZE %zu\n"
		"#define QUEUE_DEPTH %u\n"
		"#define DMA_READS %d /* 1: RDMA READ (checked) while racing */\n"
		"#define DURATION_S %.1f\n"
		"#define ROUND_MS %ld /* racing, before each check */\n"
		"#define HANG_TIMEOUT_S %.1f /* a step or wait longer is a hang */\n\n",
		p->block_size, p->qd, p->reads, p->spec->duration, p->round_ms,
		p->hang_timeout);
}

static void write_memory(FILE *f, const struct repro_plan *p)
{
	fprintf(f,
		"\n/* The memory: %s, as mrstress's backing '%s' builds it. */\n"
		"static int memory_build(struct mem *m, const char *dir, struct step *st)\n{\n"
		"\t(void)dir;\n\tm->len = MR_SIZE;\n",
		p->memory, p->backing->name);
	fputs(p->backing->repro_build, f);
	fputs("}\n", f);
}

static int write_step(FILE *f, const struct repro_plan *p, unsigned i,
		      struct mrs_err *e)
{
	const struct stress_spec *st = p->racer[i].spec;
	struct stress_repro a = { .opts = st->opts,
				  .n_opts = st->n_opts,
				  .mr_size = p->size };
	int ret;

	fprintf(f,
		"\n/* %s: %s */\nstatic int %s(struct racer *r, struct step *st)\n{\n",
		st->name, st->s->help, p->racer[i].fn);
	ret = st->s->repro_step(f, &a, e);
	fputs("}\n", f);
	return ret;
}

static void write_racer_table(FILE *f, const struct repro_plan *p)
{
	fputs("\n/* The racing operations: one per thread of each stressor. */\n"
	      "static struct racer racers[] = {\n",
	      f);
	for (unsigned i = 0; i < p->n_racers; i++) {
		const struct repro_racer *r = &p->racer[i];

		for (unsigned t = 0; t < r->threads; t++)
			fprintf(f,
				"\t{ .name = \"%s\", .thread = %u, .step = %s, .interval_ms = %ld,\n"
				"\t  .off = 0x%llx, .len = 0x%llx, .seed = 0x%llxULL },\n",
				r->spec->name, t, r->fn, r->interval_ms,
				(unsigned long long)r->off,
				(unsigned long long)r->len,
				(unsigned long long)repro_thread_seed(r, t));
	}
	fputs("\t{ .name = NULL },\n};\n\n", f);
}

static int write_all(FILE *f, const struct repro_plan *p,
		     const struct repro_target *tg, const char *kernel_release,
		     struct mrs_err *e)
{
	int ret;

	write_header(f, p, tg, kernel_release);
	write_params(f, p, tg);
	fputs(repro_prelude_text, f);
	write_memory(f, p);
	for (unsigned i = 0; i < p->n_racers; i++) {
		ret = write_step(f, p, i, e);
		if (ret)
			return ret;
	}
	for (unsigned i = 0; i < p->n_left_out; i++)
		fprintf(f, "\n/* Left out: %s. */\n", p->left_out[i]);
	write_racer_table(f, p);
	fputs(repro_body_text, f);
	return 0;
}

int repro_write(FILE *f, const struct run_spec *spec,
		const struct repro_target *tg, const char *kernel_release,
		struct mrs_err *e)
{
	struct repro_plan *p = calloc(1, sizeof(*p));
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int ret;

	if (!p)
		return mrs_err_set(e, ENOMEM, "reproducer: out of memory");
	ret = repro_plan_make(p, spec, tg, e);
	if (ret)
		goto out;
	/* Whole or nothing: the program is put together in memory first. */
	mem = open_memstream(&text, &len);
	if (!mem) {
		ret = mrs_err_sys(e, "reproducer: open_memstream");
		goto out;
	}
	ret = write_all(mem, p, tg, kernel_release, e);
	if (fclose(mem) && !ret)
		ret = mrs_err_sys(e, "reproducer: writing to memory");
	if (ret)
		goto out;
	if (fwrite(text, 1, len, f) != len || fflush(f))
		ret = mrs_err_sys(e, "writing the reproducer");
out:
	free(text);
	free(p);
	return ret;
}
