// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "knob.h"
#include "memcg.h"
#include "memstat.h"

#define CGROOT "/sys/fs/cgroup"

/* Our cgroup v2 path from /proc/self/cgroup's "0::/path" line. */
static int own_cgroup(char *buf, size_t len, struct mrs_err *e)
{
	char line[PATH_MAX + 8];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int ret = -EOPNOTSUPP;

	if (!f)
		return mrs_err_set(e, EOPNOTSUPP, "no /proc/self/cgroup");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, CGROOT "%.*s", (int)(len - 16),
				 strcmp(line + 3, "/") ? line + 3 : "");
			ret = 0;
		}
	fclose(f);
	if (ret)
		mrs_err_set(
			e, EOPNOTSUPP,
			"no cgroup v2 hierarchy (no 0:: line in /proc/self/cgroup)");
	return ret;
}

static bool list_has(const char *path, const char *word)
{
	char buf[512], *tok, *save = NULL;
	struct mrs_err e;

	if (knob_read(path, buf, sizeof(buf), &e))
		return false;
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		if (!strcmp(tok, word))
			return true;
	return false;
}

static int enable_memory(struct memcg *m, struct mrs_err *e)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/cgroup.controllers", m->parent);
	if (!list_has(path, "memory"))
		return mrs_err_set(e, EOPNOTSUPP,
				   "cgroup v2 at %s has no memory controller",
				   m->parent);
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", m->parent);
	if (list_has(path, "memory"))
		return 0;
	/* A non-root cgroup holding processes cannot (no internal process). */
	if (knob_write(path, "+memory", e))
		return mrs_err_set(
			e, EOPNOTSUPP,
			"cannot enable memory for children of %s: %s",
			m->parent, e->msg);
	m->enabled_memory = true;
	return 0;
}

static int move_to(const char *dir, struct mrs_err *e)
{
	char path[PATH_MAX + 16], pid[16];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	return knob_write(path, pid, e);
}

int memcg_enter(struct memcg *m, struct mrs_err *e)
{
	int ret;

	memset(m, 0, sizeof(*m));
	if (access(CGROOT "/cgroup.controllers", F_OK))
		return mrs_err_set(e, EOPNOTSUPP,
				   "cgroup v2 not mounted at " CGROOT);
	ret = own_cgroup(m->parent, sizeof(m->parent), e);
	if (!ret)
		ret = enable_memory(m, e);
	if (ret)
		return ret;
	snprintf(m->child, sizeof(m->child), "%.*s/mrstress-%d",
		 (int)(sizeof(m->child) - 24), m->parent, (int)getpid());
	if (mkdir(m->child, 0755)) {
		ret = mrs_err_sys(e, "mkdir(%s)", m->child);
		goto fail;
	}
	m->made = true;
	ret = move_to(m->child, e);
	if (ret)
		goto fail;
	m->entered = true;
	return 0;
fail:
	memcg_leave(m);
	/* Not ours to change (permissions, delegation): skipped, not broken. */
	return ret == -EACCES || ret == -EPERM || ret == -EROFS ? -EOPNOTSUPP :
								  ret;
}

void memcg_leave(struct memcg *m)
{
	struct mrs_err e = { 0 };
	char path[PATH_MAX + 32];

	if (m->entered && move_to(m->parent, &e))
		fprintf(stderr, "mrstress: leaving %s: %s\n", m->child, e.msg);
	m->entered = false;
	if (m->made && rmdir(m->child))
		fprintf(stderr, "mrstress: rmdir(%s): %m\n", m->child);
	m->made = false;
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", m->parent);
	if (m->enabled_memory && knob_write(path, "-memory", &e))
		fprintf(stderr, "mrstress: %s: %s\n", path, e.msg);
	m->enabled_memory = false;
}

uint64_t memcg_read(const struct memcg *m, const char *file)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", m->child, file);
	return memstat_file_u64(path);
}

uint64_t memcg_read_key(const struct memcg *m, const char *file,
			const char *key)
{
	char path[PATH_MAX + 32];
	struct mrs_err e;
	uint64_t v = 0;

	snprintf(path, sizeof(path), "%s/%s", m->child, file);
	if (memstat_read(path, key, &v, &e))
		return 0;
	return v;
}

int memcg_write(const struct memcg *m, const char *file, const char *val,
		struct mrs_err *e)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", m->child, file);
	return knob_write(path, val, e);
}
