/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_MEMSTAT_H
#define MRS_MEMSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * Counters the memory stressors report in their steps: /proc/meminfo
 * ("MemAvailable", in bytes), /proc/vmstat ("nr_dirty", a count) and
 * one-number files such as /sys/kernel/mm/ksm/pages_shared.
 */

/*
 * In TEXT of /proc/meminfo or /proc/vmstat form ("Name: 123 kB" or
 * "name 123"), the value of NAME; a "kB" unit is turned into bytes. Pure,
 * so that tests can feed it text. 0, or -ENOENT when NAME is absent.
 */
int memstat_parse(const char *text, const char *name, uint64_t *val);

/* NAME's value in the file at PATH (/proc/meminfo, /proc/vmstat). */
int memstat_read(const char *path, const char *name, uint64_t *val,
		 struct mrs_err *e);

/* MemAvailable in bytes, 0 when it cannot be read. */
uint64_t memstat_available(void);

/* The number in a one-number file (sysfs, cgroupfs): 0 when unreadable. */
uint64_t memstat_file_u64(const char *path);

/* How many numbers a list such as "0-1,3" (a NUMA node list) names. */
unsigned memstat_count_list(const char *list);

#endif
