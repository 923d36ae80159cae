#!/bin/bash
# Runs inside the guest: the ASan + UBSan build of mrstress over
# scenarios/default.scn (with every report writer) and over
# tests/vm/scenarios/sanitizers.scn and freeze-hang.scn (a thread blocked
# in the kernel), and a canary that leaks on purpose.
# sanitizers.test checks on the host what it leaves in OUT: NAME.status,
# NAME.json, NAME.txt, NAME.err of each run and the sanitizers' own report
# files in OUT/san (none, we hope) and OUT/canary-reports (the canary's).
out=$1
src=$2
san=$3
canary=$4
uname -r >"$out/uname"
mkdir -p "$out/san" "$out/canary-reports"

# Reports go to files of their own (log_path.PID, a forked child's too),
# so that none hides in a stream the test does not read; the first one
# ends the process with a status no run of mrstress has.
san_env()
{
	local dir=$1
	export ASAN_OPTIONS="log_path=$dir/asan:halt_on_error=1:exitcode=99:detect_leaks=1:abort_on_error=0"
	export UBSAN_OPTIONS="log_path=$dir/ubsan:halt_on_error=1:print_stacktrace=1"
}

# run and frozen_run, with the sanitizer build's mrstress.
# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"
export PATH=$san/src:$PATH

# The canary shows that a report in this guest, with these options, lands
# where the test looks for them.
san_env "$out/canary-reports"
"$canary" >"$out/canary.out" 2>&1
echo $? >"$out/canary.status"

san_env "$out/san"
run default "$src/scenarios/default.scn" --ktap --junit="$out/default.junit.xml" \
	-o "$out/default.bundle"
run sanitizers "$src/tests/vm/scenarios/sanitizers.scn"
# A thread blocked in the frozen filesystem: its buffers stay in use when
# the report is written, and the process exits once it returns.
frozen_run hang "$src/tests/vm/scenarios/freeze-hang.scn"
command -v mrstress >"$out/which"
exit 0
