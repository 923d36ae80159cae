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
