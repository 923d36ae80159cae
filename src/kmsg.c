// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmsg_monitor: /dev/kmsg read in its own thread for the length of a run.
 * One read() is one record; a reader that falls behind gets EPIPE once
 * and then the oldest record still held, so what was lost is counted from
 * the gap in sequence numbers.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"
#include "clock.h"
#include "kmsg.h"

#define RECORD_MAX 16384 /* a record with its dictionary, escaped */

/*
 * A record of our own at the start, so that kernel timestamps (the
 * scheduler clock) can be put on the run's monotonic clock: the two can
 * drift apart, in a TCG guest by seconds. Needs write access (root).
 */
static void write_marker(struct kmsg_monitor *m)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	char line[sizeof(m->marker) + 1];
	double before;
	ssize_t n;

	if (fd < 0)
		return;
	snprintf(m->marker, sizeof(m->marker), "mrstress[%d]: run starts",
		 (int)getpid());
	/*
	 * With its newline: the kernel keeps a record without one open for a
	 * continuation, where no reader sees it until the next record comes.
	 */
	snprintf(line, sizeof(line), "%s\n", m->marker);
	before = mono_now();
	n = write(fd, line, strlen(line));
	m->marker_mono = (before + mono_now()) / 2;
	if (n != (ssize_t)strlen(line))
		m->marker[0] = '\0';
	close(fd);
}

/* "PRI,SEQ,USEC,...;text": the header numbers, false if malformed. */
static bool record_header(const char *rec, unsigned *pri, uint64_t *seq,
			  uint64_t *usec, const char **text)
{
	unsigned long long s, u;
	int at = 0;

	if (sscanf(rec, "%u,%llu,%llu%n", pri, &s, &u, &at) != 3)
		return false;
	*text = strchr(rec + at, ';');
	if (!*text)
		return false;
	(*text)++;
	*seq = s;
	*usec = u;
	return true;
}

static void note_marker(struct kmsg_monitor *m, unsigned pri, const char *text,
			uint64_t usec)
{
	size_t n = strlen(m->marker);

	if (m->offset_known || !n || (pri >> 3) == 0 ||
	    strncmp(text, m->marker, n) || (text[n] != '\n' && text[n]))
		return;
	m->clock_offset = (double)usec / 1e6 - m->marker_mono;
	m->offset_known = true;
}

static void take_record(struct kmsg_monitor *m, char *rec, size_t len)
{
	unsigned pri;
	uint64_t seq, usec;
	const char *text;

	rec[len] = '\0';
	pthread_mutex_lock(&m->lock);
	m->records++;
	if (record_header(rec, &pri, &seq, &usec, &text)) {
		if (m->next_seq && seq > m->next_seq)
			m->lost += seq - m->next_seq;
		m->next_seq = seq + 1;
		note_marker(m, pri, text, usec);
	}
	kmsg_parser_feed(m->parser, rec, len);
	if (len && rec[len - 1] != '\n')
		kmsg_parser_feed(m->parser, "\n", 1);
	pthread_mutex_unlock(&m->lock);
}

/* Everything readable now; false when the log cannot be read any more. */
static bool read_available(struct kmsg_monitor *m, char *buf)
{
	for (;;) {
		ssize_t n = read(m->fd, buf, RECORD_MAX - 1);

		if (n > 0) {
			take_record(m, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten: the seq gap counts them */
		if (n < 0 && (errno == EINTR || errno == EINVAL))
			continue; /* EINVAL: a record larger than buf */
		if (n < 0 && errno == EAGAIN)
			return true;
		pthread_mutex_lock(&m->lock);
		snprintf(m->note, sizeof(m->note),
			 "kernel log: read(/dev/kmsg) stopped: %s",
			 n ? strerror(errno) : "end of file");
		pthread_mutex_unlock(&m->lock);
		return false;
	}
}

static void *monitor_main(void *arg)
{
	struct kmsg_monitor *m = arg;
	char *buf = malloc(RECORD_MAX);
	bool ok = buf != NULL;

	while (ok) {
		struct pollfd p[2] = { { .fd = m->fd, .events = POLLIN },
				       { .fd = m->wake[0], .events = POLLIN } };

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		ok = read_available(m, buf);
		if (p[1].revents)
			break;
	}
	free(buf);
	return NULL;
}

static void start_failed(struct kmsg_monitor *m, const char *what, int err)
{
	/*
	 * EPERM on open is kernel.dmesg_restrict=1 without CAP_SYSLOG: a
	 * user's shell, or a root whose container dropped the capability.
	 */
	snprintf(
		m->note, sizeof(m->note),
		"kernel log not read, kernel warnings go unseen: %s: %s%s",
		what, strerror(err),
		err == EPERM || err == EACCES ?
			" (needs CAP_SYSLOG under kernel.dmesg_restrict=1: full root, or sysctl kernel.dmesg_restrict=0)" :
			"");
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}

void kmsg_monitor_start(struct kmsg_monitor *m)
{
	memset(m, 0, sizeof(*m));
	m->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	m->wake[0] = m->wake[1] = -1;
	pthread_mutex_init(&m->lock, NULL);
	kmsg_report_list_init(&m->reports);
	if (m->fd < 0)
		return start_failed(m, "/dev/kmsg", errno);
	if (lseek(m->fd, 0, SEEK_END) < 0)
		return start_failed(m, "lseek(/dev/kmsg, SEEK_END)", errno);
	m->parser = malloc(sizeof(*m->parser));
	if (!m->parser)
		return start_failed(m, "parser", ENOMEM);
	kmsg_parser_init(m->parser, &m->reports);
	if (pipe2(m->wake, O_CLOEXEC))
		return start_failed(m, "pipe", errno);
	errno = mrs_thread_create(&m->thread, monitor_main, m);
	if (errno)
		return start_failed(m, "pthread_create", errno);
	m->running = m->started = true;
	write_marker(m);
}

bool kmsg_monitor_reading(const struct kmsg_monitor *m)
{
	return m->running;
}

bool kmsg_monitor_seen(struct kmsg_monitor *m, enum finding_class cls)
{
	bool seen = false;

	if (!m->parser)
		return false;
	pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < m->reports.n && !seen; i++)
		seen = m->reports.v[i]->cls == cls;
	if (m->parser->open && m->parser->grp.h.cls == cls)
		seen = true;
	pthread_mutex_unlock(&m->lock);
	return seen;
}

void kmsg_monitor_stop(struct kmsg_monitor *m)
{
	if (!m->running)
		return;
	if (write(m->wake[1], "x", 1) != 1)
		pthread_cancel(m->thread); /* cannot happen on a fresh pipe */
	pthread_join(m->thread, NULL);
	m->running = false;
	kmsg_parser_finish(m->parser);
	if (m->lost && !m->note[0])
		snprintf(
			m->note, sizeof(m->note),
			"kernel log: %llu records were overwritten before they could be read",
			(unsigned long long)m->lost);
}

void kmsg_monitor_free(struct kmsg_monitor *m)
{
	kmsg_monitor_stop(m);
	for (int i = 0; i < 2; i++)
		if (m->wake[i] >= 0)
			close(m->wake[i]);
	if (m->fd >= 0)
		close(m->fd);
	free(m->parser);
	kmsg_report_list_free(&m->reports);
	pthread_mutex_destroy(&m->lock);
	m->fd = m->wake[0] = m->wake[1] = -1;
	m->parser = NULL;
}

pid_t kmsg_hung_task_pid(const char *text)
{
	const char *p = strstr(text, "INFO: task ");
	const char *end = p ? strstr(p, " blocked for more than") : NULL;
	const char *colon;
	long pid;

	if (!end)
		return 0;
	/* The name may hold ':' too: the pid follows the last one. */
	for (colon = end; colon > p && *colon != ':'; colon--)
		;
	if (*colon != ':')
		return 0;
	pid = strtol(colon + 1, NULL, 10);
	return pid > 0 ? (pid_t)pid : 0;
}

/* The first line of a report, for a finding's one-line detail. */
static void first_line(const char *text, char *buf, size_t len)
{
	size_t n = strcspn(text, "\n");

	if (n >= len)
		n = len - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
}

static void report_finding(const struct kmsg_report *r, double ts_to_run,
			   kmsg_who_fn *who, void *arg, struct finding_list *fl)
{
	struct finding f = { .cls = r->cls, .count = r->count };
	const char *name = NULL;
	char line[240], times[24] = "";
	pid_t pid;

	f.t = r->has_ts ? (double)r->ts_usec / 1e6 - ts_to_run : 0;
	str_copy(f.title, sizeof(f.title), r->title);
	str_copy(f.view, sizeof(f.view), "kernel-log");
	first_line(r->text, line, sizeof(line));
	pid = r->cls == FC_HUNG_TASK ? kmsg_hung_task_pid(r->text) : 0;
	if (pid && who)
		name = who(pid, arg);
	if (r->count > 1)
		snprintf(times, sizeof(times), " (%u times)", r->count);
	snprintf(f.detail, sizeof(f.detail), "%s%s%s%s%s%s", line, times,
		 r->truncated ? " [text cut]" : "",
		 name ? " (that task is " : "", name ? name : "",
		 name ? ")" : "");
	f.text = (char *)r->text;
	finding_add(fl, &f);
}

void kmsg_reports_to_findings(const struct kmsg_report_list *l,
			      double ts_to_run, kmsg_who_fn *who, void *arg,
			      struct finding_list *fl,
			      const struct kmsg_report **context)
{
	*context = NULL;
	for (size_t i = 0; i < l->n; i++) {
		const struct kmsg_report *r = l->v[i];

		if (r->cls < FC_COUNT)
			report_finding(r, ts_to_run, who, arg, fl);
		else if (!*context)
			*context = r;
	}
}

void kmsg_monitor_findings(const struct kmsg_monitor *m, double t0,
			   kmsg_who_fn *who, void *arg, struct finding_list *fl,
			   const struct kmsg_report **context)
{
	double offset = m->offset_known ? m->clock_offset : 0;

	kmsg_reports_to_findings(&m->reports, t0 + offset, who, arg, fl,
				 context);
}
