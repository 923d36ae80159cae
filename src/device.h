/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_DEVICE_H
#define MRS_DEVICE_H

#include <infiniband/verbs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* What was learnt about a device and port, as plain data for reports. */
struct device_info {
	char name[IBV_SYSFS_NAME_MAX];
	char fw_ver[64];
	char node_guid[24];
	uint32_t vendor_id, vendor_part_id, hw_ver;
	uint64_t max_mr_size, page_size_cap;
	int max_qp, max_qp_wr, max_sge, max_cq, max_cqe, max_mr, max_pd, max_mw;
	const char *atomic_cap; /* "none", "hca", "global" */
	bool mem_window; /* IBV_DEVICE_MEM_WINDOW in device_cap_flags */
	uint8_t port;
	const char *port_state;
	const char *link_layer;
	int active_mtu, max_mtu; /* bytes */
	int gid_tbl_len;
	int gid_index;
	char gid[INET6_ADDRSTRLEN];
	const char *gid_type; /* "IB", "RoCE v1", "RoCE v2" */
	char netdev[IF_NAMESIZE];
	/* On-demand paging as the device advertises it (ibv_query_device_ex). */
	uint64_t odp_general_caps;
	uint32_t odp_rc_caps, odp_uc_caps, odp_ud_caps;
};

struct rdma_dev {
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct device_info info;
	/* What connecting a QP needs, in verbs' own types. */
	union ibv_gid gid;
	enum ibv_mtu mtu;
	uint8_t max_rd_atomic; /* outstanding RDMA READ/atomics per QP */
};

/*
 * Open the device called name, or the first one with an ACTIVE port when
 * name is NULL, and allocate a PD. -ENODEV means there is no usable RDMA
 * device (none at all, none of that name, no ACTIVE port): a skip.
 */
int rdma_dev_open(const char *name, struct rdma_dev *d, struct mrs_err *e);
void rdma_dev_close(struct rdma_dev *d);

/* Names of ODP capability bits, for reports: fills names[], returns count. */
unsigned odp_transport_cap_names(uint32_t caps, const char **names,
				 unsigned max);

#endif
