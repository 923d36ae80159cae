/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_WIRE_CONN_H
#define MRS_WIRE_CONN_H

#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>
#include <stdbool.h>

#include "error.h"
#include "wire.h"

/*
 * One rdma_cm connection of two-host mode, as both ends use it: the QP,
 * its CQ with a completion channel, the connection's own event channel,
 * and a set of message buffers (receives posted ahead, a ring of sends).
 * Work request ids: the top bits tell control messages from operations.
 */
#define WIRE_WR_RECV (1ULL << 62)
#define WIRE_WR_SEND (1ULL << 61)
#define WIRE_WR_TAGS (WIRE_WR_RECV | WIRE_WR_SEND)

struct wire_conn {
	struct rdma_event_channel *ch;
	struct rdma_cm_id *id;
	struct ibv_comp_channel *cc;
	struct ibv_cq *cq;
	struct ibv_qp *qp;
	bool own_qp; /* created with ibv_create_qp, not rdma_create_qp */
	struct wire_msg *msgs; /* n_recv receive buffers, then n_send */
	struct ibv_mr *msgs_mr;
	unsigned n_recv, n_send, send_next, send_busy;
};

/*
 * A connection's own rdma_cm event channel, non-blocking: wire_conn_wait()
 * and wire_conn_event() take what is there and never block on it.
 */
struct rdma_event_channel *wire_conn_channel(void);
/* CQ, completion channel and message buffers on pd; depth for the QP. */
int wire_conn_init(struct wire_conn *c, struct ibv_pd *pd, unsigned n_recv,
		   unsigned n_send, unsigned cq_depth, struct mrs_err *e);
/* The QP attributes these buffers need, with send_wr more for DMA. */
void wire_conn_qp_attr(const struct wire_conn *c, unsigned send_wr,
		       struct ibv_qp_init_attr *a);
int wire_conn_post_recvs(struct wire_conn *c, struct mrs_err *e);
int wire_conn_repost(struct wire_conn *c, uint64_t wr_id, struct mrs_err *e);
/* The receive buffer a completion with this wr_id filled. */
const struct wire_msg *wire_conn_recvd(const struct wire_conn *c,
				       uint64_t wr_id, uint32_t len,
				       struct mrs_err *e);
/* A ring buffer to fill and send; NULL when all are in flight. */
struct wire_msg *wire_conn_msg(struct wire_conn *c, enum wire_type type);
int wire_conn_send(struct wire_conn *c, struct wire_msg *m, struct mrs_err *e);
/* A send completion frees its buffer (the ring completes in order). */
void wire_conn_sent(struct wire_conn *c);
/*
 * Completions into wc (up to max), waiting up to timeout_ms; a connection
 * event, if one came first, into *ev (RDMA_CM_EVENT_* or -1 for none).
 * Returns the number of completions or a negative errno with e set.
 */
int wire_conn_wait(struct wire_conn *c, struct ibv_wc *wc, int max,
		   int timeout_ms, int *ev, struct mrs_err *e);
/* Take one pending connection event without waiting: -1 when none. */
int wire_conn_event(struct wire_conn *c, struct mrs_err *e);
/* Everything but the id and its event channel (they may be reused). */
void wire_conn_free(struct wire_conn *c);

#endif
