// SPDX-License-Identifier: GPL-2.0-or-later
/* Running a helper program with a deadline, without a shell. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "subprocess.h"

extern char **environ;

int subprocess_find(const char *name, const char *extra, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char dirs[4096];
	char *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s:%s", path ? path : "",
		 extra ? extra : "");
	for (char *d = strtok_r(dirs, ":", &save); d;
	     d = strtok_r(NULL, ":", &save)) {
		if ((size_t)snprintf(buf, len, "%s/%s", d, name) >= len)
			continue;
		if (!access(buf, X_OK))
			return 0;
	}
	return -ENOENT;
}

static int start(char *const argv[], int out_fd, int err_fd, pid_t *pid,
		 struct mrs_err *e)
{
	posix_spawn_file_actions_t fa;
	int ret;

	ret = posix_spawn_file_actions_init(&fa);
	if (!ret)
		ret = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
						       O_RDONLY, 0);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	if (!ret)
		ret = posix_spawn(pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (ret)
		return mrs_err_set(e, ret, "running %s: %s", argv[0],
				   strerror(ret));
	return 0;
}

/* Append what fd has to *buf; 0 at end of file, 1 more to come, <0 error. */
static int drain(int fd, char **buf, size_t *len, size_t *cap, size_t max)
{
	ssize_t n;

	if (*cap - *len < 4096) {
		char *b;

		if (*cap >= max)
			return -EFBIG;
		b = realloc(*buf, *cap * 2);
		if (!b)
			return -ENOMEM;
		*buf = b;
		*cap *= 2;
	}
	n = read(fd, *buf + *len, *cap - *len - 1);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	return n > 0;
}

/*
 * Keep the start of stderr, for the message; read and drop the rest so
 * that the program never blocks on a full pipe.
 */
static int drain_err(int fd, struct subprocess_output *o, size_t *len)
{
	char scratch[1024];
	size_t room = sizeof(o->err) - 1 - *len;
	char *to = room ? o->err + *len : scratch;
	ssize_t n = read(fd, to, room ? room : sizeof(scratch));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -errno;
	if (room) {
		*len += (size_t)n;
		o->err[*len] = '\0';
	}
	return n > 0;
}

/* Read stdout and stderr until both end or the deadline passes. */
static int collect(int fds[2], double end, size_t max,
		   struct subprocess_output *o)
{
	struct pollfd p[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLIN, 0 } };
	size_t cap = 8192, err_len = 0;
	int ret = 0;

	o->out = malloc(cap);
	if (!o->out)
		return -ENOMEM;
	o->out[0] = '\0';
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		double left = end - mono_now();

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(p, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			return -errno;
		if (p[0].revents)
			ret = drain(p[0].fd, &o->out, &o->len, &cap, max);
		if (ret < 0)
			return ret;
		if (p[0].revents && !ret)
			p[0].fd = -1;
		ret = p[1].revents ? drain_err(p[1].fd, o, &err_len) : 1;
		if (ret < 0)
			return ret;
		if (!ret)
			p[1].fd = -1;
		ret = 0;
	}
	return 0;
}

int subprocess_reap(pid_t pid, double end, int *status)
{
	const struct timespec tick = { 0, 2 * 1000 * 1000 };

	for (;;) {
		pid_t got = waitpid(pid, status, WNOHANG);

		if (got == pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return -errno;
		if (mono_now() > end)
			break;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return -ETIMEDOUT;
}

int subprocess_capture(char *const argv[], double timeout, size_t max_out,
		       struct subprocess_output *o, struct mrs_err *e)
{
	double end = mono_now() + timeout;
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, fds[2], ret, wret;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	if (access(argv[0], X_OK))
		return mrs_err_sys(e, "%s", argv[0]);
	if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		ret = mrs_err_sys(e, "pipe for %s", argv[0]);
		goto out;
	}
	ret = start(argv, out[1], err[1], &pid, e);
	if (ret)
		goto out;
	close(out[1]);
	close(err[1]);
	out[1] = err[1] = -1;
	fds[0] = out[0];
	fds[1] = err[0];
	ret = collect(fds, end, max_out, o);
	wret = subprocess_reap(pid, ret ? mono_now() : end, &o->status);
	if (ret == -ETIMEDOUT || (!ret && wret == -ETIMEDOUT))
		ret = mrs_err_set(e, ETIMEDOUT,
				  "%s gave no answer within %.0f s (killed)",
				  argv[0], timeout);
	else if (ret == -EFBIG)
		ret = mrs_err_set(e, EFBIG, "%s printed more than %zu bytes",
				  argv[0], max_out);
	else if (ret)
		ret = mrs_err_set(e, -ret, "reading from %s: %s", argv[0],
				  strerror(-ret));
out:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	if (ret) {
		free(o->out);
		o->out = NULL;
	}
	return ret;
}
