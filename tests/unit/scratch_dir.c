// SPDX-License-Identifier: GPL-2.0-or-later
/* Temporary directories the unit tests write into and remove. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

int unit_dir_remove(const char *dir)
{
	char cmd[1024];

	/* Names come from mkdtemp(): no quote can be in them. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

char unit_dir[] = "/tmp/mrstress-unit-XXXXXX";

int unit_dir_setup(void **state)
{
	(void)state;
	return mkdtemp(unit_dir) ? 0 : -1;
}

int unit_dir_teardown(void **state)
{
	(void)state;
	return unit_dir_remove(unit_dir);
}
