/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_STACKS_H
#define MRS_STACKS_H

#include <stddef.h>
#include <sys/types.h>

/* Names a thread of this process by its tid, NULL if it has no name. */
typedef const char *stacks_name_fn(pid_t tid, void *arg);

/*
 * Where every thread of this process (focus first, the calling thread
 * left out) and every child process is: state, wchan and kernel stack
 * (/proc/PID/task/TID/{status,wchan,stack}; the stack needs root). Returns malloc'd text, NULL when out of memory.
 * frame receives the first frame of focus's kernel stack that is not
 * generic (locking, scheduling, entry code), "" when unknown.
 */
char *stacks_capture(stacks_name_fn *name, void *arg, pid_t focus, char *frame,
		     size_t frame_len);

/* The guilty frame of a /proc/PID/stack text ("[<0>] f+0x1/0x2" lines). */
void stacks_guilty_frame(const char *stack, char *frame, size_t len);

#endif
