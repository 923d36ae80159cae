// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mrstress --connect: the initiator of two-host mode. One thread per
 * connection (the target has one per DMA thread); the first connection's
 * hello says how many there are. At the end a short report of what went
 * through here; the target's report is the authoritative one.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "exit_status.h"
#include "initiator.h"
#include "units.h"

#define CONNECT_TIMEOUT 60.0 /* the target may still be building MRs */

void initiator_hello(struct initiator *ini, unsigned total)
{
	pthread_mutex_lock(&ini->lock);
	ini->total = total ? total : 1;
	pthread_cond_broadcast(&ini->cond);
	pthread_mutex_unlock(&ini->lock);
}

static int start_conn(struct initiator *ini, unsigned i)
{
	struct ini_conn *c = &ini->conns[i];

	c->ini = ini;
	c->index = i;
	if (pthread_create(&c->thread, NULL, ini_conn_main, c)) {
		snprintf(c->error, sizeof(c->error), "pthread_create failed");
		c->status = MRS_EXIT_HARNESS;
		return -1;
	}
	c->started = true;
	return 0;
}

static unsigned wait_total(struct initiator *ini)
{
	unsigned total;

	pthread_mutex_lock(&ini->lock);
	while (!ini->total)
		pthread_cond_wait(&ini->cond, &ini->lock);
	total = ini->total;
	pthread_mutex_unlock(&ini->lock);
	return total < WIRE_MAX_CONNS ? total : WIRE_MAX_CONNS;
}

static void print_text(const struct initiator *ini, unsigned n)
{
	struct wire_final t = { 0 };
	char size[32];

	printf("mrstress initiator: target %s:%u, %u connection%s\n",
	       ini->ep.addr, ini->ep.port, n, n == 1 ? "" : "s");
	for (unsigned i = 0; i < n; i++) {
		const struct ini_conn *c = &ini->conns[i];

		printf("  %-14s %-10s write %8llu  read %8llu  %10s  errors %llu  reconnects %llu%s%s\n",
		       c->hello.dma_name, c->hello.mr_name,
		       (unsigned long long)c->counts.ops[0],
		       (unsigned long long)c->counts.ops[1],
		       format_size(c->counts.bytes, size, sizeof(size)),
		       (unsigned long long)c->counts.errors,
		       (unsigned long long)c->reconnects,
		       c->status ? "  FAILED: " : "",
		       c->status ? c->error : "");
		t.ops[0] += c->counts.ops[0];
		t.ops[1] += c->counts.ops[1];
		t.bytes += c->counts.bytes;
		t.errors += c->counts.errors;
	}
	printf("total: write %llu, read %llu ops, %s, %llu errors\n",
	       (unsigned long long)t.ops[0], (unsigned long long)t.ops[1],
	       format_size(t.bytes, size, sizeof(size)),
	       (unsigned long long)t.errors);
}

static json_t *conn_json(const struct ini_conn *c)
{
	return json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s}",
			 "index", (int)c->index, "dma", c->hello.dma_name, "mr",
			 c->hello.mr_name, "write",
			 (json_int_t)c->counts.ops[0], "read",
			 (json_int_t)c->counts.ops[1], "bytes",
			 (json_int_t)c->counts.bytes, "errors",
			 (json_int_t)c->counts.errors, "reconnects",
			 (json_int_t)c->reconnects, "error", c->error);
}

static int write_json(FILE *f, void *arg)
{
	json_t *j = arg;

	return json_dumpf(j, f, JSON_INDENT(2)) || fputc('\n', f) == EOF ?
		       -EIO :
		       0;
}

static int print_json(const struct initiator *ini, unsigned n, int status,
		      const char *file)
{
	json_t *conns = json_array(), *j;
	struct mrs_err e = { 0 };
	int ret = 0;

	for (unsigned i = 0; i < n; i++)
		json_array_append_new(conns, conn_json(&ini->conns[i]));
	j = json_pack("{s:s, s:i, s:i, s:o}", "target", ini->ep.addr, "port",
		      (int)ini->ep.port, "status", status, "connections",
		      conns);
	if (!j)
		return -ENOMEM;
	if (file)
		ret = atomic_file_write(file, write_json, j, &e);
	else
		ret = write_json(stdout, j);
	if (ret)
		fprintf(stderr, "mrstress: --json %s: %s\n",
			file ? file : "stdout", e.msg);
	json_decref(j);
	return ret;
}

int initiator_main(const struct endpoint *ep, const char *json_file, bool json)
{
	struct initiator *ini = calloc(1, sizeof(*ini));
	int status = MRS_EXIT_OK;
	unsigned n;

	if (!ini) {
		fprintf(stderr, "mrstress: out of memory\n");
		return MRS_EXIT_HARNESS;
	}
	ini->ep = *ep;
	ini->connect_timeout = CONNECT_TIMEOUT;
	pthread_mutex_init(&ini->lock, NULL);
	pthread_cond_init(&ini->cond, NULL);
	if (start_conn(ini, 0))
		initiator_hello(ini, 1);
	n = wait_total(ini);
	for (unsigned i = 1; i < n; i++)
		start_conn(ini, i);
	for (unsigned i = 0; i < n; i++) {
		struct ini_conn *c = &ini->conns[i];

		if (c->started)
			pthread_join(c->thread, NULL);
		if (c->status) {
			fprintf(stderr, "mrstress: %s\n", c->error);
			if (c->status > status)
				status = c->status;
		}
	}
	if (!json || json_file)
		print_text(ini, n);
	if (json && print_json(ini, n, status, json_file))
		status = MRS_EXIT_HARNESS;
	free(ini);
	return status;
}
