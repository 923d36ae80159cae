# shellcheck shell=bash disable=SC2034 # sourced by the tests, which use these names
# SPDX-License-Identifier: GPL-2.0-or-later
# TAP helpers for the VM tests. Each test file boots as few guests as it
# can and checks several things about each; every check is one TAP line.
set -u

srcdir=${MRSTRESS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${MRSTRESS_BUILDDIR:-$srcdir}
vm=$srcdir/scripts/mrstress-vm
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
	jqv "$1" "[.findings[] | select(.class == \"$2\")] | length"
}

# A truncate run on a file MR: detached where the kernel let the writable
# MR register, policy-refused (EFAULT) where it did not (2 assertions).
check_truncate_run()
{
	local d=$1 fs=$2 rel=$3 j=$1/truncate-$2.json reg
	reg=$(jqv "$j" '.mrs[0].registered')
	is "$(cat "$d/truncate-$fs.status" 2>/dev/null)" 0 \
		"truncate on $fs: no unexpected finding (exit 0)"
	if [ "$reg" = true ]; then
		[ "$(n_findings "$j" detached)" -gt 0 ] 2>/dev/null &&
			[ "$(jqv "$j" '[.findings[] | select(.class == "detached" and .offset < 4194304)] | length')" = 0 ]
		ok $? "truncate on $fs ($rel): DMA after truncate lands in pages the file lost: 'detached' findings, all in the truncated half ($(n_findings "$j" detached) ranges)"
		is "$(jqv "$j" '[.findings[] | select(.class == "detached" and (.overlapping // "" | test("^truncate: ") | not))] | length')" 0 \
			"truncate on $fs: every detached finding names the truncate steps around it ($(jqv "$j" '[.findings[] | select(.class == "detached")][0].overlapping'))"
	else
		is "$(jqv "$j" '[.findings[] | select(.class == "policy-refused")][0].errno')/$(jqv "$j" '.dma[0].ran')" \
			EFAULT/false "truncate on $fs ($rel): the writable MR is refused with EFAULT and the DMA does not run"
		jq -e '.stress[0].skipped and (.stress[0].reason | test("not registered"))' "$j" >/dev/null 2>&1
		ok $? "truncate on $fs: the stressor is reported skipped because its MR was not registered"
	fi
	jq -e '.stress[0].threads == 2' "$j" >/dev/null 2>&1
	ok $? "truncate on $fs: the stressor ran with the 2 threads asked for"
}

# Checks on what guest-engine.sh left in DIR (17 assertions).
check_engine_results()
{
	local d=$1 rel j odp_adv odp_reg
	rel=$(cat "$d/uname" 2>/dev/null)
	j=$d/anon.json
	is "$(cat "$d/anon.status" 2>/dev/null)" 0 "clean DMA run on anon memory exits 0 ($rel)"
	is "$(jqv "$j" '.summary.findings')" 0 "clean DMA run on anon memory: zero findings"
	jq -e '.dma[0].mb_per_s > 0 and .dma[0].ops.write > 100 and .dma[0].blocks_final == 2048' "$j" >/dev/null 2>&1
	ok $? "clean DMA run reports throughput ($(jqv "$j" '.dma[0].mb_per_s') MB/s) and checked all 2048 blocks at the end"
	is "$(jqv "$j" '.seed')" 1 "the seed given is the seed reported"
	check_truncate_run "$d" ext4 "$rel"
	check_truncate_run "$d" tmpfs "$rel"
	# ODP: whatever happened, it is reported, and it agrees with the device.
	odp_adv=$(jqv "$d/probe.json" '.device.odp.supported')
	odp_reg=$(jqv "$d/odp.json" '.mrs[0].registered')
	case $odp_reg in
	true) ok 0 "ODP MR: registered on $rel" ;;
	false) ok 0 "ODP MR: refused $(jqv "$d/odp.json" '.mrs[0].errno') on $rel" ;;
	*) ok 1 "ODP MR: no outcome in the report ('$odp_reg')" ;;
	esac
	is "$odp_reg" "$odp_adv" "ODP MR registers exactly when the device advertises ODP"
	j=$d/corrupt.json
	is "$(cat "$d/corrupt.dd" 2>/dev/null)" 0 "garbage written into the file under the MR"
	is "$(cat "$d/corrupt.status" 2>/dev/null)" 1 "a run that finds corruption exits 1"
	is "$(jqv "$j" '[.findings[] | select((.class == "garbage" or .class == "stale") and .offset == 1191936)] | length')" 1 \
		"the corrupted block is found as garbage/stale at exactly 0x123000"
	is "$(jqv "$j" '[.findings[] | select(.offset != 1191936)] | length')" 0 \
		"no other block is reported"
}

# A stressor ran in the run whose report is JSON (NAME.status beside it):
# the run did not fail as a usage error or harness failure (2/3), the
# stressor made steps, was not skipped, had no errors, and the run has no
# harness-error finding (1 assertion).
check_stressor_ran()
{
	local j=$1 s=$2 st
	st=$(cat "${j%.json}.status" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != 2 ] && [ "$st" != 3 ] &&
		jq -e --arg s "$s" '([.stress[] | select(.type == $s)] as $r |
			($r | length) > 0 and ($r | all(.steps > 0 and .errors == 0 and (.skipped | not))))
			and ([.findings[] | select(.class == "harness-error")] | length == 0)' "$j" >/dev/null 2>&1
	ok $? "$(basename "$j" .json): $s ran ($(jqv "$j" "[.stress[] | select(.type == \"$s\") | .steps] | add") steps, exit $st)"
}

# A stressor was skipped with a reason matching PATTERN, without errors
# (1 assertion).
check_stressor_skipped()
{
	local j=$1 s=$2 pattern=$3 why
	why=$(jqv "$j" "[.stress[] | select(.type == \"$s\")][0].reason")
	[ "$(jqv "$j" "[.stress[] | select(.type == \"$s\")][0] | .skipped and .errors == 0")" = true ] &&
		grep -qE -- "$pattern" <<<"$why"
	ok $? "$(basename "$j" .json): $s skipped: $why"
}
