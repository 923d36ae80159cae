/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_STRESS_CHILD_H
#define MRS_STRESS_CHILD_H

#include <sys/types.h>

#include "error.h"

/*
 * A child process of a stressor (fork, exec, exit-mr). The parent has DMA
 * threads running: between fork() and _exit() the child may only use what
 * is safe after fork in a threaded process (no locks another thread may
 * have held), and never returns into the harness.
 */

/* Wait for pid up to timeout seconds (then SIGKILL): its wait status. */
int child_wait(pid_t pid, double timeout, int *status, struct mrs_err *e);

/* "exit 0", "signal 11": for messages. */
const char *child_status_str(int status, char *buf, size_t len);

#endif
