# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks on what guest-stress-map.sh left in a directory, shared by
# stress-map.test and stress-map-6.12.test (65 assertions).

# Data findings (anything but a refused registration) in a run.
n_data_findings()
{
	rjq "$1" '[.findings[] | select(.class != "policy-refused")] | length'
}

# ibv_rereg_mr: ran, or refused by the device as a whole (EOPNOTSUPP).
check_rereg()
{
	local j=$1 skipped reason
	skipped=$(rjq "$j" '[.stress[] | select(.name == "rereg")][0].skipped')
	reason=$(rjq "$j" '[.stress[] | select(.name == "rereg")][0].reason')
	if [ "$skipped" = true ]; then
		printf '%s' "$reason" | grep -q EOPNOTSUPP
		ok $? "$(basename "$j" .json): rereg skipped: $reason"
	else
		check_stressor_ran "$j" rereg
	fi
}

check_mix_run()
{
	local j=$1/$2.json s
	is "$(cat "$1/$2.status" 2>/dev/null)" 0 "$2: no unexpected finding (exit 0)"
	for s in mprotect mremap fork exec exit-mr mr-churn; do
		check_stressor_ran "$j" "$s"
	done
	check_rereg "$j"
	check_stressor_skipped "$j" mw 'needs access=rw\+mw'
	check_stressor_skipped "$j" uffd 'not the uffd backing'
	is "$(n_data_findings "$j")" 0 "$2: no data finding: the stressors leave a pinned MR's data alone"
}

check_uffd_run()
{
	local d=$1 n=$2 rel=$3 j=$1/$2.json
	is "$(cat "$d/$n.status" 2>/dev/null)" 0 "$n: no unexpected finding (exit 0)"
	if release_at_least "$rel" 6.3; then
		check_stressor_ran "$j" uffd
	else
		is "$(rjq "$j" '[.findings[] | select(.class == "policy-refused")][0].errno')/$(rjq "$j" '.stress[0].reason')" \
			"EFAULT/mr mr0 was not registered" \
			"$n on $rel: the uffd MR is refused (EFAULT, no FOLL_UNLOCKABLE before 6.3) and the stressor says so"
	fi
}

check_map_results()
{
	local d=$1 rel m
	rel=$(cat "$d/uname" 2>/dev/null)
	for m in anon anon-shared memfd file; do
		check_mix_run "$d" "mix-$m"
	done
	for m in anon anon-shared memfd file; do
		is "$(cat "$d/remap-$m.status" 2>/dev/null)" 0 "remap-$m: no unexpected finding (exit 0)"
		check_stressor_ran "$d/remap-$m.json" remap
	done
	[ "$(n_findings "$d/remap-anon.json" detached)" -gt 0 ] 2>/dev/null
	ok $? "remap of private anon: the CPU gets fresh pages, the MR keeps the old: detached ($(n_findings "$d/remap-anon.json" detached) ranges)"
	for m in anon-shared memfd file; do
		is "$(n_data_findings "$d/remap-$m.json")" 0 "remap-$m: shared memory mapped again reaches the same pages: no finding"
	done
	is "$(cat "$d/mw.status" 2>/dev/null)" 0 "mw: no unexpected finding (exit 0)"
	check_stressor_ran "$d/mw.json" mw
	for m in copy zeropage continue; do
		check_uffd_run "$d" "uffd-$m" "$rel"
	done
	is "$(n_data_findings "$d/uffd-continue.json")" 0 "uffd fill=continue: the same pages are mapped again: no data finding"
}
