// SPDX-License-Identifier: GPL-2.0-or-later
/* The fault points' names, and enabling them from the command line. */
#include <errno.h>
#include <fnmatch.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"

#ifdef FIU_ENABLE
#include <fiu-control.h>
#include <fiu.h>
#endif

const struct fault_info fault_points[FAULT_COUNT] = {
	[FAULT_MEM_ALLOC] = { "mrstress/mem/alloc",
			      "malloc/calloc of the engine's buffers", ENOMEM },
	[FAULT_MEM_MMAP] = { "mrstress/mem/mmap",
			     "mmap of an MR's memory or a staging buffer",
			     ENOMEM },
	[FAULT_FILE_OPEN] = { "mrstress/file/open",
			      "open/memfd_create of a backing file", EMFILE },
	[FAULT_FILE_FTRUNCATE] = { "mrstress/file/ftruncate",
				   "ftruncate of a backing file, also the truncate stressor's",
				   EIO },
	[FAULT_FILE_FSYNC] = { "mrstress/file/fsync",
			       "fsync after deregistration, the sync stressors' calls",
			       EIO },
	[FAULT_FILE_PREAD] = { "mrstress/file/pread",
			       "pread of a file view by the checker", EIO },
	[FAULT_FILE_PWRITE] = { "mrstress/file/pwrite",
				"pwrite filling a backing file, the pwrite stressor's",
				ENOSPC },
	[FAULT_RDMA_OPEN] = { "mrstress/rdma/open",
			      "ibv_open_device of the RDMA device", ENODEV },
	[FAULT_RDMA_ALLOC_PD] = { "mrstress/rdma/alloc_pd", "ibv_alloc_pd",
				  ENOMEM },
	[FAULT_RDMA_REG_MR] = { "mrstress/rdma/reg_mr",
				"ibv_reg_mr of an MR or a staging buffer",
				ENOMEM },
	[FAULT_RDMA_CREATE_CQ] = { "mrstress/rdma/create_cq", "ibv_create_cq",
				   ENOMEM },
	[FAULT_RDMA_CREATE_QP] = { "mrstress/rdma/create_qp",
				   "ibv_create_qp of a loopback pair", ENOMEM },
	[FAULT_RDMA_POST_SEND] = { "mrstress/rdma/post_send",
				   "ibv_post_send of a DMA work request",
				   ENOMEM },
	[FAULT_RDMA_POLL_CQ] = { "mrstress/rdma/poll_cq",
				 "ibv_poll_cq for DMA completions", EIO },
	[FAULT_THREAD_CREATE] = { "mrstress/thread/create",
				  "pthread_create of a worker", EAGAIN },
	[FAULT_REPORT_OPEN] = { "mrstress/report/open",
				"creating a report file (JSON, JUnit, bundle)",
				EACCES },
	[FAULT_REPORT_WRITE] = { "mrstress/report/write",
				 "writing a report file out", ENOSPC },
};

#ifdef FIU_ENABLE
static atomic_uint_fast64_t fired[FAULT_COUNT];

bool fault_fire(enum fault_point p)
{
	if (!fiu_fail(fault_points[p].name))
		return false;
	atomic_fetch_add(&fired[p], 1);
	mrs_err_injected(fault_points[p].name);
	errno = fault_points[p].err;
	return true;
}

bool fault_available(void)
{
	return true;
}

void fault_init(void)
{
	/* A second call, after fiu-run's preload did it, changes nothing. */
	fiu_init(0);
}

uint64_t fault_fired(enum fault_point p)
{
	return atomic_load(&fired[p]);
}

static bool names_a_point(const char *name)
{
	for (int p = 0; p < FAULT_COUNT; p++)
		if (!fnmatch(name, fault_points[p].name, 0))
			return true;
	return false;
}

int fault_enable(const char *arg, struct mrs_err *e)
{
	char name[128], *colon, *end;
	double prob = 1.0;
	int ret;

	if (strlen(arg) >= sizeof(name))
		return mrs_err_set(e, EINVAL, "--fault '%.40s...': too long",
				   arg);
	str_copy(name, sizeof(name), arg);
	colon = strrchr(name, ':');
	if (colon) {
		*colon = '\0';
		errno = 0;
		prob = strtod(colon + 1, &end);
		if (errno || end == colon + 1 || *end || !(prob > 0) ||
		    prob > 1)
			return mrs_err_set(
				e, EINVAL,
				"--fault %s: probability '%s' is not in (0, 1], e.g. %s:0.1",
				name, colon + 1, name);
	}
	if (!names_a_point(name))
		return mrs_err_set(
			e, EINVAL,
			"--fault %s: no such fault point (--fault list names them)",
			name);
	ret = prob >= 1.0 ? fiu_enable(name, 1, NULL, 0) :
			    fiu_enable_random(name, 1, NULL, 0, (float)prob);
	if (ret)
		return mrs_err_set(e, EINVAL, "--fault %s: libfiu refused it",
				   arg);
	return 0;
}

void fault_seed(uint64_t seed)
{
	fiu_set_prng_seed((unsigned int)(seed ^ (seed >> 32)));
}
#else
bool fault_available(void)
{
	return false;
}

void fault_init(void)
{
}

uint64_t fault_fired(enum fault_point p)
{
	(void)p;
	return 0;
}

int fault_enable(const char *arg, struct mrs_err *e)
{
	return mrs_err_set(
		e, EINVAL,
		"--fault %s: this mrstress has no fault points (build it with ./configure --with-libfiu)",
		arg);
}

void fault_seed(uint64_t seed)
{
	(void)seed;
}
#endif
