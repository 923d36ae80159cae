// SPDX-License-Identifier: GPL-2.0-or-later
/* Temporary directories the unit tests write into and remove. */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

int unit_dir_remove(const char *dir)
{
	char cmd[1024];

	/* Names come from mkdtemp(): no quote can be in them. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}
