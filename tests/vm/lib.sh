# shellcheck shell=bash disable=SC2034 # sourced by the tests, which use these names
# SPDX-License-Identifier: GPL-2.0-or-later
# TAP helpers for the VM tests. Each test file boots as few guests as it
# can and checks several things about each; every check is one TAP line.
set -u

srcdir=${MRSTRESS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${MRSTRESS_BUILDDIR:-$srcdir}
vm=$srcdir/scripts/mrstress-vm
# A TCG boot now and then panics before the guest command starts (6.12 once
# died patching text in sched_clock_cpu at 2.9 s): boot such a guest once
# more. Anything after the command started still counts.
export MRSTRESS_VM_BOOT_RETRIES=${MRSTRESS_VM_BOOT_RETRIES:-1}
mrstress=$builddir/src/mrstress
test_name=$(basename "$0" .test)
tap_n=0
tap_failed=0

plan()
{
	echo "1..$1"
}

# ok CONDITION-STATUS DESCRIPTION: pass when the status is 0.
ok()
{
	local rc=$1
	shift
	tap_n=$((tap_n + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $tap_n - $*"
	else
		echo "not ok $tap_n - $*"
		tap_failed=$((tap_failed + 1))
	fi
}

is()
{
	local got=$1 want=$2
	shift 2
	[ "$got" = "$want" ]
	ok $? "$* (got '$got', want '$want')"
}

contains()
{
	local file=$1 pattern=$2
	shift 2
	grep -qE -- "$pattern" "$file"
	local rc=$?
	ok $rc "$*"
	[ $rc -eq 0 ] || { echo "# no /$pattern/ in $file:"; sed 's/^/#   /' "$file" | tail -n 15; }
}

skip_all()
{
	echo "1..0 # SKIP $*"
	exit 0
}

diag()
{
	sed 's/^/# /' "$@"
}

# A fresh directory for this test's files, kept after the run for reading.
test_dir()
{
	local d=$builddir/tests/vm/out/$test_name
	rm -rf "$d" && mkdir -p "$d" && echo "$d"
}

require_vm()
{
	command -v qemu-system-x86_64 >/dev/null || skip_all "qemu-system-x86_64 not installed (scripts/setup)"
	ls /boot/vmlinuz-* >/dev/null 2>&1 || skip_all "no kernel in /boot (scripts/setup installs linux-image-amd64)"
	[ -x "$mrstress" ] || skip_all "$mrstress not built"
}

# No qemu of ours may outlive the runner: look for the work directory.
no_qemu_left()
{
	local pattern=$1
	sleep 0.5
	! pgrep -f "qemu-system.*$pattern" >/dev/null
	ok $? "no qemu process left behind"
}

# jq query on a file; prints the value, "null" on failure.
jqv()
{
	jq -r "$2" "$1" 2>/dev/null || echo null
}

# mrstress's JSON is one document with the runs under .scenarios[] (docs/
# report-schema.json): rjq and rjq_e query the first, which is the only one
# of a run from the command line. rjq prints the value, "null" on failure.
rjq()
{
	jq -r ".scenarios[0] | ($2)" "$1" 2>/dev/null || echo null
}

# Status 0 when QUERY on the first scenario is true.
rjq_e()
{
	jq -e ".scenarios[0] | ($2)" "$1" >/dev/null 2>&1
}

# check_schema FILE... (1 assertion): each of mrstress's JSON documents
# validates against docs/report-schema.json (python3-jsonschema, on the
# host); the first complaint is shown.
check_schema()
{
	local f rc=0 why=
	for f in "$@"; do
		if ! python3 -W ignore::DeprecationWarning -m jsonschema -i "$f" \
			"$srcdir/docs/report-schema.json" >"$f.schema" 2>&1; then
			rc=1
			why="$why $(basename "$f"): $(cut -c 1-200 "$f.schema" | head -n 1)"
		fi
	done
	ok $rc "$# JSON reports validate against docs/report-schema.json${why:+ -$why}"
}

done_testing()
{
	exit 0
}

# The value of .registrations[] for one backing, filesystem and access.
reg_field()
{
	local fs=\"$3\"
	[ "$3" = null ] && fs=null
	jqv "$1" ".registrations[] | select(.backing == \"$2\" and .fs == $fs and .access == \"$4\") | .$5"
}

release_at_least()
{
	local rel=$1 want=$2
	[ "$(printf '%s\n%s\n' "$want" "${rel%%[-+]*}" | sort -V | head -n 1)" = "$want" ]
}

# Checks on what guest-probe.sh left in DIR (9 assertions).
check_probe_results()
{
	local d=$1 rel result errno expect
	rel=$(cat "$d/uname" 2>/dev/null)
	contains "$d/rxe-link" 'rxe0/1 state ACTIVE' "rxe0 port 1 is ACTIVE in the guest"
	is "$(cat "$d/probe-json.status" 2>/dev/null)" 0 "mrstress --probe --json exits 0 in the guest"
	jq -e . "$d/probe.json" >/dev/null 2>&1
	ok $? "probe JSON written in the guest parses on the host"
	is "$(jqv "$d/probe.json" .kernel.release)" "$rel" "probe reports the guest's kernel release"
	is "$(jqv "$d/probe.json" .port.state)/$(jqv "$d/probe.json" .gid.type)" "ACTIVE/RoCE v2" \
		"probe reports an ACTIVE port and a RoCE v2 GID"
	is "$(reg_field "$d/probe.json" anon null rw result)" accepted "writable anon MR registers"
	is "$(reg_field "$d/probe.json" file tmpfs rw result)" accepted \
		"writable MR on a MAP_SHARED tmpfs file registers (shmem stays allowed)"
	result=$(reg_field "$d/probe.json" file ext4 rw result)
	errno=$(reg_field "$d/probe.json" file ext4 rw error)
	case $result in
	accepted) ok 0 "MAP_SHARED ext4 writable MR: measured accepted on $rel" ;;
	refused) ok 0 "MAP_SHARED ext4 writable MR: measured refused $errno on $rel" ;;
	*) ok 1 "MAP_SHARED ext4 writable MR: no result in the probe ('$result')" ;;
	esac
	# Since 6.5 (mm/gup: disallow FOLL_LONGTERM ... file-backed mappings).
	if release_at_least "$rel" 6.5; then expect=refused/EFAULT; else expect=accepted/null; fi
	is "$result/$errno" "$expect" "ext4 MAP_SHARED rw result matches the 6.5 long-term pin policy"
}

# Findings of one class in a run's JSON.
n_findings()
{
	rjq "$1" "[.findings[] | select(.class == \"$2\")] | length"
}

# A truncate run on a file MR: detached where the kernel let the writable
# MR register, policy-refused (EFAULT) where it did not (2 assertions).
check_truncate_run()
{
	local d=$1 fs=$2 rel=$3 j=$1/truncate-$2.json reg
	reg=$(rjq "$j" '.mrs[0].registered')
	is "$(cat "$d/truncate-$fs.status" 2>/dev/null)" 0 \
		"truncate on $fs: no unexpected finding (exit 0)"
	if [ "$reg" = true ]; then
		[ "$(n_findings "$j" detached)" -gt 0 ] 2>/dev/null &&
			[ "$(rjq "$j" '[.findings[] | select(.class == "detached" and .offset < 4194304)] | length')" = 0 ]
		ok $? "truncate on $fs ($rel): DMA after truncate lands in pages the file lost: 'detached' findings, all in the truncated half ($(n_findings "$j" detached) ranges)"
		is "$(rjq "$j" '[.findings[] | select(.class == "detached" and (.overlapping // "" | test("^truncate: ") | not))] | length')" 0 \
			"truncate on $fs: every detached finding names the truncate steps around it ($(rjq "$j" '[.findings[] | select(.class == "detached")][0].overlapping'))"
	else
		is "$(rjq "$j" '[.findings[] | select(.class == "policy-refused")][0].errno')/$(rjq "$j" '.dma[0].ran')" \
			EFAULT/false "truncate on $fs ($rel): the writable MR is refused with EFAULT and the DMA does not run"
		rjq_e "$j" '.stress[0].skipped and (.stress[0].reason | test("not registered"))'
		ok $? "truncate on $fs: the stressor is reported skipped because its MR was not registered"
	fi
	rjq_e "$j" '.stress[0].threads == 2'
	ok $? "truncate on $fs: the stressor ran with the 2 threads asked for"
}

# Checks on what guest-engine.sh left in DIR (18 assertions).
check_engine_results()
{
	local d=$1 rel j odp_adv odp_reg
	rel=$(cat "$d/uname" 2>/dev/null)
	j=$d/anon.json
	is "$(cat "$d/anon.status" 2>/dev/null)" 0 "clean DMA run on anon memory exits 0 ($rel)"
	is "$(rjq "$j" '.summary.findings')" 0 "clean DMA run on anon memory: zero findings"
	rjq_e "$j" '.dma[0].mb_per_s > 0 and .dma[0].ops.write > 100 and .dma[0].blocks_final == 2048'
	ok $? "clean DMA run reports throughput ($(rjq "$j" '.dma[0].mb_per_s') MB/s) and checked all 2048 blocks at the end"
	is "$(rjq "$j" '.seed')" 1 "the seed given is the seed reported"
	rjq_e "$j" '.pins_acquired >= 2048 and ([.findings[] | select(.class == "pin-leak")] | length) == 0'
	ok $? "the 8M MR pinned its 2048 pages ($(rjq "$j" '.pins_acquired') pins in all) and every pin was released"
	check_truncate_run "$d" ext4 "$rel"
	check_truncate_run "$d" tmpfs "$rel"
	# ODP: whatever happened, it is reported, and it agrees with the device.
	odp_adv=$(jqv "$d/probe.json" '.device.odp.supported')
	odp_reg=$(rjq "$d/odp.json" '.mrs[0].registered')
	case $odp_reg in
	true) ok 0 "ODP MR: registered on $rel" ;;
	false) ok 0 "ODP MR: refused $(rjq "$d/odp.json" '.mrs[0].errno') on $rel" ;;
	*) ok 1 "ODP MR: no outcome in the report ('$odp_reg')" ;;
	esac
	is "$odp_reg" "$odp_adv" "ODP MR registers exactly when the device advertises ODP"
	j=$d/corrupt.json
	is "$(cat "$d/corrupt.dd" 2>/dev/null)" 0 "garbage written into the file under the MR"
	is "$(cat "$d/corrupt.status" 2>/dev/null)" 1 "a run that finds corruption exits 1"
	is "$(rjq "$j" '[.findings[] | select((.class == "garbage" or .class == "stale") and .offset == 1191936)] | length')" 1 \
		"the corrupted block is found as garbage/stale at exactly 0x123000"
	is "$(rjq "$j" '[.findings[] | select(.offset != 1191936)] | length')" 0 \
		"no other block is reported"
}

# check_stressor_ran FILE.json NAME [may-skip|must-skip] (1 assertion): the
# run's exit status (FILE.status) is neither 2 nor 3, stressor NAME has
# steps > 0 (or, where allowed, is skipped with a reason) and no errors,
# and the run has no harness-error finding.
check_stressor_ran()
{
	local j=$1 name=$2 skip=${3:-no} st s steps skipped reason errors harness why='' rc=0
	st=$(cat "${j%.json}.status" 2>/dev/null)
	s=$(jq -c --arg n "$name" '.scenarios[0].stress[] | select(.name == $n)' "$j" 2>/dev/null)
	steps=$(jq -r '.steps' <<<"$s" 2>/dev/null)
	skipped=$(jq -r '.skipped' <<<"$s" 2>/dev/null)
	reason=$(jq -r '.reason // ""' <<<"$s" 2>/dev/null)
	errors=$(jq -r '.errors' <<<"$s" 2>/dev/null)
	harness=$(n_findings "$j" harness-error)
	case $st in 0 | 1 | 4) ;; *) why="exit status '$st'" ;; esac
	[ -n "$s" ] || why="$why; no stressor $name in the report"
	[ "$errors" = 0 ] || why="$why; errors '$errors' ($reason)"
	[ "$harness" = 0 ] || why="$why; $harness harness-error findings"
	case $skip/$skipped in
	no/false | may-skip/false) [ "$steps" -gt 0 ] 2>/dev/null || why="$why; no steps" ;;
	may-skip/true | must-skip/true) [ -n "$reason" ] || why="$why; skipped without a reason" ;;
	*) why="$why; skipped '$skipped' ($reason)" ;;
	esac
	[ -z "$why" ] || rc=1
	if [ "$skipped" = true ]; then
		ok $rc "$name in $(basename "$j"): skipped: $reason${why:+ -$why}"
	else
		ok $rc "$name in $(basename "$j"): $steps steps, $errors errors${why:+ -$why}"
	fi
}

# A stressor was skipped in NAME.json with a reason matching PATTERN.
check_stressor_skipped()
{
	local j=$1 s=$2 pattern=$3 skipped reason
	skipped=$(rjq "$j" "[.stress[] | select(.name == \"$s\")][0].skipped")
	reason=$(rjq "$j" "[.stress[] | select(.name == \"$s\")][0].reason")
	[ "$skipped" = true ] && printf '%s' "$reason" | grep -qE -- "$pattern"
	ok $? "$(basename "$j" .json): $s skipped: $reason"
}
