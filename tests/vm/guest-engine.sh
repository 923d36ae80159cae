#!/bin/bash
# Runs inside the guest: the engine's runs whose results engine-*.test
# checks on the host. Each run leaves NAME.json, NAME.txt and NAME.status.
out=$1
uname -r >"$out/uname"

# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

mrstress --probe --json >"$out/probe.json" 2>"$out/probe.err"

# A clean run: nothing races the DMA, so nothing may be found.
run anon --mr anon:8M --dma write,qd=8 --duration 4 --seed 1

# Truncate-and-extend under a pinned MR, on a regular fs and on tmpfs.
for fs in ext4 tmpfs; do
	run "truncate-$fs" --mr "file:$fs:8M" --stress truncate,to=50%,interval=100ms,threads=2 \
		--duration 5 --expect detached,policy-refused
done

# On-demand paging: tried, and its outcome reported whatever it is.
run odp --mr memfd:4M,access=odp --duration 3

# A block corrupted behind the tool's back while it verifies by RDMA READ.
mrstress --mr file:tmpfs:8M --dma read --duration 8 --seed 2 \
	--json="$out/corrupt.json" >"$out/corrupt.txt" 2>"$out/corrupt.err" &
pid=$!
sleep 3
f=$(ls /mnt/mrstress/tmpfs/mrstress-"$pid"-* 2>/dev/null | head -n 1)
echo "$f" >"$out/corrupt.file"
# Block 0x123 of 4K: 0x123000, through the file, not through the MR.
dd if=/dev/urandom of="$f" bs=4096 seek=$((0x123)) count=1 conv=notrunc status=none
echo $? >"$out/corrupt.dd"
wait "$pid"
echo $? >"$out/corrupt.status"
exit 0
