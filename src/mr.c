// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fault.h"
#include "mr.h"

const char *mr_access_name(unsigned access, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		const char *name;
	} bits[] = {
		{ IBV_ACCESS_LOCAL_WRITE, "LOCAL_WRITE" },
		{ IBV_ACCESS_REMOTE_WRITE, "REMOTE_WRITE" },
		{ IBV_ACCESS_REMOTE_READ, "REMOTE_READ" },
		{ IBV_ACCESS_REMOTE_ATOMIC, "REMOTE_ATOMIC" },
		{ IBV_ACCESS_MW_BIND, "MW_BIND" },
		{ IBV_ACCESS_ON_DEMAND, "ON_DEMAND" },
	};
	size_t n = 0;

	if (access == MR_ACCESS_RW)
		return snprintf(buf, len, "rw"), buf;
	if (access == MR_ACCESS_RO)
		return snprintf(buf, len, "ro"), buf;
	if (access == MR_ACCESS_ODP)
		return snprintf(buf, len, "odp"), buf;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (!(access & bits[i].bit))
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "|" : "", bits[i].name);
	}
	if (!n)
		snprintf(buf, len, "LOCAL_READ");
	return buf;
}

struct ibv_mr *mr_register(struct ibv_pd *pd, const struct region *r,
			   unsigned access, struct mrs_err *e)
{
	struct ibv_mr *mr;
	char acc[96];

	errno = 0;
	mr = fault_fire(FAULT_RDMA_REG_MR) ?
		     NULL :
		     ibv_reg_mr(pd, r->addr, r->len, (int)access);
	if (!mr) {
		/* Providers return NULL with errno set; never report "Success". */
		if (!errno)
			errno = EIO;
		mrs_err_sys(e, "reg_mr(%s, %s)", r->desc,
			    mr_access_name(access, acc, sizeof(acc)));
	}
	return mr;
}
