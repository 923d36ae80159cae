// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "kmsg_parse.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A decimal number at *s (advanced past it); false when there is none. */
static bool parse_u64(const char **s, const char *end, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;

	if (p >= end || !is_digit(*p))
		return false;
	while (p < end && is_digit(*p)) {
		if (n > (UINT64_MAX - 9) / 10)
			return false;
		n = n * 10 + (uint64_t)(*p++ - '0');
	}
	*s = p;
	*v = n;
	return true;
}

/* "PRI,SEQ,USEC,FLAGS[,...];text" (Documentation/ABI/testing/dev-kmsg). */
static bool decode_record(const char *s, size_t len, struct kmsg_line *out)
{
	const char *end = s + len, *semi = memchr(s, ';', len);
	uint64_t pri;

	if (!semi || !parse_u64(&s, semi, &pri) || s >= semi || *s++ != ',' ||
	    !parse_u64(&s, semi, &out->seq) || s >= semi || *s++ != ',' ||
	    !parse_u64(&s, semi, &out->ts_usec))
		return false;
	out->kernel = (pri >> 3) == 0; /* facility 0: the kernel */
	out->has_ts = true;
	out->text = semi + 1;
	out->len = (size_t)(end - out->text);
	return true;
}

/* "[   12.345678] text", also "<4>[ 1.2]" and "[ 1.2][ T123] text". */
static bool decode_console(const char *s, size_t len, struct kmsg_line *out)
{
	const char *end = s + len, *p = s;
	uint64_t sec, usec = 0;

	if (p < end && *p == '<') {
		while (p < end && *p != '>')
			p++;
		p++;
	}
	if (p >= end || *p++ != '[')
		return false;
	while (p < end && *p == ' ')
		p++;
	if (!parse_u64(&p, end, &sec) || p >= end || *p++ != '.')
		return false;
	for (int i = 0; i < 6; i++, p++) {
		if (p >= end || !is_digit(*p))
			return false;
		usec = usec * 10 + (uint64_t)(*p - '0');
	}
	if (p >= end || *p++ != ']' || sec > UINT64_MAX / 1000000 - 1)
		return false;
	if (p < end && *p == '[') { /* caller id: [ T123] or [ C1] */
		const char *q = memchr(p, ']', (size_t)(end - p));

		if (q)
			p = q + 1;
	}
	if (p < end && *p == ' ')
		p++;
	out->has_ts = true;
	out->ts_usec = sec * 1000000 + usec;
	out->text = p;
	out->len = (size_t)(end - p);
	return true;
}

bool kmsg_decode_line(const char *s, size_t len, bool kmsg_format,
		      struct kmsg_line *out)
{
	memset(out, 0, sizeof(*out));
	out->kernel = true;
	if (len && is_digit(s[0]) && decode_record(s, len, out))
		return true;
	if (kmsg_format && len && s[0] == ' ')
		return false; /* a record's KEY=VALUE dictionary line */
	if (decode_console(s, len, out))
		return true;
	out->text = s;
	out->len = len;
	return true;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * /dev/kmsg writes bytes outside printable ASCII, and '\', as \xNN: one
 * record may so hold several lines. Decodes in place; returns the length.
 */
static size_t unescape(char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' &&
		    (hi = hex_value(s[i + 2])) >= 0 &&
		    (lo = hex_value(s[i + 3])) >= 0) {
			s[o++] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			s[o++] = s[i];
		}
	}
	return o;
}

void kmsg_report_list_init(struct kmsg_report_list *l)
{
	memset(l, 0, sizeof(*l));
}

void kmsg_report_list_free(struct kmsg_report_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const struct kmsg_report *
kmsg_report_list_find(const struct kmsg_report_list *l, const char *title)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i]->title, title) == 0)
			return l->v[i];
	return NULL;
}

void kmsg_report_list_add(struct kmsg_report_list *l,
			  const struct kmsg_report *r)
{
	struct kmsg_report *dup;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i]->title, r->title) == 0) {
			l->v[i]->count += r->count ? r->count : 1;
			return;
		}
	if (l->n == KMSG_REPORTS_MAX)
		goto drop;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct kmsg_report **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			goto drop;
		l->v = v;
		l->cap = cap;
	}
	dup = malloc(sizeof(*dup));
	if (!dup)
		goto drop;
	*dup = *r;
	if (!dup->count)
		dup->count = 1;
	l->v[l->n++] = dup;
	return;
drop:
	l->dropped++;
}

void kmsg_parser_init(struct kmsg_parser *p, struct kmsg_report_list *out)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
}

static void text_append(struct kmsg_report *r, const char *s)
{
	size_t n = strlen(s);

	if (r->truncated || r->text_len + n + 2 > sizeof(r->text)) {
		r->truncated = true;
		return;
	}
	memcpy(r->text + r->text_len, s, n);
	r->text_len += n;
	r->text[r->text_len++] = '\n';
	r->text[r->text_len] = '\0';
}

static void report_close(struct kmsg_parser *p)
{
	struct kmsg_report *r = &p->cur;

	if (!p->open)
		return;
	p->open = false;
	if (kmsg_group_finish(&p->grp, &r->cls, r->title, r->frame))
		kmsg_report_list_add(p->out, r);
}

static void report_open(struct kmsg_parser *p, const struct kmsg_header *h,
			const struct kmsg_line *l, const char *s)
{
	struct kmsg_report *r = &p->cur;

	r->cls = FC_COUNT;
	r->title[0] = r->frame[0] = '\0';
	r->has_ts = l->has_ts;
	r->ts_usec = l->ts_usec;
	r->seq = l->seq;
	r->count = 0;
	r->truncated = false;
	r->text_len = 0;
	r->text[0] = '\0';
	kmsg_group_start(&p->grp, h);
	p->open = true;
	text_append(r, s);
}

/* One line of kernel text (NUL-terminated, prefixes gone). */
static void text_line(struct kmsg_parser *p, const struct kmsg_line *l,
		      const char *s)
{
	struct kmsg_header h;
	bool header = kmsg_header_parse(s, &h);

	if (p->open && header && kmsg_group_refines(&p->grp, &h)) {
		if (h.prio > p->grp.h.prio || p->grp.h.kind == KK_NONE)
			p->grp.h = h;
		p->grp.lines++;
		text_append(&p->cur, s);
		return;
	}
	if (p->open && !header) {
		switch (kmsg_group_line(&p->grp, s)) {
		case KV_APPEND:
			text_append(&p->cur, s);
			return;
		case KV_APPEND_CLOSE:
			text_append(&p->cur, s);
			report_close(p);
			return;
		case KV_CLOSE:
			break;
		}
	}
	report_close(p);
	if (header)
		report_open(p, &h, l, s);
}

/* A whole input line: decode its prefix, then each line it holds. */
static void input_line(struct kmsg_parser *p, char *s, size_t len)
{
	struct kmsg_line l;
	char *t, *end;

	if (len && s[len - 1] == '\r')
		len--;
	if (len && is_digit(s[0]) && decode_record(s, len, &l))
		p->kmsg_format = true;
	if (!kmsg_decode_line(s, len, p->kmsg_format, &l) || !l.kernel)
		return;
	if (l.has_ts && !p->kmsg_format)
		p->saw_ts = true;
	else if (!l.has_ts && p->saw_ts)
		return; /* user output between timestamped kernel lines */
	t = (char *)l.text;
	end = t + (p->kmsg_format ? unescape(t, l.len) : l.len);
	*end = '\0';
	while (t <= end) {
		char *nl = memchr(t, '\n', (size_t)(end - t));

		if (nl)
			*nl = '\0';
		text_line(p, &l, t);
		if (!nl)
			break;
		t = nl + 1;
	}
}

void kmsg_parser_feed(struct kmsg_parser *p, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		if (c == '\n') {
			input_line(p, p->line, p->line_len);
			p->line_len = 0;
			p->line_cut = false;
			continue;
		}
		if (p->line_len + 1 >= sizeof(p->line)) {
			p->line_cut = true; /* keep the start, drop the rest */
			continue;
		}
		p->line[p->line_len++] = c == '\0' ? ' ' : c;
	}
}

void kmsg_parser_finish(struct kmsg_parser *p)
{
	if (p->line_len)
		input_line(p, p->line, p->line_len);
	p->line_len = 0;
	p->line_cut = false;
	report_close(p);
}

int kmsg_parse_buffer(const char *buf, size_t len, struct kmsg_report_list *out)
{
	struct kmsg_parser *p = malloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	kmsg_parser_init(p, out);
	kmsg_parser_feed(p, buf, len);
	kmsg_parser_finish(p);
	free(p);
	return 0;
}
