/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_INITIATOR_H
#define MRS_INITIATOR_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "endpoint.h"
#include "wire_conn.h"

/*
 * The initiator of two-host mode (--connect): it connects to the target,
 * one connection per DMA thread there, and carries out the orders that
 * come in. It keeps no state of the blocks: the target checks them.
 */
#define INITIATOR_MAX_QD 256

struct initiator;

struct ini_conn {
	struct initiator *ini;
	unsigned index;
	pthread_t thread;
	bool started;
	struct rdma_event_channel *ch;
	struct ibv_pd *pd;
	struct wire_conn w;
	struct wire_hello hello;
	bool have_hello;
	uint8_t *staging; /* hello.qd blocks of hello.block_size */
	size_t staging_len;
	struct ibv_mr *staging_mr;
	struct wire_order orders[INITIATOR_MAX_QD]; /* by slot, in flight */
	/*
	 * Reports not sent yet: one per slot at most (the target orders a
	 * slot again only after its report), sent WIRE_BATCH to a message.
	 */
	struct wire_report out[INITIATOR_MAX_QD];
	unsigned n_out;
	struct wire_final counts;
	uint64_t reconnects;
	bool bye, final_sent, done;
	int status; /* exit status of this connection */
	char error[512];
	char last_event[64]; /* the last rdma_cm event of a connect */
};

struct initiator {
	struct endpoint ep;
	double connect_timeout; /* seconds to retry the first connect */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned total; /* connections, from the first hello; 0: not yet */
	struct ini_conn conns[WIRE_MAX_CONNS];
};

/* One connection, from its connect to the target's bye. */
void *ini_conn_main(void *arg);
/* Signals that the first hello arrived (total is known). */
void initiator_hello(struct initiator *ini, unsigned total);

/* --connect: the whole initiator; returns an exit status. */
int initiator_main(const struct endpoint *ep, const char *json_file, bool json);

#endif
