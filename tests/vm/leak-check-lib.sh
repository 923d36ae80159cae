# shellcheck shell=bash disable=SC2034 # leak_plan is used by the tests that source this
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks on what guest-leak-check.sh left in DIR, for leak-check*.test.
leak_plan=12

check_leak_results()
{
	local d=$1 rel j len
	rel=$(cat "$d/uname" 2>/dev/null)
	diag "$d/rdma-us"
	j=$d/clean.json
	is "$(cat "$d/clean.status" 2>/dev/null)" 0 "clean run with exit-mr and mr-churn exits 0 ($rel)"
	rjq_e "$j" '.mrs_checked == true and .mrs_note == null and (.mrs_listed_before | type) == "number"'
	ok $? "clean run: the MR check ran (mrs_checked $(rjq "$j" .mrs_checked), note '$(rjq "$j" .mrs_note)')"
	is "$(n_findings "$j" mr-leak)/$(n_findings "$j" pin-leak)" 0/0 "clean run: no mr-leak, no pin-leak"
	rjq_e "$j" '[.stress[] | select(.type == "exit-mr" or .type == "mr-churn") | .steps > 0] | all and length == 2'
	ok $? "clean run: exit-mr and mr-churn both stepped ($(rjq "$j" '[.stress[] | "\(.type) \(.steps)"] | join(", ")'))"
	contains "$d/clean.txt" '^mrs: none left after teardown' "clean run's text report says no MR was left"
	# What the reader saw while the clean run ran: mrstress's own MRs.
	jq -e '[.[] | select(.comm == "mrstress")] | length >= 2' "$d/live.json" >/dev/null 2>&1
	ok $? "during the run the kernel lists mrstress's MRs with pid and comm"
	# The reader on the real kernel: an MR whose owner exited has no pid.
	len=$(awk '{ print $(NF - 2) }' "$d/hold.info" 2>/dev/null)
	contains "$d/hold.list" "^rxe0 mrn [0-9]+ len $len .* pid - comm - owner exited$" \
		"mr-list reads the orphaned ${len}-byte MR as owned by an exited process"
	j=$d/hold.json
	rjq_e "$j" '.mrs_checked and (.mrs_note | test("^1 MR of exited processes still listed, not judged: 1 other process uses RDMA \\(pid [0-9]+ \\(mr-orphan\\)\\)"))'
	ok $? "orphan held by a live process: not judged, the holder is named ('$(rjq "$j" .mrs_note)')"
	is "$(n_findings "$j" mr-leak)/$(cat "$d/hold.status" 2>/dev/null)" 0/0 "orphan held by a live process: no mr-leak, exit 0"
	j=$d/inflight.json
	rjq_e "$j" '[.findings[] | select(.class == "mr-leak" and (.title | test("^mr-leak: 1 MR of an exited process still listed after teardown \\(rxe0 mrn [0-9]+ len 64K\\)$")))] | length == 1'
	ok $? "device file only in flight: mr-leak '$(rjq "$j" '[.findings[] | select(.class == "mr-leak")][0].title')'"
	is "$(cat "$d/inflight.status" 2>/dev/null)" 1 "a run with an mr-leak exits 1"
	! grep -q ' owner exited$' "$d/hold-gone.list" "$d/inflight-gone.list" &&
		grep -q '^0 MRs$' "$d/inflight-gone.list"
	ok $? "once the holder is gone the kernel lists no MR (the MR was tied to the device file)"
}
