/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MRS_KCONFIG_H
#define MRS_KCONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "error.h"

/*
 * The kernel a run happened on, for a bug report: its release, its build
 * (uname -v) and the configuration options a reader of an RDMA, memory
 * management or filesystem bug asks for first (the table in kconfig.c).
 */
#define KCONFIG_MAX 192

struct kconfig_opt {
	char name[48]; /* without CONFIG_: "RDMA_RXE" */
	char value[80]; /* "y", "m", "n" (is not set), a number, "\"str\"" */
};

struct kconfig {
	char release[65]; /* uname -r */
	char version[128]; /* uname -v: the build, "#1 SMP ... Debian 6.1.158-1" */
	char source[PATH_MAX]; /* where the options came from, "" none */
	char header[96]; /* "Linux/x86 6.1.192 Kernel Configuration", or "" */
	char note[560]; /* why there are none: "not available: ..." */
	unsigned n;
	struct kconfig_opt v[KCONFIG_MAX];
};

/* An option of the table: exact names, or prefixes where it ends in '*'. */
bool kconfig_wanted(const char *name);
/*
 * Take one line of a .config: "CONFIG_X=v" and "# CONFIG_X is not set"
 * (as "n") are kept when the table wants X; anything else is ignored.
 * The header comment ("# Linux/x86 ... Kernel Configuration") is kept.
 */
void kconfig_parse_line(struct kconfig *k, const char *line);
/* The value of an option kept, NULL when not kept. */
const char *kconfig_get(const struct kconfig *k, const char *name);

/*
 * Read the configuration of the running kernel of this release: from
 * /proc/config.gz, /boot/config-RELEASE, /lib/modules/RELEASE/config, or
 * the file $MRSTRESS_KERNEL_CONFIG names (mrstress-vm points it at the
 * config of a kernel it booted from its cache; a file whose header names
 * another kernel series is refused). release NULL: uname's. Finding none
 * is not an error: k->source is "" and k->note says what was tried.
 * Returns 0, or a negative errno with e set (and k->note) when a config
 * file was there but could not be read.
 */
int kconfig_read(struct kconfig *k, const char *release, struct mrs_err *e);

/* Iterate: for (i = 0; i < k->n; i++) k->v[i]. kernel.txt's body: */
void kconfig_print(FILE *f, const struct kconfig *k);

#endif
