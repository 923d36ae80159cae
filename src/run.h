/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_RUN_H
#define MRS_RUN_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>

#include "device.h"
#include "endpoint.h"
#include "expect.h"
#include "finding.h"
#include "mr_leak.h"
#include "run_spec.h"
#include "scratch.h"
#include "timeline.h"

/*
 * What a run has done so far, for the live status line: the run writes
 * it as it goes, another thread reads it. Counters and t0 are valid, and
 * the result's finding list may be read, while running is true.
 */
struct run_live {
	atomic_bool running;
	double t0; /* written before running is set */
	atomic_uint_fast64_t dma_bytes;
	atomic_uint_fast64_t steps[RUN_MAX_STRESS];
};

struct run_env {
	const char *device; /* NULL: the first with an ACTIVE port */
	struct scratch_list scratch;
	const char *command_line;
	/*
	 * NULL: the run came from the command line. A scenario file may name
	 * filesystems this machine lacks: such an MR is skipped and reported,
	 * where on the command line it is an error.
	 */
	const char *scenario_file;
	struct run_live *live; /* NULL: nobody watches */
	/* --listen: DMA comes from an initiator connecting here. */
	const struct endpoint *listen;
};

/* One MR as it was built and registered. */
struct mr_result {
	char name[32];
	char desc[128]; /* "file ext4 8M shared" */
	char backing[24];
	char fs[16];
	char path[PATH_MAX];
	size_t size, page_size, block_size;
	bool huge;
	char access[96];
	char access_words[32]; /* as a scenario says it: "rw+atomic" */
	bool registered;
	bool skipped; /* not built here: error says why */
	int err; /* errno of a refused registration */
	char error[512];
	uint64_t blocks_after_dereg; /* checked once the MR was gone */
};

struct dma_result {
	struct dma_spec spec;
	struct dma_stats stats;
	bool ran;
	char reason[160]; /* why it did not run */
};

struct stress_result {
	struct stress_spec spec;
	struct stress_stats stats;
};

/* A stressor step, from the timelines (timeline.h) of all of them. */
struct run_event {
	double start, end; /* seconds since the run started */
	unsigned stress, thread; /* index in run_result.stress, its thread */
	char what[TIMELINE_WHAT];
};

struct run_result {
	char name[64], description[256]; /* the scenario's */
	char scenario_file[PATH_MAX]; /* "" from the command line */
	char kernel_release[65];
	uint64_t seed;
	double duration, elapsed, slowdown;
	double startup; /* of elapsed: until every stressor thread ran */
	bool interrupted; /* stopped early by a signal */
	uint64_t pins_acquired; /* FOLL_PIN pages taken during the run */
	bool pins_counted; /* else pins_note says why not */
	char pins_note[160];
	/* Detectors (detect.h): what each saw, or a note saying why not. */
	double hang_timeout; /* seconds, slowdown applied */
	char hang_note[192];
	char hung_task_note[160];
	bool kmsg_read;
	uint64_t kmsg_records, kmsg_lost;
	char kmsg_note[192];
	bool taint_read;
	uint64_t taint_before, taint_after;
	char taint_note[160];
	/* Threads still blocked in the kernel when the run ended. */
	unsigned n_stuck;
	char stuck[256];
	struct mr_check mrs_check; /* mr-leak: MRs the kernel still lists */
	struct device_info dev;
	unsigned n_mrs, n_dmas, n_stress;
	struct mr_result mrs[RUN_MAX_MRS];
	struct dma_result dmas[RUN_MAX_DMAS];
	struct stress_result stress[RUN_MAX_STRESS];
	struct finding_list findings;
	/* Every stressor step kept, by start time; older ones were dropped. */
	struct run_event *events;
	size_t n_events;
	uint64_t events_dropped;
	/* The run's expectations, what became of each, and the machine. */
	struct expect_list expects;
	struct expect_mark marks[EXPECT_MAX];
	unsigned unmet; /* must-expectations that applied and saw nothing */
	struct expect_env machine;
};

/*
 * Build, register, run DMA and stressors for spec->duration, check every
 * block, judge the findings against spec->expects and fill res. The seed is
 * spec->seed (run_spec_choose_seed() first). Returns 0, or a negative errno
 * with e set: -ENODEV and -EOPNOTSUPP are skips, -EINVAL a usage error.
 */
int run_execute(const struct run_spec *spec, const struct run_env *env,
		struct run_result *res, struct mrs_err *e);
void run_result_free(struct run_result *res);

/* Every MR of the run was skipped (filesystems this machine lacks). */
bool run_result_all_skipped(const struct run_result *res);

/*
 * Stop a run from the handler of signal sig: results gathered so far are
 * kept, and no further run starts. run_stop_signal() says which, 0 none.
 */
void run_request_stop(int sig);
int run_stop_signal(void);

void report_text(FILE *f, const struct run_result *res);
json_t *report_json(const struct run_result *res);

#endif
