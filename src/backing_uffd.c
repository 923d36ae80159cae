// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uffd: shmem (a memfd, MAP_SHARED) registered with userfaultfd in MISSING
 * mode. Every first touch of a page, including the kernel's own when
 * ibv_reg_mr pins it, waits until a handler thread here supplies the page
 * with UFFDIO_COPY of zeros: the path where the copied page's dirty state
 * (pte vs page) is what reclaim later trusts.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fault.h"
#include "backing.h"
#include "backing_uffd.h"

struct uffd_state {
	int uffd;
	int stop_fd; /* eventfd: written once to make the handler return */
	bool running; /* the handler thread exists and must be joined */
	pthread_t thread;
	uintptr_t start;
	size_t len, page;
	void *zero; /* one zero-filled page, the source of every copy */
	atomic_size_t copied; /* pages the handler supplied */
	atomic_int fill; /* enum uffd_fill: how missing faults are answered */
	__u64 features; /* what UFFDIO_API said this kernel has */
	__u64 ioctls; /* what UFFDIO_REGISTER allows on the range */
};

static int uffd_create(struct region *r, const struct backing_args *a,
		       struct mrs_err *e);
static void uffd_destroy(struct region *r);
static size_t uffd_pages_copied(const struct region *r);

const struct backing backing_uffd = {
	.name = "uffd",
	.has_file = true,
	.help = "memfd shmem, MAP_SHARED, registered with userfaultfd (missing); a handler thread fills pages with UFFDIO_COPY",
	.create = uffd_create,
	.destroy = uffd_destroy,
	.pages_supplied = uffd_pages_copied,
};

static size_t uffd_pages_copied(const struct region *r)
{
	const struct uffd_state *s = r->priv;

	return s ? atomic_load(&s->copied) : 0;
}

/*
 * A handler that cannot copy must not leave the faulting thread asleep for
 * ever: unregistering wakes it, and its retry fills the page from shmem.
 */
static void give_up(struct uffd_state *s)
{
	struct uffdio_range all = { .start = s->start, .len = s->len };

	ioctl(s->uffd, UFFDIO_UNREGISTER, &all);
}

/* Supply one page the way asked: copy, zero page or map what is there. */
static int supply(struct uffd_state *s, __u64 page, bool minor)
{
	struct uffdio_copy copy = { .dst = page,
				    .src = (uintptr_t)s->zero,
				    .len = s->page };
	struct uffdio_zeropage zp = { .range = { .start = page,
						 .len = s->page } };
	struct uffdio_continue cont = { .range = zp.range };

	if (minor)
		return ioctl(s->uffd, UFFDIO_CONTINUE, &cont);
	if (atomic_load(&s->fill) == UFFD_FILL_ZEROPAGE)
		return ioctl(s->uffd, UFFDIO_ZEROPAGE, &zp);
	return ioctl(s->uffd, UFFDIO_COPY, &copy);
}

static void resolve_fault(struct uffd_state *s, const struct uffd_msg *m)
{
	__u64 page = m->arg.pagefault.address & ~(__u64)(s->page - 1);
	struct uffdio_range one = { .start = page, .len = s->page };

	/*
	 * Counted before the copy wakes the faulting thread, so that it never
	 * sees its own page uncounted; taken back if the copy fails.
	 */
	atomic_fetch_add(&s->copied, 1);
	if (!supply(s, page,
		    m->arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_MINOR))
		return;
	atomic_fetch_sub(&s->copied, 1);
	/*
	 * EEXIST: two faults on one page queued two messages and the first
	 * copy won. A copy that fails does not wake anyone, so wake here.
	 */
	if (errno == EEXIST)
		ioctl(s->uffd, UFFDIO_WAKE, &one);
	else
		give_up(s);
}

static void *uffd_handler(void *arg)
{
	struct uffd_state *s = arg;
	struct pollfd p[2] = { { .fd = s->uffd, .events = POLLIN },
			       { .fd = s->stop_fd, .events = POLLIN } };
	struct uffd_msg m;
	ssize_t n;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents || p[0].revents & (POLLERR | POLLHUP))
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		/* Non-blocking: a spurious wakeup must not hide the stop fd. */
		n = read(s->uffd, &m, sizeof(m));
		if (n != sizeof(m))
			continue;
		if (m.event == UFFD_EVENT_PAGEFAULT)
			resolve_fault(s, &m);
	}
	return NULL;
}

/*
 * Not UFFD_USER_MODE_ONLY: ibv_reg_mr pins through GUP, a kernel-mode
 * fault, which a user-mode-only descriptor answers with SIGBUS (so the
 * registration fails with EFAULT, measured on 6.12) instead of handing it
 * to the handler.
 */
static int uffd_open(struct uffd_state *s, struct mrs_err *e)
{
	struct uffdio_api api = { .api = UFFD_API };

	s->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (s->uffd < 0 && errno == EPERM)
		return mrs_err_set(
			e, EPERM,
			"userfaultfd: not permitted: kernel-mode faults (the pin of ibv_reg_mr) need CAP_SYS_PTRACE (root) or vm.unprivileged_userfaultfd=1");
	if (s->uffd < 0 && errno == ENOSYS)
		return mrs_err_set(
			e, ENOSYS,
			"userfaultfd: not in this kernel (CONFIG_USERFAULTFD)");
	if (s->uffd < 0)
		return mrs_err_sys(e, "userfaultfd");
	if (ioctl(s->uffd, UFFDIO_API, &api))
		return mrs_err_sys(e, "ioctl(UFFDIO_API)");
	s->features = api.features;
	if (!(api.features & UFFD_FEATURE_MISSING_SHMEM))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"userfaultfd: this kernel cannot register shmem (no UFFD_FEATURE_MISSING_SHMEM)");
	return 0;
}

static int uffd_register(struct uffd_state *s, const char *desc, __u64 mode,
			 struct mrs_err *e)
{
	struct uffdio_register reg = {
		.range = { .start = s->start, .len = s->len },
		.mode = mode,
	};

	if (ioctl(s->uffd, UFFDIO_REGISTER, &reg))
		return mrs_err_sys(e, "ioctl(UFFDIO_REGISTER, %s)", desc);
	s->ioctls = reg.ioctls;
	if (!(reg.ioctls & (1ULL << _UFFDIO_COPY)))
		return mrs_err_set(e, EOPNOTSUPP,
				   "userfaultfd: no UFFDIO_COPY on %s", desc);
	return 0;
}

/* The handler runs with every signal blocked: signals are main's business. */
static int start_handler(struct uffd_state *s, struct mrs_err *e)
{
	sigset_t all, old;
	int ret;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = mrs_thread_create(&s->thread, uffd_handler, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return mrs_err_set(e, ret, "uffd: pthread_create: %s",
				   strerror(ret));
	s->running = true;
	return 0;
}

static int uffd_create(struct region *r, const struct backing_args *a,
		       struct mrs_err *e)
{
	struct uffd_state *s;
	int ret;

	region_init(r, &backing_uffd, a->size);
	ret = region_memfd_map(r, 0, "shared uffd-missing", e);
	if (ret)
		return ret;
	s = mrs_calloc(1, sizeof(*s));
	if (!s)
		return mrs_err_set(e, ENOMEM, "uffd: out of memory");
	r->priv = s;
	s->uffd = -1;
	s->stop_fd = -1;
	s->start = (uintptr_t)r->addr;
	s->len = r->len;
	s->page = r->page_size;
	s->zero = aligned_alloc(s->page, s->page);
	if (!s->zero)
		return mrs_err_set(e, ENOMEM, "uffd: out of memory");
	memset(s->zero, 0, s->page);
	ret = uffd_open(s, e);
	if (ret)
		return ret;
	s->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (s->stop_fd < 0)
		return mrs_err_sys(e, "uffd: eventfd");
	ret = uffd_register(s, r->desc, UFFDIO_REGISTER_MODE_MISSING, e);
	if (ret)
		return ret;
	/* Before anyone touches the memory: every first touch now waits. */
	return start_handler(s, e);
}

static void uffd_destroy(struct region *r)
{
	struct uffd_state *s = r->priv;
	uint64_t one = 1;

	if (!s)
		return;
	if (s->running) {
		if (write(s->stop_fd, &one, sizeof(one)) != sizeof(one))
			pthread_cancel(s->thread);
		pthread_join(s->thread, NULL);
	}
	/* Closing the uffd unregisters the range and wakes any waiter. */
	if (s->uffd >= 0)
		close(s->uffd);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	free(s->zero);
	free(s);
	r->priv = NULL;
}

/* Minor faults too: registering the range again with both modes. */
static int enable_minor(struct uffd_state *s, const char *desc,
			struct mrs_err *e)
{
	int ret;

	if (!(s->features & UFFD_FEATURE_MINOR_SHMEM))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"userfaultfd: no minor faults on shmem here (UFFD_FEATURE_MINOR_SHMEM, 5.14+)");
	ret = uffd_register(
		s, desc,
		UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_MINOR, e);
	if (ret)
		return ret;
	if (!(s->ioctls & (1ULL << _UFFDIO_CONTINUE)))
		return mrs_err_set(e, EOPNOTSUPP,
				   "userfaultfd: no UFFDIO_CONTINUE on %s",
				   desc);
	return 0;
}

int uffd_region_set_fill(struct region *r, enum uffd_fill fill,
			 struct mrs_err *e)
{
	struct uffd_state *s = r->priv;
	int ret;

	if (r->backing != &backing_uffd || !s)
		return mrs_err_set(e, EOPNOTSUPP, "%s is not a uffd backing",
				   r->desc);
	if (fill == UFFD_FILL_ZEROPAGE &&
	    !(s->ioctls & (1ULL << _UFFDIO_ZEROPAGE)))
		return mrs_err_set(e, EOPNOTSUPP,
				   "userfaultfd: no UFFDIO_ZEROPAGE on %s",
				   r->desc);
	if (fill == UFFD_FILL_CONTINUE) {
		ret = enable_minor(s, r->desc, e);
		if (ret)
			return ret;
	}
	atomic_store(&s->fill, fill);
	return 0;
}
