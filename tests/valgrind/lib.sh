# shellcheck shell=bash disable=SC2034 # sourced by the tests, which use these names
# SPDX-License-Identifier: GPL-2.0-or-later
# What the tests/valgrind/*.test files share: vg runs one program under
# memcheck as one TAP line; a run ends with vg_done.
set -u
srcdir=${MRSTRESS_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${MRSTRESS_BUILDDIR:-$srcdir}
memcheck=$srcdir/tests/valgrind/memcheck
mrstress=$builddir/src/mrstress
n=0
failed=0

command -v valgrind >/dev/null || {
	echo "1..0 # SKIP valgrind not installed (apt-get install valgrind)"
	exit 0
}
dir=$(mktemp -d) || exit 1
trap 'rm -rf "$dir"' EXIT

# A device would let the runs that stop at "no RDMA device" (4) go on.
nodev=4
ls /sys/class/infiniband/* >/dev/null 2>&1 && nodev=any

# vg WANT DESCRIPTION PROGRAM [ARG]...: one run under memcheck, its
# output in the log; WANT "any" takes every status but 99.
vg()
{
	local want=$1 what=$2 rc
	shift 2
	n=$((n + 1))
	"$memcheck" "$@" >"$dir/out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ] || { [ "$want" = any ] && [ "$rc" != 99 ]; }; then
		echo "ok $n - $what (exit $rc)"
	else
		echo "not ok $n - $what (exit $rc, want $want; 99 is memcheck's)"
		sed 's/^/# /' "$dir/out" | tail -n 40
		failed=$((failed + 1))
	fi
}

vg_done()
{
	[ "$failed" -eq 0 ]
}
