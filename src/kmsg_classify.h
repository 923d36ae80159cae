/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_KMSG_CLASSIFY_H
#define MRS_KMSG_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "finding.h"

/*
 * Kernel report recognition, the way syzkaller's pkg/report does it: which
 * line starts a report, which lines belong to it, its normalised title and
 * the guilty frame (the first frame that is not generic: printk, locking,
 * scheduling, syscall entry...). Lines are NUL-terminated, without their
 * log prefixes.
 *
 * Mapping to finding classes:
 *   WARNING, refcount_t warnings, UBSAN, EXT4-fs/BTRFS warnings
 *                                                   kernel-warning
 *   kernel BUG at, list corruption, BUG: (bad page state, sleeping function
 *   called from invalid context, scheduling while atomic, spinlock...),
 *   Kernel panic, EXT4-fs/XFS/BTRFS errors (on-disk or in-memory corruption)
 *                                                   kernel-bug
 *   NULL pointer dereference, paging request, general protection fault,
 *   Oops, invalid opcode                            kernel-oops
 *   possible deadlock, inconsistent lock state, bad unlock balance... lockdep
 *   INFO: task ... blocked for more than            hung-task
 *   BUG: soft lockup                                soft-lockup
 *   rcu: INFO: rcu_* detected stall(s)              rcu-stall
 *   KASAN, KFENCE (both memory-safety detectors)    kasan
 * A sysrq blocked-task dump ("sysrq: Show Blocked State") is grouped as
 * context for a hang, with class FC_COUNT: it is not a finding itself.
 */

#define KMSG_TITLE_LEN 160
#define KMSG_FRAME_LEN 96
#define KMSG_FRAMES 64

enum kmsg_kind {
	KK_NONE, /* "[ cut here ]": a report whose header is still to come */
	KK_WARNING,
	KK_REFCOUNT,
	KK_UBSAN,
	KK_BUG_AT,
	KK_LIST,
	KK_BUG, /* other "BUG: ..." lines with a stack */
	KK_PANIC,
	KK_NULL,
	KK_PAGING,
	KK_GPF,
	KK_OOPS, /* "Oops:" / "invalid opcode:" without a better header */
	KK_LOCKDEP,
	KK_HUNG,
	KK_SOFT_LOCKUP,
	KK_RCU_STALL,
	KK_KASAN,
	KK_FS_LINE, /* EXT4-fs / BTRFS: one line */
	KK_XFS, /* XFS corruption: a hexdump and a stack follow */
	KK_SYSRQ,
};

/* What a header line says. */
struct kmsg_header {
	enum kmsg_kind kind;
	int prio; /* a later header of higher priority refines the report */
	enum finding_class cls;
	/* "WARNING": " in FRAME" is added unless no_frame. */
	char title[KMSG_TITLE_LEN];
	bool no_frame;
	char func[KMSG_FRAME_LEN]; /* a function the header names, or "" */
};

/* The state of one report being grouped. */
struct kmsg_group {
	struct kmsg_header h;
	unsigned lines;
	bool seen_body; /* CPU:, RIP: or a trace: a new header is a new report */
	bool in_trace;
	bool irq; /* inside <IRQ> ... </IRQ> */
	bool tail; /* the report is over but for registers and end markers */
	bool lock_at; /* lockdep: the next "at:" lines name the lock site */
	bool other_trace; /* in an "Allocated by"/"Freed by" trace */
	char rip[KMSG_FRAME_LEN];
	char access[8]; /* KASAN: "Read" or "Write" */
	size_t nframes; /* frames of the main (task) trace */
	char frames[KMSG_FRAMES][KMSG_FRAME_LEN];
	size_t nlock; /* lockdep "at:" frames */
	char lock[4][KMSG_FRAME_LEN];
};

enum kmsg_verdict {
	KV_APPEND, /* the line belongs to the report */
	KV_APPEND_CLOSE, /* it does, and ends it */
	KV_CLOSE, /* it does not: close the report, then look at it again */
};

/* Recognises a line that starts a report. */
bool kmsg_header_parse(const char *line, struct kmsg_header *h);
/*
 * Whether header h, seen while g is open, refines g (the same report seen
 * through a second header line) rather than starting a new report.
 */
bool kmsg_group_refines(const struct kmsg_group *g,
			const struct kmsg_header *h);
void kmsg_group_start(struct kmsg_group *g, const struct kmsg_header *h);
/* A line that is not a header (or refines g), seen while g is open. */
enum kmsg_verdict kmsg_group_line(struct kmsg_group *g, const char *line);
/*
 * Class, title and guilty frame of a closed report. False when there is no
 * report to keep (a "cut here" whose header never came).
 */
bool kmsg_group_finish(const struct kmsg_group *g, enum finding_class *cls,
		       char *title, char *frame);

/* Whether a function is generic and never the guilty frame. */
bool kmsg_frame_is_generic(const char *fn);
/*
 * Parses a stack frame line (" ? f+0x1/0x2 [mod]", " f+0x1/0x2 file.c:3",
 * " f file.h:3 [inline]"): its function, without syscall prefixes such as
 * __x64_sys_ and suffixes such as .isra.0. False for questionable ("? ")
 * frames and for anything that is not a frame.
 */
bool kmsg_frame_parse(const char *line, char *fn, size_t len);

#endif
