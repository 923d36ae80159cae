// SPDX-License-Identifier: GPL-2.0-or-later
/* --replay: run a bundle again and say whether its findings came back. */
#include <string.h>

#include "replay.h"

int replay_load(struct replay *r, const char *dir, struct mrs_err *e)
{
	int ret = bundle_read(dir, &r->bundle, e);

	for (unsigned i = 0; !ret && i < r->bundle.n; i++)
		r->paths[i] = r->bundle.v[i].scenario;
	return ret;
}

void replay_judge(struct plan_run *pr, unsigned i, void *arg)
{
	const struct replay *r = arg;
	const struct bundle_scenario_in *want = &r->bundle.v[i];
	struct scenario_outcome *o = &pr->v[i];
	const struct finding_list *fl = &o->res->findings;
	struct finding_key got[BUNDLE_MAX_KEYS];
	char missing[200], new_keys[200];
	unsigned n = 0;

	for (size_t k = 0; k < fl->n; k++)
		finding_keys_add(got, &n, BUNDLE_MAX_KEYS, fl->v[k].cls,
				 fl->v[k].mr, fl->v[k].covered);
	o->replayed = true;
	o->replay_same = finding_keys_same(want, got, n, missing,
					   sizeof(missing), new_keys,
					   sizeof(new_keys));
	if (!want->any_unexpected)
		snprintf(o->replay, sizeof(o->replay),
			 "%s: %s recorded nothing unexpected%s%s",
			 o->replay_same ? "the same" : "NOT the same",
			 want->dir, new_keys[0] ? ", now: " : "", new_keys);
	else if (o->replay_same)
		snprintf(o->replay, sizeof(o->replay),
			 "the same findings came back (as in %s)%s%s",
			 want->dir, new_keys[0] ? "; new too: " : "", new_keys);
	else
		snprintf(o->replay, sizeof(o->replay),
			 "NOT the same as %s: missing %s%s%s", want->dir,
			 missing, new_keys[0] ? "; new: " : "", new_keys);
}
