// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the kernel log parser: any bytes, fed whole and in
 * pieces, must parse without crashing, reading out of bounds or leaking,
 * and give the same reports both ways.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kmsg_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_same(const struct kmsg_report_list *a,
		       const struct kmsg_report_list *b)
{
	if (a->n != b->n || a->dropped != b->dropped)
		abort();
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i]->title, b->v[i]->title) ||
		    a->v[i]->count != b->v[i]->count ||
		    a->v[i]->text_len != strlen(a->v[i]->text))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kmsg_parser p;
	struct kmsg_report_list whole, pieces;
	/* The first byte picks the piece size: reads split anywhere. */
	size_t step = size ? (size_t)data[0] % 17 + 1 : 1;

	kmsg_report_list_init(&whole);
	kmsg_parse_buffer((const char *)data, size, &whole);
	kmsg_report_list_init(&pieces);
	kmsg_parser_init(&p, &pieces);
	for (size_t i = 0; i < size; i += step)
		kmsg_parser_feed(&p, (const char *)data + i,
				 size - i < step ? size - i : step);
	kmsg_parser_finish(&p);
	check_same(&whole, &pieces);
	kmsg_report_list_free(&whole);
	kmsg_report_list_free(&pieces);
	return 0;
}
