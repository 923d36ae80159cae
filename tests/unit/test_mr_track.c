// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "finding.h"
#include "mr_leak.h"
#include "mr_track.h"

static void parse_fixture(const char *name, struct mr_list *l)
{
	struct mrs_err e = { 0 };
	char *json = fixture_read("rdma", name, NULL);

	assert_int_equal(mr_track_parse(json, l, &e), 0);
	free(json);
}

static void live_mrs_of_a_process(void **state)
{
	struct mr_list l;

	(void)state;
	parse_fixture("live-6.12.json", &l);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].dev, "rxe0");
	assert_int_equal(l.v[0].mrn, 0);
	assert_int_equal(l.v[0].len, 8388608);
	assert_int_equal(l.v[0].lkey, 0x22d);
	assert_int_equal(l.v[0].rkey, 0x22d);
	assert_int_equal(l.v[0].pdn, 1);
	assert_true(l.v[0].has_pid);
	assert_int_equal(l.v[0].pid, 220);
	assert_string_equal(l.v[0].comm, "mrstress");
	assert_int_equal(l.v[3].mrn, 3);
	assert_int_equal(l.v[3].len, 32768);
	mr_list_free(&l);
	parse_fixture("live-6.1.json", &l);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.v[1].len, 8388608);
	assert_int_equal(l.v[2].lkey, 0x48d);
	assert_int_equal(l.v[2].rkey, 0);
	assert_int_equal(l.v[2].pid, 173);
	assert_int_equal(mr_owner_of(&l.v[2], 173, NULL), MR_OWNER_RUN);
	assert_int_equal(mr_owner_of(&l.v[2], 1, NULL), MR_OWNER_OTHER);
	mr_list_free(&l);
}

static void orphans_have_no_pid_and_no_comm(void **state)
{
	const char *files[] = { "orphan-6.1.json", "orphan-6.12.json" };
	const uint32_t lkeys[] = { 0x2cc, 0x610 };

	(void)state;
	for (int i = 0; i < 2; i++) {
		struct mr_list l;

		parse_fixture(files[i], &l);
		assert_int_equal(l.n, 1);
		assert_int_equal(l.v[0].len, 65536);
		assert_int_equal(l.v[0].lkey, lkeys[i]);
		assert_false(l.v[0].has_pid);
		assert_string_equal(l.v[0].comm, "");
		assert_int_equal(mr_owner_of(&l.v[0], 1, NULL),
				 MR_OWNER_EXITED);
		mr_list_free(&l);
	}
}

static void empty_lists(void **state)
{
	struct mr_list l;

	(void)state;
	parse_fixture("empty-6.1.json", &l);
	assert_int_equal(l.n, 0);
	parse_fixture("empty-6.12.json", &l);
	assert_int_equal(l.n, 0);
}

static void bad(const char *json, const char *msg)
{
	struct mrs_err e = { 0 };
	struct mr_list l;

	assert_int_equal(mr_track_parse(json, &l, &e), -EINVAL);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
	if (!strstr(e.msg, msg))
		fail_msg("'%s' does not say '%s'", e.msg, msg);
}

static void bad_input(void **state)
{
	(void)state;
	bad("", "not JSON");
	bad("dev rxe0 mrn 0 rkey 0x0 lkey 0x2cc mrlen 65536 pdn 1", "not JSON");
	bad("{\"ifname\":\"rxe0\"}", "not a JSON array");
	bad("[1]", "entry 0 is not an object");
	bad("[{\"mrn\":0,\"mrlen\":4096}]", "ifname is missing");
	bad("[{\"ifname\":\"rxe0\",\"mrlen\":4096}]", "MR 0 has no mrn");
	bad("[{\"ifname\":\"rxe0\",\"mrn\":0}]", "MR 0 has no mrlen");
	bad("[{\"ifname\":\"rxe0\",\"mrn\":\"0\",\"mrlen\":4096}]",
	    "mrn is not a number");
	bad("[{\"ifname\":\"rxe0\",\"mrn\":-1,\"mrlen\":4096}]",
	    "mrn is not a number");
	bad("[{\"ifname\":\"rxe0\",\"mrn\":0,\"mrlen\":4096,\"pid\":\"9\"}]",
	    "pid is not a number");
	bad("[{\"ifname\":\"rxe0\",\"mrn\":0,\"mrlen\":4096,\"lkey\":716}]",
	    "lkey is not a hex string");
	bad("[{\"ifname\":\"rxe0\",\"mrn\":0,\"mrlen\":4096,\"lkey\":\"xyz\"}]",
	    "not a 32-bit hex key");
	bad("[{\"ifname\":\"rxe0\",\"mrn\":0,\"mrlen\":4096,\"comm\":5}]",
	    "comm is not a string");
	bad("[{\"ifname\":7,\"mrn\":0,\"mrlen\":4096}]", "ifname is not");
	bad("[]x", "not JSON");
}

static struct mr_entry mr(const char *dev, uint32_t mrn, int pid,
			  const char *comm)
{
	struct mr_entry m = { .mrn = mrn, .len = 1 << 20 };

	snprintf(m.dev, sizeof(m.dev), "%s", dev);
	snprintf(m.comm, sizeof(m.comm), "%s", comm);
	m.has_pid = pid > 0;
	m.pid = pid;
	return m;
}

static bool spawned_77(pid_t pid)
{
	return pid == 77;
}

/* Self is 50, its child 77; 60 is some other process. */
static void selects_new_mrs_of_the_run(void **state)
{
	struct mr_entry b[] = { mr("rxe0", 1, 50, "mrstress"),
				mr("rxe0", 2, 0, "") };
	struct mr_entry a[] = {
		mr("rxe0", 1, 50, "mrstress"), /* old: listed before */
		mr("rxe0", 2, 0, ""), /* old orphan */
		mr("rxe0", 3, 50, "mrstress"), /* ours */
		mr("rxe1", 1, 77, "mrstress"), /* our child's, other device */
		mr("rxe0", 4, 60, "other"), /* someone else's */
		mr("rxe0", 5, 0, "ib_core"), /* the kernel's */
		mr("rxe0", 6, 0, ""), /* owner exited */
	};
	struct mr_list before = { b, 2 }, after = { a, 7 }, out;

	(void)state;
	assert_int_equal(mr_leak_select(&before, &after, 50, spawned_77, &out),
			 0);
	assert_int_equal(out.n, 3);
	assert_int_equal(out.v[0].mrn, 3);
	assert_string_equal(out.v[1].dev, "rxe1");
	assert_int_equal(out.v[1].pid, 77);
	assert_int_equal(out.v[2].mrn, 6);
	assert_int_equal(mr_owner_of(&a[4], 50, spawned_77), MR_OWNER_OTHER);
	assert_int_equal(mr_owner_of(&a[5], 50, spawned_77), MR_OWNER_KERNEL);
	assert_int_equal(mr_owner_of(&a[3], 50, spawned_77), MR_OWNER_RUN);
	mr_list_free(&out);
}

static void finding_names_owner_and_mrs(void **state)
{
	struct mr_entry a[] = { mr("rxe0", 5, 123, "mrstress"),
				mr("rxe0", 6, 123, "mrstress") };
	struct mr_list l = { a, 2 };
	struct finding f;

	(void)state;
	a[1].len = 4 << 20;
	mr_leak_finding(&l, 1.5, &f);
	assert_int_equal(f.cls, FC_MR_LEAK);
	assert_string_equal(
		f.title,
		"mr-leak: 2 MRs of pid 123 (mrstress) still listed after teardown (rxe0 mrn 5 len 1M, rxe0 mrn 6 len 4M)");
	assert_non_null(strstr(
		f.detail, "rxe0 mrn 6 lkey 0x0 rkey 0x0 mrlen 4194304 pdn 0"));
	l.v = &a[0];
	l.n = 1;
	a[0].has_pid = false;
	mr_leak_finding(&l, 1.5, &f);
	assert_non_null(strstr(f.title, "1 MR of an exited process"));
	assert_non_null(strstr(f.detail, "the owner has exited"));
}

/* A title stays a title however many MRs leaked. */
static void long_lists_are_cut(void **state)
{
	struct mr_entry a[40];
	struct mr_list l = { a, 40 };
	struct finding f;

	(void)state;
	for (int i = 0; i < 40; i++)
		a[i] = mr("rxe0", (uint32_t)(1000000 + i), 9, "x");
	mr_leak_finding(&l, 0, &f);
	assert_true(strlen(f.title) < sizeof(f.title) - 1);
	assert_non_null(strstr(f.title, ", ...)"));
	assert_true(strlen(f.detail) < sizeof(f.detail));
}

/* The reader's failures are errors with a reason, never a hang. */
static void reader_failures(void **state)
{
	char script[] = "/tmp/mrs-rdma-XXXXXX";
	struct mrs_err e = { 0 };
	struct mr_list l;
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(mr_track_read("/nonexistent/rdma", 1, &l, &e),
			 -ENOENT);
	fd = mkstemp(script);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("#!/bin/sh\necho 'error: Operation not supported' >&2\nexit 1\n",
	      f);
	fclose(f);
	assert_int_equal(chmod(script, 0700), 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(mr_track_read(script, 5, &l, &e), -EIO);
	assert_non_null(
		strstr(e.msg, "exit 1: error: Operation not supported"));
	f = fopen(script, "w");
	fputs("#!/bin/sh\nexec sleep 30\n", f);
	fclose(f);
	memset(&e, 0, sizeof(e));
	assert_int_equal(mr_track_read(script, 0.3, &l, &e), -ETIMEDOUT);
	assert_non_null(strstr(e.msg, "killed"));
	f = fopen(script, "w");
	fputs("#!/bin/sh\necho '[{\"ifname\":\"rxe0\",\"mrn\":3,\"mrlen\":8}]'\n",
	      f);
	fclose(f);
	assert_int_equal(mr_track_read(script, 5, &l, &e), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].mrn, 3);
	mr_list_free(&l);
	unlink(script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(live_mrs_of_a_process),
		cmocka_unit_test(orphans_have_no_pid_and_no_comm),
		cmocka_unit_test(empty_lists),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(selects_new_mrs_of_the_run),
		cmocka_unit_test(finding_names_owner_and_mrs),
		cmocka_unit_test(long_lists_are_cut),
		cmocka_unit_test(reader_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
