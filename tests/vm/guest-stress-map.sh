#!/bin/bash
# Runs inside the guest: the map family's stressors (stress/mprotect.c ...
# stress/uffd.c) against DMA, checked by stress-map*.test on the host. Each
# run leaves NAME.json, NAME.txt and NAME.status. $2 is the filesystem for
# the file MR: ext4 where the kernel registers writable MRs on it (6.1),
# tmpfs where it refuses them (6.5+).
out=$1
fs=${2:-ext4}
uname -r >"$out/uname"

# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

# Everything that must leave the data alone, together on one memory type
# (one run each keeps the boot short): each stressor's steps are counted
# apart, those that move the mapping hold view_lock for writing and those
# that walk it (fork, pins) for reading, and no data finding is legitimate.
# A refused registration (the file MR from 6.5) is expected. mw and uffd
# do not apply to these MRs and must say why.
mix()
{
	local name=$1 mr=$2 dma=$3 prot=$4 churn=$5
	run "$name" --mr "$mr" --dma "$dma" --duration 3 --seed 7 \
		--expect policy-refused \
		--stress "mprotect,prot=$prot,interval=50ms" \
		--stress mremap,interval=50ms \
		--stress fork,interval=150ms \
		--stress exec,interval=150ms \
		--stress exit-mr,interval=150ms \
		--stress "mr-churn,mode=$churn,interval=50ms" \
		--stress mr-churn,mode=rereg,interval=50ms,name=rereg \
		--stress mw --stress uffd
}

mix mix-anon anon:4M write none reg-dereg
mix mix-anon-shared anon-shared:4M write ro second
mix mix-memfd memfd:4M read rw-ro second
mix mix-file "file:$fs:4M" write none reg-dereg

# munmap + mmap of the same backing: the same pages for shared memory,
# fresh ones for private anonymous memory (a real detach, expected).
run remap-anon --mr anon:4M --dma write --stress remap,interval=100ms \
	--duration 3 --expect detached
for mr in anon-shared memfd "file:$fs"; do
	run "remap-${mr%%:*}" --mr "$mr:4M" --dma write \
		--stress remap,interval=50ms --duration 3
done

# Memory windows need an MR with IBV_ACCESS_MW_BIND.
run mw --mr anon:4M,access=rw+mw --dma write --stress mw,interval=20ms --duration 3

# userfaultfd: punched pages come back as fresh pages (copy, zeropage)
# while the MR keeps the old ones (detached, expected); zapped ptes come
# back as the same pages (continue), so nothing may change. Before 6.3
# the uffd MR itself is refused (EFAULT: a long-term pin cannot wait for
# a userfault), which the expectation covers.
for fill in copy zeropage; do
	run "uffd-$fill" --mr uffd:4M --dma write --duration 3 \
		--stress "uffd,fill=$fill,interval=100ms" \
		--expect detached,policy-refused
done
run uffd-continue --mr uffd:4M --dma write --duration 3 \
	--stress uffd,fill=continue,interval=50ms --expect policy-refused
exit 0
