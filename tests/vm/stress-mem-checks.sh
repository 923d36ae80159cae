# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks on what guest-stress-mem.sh left in a directory, shared by the
# default-kernel and 6.12 tests (sourced after lib.sh).

# Runs whose stressor must run and whose outcome is all expected.
mem_runs="drop-caches:drop-caches dirty:dirty pressure-alloc:pressure
pressure-cgroup:pressure compact:compact ksm-anon:ksm
madvise-dontneed-anon:madvise madvise-dontneed-memfd:madvise
madvise-dontneed-thp:madvise madvise-dontneed-private:madvise
madvise-remove-memfd:madvise madvise-remove-shared:madvise
madvise-free-anon:madvise madvise-pageout-file:madvise
madvise-cold-anon:madvise madvise-willneed-file:madvise thp-thp:thp"
mem_migrate_runs="migrate-anon migrate-memfd migrate-thp"

# Assertions check_mem_results makes.
# shellcheck disable=SC2034 # used by the tests that source this
mem_plan=$((2 * 17 + 3 * 3 + 4 + 5 + 4))

# The three migrate runs: with two nodes, pinned pages stay where they
# are (refusals, never a detached page); with one, skipped (3 each).
check_migrate()
{
	local d=$1 two=$2 r j
	for r in $mem_migrate_runs; do
		j=$d/$r.json
		is "$(cat "$d/$r.status" 2>/dev/null)" 0 "$r: exit 0"
		if [ "$two" = yes ]; then
			check_stressor_ran "$j" migrate
			[ "$(rjq "$j" '.stress[0].refused')" -gt 0 ] 2>/dev/null &&
				[ "$(n_findings "$j" detached)" = 0 ]
			ok $? "$r: pinned pages did not migrate: $(rjq "$j" '.stress[0].refused') refused steps, no detached page ($(rjq "$j" '.stress[0].refusal'))"
		else
			check_stressor_skipped "$j" migrate 'one NUMA node'
			ok 0 "$r: one node, nothing to migrate"
		fi
	done
}

check_mem_results()
{
	local d=$1 two=$2 rel r j
	rel=$(cat "$d/uname" 2>/dev/null)
	for r in $mem_runs; do
		j=$d/${r%%:*}.json
		is "$(cat "$d/${r%%:*}.status" 2>/dev/null)" 0 "${r%%:*}: no unexpected finding (exit 0) on $rel"
		check_stressor_ran "$j" "${r#*:}"
	done
	check_migrate "$d" "$two"
	check_stressor_skipped "$d/madvise-remove-anon.json" madvise 'MADV_REMOVE.*EINVAL'
	check_stressor_skipped "$d/madvise-free-memfd.json" madvise 'MADV_FREE.*EINVAL'
	check_stressor_skipped "$d/thp-anon.json" thp 'NOHUGEPAGE'
	check_stressor_skipped "$d/ksm-memfd.json" ksm 'private anonymous'
	# DONTNEED on private memory: fresh pages for the CPU, the old for the MR.
	for r in anon thp private; do
		[ "$(n_findings "$d/madvise-dontneed-$r.json" detached)" -gt 0 ] 2>/dev/null
		ok $? "madvise dontneed on $r: the CPU gets fresh pages, the MR keeps the old: $(n_findings "$d/madvise-dontneed-$r.json" detached) detached ranges"
	done
	# REMOVE punches shmem out from under the MR.
	for r in memfd shared; do
		[ "$(n_findings "$d/madvise-remove-$r.json" detached)" -gt 0 ] 2>/dev/null
		ok $? "madvise remove on $r: the MR keeps the punched pages: $(n_findings "$d/madvise-remove-$r.json" detached) detached ranges"
	done
	# Tunables: changed during the run, put back after it.
	diff -u "$d/dirty-before" "$d/dirty-after" >&2
	ok $? "dirty: every vm.dirty_* tunable is back to its old value"
	grep -q 'dirty_expire_centisecs 10$' "$d/dirty-during" &&
		grep -q 'dirty_writeback_centisecs 10$' "$d/dirty-during" &&
		grep -q 'dirty_background_bytes 65536$' "$d/dirty-during" &&
		grep -q 'dirty_bytes 1048576$' "$d/dirty-during"
	ok $? "dirty: during the run expire/writeback 10 cs, background 64K, bytes 1M"
	diff -u "$d/ksm-before" "$d/ksm-after" >&2
	ok $? "ksm: run, pages_to_scan and sleep_millisecs are back to their old values"
	# memory.high throttling stalled a step for minutes; reclaim through
	# memory.reclaim takes a few seconds at most under TCG, even loaded.
	is "$(rjq "$d/pressure-cgroup.json" '.stress[0].max_s < 20')" true \
		"pressure cgroup: no step stalls over 20 s ($(rjq "$d/pressure-cgroup.json" '.stress[0].max_s') s)"
}
