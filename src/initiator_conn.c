// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One connection of the initiator: connect through rdma_cm (again after
 * the QP failed, e.g. an rkey the target re-registered away), take the
 * hello, carry out orders, report, and send the counts at the target's
 * bye.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "clock.h"
#include "initiator.h"
#include "verify.h"

#define WR_READ_PHASE (1ULL << 32) /* the READ half of a read order */
#define N_MSGS (INITIATOR_MAX_QD / 2 + 8)
#define CM_TIMEOUT_MS 2000
/* A target that is there takes a reconnect at once: no minute of retries. */
#define RECONNECT_TIMEOUT 15.0

static int fail(struct ini_conn *c, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ini_conn *c, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, ap);
	va_end(ap);
	c->status = status;
	return -1;
}

static int wait_event(struct ini_conn *c, enum rdma_cm_event_type want)
{
	struct pollfd p = { .fd = c->ch->fd, .events = POLLIN };
	struct rdma_cm_event *ev;
	int got;

	if (poll(&p, 1, 2 * CM_TIMEOUT_MS) <= 0)
		return -ETIMEDOUT;
	if (rdma_get_cm_event(c->ch, &ev))
		return -errno;
	got = ev->event;
	/* Said when the retries run out: what the target's side answered. */
	snprintf(c->last_event, sizeof(c->last_event), "%s, status %d",
		 rdma_event_str(ev->event), ev->status);
	rdma_ack_cm_event(ev);
	if (got == RDMA_CM_EVENT_REJECTED || got == RDMA_CM_EVENT_UNREACHABLE)
		return -ECONNREFUSED;
	return got == (int)want ? 0 : -EPROTO;
}

/*
 * The PD, and the staging registered in it, on the connection's device:
 * after a reconnect rdma_cm may hand out another device context.
 */
static int pd_and_staging(struct ini_conn *c)
{
	if (c->pd && c->pd->context != c->w.id->verbs) {
		if (c->staging_mr)
			ibv_dereg_mr(c->staging_mr);
		c->staging_mr = NULL;
		ibv_dealloc_pd(c->pd);
		c->pd = NULL;
	}
	if (!c->pd)
		c->pd = ibv_alloc_pd(c->w.id->verbs);
	if (!c->pd)
		return fail(c, 3, "ibv_alloc_pd: %s", strerror(errno));
	if (c->staging && !c->staging_mr)
		c->staging_mr = ibv_reg_mr(c->pd, c->staging, c->staging_len,
					   IBV_ACCESS_LOCAL_WRITE);
	if (c->staging && !c->staging_mr)
		return fail(c, 3, "reg_mr(staging %zu): %s", c->staging_len,
			    strerror(errno));
	return 0;
}

static int make_qp(struct ini_conn *c)
{
	struct ibv_qp_init_attr a;
	struct mrs_err e = { 0 };

	if (wire_conn_init(&c->w, c->pd, N_MSGS, N_MSGS,
			   4 * INITIATOR_MAX_QD + 2 * N_MSGS, &e))
		return fail(c, 3, "%s", e.msg);
	wire_conn_qp_attr(&c->w, 2 * INITIATOR_MAX_QD, &a);
	if (rdma_create_qp(c->w.id, c->pd, &a))
		return fail(c, 3, "rdma_create_qp: %s", strerror(errno));
	c->w.qp = c->w.id->qp;
	if (wire_conn_post_recvs(&c->w, &e))
		return fail(c, 3, "%s", e.msg);
	return 0;
}

/* One try: resolve, connect. -ECONNREFUSED & co: the target not yet up. */
static int connect_once(struct ini_conn *c, const struct sockaddr *dst)
{
	uint32_t pdata[2] = { WIRE_MAGIC, c->index };
	struct rdma_conn_param cp = { .private_data = pdata,
				      .private_data_len = sizeof(pdata),
				      .responder_resources = 16,
				      .initiator_depth = 16,
				      .retry_count = 7,
				      .rnr_retry_count = 7 };
	struct ibv_device_attr da;
	int ret;

	if (rdma_create_id(c->ch, &c->w.id, c, RDMA_PS_TCP))
		return fail(c, 3, "rdma_create_id: %s", strerror(errno));
	if (rdma_resolve_addr(c->w.id, NULL, (struct sockaddr *)dst,
			      CM_TIMEOUT_MS))
		return -errno;
	ret = wait_event(c, RDMA_CM_EVENT_ADDR_RESOLVED);
	if (!ret && rdma_resolve_route(c->w.id, CM_TIMEOUT_MS))
		ret = -errno;
	if (!ret)
		ret = wait_event(c, RDMA_CM_EVENT_ROUTE_RESOLVED);
	if (ret)
		return ret;
	if (pd_and_staging(c) || make_qp(c))
		return -EIO;
	if (!ibv_query_device(c->w.id->verbs, &da) && da.max_qp_rd_atom < 16)
		cp.responder_resources = cp.initiator_depth =
			(uint8_t)da.max_qp_rd_atom;
	if (rdma_connect(c->w.id, &cp))
		return -errno;
	return wait_event(c, RDMA_CM_EVENT_ESTABLISHED);
}

static void drop(struct ini_conn *c)
{
	if (c->w.id) {
		rdma_disconnect(c->w.id);
		wire_conn_free(&c->w);
		rdma_destroy_id(c->w.id);
	}
	c->w.id = NULL;
	c->n_out = 0;
}

/* Connect, retrying while the target is not listening yet. */
static int conn_connect(struct ini_conn *c, double timeout)
{
	const struct endpoint *ep = &c->ini->ep;
	double deadline = mono_now() + timeout;
	struct mrs_err e = { 0 };
	struct addrinfo *ai;
	int ret;

	if (endpoint_resolve(ep, false, &ai, &e))
		return fail(c, 2, "%s", e.msg);
	do {
		ret = connect_once(c, ai->ai_addr);
		if (ret && c->status)
			break;
		if (ret) {
			drop(c);
			usleep(300 * 1000);
		}
	} while (ret && mono_now() < deadline);
	freeaddrinfo(ai);
	if (ret && !c->status)
		fail(c, 3,
		     "connection %u to %s:%u: %s, last event %s (is the target listening, with an RDMA device on that address?)",
		     c->index, ep->addr, ep->port,
		     ret == -ETIMEDOUT ? "timed out" :
		     ret == -EPROTO    ? "unexpected connection event" :
					 strerror(-ret),
		     c->last_event[0] ? c->last_event : "none");
	return ret ? -1 : 0;
}

static int take_hello(struct ini_conn *c, const struct wire_hello *h)
{
	size_t len = (size_t)h->qd * h->block_size;

	if (h->qd == 0 || h->qd > INITIATOR_MAX_QD || h->block_size == 0)
		return fail(c, 3, "hello: qd %u, block size %u: want qd 1-%u",
			    h->qd, h->block_size, INITIATOR_MAX_QD);
	if (c->have_hello && c->staging_len != len)
		return fail(c, 3, "hello: the block layout changed");
	c->hello = *h;
	if (!c->have_hello) {
		c->staging = mmap(NULL, len, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (c->staging == MAP_FAILED) {
			c->staging = NULL;
			return fail(c, 3, "mmap(%zu): %s", len,
				    strerror(errno));
		}
		c->staging_len = len;
		c->staging_mr = ibv_reg_mr(c->pd, c->staging, len,
					   IBV_ACCESS_LOCAL_WRITE);
		if (!c->staging_mr)
			return fail(c, 3, "reg_mr(staging %zu): %s", len,
				    strerror(errno));
		c->have_hello = true;
		if (c->index == 0)
			initiator_hello(c->ini, h->total);
	}
	return 0;
}

static int post_rdma(struct ini_conn *c, uint64_t wr_id,
		     enum ibv_wr_opcode code, uint64_t addr, uint32_t rkey,
		     uint32_t slot, uint32_t len)
{
	struct ibv_sge sge = { (uintptr_t)c->staging +
				       (uint64_t)slot * c->hello.block_size,
			       len, c->staging_mr->lkey };
	struct ibv_send_wr wr = { .wr_id = wr_id,
				  .sg_list = &sge,
				  .num_sge = 1,
				  .opcode = code,
				  .send_flags = IBV_SEND_SIGNALED };
	struct ibv_send_wr *bad;

	wr.wr.rdma.remote_addr = addr;
	wr.wr.rdma.rkey = rkey;
	return ibv_post_send(c->w.qp, &wr, &bad);
}

static void report(struct ini_conn *c, uint32_t slot, int status)
{
	/* Full only with reports for slots out of range, which go unread. */
	if (c->n_out < INITIATOR_MAX_QD)
		c->out[c->n_out++] = (struct wire_report){ slot, status };
}

static void exec_order(struct ini_conn *c, const struct wire_order *o)
{
	uint8_t *buf;
	int ret;

	if (o->slot >= c->hello.qd || o->len > c->hello.block_size) {
		report(c, o->slot, IBV_WC_LOC_LEN_ERR);
		return;
	}
	c->orders[o->slot] = *o;
	buf = c->staging + (size_t)o->slot * c->hello.block_size;
	if (o->op == WIRE_OP_WRITE) {
		struct block_key k = { o->mr_id, o->len, o->offset, o->seed };

		block_fill(buf, &k, o->gen);
		ret = post_rdma(c, o->slot, IBV_WR_RDMA_WRITE, o->addr, o->rkey,
				o->slot, o->len);
	} else {
		ret = post_rdma(c, WR_READ_PHASE | o->slot, IBV_WR_RDMA_READ,
				o->addr, o->rkey, o->slot, o->len);
	}
	if (ret)
		report(c, o->slot, IBV_WC_GENERAL_ERR);
}

/* As many messages as there are free send buffers; the rest wait. */
static int flush_reports(struct ini_conn *c)
{
	struct mrs_err e = { 0 };
	struct wire_msg *m;
	unsigned n;

	while (c->n_out) {
		m = wire_conn_msg(&c->w, WIRE_REPORTS);
		if (!m)
			return 0; /* the next round, when a send completed */
		n = c->n_out < WIRE_BATCH ? c->n_out : WIRE_BATCH;
		m->count = n;
		memcpy(m->u.reports, c->out, n * sizeof(c->out[0]));
		c->n_out -= n;
		memmove(c->out, c->out + n, c->n_out * sizeof(c->out[0]));
		if (wire_conn_send(&c->w, m, &e))
			return -1;
	}
	return 0;
}

static int send_final(struct ini_conn *c)
{
	struct mrs_err e = { 0 };
	struct wire_msg *m = wire_conn_msg(&c->w, WIRE_FINAL);

	if (!m)
		return 0; /* again when a send completed */
	m->u.final = c->counts;
	c->final_sent = true;
	return wire_conn_send(&c->w, m, &e);
}

static int take_msg(struct ini_conn *c, const struct ibv_wc *wc)
{
	struct mrs_err e = { 0 };
	const struct wire_msg *m =
		wire_conn_recvd(&c->w, wc->wr_id, wc->byte_len, &e);

	if (!m)
		return fail(c, 3, "%s", e.msg);
	switch (m->type) {
	case WIRE_HELLO:
		if (take_hello(c, &m->u.hello))
			return -1;
		break;
	case WIRE_ORDERS:
		for (unsigned i = 0; i < m->count && c->have_hello; i++)
			exec_order(c, &m->u.orders[i]);
		break;
	case WIRE_BYE:
		c->bye = true;
		break;
	default:
		return fail(c, 3, "a control message of type %u", m->type);
	}
	return wire_conn_repost(&c->w, wc->wr_id, &e) ?
		       fail(c, 3, "%s", e.msg) :
		       0;
}

/* An operation ended: a READ goes on to its WRITE back to the target. */
static void take_op(struct ini_conn *c, const struct ibv_wc *wc)
{
	uint32_t slot = (uint32_t)wc->wr_id;
	const struct wire_order *o = &c->orders[slot % INITIATOR_MAX_QD];

	if (wc->status == IBV_WC_SUCCESS && (wc->wr_id & WR_READ_PHASE)) {
		if (!post_rdma(c, slot, IBV_WR_RDMA_WRITE, o->staging,
			       o->staging_rkey, slot, o->len))
			return;
	}
	if (wc->status == IBV_WC_SUCCESS) {
		c->counts.ops[o->op == WIRE_OP_WRITE ? 0 : 1]++;
		c->counts.bytes += o->len;
	} else if (wc->status != IBV_WC_WR_FLUSH_ERR) {
		c->counts.errors++;
	}
	report(c, slot, wc->status);
}

/* 1: the QP failed (reconnect), 0: go on, -1: the connection is over. */
static int take_wc(struct ini_conn *c, const struct ibv_wc *wc)
{
	if (wc->wr_id & WIRE_WR_RECV) {
		if (wc->status != IBV_WC_SUCCESS)
			return 1;
		return take_msg(c, wc);
	}
	if (wc->wr_id & WIRE_WR_SEND) {
		wire_conn_sent(&c->w);
		if (wc->status != IBV_WC_SUCCESS)
			return 1;
		if (c->final_sent)
			c->done = true;
		return 0;
	}
	take_op(c, wc);
	return wc->status == IBV_WC_SUCCESS ? 0 : 1;
}

static int serve_round(struct ini_conn *c)
{
	struct ibv_wc wc[32];
	struct mrs_err e = { 0 };
	int n, ev, broken = 0;

	n = wire_conn_wait(&c->w, wc, 32, 1000, &ev, &e);
	if (n < 0)
		return fail(c, 3, "%s", e.msg);
	for (int i = 0; i < n && !c->status; i++)
		broken |= take_wc(c, &wc[i]) > 0;
	if (c->status)
		return -1;
	if (ev == RDMA_CM_EVENT_DISCONNECTED ||
	    ev == RDMA_CM_EVENT_DEVICE_REMOVAL)
		return c->done ?
			       0 :
			       fail(c, 3,
				    "the target at %s:%u went away (%s) on connection %u before the end of its run",
				    c->ini->ep.addr, c->ini->ep.port,
				    rdma_event_str((enum rdma_cm_event_type)ev),
				    c->index);
	if (broken)
		return 1;
	if (c->bye && !c->final_sent && !c->n_out)
		return send_final(c) ? 1 : 0;
	return flush_reports(c) ? 1 : 0;
}

void *ini_conn_main(void *arg)
{
	struct ini_conn *c = arg;
	int ret;

	c->ch = wire_conn_channel();
	if (!c->ch) {
		fail(c, 3, "rdma_create_event_channel: %s", strerror(errno));
		return NULL;
	}
	c->w.ch = c->ch;
	ret = conn_connect(c, c->ini->connect_timeout);
	while (!ret && !c->done) {
		ret = serve_round(c);
		if (ret > 0) {
			/* The QP failed: the target reconnects too. */
			drop(c);
			c->reconnects++;
			ret = conn_connect(c, RECONNECT_TIMEOUT);
		}
	}
	drop(c);
	if (c->staging_mr)
		ibv_dereg_mr(c->staging_mr);
	if (c->staging)
		munmap(c->staging, c->staging_len);
	if (c->pd)
		ibv_dealloc_pd(c->pd);
	rdma_destroy_event_channel(c->ch);
	if (c->index == 0 && !c->have_hello)
		initiator_hello(c->ini, 0);
	return NULL;
}
