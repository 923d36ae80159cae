// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report for programs: every number the text report shows, as one
 * document whose shape docs/report-schema.json gives. REPORT_JSON_SCHEMA
 * changes when a field is removed or changes its meaning (adding one does
 * not): 2 is one document, the runs under "scenarios".
 */
#include <errno.h>
#include <string.h>

#include "fault.h"
#include "kconfig.h"
#include "report.h"

#define REPORT_JSON_SCHEMA 2

static json_t *hex_json(const uint8_t *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char s[2 * FINDING_DUMP + 1];

	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[b[i] >> 4];
		s[2 * i + 1] = digits[b[i] & 15];
	}
	s[2 * n] = '\0';
	return json_string(s);
}

/* "" is null: a field that has no value here. */
static json_t *note_or_null(const char *note)
{
	return note[0] ? json_string(note) : json_null();
}

/* null when not have, else n (an index, a line) */
static json_t *int_or_null(bool have, json_int_t n)
{
	return have ? json_integer(n) : json_null();
}

/*
 * Every MR has the same fields: what was not built (skipped) or not
 * registered is null, so that a reader needs no second shape.
 */
static json_t *mr_json(const struct mr_result *m)
{
	bool built = !m->skipped, refused = built && !m->registered;

	return json_pack(
		"{s:s, s:s, s:s, s:o, s:o, s:I, s:o, s:o, s:o, s:s, s:b, s:s?,"
		" s:s?, s:b, s:s?, s:o}",
		"name", m->name, "desc", m->desc, "backing", m->backing, "fs",
		note_or_null(m->fs), "path",
		built ? note_or_null(m->path) : json_null(), "size",
		(json_int_t)m->size, "page_size",
		int_or_null(built, (json_int_t)m->page_size), "huge",
		built ? json_boolean(m->huge) : json_null(), "block_size",
		int_or_null(built, (json_int_t)m->block_size), "access",
		m->access, "registered", (int)m->registered, "errno",
		refused ? errno_name(m->err) : NULL, "error",
		refused ? m->error : NULL, "skipped", (int)m->skipped, "reason",
		m->skipped ? m->error : NULL, "blocks_after_dereg",
		int_or_null(built, (json_int_t)m->blocks_after_dereg));
}

/* Seconds; null when nothing was timed. */
static json_t *latency_json(const struct latency *l)
{
	struct latency_summary s;

	latency_summarise(l, &s);
	if (!s.count)
		return json_null();
	return json_pack("{s:I, s:f, s:f, s:f, s:f, s:f}", "count",
			 (json_int_t)s.count, "mean", s.mean, "p50", s.p50,
			 "p90", s.p90, "p99", s.p99, "max", s.max);
}

/* Two-host mode: what the initiator says it carried out; else null. */
static json_t *initiator_json(const struct dma_stats *s)
{
	if (!s->remote)
		return json_null();
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", "write",
			 (json_int_t)s->peer_ops[0], "read",
			 (json_int_t)s->peer_ops[1], "bytes",
			 (json_int_t)s->peer_bytes, "errors",
			 (json_int_t)s->peer_errors, "lost",
			 (json_int_t)s->peers_lost);
}

static json_t *dma_json(const struct dma_result *d, double secs)
{
	const struct dma_stats *s = &d->stats;
	json_t *ops = json_object();
	uint64_t total = 0;
	json_t *o;

	for (int k = 0; k < DMA_OP_COUNT; k++) {
		total += s->ops[k];
		if (s->ops[k])
			json_object_set_new(
				ops, dma_op_name((enum dma_op)k),
				json_integer((json_int_t)s->ops[k]));
	}
	o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:b, s:s?, s:o, s:I, s:I,"
		      " s:f, s:f, s:I, s:I, s:I, s:I, s:b, s:o, s:o}",
		      "name", d->spec.name, "op", dma_op_name(d->spec.op), "mr",
		      d->spec.mr, "block_size", (json_int_t)d->spec.block_size,
		      "qd", (json_int_t)d->spec.qd, "threads",
		      (json_int_t)d->spec.threads, "ran", (int)d->ran, "reason",
		      d->ran ? NULL : d->reason, "ops", ops, "ops_total",
		      (json_int_t)total, "bytes", (json_int_t)s->bytes,
		      "mb_per_s", (double)s->bytes / secs / 1e6, "ops_per_s",
		      (double)total / secs, "checks", (json_int_t)s->checks,
		      "blocks_final", (json_int_t)s->blocks_final,
		      "completion_errors", (json_int_t)s->wc_errors,
		      "reconnects", (json_int_t)s->reconnects, "drained",
		      (int)s->drained, "latency_s", latency_json(&s->latency),
		      "initiator", initiator_json(s));

	/* Seconds from process start to the first completion, for bench. */
	json_object_set_new(o, "first_completion",
			    s->first_done ? json_real(s->first_done) :
					    json_null());
	return o;
}

static json_t *stress_json(const struct stress_result *s)
{
	const struct stress_stats *st = &s->stats;

	return json_pack(
		"{s:s, s:s, s:s, s:f, s:i, s:s?, s:b, s:s?, s:I, s:I, s:I, s:s?,"
		" s:f, s:f, s:o, s:I}",
		"name", s->spec.name, "type", s->spec.s->name, "mr", s->spec.mr,
		"interval", s->spec.interval, "threads", (int)s->spec.threads,
		"range", s->spec.range[0] ? s->spec.range : NULL, "skipped",
		(int)st->skipped, "reason", st->reason[0] ? st->reason : NULL,
		"steps", (json_int_t)st->steps, "errors",
		(json_int_t)st->errors, "refused", (json_int_t)st->refused,
		"refusal", st->refusal[0] ? st->refusal : NULL, "busy_s",
		st->busy, "max_s", st->max, "latency_s",
		latency_json(&st->latency), "dma_overlap",
		(json_int_t)st->dma_overlap);
}

static json_t *finding_json(const struct run_result *res,
			    const struct finding *f)
{
	json_t *o = json_pack(
		"{s:s, s:s, s:b, s:o, s:o, s:f, s:s?, s:s?, s:s}", "class",
		finding_class_name(f->cls), "title", f->title, "expected",
		(int)f->covered, "expected_by",
		int_or_null(f->covered, f->covered_by), "expected_line",
		int_or_null(f->covered && res->expects.v[f->covered_by].line,
			    f->covered ? res->expects.v[f->covered_by].line :
					 0),
		"t", f->t, "mr", f->mr[0] ? f->mr : NULL, "view",
		f->view[0] ? f->view : NULL, "detail", f->detail);

	if (f->overlap[0])
		json_object_set_new(o, "overlapping", json_string(f->overlap));
	if (f->t_from > 0)
		json_object_set_new(o, "t_from", json_real(f->t_from));
	if (f->err)
		json_object_set_new(o, "errno",
				    json_string(errno_name(f->err)));
	if (f->text)
		json_object_set_new(o, "text", json_string(f->text));
	if (f->count > 1)
		json_object_set_new(o, "count", json_integer(f->count));
	if (!f->length)
		return o;
	json_object_set_new(o, "offset", json_integer((json_int_t)f->offset));
	json_object_set_new(o, "length", json_integer((json_int_t)f->length));
	json_object_set_new(o, "blocks", json_integer((json_int_t)f->blocks));
	if (!finding_class_is_data(f->cls))
		return o;
	json_object_set_new(o, "expected_gen",
			    json_integer((json_int_t)f->expected_gen));
	if (f->found_gen_valid)
		json_object_set_new(o, "found_gen",
				    json_integer((json_int_t)f->found_gen));
	json_object_set_new(o, "dump",
			    json_pack("{s:I, s:o, s:o}", "offset",
				      (json_int_t)f->dump_offset, "expected",
				      hex_json(f->expected, f->dump_len),
				      "found",
				      hex_json(f->found, f->dump_len)));
	return o;
}

static json_t *expect_json(const struct expectation *x,
			   const struct expect_mark *m)
{
	char cond[480];

	json_t *o = json_pack("{s:o, s:s, s:s, s:s, s:b, s:I, s:b}", "line",
			      int_or_null(x->line, x->line), "class",
			      finding_class_name(x->cls), "need",
			      expect_need_name(x->need), "condition",
			      expect_condition(x, cond, sizeof(cond)),
			      "applied", (int)m->applied, "matched",
			      (json_int_t)m->matched, "met",
			      (int)!expect_unmet(x, m));
	json_t *missing = json_array();

	for (unsigned i = 0; i < m->n_missing && i < EXPECT_MAX_MISSING; i++)
		json_array_append_new(missing, json_string(m->missing[i]));
	if (x->need == EXPECT_EACH) {
		json_object_set_new(o, "missing", missing);
		json_object_set_new(o, "n_missing",
				    json_integer((json_int_t)m->n_missing));
	} else {
		json_decref(missing);
	}
	return o;
}

static json_t *machine_json(const struct run_result *res)
{
	const struct kernel_version *v = &res->machine.kernel;
	json_t *caps = json_object(), *ver = json_array();

	for (unsigned i = 0; i < v->n; i++)
		json_array_append_new(ver, json_integer(v->part[i]));
	for (int c = 0; c < CAP_COUNT; c++)
		json_object_set_new(caps, expect_cap_name((enum expect_cap)c),
				    json_boolean(res->machine.cap[c]));
	/* The release is the document's (kernel): one kernel per invocation. */
	return json_pack("{s:o, s:o}", "version", ver, "capabilities", caps);
}

/* The scenario a run came from, null for the command line. */
static json_t *scenario_json(const char *name, const char *file,
			     const char *description)
{
	if (!file[0])
		return json_null();
	return json_pack("{s:s, s:s, s:s}", "name", name, "file", file,
			 "description", description);
}

/* What the kernel log, taint and hang detectors saw, or why not. */
static json_t *detectors_json(const struct run_result *res)
{
	json_t *kmsg = json_pack("{s:b, s:I, s:I, s:o}", "read",
				 (int)res->kmsg_read, "records",
				 (json_int_t)res->kmsg_records, "lost",
				 (json_int_t)res->kmsg_lost, "note",
				 note_or_null(res->kmsg_note));
	json_t *taint = json_pack(
		"{s:o, s:o, s:o}", "before",
		int_or_null(res->taint_read, (json_int_t)res->taint_before),
		"after",
		int_or_null(res->taint_read, (json_int_t)res->taint_after),
		"note", note_or_null(res->taint_note));

	return json_pack("{s:o, s:o, s:f, s:o, s:o, s:i, s:o}", "kernel_log",
			 kmsg, "taint", taint, "hang_timeout",
			 res->hang_timeout, "hang_note",
			 note_or_null(res->hang_note), "hung_task_note",
			 note_or_null(res->hung_task_note), "stuck_threads",
			 (int)res->n_stuck, "stuck", note_or_null(res->stuck));
}

/* Every stressor step kept: what the bundle's timeline.txt lists. */
static json_t *timeline_json(const struct run_result *res)
{
	json_t *steps = json_array();

	for (size_t k = 0; k < res->n_events; k++) {
		const struct run_event *ev = &res->events[k];

		json_array_append_new(
			steps,
			json_pack("{s:f, s:f, s:s, s:i, s:s}", "start",
				  ev->start, "end", ev->end, "stressor",
				  res->stress[ev->stress].spec.name, "thread",
				  (int)ev->thread, "what", ev->what));
	}
	return json_pack("{s:I, s:o}", "dropped",
			 (json_int_t)res->events_dropped, "steps", steps);
}

json_t *report_json(const struct run_result *res)
{
	double secs = res->elapsed > 0 ? res->elapsed : 1;
	const struct finding_list *fl = &res->findings;
	json_t *mrs = json_array(), *dmas = json_array(),
	       *stress = json_array(), *findings = json_array(),
	       *expects = json_array(), *o;

	for (unsigned i = 0; i < res->n_mrs; i++)
		json_array_append_new(mrs, mr_json(&res->mrs[i]));
	for (unsigned i = 0; i < res->n_dmas; i++)
		json_array_append_new(dmas, dma_json(&res->dmas[i], secs));
	for (unsigned i = 0; i < res->n_stress; i++)
		json_array_append_new(stress, stress_json(&res->stress[i]));
	for (unsigned i = 0; i < res->expects.n; i++)
		json_array_append_new(expects, expect_json(&res->expects.v[i],
							   &res->marks[i]));
	for (size_t i = 0; i < fl->n; i++)
		json_array_append_new(findings, finding_json(res, &fl->v[i]));
	o = json_pack(
		"{s:o, s:o, s:{s:s, s:i, s:s?}, s:I, s:f, s:f, s:f,"
		" s:f, s:b, s:o, s:s?, s:b, s:o, s:s?, s:o, s:o, s:o, s:o, s:o,"
		" s:{s:I, s:I, s:I, s:I}}",
		"scenario",
		scenario_json(res->name, res->scenario_file, res->description),
		"machine", machine_json(res), "device", "name", res->dev.name,
		"port", res->dev.port, "gid_type", res->dev.gid_type, "seed",
		(json_int_t)res->seed, "duration", res->duration, "elapsed",
		res->elapsed, "startup", res->startup, "slowdown",
		res->slowdown, "interrupted", (int)res->interrupted,
		"pins_acquired",
		res->pins_counted ?
			json_integer((json_int_t)res->pins_acquired) :
			json_null(),
		"pins_note", res->pins_note[0] ? res->pins_note : NULL,
		"mrs_checked", (int)res->mrs_check.checked, "mrs_listed_before",
		res->mrs_check.checked ?
			json_integer((json_int_t)res->mrs_check.listed_before) :
			json_null(),
		"mrs_note", res->mrs_check.note[0] ? res->mrs_check.note : NULL,
		"mrs", mrs, "dma", dmas, "stress", stress, "expectations",
		expects, "findings", findings, "summary", "findings",
		(json_int_t)fl->n, "unexpected",
		(json_int_t)finding_list_unexpected(fl), "unmet",
		(json_int_t)res->unmet, "dropped", (json_int_t)fl->dropped);

	json_object_set_new(o, "detectors", detectors_json(res));
	json_object_set_new(o, "timeline", timeline_json(res));
	return o;
}

/* A scenario's object: its run's report, or why it did not get going. */
static json_t *outcome_json(const struct scenario_outcome *o)
{
	const struct scenario *sc = o->sc;
	json_t *j;

	if (o->res && o->res->n_mrs)
		j = report_json(o->res);
	else
		j = json_pack("{s:o}", "scenario",
			      scenario_json(sc->spec.name, sc->path,
					    sc->spec.description));
	json_object_set_new(j, "ran", json_boolean(o->ran));
	json_object_set_new(j, "status",
			    o->ran ? json_integer(o->status) : json_null());
	json_object_set_new(j, "error", note_or_null(o->error));
	json_object_set_new(j, "not_run",
			    o->ran ? json_null() : json_string(o->not_run));
	if (o->replayed)
		json_object_set_new(j, "replay",
				    json_pack("{s:b, s:s}", "same",
					      (int)o->replay_same, "detail",
					      o->replay));
	return j;
}

/* The kernel the invocation ran on and the config options that matter. */
static json_t *kernel_json(const struct kconfig *k)
{
	json_t *cfg = k->source[0] ? json_object() : json_null();

	for (unsigned i = 0; i < k->n; i++)
		json_object_set_new(cfg, k->v[i].name,
				    json_string(k->v[i].value));
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "release",
			 k->release, "version", note_or_null(k->version),
			 "config_source", note_or_null(k->source),
			 "config_header", note_or_null(k->header),
			 "config_note", note_or_null(k->note), "config", cfg);
}

/* How often each fault point failed: present in builds that have them. */
static json_t *faults_json(void)
{
	json_t *fired = json_object();

	for (int p = 0; p < FAULT_COUNT; p++) {
		uint64_t n = fault_fired(p);

		if (n)
			json_object_set_new(fired, fault_points[p].name,
					    json_integer((json_int_t)n));
	}
	return fired;
}

json_t *report_json_document(const struct report_input *in)
{
	json_t *runs = json_array(), *doc;

	for (unsigned i = 0; i < in->plan->n; i++)
		if (i < in->n_done || in->final)
			json_array_append_new(runs, outcome_json(&in->v[i]));
	doc = json_pack(
		"{s:i, s:{s:s, s:s}, s:s?, s:b, s:i, s:o, s:b, s:s?, s:o, s:o}",
		"schema", REPORT_JSON_SCHEMA, "tool", "name", PACKAGE_NAME,
		"version", PACKAGE_VERSION, "command_line", in->command_line,
		"complete", (int)in->final, "status", in->status, "signal",
		in->signal ? json_sprintf("SIG%s", sigabbrev_np(in->signal)) :
			     json_null(),
		"stuck", (int)in->stuck, "bundle", in->bundle, "kernel",
		in->kernel ? kernel_json(in->kernel) : json_null(), "scenarios",
		runs);
	if (doc && fault_available())
		json_object_set_new(doc, "faults_fired", faults_json());
	return doc;
}

static int json_document(FILE *f, const struct report_input *in)
{
	json_t *j = report_json_document(in);
	int bad = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(j);
	fputc('\n', f);
	return bad || ferror(f) ? -EIO : 0;
}

const struct reporter reporter_json = {
	.name = "json",
	.document = json_document,
};
