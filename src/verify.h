/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_VERIFY_H
#define MRS_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every block that DMA writes is self-describing: a 64-byte header (magic,
 * MR id, block size, offset within the MR, generation, seed, checksum) and a
 * payload that is a pure function of (seed, MR id, offset, generation). So
 * any block found anywhere - in the MR, in the page cache, on disk - says
 * what it is, and what it should have been can be recomputed.
 *
 * Generation 0 is the initial content of fresh memory: all zero bytes.
 * Written generations start at 1.
 */
#define BLOCK_MAGIC 0x4b4c424d53524dULL /* "MRSMBLK" little-endian */
#define BLOCK_HEADER_SIZE 64
#define BLOCK_CHUNK 64 /* granularity at which a torn block is resolved */
#define BLOCK_MIN_SIZE 128
#define BLOCK_OLDER_GENS 4 /* older generations a chunk is matched against */

struct block_header {
	uint64_t magic;
	uint32_t mr_id;
	uint32_t block_size;
	uint64_t offset;
	uint64_t generation;
	uint64_t seed;
	uint64_t counter; /* target of RDMA atomics: not in the checksum */
	uint64_t reserved; /* zero */
	uint64_t checksum; /* XXH64 of the header with counter, checksum = 0 */
};

_Static_assert(sizeof(struct block_header) == BLOCK_HEADER_SIZE,
	       "block header is 64 bytes");

/* What identifies a block apart from its generation. */
struct block_key {
	uint32_t mr_id;
	uint32_t block_size; /* multiple of BLOCK_CHUNK, >= BLOCK_MIN_SIZE */
	uint64_t offset; /* of the block within its MR */
	uint64_t seed;
};

/* Write generation gen of block k into buf (k->block_size bytes). */
void block_fill(void *buf, const struct block_key *k, uint64_t gen);

/* The checksum of a header as block_fill() computes it. */
uint64_t block_header_checksum(const struct block_header *h);

/* What the shadow state says may legally be in a block through one view. */
struct block_expect {
	uint64_t gen_lo, gen_hi; /* legal generations; 0 = initial zeros */
	bool zero_ok; /* zero bytes are legal (never written, truncated,
			 punched): whole block or, when set, any chunks */
	bool check_counter;
	uint64_t counter; /* expected header counter when check_counter */
	double t_since; /* monotonic time the oldest legal write was posted */
};

enum block_state {
	BLOCK_OK,
	BLOCK_ZEROED, /* all zero where zeros are not legal */
	BLOCK_STALE, /* a valid block of an older generation (or counter) */
	BLOCK_MISPLACED, /* a valid block of another offset or MR */
	BLOCK_TORN, /* chunks of two or more valid sources (gens, zeros) */
	BLOCK_GARBAGE, /* bytes no legal writer could have produced */
};

struct block_verdict {
	enum block_state state;
	bool header_valid; /* magic and checksum good */
	uint64_t found_gen; /* header generation when header_valid */
	uint32_t found_mr_id; /* header fields when header_valid */
	uint64_t found_offset;
	uint64_t found_counter;
	uint32_t first_bad; /* first byte differing from gen_hi's content */
	uint32_t bad_len; /* bytes from first_bad to the last differing byte */
	char detail[160]; /* one line: "header gen 5, bytes 2048-4095 gen 4" */
};

const char *block_state_name(enum block_state s);

/* Classify the content of one block seen through one view. Pure. */
void block_verify(const void *buf, const struct block_key *k,
		  const struct block_expect *x, struct block_verdict *v);

/*
 * A block seen through the view that reaches the MR's pages (RDMA READ)
 * and through one that reaches the file's (CPU mapping, pread): when the MR
 * view is fine and the file view holds a valid but different state (older
 * generation, or zeros), the two no longer share pages. Returns true for
 * that "detached" case; otherwise each verdict stands on its own.
 */
bool block_detached(const struct block_verdict *mr_view,
		    const struct block_verdict *file_view);

#endif
