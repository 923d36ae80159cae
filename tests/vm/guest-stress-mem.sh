#!/bin/bash
# Runs inside the guest: each memory stressor for ~3 s against DMA on the
# memory types it applies to; stress-mem*.test checks the results on the
# host. Each run leaves NAME.json, NAME.txt and NAME.status in OUT. FS is
# the scratch filesystem for writable shared file MRs (ext4 where the
# kernel still lets them register, tmpfs where it does not); private file
# mappings always use ext4.
#
# Stressors that change the whole system (caches, writeback, pressure,
# compaction, KSM) run alone; the ones that touch only their own MR run in
# pairs, two processes at once, to keep the boot short.
out=$1
fs=${2:-ext4}
uname -r >"$out/uname"
cat /sys/devices/system/node/online >"$out/numa-online" 2>/dev/null

# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

# A ~3 s run; "short" runs are the ones whose stressor must be skipped.
run3()
{
	run "$@" --duration 3
}

short()
{
	run "$@" --duration 0.5
}

# The tunables a stressor changes, one "path value" a line; read with
# builtins, fast enough to sample within a run (a cat is slow under TCG).
knobs()
{
	local f v
	for f in "$@"; do
		v=
		read -r v <"$f"
		echo "$f $v"
	done 2>/dev/null
}

dirty_knobs=(/proc/sys/vm/dirty_expire_centisecs /proc/sys/vm/dirty_writeback_centisecs
	/proc/sys/vm/dirty_background_bytes /proc/sys/vm/dirty_background_ratio
	/proc/sys/vm/dirty_bytes /proc/sys/vm/dirty_ratio)
ksm_knobs=(/sys/kernel/mm/ksm/run /sys/kernel/mm/ksm/pages_to_scan
	/sys/kernel/mm/ksm/sleep_millisecs)

# --- alone: system-wide stressors -------------------------------------
run3 drop-caches --mr "file:$fs:2M" --stress drop-caches,what=1,interval=100ms

knobs "${dirty_knobs[@]}" >"$out/dirty-before"
run3 dirty --mr "file:$fs:2M" --stress dirty,interval=100ms,bytes=1M &
pid=$!
# Once the last tunable is set (start-up takes seconds under TCG).
while kill -0 "$pid" 2>/dev/null; do
	read -r v </proc/sys/vm/dirty_bytes
	[ "$v" = 1048576 ] && break
	sleep 0.05
done
knobs "${dirty_knobs[@]}" >"$out/dirty-during"
wait
knobs "${dirty_knobs[@]}" >"$out/dirty-after"

run3 pressure-alloc --mr "file:$fs:2M" --stress pressure,target=128M,hold=100ms,interval=200ms
run3 pressure-cgroup --mr memfd:2M --stress pressure,mode=cgroup,interval=200ms

run3 compact --mr anon:2M --stress compact,interval=300ms

knobs "${ksm_knobs[@]}" >"$out/ksm-before"
run3 ksm-anon --mr anon:2M --stress ksm,interval=100ms --expect detached
knobs "${ksm_knobs[@]}" >"$out/ksm-after"

# --- in pairs: madvise, thp, migrate on their own MRs ------------------
# dontneed on private memory gives the CPU fresh pages while the MR keeps
# the old ones: detached is the expected outcome there, not on shmem.
run3 madvise-dontneed-anon --mr anon:2M --stress madvise,advice=dontneed,interval=100ms \
	--expect detached &
run3 madvise-dontneed-memfd --mr memfd:2M --stress madvise,advice=dontneed,interval=100ms
wait
run3 madvise-dontneed-thp --mr thp:4M --stress madvise,advice=dontneed,interval=200ms \
	--expect detached &
run3 madvise-dontneed-private --mr file-private:ext4:2M \
	--stress madvise,advice=dontneed,interval=100ms --expect detached
wait
# remove punches shmem: zeros are legal in the file's views, the MR keeps
# its pages.
run3 madvise-remove-memfd --mr memfd:2M --stress madvise,advice=remove,interval=100ms \
	--expect detached &
run3 madvise-remove-shared --mr anon-shared:2M --stress madvise,advice=remove,interval=100ms \
	--expect detached
wait
run3 madvise-free-anon --mr anon:2M --stress madvise,advice=free,interval=100ms &
run3 madvise-pageout-file --mr "file:$fs:2M" --stress madvise,advice=pageout,interval=100ms \
	--dma read
wait
run3 madvise-cold-anon --mr anon:2M --stress madvise,advice=cold,interval=100ms &
run3 madvise-willneed-file --mr "file:$fs:2M" --stress madvise,advice=willneed,interval=100ms
wait
run3 thp-thp --mr thp:4M --stress thp,op=both,interval=200ms --expect detached &
run3 migrate-anon --mr anon:2M --stress migrate,interval=100ms --expect detached
wait
run3 migrate-memfd --mr memfd:2M --stress migrate,interval=100ms --dma read \
	--expect detached &
run3 migrate-thp --mr thp:4M --stress migrate,interval=200ms --expect detached
wait

# --- refusals known before the run: skipped with the reason ------------
short madvise-remove-anon --mr anon:1M --stress madvise,advice=remove &
short madvise-free-memfd --mr memfd:1M --stress madvise,advice=free &
wait
short thp-anon --mr anon:1M --stress thp,op=collapse &
short ksm-memfd --mr memfd:1M --stress ksm &
wait
exit 0
