# shellcheck shell=bash disable=SC2034 # bundle_plan is used by bundle.test
# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by bundle.test: checks what guest-bundle.sh left in $d.
bundle_plan=32

# jq on the file, raw output; "" when it cannot be read.
bq()
{
	jq -r "$2" "$1" 2>/dev/null
}

check_bundle_run()
{
	local d=$1 b=$1/b
	is "$(cat "$d/b.status")" 1 "ext4 truncate run (seed $(cat "$d/b.seed")) finds something unexpected: exit 1"
	for f in summary.txt scenario.scn cmdline kernel.txt taint.txt report.txt report.json timeline.txt; do
		[ -s "$b/$f" ] || break
	done
	ok $? "the bundle holds summary.txt, scenario.scn, cmdline, kernel.txt, taint.txt, report.txt, report.json, timeline.txt"
	head -1 "$b/summary.txt" | grep -q '^detached: .*mr0'
	ok $? "summary.txt starts with the finding's title: $(head -1 "$b/summary.txt")"
	grep -q "^seed = $(cat "$d/b.seed")\$" "$b/scenario.scn"
	ok $? "scenario.scn carries the seed"
	grep -q "^release  $(cat "$d/uname")\$" "$b/kernel.txt" && grep -q "^CONFIG_RDMA_RXE=m" "$b/kernel.txt"
	ok $? "kernel.txt names the kernel the guest ran and its config (rdma_rxe a module)"
	grep -q 'found:' "$b/findings/01-detached.txt" &&
		grep -q 'truncate\[0\]  ftruncate' "$b/findings/01-detached.txt"
	ok $? "findings/01-detached.txt has the hexdumps and the truncate steps around it"
	is "$(bq "$b/report.json" '.complete, .scenarios[0].findings[0].class' | tr '\n' ' ')" "true detached " \
		"report.json is complete and its first finding is detached"
	check_repro "$d" repro "the bundle's"
}

# check_repro NAME WHAT: the repro.c built and reproduced on its own.
check_repro()
{
	local d=$1 name=$2 what=$3
	is "$(cat "$d/$name.build-status")" 0 "$what repro.c builds with the command in its header ($(cat "$d/$name.build-cmd"))"
	is "$(cat "$d/$name.status")" 1 "$what repro.c reproduces on its own: exit 1"
	grep -q 'REPRODUCED: detached' "$d/$name.txt"
	ok $? "and says detached: $(grep -m1 '\] detached' "$d/$name.txt")"
}

check_replay_minimize()
{
	local d=$1
	is "$(cat "$d/replay.status")" 1 "--replay of the bundle: exit 1 (the findings are unexpected again)"
	is "$(bq "$d/replay.json" '.scenarios[0].replay.same')" true \
		"--replay says the same findings came back: $(bq "$d/replay.json" '.scenarios[0].replay.detail')"
	is "$(cat "$d/minimize.status")" 0 "--minimize: exit 0"
	grep -q 'reproduced' "$d/minimize.txt" && [ -s "$d/b/minimized.scn" ] && [ -s "$d/b/minimize.txt" ]
	ok $? "--minimize wrote minimized.scn and minimize.txt ($(tail -1 "$d/minimize.txt"))"
	[ "$(grep -c '^\[stress ' "$d/b/minimized.scn")" -lt "$(grep -c '^\[stress ' "$d/b-before-minimize/scenario.scn")" ] ||
		[ "$(grep '^size' "$d/b/minimized.scn")" != "$(grep '^size' "$d/b-before-minimize/scenario.scn")" ]
	ok $? "the minimized scenario is smaller: $(grep -c '^\[stress ' "$d/b/minimized.scn") stressors, $(grep '^size' "$d/b/minimized.scn")"
	grep -q '^type = truncate' "$d/b/minimized.scn"
	ok $? "the minimized scenario keeps truncate, which the finding needs"
	check_repro "$d" repro-min "the minimized"
}

check_sigterm()
{
	local d=$1
	is "$(cat "$d/t.status")" 0 "SIGTERM after 8 s of a 120 s run: exit 0 (the findings are expected)"
	[ "$(cat "$d/t.seconds")" -lt 60 ]
	ok $? "it stopped at once ($(cat "$d/t.seconds") s)"
	is "$(bq "$d/t.json" '[.complete, .signal, .scenarios[0].interrupted] | join(" ")')" "true SIGTERM true" \
		"the JSON report is complete and says SIGTERM stopped the run"
	grep -q '^summary: 1 scenario, exit status 0 (interrupted)' "$d/t.txt"
	ok $? "the text report ends in its summary"
	is "$(grep -c '^  command-line ' "$d/t.txt")" 1 "the summary lists the one scenario once, as run"
	[ -s "$d/t/summary.txt" ] && [ -s "$d/t/report.json" ] && [ "$(bq "$d/t/report.json" .signal)" = SIGTERM ]
	ok $? "the bundle is written too"
}

check_multi()
{
	local d=$1
	is "$(cat "$d/multi.status")" 0 "two scenarios with -o: exit 0"
	[ -s "$d/m/summary.txt" ] && [ -s "$d/m/01-one/summary.txt" ] && [ -s "$d/m/02-two/scenario.scn" ]
	ok $? "DIR/summary.txt over both, a bundle each in DIR/01-one and DIR/02-two"
	is "$(cat "$d/multi-replay.status")" 0 "--replay of the two-scenario bundle: exit 0"
	is "$(bq "$d/multi-replay.json" '[.scenarios[].replay.same] | join(" ")')" "true true" \
		"both scenarios came back as recorded (nothing unexpected)"
	check_schema "$d/b.json" "$d/b/report.json" "$d/replay.json" "$d/t.json" \
		"$d/multi.json" "$d/m/01-one/report.json" "$d/multi-replay.json"
	is "$(cat "$d/notbundle.status")" 2 "--replay of a directory that is not a bundle: exit 2"
	grep -q 'one.scn.d' "$d/notbundle.err"
	ok $? "and the message names it: $(head -1 "$d/notbundle.err")"
}
