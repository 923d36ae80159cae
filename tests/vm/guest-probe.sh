#!/bin/sh
# Runs inside the guest: record what the host-side test checks.
out=$1
uname -r >"$out/uname"
rdma link show rxe0/1 >"$out/rxe-link" 2>&1
mrstress --probe --json >"$out/probe.json" 2>"$out/probe.err"
echo $? >"$out/probe-json.status"
mrstress --probe >"$out/probe.txt" 2>&1
echo $? >"$out/probe-text.status"
echo "to-stdout"
echo "to-stderr" >&2
exit 0
