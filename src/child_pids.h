/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_CHILD_PIDS_H
#define MRS_CHILD_PIDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * The processes this run spawned (stressors fork children), so that what
 * the kernel still lists for one of them after the run can be told from
 * what other processes own. Safe from any thread; bounded: pids beyond
 * CHILD_PIDS_MAX are counted as dropped, not kept.
 */
#define CHILD_PIDS_MAX 4096

/* Forget every pid: a new run begins. */
void child_pids_reset(void);
/* The parent, right after fork() succeeded. */
void child_pids_add(pid_t pid);
bool child_pids_has(pid_t pid);
/* How many pids were not kept since the reset. */
unsigned long child_pids_dropped(void);

#endif
