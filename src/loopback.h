/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_LOOPBACK_H
#define MRS_LOOPBACK_H

#include <infiniband/verbs.h>

#include "device.h"
#include "error.h"

/*
 * Two RC QPs on one device, connected to each other through the port's
 * own GID: one rxe device moving data between its own QPs is what works
 * inside a single network namespace (KERNEL-FACTS.md). qp[0] is the
 * requester, qp[1] the responder (it posts receives for SEND). Both
 * complete into one CQ with a completion channel, so a waiting thread
 * sleeps instead of spinning on the emulated CPUs rxe itself needs.
 */
struct loopback {
	struct rdma_dev *dev;
	struct ibv_comp_channel *channel;
	struct ibv_cq *cq;
	struct ibv_qp *qp[2];
	unsigned depth;
};

int loopback_create(struct rdma_dev *d, unsigned depth, struct loopback *l,
		    struct mrs_err *e);
/* Replace both QPs by fresh connected ones (after one went to error). */
int loopback_reconnect(struct loopback *l, struct mrs_err *e);
void loopback_destroy(struct loopback *l);

/*
 * Wait up to timeout_ms for completions and poll up to max of them into wc.
 * Returns the number polled (0 on timeout) or a negative errno with e set.
 */
int loopback_wait(struct loopback *l, struct ibv_wc *wc, int max,
		  int timeout_ms, struct mrs_err *e);

#endif
