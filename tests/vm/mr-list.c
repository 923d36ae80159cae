// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mr-list: print the kernel's list of live MRs as mrstress reads it
 * (src/mr_track.c running `rdma -j res show mr`), one line per MR with the
 * owner mrstress would see, so that the VM tests can check the reader
 * against the real kernel. Exit 0, or 1 with the reader's error.
 */
#include <stdio.h>
#include <unistd.h>

#include "mr_leak.h"
#include "mr_track.h"

static const char *const owner_names[] = {
	[MR_OWNER_OTHER] = "other",
	[MR_OWNER_KERNEL] = "kernel",
	[MR_OWNER_RUN] = "self",
	[MR_OWNER_EXITED] = "exited",
};

int main(void)
{
	struct mrs_err e = { 0 };
	struct mr_list l;

	if (mr_track_read(NULL, MR_TRACK_TIMEOUT, &l, &e)) {
		fprintf(stderr, "mr-list: %s\n", e.msg);
		return 1;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct mr_entry *m = &l.v[i];
		char pid[16] = "-";

		if (m->has_pid)
			snprintf(pid, sizeof(pid), "%d", (int)m->pid);
		printf("%s mrn %u len %llu lkey 0x%x rkey 0x%x pdn %u pid %s comm %s owner %s\n",
		       m->dev, m->mrn, (unsigned long long)m->len, m->lkey,
		       m->rkey, m->pdn, pid, m->comm[0] ? m->comm : "-",
		       owner_names[mr_owner_of(m, getpid(), NULL)]);
	}
	printf("%zu MRs\n", l.n);
	mr_list_free(&l);
	return 0;
}
