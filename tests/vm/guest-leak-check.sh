#!/bin/bash
# Runs inside the guest: the mr-leak check on a clean run, then with an MR
# whose owner has exited appearing during a run, once while another process
# still holds its device file (not judged) and once with the file only in
# flight on a unix socket (an mr-leak). leak-check-lib.sh checks the results.
out=$1
helpers=$2 # where mr-list and mr-orphan were built
uname -r >"$out/uname"

# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

# How long one `rdma -j res show mr` takes here, in microseconds.
for _ in 1 2 3; do
	s=$(date +%s%N)
	rdma -j res show mr >"$out/rdma-empty.json" 2>&1
	echo $((($(date +%s%N) - s) / 1000)) >>"$out/rdma-us"
done

# Until the kernel lists an MR of a process called mrstress (at most 20 s).
wait_for_mrstress()
{
	for _ in $(seq 1 60); do
		rdma res show mr 2>/dev/null | grep -q 'comm mrstress' && return 0
		sleep 0.3
	done
	return 1
}

# A clean run: a file MR on ext4 (refused since 6.5), a memfd MR, DMA into
# both, children that register and exit, and MRs registered over and over.
mrstress --mr file:ext4:8M --mr memfd:8M --dma write --dma write,mr=mr1 \
	--stress exit-mr,mr=mr1,interval=200ms --stress mr-churn,mr=mr1,interval=100ms \
	--duration 3 --seed 7 --expect policy-refused \
	--json="$out/clean.json" >"$out/clean.txt" 2>"$out/clean.err" &
pid=$!
wait_for_mrstress && rdma -j res show mr >"$out/live.json" 2>&1
wait "$pid"
echo $? >"$out/clean.status"

# orphan_run NAME MODE: a run during which mr-orphan leaves a 64K MR of an
# exited process, held as MODE says; the lists before and after its holder
# is killed.
orphan_run()
{
	local name=$1 mode=$2 holder
	mrstress --mr anon:4M --dma write --duration 6 --seed 8 \
		--json="$out/$name.json" >"$out/$name.txt" 2>"$out/$name.err" &
	pid=$!
	wait_for_mrstress
	"$helpers/mr-orphan" rxe0 65536 "$mode" 120 >"$out/$name.info" 2>&1
	"$helpers/mr-list" >"$out/$name.list" 2>&1
	wait "$pid"
	echo $? >"$out/$name.status"
	holder=$(awk '{ print $NF }' "$out/$name.info")
	kill "$holder"
	sleep 1
	"$helpers/mr-list" >"$out/$name-gone.list" 2>&1
}
orphan_run hold hold
orphan_run inflight inflight
exit 0
