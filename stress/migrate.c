// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * migrate: move_pages() of random pages of the range to another NUMA node,
 * alternating between the nodes, while DMA goes on. A long-term pinned
 * page cannot migrate (its reference count is not what migration expects,
 * and pinning already moved it out of movable zones): the pages that did
 * not move are counted and reported as a refusal, not as an error. A page
 * that did move under a pin would leave the MR on the old copy: the CPU
 * view would then show "detached". An ODP MR (7.3 kernels on rxe) has no
 * pin: the mmu notifier invalidates it and the device faults the new page.
 *
 * move_pages(2) through the raw syscall: libnuma would add a dependency
 * for two calls.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "knob.h"
#include "memstat.h"
#include "stressor.h"
#include "units.h"
#include "what.h"

#define MPOL_MF_MOVE (1 << 1)
#define MAX_PAGES 32 /* per step: a refused page costs ~50 ms under TCG */
#define MAX_NODES 64

static const char *const migrate_keys[] = { "nodes", NULL };

struct migrate_state {
	int nodes[MAX_NODES];
	unsigned n_nodes;
	atomic_uint next; /* the node of the next step, round robin */
};

/* Parse "0,1" or "0-3" into nodes; how many, or -1. */
static int parse_nodes(const char *list, int *nodes)
{
	const char *p = list;
	int n = 0;

	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p || a < 0)
			return -1;
		if (*end == '-')
			b = strtol(end + 1, &end, 10);
		for (long i = a; i <= b && n < MAX_NODES; i++)
			nodes[n++] = (int)i;
		if (*end && *end != ',')
			return -1;
		p = end + (*end == ',');
	}
	return n;
}

static int migrate_check_opt(const char *key, const char *val, size_t mr_size,
			     struct mrs_err *e)
{
	int nodes[MAX_NODES];

	(void)mr_size;
	if (!strcmp(key, "nodes") && parse_nodes(val, nodes) < 2)
		return mrs_err_set(
			e, EINVAL,
			"nodes=%s: want two or more nodes (0,1 or 0-3)", val);
	return 0;
}

static int migrate_setup(struct stress_ctx *c, struct mrs_err *e)
{
	const char *want = stress_opt(c, "nodes");
	char online[128] = "0";
	struct migrate_state *s;
	int n;

	knob_read("/sys/devices/system/node/online", online, sizeof(online), e);
	if (memstat_count_list(online) < 2)
		return mrs_err_set(
			e, EOPNOTSUPP,
			"one NUMA node online (%s): nowhere to migrate",
			online);
	s = calloc(1, sizeof(*s));
	if (!s)
		return mrs_err_set(e, ENOMEM, "migrate: out of memory");
	n = parse_nodes(want ? want : online, s->nodes);
	s->n_nodes = n > 0 ? (unsigned)n : 0;
	c->priv = s;
	return 0;
}

static void migrate_teardown(struct stress_ctx *c)
{
	free(c->priv);
	c->priv = NULL;
}

static long move_pages(unsigned long count, void **pages, const int *nodes,
		       int *status)
{
	return syscall(SYS_move_pages, 0, count, pages, nodes, status,
		       MPOL_MF_MOVE);
}

/*
 * The status array of move_pages() says where each page is, or why it
 * could not be looked at; a page that failed to migrate keeps its old
 * node. Ask again (nodes NULL) and count who is not on node.
 */
static unsigned count_stayed(unsigned long n, void **pages, int node,
			     int *status, int *first_err)
{
	unsigned stayed = 0;

	*first_err = 0;
	if (move_pages(n, pages, NULL, status) < 0)
		return 0;
	for (unsigned long i = 0; i < n; i++) {
		if (status[i] == node)
			continue;
		stayed++;
		if (status[i] < 0 && !*first_err)
			*first_err = -status[i];
	}
	return stayed;
}

static int migrate_step(struct stress_ctx *c, struct stress_step *st,
			struct mrs_err *e)
{
	struct migrate_state *s = c->priv;
	struct target *t = c->t;
	size_t page = t->region.page_size;
	void *pages[MAX_PAGES];
	int nodes[MAX_PAGES], status[MAX_PAGES], node, why;
	uint64_t off, len;
	unsigned long n;
	unsigned stayed;
	long ret;
	char o[16];

	stress_rand_range(c, st, &off, &len);
	n = len / page < MAX_PAGES ? len / page : MAX_PAGES;
	node = s->nodes[atomic_fetch_add(&s->next, 1) % s->n_nodes];
	for (unsigned long i = 0; i < n; i++) {
		pages[i] = (char *)t->region.addr + off + i * page;
		nodes[i] = node;
	}
	ret = move_pages(n, pages, nodes, status);
	if (ret < 0)
		return mrs_err_sys(e,
				   "move_pages(%s, %lu pages at %s, node %d)",
				   t->region.desc, n,
				   format_size(off, o, sizeof(o)), node);
	stayed = count_stayed(n, pages, node, status, &why);
	step_what(st, "-> node %d: %lu/%lu moved@%s", node, n - stayed, n,
		  format_size(off, o, sizeof(o)));
	if (!stayed)
		return 0;
	mrs_err_set(
		e, EBUSY,
		"move_pages to node %d: %u of %lu pages of %s did not move (move_pages returned %ld%s%s): pinned pages cannot migrate",
		node, stayed, n, t->region.desc, ret, why ? ", status " : "",
		why ? errno_name(why) : "");
	return -EAGAIN;
}

const struct stressor stressor_migrate = {
	.name = "migrate",
	.help = "move_pages() random pages of the range to the next NUMA node ('nodes', default all online); pages that stay are refusals",
	.keys = migrate_keys,
	.check_opt = migrate_check_opt,
	.setup = migrate_setup,
	.step = migrate_step,
	.teardown = migrate_teardown,
};
