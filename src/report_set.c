// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reports of one invocation: one stream on stdout, and files rewritten
 * whole after every scenario, so that what was gathered is on disk even
 * when the plan never ends (a thread blocked in the kernel) or is killed.
 */
#include <errno.h>
#include <string.h>

#include "atomic_file.h"
#include "report.h"

int report_set_add(struct report_set *s, const char *format, const char *path,
		   struct mrs_err *e)
{
	const struct reporter *r = reporter_find(format);

	if (!r)
		return mrs_err_set(e, EINVAL, "no report format '%s'", format);
	if (path) {
		if (!r->document)
			return mrs_err_set(e, EINVAL,
					   "--%s writes to stdout only",
					   format);
		if (s->n_files == REPORT_MAX_FILES)
			return mrs_err_set(e, EINVAL, "too many report files");
		s->files[s->n_files++] = (struct report_sink){ r, path };
		return 0;
	}
	if (s->out.r && s->out.r != reporter_find("text"))
		return mrs_err_set(
			e, EINVAL,
			"--%s and --%s both want stdout: give one of them a FILE",
			s->out.r->name, format);
	s->out = (struct report_sink){ r, NULL };
	return 0;
}

void report_set_begin(const struct report_set *s, const struct report_input *in)
{
	if (s->out.r && s->out.r->begin)
		s->out.r->begin(stdout, in);
	fflush(stdout);
}

struct doc_arg {
	const struct reporter *r;
	const struct report_input *in;
};

static int fill_document(FILE *f, void *arg)
{
	const struct doc_arg *a = arg;

	return a->r->document(f, a->in);
}

static int write_documents(const struct report_set *s,
			   const struct report_input *in)
{
	int bad = 0;

	for (unsigned i = 0; i < s->n_files; i++) {
		struct doc_arg a = { s->files[i].r, in };
		struct mrs_err e = { 0 };

		if (atomic_file_write(s->files[i].path, fill_document, &a,
				      &e)) {
			fprintf(stderr, "mrstress: %s report: %s\n",
				s->files[i].r->name, e.msg);
			bad = -EIO;
		}
	}
	return bad;
}

/* stdout carries a stream: a write error there is a harness failure. */
static int flush_stdout(void)
{
	if (fflush(stdout) || ferror(stdout)) {
		perror("mrstress: writing the report on stdout");
		return -EIO;
	}
	return 0;
}

int report_set_scenario(const struct report_set *s,
			const struct report_input *in)
{
	int bad;

	if (s->out.r && s->out.r->scenario)
		s->out.r->scenario(stdout, in, in->n_done - 1);
	bad = flush_stdout();
	return write_documents(s, in) ?: bad;
}

int report_set_end(const struct report_set *s, const struct report_input *in)
{
	int bad = 0;

	if (s->out.r && s->out.r->end)
		s->out.r->end(stdout, in);
	else if (s->out.r && s->out.r->document)
		bad = s->out.r->document(stdout, in);
	if (flush_stdout()) /* not "?: bad": cppcheck takes it for bad = bad */
		bad = -EIO;
	return write_documents(s, in) ?: bad;
}
