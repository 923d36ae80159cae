/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_MR_LEAK_H
#define MRS_MR_LEAK_H

#include <stdbool.h>
#include <sys/types.h>

#include "finding.h"
#include "mr_track.h"

/*
 * mr-leak: MRs the kernel still lists once the run has deregistered every
 * MR, closed the device and reaped its children. Only MRs that did not
 * exist before the run and that the run owned count: this process's, its
 * children's, and those whose owner has exited (the kernel lists them
 * without a pid; an exit-mr child's MR must be destroyed at its exit).
 */

/* Whose an MR listed after the run is. */
enum mr_owner {
	MR_OWNER_OTHER, /* a live process this run did not spawn */
	MR_OWNER_KERNEL, /* a kernel user (comm, no pid) */
	MR_OWNER_RUN, /* this process or one it spawned */
	MR_OWNER_EXITED, /* neither pid nor comm: its process is gone */
};

enum mr_owner mr_owner_of(const struct mr_entry *m, pid_t self,
			  bool (*spawned)(pid_t));

/*
 * The MRs of after that are not in before (by device and mrn) and belong
 * to the run or to an exited process, into out (freed by the caller).
 */
int mr_leak_select(const struct mr_list *before, const struct mr_list *after,
		   pid_t self, bool (*spawned)(pid_t), struct mr_list *out);

/* What the check did, for the reports. */
struct mr_check {
	bool checked; /* else note says why not */
	unsigned listed_before; /* MRs listed when the run began */
	unsigned left; /* MRs found leaked */
	char note[160];
};

/* The list before the run, kept to compare with after it. */
struct mr_watch {
	struct mr_list before;
	bool have_before;
	struct mrs_err err; /* why there is no before list */
};

/* Read the list before the run and forget the previous run's children. */
void mr_watch_begin(struct mr_watch *w);
/*
 * After teardown: look again for up to 2 s while leaks remain (the kernel
 * frees some MRs asynchronously), then add one finding per owner to fl.
 * t is the finding's time since the run began.
 */
void mr_watch_check(struct mr_watch *w, double t, struct finding_list *fl,
		    struct mr_check *res);

/* The finding for the leaked MRs of one owner (all of l's entries). */
void mr_leak_finding(const struct mr_list *l, double t, struct finding *f);

#endif
