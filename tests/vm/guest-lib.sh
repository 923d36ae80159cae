#!/bin/bash
# Sourced by the guest-*.sh scripts that run mrstress inside the guest and
# leave its results for the host-side test in $out.

# run NAME ARGS...: mrstress ARGS, leaving NAME.json, NAME.txt, NAME.err
# and NAME.status (its exit status) in $out.
run()
{
	local name=$1 out=${out:?the sourcing script sets out}
	shift
	mrstress "$@" --json="$out/$name.json" >"$out/$name.txt" 2>"$out/$name.err"
	echo $? >"$out/$name.status"
}

# frozen_run NAME ARGS...: mrstress ARGS in the background; 3 s in, freeze
# the scratch ext4. Once the report is written, note whether mrstress is
# still there (a thread of it is blocked), then thaw and collect it.
frozen_run()
{
	local name=$1 pid fs=/mnt/mrstress/ext4
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
