// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec: fork and execve a tiny program (true, found in PATH) while MRs are
 * live. The child's copy of the address space, with copies of the pinned
 * pages, is torn down by exec: the parent's pins and DMA must not notice.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "child_pids.h"
#include "stressor.h"
#include "what.h"

#define EXEC_TIMEOUT 60.0
#define EXEC_PROG "true"

extern char **environ;

/* The first executable PROG in PATH, resolved once before any fork. */
static int find_in_path(const char *prog, char *out, size_t len)
{
	const char *path = getenv("PATH");
	const char *p = path && *path ? path : "/usr/bin:/bin";

	while (*p) {
		size_t n = strcspn(p, ":");

		if (n &&
		    snprintf(out, len, "%.*s/%s", (int)n, p, prog) < (int)len &&
		    !access(out, X_OK))
			return 0;
		p += n + (p[n] == ':');
	}
	return -ENOENT;
}

static int exec_setup(struct stress_ctx *c, struct mrs_err *e)
{
	char *path = malloc(4096);

	if (!path)
		return mrs_err_set(e, ENOMEM, "exec: out of memory");
	if (find_in_path(EXEC_PROG, path, 4096)) {
		free(path);
		return mrs_err_set(e, EOPNOTSUPP, "exec: no '%s' in PATH",
				   EXEC_PROG);
	}
	c->priv = path;
	return 0;
}

static int exec_step(struct stress_ctx *c, struct stress_step *st,
		     struct mrs_err *e)
{
	const char *path = c->priv;
	char *const argv[] = { (char *)EXEC_PROG, NULL };
	char how[24];
	int status, ret;
	pid_t pid;

	step_what(st, "fork+exec %s", path);
	pid = fork();
	if (pid < 0) {
		ret = mrs_err_sys(e, "fork with %s registered",
				  c->t->region.desc);
		return e->code == ENOMEM || e->code == EAGAIN ? -EAGAIN : ret;
	}
	if (pid == 0) {
		execve(path, argv, environ);
		_exit(127);
	}
	child_pids_add(pid);
	ret = child_wait(pid, EXEC_TIMEOUT, &status, e);
	if (ret)
		return ret;
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return mrs_err_set(e, EIO, "fork+exec %s: %s", path,
				   child_status_str(status, how, sizeof(how)));
	return 0;
}

static void exec_teardown(struct stress_ctx *c)
{
	free(c->priv);
	c->priv = NULL;
}

const struct stressor stressor_exec = {
	.name = "exec",
	.help = "fork and execve 'true' (from PATH) while the MR is live",
	.setup = exec_setup,
	.step = exec_step,
	.teardown = exec_teardown,
};
