#!/bin/bash
# Runs in the guest (bad-env.test): mrstress on input that names things of
# this machine wrongly, with a real rxe device and real filesystems there.
# Leaves NAME.status, NAME.err and NAME.txt in OUT for each case.
set -u
out=${1:?usage: guest-bad-env.sh OUTDIR}
export MRSTRESS_SCRATCH=${MRSTRESS_SCRATCH:-}

# case NAME ARGS...: mrstress ARGS with its outputs in $out.
case_()
{
	local name=$1
	shift
	mrstress "$@" >"$out/$name.txt" 2>"$out/$name.err"
	echo $? >"$out/$name.status"
}

rdma link show >"$out/devices" 2>&1
case_ device --device nosuch --mr anon:1M --duration 1s
case_ device-probe --probe --device nosuch
case_ scratch-missing --scratch /nonexistent --mr anon:1M --duration 1s
case_ scratch-file --scratch /etc/hostname --mr anon:1M --duration 1s
case_ scratch-wrong-fs --scratch ext4=/mnt/mrstress/xfs --mr file:ext4:1M --duration 1s
case_ dir-missing --mr file:/nonexistent/dir:1M --duration 1s
case_ json-missing-dir --mr anon:1M --duration 1s --json=/nonexistent/r.json
case_ junit-is-dir --mr anon:1M --duration 1s --junit "$out"
# A filesystem the VM does not mount: the MR is skipped (status 4), as
# before; the run itself starts, and so is no usage error.
case_ absent-fs "$(dirname "$0")/scenarios/absent-fs.scn"
# The same device by its right name runs: the check refuses only the wrong.
dev=$(rdma link show 2>/dev/null | sed -n 's|^link \([^/]*\)/.*|\1|p' | head -n 1)
case_ device-right --device "$dev" --mr anon:1M --duration 1s --status-interval 0
