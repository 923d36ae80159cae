// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mr-orphan: leave an MR registered after the process that registered it
 * has exited, so that the VM tests can show what the kernel's resource
 * tracker lists then (no pid: the owner is gone) and what mrstress makes of
 * it.
 *
 *   mr-orphan DEVICE LEN hold SECS      a child keeps the device file open
 *   mr-orphan DEVICE LEN inflight SECS  the device file is only in flight
 *                                       on a unix socket a child keeps
 *
 * The parent registers LEN bytes of anonymous memory, prints "pid P lkey L
 * rkey R len N holder C" and exits; the child (pid C) sleeps SECS, then its
 * exit closes the last reference and the kernel destroys the MR. In flight,
 * no process has /dev/infiniband/uverbs* open, which is what an MR the
 * kernel forgot to destroy looks like from user space.
 */
#include <errno.h>
#include <fcntl.h>
#include <infiniband/verbs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "mr-orphan: %s: %s\n", what, strerror(errno));
	return 1;
}

static struct ibv_context *open_named(const char *name)
{
	struct ibv_device **list = ibv_get_device_list(NULL);
	struct ibv_context *ctx = NULL;

	errno = ENODEV;
	for (int i = 0; list && list[i] && !ctx; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			ctx = ibv_open_device(list[i]);
	return ctx;
}

/* Put fd on a unix socket's queue, where only the socket holds it. */
static int send_fd(int sock, int fd)
{
	char data = 'f';
	struct iovec iov = { &data, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = u.buf,
			      .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

/* The child: keep the socket (and with it the fd in flight) only. */
static void keep_only(const int sv[2])
{
	for (int fd = 3; fd < 1024; fd++)
		if (fd != sv[0] && fd != sv[1])
			close(fd);
}

int main(int argc, char **argv)
{
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_mr *mr;
	int sv[2] = { -1, -1 };
	size_t len;
	void *buf;
	pid_t pid;
	bool inflight;

	if (argc != 5 ||
	    (strcmp(argv[3], "hold") && strcmp(argv[3], "inflight"))) {
		fprintf(stderr,
			"usage: mr-orphan DEVICE LEN hold|inflight SECS\n");
		return 2;
	}
	len = strtoul(argv[2], NULL, 0);
	inflight = !strcmp(argv[3], "inflight");
	ctx = open_named(argv[1]);
	if (!ctx)
		return die(argv[1]);
	pd = ibv_alloc_pd(ctx);
	if (!pd)
		return die("ibv_alloc_pd");
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return die("mmap");
	memset(buf, 0x5a, len);
	mr = ibv_reg_mr(pd, buf, len, IBV_ACCESS_LOCAL_WRITE);
	if (!mr)
		return die("ibv_reg_mr");
	if (inflight && (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) ||
			 send_fd(sv[0], ctx->cmd_fd)))
		return die("sending the device fd");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return die("fork");
	if (pid == 0) {
		/* Whoever reads the parent's output must not wait for ours. */
		int null = open("/dev/null", O_RDWR);

		dup2(null, 1);
		dup2(null, 2);
		if (inflight)
			keep_only(sv);
		sleep((unsigned)atoi(argv[4]));
		_exit(0);
	}
	printf("pid %d lkey %u rkey %u len %zu holder %d\n", (int)getpid(),
	       mr->lkey, mr->rkey, len, (int)pid);
	return 0;
}
