// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's list of live MRs, read through `rdma -j res show mr` rather
 * than netlink directly: the rdma tool is what a user compares with by
 * hand, and it already knows every kernel's attributes.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mr_track.h"
#include "subprocess.h"

/* Enough for about 100000 MRs: beyond that something else is wrong. */
#define MR_TRACK_MAX_OUTPUT (16 << 20)

void mr_list_free(struct mr_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int mr_list_add(struct mr_list *l, const struct mr_entry *m)
{
	struct mr_entry *v = realloc(l->v, (l->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	l->v = v;
	l->v[l->n++] = *m;
	return 0;
}

bool mr_list_has(const struct mr_list *l, const char *dev, uint32_t mrn)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].mrn == mrn && !strcmp(l->v[i].dev, dev))
			return true;
	return false;
}

/* An unsigned number field; absent is fine unless required. */
static int get_uint(json_t *o, const char *key, bool required, uint64_t max,
		    uint64_t *out, size_t i, struct mrs_err *e)
{
	json_t *v = json_object_get(o, key);

	if (!v && !required)
		return 0;
	if (!v)
		return mrs_err_set(e, EINVAL,
				   "rdma res show mr: MR %zu has no %s", i,
				   key);
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return mrs_err_set(
			e, EINVAL,
			"rdma res show mr: MR %zu: %s is not a number up to %llu",
			i, key, (unsigned long long)max);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* Keys are printed as hex strings without 0x ("lkey":"2cc"). */
static int get_key(json_t *o, const char *key, uint32_t *out, size_t i,
		   struct mrs_err *e)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	char *end;
	unsigned long k;

	if (!v)
		return 0;
	s = json_string_value(v);
	if (!s || !*s)
		return mrs_err_set(
			e, EINVAL,
			"rdma res show mr: MR %zu: %s is not a hex string", i,
			key);
	errno = 0;
	k = strtoul(s, &end, 16);
	if (*end || errno || k > UINT32_MAX)
		return mrs_err_set(
			e, EINVAL,
			"rdma res show mr: MR %zu: %s '%s' is not a 32-bit hex key",
			i, key, s);
	*out = (uint32_t)k;
	return 0;
}

static int get_str(json_t *o, const char *key, bool required, char *out,
		   size_t len, size_t i, struct mrs_err *e)
{
	json_t *v = json_object_get(o, key);

	if (!v && !required)
		return 0;
	if (!v || !json_is_string(v) || !json_string_length(v))
		return mrs_err_set(e, EINVAL, "rdma res show mr: MR %zu: %s %s",
				   i, key,
				   v ? "is not a string" : "is missing");
	str_copy(out, len, json_string_value(v));
	return 0;
}

static int parse_entry(json_t *o, size_t i, struct mr_entry *m,
		       struct mrs_err *e)
{
	uint64_t mrn = 0, pdn = 0, pid = 0;

	memset(m, 0, sizeof(*m));
	if (!json_is_object(o))
		return mrs_err_set(
			e, EINVAL,
			"rdma res show mr: entry %zu is not an object", i);
	if (get_str(o, "ifname", true, m->dev, sizeof(m->dev), i, e) ||
	    get_uint(o, "mrn", true, UINT32_MAX, &mrn, i, e) ||
	    get_uint(o, "mrlen", true, UINT64_MAX, &m->len, i, e) ||
	    get_uint(o, "pdn", false, UINT32_MAX, &pdn, i, e) ||
	    get_uint(o, "pid", false, INT32_MAX, &pid, i, e) ||
	    get_key(o, "lkey", &m->lkey, i, e) ||
	    get_key(o, "rkey", &m->rkey, i, e) ||
	    get_str(o, "comm", false, m->comm, sizeof(m->comm), i, e))
		return -EINVAL;
	m->mrn = (uint32_t)mrn;
	m->pdn = (uint32_t)pdn;
	m->has_pid = json_object_get(o, "pid") != NULL;
	m->pid = (pid_t)pid;
	return 0;
}

int mr_track_parse(const char *json, struct mr_list *out, struct mrs_err *e)
{
	json_error_t jerr;
	json_t *root = json_loads(json, 0, &jerr);
	struct mr_entry m;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!root)
		return mrs_err_set(e, EINVAL,
				   "rdma res show mr: not JSON: %s at line %d",
				   jerr.text, jerr.line);
	if (!json_is_array(root)) {
		ret = mrs_err_set(e, EINVAL,
				  "rdma res show mr: not a JSON array");
		goto out;
	}
	for (size_t i = 0; i < json_array_size(root) && !ret; i++) {
		ret = parse_entry(json_array_get(root, i), i, &m, e);
		if (!ret && mr_list_add(out, &m))
			ret = mrs_err_set(e, ENOMEM, "out of memory");
	}
out:
	json_decref(root);
	if (ret)
		mr_list_free(out);
	return ret;
}

/* "exit 1: error: ..." from how the tool ended and what it said. */
static int tool_failed(const char *tool, const struct subprocess_output *o,
		       struct mrs_err *e)
{
	char *nl = strchr(o->err, '\n');

	if (nl)
		*nl = '\0';
	if (WIFSIGNALED(o->status))
		return mrs_err_set(e, EIO, "%s -j res show mr: signal %d: %s",
				   tool, WTERMSIG(o->status), o->err);
	return mrs_err_set(e, EIO, "%s -j res show mr: exit %d: %s", tool,
			   WEXITSTATUS(o->status), o->err);
}

int mr_track_read(const char *tool, double timeout, struct mr_list *out,
		  struct mrs_err *e)
{
	char path[512];
	char *argv[] = { path, "-j", "res", "show", "mr", NULL };
	struct subprocess_output o;
	int ret;

	memset(out, 0, sizeof(*out));
	if (tool)
		str_copy(path, sizeof(path), tool);
	else if (subprocess_find("rdma", "/usr/sbin:/sbin", path, sizeof(path)))
		return mrs_err_set(
			e, ENOENT,
			"rdma tool not found (iproute2) in PATH, /usr/sbin or /sbin");
	ret = subprocess_capture(argv, timeout, MR_TRACK_MAX_OUTPUT, &o, e);
	if (ret)
		return ret;
	if (!WIFEXITED(o.status) || WEXITSTATUS(o.status))
		ret = tool_failed(path, &o, e);
	else
		ret = mr_track_parse(o.out, out, e);
	free(o.out);
	return ret;
}
