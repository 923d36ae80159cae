/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_DMA_H
#define MRS_DMA_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "device.h"
#include "error.h"
#include "finding.h"
#include "latency.h"
#include "loopback.h"
#include "remote.h"
#include "target.h"
#include "watchdog.h"

enum dma_op {
	DMA_OP_WRITE, /* RDMA WRITE of a new generation */
	DMA_OP_READ, /* RDMA READ, checked against the shadow */
	DMA_OP_SEND, /* SEND into a receive buffer inside the MR */
	DMA_OP_ATOMIC, /* fetch-add / compare-swap on a block's counter */
	DMA_OP_MIXED, /* all of the above, chosen at random */
	DMA_OP_COUNT
};

const char *dma_op_name(enum dma_op op);
int dma_op_parse(const char *name, enum dma_op *op);

struct dma_spec {
	char name[32];
	char mr[32]; /* target MR name */
	enum dma_op op;
	size_t block_size;
	unsigned qd; /* operations in flight per thread */
	unsigned threads; /* each with its own pair of QPs */
	unsigned check_every; /* a full check of one block per N ops */
};

struct dma_stats {
	uint64_t ops[DMA_OP_COUNT]; /* completed, per kind */
	uint64_t bytes; /* moved by successful operations */
	uint64_t wc_errors, reconnects;
	uint64_t checks; /* blocks checked through every view */
	uint64_t blocks_final; /* blocks checked at the end */
	bool drained; /* every operation completed at the stop */
	double first_done; /* first completion, seconds since the process
			      started (clock_process_age()); 0: none */
	struct latency latency; /* post to completion, successful ops */
	/* Two-host mode: what the initiator says it did (wire_final). */
	bool remote;
	uint64_t peer_ops[2], peer_bytes, peer_errors;
	uint64_t peers_lost; /* connections that went and did not come back */
};

struct dma_worker;

/* The threads of one [dma] section. */
struct dma_job {
	const struct dma_spec *spec;
	struct target *t;
	struct rdma_dev *dev;
	struct finding_list *fl;
	double t0; /* run start, on the monotonic clock */
	double drain_timeout; /* seconds to wait for completions at stop */
	struct watchdog *wd; /* NULL: completions are not watched */
	double deadline; /* seconds without a completion that are a hang */
	const atomic_bool *stop;
	atomic_uint_fast64_t *live_bytes; /* bytes so far, NULL: not counted */
	unsigned first, stride; /* worker i owns blocks first+i (mod stride) */
	/* Two-host mode: operations go to the initiator through this. */
	struct remote_listener *remote;
	struct dma_worker *workers;
	unsigned n_started;
	unsigned n_stuck; /* workers not joined: blocked in the kernel */
	struct dma_stats total; /* summed by dma_job_join() */
};

/* Connect QPs, register staging memory and start the threads. */
int dma_job_start(struct dma_job *j, struct mrs_err *e);
/*
 * After *stop is set: wait for the threads (they drain, then check every
 * block they own once more) and free what they held. Workers that hang
 * are left as they are; returns how many.
 */
unsigned dma_job_join(struct dma_job *j);

#endif
