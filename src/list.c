// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backing.h"
#include "list.h"
#include "scenario.h"
#include "stressor.h"

static void list_backings(FILE *f)
{
	const struct backing *b;
	size_t i;

	fprintf(f, "memory backings:\n");
	for_each_backing(b, i)
		fprintf(f, "  %-14s %s\n", b->name, b->help);
}

static void list_stressors(FILE *f)
{
	const struct stressor *s;
	size_t i;

	fprintf(f, "stressors:\n");
	for_each_stressor(s, i) {
		fprintf(f, "  %-14s %s\n", s->name, s->help);
		for (const char *const *k = s->keys; k && *k; k++)
			fprintf(f, "%s%s",
				k == s->keys ? "                 keys: " : ", ",
				*k);
		if (s->keys && *s->keys)
			fputc('\n', f);
	}
	if (!i)
		fprintf(f, "  (none in this build)\n");
}

/* One file: its name and description, or why it would not run. */
static void list_file(FILE *f, const char *dir, const char *file,
		      struct scenario *sc)
{
	char path[PATH_MAX + 256];
	struct mrs_err e = { 0 };

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (scenario_load(sc, path, &e)) {
		fprintf(f, "    %-20s INVALID: %s\n", file, e.msg);
		return;
	}
	fprintf(f, "    %-20s %s\n", sc->spec.name,
		sc->spec.description[0] ? sc->spec.description :
					  "(no description)");
}

static int is_scn(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 4 && !strcmp(d->d_name + len - 4, ".scn");
}

static unsigned list_dir(FILE *f, const char *dir)
{
	struct scenario *sc = malloc(sizeof(*sc));
	struct dirent **names;
	int n = sc ? scandir(dir, &names, is_scn, alphasort) : -1;

	if (n > 0)
		fprintf(f, "  %s:\n", dir);
	for (int i = 0; i < n; i++) {
		list_file(f, dir, names[i]->d_name, sc);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	free(sc);
	return n > 0 ? (unsigned)n : 0;
}

/* Scenario files: $MRSTRESS_SCENARIOS, then beside a build, then installed. */
static void list_scenarios(FILE *f)
{
	const char *env = getenv("MRSTRESS_SCENARIOS");
	char exe[PATH_MAX], dir[PATH_MAX + 16];
	unsigned found = 0;
	ssize_t n;

	fprintf(f, "scenario files:\n");
	if (env && *env)
		found += list_dir(f, env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		snprintf(dir, sizeof(dir), "%s/../scenarios", exe);
		if (access(dir, R_OK) == 0 && realpath(dir, exe))
			found += list_dir(f, exe);
	}
	found += list_dir(f, SCENARIODIR);
	if (!found)
		fprintf(f,
			"  (none found; searched $MRSTRESS_SCENARIOS, the build tree and %s)\n",
			SCENARIODIR);
}

void list_print(FILE *f)
{
	list_backings(f);
	list_stressors(f);
	list_scenarios(f);
}
