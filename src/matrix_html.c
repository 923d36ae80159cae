// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The matrix as one self-contained HTML5 page: inline CSS, no script, no
 * external resource, so that it can be mailed, archived as a CI artifact
 * or opened from disk. Each state has a colour and a word, so the grid
 * also reads in black and white. Links are relative to DIR.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "matrix.h"
#include "xml_text.h"

static const char css[] =
	"body{font-family:sans-serif;font-size:14px;margin:1em}"
	"table{border-collapse:collapse;margin-bottom:1em}"
	"th,td{border:1px solid #888;padding:4px 6px;vertical-align:top;"
	"text-align:left}"
	"td.cell a{color:inherit;text-decoration:none;display:block}"
	".state{font-weight:bold;text-transform:uppercase;font-size:12px}"
	".obs,.meta,.rel{font-size:12px}"
	".pass{background:#c8f0c8}.expected{background:#c8dcf8}"
	".unexpected{background:#ffb0a0}.skip{background:#e8e8e8}"
	".error{background:#e0b0f0}.not-run{background:#f4f4f4;color:#666}"
	"tr.failed th.kernel,tr.failed td.not-run{background:#ff9c9c}"
	".reason{font-weight:bold;color:#800}"
	"td.registered{background:#c8f0c8}td.refused{background:#ffe0a0}"
	"td.skipped,td.absent{background:#f0f0f0;color:#666}"
	"pre{font-size:11px;white-space:pre-wrap;max-width:60em}";

/* Text as HTML: control bytes as \xNN (xml_text), markup characters and
 * newlines (for title attributes) as references. */
static void esc(FILE *f, const char *s)
{
	char *clean = xml_text_clean(s ? s : "");

	if (!clean)
		abort();
	for (const char *p = clean; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		case '\n':
			fputs("&#10;", f);
			break;
		default:
			fputc(*p, f);
		}
	}
	free(clean);
}

/* An id from a name: letters, digits and '-' only. */
static void ident(FILE *f, const char *prefix, const char *s)
{
	fputs(prefix, f);
	for (; *s; s++)
		fputc((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
				      (*s >= '0' && *s <= '9') ?
			      *s :
			      '-',
		      f);
}

/* A link to a file of the kernel's cell directory, when it is there. */
static void cell_file_link(FILE *f, const struct matrix *m,
			   const struct matrix_kernel *k, const char *file,
			   const char *label)
{
	char *rel;

	if (asprintf(&rel, "%s/%s", k->dir, file) < 0)
		abort();
	if (matrix_has(m, rel)) {
		fputs(" <a href=\"", f);
		esc(f, rel);
		fputs("\">", f);
		esc(f, label);
		fputs("</a>", f);
	}
	free(rel);
}

static const char *state_class(enum matrix_state s)
{
	return s == MATRIX_NOT_RUN ? "not-run" : matrix_state_name(s);
}

static void header(FILE *f, const struct matrix *m)
{
	char origin[512];

	matrix_origin(origin, sizeof(origin));
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n"
	      "<title>mrstress kernel matrix</title>\n<style>",
	      f);
	fputs(css, f);
	fputs("</style>\n</head>\n<body>\n<h1>mrstress kernel matrix</h1>\n"
	      "<p class=\"origin\">Made ",
	      f);
	esc(f, m->started[0] ? m->started : "(start time unknown)");
	fputs(" by ", f);
	esc(f, origin);
	fputs(".<br>Command: <code>", f);
	esc(f, m->command);
	fputs("</code></p>\n", f);
	fprintf(f,
		"<p class=\"totals\">%u kernels \u00d7 %u scenarios: %u pass, "
		"%u expected, %u unexpected, %u skip, %u error, %u not run; "
		"%u kernel%s did not finish.</p>\n",
		m->n_kernels, m->n_scenarios, matrix_count(m, MATRIX_PASS),
		matrix_count(m, MATRIX_EXPECTED),
		matrix_count(m, MATRIX_UNEXPECTED),
		matrix_count(m, MATRIX_SKIP), matrix_count(m, MATRIX_ERROR),
		matrix_count(m, MATRIX_NOT_RUN), matrix_failed_kernels(m),
		matrix_failed_kernels(m) == 1 ? "" : "s");
}

static void grid_head(FILE *f, const struct matrix *m)
{
	fputs("<table class=\"grid\">\n<thead><tr><th>kernel</th>", f);
	for (unsigned i = 0; i < m->n_scenarios; i++) {
		fputs("<th scope=\"col\" title=\"", f);
		esc(f, m->scenarios[i].description);
		fputs("\"><a href=\"#", f);
		ident(f, "s-", m->scenarios[i].name);
		fputs("\">", f);
		esc(f, m->scenarios[i].name);
		fputs("</a></th>", f);
	}
	fputs("</tr></thead>\n<tbody>\n", f);
}

static void row_head(FILE *f, const struct matrix *m,
		     const struct matrix_kernel *k)
{
	fputs("<th scope=\"row\" class=\"kernel\"><span class=\"kname\">", f);
	esc(f, k->name);
	fputs("</span><br><span class=\"rel\">", f);
	esc(f, k->release[0] ? k->release : "release unknown");
	fputs("</span><br><span class=\"meta\">", f);
	if (k->wall_s >= 0)
		fprintf(f, "VM %ld s, ", k->wall_s);
	fprintf(f, "DMA %.1f MB/s</span><br>", k->mb_per_s);
	cell_file_link(f, m, k, "report.json", "report.json");
	cell_file_link(f, m, k, "junit.xml", "junit");
	cell_file_link(f, m, k, "console.log", "console log");
	if (k->failure) {
		fputs("<p class=\"reason\">VM FAILED: ", f);
		esc(f, k->failure);
		fputs("</p><pre class=\"console\">", f);
		esc(f, k->console_tail);
		fputs("</pre>", f);
	}
	fputs("</th>", f);
}

static void cell(FILE *f, const struct matrix *m, const struct matrix_kernel *k,
		 unsigned i)
{
	const struct matrix_cell *c = &k->cells[i];

	fprintf(f, "<td class=\"cell %s\" data-kernel=\"",
		state_class(c->state));
	esc(f, k->name);
	fputs("\" data-scenario=\"", f);
	esc(f, m->scenarios[i].name);
	fputs("\" title=\"", f);
	esc(f, c->detail);
	fputs("\">", f);
	if (c->link) {
		fputs("<a href=\"", f);
		esc(f, c->link);
		fputs("\">", f);
	}
	fprintf(f, "<span class=\"state\">%s</span>",
		matrix_state_name(c->state));
	if (c->observed[0]) {
		fputs("<br><span class=\"obs\">", f);
		esc(f, c->observed);
		fputs("</span>", f);
	}
	if (c->run && c->state != MATRIX_SKIP)
		fprintf(f, "<br><span class=\"meta\">%.1f MB/s</span>",
			c->mb_per_s);
	fputs(c->link ? "</a></td>" : "</td>", f);
}

static void grid(FILE *f, const struct matrix *m)
{
	grid_head(f, m);
	for (unsigned k = 0; k < m->n_kernels; k++) {
		const struct matrix_kernel *x = &m->kernels[k];

		fprintf(f, "<tr class=\"%s\">",
			x->failure ? "kernel failed" : "kernel");
		row_head(f, m, x);
		for (unsigned i = 0; i < m->n_scenarios; i++)
			cell(f, m, x, i);
		fputs("</tr>\n", f);
	}
	fputs("</tbody>\n</table>\n<p class=\"legend\">", f);
	for (int s = 0; s < MATRIX_STATES; s++)
		fprintf(f, "<span class=\"%s\">&nbsp;%s&nbsp;</span> ",
			state_class((enum matrix_state)s),
			matrix_state_name((enum matrix_state)s));
	fputs("&mdash; each cell shows what the kernel's run observed; hover "
	      "for the findings' titles, click for the report bundle.</p>\n",
	      f);
}

static json_t *mr_of(json_t *run, const char *name)
{
	size_t i;
	json_t *mr;

	json_array_foreach(json_object_get(run, "mrs"), i, mr)
	{
		if (!strcmp(json_string_value(json_object_get(mr, "name")),
			    name))
			return mr;
	}
	return NULL;
}

static void mr_cell(FILE *f, json_t *mr)
{
	const char *err = json_string_value(json_object_get(mr, "errno"));
	const char *why = json_string_value(json_object_get(mr, "error"));

	if (!mr) {
		fputs("<td class=\"absent\">not run</td>", f);
		return;
	}
	if (json_is_true(json_object_get(mr, "skipped"))) {
		fputs("<td class=\"skipped\" title=\"", f);
		esc(f, json_string_value(json_object_get(mr, "reason")));
		fputs("\">skipped</td>", f);
	} else if (json_is_true(json_object_get(mr, "registered"))) {
		fputs("<td class=\"registered\">registered</td>", f);
	} else {
		fputs("<td class=\"refused\" title=\"", f);
		esc(f, why);
		fputs("\">refused ", f);
		esc(f, err ? err : "");
		fputs("</td>", f);
	}
}

/* The MRs of scenario i, in the order the kernels' reports list them. */
static void mr_row(FILE *f, const struct matrix *m, unsigned i, json_t *mr0)
{
	const char *name = json_string_value(json_object_get(mr0, "name"));

	fputs("<tr><th scope=\"row\">", f);
	esc(f, name);
	fputs(" <span class=\"meta\">", f);
	esc(f, json_string_value(json_object_get(mr0, "desc")));
	fprintf(f, ", %s</span></th>",
		json_string_value(json_object_get(mr0, "access")) ?: "");
	for (unsigned k = 0; k < m->n_kernels; k++)
		mr_cell(f, mr_of(m->kernels[k].cells[i].run, name));
	fputs("</tr>\n", f);
}

static bool listed_before(const struct matrix *m, unsigned i, unsigned k,
			  const char *name)
{
	for (unsigned j = 0; j < k; j++)
		if (mr_of(m->kernels[j].cells[i].run, name))
			return true;
	return false;
}

static void mr_table(FILE *f, const struct matrix *m, unsigned i)
{
	fputs("<h3 id=\"", f);
	ident(f, "s-", m->scenarios[i].name);
	fputs("\">", f);
	esc(f, m->scenarios[i].name);
	fputs("</h3>\n<p>", f);
	esc(f, m->scenarios[i].description);
	fputs(" <span class=\"meta\">(", f);
	esc(f, m->scenarios[i].file);
	fputs(")</span></p>\n<table class=\"mrs\"><thead><tr><th>MR</th>", f);
	for (unsigned k = 0; k < m->n_kernels; k++) {
		fputs("<th>", f);
		esc(f, m->kernels[k].name);
		fputs("</th>", f);
	}
	fputs("</tr></thead><tbody>\n", f);
	for (unsigned k = 0; k < m->n_kernels; k++) {
		size_t j;
		json_t *mr;

		json_array_foreach(json_object_get(m->kernels[k].cells[i].run,
						   "mrs"),
				   j, mr)
		{
			const char *name =
				json_string_value(json_object_get(mr, "name"));

			if (name && !listed_before(m, i, k, name))
				mr_row(f, m, i, mr);
		}
	}
	fputs("</tbody></table>\n", f);
}

int matrix_html(FILE *f, const struct matrix *m)
{
	header(f, m);
	grid(f, m);
	fputs("<h2>Memory registrations: registered or refused, per "
	      "kernel</h2>\n",
	      f);
	for (unsigned i = 0; i < m->n_scenarios; i++)
		mr_table(f, m, i);
	fputs("</body>\n</html>\n", f);
	return ferror(f) ? -EIO : 0;
}
