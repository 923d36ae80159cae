// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The connection plumbing both ends of two-host mode share: buffers for
 * control messages, and a wait that sleeps on the completion channel and
 * the rdma_cm event channel at once, so a disconnect wakes a waiter.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "wire_conn.h"

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

struct rdma_event_channel *wire_conn_channel(void)
{
	struct rdma_event_channel *ch = rdma_create_event_channel();

	if (ch)
		set_nonblock(ch->fd);
	return ch;
}

int wire_conn_init(struct wire_conn *c, struct ibv_pd *pd, unsigned n_recv,
		   unsigned n_send, unsigned cq_depth, struct mrs_err *e)
{
	size_t len = (size_t)(n_recv + n_send) * sizeof(struct wire_msg);

	c->n_recv = n_recv;
	c->n_send = n_send;
	c->send_next = c->send_busy = 0;
	c->cc = ibv_create_comp_channel(pd->context);
	if (!c->cc)
		return mrs_err_sys(e, "ibv_create_comp_channel");
	set_nonblock(c->cc->fd);
	c->cq = ibv_create_cq(pd->context, (int)cq_depth, NULL, c->cc, 0);
	if (!c->cq)
		return mrs_err_sys(e, "ibv_create_cq(%u)", cq_depth);
	if (ibv_req_notify_cq(c->cq, 0))
		return mrs_err_sys(e, "ibv_req_notify_cq");
	c->msgs = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c->msgs == MAP_FAILED) {
		c->msgs = NULL;
		return mrs_err_sys(e, "mmap(%zu bytes of messages)", len);
	}
	c->msgs_mr = ibv_reg_mr(pd, c->msgs, len, IBV_ACCESS_LOCAL_WRITE);
	if (!c->msgs_mr)
		return mrs_err_sys(e, "reg_mr(%zu bytes of messages)", len);
	return 0;
}

void wire_conn_qp_attr(const struct wire_conn *c, unsigned send_wr,
		       struct ibv_qp_init_attr *a)
{
	*a = (struct ibv_qp_init_attr){
		.send_cq = c->cq,
		.recv_cq = c->cq,
		.qp_type = IBV_QPT_RC,
		.sq_sig_all = 1,
		.cap = { .max_send_wr = c->n_send + send_wr,
			 .max_recv_wr = c->n_recv,
			 .max_send_sge = 1,
			 .max_recv_sge = 1 },
	};
}

int wire_conn_repost(struct wire_conn *c, uint64_t wr_id, struct mrs_err *e)
{
	unsigned i = (unsigned)(wr_id & ~WIRE_WR_TAGS);
	struct ibv_sge sge = { (uintptr_t)&c->msgs[i], sizeof(struct wire_msg),
			       c->msgs_mr->lkey };
	struct ibv_recv_wr wr = { .wr_id = WIRE_WR_RECV | i,
				  .sg_list = &sge,
				  .num_sge = 1 };
	struct ibv_recv_wr *bad;
	int ret = ibv_post_recv(c->qp, &wr, &bad);

	if (ret) {
		errno = ret;
		return mrs_err_sys(e, "ibv_post_recv(control message %u)", i);
	}
	return 0;
}

int wire_conn_post_recvs(struct wire_conn *c, struct mrs_err *e)
{
	for (unsigned i = 0; i < c->n_recv; i++)
		if (wire_conn_repost(c, WIRE_WR_RECV | i, e))
			return -e->code;
	return 0;
}

const struct wire_msg *wire_conn_recvd(const struct wire_conn *c,
				       uint64_t wr_id, uint32_t len,
				       struct mrs_err *e)
{
	const struct wire_msg *m = &c->msgs[wr_id & ~WIRE_WR_TAGS];

	if (len < offsetof(struct wire_msg, u) || m->magic != WIRE_MAGIC ||
	    m->version != WIRE_VERSION) {
		mrs_err_set(
			e, EPROTO,
			"a control message of %u bytes with magic 0x%x version %u: want 0x%x version %u (the same mrstress on both ends)",
			len, m->magic, m->version, WIRE_MAGIC, WIRE_VERSION);
		return NULL;
	}
	if (m->count > WIRE_BATCH) {
		mrs_err_set(e, EPROTO, "a batch of %u: at most %u", m->count,
			    WIRE_BATCH);
		return NULL;
	}
	return m;
}

struct wire_msg *wire_conn_msg(struct wire_conn *c, enum wire_type type)
{
	struct wire_msg *m;

	if (c->send_busy == c->n_send)
		return NULL;
	m = &c->msgs[c->n_recv + c->send_next];
	memset(m, 0, offsetof(struct wire_msg, u));
	m->magic = WIRE_MAGIC;
	m->version = WIRE_VERSION;
	m->type = (uint16_t)type;
	return m;
}

int wire_conn_send(struct wire_conn *c, struct wire_msg *m, struct mrs_err *e)
{
	struct ibv_sge sge = { (uintptr_t)m, sizeof(*m), c->msgs_mr->lkey };
	struct ibv_send_wr wr = { .wr_id = WIRE_WR_SEND | c->send_next,
				  .sg_list = &sge,
				  .num_sge = 1,
				  .opcode = IBV_WR_SEND,
				  .send_flags = IBV_SEND_SIGNALED };
	struct ibv_send_wr *bad;
	int ret = ibv_post_send(c->qp, &wr, &bad);

	if (ret) {
		errno = ret;
		return mrs_err_sys(e, "ibv_post_send(control message type %u)",
				   m->type);
	}
	c->send_next = (c->send_next + 1) % c->n_send;
	c->send_busy++;
	return 0;
}

void wire_conn_sent(struct wire_conn *c)
{
	if (c->send_busy)
		c->send_busy--;
}

int wire_conn_event(struct wire_conn *c, struct mrs_err *e)
{
	struct rdma_cm_event *cme;
	int ev;

	if (rdma_get_cm_event(c->ch, &cme)) {
		if (errno == EAGAIN)
			return -1;
		mrs_err_sys(e, "rdma_get_cm_event");
		return -2;
	}
	ev = cme->event;
	rdma_ack_cm_event(cme);
	return ev;
}

static int poll_cq(struct wire_conn *c, struct ibv_wc *wc, int max,
		   struct mrs_err *e)
{
	int n = ibv_poll_cq(c->cq, max, wc);

	if (n < 0)
		return mrs_err_set(e, EIO, "ibv_poll_cq failed");
	return n;
}

int wire_conn_wait(struct wire_conn *c, struct ibv_wc *wc, int max,
		   int timeout_ms, int *ev, struct mrs_err *e)
{
	struct pollfd p[2] = { { .fd = c->cc->fd, .events = POLLIN },
			       { .fd = c->ch->fd, .events = POLLIN } };
	struct ibv_cq *cq;
	void *ctx;
	int n;

	*ev = -1;
	n = poll_cq(c, wc, max, e);
	if (n)
		return n;
	if (poll(p, 2, timeout_ms) < 0 && errno != EINTR)
		return mrs_err_sys(e, "poll(completion and cm channels)");
	if (p[1].revents) {
		*ev = wire_conn_event(c, e);
		if (*ev == -2)
			return -e->code;
	}
	if (!ibv_get_cq_event(c->cc, &cq, &ctx))
		ibv_ack_cq_events(cq, 1);
	if (ibv_req_notify_cq(c->cq, 0))
		return mrs_err_sys(e, "ibv_req_notify_cq");
	/* Completions that came before the re-arm raise no event. */
	return poll_cq(c, wc, max, e);
}

void wire_conn_free(struct wire_conn *c)
{
	if (c->qp) {
		if (c->own_qp)
			ibv_destroy_qp(c->qp);
		else
			rdma_destroy_qp(c->id);
	}
	c->qp = NULL;
	if (c->msgs_mr)
		ibv_dereg_mr(c->msgs_mr);
	c->msgs_mr = NULL;
	if (c->msgs)
		munmap(c->msgs, (size_t)(c->n_recv + c->n_send) *
					sizeof(struct wire_msg));
	c->msgs = NULL;
	if (c->cq)
		ibv_destroy_cq(c->cq);
	c->cq = NULL;
	if (c->cc)
		ibv_destroy_comp_channel(c->cc);
	c->cc = NULL;
}
