// SPDX-License-Identifier: GPL-2.0-or-later
/* Which MRs the kernel still lists after a run are the run's leaks. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "child_pids.h"
#include "clock.h"
#include "mr_leak.h"
#include "pin_count.h"
#include "units.h"

/* How long the kernel may take to free what a closed device held. */
#define MR_LEAK_GRACE 2.0

enum mr_owner mr_owner_of(const struct mr_entry *m, pid_t self,
			  bool (*spawned)(pid_t))
{
	if (!m->has_pid)
		return m->comm[0] ? MR_OWNER_KERNEL : MR_OWNER_EXITED;
	if (m->pid == self || (spawned && spawned(m->pid)))
		return MR_OWNER_RUN;
	return MR_OWNER_OTHER;
}

int mr_leak_select(const struct mr_list *before, const struct mr_list *after,
		   pid_t self, bool (*spawned)(pid_t), struct mr_list *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < after->n; i++) {
		const struct mr_entry *m = &after->v[i];
		enum mr_owner o = mr_owner_of(m, self, spawned);

		if (mr_list_has(before, m->dev, m->mrn))
			continue;
		if (o != MR_OWNER_RUN && o != MR_OWNER_EXITED)
			continue;
		if (mr_list_add(out, m)) {
			mr_list_free(out);
			return -ENOMEM;
		}
	}
	return 0;
}

/* "rxe0 mrn 5 len 8M, rxe0 mrn 6 len 4M": as many as fit, then "...". */
static void list_short(const struct mr_list *l, char *buf, size_t len)
{
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		char item[96], sz[32];
		int n = snprintf(item, sizeof(item), "%s%s mrn %u len %s",
				 i ? ", " : "", l->v[i].dev, l->v[i].mrn,
				 format_size(l->v[i].len, sz, sizeof(sz)));

		if (at + (size_t)n + 6 >= len) {
			snprintf(buf + at, len - at, ", ...");
			return;
		}
		memcpy(buf + at, item, (size_t)n + 1);
		at += (size_t)n;
	}
}

/* Everything the tool said about each MR, as many as fit. */
static size_t list_long(const struct mr_list *l, char *buf, size_t len)
{
	size_t at = 0;

	for (size_t i = 0; i < l->n && at < len; i++) {
		const struct mr_entry *m = &l->v[i];

		at += (size_t)snprintf(
			buf + at, len - at,
			"%s%s mrn %u lkey 0x%x rkey 0x%x mrlen %llu pdn %u",
			i ? "; " : "", m->dev, m->mrn, m->lkey, m->rkey,
			(unsigned long long)m->len, m->pdn);
	}
	return at < len ? at : len - 1;
}

void mr_leak_finding(const struct mr_list *l, double t, struct finding *f)
{
	const struct mr_entry *m = &l->v[0];
	char owner[80], mrs[160];
	size_t at;

	memset(f, 0, sizeof(*f));
	f->cls = FC_MR_LEAK;
	f->t = t;
	if (m->has_pid)
		snprintf(owner, sizeof(owner), "pid %d (%s)", (int)m->pid,
			 m->comm[0] ? m->comm : "?");
	else
		snprintf(owner, sizeof(owner), "%s",
			 l->n > 1 ? "exited processes" : "an exited process");
	list_short(l, mrs, sizeof(mrs));
	snprintf(f->title, sizeof(f->title),
		 "mr-leak: %zu MR%s of %s still listed after teardown (%s)",
		 l->n, l->n > 1 ? "s" : "", owner, mrs);
	at = (size_t)snprintf(
		f->detail, sizeof(f->detail),
		"`rdma -j res show mr` still lists, after every MR was deregistered, the device closed and the children reaped (%s): ",
		m->has_pid ? "none listed before the run" :
			     "no pid: the owner has exited");
	if (at < sizeof(f->detail))
		list_long(l, f->detail + at, sizeof(f->detail) - at);
}

/* The entries of l owned like l->v[from], moved into one. */
static int take_owner(struct mr_list *l, size_t from, bool *taken,
		      struct mr_list *one)
{
	const struct mr_entry *m = &l->v[from];

	memset(one, 0, sizeof(*one));
	for (size_t i = from; i < l->n; i++) {
		const struct mr_entry *x = &l->v[i];

		if (taken[i] || x->has_pid != m->has_pid ||
		    (m->has_pid && x->pid != m->pid))
			continue;
		taken[i] = true;
		if (mr_list_add(one, x))
			return -ENOMEM;
	}
	return 0;
}

/*
 * MRs whose owner has exited cannot be told from another process's: they
 * are judged only when no other process has an RDMA device open, which
 * might legitimately keep them (as the pin check does).
 */
static void report(const struct mr_list *leaks, double t,
		   struct finding_list *fl, struct mr_check *res)
{
	bool taken[leaks->n ? leaks->n : 1];
	char who[96] = "";
	unsigned others = pin_count_other_users(who, sizeof(who));

	memset(taken, 0, sizeof(taken));
	for (size_t i = 0; i < leaks->n; i++) {
		struct mr_list one;
		struct finding f;

		if (taken[i])
			continue;
		if (take_owner((struct mr_list *)leaks, i, taken, &one)) {
			str_copy(res->note, sizeof(res->note), "out of memory");
			return;
		}
		if (!one.v[0].has_pid && others) {
			snprintf(
				res->note, sizeof(res->note),
				"%zu MR%s of exited processes still listed, not judged: %u other process%s RDMA (%s)",
				one.n, one.n > 1 ? "s" : "", others,
				others > 1 ? "es use" : " uses", who);
		} else {
			mr_leak_finding(&one, t, &f);
			finding_add(fl, &f);
			res->left += (unsigned)one.n;
		}
		mr_list_free(&one);
	}
}

void mr_watch_begin(struct mr_watch *w)
{
	memset(w, 0, sizeof(*w));
	child_pids_reset();
	w->have_before =
		!mr_track_read(NULL, MR_TRACK_TIMEOUT, &w->before, &w->err);
}

/* Read the list again until no leak is left or the grace time is over. */
static int read_leaks(const struct mr_watch *w, struct mr_list *leaks,
		      struct mrs_err *e)
{
	double end = mono_now() + MR_LEAK_GRACE;
	struct mr_list after;
	int ret;

	for (;;) {
		ret = mr_track_read(NULL, MR_TRACK_TIMEOUT, &after, e);
		if (ret)
			return ret;
		ret = mr_leak_select(&w->before, &after, getpid(),
				     child_pids_has, leaks);
		mr_list_free(&after);
		if (ret)
			return mrs_err_set(e, ENOMEM, "out of memory");
		if (!leaks->n || mono_now() >= end)
			return 0;
		mr_list_free(leaks);
		usleep(100 * 1000);
	}
}

void mr_watch_check(struct mr_watch *w, double t, struct finding_list *fl,
		    struct mr_check *res)
{
	struct mr_list leaks = { 0 };
	struct mrs_err e = { 0 };
	unsigned long dropped = child_pids_dropped();

	memset(res, 0, sizeof(*res));
	if (!w->have_before) {
		str_copy(res->note, sizeof(res->note), w->err.msg);
		return;
	}
	res->listed_before = (unsigned)w->before.n;
	if (read_leaks(w, &leaks, &e)) {
		str_copy(res->note, sizeof(res->note), e.msg);
		goto out;
	}
	res->checked = true;
	report(&leaks, t, fl, res);
	if (dropped && !res->note[0])
		snprintf(
			res->note, sizeof(res->note),
			"%lu child pids beyond the first %d not recorded: MRs still held by live ones are not judged",
			dropped, CHILD_PIDS_MAX);
out:
	mr_list_free(&leaks);
	mr_list_free(&w->before);
}
