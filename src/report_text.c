// SPDX-License-Identifier: GPL-2.0-or-later
/* The run report as people read it: what ran, how fast, what was found. */
#include <errno.h>
#include <string.h>

#include "report.h"
#include "taint.h"

static void print_mrs(FILE *f, const struct run_result *res)
{
	for (unsigned i = 0; i < res->n_mrs; i++) {
		const struct mr_result *m = &res->mrs[i];

		if (m->skipped) {
			fprintf(f, "mr %-8s %s: skipped: %s\n", m->name,
				m->desc, m->error);
			continue;
		}
		fprintf(f, "mr %-8s %s, %s, page %zu%s: %s\n", m->name, m->desc,
			m->access, m->page_size, m->huge ? " (huge)" : "",
			m->registered ? "registered" : "REFUSED");
		if (!m->registered)
			fprintf(f, "             %s\n", m->error);
	}
}

/* ", p50 12us p99 1.2ms": the short form of a latency histogram. */
static void print_latency(FILE *f, const char *what, const struct latency *l)
{
	struct latency_summary s;
	char a[16], b[16];

	latency_summarise(l, &s);
	if (s.count)
		fprintf(f, ", %sp50 %s p99 %s", what,
			latency_format(s.p50, a, sizeof(a)),
			latency_format(s.p99, b, sizeof(b)));
}

static void print_dmas(FILE *f, const struct run_result *res)
{
	double secs = res->elapsed > 0 ? res->elapsed : 1;

	for (unsigned i = 0; i < res->n_dmas; i++) {
		const struct dma_result *d = &res->dmas[i];
		const struct dma_stats *s = &d->stats;
		uint64_t ops = 0;

		for (int k = 0; k < DMA_OP_COUNT; k++)
			ops += s->ops[k];
		if (!d->ran) {
			fprintf(f, "dma %-7s %s on %s: not run (%s)\n",
				d->spec.name, dma_op_name(d->spec.op),
				d->spec.mr, d->reason);
			continue;
		}
		fprintf(f,
			"dma %-7s %s on %s, bs %zu, qd %u, %u thread%s: %.1f MB/s, %.0f ops/s, %llu ops",
			d->spec.name, dma_op_name(d->spec.op), d->spec.mr,
			d->spec.block_size, d->spec.qd, d->spec.threads,
			d->spec.threads == 1 ? "" : "s",
			(double)s->bytes / secs / 1e6, (double)ops / secs,
			(unsigned long long)ops);
		print_latency(f, "completion ", &s->latency);
		fputc('\n', f);
		fprintf(f,
			"             %llu blocks checked during the run, %llu at the end; %llu completion errors, %llu QP re-creations%s\n",
			(unsigned long long)s->checks,
			(unsigned long long)s->blocks_final,
			(unsigned long long)s->wc_errors,
			(unsigned long long)s->reconnects,
			s->drained ? "" : "; NOT DRAINED");
		if (s->remote)
			fprintf(f,
				"             initiator: %llu write, %llu read, %llu bytes, %llu errors, %llu lost\n",
				(unsigned long long)s->peer_ops[0],
				(unsigned long long)s->peer_ops[1],
				(unsigned long long)s->peer_bytes,
				(unsigned long long)s->peer_errors,
				(unsigned long long)s->peers_lost);
	}
}

static void print_stress(FILE *f, const struct run_result *res)
{
	for (unsigned i = 0; i < res->n_stress; i++) {
		const struct stress_result *s = &res->stress[i];
		const struct stress_stats *st = &s->stats;

		if (st->skipped && !st->steps) {
			fprintf(f, "stress %-5s on %s: skipped: %s\n",
				s->spec.name, s->spec.mr, st->reason);
			continue;
		}
		fprintf(f,
			"stress %-5s on %s: %llu steps (%.1f/s), %.3f s busy, longest %.3f s",
			s->spec.name, s->spec.mr, (unsigned long long)st->steps,
			res->elapsed > 0 ? (double)st->steps / res->elapsed : 0,
			st->busy, st->max);
		print_latency(f, "step ", &st->latency);
		if (st->refused)
			fprintf(f, "; %llu refused (first: %s)",
				(unsigned long long)st->refused, st->refusal);
		if (st->reason[0])
			fprintf(f, "; %s: %s",
				st->skipped ? "stopped" : "failed", st->reason);
		else if (!st->steps)
			fputs("; no step before the run ended", f);
		fputc('\n', f);
	}
}

/* Seconds of start-up worth a word: more than a loaded TCG guest's usual. */
#define STARTUP_SAID 0.5

/* Per class: the first few in full, a line each for more, then a count. */
#define TEXT_DUMPS 2
#define TEXT_LINES 10
#define TEXT_KERNEL_LINES 40 /* of a kernel report or a hang's stacks */

/* "line 12" or "--expect": where an expectation was said. */
static const char *said_at(const struct expectation *x, char *buf, size_t len)
{
	if (x->line)
		snprintf(buf, len, "line %u", x->line);
	else
		snprintf(buf, len, "--expect");
	return buf;
}

/* A kernel report or the stacks of a hang: the head of it, indented. */
static void print_text(FILE *f, const char *text)
{
	unsigned lines = 0, more = 0;

	for (const char *l = text; *l;) {
		size_t n = strcspn(l, "\n");

		if (lines < TEXT_KERNEL_LINES) {
			fprintf(f, "           | %.*s\n", (int)n, l);
			lines++;
		} else {
			more++;
		}
		l += n + (l[n] == '\n');
	}
	if (more)
		fprintf(f, "           | ... %u more lines (--json has them)\n",
			more);
}

static void print_finding(FILE *f, const struct run_result *res,
			  const struct finding *x, unsigned nth)
{
	char at[24];

	if (nth >= TEXT_LINES)
		return;
	if (x->covered)
		fprintf(f, "expected   %s [%s]\n", x->title,
			said_at(&res->expects.v[x->covered_by], at,
				sizeof(at)));
	else
		fprintf(f, "UNEXPECTED %s\n", x->title);
	fprintf(f, "           at %.3f s: %s\n", x->t, x->detail);
	if (x->overlap[0])
		fprintf(f, "           overlapping (%.3f-%.3f s): %s\n",
			x->t_from > 0 ? x->t_from : x->t - 1, x->t, x->overlap);
	if (x->text && nth < TEXT_DUMPS)
		print_text(f, x->text);
	if (nth < TEXT_DUMPS)
		finding_print_dumps(f, "           ", "             ", x);
}

static void print_findings(FILE *f, const struct run_result *res)
{
	const struct finding_list *fl = &res->findings;
	unsigned seen[FC_COUNT] = { 0 };
	uint64_t blocks[FC_COUNT] = { 0 };

	for (size_t i = 0; i < fl->n; i++) {
		enum finding_class c = fl->v[i].cls;

		print_finding(f, res, &fl->v[i], seen[c]++);
		blocks[c] += fl->v[i].blocks;
	}
	for (int c = 0; c < FC_COUNT; c++) {
		if (seen[c] <= TEXT_LINES)
			continue;
		fprintf(f, "... %u more %s findings", seen[c] - TEXT_LINES,
			finding_class_name((enum finding_class)c));
		if (blocks[c])
			fprintf(f, " (%llu blocks in all)",
				(unsigned long long)blocks[c]);
		fprintf(f, "; --json has every one\n");
	}
}

/* Each expectation: where it was said, whether it applied, what it saw. */
/* The mr-leak check, next to the pins: what the kernel still lists. */
static void print_mrs_check(FILE *f, const struct mr_check *c)
{
	const char *sep = c->note[0] ? "; " : "";

	if (!c->checked)
		fprintf(f, "mrs: not checked: %s\n", c->note);
	else if (!c->left)
		fprintf(f,
			"mrs: none left after teardown (rdma res show mr)%s%s\n",
			sep, c->note);
	else
		fprintf(f,
			"mrs: %u left after teardown (rdma res show mr: see mr-leak)%s%s\n",
			c->left, sep, c->note);
}

/* " for mr a, b (and 3 more)": the MRs an each-expectation missed. */
static const char *missing_mrs(const struct expect_mark *m, char *buf,
			       size_t len)
{
	unsigned shown = m->n_missing < EXPECT_MAX_MISSING ? m->n_missing :
							     EXPECT_MAX_MISSING;
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < shown && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s",
				      i ? ", " : " for mr ", m->missing[i]);
	if (m->n_missing > shown && n < len)
		snprintf(buf + n, len - n, " (and %u more)",
			 m->n_missing - shown);
	return buf;
}

static void print_expects(FILE *f, const struct run_result *res)
{
	const struct expect_list *l = &res->expects;
	char at[24], text[512];

	if (!l->n)
		return;
	fprintf(f, "expectations: %u (%u not met)\n", l->n, res->unmet);
	for (unsigned i = 0; i < l->n; i++) {
		const struct expect_mark *m = &res->marks[i];

		fprintf(f,
			"  %-9s %-16s %s: ", said_at(&l->v[i], at, sizeof(at)),
			finding_class_name(l->v[i].cls),
			expect_format(&l->v[i], text, sizeof(text)));
		if (!m->applied)
			fprintf(f, "does not apply\n");
		else if (expect_unmet(&l->v[i], m))
			fprintf(f, "applies, NOT SEEN%s\n",
				missing_mrs(m, text, sizeof(text)));
		else
			fprintf(f, "applies, %zu finding%s\n", m->matched,
				m->matched == 1 ? "" : "s");
	}
}

static void print_unmet(FILE *f, const struct run_result *res)
{
	const struct expect_list *l = &res->expects;
	char at[24], cond[480], mrs[320];

	for (unsigned i = 0; i < l->n; i++)
		if (expect_unmet(&l->v[i], &res->marks[i]))
			fprintf(f,
				"NOT MET    expected %s (%s: %s) but not seen%s\n",
				finding_class_name(l->v[i].cls),
				said_at(&l->v[i], at, sizeof(at)),
				expect_condition(&l->v[i], cond, sizeof(cond)),
				missing_mrs(&res->marks[i], mrs, sizeof(mrs)));
}

static void print_header(FILE *f, const struct run_result *res)
{
	if (res->scenario_file[0])
		fprintf(f, "scenario %s (%s)%s%s\n", res->name,
			res->scenario_file, res->description[0] ? ": " : "",
			res->description);
	fprintf(f, "mrstress: kernel %s, device %s port %u (%s), seed %llu\n",
		res->kernel_release, res->dev.name, res->dev.port,
		res->dev.gid_type ? res->dev.gid_type : "?",
		(unsigned long long)res->seed);
	fprintf(f, "ran %.1f s of %.1f s%s", res->elapsed, res->duration,
		res->interrupted ? " (interrupted)" : "");
	if (res->startup >= STARTUP_SAID)
		fprintf(f, ", %.1f s of it starting", res->startup);
	if (res->slowdown != 1)
		fprintf(f, ", slowdown %g", res->slowdown);
	fputc('\n', f);
}

static void print_detectors(FILE *f, const struct run_result *res)
{
	char was[TAINT_LETTERS_LEN], now[TAINT_LETTERS_LEN];

	if (res->kmsg_read)
		fprintf(f, "kernel log: %llu records read, %llu lost%s%s\n",
			(unsigned long long)res->kmsg_records,
			(unsigned long long)res->kmsg_lost,
			res->kmsg_note[0] ? "; " : "", res->kmsg_note);
	else
		fprintf(f, "kernel log: %s\n", res->kmsg_note);
	taint_letters(res->taint_before, was, sizeof(was));
	taint_letters(res->taint_after, now, sizeof(now));
	if (res->taint_read)
		fprintf(f, "taint: %llu (%s) before, %llu (%s) after\n",
			(unsigned long long)res->taint_before,
			was[0] ? was : "G",
			(unsigned long long)res->taint_after,
			now[0] ? now : "G");
	else
		fprintf(f, "taint: not read: %s\n", res->taint_note);
	fprintf(f, "hangs: an operation over %.0f s is one; %s%s%s\n",
		res->hang_timeout, res->hung_task_note,
		res->hang_note[0] ? "; " : "", res->hang_note);
	if (res->n_stuck)
		fprintf(f,
			"STILL BLOCKED in the kernel: %s; their MRs and files are left as they are\n",
			res->stuck);
}

void report_text(FILE *f, const struct run_result *res)
{
	const struct finding_list *fl = &res->findings;

	print_header(f, res);
	print_mrs(f, res);
	print_dmas(f, res);
	print_stress(f, res);
	if (res->pins_counted)
		fprintf(f,
			"pins: %llu pages pinned during the run (FOLL_PIN, /proc/vmstat)%s%s\n",
			(unsigned long long)res->pins_acquired,
			res->pins_note[0] ? "; " : "", res->pins_note);
	else
		fprintf(f, "pins: not counted: %s\n", res->pins_note);
	print_mrs_check(f, &res->mrs_check);
	print_detectors(f, res);
	print_expects(f, res);
	fprintf(f, "findings: %zu (%zu unexpected)%s\n", fl->n,
		finding_list_unexpected(fl),
		fl->dropped ? " (some dropped)" : "");
	print_findings(f, res);
	print_unmet(f, res);
}

static void text_scenario(FILE *f, const struct report_input *in, unsigned i)
{
	const struct run_result *res = in->v[i].res;

	if (!res || !res->n_mrs)
		return;
	if (i)
		fputc('\n', f);
	report_text(f, res);
	if (in->v[i].replayed)
		fprintf(f, "replay: %s\n", in->v[i].replay);
}

static void text_end(FILE *f, const struct report_input *in)
{
	if (in->n_done)
		fputc('\n', f);
	report_summary(f, in);
}

static int text_document(FILE *f, const struct report_input *in)
{
	for (unsigned i = 0; i < in->n_done; i++)
		text_scenario(f, in, i);
	if (in->final)
		text_end(f, in);
	return ferror(f) ? -EIO : 0;
}

const struct reporter reporter_text = {
	.name = "text",
	.scenario = text_scenario,
	.end = text_end,
	.document = text_document,
	.line_prefix = "",
};
