/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_KMSG_PARSE_H
#define MRS_KMSG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"
#include "kmsg_classify.h"

/*
 * Kernel log parser: bytes of /dev/kmsg records ("PRI,SEQ,USEC,FLAGS;text"
 * with " KEY=VALUE" dictionary lines) or of console/dmesg text ("[ 1.2] text"
 * or bare lines) in, one report per kernel WARNING/BUG/Oops/hung task/...
 * out. Pure: no I/O, no global state, memory bounded by the sizes below, any
 * input accepted. Feed it in chunks of any size, split anywhere.
 */

#define KMSG_TEXT_LEN 16384 /* a report's text beyond this is cut */
#define KMSG_LINE_LEN 4096 /* a log line beyond this is cut */
#define KMSG_REPORT_LINES 600 /* a report is closed after this many lines */
#define KMSG_REPORTS_MAX 256 /* distinct titles kept by a list */

struct kmsg_report {
	/* FC_COUNT: kept as context only (a sysrq blocked-task dump). */
	enum finding_class cls;
	char title[KMSG_TITLE_LEN]; /* syzkaller style: "WARNING in f" */
	char frame[KMSG_FRAME_LEN]; /* the guilty frame, "" when none */
	bool has_ts;
	uint64_t ts_usec; /* of the first line: µs since boot */
	uint64_t seq; /* /dev/kmsg sequence number of the first line, or 0 */
	unsigned count; /* reports of this title merged into this one */
	bool truncated; /* text was cut at KMSG_TEXT_LEN */
	size_t text_len;
	char text[KMSG_TEXT_LEN]; /* lines without their prefixes, '\n' ended */
};

/* Reports with identical titles merge into one with a count. */
struct kmsg_report_list {
	struct kmsg_report **v;
	size_t n, cap;
	size_t dropped; /* reports of new titles beyond KMSG_REPORTS_MAX */
};

void kmsg_report_list_init(struct kmsg_report_list *l);
void kmsg_report_list_free(struct kmsg_report_list *l);
/* Adds a copy of r, or counts it into the report of the same title. */
void kmsg_report_list_add(struct kmsg_report_list *l,
			  const struct kmsg_report *r);
const struct kmsg_report *
kmsg_report_list_find(const struct kmsg_report_list *l, const char *title);

/* One decoded log line, pointing into the caller's buffer. */
struct kmsg_line {
	const char *text;
	size_t len;
	bool kernel; /* kernel facility (always true for console text) */
	bool has_ts;
	uint64_t ts_usec;
	uint64_t seq;
};

/* How the parser is reading lines, learnt from what it has seen. */
struct kmsg_parser {
	struct kmsg_report_list *out;
	char line[KMSG_LINE_LEN];
	size_t line_len;
	bool line_cut; /* skip the rest of an overlong line */
	bool kmsg_format; /* seen a record header: ' ' lines are dictionary */
	bool saw_ts; /* seen console timestamps: bare lines are user output */
	bool open; /* a report is being assembled in cur */
	struct kmsg_report cur;
	struct kmsg_group grp; /* how cur is being grouped and classified */
};

/* p is large (about 40 KiB): allocate it, do not put it on a small stack. */
void kmsg_parser_init(struct kmsg_parser *p, struct kmsg_report_list *out);
/* Any bytes; lines end at '\n'. Reports go to out as they close. */
void kmsg_parser_feed(struct kmsg_parser *p, const char *buf, size_t len);
/* End of input: closes the last line and report. */
void kmsg_parser_finish(struct kmsg_parser *p);

/* The whole of buf at once, into out (which the caller initialised). */
int kmsg_parse_buffer(const char *buf, size_t len,
		      struct kmsg_report_list *out);

/*
 * Decodes one line: a /dev/kmsg record header line, console "[ts] text",
 * or bare text. Returns false for a line that carries no log text (a
 * dictionary line, a malformed record).
 */
bool kmsg_decode_line(const char *s, size_t len, bool kmsg_format,
		      struct kmsg_line *out);

#endif
