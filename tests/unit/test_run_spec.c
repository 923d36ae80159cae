// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "finding.h"
#include "mr.h"
#include "run_spec.h"

#define MIB (1u << 20)

/* A spec of 40K or so: one per test, off the stack. */
static int setup(void **state)
{
	struct run_spec *s = malloc(sizeof(*s));

	if (!s)
		return -1;
	run_spec_init(s);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* The call fails with -EINVAL and its message contains want. */
#define assert_rejected(call, e, want)                                 \
	do {                                                           \
		memset((e)->msg, 0, sizeof((e)->msg));                 \
		assert_int_equal((call), -EINVAL);                     \
		assert_int_equal((e)->code, EINVAL);                   \
		if (!strstr((e)->msg, (want)))                         \
			fail_msg("'%s' lacks '%s'", (e)->msg, (want)); \
	} while (0)

#define assert_near(a, b) assert_true((a) > (b)-1e-9 && (a) < (b) + 1e-9)

static void mr_heads(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "anon:8M", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "file:ext4:8M", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "file:/some/dir:64K", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "memfd", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "file:xfs", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "anon-shared:12K", &e), 0);
	assert_int_equal(s->n_mrs, 6);

	assert_string_equal(s->mrs[0].backing->name, "anon");
	assert_string_equal(s->mrs[0].where, "");
	assert_int_equal(s->mrs[0].size, 8 * MIB);

	assert_string_equal(s->mrs[1].backing->name, "file");
	assert_string_equal(s->mrs[1].where, "ext4");
	assert_int_equal(s->mrs[1].size, 8 * MIB);

	assert_string_equal(s->mrs[2].backing->name, "file");
	assert_string_equal(s->mrs[2].where, "/some/dir");
	assert_int_equal(s->mrs[2].size, 64 * 1024);

	assert_string_equal(s->mrs[3].backing->name, "memfd");
	assert_string_equal(s->mrs[3].where, "");

	/* A place and no size: the default size. */
	assert_string_equal(s->mrs[4].where, "xfs");
	assert_int_equal(s->mrs[4].size, 8 * MIB);

	assert_string_equal(s->mrs[5].backing->name, "anon-shared");
	assert_int_equal(s->mrs[5].size, 12 * 1024);
}

static void mr_defaults(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "memfd", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "anon", &e), 0);
	assert_string_equal(s->mrs[0].name, "mr0");
	assert_string_equal(s->mrs[1].name, "mr1");
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(s->mrs[i].size, 8 * MIB);
		assert_int_equal(s->mrs[i].access, MR_ACCESS_RW);
		assert_int_equal(s->mrs[i].hugepage_size, 0);
	}
	assert_int_equal(s->n_dmas, 0);
	assert_int_equal(s->n_stress, 0);
	assert_true(s->duration > 0);
	assert_false(s->seed_given);
	assert_int_equal(s->expects.n, 0);
	assert_true(s->slowdown == 1);
}

static void mr_keys(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(
		run_spec_add_mr(s, "memfd:2M,name=big,access=ro,hugepage=2M",
				&e),
		0);
	assert_string_equal(s->mrs[0].name, "big");
	assert_int_equal(s->mrs[0].size, 2 * MIB);
	assert_int_equal(s->mrs[0].access, MR_ACCESS_RO);
	assert_int_equal(s->mrs[0].hugepage_size, 2 * MIB);

	/* size= as a key overrides the head's. */
	assert_int_equal(run_spec_add_mr(s, "anon:1M,size=4M", &e), 0);
	assert_int_equal(s->mrs[1].size, 4 * MIB);

	assert_int_equal(run_spec_add_mr(s, "anon,hugepage=1G", &e), 0);
	assert_int_equal(s->mrs[2].hugepage_size, 1u << 30);
	/* A 31-character name fits. */
	assert_int_equal(
		run_spec_add_mr(s, "anon,name=abcdefghijklmnopqrstuvwxyz01234",
				&e),
		0);
	assert_string_equal(s->mrs[3].name, "abcdefghijklmnopqrstuvwxyz01234");
	assert_int_equal(s->n_mrs, 4);
}

static void mr_errors(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_rejected(run_spec_add_mr(s, "floppy:8M", &e), &e,
			"unknown backing 'floppy'");
	assert_rejected(run_spec_add_mr(s, "file:1M", &e), &e,
			"needs a filesystem or directory before the size");
	assert_rejected(run_spec_add_mr(s, "file", &e), &e,
			"needs a filesystem or directory");
	assert_rejected(run_spec_add_mr(s, "file::8M", &e), &e,
			"needs a filesystem or directory");
	assert_rejected(run_spec_add_mr(s, "anon:8M:x", &e), &e,
			"'x': too many ':' fields");
	assert_rejected(run_spec_add_mr(s, "memfd:1M:2M", &e), &e,
			"too many ':' fields");
	/* A fourth field after a place and a size is named as extra. */
	assert_rejected(run_spec_add_mr(s, "file:ext4:8M:x", &e), &e,
			"'x': too many ':' fields");
	assert_rejected(run_spec_add_mr(s, "anon:lots", &e), &e,
			"size=lots: want a size");
	assert_rejected(run_spec_add_mr(s, "anon:0", &e), &e, "size=0");
	assert_rejected(run_spec_add_mr(s, "file:ext4:8X", &e), &e, "size=8X");
	assert_rejected(run_spec_add_mr(s, "anon,size=", &e), &e, "size=");
	assert_rejected(run_spec_add_mr(s, "anon,colour=red", &e), &e,
			"unknown key 'colour'");
	assert_rejected(run_spec_add_mr(s, "anon,access", &e), &e,
			"'access': want KEY=VALUE");
	assert_rejected(run_spec_add_mr(s, "anon,access=rx", &e), &e,
			"access=rx: want rw, ro or odp");
	assert_rejected(run_spec_add_mr(s, "anon,access=", &e), &e, "access=");
	assert_rejected(run_spec_add_mr(s, "anon,access=rw+atomics", &e), &e,
			"access=rw+atomics");
	assert_rejected(run_spec_add_mr(s, "anon,hugepage=3M", &e), &e,
			"hugepage=3M: want a huge page size");
	assert_rejected(run_spec_add_mr(s, "anon,hugepage=big", &e), &e,
			"hugepage=big");
	/* The comma ends the value; what follows is not KEY=VALUE. */
	assert_rejected(run_spec_add_mr(s, "anon,name=a,b", &e), &e,
			"'b': want KEY=VALUE");
	assert_rejected(run_spec_add_mr(s, "anon,name=", &e), &e, "mr name ''");
	assert_rejected(run_spec_add_mr(s, "anon,name=a:b", &e), &e,
			"mr name 'a:b'");
	assert_rejected(run_spec_add_mr(s, "anon,name=a b", &e), &e,
			"no spaces");
	assert_rejected(
		run_spec_add_mr(s, "anon,name=abcdefghijklmnopqrstuvwxyz012345",
				&e),
		&e, "want 1-31 characters");
	/* Nothing failed half-way into the list. */
	assert_int_equal(s->n_mrs, 0);
}

static void mr_name_set_directly(void **state)
{
	struct mrs_err e;
	struct mr_spec m = { .name = "keep" };

	(void)state;
	assert_rejected(mr_spec_set(&m, "name", "a,b", &e), &e,
			"mr name 'a,b'");
	assert_rejected(mr_spec_set(&m, "name", "", &e), &e, "mr name ''");
	assert_rejected(mr_spec_set(&m, "name", "a=b", &e), &e,
			"mr name 'a=b'");
	assert_string_equal(m.name, "keep");
	assert_int_equal(mr_spec_set(&m, "name", "data", &e), 0);
	assert_string_equal(m.name, "data");
}

static void access_words(void **state)
{
	static const struct {
		const char *arg;
		unsigned access;
	} cases[] = {
		{ "anon,access=rw", IBV_ACCESS_LOCAL_WRITE |
					    IBV_ACCESS_REMOTE_WRITE |
					    IBV_ACCESS_REMOTE_READ },
		{ "anon,access=ro", IBV_ACCESS_REMOTE_READ },
		{ "anon,access=odp",
		  IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
			  IBV_ACCESS_REMOTE_READ | IBV_ACCESS_ON_DEMAND },
		{ "anon,access=rw+atomic",
		  IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
			  IBV_ACCESS_REMOTE_READ | IBV_ACCESS_REMOTE_ATOMIC },
		{ "anon,access=ro+mw",
		  IBV_ACCESS_REMOTE_READ | IBV_ACCESS_MW_BIND },
		/* Remote atomics need local write: verbs refuse them without. */
		{ "anon,access=ro+atomic", IBV_ACCESS_REMOTE_READ |
						   IBV_ACCESS_REMOTE_ATOMIC |
						   IBV_ACCESS_LOCAL_WRITE },
		{ "anon,access=ro+local",
		  IBV_ACCESS_REMOTE_READ | IBV_ACCESS_LOCAL_WRITE },
		{ "anon,access=odp+atomic+mw",
		  MR_ACCESS_ODP | IBV_ACCESS_REMOTE_ATOMIC |
			  IBV_ACCESS_MW_BIND },
	};
	struct run_spec *s = *state;
	struct mrs_err e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_spec_init(s);
		if (run_spec_add_mr(s, cases[i].arg, &e))
			fail_msg("%s: %s", cases[i].arg, e.msg);
		if (s->mrs[0].access != cases[i].access)
			fail_msg("%s: access 0x%x, want 0x%x", cases[i].arg,
				 s->mrs[0].access, cases[i].access);
	}
	/* ro really is read-only: no write bit of either kind. */
	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "anon,access=ro", &e), 0);
	assert_int_equal(s->mrs[0].access & (IBV_ACCESS_LOCAL_WRITE |
					     IBV_ACCESS_REMOTE_WRITE),
			 0);
}

static void dma_ops(void **state)
{
	static const struct {
		const char *name;
		enum dma_op op;
	} ops[] = {
		{ "write", DMA_OP_WRITE }, { "read", DMA_OP_READ },
		{ "send", DMA_OP_SEND },   { "atomic", DMA_OP_ATOMIC },
		{ "mixed", DMA_OP_MIXED },
	};
	struct run_spec *s = *state;
	struct mrs_err e;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		assert_int_equal(run_spec_add_dma(s, ops[i].name, &e), 0);
		assert_int_equal(s->dmas[i].op, ops[i].op);
		assert_string_equal(dma_op_name(ops[i].op), ops[i].name);
	}
	assert_int_equal(s->n_dmas, 5);
	/* Defaults. */
	assert_string_equal(s->dmas[0].name, "dma0");
	assert_string_equal(s->dmas[4].name, "dma4");
	assert_string_equal(s->dmas[0].mr, "");
	assert_int_equal(s->dmas[0].block_size, 4096);
	assert_int_equal(s->dmas[0].qd, 8);
	assert_int_equal(s->dmas[0].threads, 1);
	assert_int_equal(s->dmas[0].check_every, 16);
}

static void dma_keys(void **state)
{
	struct run_spec *s = *state;
	struct dma_spec *d = &s->dmas[0];
	struct mrs_err e;

	assert_int_equal(
		run_spec_add_dma(
			s,
			"read,bs=64K,qd=4096,threads=256,check=1,mr=data,name=rd",
			&e),
		0);
	assert_int_equal(d->op, DMA_OP_READ);
	assert_int_equal(d->block_size, 64 * 1024);
	assert_int_equal(d->qd, 4096);
	assert_int_equal(d->threads, 256);
	assert_int_equal(d->check_every, 1);
	assert_string_equal(d->mr, "data");
	assert_string_equal(d->name, "rd");

	/* The smallest block and the largest. */
	assert_int_equal(run_spec_add_dma(s, "write,bs=128,qd=1", &e), 0);
	assert_int_equal(s->dmas[1].block_size, 128);
	assert_int_equal(s->dmas[1].qd, 1);
	assert_int_equal(
		run_spec_add_dma(s, "write,bs=1G,check=1073741824", &e), 0);
	assert_int_equal(s->dmas[2].block_size, 1u << 30);
	assert_int_equal(s->dmas[2].check_every, 1u << 30);
	assert_int_equal(s->n_dmas, 3);
}

static void dma_errors(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_rejected(run_spec_add_dma(s, "scribble", &e), &e,
			"op=scribble: want write, read, send, atomic or mixed");
	assert_rejected(run_spec_add_dma(s, "", &e), &e, "op=");
	assert_rejected(run_spec_add_dma(s, "write,bs=64", &e), &e,
			"bs=64: want a multiple of 64 bytes from 128 up to 1G");
	assert_rejected(run_spec_add_dma(s, "write,bs=200", &e), &e, "bs=200");
	assert_rejected(run_spec_add_dma(s, "write,bs=2G", &e), &e, "bs=2G");
	assert_rejected(run_spec_add_dma(s, "write,bs=4Q", &e), &e, "bs=4Q");
	assert_rejected(run_spec_add_dma(s, "write,qd=0", &e), &e,
			"qd=0: want 1-4096");
	assert_rejected(run_spec_add_dma(s, "write,qd=4097", &e), &e,
			"qd=4097");
	assert_rejected(run_spec_add_dma(s, "write,qd=-1", &e), &e, "qd=-1");
	assert_rejected(run_spec_add_dma(s, "write,qd=8x", &e), &e, "qd=8x");
	assert_rejected(run_spec_add_dma(s, "write,threads=0", &e), &e,
			"threads=0: want 1-256");
	assert_rejected(run_spec_add_dma(s, "write,threads=257", &e), &e,
			"threads=257");
	assert_rejected(run_spec_add_dma(s, "write,check=0", &e), &e,
			"check=0: want a number of operations >= 1");
	assert_rejected(run_spec_add_dma(s, "write,check=1073741825", &e), &e,
			"check=1073741825");
	assert_rejected(run_spec_add_dma(s, "write,depth=4", &e), &e,
			"unknown key 'depth' (dma keys:");
	assert_rejected(run_spec_add_dma(s, "write,mr=", &e), &e, "mr name ''");
	assert_rejected(run_spec_add_dma(s, "write,name=a b", &e), &e,
			"dma name 'a b'");
	assert_int_equal(s->n_dmas, 0);
}

static void stress_truncate(void **state)
{
	struct run_spec *s = *state;
	struct stress_spec *st = &s->stress[0];
	struct mrs_err e;

	assert_int_equal(
		run_spec_add_stress(s, "truncate,to=50%,interval=200ms", &e),
		0);
	assert_int_equal(s->n_stress, 1);
	assert_non_null(st->s);
	assert_string_equal(st->s->name, "truncate");
	assert_string_equal(st->name, "truncate");
	assert_int_equal(st->n_opts, 1);
	assert_string_equal(st->opts[0].key, "to");
	assert_string_equal(st->opts[0].val, "50%");
	assert_near(st->interval, 0.2);

	/* Defaults: 100ms, no options, the first MR. */
	assert_int_equal(run_spec_add_stress(s, "truncate,name=t2", &e), 0);
	assert_string_equal(s->stress[1].name, "t2");
	assert_int_equal(s->stress[1].n_opts, 0);
	assert_near(s->stress[1].interval, 0.1);
	assert_string_equal(s->stress[1].mr, "");
}

static void stress_errors(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_rejected(run_spec_add_stress(s, "earthquake", &e), &e,
			"unknown stressor 'earthquake'");
	assert_rejected(run_spec_add_stress(s, "truncate,depth=3", &e), &e,
			"unknown key 'depth' for stressor truncate");
	assert_rejected(run_spec_add_stress(s, "truncate,interval=soon", &e),
			&e, "interval=soon: want a duration");
	assert_rejected(run_spec_add_stress(s, "truncate,interval=2h", &e), &e,
			"interval=2h");
	assert_rejected(run_spec_add_stress(s, "truncate,interval=-1s", &e), &e,
			"interval=-1s");
	assert_rejected(run_spec_add_stress(s, "truncate,to", &e), &e,
			"'to': want KEY=VALUE");
	assert_int_equal(s->n_stress, 0);
}

static void stress_to_checked_at_finish(void **state)
{
	/* Above the MR is for mode=extend: only the MR's own size is wrong. */
	static const char *const bad[] = { "to=100%", "to=8M", "to=1001%",
					   "to=half" };
	struct run_spec *s = *state;
	struct mrs_err e;

	/* Taken as given, judged against the MR's size by run_spec_finish. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char arg[64];

		run_spec_init(s);
		assert_int_equal(run_spec_add_mr(s, "file:ext4:8M", &e), 0);
		snprintf(arg, sizeof(arg), "truncate,%s", bad[i]);
		assert_int_equal(run_spec_add_stress(s, arg, &e), 0);
		assert_rejected(run_spec_finish(s, NULL, &e), &e, bad[i]);
		assert_non_null(strstr(e.msg, "want a size below the MR's"));
	}

	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "file:ext4:8M", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate,to=4M", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate,to=0", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate,to=99%", &e), 0);
	assert_int_equal(
		run_spec_add_stress(s, "truncate,mode=extend,to=150%", &e), 0);
	assert_int_equal(run_spec_finish(s, NULL, &e), 0);
	assert_string_equal(s->stress[0].mr, "mr0");
}

static void stress_mr_must_exist(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "file:ext4:8M,name=f", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate,mr=g", &e), 0);
	assert_rejected(run_spec_finish(s, NULL, &e), &e,
			"stress truncate: no mr named 'g'");
}

static void expect_classes(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_expect(s, "detached,policy-refused", &e),
			 0);
	/* Each class becomes "CLASS = may always". */
	assert_int_equal(s->expects.n, 2);
	assert_int_equal(s->expects.v[0].cls, FC_DETACHED);
	assert_int_equal(s->expects.v[1].cls, FC_POLICY_REFUSED);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(s->expects.v[i].need, EXPECT_MAY);
		assert_int_equal(s->expects.v[i].n_terms, 0);
		assert_int_equal(s->expects.v[i].line, 0);
	}
	/* Repeatable: the lists add up. */
	assert_int_equal(run_spec_add_expect(s, "torn", &e), 0);
	assert_int_equal(s->expects.n, 3);
	assert_int_equal(s->expects.v[2].cls, FC_TORN);
	assert_rejected(run_spec_add_expect(s, "detached,melted", &e), &e,
			"unknown finding class 'melted'");
	assert_rejected(run_spec_add_expect(s, "Detached", &e), &e,
			"unknown finding class 'Detached'");
}

static void finish_needs_an_mr(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_dma(s, "write", &e), 0);
	assert_rejected(run_spec_finish(s, NULL, &e), &e,
			"nothing to register: give --mr");
}

static void finish_adds_a_write(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "anon:64K,name=data", &e), 0);
	assert_int_equal(run_spec_finish(s, NULL, &e), 0);
	assert_int_equal(s->n_dmas, 1);
	assert_int_equal(s->dmas[0].op, DMA_OP_WRITE);
	assert_string_equal(s->dmas[0].mr, "data");
	assert_int_equal(s->dmas[0].block_size, 4096);
	/* A write does not need atomics. */
	assert_int_equal(s->mrs[0].access, MR_ACCESS_RW);
}

static void finish_keeps_given_dma(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "anon:64K", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "memfd:64K,name=b", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "read,mr=b", &e), 0);
	assert_int_equal(run_spec_finish(s, NULL, &e), 0);
	assert_int_equal(s->n_dmas, 1);
	assert_int_equal(s->dmas[0].op, DMA_OP_READ);
	assert_string_equal(s->dmas[0].mr, "b");
}

static void finish_dma_mr_must_exist(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "anon", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "write,mr=nope", &e), 0);
	assert_rejected(run_spec_finish(s, NULL, &e), &e,
			"dma dma0: no mr named 'nope'");
}

static void finish_bs_divides_mr(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "anon:12K", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "write,bs=8K", &e), 0);
	assert_rejected(
		run_spec_finish(s, NULL, &e), &e,
		"dma dma0: bs 8192 does not divide the size of mr mr0 (12288)");

	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "anon:8M", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "write,bs=192", &e), 0);
	assert_rejected(run_spec_finish(s, NULL, &e), &e, "does not divide");

	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "anon:12K", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "write,bs=3K", &e), 0);
	assert_int_equal(run_spec_finish(s, NULL, &e), 0);
}

static void finish_one_bs_per_mr(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "anon:1M", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "anon:1M", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "write,bs=4K", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "read,bs=4K", &e), 0);
	/* Another MR may have its own block size. */
	assert_int_equal(run_spec_add_dma(s, "write,bs=8K,mr=mr1", &e), 0);
	assert_int_equal(run_spec_finish(s, NULL, &e), 0);

	assert_int_equal(run_spec_add_dma(s, "read,bs=64K,mr=mr0,name=big", &e),
			 0);
	assert_rejected(run_spec_finish(s, NULL, &e), &e,
			"dma big: mr mr0 is already written in blocks of 4096");
}

static void finish_atomic_access(void **state)
{
	const unsigned atomic = IBV_ACCESS_REMOTE_ATOMIC;
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "anon:1M", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "anon:1M,access=ro", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "anon:1M", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "atomic", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "mixed,mr=mr1", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "send,mr=mr2", &e), 0);
	assert_int_equal(run_spec_finish(s, NULL, &e), 0);
	assert_int_equal(s->mrs[0].access, MR_ACCESS_RW | atomic);
	assert_int_equal(s->mrs[1].access, IBV_ACCESS_REMOTE_READ | atomic |
						   IBV_ACCESS_LOCAL_WRITE);
	assert_int_equal(s->mrs[2].access & atomic, 0);
}

static void finish_duplicate_names(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "anon,name=x", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "memfd,name=x", &e), 0);
	assert_rejected(run_spec_finish(s, NULL, &e), &e, "two MRs named 'x'");

	/* A given name may clash with a default one. */
	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "anon,name=mr1", &e), 0);
	assert_int_equal(run_spec_add_mr(s, "anon", &e), 0);
	assert_rejected(run_spec_finish(s, NULL, &e), &e,
			"two MRs named 'mr1'");
}

static void limits(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	for (unsigned i = 0; i < RUN_MAX_MRS; i++)
		assert_int_equal(run_spec_add_mr(s, "anon:64K", &e), 0);
	assert_rejected(run_spec_add_mr(s, "anon:64K", &e), &e,
			"at most 32 MRs");
	for (unsigned i = 0; i < RUN_MAX_DMAS; i++)
		assert_int_equal(run_spec_add_dma(s, "write", &e), 0);
	assert_rejected(run_spec_add_dma(s, "write", &e), &e,
			"at most 8 DMA sections");
	assert_int_equal(s->n_mrs, RUN_MAX_MRS);
	assert_int_equal(s->n_dmas, RUN_MAX_DMAS);
}

static void mr_file_keys(void **state)
{
	struct mrs_err e;
	struct mr_spec m = { 0 };

	(void)state;
	assert_int_equal(mr_spec_set(&m, "backing", "file", &e), 0);
	assert_string_equal(m.backing->name, "file");
	assert_int_equal(mr_spec_set(&m, "fs", "xfs", &e), 0);
	assert_string_equal(m.where, "xfs");
	assert_int_equal(mr_spec_set(&m, "dir", "/mnt/x", &e), 0);
	assert_string_equal(m.where, "/mnt/x");
	assert_rejected(mr_spec_set(&m, "backing", "floppy", &e), &e,
			"backing=floppy: unknown backing");
	assert_rejected(mr_spec_set(&m, "fs", "/mnt/x", &e), &e,
			"fs=/mnt/x: want a filesystem name");
	assert_rejected(mr_spec_set(&m, "dir", "x", &e), &e,
			"dir=x: want a path with a '/'");
	assert_rejected(mr_spec_set(&m, "fs", "", &e), &e, "fs=: want");
}

static void access_format_reads_back(void **state)
{
	static const char *const words[] = {
		"rw",	 "ro",		"odp",	    "rw+atomic",
		"ro+mw", "ro+atomic",	"ro+local", "odp+atomic+mw",
		"local", "rw+ondemand", "mw",	    "ro+ondemand+mw",
	};
	struct run_spec *s = *state;
	struct mrs_err e;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char arg[96], name[64];
		unsigned access;

		run_spec_init(s);
		snprintf(arg, sizeof(arg), "anon,access=%s", words[i]);
		assert_int_equal(run_spec_add_mr(s, arg, &e), 0);
		access = s->mrs[0].access;
		mr_access_format(access, name, sizeof(name));
		snprintf(arg, sizeof(arg), "anon,access=%s", name);
		run_spec_init(s);
		if (run_spec_add_mr(s, arg, &e) || s->mrs[0].access != access)
			fail_msg("%s -> %s does not read back", words[i], name);
	}
	/* The sets come out as their own words. */
	{
		char name[64];

		assert_string_equal(
			mr_access_format(MR_ACCESS_RW |
						 IBV_ACCESS_REMOTE_ATOMIC,
					 name, sizeof(name)),
			"rw+atomic");
		assert_string_equal(mr_access_format(MR_ACCESS_ODP, name,
						     sizeof(name)),
				    "odp");
	}
}

static void scenario_keys(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_set(s, "name", "a name", &e), 0);
	assert_string_equal(s->name, "a name");
	assert_int_equal(run_spec_set(s, "description", "what it does", &e), 0);
	assert_int_equal(run_spec_set(s, "duration", "2m", &e), 0);
	assert_near(s->duration, 120);
	assert_int_equal(run_spec_set(s, "seed", "0x10", &e), 0);
	assert_true(s->seed_given);
	assert_int_equal(s->seed, 16);
	assert_int_equal(run_spec_set(s, "slowdown", "0.5", &e), 0);
	assert_near(s->slowdown, 0.5);
	assert_rejected(run_spec_set(s, "slowdown", "0", &e), &e,
			"slowdown=0: want a number from 0.001");
	assert_rejected(run_spec_set(s, "slowdown", "-2", &e), &e,
			"slowdown=-2");
	assert_rejected(run_spec_set(s, "slowdown", "inf", &e), &e,
			"slowdown=inf");
	assert_rejected(run_spec_set(s, "slowdown", "1001", &e), &e,
			"slowdown=1001");
	assert_rejected(run_spec_set(s, "slowdown", "2x", &e), &e,
			"slowdown=2x");
	assert_near(s->hang_timeout, 10);
	assert_int_equal(run_spec_set(s, "hang_timeout", "3s", &e), 0);
	assert_near(s->hang_timeout, 3);
	assert_rejected(run_spec_set(s, "hang_timeout", "500ms", &e), &e,
			"hang_timeout=500ms: want a time from 1s to 1h");
	assert_rejected(run_spec_set(s, "hang_timeout", "2h", &e), &e,
			"hang_timeout=2h");
	assert_rejected(run_spec_set(s, "hang_timeout", "", &e), &e,
			"hang_timeout=");
	assert_near(s->hang_timeout, 3);
	assert_rejected(run_spec_set(s, "duration", "0", &e), &e,
			"duration=0: want a time");
	assert_rejected(run_spec_set(s, "seed", "x", &e), &e, "seed=x");
	assert_rejected(run_spec_set(s, "name", "tab\there", &e), &e,
			"name: want printable text");
	assert_rejected(run_spec_set(s, "colour", "red", &e), &e,
			"unknown key 'colour' (scenario keys:");
	/* A failed key leaves what was there. */
	assert_near(s->slowdown, 0.5);
}

static void choose_seed_once(void **state)
{
	struct run_spec *s = *state;
	uint64_t seed;

	assert_false(s->seed_given);
	run_spec_choose_seed(s);
	assert_true(s->seed_given);
	assert_true(s->seed <= INT64_MAX);
	seed = s->seed;
	run_spec_choose_seed(s);
	assert_true(s->seed == seed);
}

/* run_spec_finish fails and *w names part, index and key. */
static void assert_fault_at(struct run_spec *s, enum spec_part part,
			    unsigned index, const char *key, const char *want)
{
	struct spec_where w;
	struct mrs_err e;

	assert_rejected(run_spec_finish(s, &w, &e), &e, want);
	assert_int_equal(w.part, part);
	assert_int_equal(w.index, index);
	assert_string_equal(w.key, key);
}

static void finish_says_where(void **state)
{
	struct run_spec *s = *state;
	struct mrs_err e;

	assert_int_equal(run_spec_add_mr(s, "anon:12K", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "write", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "write,bs=8K", &e), 0);
	assert_fault_at(s, PART_DMA, 1, "bs", "does not divide");

	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "file:tmpfs:8M", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate,to=1G", &e), 0);
	assert_fault_at(s, PART_STRESS, 1, "to", "to=1G");

	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "anon", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate,mr=x", &e), 0);
	assert_fault_at(s, PART_STRESS, 0, "mr", "no mr named 'x'");

	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "anon", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "write,name=d", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "read,name=d", &e), 0);
	assert_fault_at(s, PART_DMA, 1, "", "two DMA sections named 'd'");

	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "anon", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate,name=t", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate,name=t", &e), 0);
	assert_fault_at(s, PART_STRESS, 1, "", "two stressors named 't'");

	/* An MR without a place, or with one it cannot use. */
	run_spec_init(s);
	assert_int_equal(run_spec_add_mr(s, "anon", &e), 0);
	assert_int_equal(mr_spec_set(&s->mrs[0], "backing", "file", &e), 0);
	assert_fault_at(s, PART_MR, 0, "backing", "needs fs = NAME");
	assert_int_equal(mr_spec_set(&s->mrs[0], "backing", "memfd", &e), 0);
	assert_int_equal(mr_spec_set(&s->mrs[0], "fs", "ext4", &e), 0);
	assert_fault_at(s, PART_MR, 0, "fs", "backing memfd is not a file");
	assert_int_equal(mr_spec_set(&s->mrs[0], "dir", "/x", &e), 0);
	assert_fault_at(s, PART_MR, 0, "dir", "is not a file");
	s->mrs[0].backing = NULL;
	assert_fault_at(s, PART_MR, 0, "", "no backing");
}

static void finish_is_idempotent(void **state)
{
	struct run_spec *s = *state, *t = malloc(sizeof(*t));
	struct mrs_err e;

	assert_non_null(t);
	assert_int_equal(run_spec_add_mr(s, "anon:1M", &e), 0);
	assert_int_equal(run_spec_add_dma(s, "atomic", &e), 0);
	assert_int_equal(run_spec_add_stress(s, "truncate", &e), 0);
	assert_int_equal(run_spec_finish(s, NULL, &e), 0);
	*t = *s;
	assert_int_equal(run_spec_finish(s, NULL, &e), 0);
	assert_memory_equal(s, t, sizeof(*s));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(mr_heads, setup, teardown),
		cmocka_unit_test_setup_teardown(mr_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(mr_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(mr_errors, setup, teardown),
		cmocka_unit_test(mr_name_set_directly),
		cmocka_unit_test_setup_teardown(access_words, setup, teardown),
		cmocka_unit_test_setup_teardown(dma_ops, setup, teardown),
		cmocka_unit_test_setup_teardown(dma_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(dma_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(stress_truncate, setup,
						teardown),
		cmocka_unit_test_setup_teardown(stress_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(stress_to_checked_at_finish,
						setup, teardown),
		cmocka_unit_test_setup_teardown(stress_mr_must_exist, setup,
						teardown),
		cmocka_unit_test_setup_teardown(expect_classes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(finish_needs_an_mr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(finish_adds_a_write, setup,
						teardown),
		cmocka_unit_test_setup_teardown(finish_keeps_given_dma, setup,
						teardown),
		cmocka_unit_test_setup_teardown(finish_dma_mr_must_exist, setup,
						teardown),
		cmocka_unit_test_setup_teardown(finish_bs_divides_mr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(finish_one_bs_per_mr, setup,
						teardown),
		cmocka_unit_test_setup_teardown(finish_atomic_access, setup,
						teardown),
		cmocka_unit_test_setup_teardown(finish_duplicate_names, setup,
						teardown),
		cmocka_unit_test_setup_teardown(limits, setup, teardown),
		cmocka_unit_test(mr_file_keys),
		cmocka_unit_test_setup_teardown(access_format_reads_back, setup,
						teardown),
		cmocka_unit_test_setup_teardown(scenario_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(choose_seed_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(finish_says_where, setup,
						teardown),
		cmocka_unit_test_setup_teardown(finish_is_idempotent, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("run_spec", tests, NULL, NULL);
}
