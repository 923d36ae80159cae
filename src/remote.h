/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_REMOTE_H
#define MRS_REMOTE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "device.h"
#include "endpoint.h"
#include "error.h"
#include "wire_conn.h"

/*
 * The target's side of two-host mode (--listen): one rdma_cm listener,
 * and per DMA worker one connection to the initiator that carries the
 * worker's operations as orders instead of posting them on loopback QPs.
 * The worker keeps its slots, shadow and checks (src/dma.c); this is only
 * its transport.
 */
struct remote_listener {
	struct endpoint ep;
	struct rdma_event_channel *ch;
	struct rdma_cm_id *id;
	char device[IBV_SYSFS_NAME_MAX]; /* the device ep.addr is on */
	unsigned total; /* connections the run will accept */
	unsigned next; /* the next connection's index */
	pthread_mutex_t lock; /* accepts of concurrent reconnects */
	/* Connection requests taken off the channel, by connection index. */
	struct rdma_cm_id *pending[WIRE_MAX_CONNS];
};

/* Bind and listen on ep; sets l->device to the RDMA device ep is on. */
int remote_listen(const struct endpoint *ep, struct remote_listener *l,
		  struct mrs_err *e);
void remote_unlisten(struct remote_listener *l);

struct remote_conn {
	struct remote_listener *l;
	struct rdma_dev *dev;
	struct wire_conn w;
	unsigned index;
	unsigned qd;
	struct wire_hello hello;
	struct wire_msg *batch; /* orders not sent yet, NULL: none */
	/* Reports received and not handed out yet. */
	struct wire_report *queue;
	unsigned q_head, q_len;
	bool *outstanding; /* by slot: an order went and no report came */
	unsigned n_out;
	bool broken; /* the QP or the connection failed: reconnect */
	const char *why; /* what broke it */
	struct wire_final final; /* the initiator's counts, at the end */
	bool got_final;
	const atomic_bool *stop; /* set: a reconnect waits no longer */
	/*
	 * Seconds without a report while orders are out, after which the
	 * initiator counts as gone (a pulled cable says nothing); 0: never.
	 */
	double silence_limit;
	double last_heard; /* mono_now() of the last report, or first order */
};

/*
 * Wait up to timeout seconds for the initiator to connect, connect a QP
 * on dev's PD (the MRs are there) and send h. index is the connection's.
 */
int remote_accept(struct remote_conn *c, struct remote_listener *l,
		  struct rdma_dev *dev, unsigned qd, const struct wire_hello *h,
		  double timeout, struct mrs_err *e);
/* Queue an order; it goes at the next remote_wait() or a full batch. */
int remote_order(struct remote_conn *c, const struct wire_order *o,
		 struct mrs_err *e);
/*
 * Send queued orders, then wait up to timeout_ms for reports, handed out
 * as work completions (wr_id = slot, status = the initiator's). Once the
 * connection broke, every outstanding order completes with
 * IBV_WC_WR_FLUSH_ERR, as a local QP in error would do.
 */
int remote_wait(struct remote_conn *c, struct ibv_wc *wc, int max,
		int timeout_ms, struct mrs_err *e);
/* After a break: the initiator's next connection for this index. */
int remote_reconnect(struct remote_conn *c, double timeout, struct mrs_err *e);
/* Tell the initiator the run is over and take its counts (c->final). */
int remote_bye(struct remote_conn *c, double timeout, struct mrs_err *e);
void remote_close(struct remote_conn *c);

#endif
