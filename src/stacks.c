// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A snapshot of where a stuck process sits in the kernel, for a hang
 * finding: the same facts a developer would gather by hand from /proc.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "kmsg_classify.h"
#include "stacks.h"

#define PROC_TEXT 8192
#define CHILDREN_MAX 64

/* A small /proc file into buf; on error, the error in its place. */
static void read_proc(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		snprintf(buf, len, "(%s: %s)", path, strerror(errno));
		return;
	}
	n = read(fd, buf, len - 1);
	if (n < 0)
		snprintf(buf, len, "(%s: %s%s)", path, strerror(errno),
			 errno == EACCES ? ", needs root" : "");
	else
		buf[n] = '\0';
	close(fd);
}

/* The value of "Key:\tvalue" in a status text, "?" when absent. */
static void status_field(const char *status, const char *key, char *buf,
			 size_t len)
{
	const char *p = strstr(status, key);

	str_copy(buf, len, "?");
	if (!p)
		return;
	p += strlen(key);
	while (*p == '\t' || *p == ' ')
		p++;
	snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
}

void stacks_guilty_frame(const char *stack, char *frame, size_t len)
{
	const char *line = stack;

	frame[0] = '\0';
	while (line && *line) {
		char fn[96];

		if (kmsg_frame_parse(line, fn, sizeof(fn)) &&
		    !kmsg_frame_is_generic(fn)) {
			str_copy(frame, len, fn);
			return;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

/* One task: "tid 12 NAME: state, wchan" and its kernel stack, indented. */
static void task_block(FILE *out, const char *dir, pid_t tid, const char *name,
		       char *stack)
{
	char path[96], status[2048], state[64], comm[32], wchan[96];

	snprintf(path, sizeof(path), "%s/status", dir);
	read_proc(path, status, sizeof(status));
	status_field(status, "State:", state, sizeof(state));
	status_field(status, "Name:", comm, sizeof(comm));
	snprintf(path, sizeof(path), "%s/wchan", dir);
	read_proc(path, wchan, sizeof(wchan));
	snprintf(path, sizeof(path), "%s/stack", dir);
	read_proc(path, stack, PROC_TEXT);
	fprintf(out, "tid %d (%s)%s%s: state %s, wchan %s\n", (int)tid, comm,
		name ? " " : "", name ? name : "", state,
		strcmp(wchan, "0") ? wchan : "-");
	for (const char *l = stack; *l;) {
		size_t n = strcspn(l, "\n");

		fprintf(out, "    %.*s\n", (int)n, l);
		l += n + (l[n] == '\n');
	}
}

/* The pids in a task's "children" file, appended to kids. */
static void add_children(const char *dir, pid_t *kids, unsigned *n)
{
	char path[96], text[512];
	char *p = text, *end;

	snprintf(path, sizeof(path), "%s/children", dir);
	read_proc(path, text, sizeof(text));
	while (*n < CHILDREN_MAX) {
		long pid = strtol(p, &end, 10);

		if (end == p || pid <= 0)
			break;
		kids[(*n)++] = (pid_t)pid;
		p = end;
	}
}

/* One thread of this process; its children are collected into kids. */
static void thread_block(FILE *out, pid_t tid, const char *name, char *stack,
			 pid_t *kids, unsigned *n_kids)
{
	char dir[64];

	snprintf(dir, sizeof(dir), "/proc/self/task/%d", (int)tid);
	task_block(out, dir, tid, name, stack);
	add_children(dir, kids, n_kids);
}

/*
 * The stuck thread first, where a reader looks; then the others but the
 * one capturing (its stack only shows this reading of /proc).
 */
static void threads_block(FILE *out, stacks_name_fn *name, void *arg,
			  pid_t focus, char *stack, char *frame, size_t flen,
			  pid_t *kids, unsigned *n_kids)
{
	pid_t self = (pid_t)syscall(SYS_gettid);
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;

	if (focus > 0) {
		thread_block(out, focus, name ? name(focus, arg) : NULL, stack,
			     kids, n_kids);
		stacks_guilty_frame(stack, frame, flen);
	}
	if (!d) {
		fprintf(out, "(/proc/self/task: %s)\n", strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		pid_t tid = (pid_t)atoi(de->d_name);

		if (tid <= 0 || tid == focus || tid == self)
			continue;
		thread_block(out, tid, name ? name(tid, arg) : NULL, stack,
			     kids, n_kids);
	}
	closedir(d);
}

char *stacks_capture(stacks_name_fn *name, void *arg, pid_t focus, char *frame,
		     size_t frame_len)
{
	pid_t kids[CHILDREN_MAX];
	unsigned n_kids = 0;
	char *stack = malloc(PROC_TEXT), *text = NULL;
	size_t len = 0;
	FILE *out;

	frame[0] = '\0';
	if (!stack)
		return NULL;
	out = open_memstream(&text, &len);
	if (!out)
		goto out;
	fprintf(out, "threads of pid %d, the blocked one first:\n",
		(int)getpid());
	threads_block(out, name, arg, focus, stack, frame, frame_len, kids,
		      &n_kids);
	if (n_kids)
		fprintf(out, "child processes:\n");
	for (unsigned i = 0; i < n_kids; i++) {
		char dir[64];

		snprintf(dir, sizeof(dir), "/proc/%d", (int)kids[i]);
		task_block(out, dir, kids[i], "(child)", stack);
	}
	fclose(out);
out:
	free(stack);
	return text;
}
