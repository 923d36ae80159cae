/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_PROBE_H
#define MRS_PROBE_H

#include <jansson.h>
#include <stdio.h>

#include "device.h"
#include "scratch.h"

#define PROBE_MAX_REGS 128

enum probe_outcome {
	PROBE_ACCEPTED, /* ibv_reg_mr returned an MR */
	PROBE_REFUSED, /* the kernel refused: errno says why */
	PROBE_UNAVAILABLE, /* the memory could not be built here */
};

/* One attempt: register memory of one backing with one access set. */
struct probe_reg {
	char backing[24];
	char fs[16]; /* filesystem the memory lives on, "" for none */
	char dir[PATH_MAX]; /* scratch directory, "" for none */
	char access[8]; /* "rw", "ro", "odp" */
	/*
	 * Huge page size asked of a backing that takes one, 0 for its
	 * default; rows of the same backing differ by it.
	 */
	size_t hugepage_size;
	bool has_page_sizes; /* the backing takes a huge page size */
	size_t size, page_size; /* as built; page_size as asked when not */
	bool huge;
	char desc[128]; /* the memory as built ("thp 2M private huge=2M/2M") */
	bool has_supplied; /* the backing fills pages itself (uffd) */
	size_t pages_supplied; /* by the end of the registration attempt */
	enum probe_outcome outcome;
	int err; /* errno when refused or unavailable */
	char detail[512]; /* the error message, "" when accepted */
};

struct probe_result {
	char kernel_release[65];
	char kernel_version[65];
	struct device_info dev;
	unsigned n_regs;
	struct probe_reg regs[PROBE_MAX_REGS];
};

struct probe_args {
	const char *device; /* NULL: first with an ACTIVE port */
	size_t size;
	struct scratch_list scratch;
};

/*
 * Open the device and try every backing with every access set. Returns 0,
 * or a negative errno with e set (-ENODEV: no RDMA device, a skip).
 */
int probe_run(const struct probe_args *a, struct probe_result *res,
	      struct mrs_err *e);

const char *probe_outcome_name(enum probe_outcome o);

/* Writers: pure functions of the result, so tests can feed them by hand. */
json_t *probe_to_json(const struct probe_result *res);
void probe_print_text(FILE *f, const struct probe_result *res);

#endif
