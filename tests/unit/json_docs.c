// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writes JSON report documents from synthetic results into DIR, one per
 * shape a run can leave (every finding class and field, an interrupted
 * plan, a document written mid-plan, a usage error), for json-schema.test
 * to validate against docs/report-schema.json.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kconfig.h"
#include "report.h"
#include "stressor.h"

static struct kconfig kernel_read, kernel_none;

static void fill_kernels(void)
{
	static const char *const lines[] = {
		"# Linux/x86 6.1.192 Kernel Configuration",
		"CONFIG_RDMA_RXE=m",
		"CONFIG_INFINIBAND_ON_DEMAND_PAGING=y",
		"# CONFIG_KASAN is not set",
		"CONFIG_DEFAULT_HUNG_TASK_TIMEOUT=120",
	};

	str_copy(kernel_read.release, sizeof(kernel_read.release),
		 "6.1.0-56-amd64");
	str_copy(kernel_read.version, sizeof(kernel_read.version),
		 "#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)");
	str_copy(kernel_read.source, sizeof(kernel_read.source),
		 "/proc/config.gz");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		kconfig_parse_line(&kernel_read, lines[i]);
	str_copy(kernel_none.release, sizeof(kernel_none.release),
		 "6.12.117+deb13-amd64");
	str_copy(
		kernel_none.note, sizeof(kernel_none.note),
		"not available: no /proc/config.gz (CONFIG_IKCONFIG_PROC), /boot/config-6.12.117+deb13-amd64, /lib/modules/6.12.117+deb13-amd64/config or $MRSTRESS_KERNEL_CONFIG");
}

static void add_mrs(struct run_result *r)
{
	struct mr_result *m = r->mrs;

	r->n_mrs = 3;
	m[0] = (struct mr_result){ .name = "anon",
				   .desc = "anon 8M",
				   .backing = "anon",
				   .size = 8 << 20,
				   .page_size = 4096,
				   .block_size = 4096,
				   .access = "local-write,remote-write",
				   .registered = true,
				   .blocks_after_dereg = 2048 };
	m[1] = (struct mr_result){
		.name = "file-ext4",
		.desc = "file ext4 4M shared",
		.backing = "file",
		.fs = "ext4",
		.path = "/mnt/mrstress/ext4/mr-1",
		.size = 4 << 20,
		.page_size = 4096,
		.block_size = 4096,
		.access = "rw",
		.err = EFAULT,
		.error = "reg_mr(file ext4 4M shared, rw): Bad address"
	};
	m[2] = (struct mr_result){ .name = "file-btrfs",
				   .desc = "file btrfs 4M shared",
				   .backing = "file",
				   .fs = "btrfs",
				   .size = 4 << 20,
				   .access = "rw",
				   .skipped = true,
				   .error = "no scratch directory on btrfs" };
}

static void add_dma_and_stress(struct run_result *r)
{
	struct dma_result *d = r->dmas;
	struct stress_result *s = r->stress;

	r->n_dmas = 2;
	d[0].spec = (struct dma_spec){ .name = "w",
				       .mr = "anon",
				       .op = DMA_OP_MIXED,
				       .block_size = 4096,
				       .qd = 4,
				       .threads = 2 };
	d[0].ran = true;
	d[0].stats.ops[DMA_OP_WRITE] = 900;
	d[0].stats.ops[DMA_OP_ATOMIC] = 100;
	d[0].stats.bytes = 900 * 4096 + 800;
	d[0].stats.checks = 12;
	d[0].stats.blocks_final = 2048;
	d[0].stats.drained = true;
	for (int i = 0; i < 1000; i++)
		latency_add(&d[0].stats.latency, 200000 + 1000 * (i % 97));
	d[1].spec = (struct dma_spec){ .name = "w2",
				       .mr = "file-ext4",
				       .op = DMA_OP_WRITE,
				       .block_size = 4096,
				       .qd = 1,
				       .threads = 1 };
	str_copy(d[1].reason, sizeof(d[1].reason),
		 "mr file-ext4 was not registered");
	/* Two-host mode: the initiator's counts merged in. */
	d[1].stats.remote = true;
	d[1].stats.peer_ops[0] = 10;
	d[1].stats.peer_bytes = 40960;
	d[1].stats.peers_lost = 1;
	r->n_stress = 2;
	s[0].spec = (struct stress_spec){ .name = "t",
					  .s = stressors[0],
					  .mr = "anon",
					  .interval = 0.05,
					  .threads = 2,
					  .range = "0-50%" };
	s[0].stats.steps = 40;
	s[0].stats.refused = 3;
	str_copy(s[0].stats.refusal, sizeof(s[0].stats.refusal),
		 "EBUSY: frozen");
	s[0].stats.busy = 0.8;
	s[0].stats.max = 0.1;
	for (int i = 0; i < 40; i++)
		latency_add(&s[0].stats.latency, 20000000 + 2000000 * i);
	s[1].spec = (struct stress_spec){ .name = "u",
					  .s = stressors[1],
					  .mr = "file-ext4",
					  .interval = 1,
					  .threads = 1 };
	s[1].stats.skipped = true;
	str_copy(s[1].stats.reason, sizeof(s[1].stats.reason),
		 "mr file-ext4 was not registered");
	/* Two steps of stressor t's second thread; run_result_free frees. */
	r->events = calloc(2, sizeof(*r->events));
	if (!r->events)
		return;
	r->n_events = 2;
	r->events_dropped = 5;
	for (unsigned k = 0; k < 2; k++) {
		r->events[k] = (struct run_event){ .start = 0.1 * k,
						   .end = 0.1 * k + 0.01,
						   .stress = 0,
						   .thread = 1 };
		snprintf(r->events[k].what, sizeof(r->events[k].what),
			 "dontneed 64K+%uK", 4 * k);
	}
}

/* One finding of every class, each with the fields its kind carries. */
static void add_findings(struct run_result *r)
{
	for (int c = 0; c < FC_COUNT; c++) {
		struct finding f = { .cls = (enum finding_class)c, .t = c };

		snprintf(f.title, sizeof(f.title), "%s: synthetic %d",
			 finding_class_name(f.cls), c);
		snprintf(f.detail, sizeof(f.detail), "detail of %d", c);
		if (finding_class_is_data(f.cls)) {
			str_copy(f.mr, sizeof(f.mr), "anon");
			str_copy(f.view, sizeof(f.view), "rdma-read");
			str_copy(f.overlap, sizeof(f.overlap),
				 "truncate: ftruncate 8M -> 4M at 1.2-1.3 s");
			f.t_from = 0.5;
			f.offset = 4096 * (uint64_t)c;
			f.length = 8192;
			f.blocks = 2;
			f.expected_gen = 7;
			f.found_gen = 5;
			f.found_gen_valid = c % 2;
			f.dump_offset = 16;
			f.dump_len = 8;
			memset(f.expected, 0xab, sizeof(f.expected));
		} else if (c == FC_KERNEL_WARNING || c == FC_HANG) {
			f.text =
				"WARNING: CPU: 0 PID: 1 at fs/ext4/inode.c:3000\n"
				" ext4_dirty_folio+0x4d/0x60\n";
			f.count = c == FC_KERNEL_WARNING ? 3 : 0;
		} else if (c == FC_POLICY_REFUSED || c == FC_HARNESS_ERROR) {
			f.err = c == FC_POLICY_REFUSED ? EFAULT : ENOMEM;
			str_copy(f.mr, sizeof(f.mr), "file-ext4");
		}
		finding_add(&r->findings, &f);
	}
	/* the first is covered by line 4, the second by --expect */
	r->findings.v[0].covered = true;
	r->findings.v[0].covered_by = 0;
	r->findings.v[1].covered = true;
	r->findings.v[1].covered_by = 1;
}

static void add_expectations(struct run_result *r)
{
	struct mrs_err e = { 0 };

	if (expect_parse(&r->expects.v[0], "policy-refused",
			 "must kernel >= 6.5", &e) ||
	    expect_parse(&r->expects.v[1], "detached", "may", &e)) {
		fprintf(stderr, "json_docs: %s\n", e.msg);
		exit(1);
	}
	r->expects.v[0].line = 4;
	r->expects.n = 2;
	r->marks[0] = (struct expect_mark){ .applied = true, .matched = 1 };
	r->marks[1] = (struct expect_mark){ .applied = true, .matched = 1 };
	kernel_version_parse("6.1.0-56-amd64", &r->machine.kernel);
	r->machine.cap[CAP_ROOT] = true;
}

static struct run_result *full_result(void)
{
	struct run_result *r = calloc(1, sizeof(*r));

	if (!r)
		exit(1);
	finding_list_init(&r->findings);
	str_copy(r->name, sizeof(r->name), "every-class");
	str_copy(r->description, sizeof(r->description), "all of it");
	str_copy(r->scenario_file, sizeof(r->scenario_file),
		 "scenarios/every-class.scn");
	str_copy(r->kernel_release, sizeof(r->kernel_release),
		 "6.1.0-56-amd64");
	r->seed = 42;
	r->duration = 4;
	r->elapsed = 4.01;
	r->slowdown = 1;
	r->pins_counted = true;
	r->pins_acquired = 2048;
	r->hang_timeout = 30;
	r->kmsg_read = true;
	r->kmsg_records = 12;
	r->taint_read = true;
	r->taint_after = 512;
	r->mrs_check.checked = true;
	r->mrs_check.listed_before = 1;
	str_copy(r->dev.name, sizeof(r->dev.name), "rxe0");
	r->dev.port = 1;
	r->dev.gid_type = "RoCE v2";
	add_mrs(r);
	add_dma_and_stress(r);
	add_expectations(r);
	add_findings(r);
	return r;
}

static int write_doc(const char *dir, const char *name,
		     const struct report_input *in)
{
	char path[4096];
	json_t *j = report_json_document(in);
	int ret;

	snprintf(path, sizeof(path), "%s/%s.json", dir, name);
	ret = json_dump_file(j, path, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (ret)
		fprintf(stderr, "json_docs: cannot write %s\n", path);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	static struct scenario sc[3];
	struct scenario *runs[3] = { &sc[0], &sc[1], &sc[2] };
	struct plan plan = { 3, runs };
	struct scenario_outcome v[3] = { { 0 } };
	struct report_input in = { .plan = &plan,
				   .v = v,
				   .command_line =
					   "mrstress --json r.json x.scn",
				   .kernel = &kernel_read };
	struct run_result *full = full_result(), *cut = full_result();
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: json_docs DIR\n");
		return 2;
	}
	fill_kernels();
	for (int i = 0; i < 3; i++) {
		snprintf(sc[i].path, sizeof(sc[i].path), "s%d.scn", i);
		snprintf(sc[i].spec.name, sizeof(sc[i].spec.name), "s%d", i);
		v[i].sc = &sc[i];
	}
	sc[2].path[0] = '\0'; /* the command line's */

	/* every class, then a usage error, then one the signal stopped */
	v[0] = (struct scenario_outcome){
		.sc = &sc[0], .res = full, .ran = true, .status = 1
	};
	v[1] = (struct scenario_outcome){
		.sc = &sc[1],
		.ran = true,
		.status = 2,
		.error = "s1.scn:3: [mr a] unknown key 'colour'"
	};
	v[2] = (struct scenario_outcome){ .sc = &sc[2],
					  .not_run = "interrupted by SIGTERM" };
	in.n_done = 2;
	in.final = true;
	in.status = 2;
	in.signal = SIGTERM;
	in.bundle = "bundle-dir";
	bad |= write_doc(argv[1], "every-class", &in);

	/* written after the first scenario, the plan still going */
	in.final = false;
	in.n_done = 1;
	in.signal = 0;
	in.status = 1;
	in.bundle = NULL;
	bad |= write_doc(argv[1], "partial", &in);

	/* interrupted in the middle, a thread stuck, no kernel config */
	cut->interrupted = true;
	cut->n_stuck = 1;
	str_copy(cut->stuck, sizeof(cut->stuck), "stressor pwrite (1 thread)");
	cut->taint_read = false;
	str_copy(cut->taint_note, sizeof(cut->taint_note),
		 "/proc/sys/kernel/tainted: Permission denied");
	cut->pins_counted = false;
	str_copy(cut->pins_note, sizeof(cut->pins_note), "not root");
	cut->scenario_file[0] = '\0';
	v[0].res = cut;
	v[1] = (struct scenario_outcome){ .sc = &sc[1],
					  .not_run = "interrupted by SIGTERM" };
	in.final = true;
	in.stuck = true;
	in.signal = SIGTERM;
	in.kernel = &kernel_none;
	bad |= write_doc(argv[1], "interrupted", &in);

	run_result_free(full);
	run_result_free(cut);
	free(full);
	free(cut);
	return bad;
}
