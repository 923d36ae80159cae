/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_ENDPOINT_H
#define MRS_ENDPOINT_H

#include <netdb.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* The port --listen and --connect use when ADDR has none. */
#define ENDPOINT_DEFAULT_PORT 7471

/* ADDR[:PORT] of --listen and --connect, as numbers only. */
struct endpoint {
	char addr[64]; /* an IPv4 or IPv6 address in text form */
	uint16_t port;
};

/*
 * Parse "10.0.0.1", "10.0.0.1:7000", "fe80::1" or "[fe80::1]:7000". Names
 * are refused: the address picks the RDMA device, so it must be exact.
 * Pure; returns 0 or -EINVAL with e saying what is wrong.
 */
int endpoint_parse(const char *s, struct endpoint *ep, struct mrs_err *e);
/*
 * The socket address of a parsed endpoint, for rdma_bind_addr() (passive)
 * or rdma_resolve_addr(); freeaddrinfo() it.
 */
int endpoint_resolve(const struct endpoint *ep, bool passive,
		     struct addrinfo **ai, struct mrs_err *e);

#endif
