// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "kmsg_classify.h"

/*
 * Frames that say how the kernel got to a report, not where the bug is.
 * Facts from syzkaller's pkg/report/linux.go (its skip list), trimmed to
 * what x86-64 kernels print. "^x": starts with x, "x$": ends with x, "^x$":
 * is x, otherwise: contains x.
 */
static const char *const generic_frames[] = {
	"__sanitizer",
	"__asan",
	"kasan",
	"kmsan",
	"kcsan",
	/* KFENCE's and UBSAN's own functions by prefix: a function with the
	 * word in its name elsewhere may be the guilty one. */
	"^kfence_",
	"^__kfence_",
	"check_memory_region",
	"print_address_description",
	"print_report",
	"panic",
	"invalid_op",
	"handle_bug",
	"report_bug",
	"fixup_bug",
	"do_error",
	"do_trap",
	"_trap$",
	"show_stack",
	"dump_stack",
	"walk_stack",
	"dump_backtrace",
	"show_trace",
	"warn_slowpath",
	"warn_alloc",
	"__warn",
	"printk",
	"^asm_",
	"^sysvec_",
	"^__sysvec_",
	"irq_exit",
	"lockdep",
	"lock_acquire",
	"lock_release",
	"mark_lock",
	"spin_lock",
	"spin_unlock",
	"spin_trylock",
	"read_lock",
	"write_lock",
	"read_unlock",
	"write_unlock",
	"^down$",
	"down_read",
	"down_write",
	"down_trylock",
	"up_read",
	"up_write",
	"^mutex_",
	"^__mutex_",
	"^rt_mutex_",
	"osq_lock",
	"rwsem",
	"percpu_down",
	"^__schedule$",
	"^schedule$",
	"^schedule_",
	"io_schedule",
	"__wake_up",
	"^refcount_",
	"^kref_",
	"memcpy",
	"memset",
	"memmove",
	"memcmp",
	"strcmp",
	"strncmp",
	"strcpy",
	"strncpy",
	"strscpy",
	"strlen",
	"copy_to_user",
	"copy_from_user",
	"might_sleep",
	"might_resched",
	"might_fault",
	"list_add",
	"list_del",
	"^__list_",
	"alloc_page",
	"kmem_cache",
	"slab_",
	"^kmalloc",
	"^__kmalloc",
	"^kfree$",
	"wait_for_completion",
	"finish_wait",
	"^rb_",
	"^__rb_",
	"_indirect_thunk_",
	"snprintf",
	"^ubsan_",
	"^__ubsan_",
};

/*
 * Stall reports (soft lockup, RCU stall) name the frame just before the
 * first of these: how the stalled work was entered (syzkaller's anchors).
 */
static const char *const stall_anchors[] = {
	"process_one_work",
	"do_syscall_",
	"do_fast_syscall_",
	"do_softirq",
	"call_timer_fn",
	"_run_timers",
	"run_timer_softirq",
	"hrtimer_run",
	"run_ksoftirqd",
	"smpboot_thread_fn",
	"^kthread$",
	"start_secondary",
	"cpu_startup_entry",
	"ret_from_fork",
	"vfs_write",
	"vfs_read",
	"vfs_iter_read",
	"vfs_iter_write",
	"vfs_ioctl",
	"do_iter_readv_writev",
	"mmap_region",
	"do_mmap",
	"do_dentry_open",
	"vfs_open",
	"__do_fault",
	"do_page_fault",
	"__fput",
	"task_work_run",
	"exit_to_user_mode",
	"smp_call_function",
	"tasklet_action",
};

/* Hung tasks: skip whatever waits (syzkaller's substrings). */
static const char *const hung_skip[] = {
	"sched",       "_lock",		 "_slowlock",	"down",
	"rwsem",       "completion",	 "kthread",	"wait",
	"synchronize", "context_switch", "__switch_to", "cancel_delayed_work",
	"rcu_barrier", "freezer",
};

static const char *const syscall_prefixes[] = {
	"__x64_sys_",
	"__ia32_sys_",
	"__se_sys_",
	"__do_sys_",
	"__do_compat_sys_",
	"____sys_",
	"___sys_",
	"__sys_",
	"ksys_",
	"__x64_",
	"__se_",
	"SyS_",
	"sys_",
};

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* One skip-list pattern: ^ anchors the start, $ the end. */
static bool pattern_match(const char *fn, const char *pat)
{
	size_t plen = strlen(pat), flen = strlen(fn);
	bool head = pat[0] == '^', tail = plen > 1 && pat[plen - 1] == '$';
	const char *p = pat + head;
	size_t n = plen - head - tail;

	if (head && tail)
		return flen == n && strncmp(fn, p, n) == 0;
	if (head)
		return strncmp(fn, p, n) == 0;
	if (tail)
		return flen >= n && strncmp(fn + flen - n, p, n) == 0;
	return strstr(fn, p) != NULL;
}

static bool match_any(const char *fn, const char *const *pats, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pattern_match(fn, pats[i]))
			return true;
	return false;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

bool kmsg_frame_is_generic(const char *fn)
{
	return match_any(fn, generic_frames, ARRAY_LEN(generic_frames));
}

static bool is_ident(int c)
{
	return isalnum(c) || c == '_' || c == '.';
}

/* Copies the identifier at s (at most len - 1 bytes) and normalises it. */
static size_t copy_func(const char *s, char *fn, size_t len)
{
	size_t n = 0, skip = 0;
	char *dot;

	while (is_ident((unsigned char)s[n]))
		n++;
	for (size_t i = 0; i < ARRAY_LEN(syscall_prefixes); i++) {
		size_t pl = strlen(syscall_prefixes[i]);

		if (n > pl && strncmp(s, syscall_prefixes[i], pl) == 0) {
			skip = pl;
			break;
		}
	}
	if (n - skip >= len)
		n = len - 1 + skip;
	memcpy(fn, s + skip, n - skip);
	fn[n - skip] = '\0';
	dot = strchr(fn, '.'); /* .isra.0, .cold, .constprop.0 */
	if (dot && dot != fn)
		*dot = '\0';
	return n;
}

/* "f+0x1/0x2": the function of a symbol with offset, at s. */
static bool symbol_at(const char *s, char *fn, size_t len)
{
	const char *e = s;

	while (is_ident((unsigned char)*e))
		e++;
	if (e == s || !starts(e, "+0x"))
		return false;
	copy_func(s, fn, len);
	return fn[0] != '\0';
}

bool kmsg_frame_parse(const char *line, char *fn, size_t len)
{
	const char *s = line, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '?')
		return false;
	if (starts(s, "[<")) { /* old "[<ffffffff81000000>] f+0x1/0x2" */
		s = strchr(s, ']');
		if (!s)
			return false;
		s++;
		while (*s == ' ')
			s++;
		if (*s == '?')
			return false;
	}
	if (symbol_at(s, fn, len))
		return true;
	/* Symbolized inline frames: "f include/linux/fs.h:756 [inline]". */
	e = s;
	while (is_ident((unsigned char)*e))
		e++;
	if (e == s || *e != ' ' || !strstr(e, " [inline]"))
		return false;
	copy_func(s, fn, len);
	return fn[0] != '\0';
}

static void header_set(struct kmsg_header *h, enum kmsg_kind kind, int prio,
		       enum finding_class cls, const char *title)
{
	h->kind = kind;
	h->prio = prio;
	h->cls = cls;
	str_copy(h->title, sizeof(h->title), title);
}

/* A report of one line, whose title says it all. */
static void header_line(struct kmsg_header *h, enum finding_class cls,
			const char *title)
{
	header_set(h, KK_FS_LINE, 2, cls, title);
	h->no_frame = true;
}

/* "WARNING: CPU: 0 PID: 1 at fs/ext4/inode.c:3 f+0x1/0x2": f. */
static void warning_func(const char *line, struct kmsg_header *h)
{
	const char *at = strstr(line, " at ");
	const char *sp;

	if (!at)
		return;
	sp = strchr(at + 4, ' ');
	if (sp)
		symbol_at(sp + 1, h->func, sizeof(h->func));
}

static bool warning_header(const char *s, struct kmsg_header *h)
{
	static const struct {
		const char *text, *title;
	} lockdep[] = {
		{ "possible circular locking dependency", "possible deadlock" },
		{ "possible recursive locking", "possible deadlock" },
		{ "possible irq lock inversion", "possible deadlock" },
		{ "-unsafe lock order detected", "possible deadlock" },
		{ "inconsistent lock state", "inconsistent lock state" },
		{ "bad unlock balance", "WARNING: bad unlock balance" },
		{ "held lock freed", "WARNING: held lock freed" },
		{ "still has locks held", "WARNING: still has locks held" },
		{ "suspicious RCU usage", "WARNING: suspicious RCU usage" },
	};

	for (size_t i = 0; i < ARRAY_LEN(lockdep); i++)
		if (strstr(s, lockdep[i].text)) {
			header_set(h, KK_LOCKDEP, 3, FC_LOCKDEP,
				   lockdep[i].title);
			return true;
		}
	if (!strstr(s, " at ") && !strstr(s, "CPU: "))
		return false; /* userspace "WARNING: ..." text */
	if (strstr(s, "lib/refcount.c"))
		header_set(h, KK_REFCOUNT, 2, FC_KERNEL_WARNING,
			   "WARNING: refcount bug");
	else
		header_set(h, KK_WARNING, 2, FC_KERNEL_WARNING, "WARNING");
	warning_func(s, h);
	return true;
}

/*
 * "BUG: KASAN: slab-use-after-free in f+0x1/0x2": the title's start, f.
 * KASAN names the access ("Read of size 8") on a later line: see
 * kmsg_group_line(); KFENCE names it in the header.
 */
static bool kasan_header(const char *s, const char *tool, struct kmsg_header *h)
{
	const char *type = s + strlen(tool), *in = strstr(type, " in ");
	int n = in ? (int)(in - type) : (int)strlen(type);

	header_set(h, KK_KASAN, 3, FC_KASAN, "");
	snprintf(h->title, sizeof(h->title), "%s: %.*s",
		 starts(tool, "BUG: KASAN") ? "KASAN" : "KFENCE",
		 n > 80 ? 80 : n, type);
	if (in)
		symbol_at(in + 4, h->func, sizeof(h->func));
	return true;
}

static bool bug_header(const char *s, struct kmsg_header *h)
{
	if (starts(s, "BUG: KASAN: "))
		return kasan_header(s, "BUG: KASAN: ", h);
	if (starts(s, "BUG: KFENCE: "))
		return kasan_header(s, "BUG: KFENCE: ", h);
	if (strstr(s, "soft lockup"))
		header_set(h, KK_SOFT_LOCKUP, 3, FC_SOFT_LOCKUP,
			   "BUG: soft lockup");
	else if (strstr(s, "kernel NULL pointer dereference"))
		header_set(
			h, KK_NULL, 2, FC_KERNEL_OOPS,
			"BUG: unable to handle kernel NULL pointer dereference");
	else if (strstr(s, "unable to handle"))
		header_set(h, KK_PAGING, 2, FC_KERNEL_OOPS,
			   "BUG: unable to handle kernel paging request");
	else if (starts(s, "BUG: Bad page state"))
		header_set(h, KK_BUG, 2, FC_KERNEL_BUG, "BUG: Bad page state");
	else if (starts(s, "BUG: Bad page map"))
		header_set(h, KK_BUG, 2, FC_KERNEL_BUG, "BUG: Bad page map");
	else if (starts(s, "BUG: sleeping function called from invalid"))
		header_set(
			h, KK_BUG, 2, FC_KERNEL_BUG,
			"BUG: sleeping function called from invalid context");
	else if (starts(s, "BUG: scheduling while atomic"))
		header_set(h, KK_BUG, 2, FC_KERNEL_BUG,
			   "BUG: scheduling while atomic");
	else if (strstr(s, "still has locks held") ||
		 strstr(s, "bad unlock balance") ||
		 strstr(s, "held lock freed"))
		return warning_header(s, h);
	else if (starts(s, "BUG: spinlock ") || starts(s, "BUG: rwlock "))
		header_set(h, KK_BUG, 2, FC_KERNEL_BUG, "BUG: spinlock bug");
	else if (starts(s, "BUG: workqueue lockup"))
		header_line(h, FC_KERNEL_BUG, "BUG: workqueue lockup");
	else if (starts(s, "BUG: Bad rss-counter state"))
		header_line(h, FC_KERNEL_BUG, "BUG: Bad rss-counter state");
	else if (starts(s, "BUG: "))
		header_set(h, KK_BUG, 1, FC_KERNEL_BUG, "BUG");
	else
		return false;
	return true;
}

/* Its reason is its title: a panic has no stack of its own to blame. */
static bool panic_header(const char *s, struct kmsg_header *h)
{
	header_set(h, KK_PANIC, 0, FC_KERNEL_BUG, "");
	h->no_frame = true;
	snprintf(h->title, sizeof(h->title), "kernel panic: %.100s",
		 s + strlen("Kernel panic - not syncing: "));
	return true;
}

/* "UBSAN: array-index-out-of-bounds in fs/x.c:1:2": the check's name. */
static bool ubsan_header(const char *s, struct kmsg_header *h)
{
	const char *what = s + strlen("UBSAN: ");

	size_t n = strcspn(what, " ");

	header_set(h, KK_UBSAN, 2, FC_KERNEL_WARNING, "");
	snprintf(h->title, sizeof(h->title), "UBSAN: %.*s",
		 (int)(n > 60 ? 60 : n), what);
	return true;
}

static bool oops_header(const char *s, struct kmsg_header *h)
{
	if (starts(s, "kernel BUG at lib/list_debug.c"))
		header_set(h, KK_LIST, 2, FC_KERNEL_BUG, "BUG: corrupted list");
	else if (starts(s, "kernel BUG at "))
		header_set(h, KK_BUG_AT, 2, FC_KERNEL_BUG, "kernel BUG");
	else if (starts(s, "list_add corruption") ||
		 starts(s, "list_del corruption") ||
		 starts(s, "list_add double add"))
		header_set(h, KK_LIST, 3, FC_KERNEL_BUG, "BUG: corrupted list");
	else if (starts(s, "refcount_t: "))
		header_set(h, KK_REFCOUNT, 3, FC_KERNEL_WARNING,
			   "WARNING: refcount bug");
	else if (starts(s, "general protection fault"))
		header_set(h, KK_GPF, 2, FC_KERNEL_OOPS,
			   "general protection fault");
	else if (starts(s, "Oops: "))
		header_set(h, KK_OOPS, 1, FC_KERNEL_OOPS, "Oops");
	else if (starts(s, "invalid opcode: "))
		header_set(h, KK_OOPS, 1, FC_KERNEL_OOPS, "invalid opcode");
	else if (starts(s, "Kernel panic - not syncing: "))
		return panic_header(s, h);
	else if (starts(s, "UBSAN: "))
		return ubsan_header(s, h);
	else
		return false;
	return true;
}

static bool info_header(const char *s, struct kmsg_header *h)
{
	const char *rcu = starts(s, "rcu: ") ? s + 5 : s;

	if (starts(s, "INFO: task ") && strstr(s, " blocked for more than "))
		header_set(h, KK_HUNG, 3, FC_HUNG_TASK, "INFO: task hung");
	else if (starts(rcu, "INFO: rcu_") && strstr(rcu, "detected"))
		header_set(h, KK_RCU_STALL, 3, FC_RCU_STALL,
			   "INFO: rcu detected stall");
	else if (starts(s, "INFO: ") && strstr(s, "lock"))
		return warning_header(s, h);
	else
		return false;
	return true;
}

/* "EXT4-fs error (device sda): f:12: ..." or "(device sda) in f:12: ...". */
static bool ext4_header(const char *s, struct kmsg_header *h)
{
	bool err = starts(s, "EXT4-fs error");
	const char *p;

	if (!err && !starts(s, "EXT4-fs warning"))
		return false;
	header_set(h, KK_FS_LINE, 2, err ? FC_KERNEL_BUG : FC_KERNEL_WARNING,
		   err ? "EXT4-fs error" : "EXT4-fs warning");
	p = strstr(s, ")");
	if (!p)
		return true;
	p++;
	if (starts(p, ": "))
		p += 2;
	else if (starts(p, " in "))
		p += 4;
	copy_func(p, h->func, sizeof(h->func));
	return true;
}

/* "XFS (loop0): Metadata corruption detected at f+0x1/0x2, ..." */
static bool xfs_header(const char *s, struct kmsg_header *h)
{
	const char *p;

	if (!starts(s, "XFS (") || !(p = strstr(s, "): ")))
		return false;
	p += 3;
	if (!starts(p, "Metadata corruption detected at ") &&
	    !starts(p, "Corruption of in-memory data") &&
	    !starts(p, "Internal error ") && !starts(p, "metadata I/O error"))
		return false;
	header_set(h, KK_XFS, 2, FC_KERNEL_BUG, "XFS error");
	p = strstr(p, " at ");
	if (p)
		symbol_at(p + 4, h->func, sizeof(h->func));
	if (!h->func[0] && (p = strstr(s, "Caller ")))
		symbol_at(p + 7, h->func, sizeof(h->func));
	return true;
}

/* "BTRFS critical (device sda): corrupt leaf: root=2 ...": no function. */
static bool btrfs_header(const char *s, struct kmsg_header *h)
{
	const char *lvl = s + 6, *p;
	bool warn = starts(lvl, "warning");
	size_t n;

	if (!starts(s, "BTRFS ") ||
	    !(starts(lvl, "error") || starts(lvl, "critical") || warn))
		return false;
	p = strstr(s, "): ");
	p = p ? p + 3 : lvl + strcspn(lvl, " ");
	/* The message up to its first number or detail: stable for dedup. */
	n = strcspn(p, ":,=0123456789(");
	while (n && p[n - 1] == ' ')
		n--;
	header_line(h, warn ? FC_KERNEL_WARNING : FC_KERNEL_BUG, "");
	snprintf(h->title, sizeof(h->title), "BTRFS %.*s: %.*s",
		 (int)strcspn(lvl, " "), lvl, (int)n, p);
	return true;
}

bool kmsg_header_parse(const char *line, struct kmsg_header *h)
{
	const char *s = line;

	memset(h, 0, sizeof(*h));
	while (*s == ' ')
		s++;
	if (starts(s, "watchdog: "))
		s += strlen("watchdog: ");
	if (starts(s, "------------[ cut here ]------------")) {
		header_set(h, KK_NONE, 0, FC_COUNT, "");
		return true;
	}
	if (starts(s, "sysrq: Show Blocked State")) {
		header_set(h, KK_SYSRQ, 1, FC_COUNT,
			   "sysrq: Show Blocked State");
		h->no_frame = true;
		return true;
	}
	if (starts(s, "WARNING: "))
		return warning_header(s, h);
	if (starts(s, "BUG: "))
		return bug_header(s, h);
	if (starts(s, "INFO: ") || starts(s, "rcu: INFO: "))
		return info_header(s, h);
	if (starts(s, "EXT4-fs "))
		return ext4_header(s, h);
	if (starts(s, "XFS ("))
		return xfs_header(s, h);
	if (starts(s, "BTRFS "))
		return btrfs_header(s, h);
	return oops_header(s, h);
}

/* The first frame of v[] not matching pats (NULL: the generic list). */
static const char *first_not(char (*v)[KMSG_FRAME_LEN], size_t n,
			     const char *const *pats, size_t npats)
{
	for (size_t i = 0; i < n; i++) {
		if (kmsg_frame_is_generic(v[i]))
			continue;
		if (pats && match_any(v[i], pats, npats))
			continue;
		return v[i];
	}
	return NULL;
}

static const char *hung_frame(const struct kmsg_group *g)
{
	char(*v)[KMSG_FRAME_LEN] = (char(*)[KMSG_FRAME_LEN])g->frames;

	/* Hangs on RCU or rtnl are one bug each, whoever waits. */
	for (size_t i = 0; i < g->nframes; i++) {
		if (strstr(v[i], "rtnl_lock"))
			return v[i];
		if (strstr(v[i], "synchronize_rcu") ||
		    strstr(v[i], "synchronize_srcu") ||
		    strstr(v[i], "synchronize_net"))
			return "synchronize_rcu";
	}
	for (size_t i = 0; i < g->nframes; i++) {
		bool skip = false;

		for (size_t j = 0; j < ARRAY_LEN(hung_skip) && !skip; j++)
			skip = strstr(v[i], hung_skip[j]) != NULL;
		if (!skip)
			return v[i];
	}
	return NULL;
}

/* The frame before the first anchor: how the stalled work was entered. */
static const char *stall_frame(const struct kmsg_group *g)
{
	const char *prev = g->rip[0] ? g->rip : NULL;

	for (size_t i = 0; i < g->nframes; i++) {
		const char *f = g->frames[i];

		if (match_any(f, stall_anchors, ARRAY_LEN(stall_anchors)))
			return prev;
		if (!kmsg_frame_is_generic(f))
			prev = f;
	}
	return prev;
}

/*
 * Bad page state: the page allocator's free path that found the page bad
 * (syzkaller's skips for this report, and the checks that print it).
 */
static const char *const bad_page_skip[] = {
	"bad_page",    "free_page",	 "put_page", "get_page",
	"update_page", "release_page",	 "free_pcp", "free_unref",
	"folio",       "page_frag_free", "alloc",    "page_owner",
	"free_pages",
};

static const char *guilty_frame(const struct kmsg_group *g)
{
	static const char *const refcount[] = { "refcount" };
	static const char *const atomic[] = { "schedule", "msleep", "sleep" };
	char(*v)[KMSG_FRAME_LEN] = (char(*)[KMSG_FRAME_LEN])g->frames;
	const struct kmsg_header *h = &g->h;
	const char *f = NULL;

	switch (h->kind) {
	case KK_HUNG:
		return hung_frame(g);
	case KK_SOFT_LOCKUP:
	case KK_RCU_STALL:
		return stall_frame(g);
	case KK_LOCKDEP:
		f = first_not((char(*)[KMSG_FRAME_LEN])g->lock, g->nlock, NULL,
			      0);
		break;
	case KK_REFCOUNT:
		if (g->rip[0] && !strstr(g->rip, "refcount") &&
		    !kmsg_frame_is_generic(g->rip))
			return g->rip;
		return first_not(v, g->nframes, refcount, 1);
	case KK_BUG:
		if (strstr(h->title, "atomic"))
			return first_not(v, g->nframes, atomic, 3);
		if (strstr(h->title, "Bad page"))
			return first_not(v, g->nframes, bad_page_skip,
					 ARRAY_LEN(bad_page_skip));
		break;
	case KK_WARNING:
	case KK_KASAN:
	case KK_FS_LINE:
	case KK_XFS:
		if (h->func[0] && !kmsg_frame_is_generic(h->func))
			return h->func;
		break;
	default:
		break;
	}
	if (!f && g->rip[0] && !kmsg_frame_is_generic(g->rip))
		f = g->rip;
	return f ? f : first_not(v, g->nframes, NULL, 0);
}

bool kmsg_group_finish(const struct kmsg_group *g, enum finding_class *cls,
		       char *title, char *frame)
{
	const struct kmsg_header *h = &g->h;
	const char *f;

	if (h->kind == KK_NONE)
		return false;
	*cls = h->cls;
	f = guilty_frame(g);
	str_copy(frame, KMSG_FRAME_LEN, f ? f : "");
	if (h->no_frame)
		str_copy(title, KMSG_TITLE_LEN, h->title);
	else
		snprintf(title, KMSG_TITLE_LEN, "%.90s%s%.7s in %.50s",
			 h->title, g->access[0] ? " " : "", g->access,
			 f ? f : "unknown");
	return true;
}
