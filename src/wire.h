/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_WIRE_H
#define MRS_WIRE_H

#include <stdint.h>

/*
 * What the target and the initiator of two-host mode say to each other:
 * fixed-size messages sent as SEND/RECV on the same RC QP that carries the
 * DMA. Fields are little-endian (both ends are the same mrstress build on
 * the same kind of machine); the magic and version refuse anything else.
 */
#define WIRE_MAGIC 0x5453524dU /* "MRST" */
#define WIRE_VERSION 1
/* Orders or reports per message: a batch, so control is not the limit. */
#define WIRE_BATCH 32
/* Connections of one run: DMA threads in all, each with its own. */
#define WIRE_MAX_CONNS 64

enum wire_type {
	WIRE_HELLO = 1, /* target → initiator, once per connection */
	WIRE_ORDERS, /* target → initiator: operations to carry out */
	WIRE_REPORTS, /* initiator → target: how they ended */
	WIRE_BYE, /* target → initiator: the run is over */
	WIRE_FINAL, /* initiator → target: its counts, then it disconnects */
};

enum wire_op {
	WIRE_OP_WRITE, /* fill with block_fill(), RDMA WRITE to the MR */
	WIRE_OP_READ, /* RDMA READ from the MR, RDMA WRITE to the staging */
};

struct wire_hello {
	uint32_t index, total; /* this connection of how many */
	uint64_t seed;
	uint32_t mr_id, block_size;
	uint32_t op, qd;
	uint64_t duration_ms;
	uint64_t mr_addr, mr_len;
	uint32_t mr_rkey;
	char mr_name[32];
	char dma_name[32];
};

/*
 * One operation. It carries the MR's address and rkey as the target has
 * them now: after a re-registration the next order has the new ones, so
 * no separate re-exchange is needed, and the block key, so the initiator
 * keeps no state between orders.
 */
struct wire_order {
	uint32_t slot, op;
	uint32_t mr_id, len;
	uint64_t seed, offset, gen;
	uint64_t addr; /* the block in the target MR */
	uint64_t staging; /* READ: where the data goes back */
	uint32_t rkey, staging_rkey;
};

struct wire_report {
	uint32_t slot;
	int32_t status; /* enum ibv_wc_status of the initiator's operation */
};

struct wire_final {
	uint64_t ops[2]; /* by enum wire_op, completed without error */
	uint64_t bytes, errors;
};

struct wire_msg {
	uint32_t magic;
	uint16_t version, type;
	uint32_t count; /* orders or reports in the batch */
	uint32_t pad;
	union {
		struct wire_hello hello;
		struct wire_order orders[WIRE_BATCH];
		struct wire_report reports[WIRE_BATCH];
		struct wire_final final;
	} u;
};

#endif
