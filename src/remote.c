// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The target's transport of two-host mode: orders to the initiator over
 * an rdma_cm connection, reports back as work completions. The QP is the
 * target's own (ibv_create_qp on the PD of its MRs): a QP that rdma_cm
 * creates lives in rdma_cm's device context, whose PD cannot reach MRs
 * registered in the context mrstress opened, so rdma_cm only connects it
 * (rdma_init_qp_attr) here.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "remote.h"

#define CM_BACKLOG WIRE_MAX_CONNS

int remote_listen(const struct endpoint *ep, struct remote_listener *l,
		  struct mrs_err *e)
{
	struct addrinfo *ai = NULL;
	int ret;

	memset(l, 0, sizeof(*l));
	l->ep = *ep;
	pthread_mutex_init(&l->lock, NULL);
	l->ch = rdma_create_event_channel();
	if (!l->ch)
		return mrs_err_sys(e, "rdma_create_event_channel");
	if (rdma_create_id(l->ch, &l->id, NULL, RDMA_PS_TCP)) {
		ret = mrs_err_sys(e, "rdma_create_id");
		goto fail;
	}
	ret = endpoint_resolve(ep, true, &ai, e);
	if (ret)
		goto fail;
	if (rdma_bind_addr(l->id, ai->ai_addr)) {
		ret = mrs_err_sys(e, "rdma_bind_addr(%s:%u)", ep->addr,
				  ep->port);
		goto fail;
	}
	if (!l->id->verbs) {
		ret = mrs_err_set(
			e, ENODEV,
			"--listen %s: no RDMA device has that address (rdma link show; an rxe device needs 'rdma link add rxe0 type rxe netdev IFACE')",
			ep->addr);
		goto fail;
	}
	str_copy(l->device, sizeof(l->device),
		 ibv_get_device_name(l->id->verbs->device));
	if (rdma_listen(l->id, CM_BACKLOG)) {
		ret = mrs_err_sys(e, "rdma_listen(%s:%u)", ep->addr, ep->port);
		goto fail;
	}
	freeaddrinfo(ai);
	return 0;
fail:
	if (ai)
		freeaddrinfo(ai);
	remote_unlisten(l);
	return ret;
}

void remote_unlisten(struct remote_listener *l)
{
	for (size_t i = 0; i < WIRE_MAX_CONNS; i++)
		if (l->pending[i])
			rdma_reject(l->pending[i], NULL, 0);
	if (l->id)
		rdma_destroy_id(l->id);
	l->id = NULL;
	if (l->ch)
		rdma_destroy_event_channel(l->ch);
	l->ch = NULL;
}

/* The connection index an initiator asks for, in its private data. */
static int request_index(const struct rdma_cm_event *ev)
{
	uint32_t v[2];

	if (ev->param.conn.private_data_len < sizeof(v))
		return -1;
	memcpy(v, ev->param.conn.private_data, sizeof(v));
	return v[0] == WIRE_MAGIC && v[1] < WIRE_MAX_CONNS ? (int)v[1] : -1;
}

/* One event off the listener's channel; requests are kept by index. */
static void listener_poll(struct remote_listener *l, int timeout_ms)
{
	struct pollfd p = { .fd = l->ch->fd, .events = POLLIN };
	struct rdma_cm_event *ev;
	int i;

	if (poll(&p, 1, timeout_ms) <= 0 || rdma_get_cm_event(l->ch, &ev))
		return;
	if (ev->event != RDMA_CM_EVENT_CONNECT_REQUEST) {
		rdma_ack_cm_event(ev);
		return;
	}
	i = request_index(ev);
	if (i < 0) {
		rdma_reject(ev->id, NULL, 0);
		rdma_destroy_id(ev->id);
	} else {
		/* A newer request for the same index replaces an old one. */
		if (l->pending[i]) {
			rdma_reject(l->pending[i], NULL, 0);
			rdma_destroy_id(l->pending[i]);
		}
		l->pending[i] = ev->id;
	}
	rdma_ack_cm_event(ev);
}

static struct rdma_cm_id *take_request(struct remote_listener *l,
				       unsigned index, double deadline,
				       const atomic_bool *stop)
{
	struct rdma_cm_id *id = NULL;

	while (!id && mono_now() < deadline && !(stop && atomic_load(stop))) {
		pthread_mutex_lock(&l->lock);
		id = l->pending[index];
		l->pending[index] = NULL;
		if (!id)
			listener_poll(l, 100);
		pthread_mutex_unlock(&l->lock);
	}
	return id;
}

static int modify(struct remote_conn *c, enum ibv_qp_state s, struct mrs_err *e)
{
	struct ibv_qp_attr a = { .qp_state = s };
	int mask = 0;

	if (rdma_init_qp_attr(c->w.id, &a, &mask))
		return mrs_err_sys(e, "rdma_init_qp_attr(state %d)", (int)s);
	if (s == IBV_QPS_RTS)
		a.rnr_retry = 7; /* a SEND waits for its receive */
	if (ibv_modify_qp(c->w.qp, &a, mask))
		return mrs_err_sys(e, "modify_qp(%u, state %d)",
				   c->w.qp->qp_num, (int)s);
	return 0;
}

static int wait_established(struct remote_conn *c, double deadline,
			    struct mrs_err *e)
{
	struct pollfd p = { .fd = c->w.ch->fd, .events = POLLIN };
	int ev;

	while (mono_now() < deadline) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		ev = wire_conn_event(&c->w, e);
		if (ev == RDMA_CM_EVENT_ESTABLISHED)
			return 0;
		if (ev == -2)
			return -e->code;
		if (ev >= 0)
			return mrs_err_set(
				e, ECONNREFUSED,
				"connection %u: %s instead of ESTABLISHED",
				c->index,
				rdma_event_str((enum rdma_cm_event_type)ev));
	}
	return mrs_err_set(e, ETIMEDOUT, "connection %u: not established",
			   c->index);
}

static int send_hello(struct remote_conn *c, struct mrs_err *e)
{
	struct wire_msg *m = wire_conn_msg(&c->w, WIRE_HELLO);

	m->u.hello = c->hello;
	m->u.hello.index = c->index;
	m->u.hello.total = c->l->total;
	return wire_conn_send(&c->w, m, e);
}

static int conn_setup(struct remote_conn *c, struct rdma_cm_id *id,
		      double deadline, struct mrs_err *e)
{
	struct rdma_conn_param cp = { .responder_resources =
					      c->dev->max_rd_atomic,
				      .initiator_depth = c->dev->max_rd_atomic,
				      .rnr_retry_count = 7 };
	struct ibv_qp_init_attr a;
	int ret;

	c->w.id = id;
	if (rdma_migrate_id(id, c->w.ch))
		return mrs_err_sys(e, "rdma_migrate_id");
	ret = wire_conn_init(&c->w, c->dev->pd, c->qd + 8, c->qd + 8,
			     4 * c->qd + 32, e);
	if (ret)
		return ret;
	wire_conn_qp_attr(&c->w, 0, &a);
	c->w.qp = ibv_create_qp(c->dev->pd, &a);
	if (!c->w.qp)
		return mrs_err_sys(e, "ibv_create_qp(%s, RC)",
				   c->dev->info.name);
	c->w.own_qp = true;
	ret = modify(c, IBV_QPS_INIT, e);
	if (!ret)
		ret = modify(c, IBV_QPS_RTR, e);
	if (!ret)
		ret = modify(c, IBV_QPS_RTS, e);
	if (!ret)
		ret = wire_conn_post_recvs(&c->w, e);
	if (ret)
		return ret;
	cp.qp_num = c->w.qp->qp_num;
	if (rdma_accept(id, &cp))
		return mrs_err_sys(e, "rdma_accept(connection %u)", c->index);
	ret = wait_established(c, deadline, e);
	if (!ret)
		ret = send_hello(c, e);
	return ret;
}

/* The connection's QP and buffers go; its event channel stays. */
static void conn_drop(struct remote_conn *c)
{
	struct rdma_cm_id *id = c->w.id;

	if (id)
		rdma_disconnect(id);
	wire_conn_free(&c->w);
	if (id)
		rdma_destroy_id(id);
	c->w.id = NULL;
	c->batch = NULL;
}

/* Connections whose set-up fails (a stale request) are waited past. */
static int connect_index(struct remote_conn *c, double timeout,
			 struct mrs_err *e)
{
	double deadline = mono_now() + timeout;
	struct rdma_cm_id *id;
	int ret = mrs_err_set(
		e, ETIMEDOUT,
		"no initiator connected to %s:%u as connection %u within %.0f s",
		c->l->ep.addr, c->l->ep.port, c->index, timeout);

	while ((id = take_request(c->l, c->index, deadline, c->stop))) {
		ret = conn_setup(c, id, deadline, e);
		if (!ret)
			break;
		conn_drop(c);
	}
	return ret;
}

int remote_accept(struct remote_conn *c, struct remote_listener *l,
		  struct rdma_dev *dev, unsigned qd, const struct wire_hello *h,
		  double timeout, struct mrs_err *e)
{
	memset(c, 0, sizeof(*c));
	c->l = l;
	c->dev = dev;
	c->qd = qd;
	c->hello = *h;
	pthread_mutex_lock(&l->lock);
	c->index = l->next++;
	pthread_mutex_unlock(&l->lock);
	if (c->index >= WIRE_MAX_CONNS)
		return mrs_err_set(e, E2BIG,
				   "two-host mode: at most %d DMA threads",
				   WIRE_MAX_CONNS);
	c->queue = calloc(qd, sizeof(*c->queue));
	c->outstanding = calloc(qd, sizeof(*c->outstanding));
	if (!c->queue || !c->outstanding)
		return mrs_err_set(e, ENOMEM, "remote connection: no memory");
	c->w.ch = wire_conn_channel();
	if (!c->w.ch)
		return mrs_err_sys(e, "rdma_create_event_channel");
	return connect_index(c, timeout, e);
}

static void broke(struct remote_conn *c, const char *why)
{
	if (!c->broken)
		c->why = why;
	c->broken = true;
}

static int flush_batch(struct remote_conn *c, struct mrs_err *e)
{
	struct wire_msg *m = c->batch;

	if (!m)
		return 0;
	c->batch = NULL;
	if (wire_conn_send(&c->w, m, e)) {
		broke(c, "posting orders failed");
		return -e->code;
	}
	return 0;
}

static void take_reports(struct remote_conn *c, const struct wire_msg *m)
{
	for (unsigned i = 0; i < m->count; i++) {
		const struct wire_report *r = &m->u.reports[i];

		if (r->slot >= c->qd || !c->outstanding[r->slot])
			continue;
		c->last_heard = mono_now();
		c->outstanding[r->slot] = false;
		c->n_out--;
		c->queue[(c->q_head + c->q_len++) % c->qd] = *r;
	}
}

static void take_recv(struct remote_conn *c, const struct ibv_wc *wc)
{
	struct mrs_err e = { 0 };
	const struct wire_msg *m;

	m = wire_conn_recvd(&c->w, wc->wr_id, wc->byte_len, &e);
	if (!m) {
		broke(c, "a bad control message");
		return;
	}
	if (m->type == WIRE_REPORTS) {
		take_reports(c, m);
	} else if (m->type == WIRE_FINAL) {
		c->final = m->u.final;
		c->got_final = true;
	}
	if (wire_conn_repost(&c->w, wc->wr_id, &e))
		broke(c, "reposting a receive failed");
}

static void take_wc(struct remote_conn *c, const struct ibv_wc *wc)
{
	if (wc->status != IBV_WC_SUCCESS) {
		broke(c, "the connection's QP went to error");
		return;
	}
	if (wc->wr_id & WIRE_WR_SEND)
		wire_conn_sent(&c->w);
	else if (wc->wr_id & WIRE_WR_RECV)
		take_recv(c, wc);
}

static void take_event(struct remote_conn *c, int ev)
{
	if (ev == RDMA_CM_EVENT_DISCONNECTED)
		broke(c, "the initiator disconnected");
	else if (ev >= 0 && ev != RDMA_CM_EVENT_ESTABLISHED)
		broke(c, rdma_event_str((enum rdma_cm_event_type)ev));
}

/* Take completions and events, waiting up to timeout_ms for the first. */
static int progress(struct remote_conn *c, int timeout_ms, struct mrs_err *e)
{
	struct ibv_wc wc[32];
	int n, ev;

	do {
		n = wire_conn_wait(&c->w, wc, 32, timeout_ms, &ev, e);
		if (n < 0)
			return n;
		take_event(c, ev);
		for (int i = 0; i < n; i++)
			take_wc(c, &wc[i]);
		timeout_ms = 0;
	} while (n > 0);
	return 0;
}

int remote_order(struct remote_conn *c, const struct wire_order *o,
		 struct mrs_err *e)
{
	if (c->broken || o->slot >= c->qd)
		return EINVAL; /* like a post on a QP in error */
	if (!c->batch) {
		c->batch = wire_conn_msg(&c->w, WIRE_ORDERS);
		if (!c->batch && !progress(c, 0, e))
			c->batch = wire_conn_msg(&c->w, WIRE_ORDERS);
		if (!c->batch)
			return EINVAL;
	}
	if (!c->n_out)
		c->last_heard = mono_now();
	c->batch->u.orders[c->batch->count++] = *o;
	c->outstanding[o->slot] = true;
	c->n_out++;
	if (c->batch->count == WIRE_BATCH && flush_batch(c, e))
		return EINVAL;
	return 0;
}

/* What a QP in error does to what was posted: every order flushes. */
static void flush_outstanding(struct remote_conn *c)
{
	for (unsigned s = 0; s < c->qd; s++) {
		if (!c->outstanding[s])
			continue;
		c->outstanding[s] = false;
		c->queue[(c->q_head + c->q_len++) % c->qd] =
			(struct wire_report){ s, IBV_WC_WR_FLUSH_ERR };
	}
	c->n_out = 0;
}

int remote_wait(struct remote_conn *c, struct ibv_wc *wc, int max,
		int timeout_ms, struct mrs_err *e)
{
	int n = 0;

	if (!c->broken)
		flush_batch(c, e);
	if (!c->broken && !c->q_len && progress(c, timeout_ms, e))
		broke(c, "waiting for completions failed");
	if (!c->broken && c->n_out && c->silence_limit > 0 &&
	    mono_now() - c->last_heard > c->silence_limit)
		broke(c,
		      "no report from the initiator within the hang timeout");
	if (c->broken)
		flush_outstanding(c);
	while (n < max && c->q_len) {
		const struct wire_report *r = &c->queue[c->q_head];

		wc[n++] = (struct ibv_wc){
			.wr_id = r->slot,
			.status = (enum ibv_wc_status)r->status
		};
		c->q_head = (c->q_head + 1) % c->qd;
		c->q_len--;
	}
	return n;
}

int remote_reconnect(struct remote_conn *c, double timeout, struct mrs_err *e)
{
	int ret;

	conn_drop(c);
	c->q_head = c->q_len = 0;
	ret = connect_index(c, timeout, e);
	if (!ret) {
		c->broken = false;
		c->why = NULL;
	}
	return ret;
}

int remote_bye(struct remote_conn *c, double timeout, struct mrs_err *e)
{
	double deadline = mono_now() + timeout;
	struct wire_msg *m;

	if (c->broken)
		return mrs_err_set(e, ENOTCONN, "connection %u: %s", c->index,
				   c->why);
	flush_batch(c, e);
	m = wire_conn_msg(&c->w, WIRE_BYE);
	if (!m && !progress(c, 0, e))
		m = wire_conn_msg(&c->w, WIRE_BYE);
	if (!m)
		return mrs_err_set(
			e, EIO,
			"connection %u: sending bye failed: every send buffer in flight",
			c->index);
	if (wire_conn_send(&c->w, m, e))
		return -e->code;
	while (!c->got_final && !c->broken && mono_now() < deadline)
		if (progress(c, 100, e))
			return -e->code;
	if (!c->got_final)
		return mrs_err_set(
			e, ETIMEDOUT,
			"connection %u: the initiator sent no counts (%s)",
			c->index, c->why ? c->why : "timed out");
	return 0;
}

void remote_close(struct remote_conn *c)
{
	conn_drop(c);
	if (c->w.ch)
		rdma_destroy_event_channel(c->w.ch);
	c->w.ch = NULL;
	free(c->queue);
	free(c->outstanding);
	c->queue = NULL;
	c->outstanding = NULL;
}
