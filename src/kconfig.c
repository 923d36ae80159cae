// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel configuration options that matter to an RDMA/MM/FS bug report,
 * read from wherever this kernel's config is (kconfig.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include "kconfig.h"

/*
 * What a maintainer asks first: which RDMA core and driver, which memory
 * features can move or split pages under a pin, which filesystems, which
 * debugging would have caught more, and how the kernel preempts.
 */
static const char *const wanted[] = {
	/* RDMA */
	"INFINIBAND",
	"INFINIBAND_USER_ACCESS",
	"INFINIBAND_USER_MEM",
	"INFINIBAND_ON_DEMAND_PAGING",
	"INFINIBAND_VIRT_DMA",
	"RDMA_RXE",
	"RDMA_SIW",
	"MMU_NOTIFIER",
	"HMM_MIRROR",
	/* memory management */
	"TRANSPARENT_HUGEPAGE*",
	"READ_ONLY_THP_FOR_FS",
	"HUGETLBFS",
	"HUGETLB_PAGE",
	"USERFAULTFD",
	"KSM",
	"MIGRATION",
	"COMPACTION",
	"NUMA",
	"NUMA_BALANCING",
	"MEMCG",
	"SWAP",
	"ZSWAP",
	"CMA",
	"MEMORY_FAILURE",
	"ZONE_DEVICE",
	"LRU_GEN",
	"LRU_GEN_ENABLED",
	/* filesystems */
	"FS_DAX",
	"DAX",
	"EXT4_FS",
	"XFS_FS",
	"BTRFS_FS",
	"TMPFS",
	"SHMEM",
	/* debugging that would have said more */
	"LOCKDEP",
	"PROVE_LOCKING",
	"PROVE_RCU",
	"DEBUG_LOCK_ALLOC",
	"DEBUG_ATOMIC_SLEEP",
	"KASAN*",
	"KFENCE*",
	"UBSAN*",
	"DEBUG_VM*",
	"PAGE_TABLE_CHECK*",
	"DEBUG_PAGEALLOC*",
	"PAGE_POISONING",
	"SLUB_DEBUG",
	"SLUB_DEBUG_ON",
	"DEBUG_LIST",
	"BUG_ON_DATA_CORRUPTION",
	"FAULT_INJECTION",
	"FAILSLAB",
	"FAIL_PAGE_ALLOC",
	"KALLSYMS",
	/* the detectors mrstress reads */
	"DETECT_HUNG_TASK",
	"DEFAULT_HUNG_TASK_TIMEOUT",
	"SOFTLOCKUP_DETECTOR",
	"HARDLOCKUP_DETECTOR",
	"RCU_CPU_STALL_TIMEOUT",
	"WQ_WATCHDOG",
	"PANIC_ON_OOPS",
	"MAGIC_SYSRQ",
	"IKCONFIG_PROC",
	/* scheduling */
	"PREEMPT*",
	"HZ",
};

bool kconfig_wanted(const char *name)
{
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		size_t n = strlen(wanted[i]);

		if (wanted[i][n - 1] == '*' ? !strncmp(name, wanted[i], n - 1) :
					      !strcmp(name, wanted[i]))
			return true;
	}
	return false;
}

static void keep(struct kconfig *k, const char *name, size_t len,
		 const char *value)
{
	char n[sizeof(k->v[0].name)];
	unsigned i;

	if (len >= sizeof(n))
		return; /* no option of the table is that long */
	memcpy(n, name, len);
	n[len] = '\0';
	if (!kconfig_wanted(n))
		return;
	for (i = 0; i < k->n && strcmp(k->v[i].name, n); i++)
		;
	if (i == k->n) {
		if (k->n == KCONFIG_MAX)
			return;
		k->n++;
	}
	str_copy(k->v[i].name, sizeof(k->v[i].name), n);
	str_copy(k->v[i].value, sizeof(k->v[i].value), value);
}

void kconfig_parse_line(struct kconfig *k, const char *line)
{
	char buf[256];
	const char *eq, *end;

	str_copy(buf, sizeof(buf), line);
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!strncmp(buf, "CONFIG_", 7)) {
		eq = strchr(buf, '=');
		if (eq)
			keep(k, buf + 7, (size_t)(eq - buf - 7), eq + 1);
	} else if (!strncmp(buf, "# CONFIG_", 9)) {
		end = strstr(buf, " is not set");
		if (end && !end[11])
			keep(k, buf + 9, (size_t)(end - buf - 9), "n");
	} else if (!strncmp(buf, "# Linux/", 8) &&
		   strstr(buf, " Kernel Configuration")) {
		str_copy(k->header, sizeof(k->header), buf + 2);
	}
}

const char *kconfig_get(const struct kconfig *k, const char *name)
{
	for (unsigned i = 0; i < k->n; i++)
		if (!strcmp(k->v[i].name, name))
			return k->v[i].value;
	return NULL;
}

/* "6.12" of "6.12.117+deb13-amd64" or of "Linux/x86 6.12.117 Kernel..." */
static void series_of(const char *s, char *out, size_t len)
{
	size_t n = strspn(s, "0123456789");

	if (s[n] == '.')
		n += 1 + strspn(s + n + 1, "0123456789");
	snprintf(out, len, "%.*s", (int)n, s);
}

/* A config that names its kernel must name this release's series. */
static bool same_series(const struct kconfig *k)
{
	const char *v = strchr(k->header, ' ');
	char a[32], b[32];

	if (!v)
		return true; /* no header: nothing to say it is another's */
	series_of(v + 1, a, sizeof(a));
	series_of(k->release, b, sizeof(b));
	return !strcmp(a, b);
}

/* Parse one file, plain or gzip (gzopen reads both). */
static int parse_file(struct kconfig *k, const char *path, struct mrs_err *e)
{
	char line[256];
	gzFile z = gzopen(path, "rb");
	int zerr, ret = 0;

	if (!z)
		return mrs_err_sys(e, "kernel config: cannot open %s", path);
	while (gzgets(z, line, sizeof(line)))
		kconfig_parse_line(k, line);
	if (!gzeof(z)) {
		const char *msg = gzerror(z, &zerr);

		ret = mrs_err_set(e, EIO, "kernel config: reading %s: %s", path,
				  zerr == Z_ERRNO ? strerror(errno) : msg);
	}
	gzclose(z);
	return ret;
}

static void uname_of(struct kconfig *k, const char *release)
{
	struct utsname u;

	if (uname(&u)) {
		str_copy(k->release, sizeof(k->release),
			 release ? release : "");
		return;
	}
	str_copy(k->release, sizeof(k->release), release ? release : u.release);
	if (!strcmp(k->release, u.release))
		str_copy(k->version, sizeof(k->version), u.version);
}

int kconfig_read(struct kconfig *k, const char *release, struct mrs_err *e)
{
	char boot[PATH_MAX], mods[PATH_MAX];
	const char *env = getenv("MRSTRESS_KERNEL_CONFIG");
	const char *paths[4];
	unsigned n = 0;
	int ret;

	memset(k, 0, sizeof(*k));
	uname_of(k, release);
	/* /proc is the running kernel's: only when that is the one asked. */
	if (k->version[0])
		paths[n++] = "/proc/config.gz";
	snprintf(boot, sizeof(boot), "/boot/config-%s", k->release);
	snprintf(mods, sizeof(mods), "/lib/modules/%s/config", k->release);
	paths[n++] = boot;
	paths[n++] = mods;
	if (env && env[0])
		paths[n++] = env;
	for (unsigned i = 0; i < n; i++) {
		if (access(paths[i], R_OK))
			continue;
		ret = parse_file(k, paths[i], e);
		if (!ret && paths[i] == env && !same_series(k)) {
			ret = mrs_err_set(
				e, EINVAL,
				"kernel config: $MRSTRESS_KERNEL_CONFIG %s is for another kernel (%s), not %s",
				env, k->header, k->release);
		}
		if (ret) {
			k->n = 0;
			k->header[0] = '\0';
			snprintf(k->note, sizeof(k->note),
				 "not available: %.500s", e->msg);
			return ret;
		}
		str_copy(k->source, sizeof(k->source), paths[i]);
		return 0;
	}
	snprintf(
		k->note, sizeof(k->note),
		"not available: no /proc/config.gz (CONFIG_IKCONFIG_PROC), %.200s, %.200s or $MRSTRESS_KERNEL_CONFIG",
		boot, mods);
	return 0;
}

void kconfig_print(FILE *f, const struct kconfig *k)
{
	fprintf(f, "release  %s\n", k->release);
	if (k->version[0])
		fprintf(f, "version  %s\n", k->version);
	if (!k->source[0]) {
		fprintf(f, "config   %s\n", k->note);
		return;
	}
	fprintf(f, "config   %s%s%s%s (%u options that matter)\n", k->source,
		k->header[0] ? " (" : "", k->header, k->header[0] ? ")" : "",
		k->n);
	/* As the .config says it, so that it can be grepped the same way. */
	for (unsigned i = 0; i < k->n; i++)
		if (!strcmp(k->v[i].value, "n"))
			fprintf(f, "# CONFIG_%s is not set\n", k->v[i].name);
		else
			fprintf(f, "CONFIG_%s=%s\n", k->v[i].name,
				k->v[i].value);
}
