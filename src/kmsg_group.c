// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "kmsg_classify.h"

/*
 * Which lines belong to a report, and the frames it names. A report runs
 * from its header to an end marker ("---[ end trace", the closing "====" of
 * KASAN, the "</TASK>" of its last trace), to the next report, or to a
 * bound; after its end, register dumps and panic lines still join it.
 */

/* Lines before the first "CPU:"/trace after which a stackless report ends. */
#define HEADER_LINES 40

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

void kmsg_group_start(struct kmsg_group *g, const struct kmsg_header *h)
{
	memset(g, 0, sizeof(*g));
	g->h = *h;
	g->lines = 1;
}

bool kmsg_group_refines(const struct kmsg_group *g, const struct kmsg_header *h)
{
	if (h->kind == KK_NONE) /* "cut here" after the header's first line */
		return !g->seen_body && g->h.kind != KK_FS_LINE;
	if (g->h.kind == KK_NONE)
		return true;
	/* The panic that follows an oops is that oops' end. */
	if (h->kind == KK_PANIC)
		return g->tail || g->seen_body;
	return !g->seen_body && g->h.kind != KK_FS_LINE &&
	       g->h.kind != KK_HUNG && g->h.kind != KK_SYSRQ;
}

static void add_frame(char (*v)[KMSG_FRAME_LEN], size_t *n, size_t max,
		      const char *fn)
{
	if (*n < max)
		str_copy(v[(*n)++], KMSG_FRAME_LEN, fn);
}

/* Register dumps and end markers that follow a report's end. */
static bool is_tail_line(const char *s)
{
	static const char *const tail[] = {
		"RIP: ",	  "RSP: ",
		"RAX: ",	  "RDX: ",
		"RBP: ",	  "R10: ",
		"R13: ",	  "FS: ",
		"CS: ",		  "CR2: ",
		"DR0: ",	  "DR3: ",
		"Code: ",	  "PKRU: ",
		"---[ end",	  "Kernel panic - not syncing",
		"Kernel Offset:", "Modules linked in:",
		"note: ",	  "Rebooting in",
	};

	for (size_t i = 0; i < sizeof(tail) / sizeof(tail[0]); i++)
		if (starts(s, tail[i]))
			return true;
	return false;
}

/* A line of a trace: its frame, or the markers around a trace. */
static void trace_line(struct kmsg_group *g, const char *s)
{
	char fn[KMSG_FRAME_LEN];

	if (starts(s, "<IRQ>") || starts(s, "<NMI>")) {
		g->irq = true;
		return;
	}
	if (starts(s, "</IRQ>") || starts(s, "</NMI>")) {
		g->irq = false;
		return;
	}
	if (g->irq || g->other_trace || !kmsg_frame_parse(s, fn, sizeof(fn)))
		return;
	add_frame(g->frames, &g->nframes, KMSG_FRAMES, fn);
}

/* "... at: f+0x1/0x2": lockdep names where a lock was taken. */
static void lock_line(struct kmsg_group *g, const char *s)
{
	const char *at = strstr(s, ", at: ");
	char fn[KMSG_FRAME_LEN];

	if (starts(s, "but task is already holding") ||
	    starts(s, "other info that might help"))
		g->lock_at = false;
	if (!g->lock_at || !at)
		return;
	at += strlen(", at: ");
	/*
	 * Symbolized reports name inlined callees first ("f x.c:1 [inline]"),
	 * then the function they were inlined into ("g+0x1/0x2"): syzkaller
	 * names the latter, which has an offset.
	 */
	if (strstr(at, "[inline]"))
		return;
	if (kmsg_frame_parse(at, fn, sizeof(fn)))
		add_frame(g->lock, &g->nlock, 4, fn);
}

/* Notes what a body line says: RIP, traces, KASAN's access. */
static void body_line(struct kmsg_group *g, const char *s)
{
	if (starts(s, "CPU: ") || starts(s, "Call Trace:") ||
	    starts(s, "Hardware name:"))
		g->seen_body = true;
	if (starts(s, "RIP: 0010:") && !g->rip[0]) {
		g->seen_body = true;
		kmsg_frame_parse(s + strlen("RIP: 0010:"), g->rip,
				 sizeof(g->rip));
	}
	if (starts(s, "Call Trace:") || starts(s, "<TASK>")) {
		g->in_trace = true;
		g->other_trace = g->nframes > 0;
	}
	if (starts(s, "Allocated by task") || starts(s, "Freed by task") ||
	    starts(s, "allocated by task") || starts(s, "freed by task") ||
	    starts(s, "Last potentially related work"))
		g->other_trace = true;
	/* KFENCE prints the access's stack right under this line. */
	if (g->h.kind == KK_KASAN && !g->nframes &&
	    (strstr(s, "-after-free read at") ||
	     strstr(s, "-after-free write at") ||
	     strstr(s, "-of-bounds read at") ||
	     strstr(s, "-of-bounds write at") || starts(s, "Invalid ") ||
	     starts(s, "Corrupted memory at")))
		g->in_trace = true;
	if (strstr(s, "is trying to acquire") || starts(s, "takes:") ||
	    strstr(s, "just changed the state of lock"))
		g->lock_at = true;
	if (g->h.kind == KK_LOCKDEP)
		lock_line(g, s);
	if (g->h.kind == KK_KASAN && !g->access[0] &&
	    (starts(s, "Read of size") || starts(s, "Write of size")))
		str_copy(g->access, sizeof(g->access),
			 s[0] == 'R' ? "Read" : "Write");
	if (g->in_trace)
		trace_line(g, s);
}

/* After "</TASK>": does the report go on (another trace, an end marker)? */
static enum kmsg_verdict tail_line(struct kmsg_group *g, const char *s)
{
	if (g->h.kind == KK_SYSRQ && starts(s, "task:")) {
		g->tail = false;
		g->other_trace = true; /* only the first task names the dump */
		return KV_APPEND;
	}
	if (starts(s, "<TASK>") || starts(s, "Call Trace:") ||
	    is_tail_line(s)) {
		body_line(g, s);
		return KV_APPEND;
	}
	return KV_CLOSE;
}

enum kmsg_verdict kmsg_group_line(struct kmsg_group *g, const char *line)
{
	const char *s = skip_blanks(line);

	if (g->tail)
		return tail_line(g, s);
	if (g->h.kind == KK_FS_LINE || ++g->lines > 2000)
		return KV_CLOSE;
	if (!g->seen_body && g->lines > HEADER_LINES &&
	    g->h.kind != KK_LOCKDEP && g->h.kind != KK_KASAN)
		return KV_CLOSE;
	body_line(g, s);
	if (starts(s, "---[ end trace") || starts(s, "---[ end Kernel panic")) {
		g->tail = true;
		return KV_APPEND;
	}
	if (g->h.kind == KK_KASAN && starts(s, "=========="))
		return g->seen_body ? KV_APPEND_CLOSE : KV_APPEND;
	if (starts(s, "</TASK>") && g->h.kind != KK_KASAN) {
		g->in_trace = false;
		g->tail = true;
	}
	return KV_APPEND;
}
