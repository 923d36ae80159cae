// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"

static int parse_port(const char *p, const char *s, uint16_t *port,
		      struct mrs_err *e)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(p, &end, 10);
	if (!*p || *end || errno || v == 0 || v > 65535 || *p == '-' ||
	    *p == '+')
		return mrs_err_set(e, EINVAL,
				   "'%s': bad port '%s' (want 1-65535)", s, p);
	*port = (uint16_t)v;
	return 0;
}

static int check_addr(const char *a, const char *s, struct mrs_err *e)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, a, buf) == 1 || inet_pton(AF_INET6, a, buf) == 1)
		return 0;
	return mrs_err_set(
		e, EINVAL,
		"'%s': bad address '%s' (want an IPv4 or IPv6 address, e.g. 192.168.1.2:%d or [fe80::1]:%d)",
		s, a, ENDPOINT_DEFAULT_PORT, ENDPOINT_DEFAULT_PORT);
}

/* Split s into addr and port text; port is NULL when there is none. */
static int split(const char *s, char *addr, size_t len, const char **port,
		 struct mrs_err *e)
{
	const char *colon = strrchr(s, ':');
	size_t n;

	*port = NULL;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || (close[1] && close[1] != ':'))
			return mrs_err_set(e, EINVAL, "'%s': want [IPv6]:PORT",
					   s);
		n = (size_t)(close - s - 1);
		if (close[1] == ':')
			*port = close + 2;
		s++;
	} else if (colon && strchr(s, ':') == colon) {
		/* One colon: IPv4 with a port; more: a bare IPv6 address. */
		n = (size_t)(colon - s);
		*port = colon + 1;
	} else {
		n = strlen(s);
	}
	if (n == 0 || n >= len)
		return mrs_err_set(e, EINVAL, "'%s': %s address", s,
				   n ? "too long an" : "no");
	memcpy(addr, s, n);
	addr[n] = '\0';
	return 0;
}

int endpoint_parse(const char *s, struct endpoint *ep, struct mrs_err *e)
{
	const char *port;
	int ret;

	memset(ep, 0, sizeof(*ep));
	ep->port = ENDPOINT_DEFAULT_PORT;
	ret = split(s, ep->addr, sizeof(ep->addr), &port, e);
	if (!ret)
		ret = check_addr(ep->addr, s, e);
	if (!ret && port)
		ret = parse_port(port, s, &ep->port, e);
	return ret;
}

int endpoint_resolve(const struct endpoint *ep, bool passive,
		     struct addrinfo **ai, struct mrs_err *e)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST |
					      (passive ? AI_PASSIVE : 0),
				  .ai_socktype = SOCK_STREAM };
	char port[8];
	int ret;

	snprintf(port, sizeof(port), "%u", ep->port);
	ret = getaddrinfo(ep->addr, port, &hints, ai);
	if (ret)
		return mrs_err_set(e, EINVAL, "%s:%u: %s", ep->addr, ep->port,
				   gai_strerror(ret));
	return 0;
}
