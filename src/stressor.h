/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_STRESSOR_H
#define MRS_STRESSOR_H

#include <stddef.h>

/*
 * A stressor races one kind of kernel activity (fsync, truncate, reclaim...)
 * against DMA. Each is one file in stress/ exporting one descriptor;
 * stress/registry.c lists them. The engine never names a concrete one.
 */
struct stressor {
	const char *name;
	const char *help;
};

extern const struct stressor *const stressors[];

#define for_each_stressor(s, i) \
	for ((i) = 0; ((s) = stressors[(i)]) != NULL; (i)++)

#endif
