// SPDX-License-Identifier: GPL-2.0-or-later
/* The report formats: adding one is a file and a line here. */
#include <string.h>

#include "report.h"

extern const struct reporter reporter_text, reporter_json, reporter_ktap,
	reporter_junit;

const struct reporter *const reporters[] = {
	&reporter_text, &reporter_json, &reporter_ktap, &reporter_junit, NULL,
};

const struct reporter *reporter_find(const char *name)
{
	for (unsigned i = 0; reporters[i]; i++)
		if (!strcmp(reporters[i]->name, name))
			return reporters[i];
	return NULL;
}
