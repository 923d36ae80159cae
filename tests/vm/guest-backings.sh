#!/bin/sh
# Runs inside the guest for backings.test: what this kernel offers for huge
# pages and THP, the probe's JSON, and the backings' own unit test run on
# this kernel (the uffd handler filling pages touched from user space).
out=$1
builddir=$2
uname -r >"$out/uname"
cat /sys/kernel/mm/transparent_hugepage/enabled >"$out/thp-enabled" 2>&1
# "hugepages-2048kB NR FREE" per pool.
pools()
{
	for d in /sys/kernel/mm/hugepages/hugepages-*; do
		echo "${d##*/} $(cat "$d/nr_hugepages") $(cat "$d/free_hugepages")"
	done
}
pools >"$out/hugepages" 2>&1
mrstress --probe --json >"$out/probe.json" 2>"$out/probe.err"
echo $? >"$out/probe.status"
pools >"$out/hugepages-after" 2>&1
CMOCKA_MESSAGE_OUTPUT=TAP "$builddir/tests/unit/test_backings" >"$out/unit-backings.tap" 2>&1
echo $? >"$out/unit-backings.status"
# THP switched off at run time: thp must still build, saying it got none.
thp=/sys/kernel/mm/transparent_hugepage/enabled
mode=$(sed -n 's/.*\[\(.*\)\].*/\1/p' $thp)
echo never >$thp
CMOCKA_MESSAGE_OUTPUT=TAP "$builddir/tests/unit/test_backings" >"$out/unit-backings-never.tap" 2>&1
echo $? >"$out/unit-backings-never.status"
echo "$mode" >$thp
exit 0
