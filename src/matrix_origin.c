// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where a matrix page was rendered: the tool's version and the host's
 * uname, for the header line of every output.
 */
#include <stdio.h>
#include <sys/utsname.h>

#include "matrix.h"

void matrix_origin(char *buf, size_t len)
{
	struct utsname u;

	if (uname(&u))
		snprintf(buf, len, "%s %s on an unknown host", PACKAGE_NAME,
			 PACKAGE_VERSION);
	else
		snprintf(buf, len, "%s %s on %s (%s %s %s)", PACKAGE_NAME,
			 PACKAGE_VERSION, u.nodename, u.sysname, u.release,
			 u.machine);
}
