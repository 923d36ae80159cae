/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_MACHINE_H
#define MRS_MACHINE_H

#include <stdbool.h>
#include <stddef.h>

#include "device.h"
#include "expect.h"

/*
 * The machine a run is on, as expectations ask about it: the kernel
 * release and the capabilities of enum expect_cap. Read once at the start
 * of a run, before its memory is built (hugetlb MRs take free huge pages).
 */
void machine_sample(struct expect_env *env, char *release, size_t len);

/* ODP is the device's to say, known once it is open. */
void machine_set_device(struct expect_env *env, const struct device_info *d);

/* Nodes in a sysfs node list such as "0-1,3" (3). */
unsigned node_list_count(const char *list);

/* THP's "always [madvise] never": enabled unless [never] is chosen. */
bool thp_mode_enabled(const char *text);

#endif
