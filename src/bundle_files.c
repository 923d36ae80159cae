// SPDX-License-Identifier: GPL-2.0-or-later
/* The plain files of a bundle: scenario, command line, kernel, taint... */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "bundle_files.h"
#include "kconfig.h"
#include "scenario.h"
#include "taint.h"

static int done(FILE *f)
{
	return ferror(f) ? -EIO : 0;
}

int bundle_fill_scenario(FILE *f, void *arg)
{
	const struct bundle_scenario *b = arg;
	const struct scenario *sc = b->in->v[b->i].sc;

	fprintf(f, "; The run as it was resolved: --replay runs it again.\n");
	if (sc->path[0])
		fprintf(f, "; From %s.\n", sc->path);
	return scenario_print(f, &sc->spec) ?: done(f);
}

int bundle_fill_cmdline(FILE *f, void *arg)
{
	const struct bundle_scenario *b = arg;

	fprintf(f, "%s\n",
		b->in->command_line ? b->in->command_line : "(unknown)");
	return done(f);
}

/* The first line of a small /proc file, "" when it cannot be read. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *p = fopen(path, "re");

	buf[0] = '\0';
	if (!p)
		return;
	if (fgets(buf, (int)len, p))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(p);
}

int bundle_fill_kernel(FILE *f, void *arg)
{
	const struct kconfig *k = ((struct bundle_scenario *)arg)->in->kernel;
	struct utsname u;
	char cmdline[1024];

	if (k)
		kconfig_print(f, k);
	if (!uname(&u))
		fprintf(f, "machine  %s\n", u.machine);
	read_line("/proc/cmdline", cmdline, sizeof(cmdline));
	fprintf(f, "cmdline  %s\n", cmdline);
	return done(f);
}

int bundle_fill_taint(FILE *f, void *arg)
{
	const struct run_result *res = ((struct bundle_scenario *)arg)->res;
	char was[TAINT_LETTERS_LEN], now[TAINT_LETTERS_LEN], what[512];

	if (!res->taint_read) {
		fprintf(f, "not read: %s\n", res->taint_note);
		return done(f);
	}
	taint_letters(res->taint_before, was, sizeof(was));
	taint_letters(res->taint_after, now, sizeof(now));
	fprintf(f, "before: %llu (%s)\n", (unsigned long long)res->taint_before,
		was[0] ? was : "G: not tainted");
	fprintf(f, "after:  %llu (%s)\n", (unsigned long long)res->taint_after,
		now[0] ? now : "G: not tainted");
	taint_describe(res->taint_after & ~res->taint_before, what,
		       sizeof(what));
	fprintf(f, "set during the run: %s\n", what[0] ? what : "nothing");
	taint_describe(res->taint_after, what, sizeof(what));
	if (what[0])
		fprintf(f, "meaning of every bit set: %s\n", what);
	return done(f);
}

int bundle_fill_report(FILE *f, void *arg)
{
	report_text(f, ((struct bundle_scenario *)arg)->res);
	return done(f);
}

int bundle_fill_timeline(FILE *f, void *arg)
{
	const struct run_result *res = ((struct bundle_scenario *)arg)->res;

	fprintf(f,
		"# every stressor step kept: start-end (s since the run started), stressor[thread], what\n");
	if (res->events_dropped)
		fprintf(f, "# %llu older steps were not kept\n",
			(unsigned long long)res->events_dropped);
	bundle_print_events(f, res, 0, res->n_events);
	return done(f);
}

void bundle_print_events(FILE *f, const struct run_result *res, size_t from,
			 size_t to)
{
	for (size_t k = from; k < to; k++) {
		const struct run_event *ev = &res->events[k];

		fprintf(f, "%10.6f-%10.6f  %s[%u]  %s\n", ev->start, ev->end,
			res->stress[ev->stress].spec.name, ev->thread,
			ev->what);
	}
}

/* A report_input of scenario i alone: its bundle's own report.json. */
static json_t *one_scenario_json(const struct bundle_scenario *b)
{
	const struct report_input *in = b->in;
	struct scenario *sc = (struct scenario *)in->v[b->i].sc;
	struct plan p = { .n = 1, .runs = &sc };
	struct report_input one = *in;

	one.plan = &p;
	one.v = &in->v[b->i];
	one.n_done = 1;
	one.final = true;
	one.status = in->v[b->i].status;
	return report_json_document(&one);
}

static int dump_json(FILE *f, json_t *j)
{
	int bad = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(j);
	fputc('\n', f);
	return bad ? -EIO : done(f);
}

int bundle_fill_json(FILE *f, void *arg)
{
	const struct bundle_scenario *b = arg;

	if (b->in->plan->n == 1)
		return dump_json(f, report_json_document(b->in));
	return dump_json(f, one_scenario_json(b));
}

int bundle_fill_plan_json(FILE *f, void *arg)
{
	return dump_json(
		f, report_json_document(((struct bundle_scenario *)arg)->in));
}
