#!/bin/bash
# Runs inside the guest: scenario runs whose results scenario-*.test checks
# on the host. Each run leaves NAME.json, NAME.txt, NAME.err, NAME.status.
out=$1
src=$2
uname -r >"$out/uname"

# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

# The default scenario on every scratch filesystem the VM has.
run default "$src/scenarios/default.scn"

# The same where only tmpfs exists: the other file MRs are skipped.
MRSTRESS_SCRATCH=/mnt/mrstress/tmpfs run tmpfs-only "$src/scenarios/default.scn"

# Two scenarios in one invocation: a must-expectation the kernel
# contradicts, and findings no expectation covers.
run pair "$src/tests/vm/scenarios/must-not-seen.scn" \
	"$src/tests/vm/scenarios/unexpected.scn"
exit 0
