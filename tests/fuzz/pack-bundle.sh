#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# pack-bundle.sh DIR: writes the bundle at DIR (mrstress -o DIR) to stdout
# as one input of the bundle fuzz target (tests/fuzz/bundle_fuzz.c): a line
# "=== PATH" before each file the loader reads, scenario.scn and
# report.json, of DIR or of each DIR/NN-NAME of a bundle of several
# scenarios. With REDUCE=1 each report keeps only what the loader reads and
# the first three findings, so that the seed stays short.
set -eu
cd "$1"

emit()
{
	printf '=== %s\n' "$1"
	if [ "${REDUCE:-0}" = 1 ] && [ "${1##*/}" = report.json ]; then
		jq -c '{schema, scenarios: [.scenarios[0] |
			{scenario, status, findings: [.findings[:3][] |
				{class, title, expected, mr, view}]}]}' "$1"
	else
		cat "$1"
	fi
}

# A bundle of several scenarios has a report.json of its own that the
# loader does not read.
if [ -f scenario.scn ]; then
	emit scenario.scn
	emit report.json
	exit 0
fi
for f in */scenario.scn */report.json; do
	if [ -f "$f" ]; then
		emit "$f"
	fi
done
