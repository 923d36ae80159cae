// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pressure: bounded memory pressure that pushes page cache and anonymous
 * memory out while DMA goes on, and stops by itself.
 *
 * mode=alloc: each step maps and touches anonymous memory up to 'target'
 * (a size, or a percentage of MemAvailable at setup; default 50%), holds
 * it for 'hold' and frees it. It stops touching once MemAvailable would
 * drop below 'floor' (default 64M), read as it goes, so the guest never
 * meets the OOM killer. Reclaim then works on everything else: clean page
 * cache (also the file's pages, unless pinned), and anon pages if there
 * is swap. A pinned page can be neither freed nor swapped.
 *
 * mode=cgroup: each step asks the memory controller to reclaim 'target'
 * (default 16M) from the cgroup v2 this process runs in, through its
 * memory.reclaim (5.19+): that is where the MR's pages were charged when
 * they were faulted in, so the reclaim runs against our own pages. A
 * child cgroup with a low memory.high was tried first: charges do not
 * move with a process, so the child held only new allocations, and the
 * kernel's throttling of a task over memory.high stalled a run for
 * minutes under TCG. memory.reclaim answers EAGAIN when it reclaimed less
 * than asked, which is the normal outcome with pinned pages and no swap.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "clock.h"
#include "knob.h"
#include "memstat.h"
#include "stressor.h"
#include "units.h"
#include "what.h"

#define CHUNK (4u << 20) /* touched between two looks at MemAvailable */

static const char *const pressure_keys[] = { "mode", "target", "hold", "floor",
					     NULL };

struct pressure {
	bool cgroup;
	size_t target, floor;
	double hold;
	char reclaim[PATH_MAX]; /* our cgroup's memory.reclaim */
};

static int pressure_check_opt(const char *key, const char *val, size_t mr_size,
			      struct mrs_err *e)
{
	size_t sz;
	double d;

	(void)mr_size;
	if (!strcmp(key, "mode") && strcmp(val, "alloc") &&
	    strcmp(val, "cgroup"))
		return mrs_err_set(e, EINVAL, "mode=%s: want alloc or cgroup",
				   val);
	if (!strcmp(key, "target") &&
	    (parse_size_or_percent(val, 100, &sz) || !sz))
		return mrs_err_set(
			e, EINVAL,
			"target=%s: want a size or a percentage of MemAvailable (50%%)",
			val);
	if (!strcmp(key, "floor") && parse_size(val, &sz))
		return mrs_err_set(e, EINVAL, "floor=%s: want a size", val);
	if (!strcmp(key, "hold") && (parse_duration(val, &d) || d > 60))
		return mrs_err_set(e, EINVAL,
				   "hold=%s: want a duration up to 60s", val);
	return 0;
}

static int parse_keys(struct stress_ctx *c, struct pressure *p)
{
	const char *mode = stress_opt(c, "mode");
	const char *target = stress_opt(c, "target");
	const char *floor = stress_opt(c, "floor");
	const char *hold = stress_opt(c, "hold");
	uint64_t avail = memstat_available();

	p->cgroup = mode && !strcmp(mode, "cgroup");
	if (!target)
		target = p->cgroup ? "16M" : "50%";
	if (parse_size_or_percent(target, (size_t)avail, &p->target))
		return -EINVAL;
	p->floor = 64u << 20;
	if (floor)
		parse_size(floor, &p->floor);
	p->hold = 0.2;
	if (hold)
		parse_duration(hold, &p->hold);
	return 0;
}

/* memory.reclaim of the cgroup v2 this process is in. */
static int find_reclaim(struct pressure *p, struct mrs_err *e)
{
	char line[PATH_MAX];
	FILE *f = fopen("/proc/self/cgroup", "re");
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		found = !strncmp(line, "0::", 3);
		if (found)
			snprintf(p->reclaim, sizeof(p->reclaim),
				 "/sys/fs/cgroup%.*s/memory.reclaim",
				 (int)(sizeof(p->reclaim) - 40),
				 strcmp(line + 3, "/") ? line + 3 : "");
	}
	if (f)
		fclose(f);
	if (!found)
		return mrs_err_set(
			e, EOPNOTSUPP,
			"not in a cgroup v2 hierarchy (no 0:: line in /proc/self/cgroup)");
	if (access(p->reclaim, W_OK))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"%s: %s (cgroup v2 with the memory controller, kernel 5.19+)",
			p->reclaim, strerror(errno));
	return 0;
}

static void pressure_teardown(struct stress_ctx *c)
{
	struct pressure *p = c->priv;

	if (!p)
		return;
	free(p);
	c->priv = NULL;
}

static int pressure_setup(struct stress_ctx *c, struct mrs_err *e)
{
	struct pressure *p = calloc(1, sizeof(*p));
	int ret = 0;

	if (!p)
		return mrs_err_set(e, ENOMEM, "pressure: out of memory");
	c->priv = p;
	if (parse_keys(c, p))
		ret = mrs_err_set(e, EIO, "pressure: no MemAvailable");
	else if (p->cgroup && geteuid())
		ret = mrs_err_set(e, EOPNOTSUPP,
				  "pressure mode=cgroup needs root");
	else if (p->cgroup)
		ret = find_reclaim(p, e);
	if (ret)
		pressure_teardown(c);
	return ret;
}

/* Touch up to want bytes of m, never below the floor: bytes touched. */
static size_t touch(const struct stress_ctx *c, const struct pressure *p,
		    char *m, size_t want, bool *floored)
{
	size_t done = 0, page = (size_t)sysconf(_SC_PAGESIZE);

	*floored = false;
	while (done < want && !atomic_load(c->stop)) {
		size_t n = want - done < CHUNK ? want - done : CHUNK;

		if (memstat_available() < p->floor + n) {
			*floored = true;
			break;
		}
		for (size_t i = 0; i < n; i += page)
			m[done + i] = 1;
		done += n;
	}
	return done;
}

static void hold(const struct stress_ctx *c, double secs)
{
	sleep_until(mono_now() + secs, c->stop);
}

static int reclaim_step(struct pressure *p, struct stress_step *st,
			struct mrs_err *e)
{
	char buf[32], t[16];
	int ret;

	snprintf(buf, sizeof(buf), "%zu", p->target);
	ret = knob_write(p->reclaim, buf, e);
	step_what(st, "memory.reclaim %s%s",
		  format_size(p->target, t, sizeof(t)),
		  ret == -EAGAIN ? ": less reclaimed" : "");
	return ret == -EAGAIN ? 0 : ret;
}

static int pressure_step(struct stress_ctx *c, struct stress_step *st,
			 struct mrs_err *e)
{
	struct pressure *p = c->priv;
	char g[16], w[16], line[96];
	bool floored;
	size_t got;
	char *m;

	if (p->cgroup)
		return reclaim_step(p, st, e);
	m = mmap(NULL, p->target, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED) {
		/* No address space or memory for it now: a refusal. */
		mrs_err_sys(e, "mmap(%zu bytes of pressure)", p->target);
		return -EAGAIN;
	}
	got = touch(c, p, m, p->target, &floored);
	hold(c, p->hold);
	munmap(m, p->target);
	snprintf(line, sizeof(line), "alloc %s/%s%s",
		 format_size(got, g, sizeof(g)),
		 format_size(p->target, w, sizeof(w)),
		 floored ? " (floor)" : "");
	str_copy(st->what, sizeof(st->what), line);
	return 0;
}

const struct stressor stressor_pressure = {
	.name = "pressure",
	.help = "bounded memory pressure: 'mode' alloc (touch 'target', default 50% of MemAvailable, keep 'floor' 64M free, for 'hold' 200ms) or cgroup (write 'target', default 16M, to our cgroup's memory.reclaim)",
	.keys = pressure_keys,
	.check_opt = pressure_check_opt,
	.setup = pressure_setup,
	.step = pressure_step,
	.teardown = pressure_teardown,
};
