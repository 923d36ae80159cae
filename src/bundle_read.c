// SPDX-License-Identifier: GPL-2.0-or-later
/* A bundle read back: its scenario files and the findings it recorded. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle_read.h"

void finding_keys_add(struct finding_key *keys, unsigned *n, unsigned cap,
		      enum finding_class cls, const char *mr, bool expected)
{
	for (unsigned k = 0; k < *n; k++)
		if (keys[k].cls == cls && !strcmp(keys[k].mr, mr)) {
			keys[k].expected &= expected;
			return;
		}
	if (*n == cap)
		return;
	keys[*n].cls = cls;
	str_copy(keys[*n].mr, sizeof(keys[*n].mr), mr);
	keys[*n].expected = expected;
	(*n)++;
}

/* The findings of the document's first scenario. */
static int read_keys(struct bundle_scenario_in *s, const char *path,
		     struct mrs_err *e)
{
	json_error_t err;
	json_t *doc = json_load_file(path, 0, &err), *findings, *f;
	size_t i;

	if (!doc)
		return mrs_err_set(e, EINVAL, "%s:%d: %s", path, err.line,
				   err.text);
	findings = json_object_get(
		json_array_get(json_object_get(doc, "scenarios"), 0),
		"findings");
	if (!json_is_array(findings)) {
		json_decref(doc);
		return mrs_err_set(
			e, EINVAL,
			"%s: no scenarios[0].findings: not an mrstress report (schema 2)",
			path);
	}
	json_array_foreach(findings, i, f)
	{
		const char *cls =
			json_string_value(json_object_get(f, "class"));
		const char *mr = json_string_value(json_object_get(f, "mr"));
		enum finding_class c;

		if (!cls || finding_class_parse(cls, &c)) {
			/* cls lives in doc: the message first, then free. */
			mrs_err_set(e, EINVAL,
				    "%s: finding %zu: bad class '%s'", path, i,
				    cls ? cls : "(none)");
			json_decref(doc);
			return -EINVAL;
		}
		finding_keys_add(s->keys, &s->n_keys, BUNDLE_MAX_KEYS, c,
				 mr ? mr : "",
				 json_is_true(json_object_get(f, "expected")));
		s->any_unexpected |=
			!json_is_true(json_object_get(f, "expected"));
	}
	json_decref(doc);
	return 0;
}

static int add_scenario(struct bundle_in *b, const char *dir, struct mrs_err *e)
{
	struct bundle_scenario_in *s = &b->v[b->n];
	char json[PATH_MAX + 16];

	if (b->n == BUNDLE_MAX_SCENARIOS)
		return mrs_err_set(e, EINVAL, "%s: too many scenarios", dir);
	memset(s, 0, sizeof(*s));
	str_copy(s->dir, sizeof(s->dir), dir);
	snprintf(s->scenario, sizeof(s->scenario), "%.*s/scenario.scn",
		 PATH_MAX - 16, dir);
	snprintf(json, sizeof(json), "%s/report.json", dir);
	if (access(s->scenario, R_OK))
		return mrs_err_set(e, EINVAL, "%s: %s: not a bundle (-o DIR)",
				   s->scenario, strerror(errno));
	b->n++;
	return read_keys(s, json, e);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_subdir(const struct dirent *d)
{
	return d->d_name[0] != '.' && d->d_type == DT_DIR &&
	       strcmp(d->d_name, "findings");
}

int bundle_read(const char *dir, struct bundle_in *b, struct mrs_err *e)
{
	char path[PATH_MAX];
	struct dirent **list;
	int n, ret = 0;

	memset(b, 0, sizeof(*b));
	snprintf(path, sizeof(path), "%.*s/scenario.scn", PATH_MAX - 16, dir);
	if (!access(path, R_OK))
		return add_scenario(b, dir, e);
	/* Several scenarios: a bundle each, in DIR/NN-NAME. */
	n = scandir(dir, &list, is_subdir, by_name);
	if (n < 0)
		return mrs_err_sys(e, "%s", dir);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%.*s/%s", PATH_MAX - 300, dir,
			 list[i]->d_name);
		if (!ret)
			ret = add_scenario(b, path, e);
		free(list[i]);
	}
	free(list);
	if (!ret && !b->n)
		ret = mrs_err_set(e, EINVAL,
				  "%s: not a bundle: no scenario.scn in it",
				  dir);
	return ret;
}

static bool has_key(const struct finding_key *keys, unsigned n,
		    const struct finding_key *k)
{
	for (unsigned i = 0; i < n; i++)
		if (keys[i].cls == k->cls && !strcmp(keys[i].mr, k->mr))
			return true;
	return false;
}

static void append_key(char *buf, size_t len, const struct finding_key *k)
{
	size_t at = strlen(buf);

	snprintf(buf + at, len - at, "%s%s%s%s", at ? ", " : "",
		 finding_class_name(k->cls), k->mr[0] ? " on " : "", k->mr);
}

bool finding_keys_same(const struct bundle_scenario_in *want,
		       const struct finding_key *got, unsigned n_got,
		       char *missing, size_t missing_len, char *new_keys,
		       size_t new_len)
{
	bool same = true;

	missing[0] = new_keys[0] = '\0';
	for (unsigned i = 0; i < want->n_keys; i++) {
		const struct finding_key *k = &want->keys[i];

		if (want->any_unexpected && k->expected)
			continue;
		if (!has_key(got, n_got, k)) {
			append_key(missing, missing_len, k);
			same = false;
		}
	}
	for (unsigned i = 0; i < n_got; i++)
		if (!got[i].expected &&
		    !has_key(want->keys, want->n_keys, &got[i])) {
			append_key(new_keys, new_len, &got[i]);
			/* Nothing was wrong then: anything wrong now differs. */
			same &= want->any_unexpected;
		}
	return same;
}
