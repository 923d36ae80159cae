// SPDX-License-Identifier: GPL-2.0-or-later
/* Waiting for a stressor's child without ever blocking the run for good. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "child.h"
#include "clock.h"
#include "subprocess.h"

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
 * Polled (subprocess_reap) rather than blocking in waitpid(): a child
 * stuck in the kernel (exit teardown waiting on pinned pages) must become
 * an error with a message, not a stressor thread that never returns.
 */
int child_wait(pid_t pid, double timeout, int *status, struct mrs_err *e)
{
	int ret = subprocess_reap(pid, mono_now() + timeout, status);

	if (ret == -ETIMEDOUT)
		return mrs_err_set(
			e, ETIMEDOUT,
			"child %d did not exit within %.0f s (killed)",
			(int)pid, timeout);
	if (ret)
		return mrs_err_set(e, -ret, "waitpid(%d): %s", (int)pid,
				   strerror(-ret));
	return 0;
}
