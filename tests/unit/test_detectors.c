// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The detectors' pure parts: kernel reports into findings, taint, stacks
 * of a stuck thread; and the watchdog on a thread that sleeps too long.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "clock.h"
#include "kmsg.h"
#include "stacks.h"
#include "taint.h"
#include "watchdog.h"

/* Two real logs, one after the other, as the monitor would read them. */
static void parse_two(const char *a, const char *b, struct kmsg_report_list *l)
{
	char *x = fixture_read("kmsg", a, NULL);
	char *y = fixture_read("kmsg", b, NULL);

	kmsg_report_list_init(l);
	assert_int_equal(kmsg_parse_buffer(x, strlen(x), l), 0);
	assert_int_equal(kmsg_parse_buffer(y, strlen(y), l), 0);
	free(x);
	free(y);
}

static const char *name_dd(pid_t tid, void *arg)
{
	(void)arg;
	return tid == 165 ? "stressor pwrite thread 0" : NULL;
}

static void reports_become_findings(void **state)
{
	const struct kmsg_report *context;
	struct kmsg_report_list l;
	struct finding_list fl;
	const struct finding *f;

	(void)state;
	parse_two("hung-task-6.1.kmsg", "sysrq-w-6.1.kmsg", &l);
	finding_list_init(&fl);
	/* The hung task was logged at 48.540553 s of uptime. */
	kmsg_reports_to_findings(&l, 40.0, name_dd, NULL, &fl, &context);
	assert_int_equal(fl.n, 1);
	f = &fl.v[0];
	assert_int_equal(f->cls, FC_HUNG_TASK);
	assert_string_equal(f->title, "INFO: task hung in mnt_want_write");
	assert_true(f->t > 8.54 && f->t < 8.55);
	assert_string_equal(f->view, "kernel-log");
	assert_non_null(
		strstr(f->detail,
		       "INFO: task dd:165 blocked for more than 5 seconds."));
	assert_non_null(
		strstr(f->detail, "that task is stressor pwrite thread 0"));
	/* The whole report, its stack included, travels with the finding. */
	assert_non_null(f->text);
	assert_non_null(strstr(f->text, " mnt_want_write+0x8b/0xc0"));
	/* The sysrq dump is context for a hang, not a finding of its own. */
	assert_non_null(context);
	assert_non_null(strstr(context->text, "sysrq: Show Blocked State"));
	finding_list_free(&fl);
	kmsg_report_list_free(&l);
}

static void repeated_reports_count(void **state)
{
	const struct kmsg_report *context;
	struct kmsg_report_list l;
	struct finding_list fl;

	(void)state;
	parse_two("hung-task-6.1.kmsg", "hung-task-6.1.kmsg", &l);
	finding_list_init(&fl);
	kmsg_reports_to_findings(&l, 0, NULL, NULL, &fl, &context);
	assert_int_equal(fl.n, 1);
	assert_int_equal(fl.v[0].count, 2);
	assert_non_null(strstr(fl.v[0].detail, "(2 times)"));
	assert_null(strstr(fl.v[0].detail, "that task is"));
	assert_null(context);
	finding_list_free(&fl);
	kmsg_report_list_free(&l);
}

static void hung_task_pid(void **state)
{
	(void)state;
	assert_int_equal(
		kmsg_hung_task_pid(
			"INFO: task mrstress:168 blocked for more than 3 seconds.\n"),
		168);
	/* A comm may hold a colon: the pid follows the last one. */
	assert_int_equal(
		kmsg_hung_task_pid(
			"INFO: task kworker/u4:2:77 blocked for more than 120 seconds."),
		77);
	assert_int_equal(kmsg_hung_task_pid("INFO: task blocked for more than"),
			 0);
	assert_int_equal(kmsg_hung_task_pid("WARNING: CPU: 0 PID: 1"), 0);
	assert_int_equal(kmsg_hung_task_pid(""), 0);
}

static void taint_findings(void **state)
{
	struct finding f = { 0 };
	char buf[256];

	(void)state;
	/* Sticky bits set by an earlier run are not this run's. */
	assert_false(taint_new_bits(512, 512, &f));
	assert_false(taint_new_bits(512 | 1, 512, &f));
	assert_true(taint_new_bits(4096, 4096 | 512 | 16384, &f));
	assert_int_equal(f.cls, FC_TAINT);
	assert_string_equal(f.title, "taint: kernel tainted WL");
	assert_non_null(strstr(f.detail, "from 4096 (O) to 20992"));
	assert_non_null(
		strstr(f.detail, "W (kernel warning), L (soft lockup)"));
	taint_describe(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	taint_describe(128 | 32, buf, sizeof(buf));
	assert_string_equal(
		buf, "B (bad page referenced), D (kernel died: oops or BUG)");
	assert_true(taint_new_bits(0, UINT64_C(1) << 40, &f));
	assert_string_equal(f.title, "taint: kernel tainted ?");
}

/* A real /proc/PID/stack of a pwrite on a frozen ext4 (6.1). */
static const char frozen_pwrite[] =
	"[<0>] percpu_rwsem_wait+0x116/0x140\n"
	"[<0>] vfs_write+0x3a0/0x3f0\n"
	"[<0>] __x64_sys_pwrite64+0x94/0xc0\n"
	"[<0>] do_syscall_64+0x5d/0xb0\n"
	"[<0>] entry_SYSCALL_64_after_hwframe+0x6e/0xd8\n";

static void guilty_frame(void **state)
{
	char frame[96];

	(void)state;
	stacks_guilty_frame(frozen_pwrite, frame, sizeof(frame));
	assert_string_equal(frame, "vfs_write");
	stacks_guilty_frame("[<0>] hrtimer_nanosleep+0x9e/0x170\n"
			    "[<0>] __x64_sys_clock_nanosleep+0xdb/0x140\n",
			    frame, sizeof(frame));
	assert_string_equal(frame, "hrtimer_nanosleep");
	stacks_guilty_frame("", frame, sizeof(frame));
	assert_string_equal(frame, "");
	stacks_guilty_frame("(/proc/self/task/1/stack: Permission denied)",
			    frame, sizeof(frame));
	assert_string_equal(frame, "");
}

static void finding_text_is_copied(void **state)
{
	struct finding_list fl;
	struct finding f = { .cls = FC_HANG };
	char text[] = "stack";

	(void)state;
	finding_list_init(&fl);
	f.text = text;
	finding_add(&fl, &f);
	text[0] = 'S';
	assert_string_equal(fl.v[0].text, "stack");
	f.text = NULL;
	finding_add(&fl, &f);
	assert_null(fl.v[1].text);
	finding_list_coalesce(&fl);
	finding_list_free(&fl);
}

struct sleeper {
	struct watchdog *wd;
	double sleep;
	char what[16];
};

static void *sleeper_main(void *arg)
{
	struct sleeper *s = arg;
	struct watch *w =
		watchdog_add(s->wd, "stressor nap", 0, "mr0", s->what, 0.1);

	assert_non_null(w);
	watch_begin(w);
	strcpy(s->what, "nap 1");
	usleep((useconds_t)(s->sleep * 1e6));
	watch_end(w);
	/* Short operations are not hangs. */
	watch_begin(w);
	watch_end(w);
	return NULL;
}

static void watchdog_sees_a_long_operation(void **state)
{
	struct watchdog wd;
	struct sleeper s = { .wd = &wd, .sleep = 0.6 };
	struct finding_list fl;
	struct mrs_err e = { 0 };
	const char *first;
	pthread_t t;

	(void)state;
	assert_int_equal(watchdog_start(&wd, mono_now(), &e), 0);
	assert_int_equal(pthread_create(&t, NULL, sleeper_main, &s), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	watchdog_stop(&wd);
	assert_int_equal(watchdog_hangs(&wd), 1);
	finding_list_init(&fl);
	watchdog_findings(&wd, "sysrq: Show Blocked State\n", &fl);
	assert_int_equal(fl.n, 1);
	assert_int_equal(fl.v[0].cls, FC_HANG);
	assert_string_equal(fl.v[0].mr, "mr0");
	assert_non_null(strstr(fl.v[0].detail, "stressor nap thread 0 (tid "));
	assert_non_null(strstr(
		fl.v[0].detail,
		"'nap 1' did not return within 0 s; it returned after 0."));
	assert_true(fl.v[0].t_from < fl.v[0].t);
	/* Every thread of the process, named where it is one of the run's. */
	assert_non_null(strstr(fl.v[0].text, "threads of pid "));
	/* The blocked thread comes first. */
	first = strchr(fl.v[0].text, '\n');
	assert_non_null(first);
	assert_true(strstr(first, "stressor nap thread 0: state") ==
		    strchr(first + 1, ')') + 2);
	assert_non_null(strstr(fl.v[0].text, "kernel's blocked-task dump:"));
	finding_list_free(&fl);
	watchdog_free(&wd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reports_become_findings),
		cmocka_unit_test(repeated_reports_count),
		cmocka_unit_test(hung_task_pid),
		cmocka_unit_test(taint_findings),
		cmocka_unit_test(guilty_frame),
		cmocka_unit_test(finding_text_is_copied),
		cmocka_unit_test(watchdog_sees_a_long_operation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
