#!/bin/bash
# Runs inside the guest: the detectors on a clean run and on a run whose
# filesystem is frozen under it. detect*.test checks the results.
out=$1
src=$2
uname -r >"$out/uname"
fs=/mnt/mrstress/ext4

# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

# NAME ARGS...: mrstress ARGS in the background; 3 s in, freeze the
# scratch ext4. Once the report is written, note whether mrstress is
# still there (a thread of it is blocked), then thaw and collect it.
frozen_run()
{
	local name=$1 pid
	shift
	mrstress "$@" --json="$out/$name.json" >"$out/$name.txt" 2>"$out/$name.err" &
	pid=$!
	sleep 3
	fsfreeze -f "$fs"
	for _ in $(seq 1 120); do
		[ -s "$out/$name.json" ] && break
		sleep 1
	done
	sleep 1
	if kill -0 "$pid" 2>/dev/null; then
		echo alive >"$out/$name.after-report"
	else
		echo gone >"$out/$name.after-report"
	fi
	cat /proc/sys/kernel/hung_task_timeout_secs >"$out/$name.hung-timeout"
	fsfreeze -u "$fs"
	wait "$pid"
	echo $? >"$out/$name.status"
	# Thawed: the filesystem takes writes again.
	timeout 10 dd if=/dev/zero of="$fs/after-$name" bs=4k count=1 2>/dev/null
	echo $? >"$out/$name.thawed"
}

cat /proc/sys/kernel/hung_task_timeout_secs >"$out/hung-timeout-before"

# Nothing wrong: no finding, the log read, taint unchanged, pins returned.
run clean --mr file:ext4:4M,access=ro,name=data --mr memfd:4M,name=mem \
	--dma read,mr=data --dma write,mr=mem --stress fsync,mr=data \
	--stress pwrite,mr=data --duration 3 --seed 5
cat /proc/sys/kernel/hung_task_timeout_secs >"$out/clean.hung-timeout"

# The same frozen: a hang and the kernel's hung task, not expected...
frozen_run freeze --mr file:ext4:4M,access=ro,name=data --mr memfd:4M,name=mem \
	--dma read,mr=data --dma write,mr=mem \
	--stress fsync,mr=data,interval=200ms --stress pwrite,mr=data,interval=100ms \
	--duration 10 --hang-timeout 3 --seed 6
# ...and expected by the scenario.
frozen_run expected "$src/tests/vm/scenarios/freeze-hang.scn"
exit 0
