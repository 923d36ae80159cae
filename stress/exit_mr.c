// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exit-mr: each step forks a child that opens the RDMA device itself,
 * registers an MR over a random range of the inherited mapping (the same
 * pages for shared memory, its copy-on-write copies for private memory) and
 * exits without deregistering: the kernel must release the MR and its pins
 * at process exit, while the parent's MR over the same pages stays in use.
 *
 * Fork without exec: exec would lose the mapping (private or shared
 * anonymous memory has nothing to map again). After fork the child calls
 * only libibverbs, which is safe there because no thread of the harness
 * holds its device-list lock during a run, and glibc's malloc is fork-safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "child_pids.h"
#include "stressor.h"
#include "units.h"
#include "what.h"

#define EXIT_MR_TIMEOUT 60.0

enum child_stage { ST_DONE, ST_DEVICES, ST_OPEN, ST_PD, ST_REG };

static const char *const stage_names[] = { "done", "ibv_get_device_list",
					   "ibv_open_device", "ibv_alloc_pd",
					   "ibv_reg_mr" };

struct child_result {
	int stage; /* the step that failed, ST_DONE when registered */
	int err; /* its errno */
};

static struct ibv_context *open_named(const char *name)
{
	struct ibv_device **list = ibv_get_device_list(NULL);
	struct ibv_context *ctx = NULL;

	for (int i = 0; list && list[i] && !ctx; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			ctx = ibv_open_device(list[i]);
	if (!ctx && list && errno == 0)
		errno = ENODEV;
	/* The list is left: the process exits, so does everything it has. */
	return ctx;
}

/* The child: register, report, exit with the MR still registered. */
static void __attribute__((noreturn))
child_main(const struct stress_ctx *c, void *addr, size_t len, int wfd)
{
	struct child_result res = { ST_DEVICES, 0 };
	struct ibv_context *ctx;
	struct ibv_pd *pd = NULL;

	errno = 0;
	ctx = open_named(c->dev->info.name);
	if (ctx) {
		res.stage = ST_PD;
		pd = ibv_alloc_pd(ctx);
	}
	if (pd) {
		res.stage = ST_REG;
		if (ibv_reg_mr(pd, addr, len, (int)c->t->access))
			res.stage = ST_DONE;
	}
	res.err = res.stage == ST_DONE ? 0 : errno;
	if (write(wfd, &res, sizeof(res)) != sizeof(res))
		_exit(2);
	_exit(0);
}

static int read_result(int rfd, struct child_result *res, struct mrs_err *e)
{
	ssize_t n = read(rfd, res, sizeof(*res));

	if (n == (ssize_t)sizeof(*res))
		return 0;
	return mrs_err_set(e, EIO, "exit-mr child said nothing (read %zd)", n);
}

static int spawn(const struct stress_ctx *c, void *addr, size_t len,
		 struct child_result *res, struct mrs_err *e)
{
	int fds[2], status, ret;
	char how[24];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC))
		return mrs_err_sys(e, "pipe");
	/* The child's copy of the range must be whole: no move in progress. */
	pthread_rwlock_rdlock(&c->t->view_lock);
	pid = fork();
	if (pid == 0)
		child_main(c, addr, len, fds[1]);
	pthread_rwlock_unlock(&c->t->view_lock);
	if (pid > 0)
		child_pids_add(pid);
	close(fds[1]);
	if (pid < 0) {
		ret = mrs_err_sys(e, "fork with %s registered",
				  c->t->region.desc);
		goto out;
	}
	ret = child_wait(pid, EXIT_MR_TIMEOUT, &status, e);
	if (!ret && (!WIFEXITED(status) || WEXITSTATUS(status)))
		ret = mrs_err_set(e, EIO, "exit-mr child: %s",
				  child_status_str(status, how, sizeof(how)));
	if (!ret)
		ret = read_result(fds[0], res, e);
out:
	close(fds[0]);
	return ret;
}

static int exit_mr_step(struct stress_ctx *c, struct stress_step *st,
			struct mrs_err *e)
{
	struct target *t = c->t;
	struct child_result res;
	uint64_t off, len;
	char range[40];
	int ret;

	stress_rand_range(c, st, &off, &len);
	range_str(off, len, range, sizeof(range));
	step_what(st, "child reg %s", range);
	ret = spawn(c, (char *)t->region.addr + off, len, &res, e);
	if (ret)
		return ret;
	if (res.stage == ST_DONE) {
		step_what(st, "child reg %s accepted", range);
		return 0;
	}
	step_what(st, "child reg %s %s", range, errno_name(res.err));
	if (res.stage == ST_REG) {
		errno = res.err;
		mrs_err_sys(e, "child's reg_mr(%s, %s)", t->region.desc, range);
		return -EAGAIN;
	}
	errno = res.err;
	return mrs_err_sys(e, "exit-mr child: %s(%s)", stage_names[res.stage],
			   c->dev->info.name);
}

const struct stressor stressor_exit_mr = {
	.name = "exit-mr",
	.help = "fork a child that opens the device, registers a random range and exits without deregistering",
	.step = exit_mr_step,
};
