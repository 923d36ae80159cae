// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A run: build the memory, register it, start DMA and stressors, wait,
 * stop, check every block through every view (also once the MR is gone),
 * and leave all of it in a run_result for the reporters.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "check.h"
#include "clock.h"
#include "detect.h"
#include "leak_check.h"
#include "machine.h"
#include "mr.h"
#include "pin_count.h"
#include "run.h"
#include "run_events.h"
#include "stress_run.h"
#include "units.h"

/* Seconds DMA waits for its completions at the stop, times the slowdown. */
#define DRAIN_TIMEOUT 30.0

static atomic_bool run_stop;
static atomic_bool run_interrupted;
static atomic_int run_signal;

void run_request_stop(int sig)
{
	atomic_store(&run_signal, sig);
	atomic_store(&run_interrupted, true);
	atomic_store(&run_stop, true);
}

int run_stop_signal(void)
{
	return atomic_load(&run_signal);
}

struct run {
	const struct run_spec *spec;
	const struct run_env *env;
	struct run_result *res;
	struct rdma_dev dev;
	struct target targets[RUN_MAX_MRS];
	bool built[RUN_MAX_MRS]; /* its region exists and must be destroyed */
	char skip[RUN_MAX_MRS][256]; /* why an MR is not built, "" if it is */
	struct dma_job jobs[RUN_MAX_DMAS];
	struct stress_run stress[RUN_MAX_STRESS];
	const char *dirs[RUN_MAX_MRS]; /* scratch directory of each MR */
	/* Blocks of each MR are dealt out first + k * stride to writers. */
	unsigned stride[RUN_MAX_MRS], next_first[RUN_MAX_MRS];
	double t0;
	struct run_detectors det;
	/* A thread blocked in the kernel still uses the MR, or its file. */
	bool stuck_dma[RUN_MAX_MRS], stuck_file[RUN_MAX_MRS];
	struct run_live *live; /* the caller's, else own_live */
	struct run_live own_live;
	struct remote_listener listener; /* --listen: two-host mode */
	bool listening;
};

/* Seconds an operation may take before it is a hang. */
static double hang_deadline(const struct run_spec *s)
{
	return s->hang_timeout * s->slowdown;
}

/*
 * A scratch filesystem by name ("ext4"), or a directory as it is. A
 * scenario may name filesystems this machine lacks: that MR is skipped.
 */
static int resolve_dir(struct run *r, unsigned i, const char **dir,
		       struct mrs_err *e)
{
	const struct scratch_list *sl = &r->env->scratch;
	const struct mr_spec *m = &r->spec->mrs[i];

	*dir = NULL;
	if (!m->backing->needs_dir)
		return 0;
	if (strchr(m->where, '/')) {
		*dir = m->where;
		return 0;
	}
	for (unsigned k = 0; k < sl->n; k++) {
		if (!strcmp(sl->dirs[k].fs, m->where)) {
			*dir = sl->dirs[k].path;
			return 0;
		}
	}
	if (r->env->scenario_file) {
		snprintf(
			r->skip[i], sizeof(r->skip[i]),
			"no scratch directory on %s here (--scratch %s=DIR, or mrstress-vm --fs %s)",
			m->where, m->where, m->where);
		return 0;
	}
	return mrs_err_set(
		e, EINVAL,
		"mr %s: no scratch directory on %s (give --scratch %s=DIR, or run under mrstress-vm --fs %s)",
		m->name, m->where, m->where, m->where);
}

static size_t block_size_of(const struct run_spec *s, const char *mr)
{
	for (unsigned i = 0; i < s->n_dmas; i++)
		if (!strcmp(s->dmas[i].mr, mr))
			return s->dmas[i].block_size;
	return 4096;
}

static void record_mr(struct mr_result *mr, const struct target *t)
{
	const struct region *g = &t->region;

	str_copy(mr->name, sizeof(mr->name), t->name);
	str_copy(mr->desc, sizeof(mr->desc), g->desc);
	str_copy(mr->backing, sizeof(mr->backing), g->backing->name);
	str_copy(mr->fs, sizeof(mr->fs), g->fs);
	str_copy(mr->path, sizeof(mr->path), g->path);
	mr->size = g->len;
	mr->page_size = g->page_size;
	mr->huge = g->huge;
	mr->block_size = t->block_size;
	mr_access_name(t->access, mr->access, sizeof(mr->access));
	mr_access_format(t->access, mr->access_words, sizeof(mr->access_words));
}

static void refused(struct run *r, struct target *t, const struct mrs_err *err)
{
	struct mr_result *mr = &r->res->mrs[t->mr_id];
	struct finding f = { .cls = FC_POLICY_REFUSED, .err = err->code };

	mr->err = err->code;
	str_copy(mr->error, sizeof(mr->error), err->msg);
	if (err->injected) {
		/* The kernel did not refuse it: --fault did. */
		finding_add_error(&r->res->findings, t->name, 0, err,
				  "reg_mr(%s)", t->region.desc);
		return;
	}
	str_copy(f.mr, sizeof(f.mr), t->name);
	snprintf(f.title, sizeof(f.title), "policy-refused: reg_mr(%s, %s): %s",
		 t->region.desc, mr->access, errno_name(err->code));
	str_copy(f.detail, sizeof(f.detail), err->msg);
	finding_add(&r->res->findings, &f);
}

/* An MR that is not built here: its result says why. */
static void record_skipped(struct run *r, unsigned i)
{
	const struct mr_spec *m = &r->spec->mrs[i];
	struct mr_result *mr = &r->res->mrs[i];
	char size[32];

	str_copy(r->targets[i].name, sizeof(r->targets[i].name), m->name);
	str_copy(mr->name, sizeof(mr->name), m->name);
	str_copy(mr->backing, sizeof(mr->backing), m->backing->name);
	str_copy(mr->fs, sizeof(mr->fs), m->where);
	snprintf(mr->desc, sizeof(mr->desc), "%s %s %s", m->backing->name,
		 m->where, format_size(m->size, size, sizeof(size)));
	mr->size = m->size;
	mr_access_name(m->access, mr->access, sizeof(mr->access));
	mr_access_format(m->access, mr->access_words, sizeof(mr->access_words));
	mr->skipped = true;
	str_copy(mr->error, sizeof(mr->error), r->skip[i]);
	r->res->n_mrs = i + 1;
}

/*
 * A scenario may ask for huge pages this machine has not reserved (its
 * backing said ENOMEM, with how to reserve them): like a filesystem it
 * lacks, that MR is skipped and the others run. On the command line the
 * user asked for that one MR: the error stands.
 */
static bool skip_for_lack(struct run *r, unsigned i, int ret, struct mrs_err *e)
{
	if (ret != -ENOMEM || e->injected ||
	    !r->spec->mrs[i].backing->page_sizes || !r->env->scenario_file)
		return false;
	str_copy(r->skip[i], sizeof(r->skip[i]), e->msg);
	*e = (struct mrs_err){ 0 };
	record_skipped(r, i);
	return true;
}

static int build_target(struct run *r, unsigned i, struct mrs_err *e)
{
	const struct mr_spec *m = &r->spec->mrs[i];
	struct target *t = &r->targets[i];
	struct backing_args ba = { .size = m->size,
				   .hugepage_size = m->hugepage_size,
				   .dir = r->dirs[i] };
	struct mrs_err err = { 0 };
	int ret;

	if (r->skip[i][0]) {
		record_skipped(r, i);
		return 0;
	}
	str_copy(t->name, sizeof(t->name), m->name);
	t->mr_id = i;
	t->seed = r->res->seed;
	t->access = m->access;
	t->odp = m->access & IBV_ACCESS_ON_DEMAND;
	t->block_size = block_size_of(r->spec, m->name);
	pthread_rwlock_init(&t->view_lock, NULL);
	ret = region_create(&t->region, m->backing, &ba, e);
	if (ret && skip_for_lack(r, i, ret, e))
		return 0;
	if (ret)
		return ret == -EINVAL ? -EIO : ret;
	r->built[i] = true;
	if (t->region.len % t->block_size)
		return mrs_err_set(
			e, EINVAL,
			"mr %s: %s is not a multiple of the block size %zu",
			m->name, t->region.desc, t->block_size);
	ret = shadow_init(&t->shadow, t->region.len, t->block_size);
	t->reported = mrs_calloc(t->shadow.n_blocks, sizeof(*t->reported));
	if (ret || !t->reported)
		return mrs_err_set(e, ENOMEM, "mr %s: out of memory", m->name);
	record_mr(&r->res->mrs[i], t);
	r->res->n_mrs = i + 1;
	t->mr = mr_register(r->dev.pd, &t->region, t->access, &err);
	r->res->mrs[i].registered = t->mr != NULL;
	if (!t->mr)
		refused(r, t, &err);
	return 0;
}

static void destroy_target(struct target *t)
{
	if (t->mr)
		ibv_dereg_mr(t->mr);
	t->mr = NULL;
	region_destroy(&t->region);
	shadow_free(&t->shadow);
	free(t->reported);
	t->reported = NULL;
	pthread_rwlock_destroy(&t->view_lock);
}

/* Why DMA and stressors on an MR that has no registration do not run. */
static void not_run_reason(const struct run *r, int m, char *buf, size_t len)
{
	snprintf(buf, len, "mr %s was %s", r->spec->mrs[m].name,
		 r->skip[m][0] ? "skipped" : "not registered");
}

static int start_dma(struct run *r, struct mrs_err *e)
{
	unsigned next_first[RUN_MAX_MRS] = { 0 }, stride[RUN_MAX_MRS] = { 0 };

	/* Stressors that write blocks take their share after the DMA threads. */
	for (unsigned i = 0; i < r->spec->n_dmas; i++)
		stride[mr_spec_find(r->spec, r->spec->dmas[i].mr)] +=
			r->spec->dmas[i].threads;
	for (unsigned i = 0; i < r->spec->n_stress; i++)
		if (r->spec->stress[i].s->writes_blocks)
			stride[mr_spec_find(r->spec, r->spec->stress[i].mr)] +=
				r->spec->stress[i].threads;
	memcpy(r->stride, stride, sizeof(stride));
	/* The first hello tells the initiator how many connections come. */
	for (unsigned i = 0; i < r->spec->n_dmas && r->listening; i++)
		if (r->targets[mr_spec_find(r->spec, r->spec->dmas[i].mr)].mr)
			r->listener.total += r->spec->dmas[i].threads;
	for (unsigned i = 0; i < r->spec->n_dmas; i++) {
		const struct dma_spec *d = &r->spec->dmas[i];
		int m = mr_spec_find(r->spec, d->mr);
		struct dma_result *dr = &r->res->dmas[i];
		struct dma_job *j = &r->jobs[i];
		int ret;

		dr->spec = *d;
		r->res->n_dmas = i + 1;
		*j = (struct dma_job){ .spec = d,
				       .t = &r->targets[m],
				       .dev = &r->dev,
				       .fl = &r->res->findings,
				       .t0 = r->t0,
				       .drain_timeout = DRAIN_TIMEOUT *
							r->spec->slowdown,
				       .stop = &run_stop,
				       .live_bytes = &r->live->dma_bytes,
				       .wd = &r->det.wd,
				       .deadline = hang_deadline(r->spec),
				       .first = next_first[m],
				       .stride = stride[m] };
		next_first[m] += d->threads;
		r->next_first[m] = next_first[m];
		if (r->listening)
			j->remote = &r->listener;
		if (!j->t->mr) {
			not_run_reason(r, m, dr->reason, sizeof(dr->reason));
			continue;
		}
		ret = dma_job_start(j, e);
		if (ret)
			return ret;
		dr->ran = true;
	}
	return 0;
}

/* Where a stressor works: its range, and the blocks it may write. */
static void stress_ctx_init(struct run *r, struct stress_run *sr,
			    struct target *t, int m)
{
	const struct stress_spec *st = sr->spec;

	sr->ctx.t = t;
	sr->ctx.dev = &r->dev;
	sr->ctx.off = 0;
	sr->ctx.len = t->region.len;
	if (st->range[0])
		stress_range_parse(st->range, t->region.len,
				   t->region.page_size, &sr->ctx.off,
				   &sr->ctx.len);
	if (st->s->writes_blocks) {
		sr->ctx.first = r->next_first[m];
		sr->ctx.stride = r->stride[m];
		r->next_first[m] += st->threads;
	}
}

static int start_stress(struct run *r, struct mrs_err *e)
{
	for (unsigned i = 0; i < r->spec->n_stress; i++) {
		const struct stress_spec *st = &r->spec->stress[i];
		struct stress_run *sr = &r->stress[i];
		int m = mr_spec_find(r->spec, st->mr);
		int ret;

		*sr = (struct stress_run){ .spec = st,
					   .fl = &r->res->findings,
					   .t0 = r->t0,
					   .stop = &run_stop,
					   .live_steps = &r->live->steps[i],
					   .slowdown = r->spec->slowdown,
					   .wd = &r->det.wd,
					   .deadline = hang_deadline(r->spec),
					   .lock = PTHREAD_MUTEX_INITIALIZER };
		stress_ctx_init(r, sr, &r->targets[m], m);
		sr->ctx.seed = r->res->seed ^ (0xa5a5ULL + i);
		r->res->n_stress = i + 1;
		r->res->stress[i].spec = *st;
		if (!sr->ctx.t->mr) {
			sr->stats.skipped = true;
			not_run_reason(r, m, sr->stats.reason,
				       sizeof(sr->stats.reason));
			continue;
		}
		ret = stress_run_start(sr, e);
		if (ret)
			return ret;
	}
	return 0;
}

/* "stressor fsync (1 thread)" into the result's list of stuck threads. */
static void note_stuck(struct run *r, const char *who, unsigned n)
{
	struct run_result *res = r->res;
	size_t at = strlen(res->stuck);

	res->n_stuck += n;
	/* What it holds stays in use past the report: see leak_check.h. */
	leak_check_skip();
	snprintf(res->stuck + at, sizeof(res->stuck) - at, "%s%s (%u thread%s)",
		 at ? ", " : "", who, n, n > 1 ? "s" : "");
}

/*
 * Files of a stuck target are off limits to the teardown, and so is every
 * file on the same filesystem: a frozen or wedged filesystem blocks the
 * fsync and unlink of any of them.
 */
static void spread_stuck(struct run *r)
{
	for (unsigned i = 0; i < r->spec->n_mrs; i++) {
		if (!r->stuck_file[i] || !r->spec->mrs[i].backing->needs_dir)
			continue;
		for (unsigned k = 0; k < r->spec->n_mrs; k++)
			if (r->spec->mrs[k].backing->needs_dir &&
			    !strcmp(r->spec->mrs[k].where,
				    r->spec->mrs[i].where))
				r->stuck_file[k] = true;
	}
}

/*
 * The duration is of DMA and stressors together: it counts from when every
 * stressor thread is in its loop. On a loaded TCG guest a thread created
 * last has been seen to start seconds late and lose its whole run. Not
 * longer than a hang's deadline: the watchdog speaks for what is stuck.
 */
static void wait_running(struct run *r)
{
	double give_up = mono_now() + hang_deadline(r->spec);

	for (unsigned i = 0; i < r->res->n_stress; i++)
		while (!stress_run_running(&r->stress[i]) &&
		       mono_now() < give_up && !atomic_load(&run_stop))
			sleep_until(mono_now() + 0.005, &run_stop);
	r->res->startup = mono_now() - r->t0;
}

static void stop_all(struct run *r)
{
	char who[48];
	unsigned n;

	atomic_store(&run_stop, true);
	for (unsigned i = 0; i < r->res->n_stress; i++) {
		n = stress_run_join(&r->stress[i]);
		r->res->stress[i].stats = r->stress[i].stats;
		if (!n)
			continue;
		r->stuck_file[mr_spec_find(r->spec, r->spec->stress[i].mr)] =
			true;
		snprintf(who, sizeof(who), "stressor %s",
			 r->spec->stress[i].name);
		note_stuck(r, who, n);
	}
	for (unsigned i = 0; i < r->spec->n_dmas; i++) {
		int m = mr_spec_find(r->spec, r->spec->dmas[i].mr);

		n = dma_job_join(&r->jobs[i]);
		r->res->dmas[i].stats = r->jobs[i].total;
		if (!n)
			continue;
		r->stuck_dma[m] = r->stuck_file[m] = true;
		snprintf(who, sizeof(who), "dma %s", r->spec->dmas[i].name);
		note_stuck(r, who, n);
	}
	spread_stuck(r);
}

static bool target_drained(const struct run *r, const struct target *t)
{
	for (unsigned i = 0; i < r->spec->n_dmas; i++)
		if (r->jobs[i].t == t && r->res->dmas[i].ran &&
		    !r->res->dmas[i].stats.drained)
			return false;
	return true;
}

/*
 * Once the MR is gone, the file must hold what DMA wrote: deregistration
 * dirties the pages, fsync writes them back, and dropping this file's clean
 * pages makes pread fetch them from the filesystem again.
 */
static int check_after_dereg(struct run *r, struct target *t, struct mrs_err *e)
{
	bool file = target_has_file(t);
	struct check_buf cb;
	size_t n = t->shadow.n_blocks;
	struct view v = { .name = "after-dereg", .file_view = file };

	if (file && (fault_fire(FAULT_FILE_FSYNC) || fsync(t->region.fd)))
		return mrs_err_sys(e, "fsync(%s) after deregistration",
				   t->region.desc);
	if (file)
		posix_fadvise(t->region.fd, 0, 0, POSIX_FADV_DONTNEED);
	if (check_buf_init(&cb, t->block_size))
		return mrs_err_set(e, ENOMEM, "out of memory");
	for (size_t blk = 0; blk < n; blk++) {
		struct view vv[2];
		int got;

		if (t->reported[blk])
			continue; /* its damage was already reported */
		got = check_cpu_views(t, blk, &cb, vv, e);
		if (got < 0)
			break;
		/* The file when there is one, else the mapping. */
		v.buf = vv[got > 1 ? 1 : 0].buf;
		check_views(t, blk, &v, 1, &cb, &r->res->findings,
			    mono_now() - r->t0);
		r->res->mrs[t->mr_id].blocks_after_dereg++;
	}
	check_buf_free(&cb);
	return e->code ? -e->code : 0;
}

static void finish_targets(struct run *r)
{
	for (unsigned i = 0; i < r->spec->n_mrs; i++) {
		struct target *t = &r->targets[i];
		struct mrs_err e = { 0 };

		if (!r->built[i] || !t->mr || r->stuck_dma[i])
			continue;
		ibv_dereg_mr(t->mr);
		t->mr = NULL;
		if (r->stuck_file[i])
			continue;
		if (target_drained(r, t) && check_after_dereg(r, t, &e))
			finding_add_error(&r->res->findings, t->name, 0, &e,
					  "checking %s after deregistration",
					  t->name);
	}
}

/*
 * A data finding's block was damaged between t_from and its detection;
 * other findings look back one second. Name the steps in that window.
 */
static void sum_overlap(const struct stress_run *sr, double from, double to,
			struct timeline_overlap *sum)
{
	struct timeline_overlap o;

	memset(sum, 0, sizeof(*sum));
	for (unsigned k = 0; sr->threads && k < sr->ctx.n_threads; k++) {
		timeline_overlap(&sr->threads[k].tl, from, to, &o);
		sum->n += o.n;
		if (o.last && (!sum->last || o.last->end > sum->last->end))
			sum->last = o.last;
		if (o.before &&
		    (!sum->before || o.before->end > sum->before->end))
			sum->before = o.before;
	}
}

static void name_overlap(const struct run *r, struct finding *f)
{
	double from = f->t_from > 0 ? f->t_from : f->t - 1;
	size_t len = sizeof(f->overlap), at = 0;

	for (unsigned i = 0; i < r->res->n_stress && at < len; i++) {
		const struct stress_run *sr = &r->stress[i];
		const char *sep = at ? "; " : "";
		struct timeline_overlap o;

		sum_overlap(sr, from, f->t, &o);
		if (o.n)
			at += (size_t)snprintf(
				f->overlap + at, len - at,
				"%s%s: %llu step%s, last '%s' at %.3f-%.3f s",
				sep, sr->spec->name, (unsigned long long)o.n,
				o.n > 1 ? "s" : "", o.last->what, o.last->start,
				o.last->end);
		else if (o.before)
			at += (size_t)snprintf(
				f->overlap + at, len - at,
				"%s%s: none, last before '%s' at %.3f-%.3f s",
				sep, sr->spec->name, o.before->what,
				o.before->start, o.before->end);
	}
}

static void name_overlaps(const struct run *r)
{
	for (size_t i = 0; i < r->res->findings.n; i++)
		name_overlap(r, &r->res->findings.v[i]);
}

/*
 * Every MR, staging buffer and device is gone: every page pinned since the
 * run began must have been unpinned. Pins the run did not take (another
 * process on the machine) would show here too; in a VM there are none.
 */
static void check_pins(struct run *r, const struct pin_count *before)
{
	struct finding f = { .cls = FC_PIN_LEAK, .t = mono_now() - r->t0 };
	struct mrs_err e = { 0 };
	struct pin_count after;
	char who[96] = "";
	unsigned others;
	int64_t held;

	if (pin_count_read(&after, &e)) {
		str_copy(r->res->pins_note, sizeof(r->res->pins_note), e.msg);
		return;
	}
	r->res->pins_counted = true;
	r->res->pins_acquired = after.acquired - before->acquired;
	/*
	 * A leak stays. Pins another process is giving back (its device file
	 * closed, its release still running) go within a moment: look again
	 * for up to 2 s before calling it a leak.
	 */
	for (int tries = 0;; tries++) {
		held = pin_count_held_since(before, &after);
		others = pin_count_other_users(who, sizeof(who));
		if (held <= 0 || others || tries == 20)
			break;
		usleep(100 * 1000);
		if (pin_count_read(&after, &e))
			break;
	}
	if (held <= 0)
		return;
	if (others) {
		snprintf(
			r->res->pins_note, sizeof(r->res->pins_note),
			"%lld pages still pinned, not judged: %u other process%s RDMA (%s)",
			(long long)held, others,
			others > 1 ? "es use" : " uses", who);
		return;
	}
	snprintf(
		f.title, sizeof(f.title),
		"pin-leak: %lld pages still pinned after every MR was deregistered",
		(long long)held);
	snprintf(
		f.detail, sizeof(f.detail),
		"/proc/vmstat: nr_foll_pin_acquired +%llu, nr_foll_pin_released +%llu during the run",
		(unsigned long long)(after.acquired - before->acquired),
		(unsigned long long)(after.released - before->released));
	finding_add(&r->res->findings, &f);
}

static void init_result(struct run *r)
{
	const struct run_spec *s = r->spec;
	struct run_result *res = r->res;

	memset(res, 0, sizeof(*res));
	finding_list_init(&res->findings);
	machine_sample(&res->machine, res->kernel_release,
		       sizeof(res->kernel_release));
	str_copy(res->name, sizeof(res->name), s->name);
	str_copy(res->description, sizeof(res->description), s->description);
	if (r->env->scenario_file)
		str_copy(res->scenario_file, sizeof(res->scenario_file),
			 r->env->scenario_file);
	res->seed = s->seed;
	res->duration = s->duration;
	res->slowdown = s->slowdown;
	res->expects = s->expects;
}

/* Which findings the expectations cover, and which of them saw nothing. */
static void judge(struct run_result *res)
{
	struct expect_mr mrs[RUN_MAX_MRS];
	unsigned n = 0;

	for (unsigned i = 0; i < res->n_mrs; i++) {
		const struct mr_result *m = &res->mrs[i];

		if (m->skipped)
			continue;
		mrs[n++] = (struct expect_mr){ .name = m->name,
					       .fs = m->fs,
					       .backing = m->backing,
					       .access = m->access_words };
	}
	res->unmet = expect_match(&res->expects, &res->machine, mrs, n,
				  res->findings.v, res->findings.n, res->marks);
}

/* A scenario that needs what this machine lacks is skipped, with why. */
static int check_requires(const struct run *r, struct mrs_err *e)
{
	for (int c = 0; c < CAP_COUNT; c++)
		if (r->spec->requires[c] && !r->res->machine.cap[c])
			return mrs_err_set(e, EOPNOTSUPP, "%s requires %s: %s",
					   r->spec->name[0] ? r->spec->name :
							      "the run",
					   expect_cap_name((enum expect_cap)c),
					   expect_cap_lack((enum expect_cap)c));
	return 0;
}

/*
 * --listen: the address picks the device (the one the initiator reaches),
 * so listening comes before the device is opened.
 */
static int listen_on(struct run *r, struct mrs_err *e)
{
	int ret = remote_listen(r->env->listen, &r->listener, e);

	if (ret)
		return ret;
	r->listening = true;
	if (r->env->device && strcmp(r->env->device, r->listener.device))
		return mrs_err_set(
			e, EINVAL,
			"--listen %s is on RDMA device %s, not on --device %s",
			r->env->listen->addr, r->listener.device,
			r->env->device);
	return 0;
}

static int run_body(struct run *r, struct mrs_err *e)
{
	int ret = 0;

	for (unsigned i = 0; i < r->spec->n_mrs && !ret; i++)
		ret = resolve_dir(r, i, &r->dirs[i], e);
	if (!ret && r->env->listen)
		ret = listen_on(r, e);
	if (!ret)
		ret = rdma_dev_open(r->env->device ? r->env->device :
				    r->listening   ? r->listener.device :
						     NULL,
				    &r->dev, e);
	if (ret)
		return ret;
	r->res->dev = r->dev.info;
	machine_set_device(&r->res->machine, &r->dev.info);
	ret = check_requires(r, e);
	for (unsigned i = 0; i < r->spec->n_mrs && !ret; i++)
		ret = build_target(r, i, e);
	r->t0 = mono_now();
	detect_set_t0(&r->det, r->t0);
	r->live->t0 = r->t0;
	atomic_store(&r->live->running, true);
	for (unsigned i = 0; i < r->spec->n_mrs; i++)
		r->targets[i].t0 = r->t0;
	if (!ret)
		ret = start_dma(r, e);
	if (!ret)
		ret = start_stress(r, e);
	if (!ret) {
		wait_running(r);
		sleep_until(mono_now() + r->spec->duration, &run_stop);
	}
	r->res->elapsed = mono_now() - r->t0;
	stop_all(r);
	atomic_store(&r->live->running, false);
	if (!ret)
		finish_targets(r);
	return ret;
}

/*
 * Everything the run built goes, but what a stuck thread may still touch:
 * that thread cannot be stopped, and the process exits around it.
 */
static void teardown(struct run *r)
{
	for (unsigned i = 0; i < r->spec->n_mrs; i++)
		if (r->built[i] && !r->stuck_file[i])
			destroy_target(&r->targets[i]);
	if (!r->res->n_stuck)
		rdma_dev_close(&r->dev);
	if (r->listening)
		remote_unlisten(&r->listener);
}

/* A stuck thread keeps its MRs and pins: no leak can be told apart. */
static void not_judged(struct run_result *res, struct mr_watch *mrs)
{
	static const char why[] =
		"not judged: a thread is still blocked in the kernel with its MRs";

	str_copy(res->pins_note, sizeof(res->pins_note), why);
	str_copy(res->mrs_check.note, sizeof(res->mrs_check.note), why);
	mr_list_free(&mrs->before);
}

int run_execute(const struct run_spec *spec, const struct run_env *env,
		struct run_result *res, struct mrs_err *e)
{
	struct run *r = mrs_calloc(1, sizeof(*r));
	struct mrs_err pin_err = { 0 };
	struct pin_count pins;
	struct mr_watch mrs;
	bool pins_ok;
	int ret;

	if (!r)
		return mrs_err_set(e, ENOMEM, "out of memory");
	r->spec = spec;
	r->env = env;
	r->res = res;
	r->live = env->live ? env->live : &r->own_live;
	atomic_store(&r->live->dma_bytes, 0);
	for (unsigned i = 0; i < RUN_MAX_STRESS; i++)
		atomic_store(&r->live->steps[i], 0);
	atomic_store(&run_stop, false);
	fault_seed(spec->seed); /* --fault P<1 fails the same calls again */
	init_result(r);
	pins_ok = !pin_count_read(&pins, &pin_err);
	mr_watch_begin(&mrs);
	detect_start(&r->det, hang_deadline(spec), res);
	r->t0 = mono_now();
	ret = run_body(r, e);
	res->interrupted = atomic_load(&run_interrupted);
	teardown(r);
	detect_finish(&r->det, r->t0, res->n_stuck > 0, res);
	if (res->n_stuck)
		not_judged(res, &mrs);
	else if (pins_ok)
		check_pins(r, &pins);
	else
		str_copy(res->pins_note, sizeof(res->pins_note), pin_err.msg);
	if (!res->n_stuck)
		mr_watch_check(&mrs, mono_now() - r->t0, &res->findings,
			       &res->mrs_check);
	finding_list_coalesce(&res->findings);
	name_overlaps(r);
	if (run_events_collect(res, r->stress, res->n_stress)) {
		struct mrs_err oom = { 0 };

		mrs_err_set(&oom, ENOMEM, "out of memory");
		finding_add_error(&res->findings, "", mono_now() - r->t0, &oom,
				  "keeping the stressors' timelines");
	}
	for (unsigned i = 0; i < res->n_stress; i++)
		stress_run_free(&r->stress[i]);
	judge(res);
	if (!res->n_stuck)
		free(r); /* else its threads still point into it */
	return ret;
}

void run_result_free(struct run_result *res)
{
	finding_list_free(&res->findings);
	free(res->events);
	res->events = NULL;
}

bool run_result_all_skipped(const struct run_result *res)
{
	for (unsigned i = 0; i < res->n_mrs; i++)
		if (!res->mrs[i].skipped)
			return false;
	return res->n_mrs > 0;
}
