// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "kmsg_parse.h"
#include "taint.h"

static void parse_fixture(const char *name, struct kmsg_report_list *l)
{
	size_t len;
	char *buf = fixture_read("kmsg", name, &len);

	kmsg_report_list_init(l);
	assert_int_equal(kmsg_parse_buffer(buf, len, l), 0);
	free(buf);
}

struct expect {
	const char *file;
	enum finding_class cls;
	const char *title, *frame;
};

static const struct expect fixtures[] = {
	{ "hung-task-6.1.kmsg", FC_HUNG_TASK,
	  "INFO: task hung in mnt_want_write", "mnt_want_write" },
	{ "warning-6.1.kmsg", FC_KERNEL_WARNING, "WARNING in provoke_warn",
	  "provoke_warn" },
	/* provoke_refcount matches syzkaller's "refcount" skip: its caller. */
	{ "refcount-6.1.kmsg", FC_KERNEL_WARNING,
	  "WARNING: refcount bug in provoke_init", "provoke_init" },
	{ "sched-atomic-6.1.kmsg", FC_KERNEL_BUG,
	  "BUG: scheduling while atomic in provoke_atomic", "provoke_atomic" },
	{ "rcu-stall-6.1.kmsg", FC_RCU_STALL,
	  "INFO: rcu detected stall in finit_module", "finit_module" },
	{ "soft-lockup-6.1.kmsg", FC_SOFT_LOCKUP,
	  "BUG: soft lockup in finit_module", "finit_module" },
	{ "list-corruption-6.1.kmsg", FC_KERNEL_BUG,
	  "BUG: corrupted list in provoke_list", "provoke_list" },
	{ "kernel-bug-6.1.kmsg", FC_KERNEL_BUG, "kernel BUG in provoke_bug",
	  "provoke_bug" },
	{ "null-deref-6.1.kmsg", FC_KERNEL_OOPS,
	  "BUG: unable to handle kernel NULL pointer dereference in provoke_null",
	  "provoke_null" },
	{ "gpf-6.1.kmsg", FC_KERNEL_OOPS,
	  "general protection fault in provoke_gpf", "provoke_gpf" },
	{ "hung-task-6.12.kmsg", FC_HUNG_TASK,
	  "INFO: task hung in mnt_want_write", "mnt_want_write" },
	{ "ext4-error-6.12.kmsg", FC_KERNEL_BUG, "EXT4-fs error in ext4_lookup",
	  "ext4_lookup" },
	{ "kasan-public.txt", FC_KASAN,
	  "KASAN: slab-use-after-free Read in xchk_btree_check_block_owner",
	  "xchk_btree_check_block_owner" },
	/* The page allocator's free path is skipped: its caller. */
	{ "bad-page-6.1.kmsg", FC_KERNEL_BUG,
	  "BUG: Bad page state in provoke_init", "provoke_init" },
	{ "bad-page-6.12.kmsg", FC_KERNEL_BUG,
	  "BUG: Bad page state in provoke_init", "provoke_init" },
	/* KFENCE names the function in its header, with the access. */
	{ "kfence-uaf-6.12.kmsg", FC_KASAN,
	  "KFENCE: use-after-free read in provoke_kfence", "provoke_kfence" },
	{ "kfence-oob-7.3.kmsg", FC_KASAN,
	  "KFENCE: out-of-bounds read in provoke_kfence", "provoke_kfence" },
	/* UBSAN: the first frame under the __ubsan_handle_* helpers. */
	{ "ubsan-bounds-7.3.kmsg", FC_KERNEL_WARNING,
	  "UBSAN: array-index-out-of-bounds in provoke_ubsan_bounds",
	  "provoke_ubsan_bounds" },
	{ "ubsan-shift-7.3.kmsg", FC_KERNEL_WARNING,
	  "UBSAN: shift-out-of-bounds in provoke_ubsan_shift",
	  "provoke_ubsan_shift" },
	/* The "at:" line with an offset, not the [inline] one before it. */
	{ "lockdep-public.txt", FC_LOCKDEP, "possible deadlock in move_pages",
	  "move_pages" },
};

static void each_fixture_classified(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const struct expect *e = &fixtures[i];
		struct kmsg_report_list l;

		parse_fixture(e->file, &l);
		print_message("%s\n", e->file);
		assert_true(l.n >= 1);
		assert_string_equal(l.v[0]->title, e->title);
		assert_int_equal(l.v[0]->cls, e->cls);
		assert_string_equal(l.v[0]->frame, e->frame);
		assert_int_equal(l.v[0]->count, 1);
		kmsg_report_list_free(&l);
	}
}

/* One WARNING is one report from "cut here" to its end marker. */
static void warning_grouped(void **state)
{
	struct kmsg_report_list l;
	const struct kmsg_report *r;

	(void)state;
	parse_fixture("warning-6.1.kmsg", &l);
	assert_int_equal(l.n, 1);
	r = l.v[0];
	assert_true(r->has_ts);
	assert_int_equal(r->ts_usec, 80731323);
	assert_false(r->truncated);
	assert_true(strncmp(r->text, "------------[ cut here ]", 24) == 0);
	assert_non_null(strstr(r->text, "\nRIP: 0010:provoke_warn+0x5/0xc"));
	assert_non_null(strstr(r->text, "\nCall Trace:\n"));
	assert_non_null(strstr(r->text, "\n---[ end trace"));
	kmsg_report_list_free(&l);
}

/* An oops's "BUG:", "#PF:", "Oops:" lines are one report, not three. */
static void oops_grouped(void **state)
{
	struct kmsg_report_list l;

	(void)state;
	parse_fixture("null-deref-6.1.kmsg", &l);
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(l.v[0]->text, "\nOops: "));
	kmsg_report_list_free(&l);
	/* list_add corruption, cut here, kernel BUG at, invalid opcode */
	parse_fixture("list-corruption-6.1.kmsg", &l);
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(l.v[0]->text, "kernel BUG at lib/list_debug.c"));
	kmsg_report_list_free(&l);
}

/*
 * A KFENCE report is one report from its header to the closing "====":
 * its "allocated by"/"freed by" stacks included, the module's own
 * printk after it not. A UBSAN report ends at its end-trace marker.
 */
static void kfence_ubsan_grouped(void **state)
{
	struct kmsg_report_list l;

	(void)state;
	parse_fixture("kfence-uaf-6.12.kmsg", &l);
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(l.v[0]->text, "\nfreed by task 198"));
	assert_non_null(strstr(l.v[0]->text, "\nCPU: 1 UID: 0 PID: 198"));
	assert_null(strstr(l.v[0]->text, "provoke: read after free"));
	assert_int_equal(l.v[0]->seq, 413);
	kmsg_report_list_free(&l);
	parse_fixture("ubsan-bounds-7.3.kmsg", &l);
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(l.v[0]->text, "index 4 is out of range"));
	assert_non_null(strstr(l.v[0]->text, "\n---[ end trace ]---"));
	kmsg_report_list_free(&l);
}

/* A hung task report holds its stack; the sysrq dump is context only. */
static void hang_and_sysrq(void **state)
{
	struct kmsg_report_list l;

	(void)state;
	parse_fixture("hung-task-6.1.kmsg", &l);
	assert_int_equal(l.n, 1);
	assert_non_null(strstr(l.v[0]->text, "percpu_rwsem_wait"));
	assert_non_null(strstr(l.v[0]->text, "</TASK>"));
	kmsg_report_list_free(&l);
	parse_fixture("sysrq-w-6.1.kmsg", &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0]->cls, FC_COUNT);
	assert_string_equal(l.v[0]->title, "sysrq: Show Blocked State");
	assert_non_null(strstr(l.v[0]->text, "task:dd"));
	kmsg_report_list_free(&l);
}

/* The whole console log of the 6.1 run, in dmesg text form. */
static void console_log_dedup(void **state)
{
	struct kmsg_report_list l;
	const struct kmsg_report *r;

	(void)state;
	parse_fixture("console-6.1.dmesg", &l);
	r = kmsg_report_list_find(&l, "INFO: task hung in mnt_want_write");
	assert_non_null(r);
	assert_int_equal(r->count, 2); /* after 5 s and after 10 s */
	r = kmsg_report_list_find(&l, "BUG: soft lockup in finit_module");
	assert_non_null(r);
	assert_true(r->count > 2);
	assert_non_null(kmsg_report_list_find(
		&l, "general protection fault in provoke_gpf"));
	assert_non_null(kmsg_report_list_find(&l, "WARNING in provoke_warn"));
	assert_int_equal(l.dropped, 0);
	kmsg_report_list_free(&l);
}

static void feed_twice_counts(void **state)
{
	struct kmsg_report_list l;
	struct kmsg_parser *p = malloc(sizeof(*p));
	size_t len;
	char *buf = fixture_read("kmsg", "gpf-6.1.kmsg", &len);

	(void)state;
	kmsg_report_list_init(&l);
	kmsg_parser_init(p, &l);
	kmsg_parser_feed(p, buf, len);
	kmsg_parser_feed(p, buf, len);
	kmsg_parser_finish(p);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0]->count, 2);
	free(buf);
	free(p);
	kmsg_report_list_free(&l);
}

/* Records split across reads anywhere give the same reports. */
static void byte_by_byte(void **state)
{
	static const char *const files[] = { "warning-6.1.kmsg",
					     "console-6.1.dmesg" };

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		struct kmsg_report_list whole, bytes;
		struct kmsg_parser *p = malloc(sizeof(*p));
		size_t len;
		char *buf = fixture_read("kmsg", files[f], &len);

		kmsg_report_list_init(&whole);
		kmsg_parse_buffer(buf, len, &whole);
		kmsg_report_list_init(&bytes);
		kmsg_parser_init(p, &bytes);
		for (size_t i = 0; i < len; i++)
			kmsg_parser_feed(p, buf + i, 1);
		kmsg_parser_finish(p);
		assert_int_equal(whole.n, bytes.n);
		for (size_t i = 0; i < whole.n; i++) {
			assert_string_equal(whole.v[i]->title,
					    bytes.v[i]->title);
			assert_int_equal(whole.v[i]->count, bytes.v[i]->count);
			assert_string_equal(whole.v[i]->text, bytes.v[i]->text);
		}
		free(buf);
		free(p);
		kmsg_report_list_free(&whole);
		kmsg_report_list_free(&bytes);
	}
}

/* Every prefix parses; once the header is in, the class is known. */
static void truncated_reports(void **state)
{
	size_t len, hdr;
	char *buf = fixture_read("kmsg", "warning-6.1.kmsg", &len);

	(void)state;
	hdr = (size_t)(strstr(buf, "WARNING: CPU") - buf);
	for (size_t cut = 0; cut <= len; cut += 7) {
		struct kmsg_report_list l;

		kmsg_report_list_init(&l);
		kmsg_parse_buffer(buf, cut, &l);
		if (cut > hdr + 120) {
			assert_int_equal(l.n, 1);
			assert_int_equal(l.v[0]->cls, FC_KERNEL_WARNING);
			assert_string_equal(l.v[0]->title,
					    "WARNING in provoke_warn");
		}
		kmsg_report_list_free(&l);
	}
	free(buf);
}

static void parse_string(const char *s, struct kmsg_report_list *l)
{
	kmsg_report_list_init(l);
	kmsg_parse_buffer(s, strlen(s), l);
}

static void garbled_input(void **state)
{
	struct kmsg_report_list l;
	char bin[4096];
	unsigned x = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(bin); i++) {
		x = x * 1103515245 + 12345;
		bin[i] = (char)(x >> 16);
	}
	kmsg_report_list_init(&l);
	kmsg_parse_buffer(bin, sizeof(bin), &l);
	kmsg_report_list_free(&l);
	/* Broken record headers, stray dictionary lines, a lone header. */
	parse_string("4,1,x;WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2\n"
		     " SUBSYSTEM=pci\n\n;;;\n4,\n[ 1.2] \n[\n<4>[\n",
		     &l);
	kmsg_report_list_free(&l);
	parse_string("4,9,1,-;BUG: KASAN: \n4,10,2,-;BUG: KASAN: x in \n", &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0]->cls, FC_KASAN);
	kmsg_report_list_free(&l);
}

/* /dev/kmsg: escapes, dictionary lines, other facilities. */
static void kmsg_records(void **state)
{
	struct kmsg_report_list l;

	(void)state;
	parse_string(
		"12,5,10,-;WARNING: CPU: 0 PID: 1 at u.c:1 user_fn+0x1/0x2\n"
		"3,6,20,-;EXT4-fs error (device vda): ext4_lookup:1855: inode #2: comm cat: deleted inode referenced: 12\n"
		" SUBSYSTEM=block\n"
		" DEVICE=b254:0\n"
		"4,7,30,c;XFS (vdb): Metadata corruption detected at xfs_dinode_verify+0xa0/0x740 [xfs], inode 0x83\\x0aCall Trace:\n",
		&l);
	assert_int_equal(l.n, 2); /* facility 1 (user) is not the kernel */
	assert_string_equal(l.v[0]->title, "EXT4-fs error in ext4_lookup");
	assert_int_equal(l.v[0]->cls, FC_KERNEL_BUG);
	assert_int_equal(l.v[0]->seq, 6);
	assert_null(strstr(l.v[0]->text, "SUBSYSTEM"));
	assert_string_equal(l.v[1]->title, "XFS error in xfs_dinode_verify");
	assert_non_null(strstr(l.v[1]->text, "inode 0x83\nCall Trace:\n"));
	kmsg_report_list_free(&l);
}

/* Console text: user output between kernel lines is not kernel text. */
static void console_user_lines(void **state)
{
	struct kmsg_report_list l;

	(void)state;
	parse_string(
		"[    1.000000] booted\n"
		"WARNING: CPU: 0 PID: 1 at u.c:1 user_fn+0x1/0x2\n"
		"[    2.500000] BTRFS critical (device vdc): corrupt leaf: root=2 block=30408704 slot=0\n"
		"[    2.600000] EXT4-fs warning (device vda): ext4_dirty_folio:3: page without buffers\n",
		&l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0]->title, "BTRFS critical: corrupt leaf");
	assert_int_equal(l.v[0]->ts_usec, 2500000);
	assert_string_equal(l.v[1]->title,
			    "EXT4-fs warning in ext4_dirty_folio");
	assert_int_equal(l.v[1]->cls, FC_KERNEL_WARNING);
	kmsg_report_list_free(&l);
}

/* Memory is bounded: long lines, endless reports, many titles. */
static void bounded(void **state)
{
	struct kmsg_report_list l;
	struct kmsg_parser *p = malloc(sizeof(*p));
	char line[64];

	(void)state;
	kmsg_report_list_init(&l);
	kmsg_parser_init(p, &l);
	kmsg_parser_feed(p, "WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2\n", 42);
	kmsg_parser_feed(p, "CPU: 0 PID: 1\nCall Trace:\n", 26);
	for (int i = 0; i < 3000; i++)
		kmsg_parser_feed(p, " g+0x1/0x2\n", 11);
	for (int i = 0; i < 10000; i++)
		kmsg_parser_feed(p, "xxxxxxxxxx", 10);
	kmsg_parser_feed(p, "\n", 1);
	for (int i = 0; i < KMSG_REPORTS_MAX + 10; i++) {
		int n = snprintf(line, sizeof(line),
				 "EXT4-fs error (device a): f%d:1: x\n", i);

		kmsg_parser_feed(p, line, (size_t)n);
	}
	kmsg_parser_finish(p);
	assert_int_equal(l.n, KMSG_REPORTS_MAX);
	assert_int_equal(l.dropped, 11); /* the WARNING took a place */
	assert_string_equal(l.v[0]->title, "WARNING in f");
	assert_true(l.v[0]->truncated);
	assert_true(l.v[0]->text_len < KMSG_TEXT_LEN);
	free(p);
	kmsg_report_list_free(&l);
}

static void frames(void **state)
{
	char fn[KMSG_FRAME_LEN];

	(void)state;
	assert_true(kmsg_frame_parse(" ext4_writepages+0x1/0x2 [ext4]", fn,
				     sizeof(fn)));
	assert_string_equal(fn, "ext4_writepages");
	assert_true(
		kmsg_frame_parse(" __x64_sys_write+0x1/0x2", fn, sizeof(fn)));
	assert_string_equal(fn, "write");
	assert_true(kmsg_frame_parse(" f.isra.0+0x1/0x2", fn, sizeof(fn)));
	assert_string_equal(fn, "f");
	assert_true(kmsg_frame_parse(" vfs_ioctl fs/ioctl.c:51 [inline]", fn,
				     sizeof(fn)));
	assert_string_equal(fn, "vfs_ioctl");
	assert_true(kmsg_frame_parse(" [<ffffffff81000000>] g+0x1/0x2", fn,
				     sizeof(fn)));
	assert_string_equal(fn, "g");
	assert_false(
		kmsg_frame_parse(" ? rcu_core+0x1f2/0x4d0", fn, sizeof(fn)));
	assert_false(kmsg_frame_parse("Call Trace:", fn, sizeof(fn)));
	assert_true(kmsg_frame_is_generic("__schedule"));
	assert_true(kmsg_frame_is_generic("mutex_lock"));
	assert_true(kmsg_frame_is_generic("dump_stack_lvl"));
	assert_false(kmsg_frame_is_generic("ext4_dirty_folio"));
	assert_false(kmsg_frame_is_generic("scheduler_tick_x") &&
		     kmsg_frame_is_generic("ext4_writepages"));
}

/* Whole and in pieces, as tests/fuzz/kmsg_fuzz feeds it. */
static void parse_both_ways(const char *buf, size_t len)
{
	struct kmsg_report_list whole, pieces;
	struct kmsg_parser *p = malloc(sizeof(*p));
	size_t step = len ? (unsigned char)buf[0] % 17 + 1 : 1;

	assert_non_null(p);
	kmsg_report_list_init(&whole);
	assert_int_equal(kmsg_parse_buffer(buf, len, &whole), 0);
	kmsg_report_list_init(&pieces);
	kmsg_parser_init(p, &pieces);
	for (size_t i = 0; i < len; i += step)
		kmsg_parser_feed(p, buf + i, len - i < step ? len - i : step);
	kmsg_parser_finish(p);
	assert_int_equal(whole.n, pieces.n);
	assert_int_equal(whole.dropped, pieces.dropped);
	for (size_t i = 0; i < whole.n; i++) {
		assert_string_equal(whole.v[i]->title, pieces.v[i]->title);
		assert_int_equal(whole.v[i]->count, pieces.v[i]->count);
		assert_int_equal(whole.v[i]->text_len,
				 strlen(whole.v[i]->text));
	}
	free(p);
	kmsg_report_list_free(&whole);
	kmsg_report_list_free(&pieces);
}

/*
 * Inputs that once crashed the parser under the fuzzer (fixtures/fuzz/kmsg,
 * README there): under the unit tests' build they must parse the same
 * whole and in pieces; under ASan (the fuzz build) they show any regression.
 */
static void fuzz_regressions(void **state)
{
	const char *src = getenv("MRSTRESS_SRCDIR");
	char dir[1024], name[1200];
	struct dirent *d;
	size_t n = 0;
	DIR *dp;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/fixtures/fuzz/kmsg",
		 src ? src : ".");
	dp = opendir(dir);
	assert_non_null(dp);
	while ((d = readdir(dp))) {
		size_t len;
		char *buf;

		if (d->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "kmsg/%s", d->d_name);
		buf = fixture_read("fuzz", name, &len);
		print_message("%s\n", name);
		parse_both_ways(buf, len);
		free(buf);
		n++;
	}
	closedir(dp);
	assert_true(n >= 1);
}

static void taint(void **state)
{
	char buf[TAINT_LETTERS_LEN];
	uint64_t m = 1;

	(void)state;
	taint_letters(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	taint_letters(1u << 9 | 1u << 12 | 1u << 13, buf, sizeof(buf));
	assert_string_equal(buf, "WOE");
	taint_letters((1u << TAINT_BITS) - 1, buf, sizeof(buf));
	assert_string_equal(buf, "PFSRMBUDAWCIOELKXTN");
	taint_letters(UINT64_MAX, buf, 4);
	assert_string_equal(buf, "PFS");
	assert_int_equal(taint_letter(7), 'D');
	assert_int_equal(taint_letter(40), '?');
	assert_int_equal(taint_parse("29312\n", &m), 0);
	assert_int_equal(m, 29312); /* the 6.1 run: W O E L, D */
	taint_letters(m, buf, sizeof(buf));
	assert_string_equal(buf, "DWOEL");
	assert_int_equal(taint_parse("", &m), -EINVAL);
	assert_int_equal(taint_parse("12x", &m), -EINVAL);
	assert_int_equal(taint_parse("99999999999999999999999", &m), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_fixture_classified),
		cmocka_unit_test(warning_grouped),
		cmocka_unit_test(oops_grouped),
		cmocka_unit_test(hang_and_sysrq),
		cmocka_unit_test(kfence_ubsan_grouped),
		cmocka_unit_test(console_log_dedup),
		cmocka_unit_test(feed_twice_counts),
		cmocka_unit_test(byte_by_byte),
		cmocka_unit_test(truncated_reports),
		cmocka_unit_test(garbled_input),
		cmocka_unit_test(kmsg_records),
		cmocka_unit_test(console_user_lines),
		cmocka_unit_test(bounded),
		cmocka_unit_test(frames),
		cmocka_unit_test(fuzz_regressions),
		cmocka_unit_test(taint),
	};

	return cmocka_run_group_tests_name("kmsg_parse", tests, NULL, NULL);
}
