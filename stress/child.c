// SPDX-License-Identifier: GPL-2.0-or-later
/* Waiting for a stressor's child without ever blocking the run for good. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "child.h"
#include "clock.h"

const char *child_status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "status 0x%x", status);
	return buf;
}

/*
 * Polled rather than blocking in waitpid(): a child stuck in the kernel
 * (exit teardown waiting on pinned pages) must become an error with a
 * message, not a stressor thread that never returns.
 */
int child_wait(pid_t pid, double timeout, int *status, struct mrs_err *e)
{
	const struct timespec tick = { 0, 2 * 1000 * 1000 };
	double end = mono_now() + timeout;
	pid_t got;

	for (;;) {
		got = waitpid(pid, status, WNOHANG);
		if (got == pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return mrs_err_sys(e, "waitpid(%d)", (int)pid);
		if (mono_now() > end)
			break;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return mrs_err_set(e, ETIMEDOUT,
			   "child %d did not exit within %.0f s (killed)",
			   (int)pid, timeout);
}
