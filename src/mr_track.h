/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_MR_TRACK_H
#define MRS_MR_TRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/*
 * The kernel's list of live MRs, as its resource tracker (restrack) shows
 * it through the rdma tool of iproute2: `rdma -j res show mr`. One entry
 * per MR of every RDMA device in this network namespace.
 */
struct mr_entry {
	char dev[64]; /* "rxe0" (ifname) */
	uint32_t mrn; /* the tracker's id, unique per device */
	uint64_t len; /* mrlen */
	uint32_t lkey, rkey, pdn;
	/*
	 * The kernel gives a pid while the owner lives; a kernel user's MR
	 * has a comm ("[ib_core]" in the text output) and no pid; an MR whose
	 * owner has exited has neither.
	 */
	bool has_pid;
	pid_t pid;
	char comm[32]; /* "" when none */
};

struct mr_list {
	struct mr_entry *v;
	size_t n;
};

/* Seconds the tool may take before it is killed (TCG: up to 1.6 s seen). */
#define MR_TRACK_TIMEOUT 5.0

/*
 * Parse the tool's JSON output into out (which the caller frees with
 * mr_list_free()). -EINVAL with e naming what is wrong and where.
 */
int mr_track_parse(const char *json, struct mr_list *out, struct mrs_err *e);

/*
 * Run `TOOL -j res show mr` (TOOL NULL: rdma, looked for in PATH, then
 * /usr/sbin and /sbin) for at most timeout seconds and parse what it
 * prints. -ENOENT: no tool; -ETIMEDOUT: killed; -EIO: it failed (a kernel
 * without resource tracking, no netlink); -EINVAL: output not understood.
 */
int mr_track_read(const char *tool, double timeout, struct mr_list *out,
		  struct mrs_err *e);

void mr_list_free(struct mr_list *l);
/* Is the MR of device dev with id mrn in l? */
bool mr_list_has(const struct mr_list *l, const char *dev, uint32_t mrn);
/* Append a copy of m: 0 or -ENOMEM. */
int mr_list_add(struct mr_list *l, const struct mr_entry *m);

#endif
