// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "device.h"

/* Spelt as the rdma tool and sysfs spell them. */
static const char *port_state_name(enum ibv_port_state s)
{
	switch (s) {
	case IBV_PORT_DOWN:
		return "DOWN";
	case IBV_PORT_INIT:
		return "INIT";
	case IBV_PORT_ARMED:
		return "ARMED";
	case IBV_PORT_ACTIVE:
		return "ACTIVE";
	case IBV_PORT_ACTIVE_DEFER:
		return "ACTIVE_DEFER";
	default:
		return "NOP";
	}
}

static const char *atomic_cap_name(enum ibv_atomic_cap c)
{
	switch (c) {
	case IBV_ATOMIC_HCA:
		return "hca";
	case IBV_ATOMIC_GLOB:
		return "global";
	default:
		return "none";
	}
}

static const char *gid_type_name(uint32_t t)
{
	switch (t) {
	case IBV_GID_TYPE_IB:
		return "IB";
	case IBV_GID_TYPE_ROCE_V1:
		return "RoCE v1";
	case IBV_GID_TYPE_ROCE_V2:
		return "RoCE v2";
	default:
		return "unknown";
	}
}

static bool gid_is_ipv4_mapped(const union ibv_gid *g)
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0,    0,
					    0, 0, 0, 0, 0xff, 0xff };

	return !memcmp(g->raw, prefix, sizeof(prefix));
}

/* Ranks a GID for loopback RC: RoCE v2 over IPv4 first, as rxe wants it. */
static int gid_rank(const struct ibv_gid_entry *g)
{
	if (g->gid_type == IBV_GID_TYPE_ROCE_V2 && gid_is_ipv4_mapped(&g->gid))
		return 3;
	if (g->gid_type == IBV_GID_TYPE_ROCE_V2)
		return 2;
	return 1;
}

/* Keeps g in *best when it ranks higher, or as high at a lower index. */
static void gid_consider(const struct ibv_gid_entry *g,
			 struct ibv_gid_entry *best, int *best_rank)
{
	int rank = gid_rank(g);

	if (rank > *best_rank ||
	    (rank == *best_rank && g->gid_index < best->gid_index)) {
		*best = *g;
		*best_rank = rank;
	}
}

/*
 * The whole table in one call: asking for each of rxe's 1024 slots in
 * turn is 1024 system calls, a third of mrstress's start-up under TCG
 * (scripts/bench). Returns how many entries, or -1 where the kernel or
 * library lacks the call.
 */
static ssize_t gid_table(struct rdma_dev *d, unsigned n_ports,
			 struct ibv_gid_entry **out)
{
	size_t n = (size_t)d->info.gid_tbl_len * n_ports;
	ssize_t got;

	*out = mrs_calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return -1;
	got = ibv_query_gid_table(d->ctx, *out, n, 0);
	if (got < 0) {
		free(*out);
		*out = NULL;
	}
	return got;
}

static int pick_gid(struct rdma_dev *d, unsigned n_ports, struct mrs_err *e)
{
	struct device_info *in = &d->info;
	struct ibv_gid_entry g, best = { 0 }, *table;
	int best_rank = 0;
	ssize_t n = gid_table(d, n_ports, &table);

	for (ssize_t i = 0; i < n; i++)
		if (table[i].port_num == in->port)
			gid_consider(&table[i], &best, &best_rank);
	free(table);
	for (int i = 0; n < 0 && i < in->gid_tbl_len; i++) {
		if (ibv_query_gid_ex(d->ctx, in->port, (uint32_t)i, &g, 0))
			continue; /* empty slot */
		gid_consider(&g, &best, &best_rank);
	}
	if (!best_rank)
		return mrs_err_set(e, ENOENT, "%s port %u: no usable GID",
				   in->name, in->port);
	in->gid_index = (int)best.gid_index;
	d->gid = best.gid;
	inet_ntop(AF_INET6, best.gid.raw, in->gid, sizeof(in->gid));
	in->gid_type = gid_type_name(best.gid_type);
	if (!best.ndev_ifindex ||
	    !if_indextoname(best.ndev_ifindex, in->netdev))
		in->netdev[0] = '\0';
	return 0;
}

static void fill_device_info(struct device_info *in,
			     const struct ibv_device_attr_ex *ax)
{
	const struct ibv_device_attr *a = &ax->orig_attr;
	uint64_t guid = be64toh(a->node_guid);

	snprintf(in->fw_ver, sizeof(in->fw_ver), "%s", a->fw_ver);
	snprintf(in->node_guid, sizeof(in->node_guid), "%04x:%04x:%04x:%04x",
		 (unsigned)(guid >> 48) & 0xffff,
		 (unsigned)(guid >> 32) & 0xffff,
		 (unsigned)(guid >> 16) & 0xffff, (unsigned)guid & 0xffff);
	in->vendor_id = a->vendor_id;
	in->vendor_part_id = a->vendor_part_id;
	in->hw_ver = a->hw_ver;
	in->max_mr_size = a->max_mr_size;
	in->page_size_cap = a->page_size_cap;
	in->max_qp = a->max_qp;
	in->max_qp_wr = a->max_qp_wr;
	in->max_sge = a->max_sge;
	in->max_cq = a->max_cq;
	in->max_cqe = a->max_cqe;
	in->max_mr = a->max_mr;
	in->max_pd = a->max_pd;
	in->max_mw = a->max_mw;
	in->atomic_cap = atomic_cap_name(a->atomic_cap);
	in->mem_window = a->device_cap_flags & IBV_DEVICE_MEM_WINDOW;
	in->odp_general_caps = ax->odp_caps.general_caps;
	in->odp_rc_caps = ax->odp_caps.per_transport_caps.rc_odp_caps;
	in->odp_uc_caps = ax->odp_caps.per_transport_caps.uc_odp_caps;
	in->odp_ud_caps = ax->odp_caps.per_transport_caps.ud_odp_caps;
}

static void fill_port_info(struct device_info *in,
			   const struct ibv_port_attr *p)
{
	in->port_state = port_state_name(p->state);
	in->link_layer = p->link_layer == IBV_LINK_LAYER_ETHERNET ?
				 "Ethernet" :
				 "InfiniBand";
	in->active_mtu = 128 << p->active_mtu;
	in->max_mtu = 128 << p->max_mtu;
	in->gid_tbl_len = p->gid_tbl_len;
}

/* First port in state ACTIVE, 0 when there is none. */
static uint8_t active_port(struct ibv_context *ctx, uint8_t nports,
			   struct ibv_port_attr *pa)
{
	for (uint8_t p = 1; p <= nports; p++)
		if (!ibv_query_port(ctx, p, pa) && pa->state == IBV_PORT_ACTIVE)
			return p;
	return 0;
}

/* Opens dev and fills d; -ENODEV when the device has no ACTIVE port. */
static int try_device(struct ibv_device *dev, struct rdma_dev *d,
		      struct mrs_err *e)
{
	struct ibv_device_attr_ex ax;
	struct ibv_port_attr pa;
	const char *name = ibv_get_device_name(dev);

	d->ctx = fault_fire(FAULT_RDMA_OPEN) ? NULL : ibv_open_device(dev);
	if (!d->ctx)
		return mrs_err_sys(e, "ibv_open_device(%s)", name);
	snprintf(d->info.name, sizeof(d->info.name), "%s", name);
	memset(&ax, 0, sizeof(ax));
	if (ibv_query_device_ex(d->ctx, NULL, &ax))
		return mrs_err_sys(e, "ibv_query_device_ex(%s)", name);
	fill_device_info(&d->info, &ax);
	d->info.port = active_port(d->ctx, ax.orig_attr.phys_port_cnt, &pa);
	if (!d->info.port)
		return mrs_err_set(e, ENODEV, "%s: no port is ACTIVE", name);
	fill_port_info(&d->info, &pa);
	d->mtu = pa.active_mtu;
	d->max_rd_atomic = (uint8_t)(ax.orig_attr.max_qp_rd_atom < 16 ?
					     ax.orig_attr.max_qp_rd_atom :
					     16);
	return pick_gid(d, ax.orig_attr.phys_port_cnt, e);
}

static int open_from_list(struct ibv_device **list, int n, const char *name,
			  struct rdma_dev *d, struct mrs_err *e)
{
	struct mrs_err last = { 0 };
	int ret;

	for (int i = 0; i < n; i++) {
		if (name && strcmp(ibv_get_device_name(list[i]), name))
			continue;
		ret = try_device(list[i], d, e);
		if (!ret || name)
			return ret;
		last = *e;
		rdma_dev_close(d);
	}
	if (name)
		return mrs_err_set(e, ENODEV, "no RDMA device named %s", name);
	/* Why the last one could not be used says what to look at. */
	ret = mrs_err_set(e, ENODEV,
			  "none of the %d RDMA devices can be used: %s", n,
			  last.msg);
	e->injected = last.injected;
	return ret;
}

int rdma_dev_open(const char *name, struct rdma_dev *d, struct mrs_err *e)
{
	struct ibv_device **list;
	int n = 0, ret;

	memset(d, 0, sizeof(*d));
	list = ibv_get_device_list(&n);
	if (!list || !n) {
		if (list)
			ibv_free_device_list(list);
		return mrs_err_set(
			e, ENODEV,
			"no RDMA device found. Create a soft-RoCE device (modprobe rdma_rxe; rdma link add rxe0 type rxe netdev ETH) or run under scripts/mrstress-vm, which sets one up");
	}
	ret = open_from_list(list, n, name, d, e);
	ibv_free_device_list(list);
	if (ret)
		goto fail;
	d->pd = fault_fire(FAULT_RDMA_ALLOC_PD) ? NULL : ibv_alloc_pd(d->ctx);
	if (!d->pd) {
		ret = mrs_err_sys(e, "ibv_alloc_pd(%s)", d->info.name);
		goto fail;
	}
	return 0;
fail:
	rdma_dev_close(d);
	return ret;
}

void rdma_dev_close(struct rdma_dev *d)
{
	if (d->pd)
		ibv_dealloc_pd(d->pd);
	d->pd = NULL;
	if (d->ctx)
		ibv_close_device(d->ctx);
	d->ctx = NULL;
}

unsigned odp_transport_cap_names(uint32_t caps, const char **names,
				 unsigned max)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} bits[] = {
		{ IBV_ODP_SUPPORT_SEND, "send" },
		{ IBV_ODP_SUPPORT_RECV, "recv" },
		{ IBV_ODP_SUPPORT_WRITE, "write" },
		{ IBV_ODP_SUPPORT_READ, "read" },
		{ IBV_ODP_SUPPORT_ATOMIC, "atomic" },
		{ IBV_ODP_SUPPORT_SRQ_RECV, "srq_recv" },
	};
	unsigned n = 0;

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]) && n < max; i++)
		if (caps & bits[i].bit)
			names[n++] = bits[i].name;
	return n;
}
