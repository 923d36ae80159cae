/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_FAULT_H
#define MRS_FAULT_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "error.h"

/*
 * Fault points (libfiu): each place where the harness meets a failure in
 * real life can be made to fail on purpose, to show that mrstress then
 * reports, tears down and keeps what it found. A point is named
 * "mrstress/<area>/<op>"; `--fault NAME[:P]` or fiu-run enables it. Built
 * without --with-libfiu, fault_fire() is the constant false and costs
 * nothing.
 */
enum fault_point {
	FAULT_MEM_ALLOC,
	FAULT_MEM_MMAP,
	FAULT_FILE_OPEN,
	FAULT_FILE_FTRUNCATE,
	FAULT_FILE_FSYNC,
	FAULT_FILE_PREAD,
	FAULT_FILE_PWRITE,
	FAULT_RDMA_OPEN,
	FAULT_RDMA_ALLOC_PD,
	FAULT_RDMA_REG_MR,
	FAULT_RDMA_CREATE_CQ,
	FAULT_RDMA_CREATE_QP,
	FAULT_RDMA_POST_SEND,
	FAULT_RDMA_POLL_CQ,
	FAULT_THREAD_CREATE,
	FAULT_REPORT_OPEN,
	FAULT_REPORT_WRITE,
	FAULT_COUNT
};

struct fault_info {
	const char *name; /* "mrstress/rdma/reg_mr" */
	const char *where; /* what fails, for --fault list and the README */
	int err; /* the errno the failing call sets */
};

extern const struct fault_info fault_points[FAULT_COUNT];

#ifdef FIU_ENABLE
/* Whether point p fails now; if so errno is its error and it is counted. */
bool fault_fire(enum fault_point p);
#else
static inline bool fault_fire(enum fault_point p)
{
	(void)p;
	return false;
}
#endif

/* Allocation and thread creation of the engine, through their fault points. */
static inline void *mrs_calloc(size_t n, size_t size)
{
	return fault_fire(FAULT_MEM_ALLOC) ? NULL : calloc(n, size);
}

static inline void *mrs_malloc(size_t size)
{
	return fault_fire(FAULT_MEM_ALLOC) ? NULL : malloc(size);
}

static inline void *mrs_realloc(void *p, size_t size)
{
	return fault_fire(FAULT_MEM_ALLOC) ? NULL : realloc(p, size);
}

/* pthread_create(): 0 or an errno value. */
static inline int mrs_thread_create(pthread_t *t, void *(*fn)(void *),
				    void *arg)
{
	return fault_fire(FAULT_THREAD_CREATE) ?
		       EAGAIN :
		       pthread_create(t, NULL, fn, arg);
}

/* Whether fault points are compiled in. */
bool fault_available(void);
/* Start libfiu, before the first fault_fire(). */
void fault_init(void);
/* Enable "NAME[:P]" (NAME may end in '*'); -EINVAL with e set if bad. */
int fault_enable(const char *arg, struct mrs_err *e);
/* Seed libfiu's random choices with the run's seed: a run can be repeated. */
void fault_seed(uint64_t seed);
/* How often point p failed in this process so far. */
uint64_t fault_fired(enum fault_point p);

#endif
