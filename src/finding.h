/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_FINDING_H
#define MRS_FINDING_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

/*
 * A finding is anything a run observed that a kernel developer may need to
 * know: refused registrations, damaged data, failed completions... Each has
 * a stable class; the run's expectations (expect.h) say which are fine.
 */
enum finding_class {
	FC_POLICY_REFUSED,
	FC_DETACHED,
	FC_ZEROED,
	FC_STALE,
	FC_MISPLACED,
	FC_TORN,
	FC_GARBAGE,
	FC_COMPLETION_ERROR,
	FC_HANG,
	FC_KERNEL_WARNING,
	FC_KERNEL_BUG,
	FC_KERNEL_OOPS,
	FC_LOCKDEP,
	FC_HUNG_TASK,
	FC_SOFT_LOCKUP,
	FC_RCU_STALL,
	FC_KASAN,
	FC_TAINT,
	FC_PIN_LEAK,
	FC_MR_LEAK,
	FC_HARNESS_ERROR,
	FC_PEER_LOST, /* two-host mode: the other end went away */
	FC_COUNT
};

const char *finding_class_name(enum finding_class c);
/* Returns 0 and sets *c, or -EINVAL for an unknown name. */
int finding_class_parse(const char *name, enum finding_class *c);
/* Classes about data in a block (they carry offsets and hexdumps). */
bool finding_class_is_data(enum finding_class c);

#define FINDING_DUMP 64

struct finding {
	enum finding_class cls;
	char title[256]; /* fit for a bug report's subject line */
	char mr[32]; /* MR name, "" when not about one MR */
	char view[16]; /* where it was seen: "rdma-read", "pread"... */
	char detail[400];
	double t; /* seconds since the run started */
	/*
	 * Data findings: since when the damage can have happened (the oldest
	 * write that may legally be there was posted), so that the stressor
	 * steps overlapping [t_from, t] can be named.
	 */
	double t_from;
	char overlap[384]; /* those steps, filled by the run */
	int err; /* errno, 0 when none */
	/* Data findings: the range, in bytes within the MR. */
	uint64_t offset, length, block_size;
	uint64_t blocks; /* blocks merged into this finding */
	uint64_t expected_gen, found_gen;
	bool found_gen_valid;
	/* The first differing bytes of the first block, from dump_offset. */
	uint32_t dump_offset, dump_len;
	uint8_t expected[FINDING_DUMP], found[FINDING_DUMP];
	/*
	 * What does not fit a line: a kernel report's text, the stacks of a
	 * stuck thread. finding_add() copies it; the list owns the copy.
	 */
	char *text;
	unsigned count; /* reports merged into this one (kernel log), 0: 1 */
	/* Set by expect_match() once the run is over. */
	bool covered; /* an expectation of the run covers it */
	int covered_by; /* index of the first that does, -1: none */
};

/* Findings of a run, safe to add to from any thread. */
struct finding_list {
	pthread_mutex_t lock;
	struct finding *v;
	size_t n, cap;
	size_t dropped; /* beyond the cap, counted not stored */
};

void finding_list_init(struct finding_list *l);
void finding_list_free(struct finding_list *l);
/* Copies f in, not yet expected: expect_match() judges it at the end. */
void finding_add(struct finding_list *l, const struct finding *f);
/*
 * Sort (findings about no block first, then by class, MR, view and offset)
 * and merge data findings of one class, MR and view whose blocks are
 * adjacent into one range. Call once at the end.
 */
void finding_list_coalesce(struct finding_list *l);
/* The first finding no expectation covers, NULL when there is none. */
const struct finding *
finding_list_first_unexpected(const struct finding_list *l);
/* Findings not expected, and those that could not be stored. */
size_t finding_list_unexpected(const struct finding_list *l);

/*
 * A harness-error finding for an error of the tool itself while working on
 * MR mr: its title says what was being done, its detail is e's message.
 */
__attribute__((format(printf, 5, 6))) void
finding_add_error(struct finding_list *l, const char *mr, double t,
		  const struct mrs_err *e, const char *fmt, ...);

/* "00000040  4d 52 ...  |MR..|" lines of a buffer at base offset. */
void hexdump(FILE *f, const char *indent, const uint8_t *buf, size_t len,
	     uint64_t base);

/* A data finding's expected and found bytes, as two hexdumps. */
void finding_print_dumps(FILE *f, const char *indent, const char *inner,
			 const struct finding *x);

#endif
