// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mw: memory windows over the target MR. Each step binds a window to a
 * random range of the MR (IBV_WR_BIND_MW for a type 2 window, ibv_bind_mw
 * for type 1 where type 2 is refused), reads one block (read=0: not)
 * through the window's rkey with RDMA READ, and invalidates the window again
 * (IBV_WR_LOCAL_INV; type 1: a bind of length 0). The work requests run on
 * a loopback QP pair of the stressor's own; the DMA keeps using the MR's
 * own rkey, which windows must never disturb.
 *
 * A type 2 window belongs to the QP that bound it and only accepts remote
 * access arriving on that QP: it is bound on the responder qp[1], and the
 * READ is posted on the requester qp[0].
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "loopback.h"
#include "stressor.h"
#include "what.h"

#define MW_DEPTH 4

static const char *const mw_keys[] = { "read", NULL };
#define MW_TIMEOUT_MS 10000

struct mw_state {
	pthread_mutex_t lock; /* one step at a time on the QPs */
	struct loopback lb;
	bool lb_made;
	struct ibv_mw *mw;
	uint32_t rkey; /* the window's rkey while bound */
	bool read; /* RDMA READ of one block through the window (read=1) */
	void *buf; /* where the READ lands */
	struct ibv_mr *buf_mr;
};

static int mw_check_opt(const char *key, const char *val, size_t mr_size,
			struct mrs_err *e)
{
	(void)mr_size;
	if (strcmp(key, "read") || !strcmp(val, "0") || !strcmp(val, "1"))
		return 0;
	return mrs_err_set(e, EINVAL, "read=%s: want 0 or 1", val);
}

static int alloc_window(struct stress_ctx *c, struct mw_state *s,
			struct mrs_err *e)
{
	s->mw = ibv_alloc_mw(c->dev->pd, IBV_MW_TYPE_2);
	if (!s->mw)
		s->mw = ibv_alloc_mw(c->dev->pd, IBV_MW_TYPE_1);
	if (s->mw)
		return 0;
	if (errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL)
		return mrs_err_set(
			e, EOPNOTSUPP,
			"%s allocates no memory window, type 2 nor 1 (%s)",
			c->dev->info.name, errno_name(errno));
	return mrs_err_sys(e, "ibv_alloc_mw(%s)", c->dev->info.name);
}

static void mw_teardown(struct stress_ctx *c)
{
	struct mw_state *s = c->priv;

	if (!s)
		return;
	if (s->mw)
		ibv_dealloc_mw(s->mw);
	if (s->lb_made)
		loopback_destroy(&s->lb);
	if (s->buf_mr)
		ibv_dereg_mr(s->buf_mr);
	free(s->buf);
	pthread_mutex_destroy(&s->lock);
	free(s);
	c->priv = NULL;
}

static int mw_setup(struct stress_ctx *c, struct mrs_err *e)
{
	struct target *t = c->t;
	struct mw_state *s;
	int ret;

	if (!(t->access & IBV_ACCESS_MW_BIND))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"mr %s needs access=rw+mw (IBV_ACCESS_MW_BIND)",
			t->name);
	if (!c->dev->info.mem_window)
		return mrs_err_set(e, EOPNOTSUPP,
				   "%s does not advertise memory windows",
				   c->dev->info.name);
	s = calloc(1, sizeof(*s));
	if (!s)
		return mrs_err_set(e, ENOMEM, "mw: out of memory");
	pthread_mutex_init(&s->lock, NULL);
	c->priv = s;
	s->read = !stress_opt(c, "read") || strcmp(stress_opt(c, "read"), "0");
	s->buf = calloc(1, t->block_size);
	if (!s->buf) {
		ret = mrs_err_set(e, ENOMEM, "mw: out of memory");
		goto fail;
	}
	s->buf_mr = ibv_reg_mr(c->dev->pd, s->buf, t->block_size,
			       IBV_ACCESS_LOCAL_WRITE);
	if (!s->buf_mr) {
		ret = mrs_err_sys(e, "reg_mr(mw read buffer)");
		goto fail;
	}
	ret = loopback_create(c->dev, MW_DEPTH, &s->lb, e);
	if (ret)
		goto fail;
	s->lb_made = true;
	ret = alloc_window(c, s, e);
	if (ret)
		goto fail;
	return 0;
fail:
	mw_teardown(c);
	return ret;
}

/*
 * One completion, which must be a success. A failed one is the kernel
 * refusing the operation (-EAGAIN): the QPs are in error and remade.
 */
static int wait_one(struct mw_state *s, const char *op, struct mrs_err *e)
{
	double end = mono_now() + MW_TIMEOUT_MS / 1000.0;
	struct ibv_wc wc;
	int n;

	/* loopback_wait() may return early with nothing (a stale event). */
	do
		n = loopback_wait(&s->lb, &wc, 1, MW_TIMEOUT_MS, e);
	while (n == 0 && mono_now() < end);
	if (n < 0)
		return n;
	if (n == 0)
		return mrs_err_set(e, ETIMEDOUT,
				   "mw: %s: no completion in %d ms", op,
				   MW_TIMEOUT_MS);
	if (wc.status == IBV_WC_SUCCESS)
		return 0;
	mrs_err_set(e, EIO, "mw: %s completed with %s (vendor error 0x%x)", op,
		    ibv_wc_status_str(wc.status), wc.vendor_err);
	n = loopback_reconnect(&s->lb, e);
	return n ? n : -EAGAIN;
}

static int post(struct mw_state *s, int qp, struct ibv_send_wr *wr,
		const char *op, struct mrs_err *e)
{
	struct ibv_send_wr *bad;
	int ret;

	wr->send_flags |= IBV_SEND_SIGNALED;
	ret = ibv_post_send(s->lb.qp[qp], wr, &bad);
	if (ret) {
		errno = ret;
		return mrs_err_sys(e, "mw: post %s", op);
	}
	return wait_one(s, op, e);
}

static int bind_window(struct stress_ctx *c, struct mw_state *s, uint64_t off,
		       uint64_t len, struct mrs_err *e)
{
	struct target *t = c->t;
	struct ibv_mw_bind_info info = {
		.mr = t->mr,
		.addr = (uintptr_t)t->region.addr + off,
		.length = len,
		.mw_access_flags =
			(unsigned)t->access &
			(IBV_ACCESS_REMOTE_READ | IBV_ACCESS_REMOTE_WRITE),
	};
	struct ibv_mw_bind b1 = { .send_flags = IBV_SEND_SIGNALED,
				  .bind_info = info };
	struct ibv_send_wr wr = { .opcode = IBV_WR_BIND_MW };
	int ret;

	if (s->mw->type == IBV_MW_TYPE_1) {
		ret = ibv_bind_mw(s->lb.qp[1], s->mw, &b1);
		if (ret) {
			errno = ret;
			return mrs_err_sys(e, "ibv_bind_mw(type 1)");
		}
		ret = wait_one(s, "bind type 1", e);
		s->rkey = s->mw->rkey;
		return ret;
	}
	wr.bind_mw.mw = s->mw;
	wr.bind_mw.rkey = ibv_inc_rkey(s->mw->rkey);
	wr.bind_mw.bind_info = info;
	ret = post(s, 1, &wr, "BIND_MW", e);
	if (!ret)
		s->rkey = s->mw->rkey = wr.bind_mw.rkey;
	return ret;
}

static int read_through(struct stress_ctx *c, struct mw_state *s, uint64_t off,
			struct mrs_err *e)
{
	struct target *t = c->t;
	struct ibv_sge sge = { .addr = (uintptr_t)s->buf,
			       .length = (uint32_t)t->block_size,
			       .lkey = s->buf_mr->lkey };
	struct ibv_send_wr wr = { .opcode = IBV_WR_RDMA_READ,
				  .sg_list = &sge,
				  .num_sge = 1 };

	wr.wr.rdma.remote_addr = (uintptr_t)t->region.addr + off;
	wr.wr.rdma.rkey = s->rkey;
	return post(s, 0, &wr, "RDMA READ through the window", e);
}

static int invalidate(struct mw_state *s, struct mrs_err *e)
{
	struct ibv_mw_bind b1 = { .send_flags = IBV_SEND_SIGNALED };
	struct ibv_send_wr wr = { .opcode = IBV_WR_LOCAL_INV };
	int ret;

	if (s->mw->type == IBV_MW_TYPE_1) {
		/* Type 1 cannot be invalidated: a bind of length 0 unbinds. */
		ret = ibv_bind_mw(s->lb.qp[1], s->mw, &b1);
		if (ret) {
			errno = ret;
			return mrs_err_sys(e, "ibv_bind_mw(type 1, unbind)");
		}
		return wait_one(s, "unbind type 1", e);
	}
	wr.invalidate_rkey = s->rkey;
	return post(s, 1, &wr, "LOCAL_INV", e);
}

static int mw_step(struct stress_ctx *c, struct stress_step *st,
		   struct mrs_err *e)
{
	struct mw_state *s = c->priv;
	uint64_t off, len;
	char range[40];
	int ret;

	stress_rand_range(c, st, &off, &len);
	step_what(st, "mw type %d bind+read+inv %s", (int)s->mw->type,
		  range_str(off, len, range, sizeof(range)));
	pthread_mutex_lock(&s->lock);
	ret = bind_window(c, s, off, len, e);
	if (!ret && s->read && len >= c->t->block_size)
		ret = read_through(c, s, off, e);
	if (!ret)
		ret = invalidate(s, e);
	/* After a failure the window may still be bound: start afresh. */
	if (ret) {
		struct mrs_err e2 = { 0 };
		int r2;

		ibv_dealloc_mw(s->mw);
		s->mw = NULL;
		r2 = alloc_window(c, s, &e2);
		if (r2) {
			*e = e2;
			ret = r2 == -EOPNOTSUPP ? -EIO : r2;
		}
	}
	s->rkey = 0;
	pthread_mutex_unlock(&s->lock);
	return ret;
}

const struct stressor stressor_mw = {
	.name = "mw",
	.help = "bind a memory window over a random range, RDMA READ through it (read=0: not), invalidate it (MR access=rw+mw)",
	.keys = mw_keys,
	.check_opt = mw_check_opt,
	.setup = mw_setup,
	.step = mw_step,
	.teardown = mw_teardown,
};
