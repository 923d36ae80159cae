// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * remap: map a random range of the MR's mapping again over itself with the
 * same backing (mmap MAP_FIXED unmaps the old range as it maps the new).
 * For a shared file or shmem the new mapping reaches the same page-cache
 * pages, so nothing may change. For private anonymous memory the CPU gets
 * fresh zero pages while the MR keeps the old ones: the MR is detached from
 * the process's memory, and that is what the check must report. A private file mapping goes back to the file's pages.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stressor.h"
#include "units.h"
#include "what.h"

struct remap_state {
	int fd; /* what the range is mapped from again, -1 for private anon */
	bool own_fd; /* opened here (anon-shared), closed at teardown */
};

/*
 * Shared anonymous memory has no descriptor, but its shmem object has one:
 * /proc/self/map_files/START-END of the VMA (CAP_SYS_ADMIN), mapped at
 * the same offsets.
 */
static int open_map_file(const struct region *r, struct mrs_err *e)
{
	uintptr_t want = (uintptr_t)r->addr, lo, hi;
	char line[512], path[96];
	FILE *f = fopen("/proc/self/maps", "re");
	int fd = -1;

	if (!f)
		return mrs_err_sys(e, "open /proc/self/maps");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &lo, &hi) == 2 &&
		    lo <= want && want < hi)
			break;
	fclose(f);
	snprintf(path, sizeof(path),
		 "/proc/self/map_files/%" PRIxPTR "-%" PRIxPTR, lo, hi);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno == EPERM || errno == EACCES)
		return mrs_err_set(
			e, EOPNOTSUPP,
			"remap of %s needs root: its shmem is reached again through %s (CAP_SYS_ADMIN)",
			r->desc, path);
	return mrs_err_sys(e, "open(%s) for %s", path, r->desc);
}

static int remap_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const struct region *r = &c->t->region;
	struct remap_state *s = calloc(1, sizeof(*s));

	if (!s)
		return mrs_err_set(e, ENOMEM, "remap: out of memory");
	c->priv = s;
	s->fd = r->fd;
	if (r->fd < 0 && r->shared) {
		int fd = open_map_file(r, e);

		if (fd < 0) {
			free(s);
			c->priv = NULL;
			return fd;
		}
		s->fd = fd;
		s->own_fd = true;
	}
	return 0;
}

/* How the step maps the range: "shared file", "fresh anon"... */
static const char *remap_kind(const struct region *r, int fd)
{
	if (fd < 0)
		return "fresh anon";
	return r->shared ? "same pages" : "file again";
}

static int remap_step(struct stress_ctx *c, struct stress_step *st,
		      struct mrs_err *e)
{
	const struct remap_state *s = c->priv;
	const struct region *r = &c->t->region;
	struct target *t = c->t;
	uint64_t off, len;
	char *addr, *got;
	char range[40];
	int ret = 0;

	stress_rand_range(c, st, &off, &len);
	addr = (char *)r->addr + off;
	range_str(off, len, range, sizeof(range));
	step_what(st, "remap %s %s", range, remap_kind(r, s->fd));
	pthread_rwlock_wrlock(&t->view_lock);
	/*
	 * Not munmap and then mmap: in between, another thread's mmap could
	 * land in the hole, to be clobbered here.
	 */
	got = region_map_again(r, s->fd, addr, len, off);
	if (got == MAP_FAILED) {
		ret = mrs_err_sys(e, "mmap(%s, %s, MAP_FIXED)", r->desc, range);
		/* Fresh huge pages may simply not be there: a refusal. */
		if (e->code == ENOMEM && r->huge)
			ret = -EAGAIN;
		region_plug(addr, len);
	}
	pthread_rwlock_unlock(&t->view_lock);
	return ret;
}

static void remap_teardown(struct stress_ctx *c)
{
	struct remap_state *s = c->priv;

	if (s && s->own_fd)
		close(s->fd);
	free(s);
	c->priv = NULL;
}

static const char repro_remap[] =
	"\tint flags = r->m->map_flags | MAP_FIXED;\n"
	"\tuint64_t off, len;\n"
	"\tchar *got;\n"
	"\n"
	"\tif (r->m->fd < 0 && r->m->shared) {\n"
	"\t\terrno = EOPNOTSUPP;\n"
	"\t\treturn step_fail(st, \"remap of shared anonymous memory (mrstress maps it again through /proc/self/map_files): not in this reproducer\");\n"
	"\t}\n"
	"\t/* With a descriptor, MAP_ANONYMOUS would ignore it. */\n"
	"\tif (r->m->fd >= 0)\n"
	"\t\tflags &= ~MAP_ANONYMOUS;\n"
	"\trand_range(r, st, &off, &len);\n"
	"\twhat(st, \"remap 0x%\" PRIx64 \"+0x%\" PRIx64 \" %s\", off, len,\n"
	"\t     r->m->fd < 0 ? \"fresh anon\" :\n"
	"\t     r->m->shared ? \"same pages\" : \"file again\");\n"
	"\t/* MAP_FIXED unmaps the old range: no hole for other mmaps. */\n"
	"\tgot = mmap(r->m->addr + off, len, r->m->map_prot, flags, r->m->fd,\n"
	"\t\t   r->m->fd < 0 ? 0 : (off_t)off);\n"
	"\tif (got == MAP_FAILED) {\n"
	"\t\tint ret = step_fail(st, \"mmap(0x%\" PRIx64 \"+0x%\" PRIx64 \", MAP_FIXED)\",\n"
	"\t\t\t\t    off, len);\n"
	"\n"
	"\t\t/* Never leave a hole the checks would fault on. */\n"
	"\t\tmmap(r->m->addr + off, len, PROT_READ | PROT_WRITE,\n"
	"\t\t     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);\n"
	"\t\treturn ret;\n"
	"\t}\n"
	"\treturn 0;\n";

/* The standalone form of a step, for a reproducer (repro.h). */
static int remap_repro(FILE *f, const struct stress_repro *a, struct mrs_err *e)
{
	(void)a;
	(void)e;
	fputs(repro_remap, f);
	return 0;
}

const struct stressor stressor_remap = {
	.name = "remap",
	.help = "map a random range again over itself from the same backing (mmap MAP_FIXED; private anon: fresh pages, a real detach)",
	.setup = remap_setup,
	.step = remap_step,
	.teardown = remap_teardown,
	.repro_step = remap_repro,
};
