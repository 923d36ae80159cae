#!/bin/bash
# Runs inside the guest: the KTAP, JUnit and JSON reports of real runs,
# which reports.test checks on the host (with tests/ktap-check and
# xmllint, which need not be in the guest).
out=$1
src=$2
uname -r >"$out/uname"
scn=$src/tests/vm/scenarios

# A passing scenario and one with unexpected findings, every report at
# once; the status line goes into the KTAP stream as diagnostics.
mrstress --ktap --junit "$out/pair.xml" --json="$out/pair.json" \
	--status-interval 1 "$scn/pass.scn" "$scn/unexpected.scn" \
	>"$out/pair.ktap" 2>"$out/pair.err"
echo $? >"$out/pair.status"

# SIGTERM during the first of three scenarios: the reports are complete,
# and the two that never ran are skipped with the reason.
mrstress --ktap --junit "$out/term.xml" --json="$out/term.json" \
	"$scn/pass.scn" "$scn/unexpected.scn" "$scn/pass.scn" \
	>"$out/term.ktap" 2>"$out/term.err" &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid"
echo $? >"$out/term.status"
ls -a "$out" >"$out/files"

# KTAP through a terminal (the guest's console is one): still plain lines,
# the live status line without carriage returns. It is this script's only
# output on stdout.
tty=no
[ -t 1 ] && tty=yes
echo "$tty" >"$out/stdout-tty"
mrstress --ktap --status-interval 1 "$scn/pass.scn" 2>"$out/tty.err"
echo $? >"$out/tty.status"
exit 0
