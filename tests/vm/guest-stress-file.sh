#!/bin/bash
# Runs inside the guest: the file stressors, each for ~3 s against DMA,
# whose results stress-file*.test checks on the host. Each run leaves
# NAME.json, NAME.txt and NAME.status in the output directory; several
# stressors share a run where they do not change what the others may see.
out=$1
uname -r >"$out/uname"

# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

# Since 6.5 a writable long-term pin of a MAP_SHARED ext4/xfs/btrfs file is
# refused; tmpfs (shmem) stays allowed, so later kernels race on tmpfs.
fs=ext4
rel=$(uname -r)
if [ "$(printf '%s\n%s\n' 6.5 "${rel%%[-+]*}" | sort -V | head -n 1)" = 6.5 ]; then
	fs=tmpfs
fi
echo "$fs" >"$out/fs"
mr="file:$fs:8M"
# What the kernel legitimately shows when pages leave the file under a pin
# (truncate, punch, collapse), and the 6.5+ registration policy.
lost=detached,zeroed,stale,policy-refused
d=3

# Writeback of every kind, and growing the file past the MR: none of these
# makes any byte of the MR legally different, so nothing may be found.
run sync --mr "$mr" --dma write --duration $d \
	--stress fsync,interval=100ms --stress fdatasync,interval=100ms \
	--stress syncfs,interval=200ms \
	--stress sync-file-range,flags=wait-before+write+wait-after,interval=50ms \
	--stress truncate,mode=extend,to=200%,interval=100ms,name=extend

# msync on anonymous memory (legal, next to nothing) and on the file.
run msync --mr anon:8M,name=anon --mr "$mr,name=file" --duration $d \
	--dma write,mr=anon --dma write,mr=file \
	--stress msync,mr=anon,flags=async+invalidate,interval=20ms,name=msync-anon \
	--stress msync,mr=file,flags=sync,interval=50ms,name=msync-file

# Every fallocate mode on every filesystem (the ones a filesystem lacks are
# skipped with the reason), and a file left short for whole intervals.
for f in ext4 xfs btrfs tmpfs; do
	run "fallocate-$f" --mr "file:$f:8M" --dma write --duration $d \
		--stress fallocate,mode=punch,name=punch,interval=200ms \
		--stress fallocate,mode=zero,name=zero,interval=200ms \
		--stress fallocate,mode=collapse-insert,name=collapse-insert,interval=300ms \
		--stress fallocate,mode=insert-collapse,name=insert-collapse,interval=300ms \
		--stress truncate,mode=shrink,to=50%,name=shrink,interval=200ms \
		--expect "$lost"
done

# fsfreeze with fsync and DMA; then the filesystem must be writable again.
# Longer: the freeze probed in setup first writes back the new file (which
# takes seconds under TCG; an fsync started first would delay the probe
# past the run). Where a shared ext4 MR is refused, a private mapping of
# the file still pins.
for f in ext4 tmpfs; do
	b="file"
	[ "$f" = ext4 ] && [ "$fs" != ext4 ] && b="file-private"
	run "fsfreeze-$f" --mr "$b:$f:8M" --dma write --duration 8 \
		--stress fsfreeze,hold=300ms,interval=400ms --stress fsync,interval=50ms \
		--expect policy-refused
	timeout 10 touch "/mnt/mrstress/$f/thawed"
	echo $? >"$out/fsfreeze-$f.thawed"
done

# The two-process question, an ordinary writer in 4K blocks beside the DMA,
# and page cache reads.
run other --mr "$mr" --dma write,bs=4K --duration $d \
	--stress fsync-other,interval=100ms \
	--stress pwrite,interval=5ms --stress pread,interval=50ms
# 1K blocks: DMA and the writers alternate within each page.
run pwrite-1k --mr "$mr" --dma write,bs=1K --duration $d \
	--stress pwrite,interval=5ms --stress pwrite,io=mmap,interval=5ms,name=store
exit 0
