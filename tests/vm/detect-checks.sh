# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks on what guest-detect.sh left in a directory (29 assertions), for
# detect.test and detect-6.12.test.

# A finding of CLASS in FILE.json whose title matches PATTERN: its field.
finding_field()
{
	jq -r --arg c "$2" --arg p "$3" \
		"[(.scenarios[0]).findings[] | select(.class == \$c and (.title | test(\$p)))][0].$4 // \"\"" \
		"$1" 2>/dev/null
}

check_clean_run()
{
	local d=$1 j=$1/clean.json
	is "$(cat "$d/clean.status" 2>/dev/null)" 0 "clean run exits 0"
	is "$(rjq "$j" '.summary.findings')" 0 "clean run: no finding (kernel log, taint, hangs and pins watched)"
	rjq_e "$j" '.detectors.kernel_log.read and .detectors.kernel_log.records >= 1 and .detectors.kernel_log.lost == 0'
	ok $? "clean run read the kernel log ($(rjq "$j" '.detectors.kernel_log.records') records, none lost)"
	rjq_e "$j" '.detectors.taint.before != null and .detectors.taint.before == .detectors.taint.after'
	ok $? "clean run: taint read before and after, unchanged ($(rjq "$j" '.detectors.taint.after'))"
	rjq_e "$j" '.pins_acquired >= 2048 and .pins_note == null'
	ok $? "clean run: $(rjq "$j" '.pins_acquired') pages pinned and every pin released (no pin-leak)"
	is "$(cat "$d/clean.hung-timeout")" "$(cat "$d/hung-timeout-before")" \
		"hung_task_timeout_secs restored after the clean run"
}

# The frozen run NAME: what must be in its report whatever the [expect].
check_frozen_run()
{
	local d=$1 name=$2 j=$1/$2.json title detail text
	is "$(cat "$d/$name.after-report" 2>/dev/null)" alive \
		"$name: the report is written while a thread is still blocked in the frozen filesystem"
	title=$(finding_field "$j" hang 'pwrite' title)
	detail=$(finding_field "$j" hang 'pwrite' detail)
	text=$(finding_field "$j" hang 'pwrite' text)
	case $title in
	"hang: stressor pwrite blocked in "?*) ok 0 "$name: hang finding names the stuck stressor and kernel frame: $title" ;;
	*) ok 1 "$name: hang finding for the pwrite stressor (got '$title')" ;;
	esac
	case $detail in
	*"'pwrite 0x"*"did not return within 3 s; still blocked"*) ok 0 "$name: hang says the stuck operation and for how long: $detail" ;;
	*) ok 1 "$name: hang detail names the operation (got '$detail')" ;;
	esac
	grep -q "stressor pwrite thread 0: state D" <<<"$text" && grep -q "\[<0>\] " <<<"$text"
	ok $? "$name: hang carries every thread's state and kernel stack (the pwrite thread in D)"
	grep -q "sysrq: Show Blocked State" <<<"$text"
	ok $? "$name: hang carries the kernel's blocked-task dump (sysrq w)"
	title=$(finding_field "$j" hung-task . title)
	detail=$(finding_field "$j" hung-task . detail)
	case $title in
	"INFO: task hung in "?*) ok 0 "$name: the kernel's own report became a hung-task finding: $title" ;;
	*) ok 1 "$name: hung-task finding from the kernel log (got '$title')" ;;
	esac
	case $detail in
	*"that task is stressor pwrite thread 0"*) ok 0 "$name: the hung task is named as the run's pwrite thread" ;;
	*) ok 1 "$name: the hung task is named (got '$detail')" ;;
	esac
	is "$(cat "$d/$name.hung-timeout" 2>/dev/null)" "$(cat "$d/hung-timeout-before")" \
		"$name: hung_task_timeout_secs restored once the report was written"
	is "$(cat "$d/$name.thawed" 2>/dev/null)" 0 "$name: the filesystem takes writes after the thaw"
}

check_detect_results()
{
	local d=$1 j
	check_clean_run "$d"
	check_frozen_run "$d" freeze
	j=$d/freeze.json
	is "$(cat "$d/freeze.status" 2>/dev/null)" 1 "unexpected hang: exit status 1 once the thread returned"
	is "$(rjq "$j" '.detectors.stuck')" "stressor pwrite (1 thread)" "the report lists the thread still blocked"
	grep -q "^STILL BLOCKED in the kernel: stressor pwrite" "$d/freeze.txt"
	ok $? "the text report says what is still blocked"
	check_frozen_run "$d" expected
	j=$d/expected.json
	is "$(cat "$d/expected.status" 2>/dev/null)" 0 "hang and hung-task expected by the scenario: exit status 0"
	is "$(jqv "$j" '[.scenarios[0].findings[] | select(.expected | not)] | length')" 0 \
		"every finding of the expected run is covered by its [expect]"
}
