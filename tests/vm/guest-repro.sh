#!/bin/bash
# Runs inside the guest: writes standalone reproducers with
# mrstress --print-repro, builds each with the command its header gives and
# runs it on its own. Each case NAME leaves NAME.c, NAME.gen (mrstress's
# status), NAME.build (the build's output and NAME.build-status) and
# NAME.out / NAME.status (the reproducer's) in $out.
out=$1
uname -r >"$out/uname"

# repro NAME DIR MRSTRESS-ARGS...: one case; DIR is the reproducer's argument.
repro()
{
	local name=$1 dir=$2 cmd
	shift 2
	mrstress --print-repro="$out/$name.c" "$@" 2>"$out/$name.gen-err"
	echo $? >"$out/$name.gen"
	mkdir -p "$out/$name"
	cp "$out/$name.c" "$out/$name/repro.c" 2>/dev/null
	# The exact build command of the header, as a maintainer would paste it.
	cmd=$(sed -n 's/^ \* Build:  *//p' "$out/$name.c" 2>/dev/null)
	echo "$cmd" >"$out/$name.cmd"
	(cd "$out/$name" && eval "$cmd") >"$out/$name.build" 2>&1
	echo $? >"$out/$name.build-status"
	# shellcheck disable=SC2086 # an empty DIR is no argument
	(cd "$out/$name" && ./repro $dir) >"$out/$name.out" 2>&1
	echo $? >"$out/$name.status"
}

# On 6.1 a truncate under a writable pin of an ext4 file detaches the MR.
repro truncate-ext4 /mnt/mrstress/ext4 --mr file:ext4:2M --dma write \
	--stress truncate,to=50%,interval=100ms --duration 10 --seed 11 \
	--repro-class detached
# Private anonymous memory: MADV_DONTNEED gives the CPU fresh zero pages.
repro madvise-anon "" --mr anon:2M --dma write \
	--stress madvise,advice=dontneed,interval=100ms --duration 10 --seed 12 \
	--repro-class detached
# memfd: a hole punched under the pin leaves the MR with pages the file lost.
repro punch-memfd "" --mr memfd:2M --dma write \
	--stress fallocate,mode=punch,interval=100ms --duration 10 --seed 13
# The 6.5 pin policy: since then this registration is refused (EFAULT).
repro policy-ext4 /mnt/mrstress/ext4 --mr file:ext4:2M --dma write \
	--duration 2 --seed 15 --repro-class policy-refused
# Negative control: nothing races the DMA, nothing may be found.
repro clean-anon "" --mr anon:2M --dma write --duration 4 --seed 14 \
	--repro-class detached
exit 0
