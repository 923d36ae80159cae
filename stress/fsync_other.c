// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fsync-other: a second process opens the file behind the MR by its path
 * and calls fsync on request, while this process holds the MR and DMA goes
 * on. The question from the put_user_page discussion: "What happens if two
 * processes open the same file and one makes a MR and the other calls
 * fsync()?" If fsync blocked on pages a device keeps pinned, the other
 * process would hang. An answer that does not come within FSYNC_OTHER_WAIT
 * seconds is a finding of class hang.
 *
 * The child is forked in setup and does nothing but open, read, fsync and
 * send on a socket: no libibverbs, nothing that is unsafe after fork() in
 * a threaded process.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child_pids.h"
#include "clock.h"
#include "stressor.h"
#include "what.h"

#define FSYNC_OTHER_WAIT 30.0 /* seconds before an fsync counts as hung */
#define CHILD_EXIT_WAIT 30.0 /* seconds teardown waits for the child */

static const char *const fsync_other_keys[] = { NULL };

struct fsync_other_state {
	pid_t child;
	int sock; /* our end: send a byte, receive an int (an errno) */
	pthread_mutex_t lock; /* one request at a time */
	bool hung; /* an answer is owed from a request that timed out */
	double hung_since;
};

/*
 * In the child: only async-signal-safe calls from here to _exit(). A ^C
 * reaches the whole process group; the child leaves stopping to us (the
 * socket closes) rather than run the parent's handler.
 */
static __attribute__((noreturn)) void child_main(const char *path, int sock)
{
	int fd, err = 0;
	ssize_t n;
	char c;

	signal(SIGINT, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		err = errno;
	for (;;) {
		int answer = err;

		n = read(sock, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != 1)
			break;
		if (!err && fsync(fd))
			answer = errno;
		if (send(sock, &answer, sizeof(answer), MSG_NOSIGNAL) !=
		    sizeof(answer))
			break;
	}
	_exit(0);
}

/* Keep only the socket the child uses: no verbs fds, no MR file. */
static void child_close_fds(int keep)
{
	for (int fd = 3; fd < keep; fd++)
		close(fd);
	close_range((unsigned)keep + 1, ~0U, 0);
}

/* A socket, not pipes: a send to a child gone fails with EPIPE, no signal. */
static int start_child(struct fsync_other_state *s, const char *path,
		       struct mrs_err *e)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return mrs_err_sys(e, "fsync-other: socketpair");
	s->child = fork();
	if (s->child == 0) {
		child_close_fds(sv[1]);
		child_main(path, sv[1]);
	}
	if (s->child > 0)
		child_pids_add(s->child);
	close(sv[1]);
	s->sock = sv[0];
	if (s->child < 0)
		return mrs_err_sys(e, "fsync-other: fork");
	return 0;
}

/* Wait for the child to exit; one stuck in fsync is left after a while. */
static void reap_child(struct fsync_other_state *s)
{
	double deadline = mono_now() + CHILD_EXIT_WAIT;

	while (waitpid(s->child, NULL, WNOHANG) == 0) {
		if (mono_now() > deadline) {
			kill(s->child, SIGKILL);
			if (waitpid(s->child, NULL, WNOHANG) == 0)
				fprintf(stderr,
					"mrstress: fsync-other: child %d does not exit (stuck in fsync?)\n",
					(int)s->child);
			return;
		}
		usleep(10000);
	}
}

static void fsync_other_teardown(struct stress_ctx *c)
{
	struct fsync_other_state *s = c->priv;

	if (!s)
		return;
	if (s->sock >= 0)
		shutdown(s->sock, SHUT_WR); /* the child reads EOF and exits */
	if (s->child > 0)
		reap_child(s);
	if (s->sock >= 0)
		close(s->sock);
	pthread_mutex_destroy(&s->lock);
	free(s);
	c->priv = NULL;
}

static int fsync_other_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const struct target *t = c->t;
	struct fsync_other_state *s;
	int ret;

	if (!t->region.path[0])
		return mrs_err_set(e, EOPNOTSUPP,
				   "%s has no path another process can open",
				   t->region.desc);
	s = calloc(1, sizeof(*s));
	if (!s)
		return mrs_err_set(e, ENOMEM, "fsync-other: out of memory");
	s->sock = -1;
	pthread_mutex_init(&s->lock, NULL);
	c->priv = s;
	ret = start_child(s, t->region.path, e);
	if (ret)
		fsync_other_teardown(c);
	return ret;
}

/*
 * Wait for the answer until the deadline or the run's stop: 1 when it
 * came (*answer set), 0 when not yet, a negative errno on a dead pipe.
 */
static int wait_answer(struct fsync_other_state *s, const struct stress_ctx *c,
		       double deadline, int *answer, struct mrs_err *e)
{
	struct pollfd p = { .fd = s->sock, .events = POLLIN };

	for (;;) {
		double left = deadline - mono_now();
		int n;

		if (left <= 0 || atomic_load(c->stop))
			return 0;
		n = poll(&p, 1, left > 0.05 ? 50 : (int)(left * 1000) + 1);
		if (n < 0 && errno != EINTR)
			return mrs_err_sys(e, "fsync-other: poll");
		if (n <= 0)
			continue;
		n = (int)recv(s->sock, answer, sizeof(*answer), MSG_WAITALL);
		if (n == (int)sizeof(*answer))
			return 1;
		if (n < 0)
			return mrs_err_sys(e, "fsync-other: read");
		return mrs_err_set(e, EPIPE,
				   "fsync-other: the child %d went away",
				   (int)s->child);
	}
}

static void report_hang(struct stress_ctx *c, const struct fsync_other_state *s)
{
	const struct target *t = c->t;
	struct finding f = { .cls = FC_HANG, .t = mono_now() - t->t0 };

	str_copy(f.mr, sizeof(f.mr), t->name);
	snprintf(
		f.title, sizeof(f.title),
		"hang: fsync of %s in a second process did not return within %.0f s",
		t->region.desc, FSYNC_OTHER_WAIT);
	snprintf(
		f.detail, sizeof(f.detail),
		"process %d opened %.200s by its path and called fsync while this process holds %s registered and DMA runs",
		(int)s->child, t->region.path, t->name);
	finding_add(c->fl, &f);
}

static int answered(const struct stress_ctx *c, int answer, struct mrs_err *e)
{
	if (!answer)
		return 0;
	return mrs_err_set(e, answer, "fsync(%s) in a second process: %s",
			   c->t->region.path, strerror(answer));
}

/* After a hang: does the late answer come now? */
static int late_step(struct stress_ctx *c, struct fsync_other_state *s,
		     struct stress_step *st, struct mrs_err *e)
{
	int answer, ret;

	step_what(st, "fsync in pid %d: still hung", (int)s->child);
	ret = wait_answer(s, c, mono_now() + 0.01, &answer, e);
	if (ret <= 0)
		return ret;
	s->hung = false;
	step_what(st, "fsync in pid %d: returned after %.0f s", (int)s->child,
		  mono_now() - s->hung_since);
	return answered(c, answer, e);
}

static int ask_step(struct stress_ctx *c, struct fsync_other_state *s,
		    struct stress_step *st, struct mrs_err *e)
{
	double t0 = mono_now();
	int answer, ret;
	char byte = 'f';

	step_what(st, "fsync in pid %d", (int)s->child);
	if (send(s->sock, &byte, 1, MSG_NOSIGNAL) != 1)
		return mrs_err_sys(e, "fsync-other: send to child %d",
				   (int)s->child);
	ret = wait_answer(s, c, t0 + FSYNC_OTHER_WAIT, &answer, e);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		/* Stopped or timed out: the answer is still owed. */
		s->hung = true;
		s->hung_since = t0;
		if (!atomic_load(c->stop))
			report_hang(c, s);
		return 0;
	}
	return answered(c, answer, e);
}

static int fsync_other_step(struct stress_ctx *c, struct stress_step *st,
			    struct mrs_err *e)
{
	struct fsync_other_state *s = c->priv;
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = s->hung ? late_step(c, s, st, e) : ask_step(c, s, st, e);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

const struct stressor stressor_fsync_other = {
	.name = "fsync-other",
	.help = "fsync the file from a second process (opened by path) while this one holds the MR",
	.keys = fsync_other_keys,
	.needs_file = true,
	.step = fsync_other_step,
	.setup = fsync_other_setup,
	.teardown = fsync_other_teardown,
};
