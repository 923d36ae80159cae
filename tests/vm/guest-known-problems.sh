#!/bin/bash
# Runs inside the guest: the known-problem scenarios, all in one mrstress
# run, as scripts/matrix runs them; known-problems*.test checks the result.
out=$1 src=$2
uname -r >"$out/uname"
# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"
start=$(date +%s)
run known -o "$out/bundle" --status-interval 0 \
	"$src"/scenarios/{longterm-file-pin,truncate-under-pin,writeback-vs-dma,fsync-vs-pinned,unmap-vs-dirty,gup-fast-race,uffd-dirty,odp-coherence,fork-cow-pin}.scn
echo $(($(date +%s) - start)) >"$out/known.wall"
