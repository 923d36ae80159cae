// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>

#include "fault.h"
#include "loopback.h"

#define QP_ACCESS                                           \
	(IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ | \
	 IBV_ACCESS_REMOTE_ATOMIC)

static struct ibv_qp *qp_create(struct loopback *l, struct mrs_err *e)
{
	struct ibv_qp_init_attr a = {
		.send_cq = l->cq,
		.recv_cq = l->cq,
		.qp_type = IBV_QPT_RC,
		.sq_sig_all = 1,
		.cap = { .max_send_wr = l->depth,
			 .max_recv_wr = l->depth,
			 .max_send_sge = 1,
			 .max_recv_sge = 1 },
	};
	struct ibv_qp *qp = fault_fire(FAULT_RDMA_CREATE_QP) ?
				    NULL :
				    ibv_create_qp(l->dev->pd, &a);

	if (!qp)
		mrs_err_sys(e, "ibv_create_qp(%s, RC, depth %u)",
			    l->dev->info.name, l->depth);
	return qp;
}

static int qp_to_init(struct loopback *l, struct ibv_qp *qp, struct mrs_err *e)
{
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_INIT,
				 .port_num = l->dev->info.port,
				 .qp_access_flags = QP_ACCESS };

	if (ibv_modify_qp(qp, &a,
			  IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
				  IBV_QP_ACCESS_FLAGS))
		return mrs_err_sys(e, "modify_qp(%u, INIT)", qp->qp_num);
	return 0;
}

static int qp_to_rtr(struct loopback *l, struct ibv_qp *qp, uint32_t dest,
		     struct mrs_err *e)
{
	struct rdma_dev *d = l->dev;
	struct ibv_qp_attr a = {
		.qp_state = IBV_QPS_RTR,
		.path_mtu = d->mtu,
		.dest_qp_num = dest,
		.max_dest_rd_atomic = d->max_rd_atomic,
		.min_rnr_timer = 12,
		.ah_attr = { .is_global = 1,
			     .port_num = d->info.port,
			     .grh = { .dgid = d->gid,
				      .sgid_index = (uint8_t)d->info.gid_index,
				      .hop_limit = 64 } },
	};

	if (ibv_modify_qp(qp, &a,
			  IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
				  IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
				  IBV_QP_MAX_DEST_RD_ATOMIC |
				  IBV_QP_MIN_RNR_TIMER))
		return mrs_err_sys(e, "modify_qp(%u, RTR to %u)", qp->qp_num,
				   dest);
	return 0;
}

static int qp_to_rts(struct loopback *l, struct ibv_qp *qp, struct mrs_err *e)
{
	/* rnr_retry 7 = retry forever: a SEND waits for its receive. */
	struct ibv_qp_attr a = { .qp_state = IBV_QPS_RTS,
				 .timeout = 14,
				 .retry_cnt = 7,
				 .rnr_retry = 7,
				 .max_rd_atomic = l->dev->max_rd_atomic };

	if (ibv_modify_qp(qp, &a,
			  IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |
				  IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
				  IBV_QP_MAX_QP_RD_ATOMIC))
		return mrs_err_sys(e, "modify_qp(%u, RTS)", qp->qp_num);
	return 0;
}

static void qps_destroy(struct loopback *l)
{
	for (int i = 0; i < 2; i++) {
		if (l->qp[i])
			ibv_destroy_qp(l->qp[i]);
		l->qp[i] = NULL;
	}
}

static int qps_connect(struct loopback *l, struct mrs_err *e)
{
	int ret = 0;

	for (int i = 0; i < 2 && !ret; i++) {
		l->qp[i] = qp_create(l, e);
		ret = l->qp[i] ? qp_to_init(l, l->qp[i], e) : -e->code;
	}
	for (int i = 0; i < 2 && !ret; i++)
		ret = qp_to_rtr(l, l->qp[i], l->qp[1 - i]->qp_num, e);
	for (int i = 0; i < 2 && !ret; i++)
		ret = qp_to_rts(l, l->qp[i], e);
	if (ret)
		qps_destroy(l);
	return ret;
}

int loopback_create(struct rdma_dev *d, unsigned depth, struct loopback *l,
		    struct mrs_err *e)
{
	int ret;

	memset(l, 0, sizeof(*l));
	l->dev = d;
	l->depth = depth;
	l->channel = ibv_create_comp_channel(d->ctx);
	if (!l->channel)
		return mrs_err_sys(e, "ibv_create_comp_channel(%s)",
				   d->info.name);
	fcntl(l->channel->fd, F_SETFL,
	      fcntl(l->channel->fd, F_GETFL) | O_NONBLOCK);
	l->cq = fault_fire(FAULT_RDMA_CREATE_CQ) ?
			NULL :
			ibv_create_cq(d->ctx, (int)(depth * 3), NULL,
				      l->channel, 0);
	if (!l->cq) {
		ret = mrs_err_sys(e, "ibv_create_cq(%s, %u)", d->info.name,
				  depth * 3);
		goto fail;
	}
	if (ibv_req_notify_cq(l->cq, 0)) {
		ret = mrs_err_sys(e, "ibv_req_notify_cq");
		goto fail;
	}
	ret = qps_connect(l, e);
	if (ret)
		goto fail;
	return 0;
fail:
	loopback_destroy(l);
	return ret;
}

int loopback_reconnect(struct loopback *l, struct mrs_err *e)
{
	qps_destroy(l);
	return qps_connect(l, e);
}

void loopback_destroy(struct loopback *l)
{
	qps_destroy(l);
	if (l->cq)
		ibv_destroy_cq(l->cq);
	l->cq = NULL;
	if (l->channel)
		ibv_destroy_comp_channel(l->channel);
	l->channel = NULL;
}

/* ibv_poll_cq(), with errno set when it fails: it returns no errno itself. */
static int poll_cq(struct loopback *l, int max, struct ibv_wc *wc)
{
	int n;

	if (fault_fire(FAULT_RDMA_POLL_CQ))
		return -1;
	n = ibv_poll_cq(l->cq, max, wc);
	if (n < 0)
		errno = EIO;
	return n;
}

/* Take the channel's event, if any, and re-arm before polling again. */
static int rearm(struct loopback *l, struct mrs_err *e)
{
	struct ibv_cq *cq;
	void *ctx;

	if (!ibv_get_cq_event(l->channel, &cq, &ctx))
		ibv_ack_cq_events(cq, 1);
	else if (errno != EAGAIN)
		return mrs_err_sys(e, "ibv_get_cq_event");
	if (ibv_req_notify_cq(l->cq, 0))
		return mrs_err_sys(e, "ibv_req_notify_cq");
	return 0;
}

int loopback_wait(struct loopback *l, struct ibv_wc *wc, int max,
		  int timeout_ms, struct mrs_err *e)
{
	struct pollfd p = { .fd = l->channel->fd, .events = POLLIN };
	int n, ret;

	n = poll_cq(l, max, wc);
	if (n)
		return n < 0 ? mrs_err_sys(e, "ibv_poll_cq(%s)",
					   l->dev->info.name) :
			       n;
	ret = poll(&p, 1, timeout_ms);
	if (ret < 0 && errno != EINTR)
		return mrs_err_sys(e, "poll(completion channel)");
	ret = rearm(l, e);
	if (ret)
		return ret;
	/* Completions that arrived before the re-arm raise no event. */
	n = poll_cq(l, max, wc);
	return n < 0 ? mrs_err_sys(e, "ibv_poll_cq(%s)", l->dev->info.name) : n;
}
