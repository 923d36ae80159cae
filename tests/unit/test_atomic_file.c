// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reports are written with atomic_file_write(): a writer SIGKILLed at any
 * moment leaves the last whole version or none, never a part; the
 * temporary file a kill leaves is removed by the next writer, and never
 * one of a live writer nor a file of the user's.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"
#include "atomic_file.h"
#include "atomic_writer.h"

#define KILLS 150
#define REPORT_SIZE (256 * 1024)

/* Entries of unit_dir whose name starts with prefix. */
static unsigned count_prefixed(const char *prefix)
{
	DIR *d = opendir(unit_dir);
	struct dirent *de;
	unsigned n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

/*
 * Starts atomic-writer and returns once it has said, on its stdout, that
 * it is about to write: the kill's random delay counts from there, not
 * from the exec, whose cost (a sanitizer run-time's start, a loaded
 * machine) could otherwise eat the whole window.
 */
static pid_t start_writer(const char *path)
{
	const char *build = getenv("MRSTRESS_BUILDDIR");
	char prog[1024], size[32], ready;
	int fds[2];
	pid_t pid;

	snprintf(prog, sizeof(prog), "%s/tests/unit/atomic-writer",
		 build ? build : ".");
	snprintf(size, sizeof(size), "%d", REPORT_SIZE);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		close(fds[0]);
		if (dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(126);
		execl(prog, prog, path, size, (char *)NULL);
		perror(prog);
		_exit(127);
	}
	close(fds[1]);
	if (read(fds[0], &ready, 1) != 1)
		fail_msg("%s did not start", prog);
	close(fds[0]);
	return pid;
}

/*
 * The file is absent or one whole version: exactly REPORT_SIZE bytes,
 * equal to that version as atomic_writer_content() makes it. Returns the
 * version, -1 when absent.
 */
static long check_whole(const char *path, char *got, char *want)
{
	int fd = open(path, O_RDONLY);
	unsigned long v;
	ssize_t n;

	if (fd < 0 && errno == ENOENT)
		return -1;
	assert_true(fd >= 0);
	n = read(fd, got, REPORT_SIZE + 1);
	close(fd);
	if (n != REPORT_SIZE)
		fail_msg("%s: %zd bytes, a whole version has %d", path, n,
			 REPORT_SIZE);
	/* sscanf reads a string: the file's bytes have no NUL of their own. */
	got[n] = '\0';
	if (sscanf(got, "version %lu\n", &v) != 1)
		fail_msg("%s: no version line", path);
	atomic_writer_content(want, REPORT_SIZE, v);
	if (memcmp(got, want, REPORT_SIZE))
		fail_msg("%s: version %lu is not whole", path, v);
	return (long)v;
}

static void killed_at_any_point(void **state)
{
	/* Static: a failed assertion leaves the test without freeing. */
	static char got[REPORT_SIZE + 1], want[REPORT_SIZE];
	char path[256];
	unsigned temps_left = 0, absent = 0;
	long last = -1;

	(void)state;
	snprintf(path, sizeof(path), "%s/report.json", unit_dir);
	srand((unsigned)time(NULL));
	for (int i = 0; i < KILLS; i++) {
		pid_t pid = start_writer(path);
		int st;
		unsigned temps;
		long v;

		/* 0-20 ms: before, during and after each step of a write. */
		usleep((useconds_t)(rand() % 20000));
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (!WIFSIGNALED(st))
			fail_msg("the writer ended by itself (status %d)", st);
		v = check_whole(path, got, want);
		absent += v < 0;
		last = v > last ? v : last;
		/* A kill leaves at most its own: the writer removed older. */
		temps = count_prefixed(".report.json.");
		assert_true(temps <= 1);
		temps_left += temps;
	}
	print_message(
		"%d kills: file absent after %u, whole after the rest (highest version %ld); %u left a temporary file, each removed by the next writer\n",
		KILLS, absent, last, temps_left);
	/* Some kill must have hit between mkstemp and rename to prove that. */
	assert_true(temps_left > 0);
}

static int fill_hello(FILE *f, void *arg)
{
	(void)arg;
	return fputs("hello\n", f) < 0 ? -EIO : 0;
}

static void touch(const char *name)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", unit_dir, name);
	fd = open(p, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
}

static bool exists(const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", unit_dir, name);
	return access(p, F_OK) == 0;
}

static void stale_temps_only(void **state)
{
	struct mrs_err e = { 0 };
	char dead[64], live[64], path[256];
	pid_t pid = fork();
	struct stat st;

	(void)state;
	assert_true(pid >= 0);
	if (!pid)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	snprintf(dead, sizeof(dead), ".out.xml.%d.AbC123", (int)pid);
	snprintf(live, sizeof(live), ".out.xml.%d.AbC123", (int)getppid());
	touch(dead);
	touch(live);
	touch("out.xml.backup"); /* the old name pattern: the user's now */
	touch(".out.xml.12x.AbC123");
	touch(".other.xml.1.AbC123");
	snprintf(path, sizeof(path), "%s/out.xml", unit_dir);
	assert_int_equal(atomic_file_write(path, fill_hello, NULL, &e), 0);
	assert_false(exists(dead));
	assert_true(exists(live));
	assert_true(exists("out.xml.backup"));
	assert_true(exists(".out.xml.12x.AbC123"));
	assert_true(exists(".other.xml.1.AbC123"));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 6);
	/* Left: the live one and the look-alike; its own was renamed. */
	assert_int_equal(count_prefixed(".out.xml."), 2);
}

static void errors_name_the_file(void **state)
{
	struct mrs_err e = { 0 };
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/no/such/dir/r.json", unit_dir);
	assert_int_equal(atomic_file_write(path, fill_hello, NULL, &e),
			 -ENOENT);
	assert_non_null(strstr(e.msg, path));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(killed_at_any_point),
		cmocka_unit_test(stale_temps_only),
		cmocka_unit_test(errors_name_the_file),
	};

	return cmocka_run_group_tests_name("atomic_file", tests, unit_dir_setup,
					   unit_dir_teardown);
}
