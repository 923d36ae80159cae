#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run-kmsg-fuzz.sh SRCDIR SECONDS: runs the kernel log parser's libFuzzer
# target (tests/fuzz/kmsg_fuzz, built by 'make fuzz-kmsg') for SECONDS,
# seeded with the kmsg fixtures. Everything it writes stays in tests/fuzz of
# the build tree: the corpus (kmsg-corpus/), crashing inputs (kmsg-crashes/)
# and the log (kmsg-fuzz.log). Exits non-zero on a crash, leak, sanitizer
# report or timeout, and says where the input is and how to reproduce it.
set -u
srcdir=$1
seconds=$2
dir=tests/fuzz
fixtures=$srcdir/tests/fixtures/kmsg

case $seconds in
'' | *[!0-9]*)
	echo "run-kmsg-fuzz: FUZZ_TIME must be a number of seconds, not '$seconds'" >&2
	exit 2
	;;
esac
if [ ! -x "$dir/kmsg_fuzz" ]; then
	echo "run-kmsg-fuzz: $dir/kmsg_fuzz is not built" >&2
	exit 2
fi
mkdir -p "$dir/kmsg-corpus" "$dir/kmsg-crashes" || exit 2
# Every fixture seeds the corpus, the inputs of past crashes too: what
# broke the parser once is tried again first.
cp "$fixtures"/*.kmsg "$fixtures"/*.txt "$fixtures"/*.dmesg \
	"$fixtures"/fuzz/* "$dir/kmsg-corpus/" || exit 2

# libFuzzer writes a crashing input to -artifact_prefix and stops at the
# first one; -timeout makes an input that hangs the parser one too.
cd "$dir" || exit 2
./kmsg_fuzz -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=1024 \
	-timeout=10 -print_final_stats=1 -artifact_prefix=kmsg-crashes/ \
	kmsg-corpus >kmsg-fuzz.log 2>&1
rc=$?
grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec|Done [0-9]+ runs)' kmsg-fuzz.log
if [ "$rc" -eq 0 ]; then
	echo "run-kmsg-fuzz: no crash in $seconds s"
	exit 0
fi
# The sanitizer's report, then where the input is.
grep -E -A 30 '^(==[0-9]+==ERROR|.*runtime error:|==[0-9]+== ERROR: libFuzzer)' kmsg-fuzz.log | head -n 60
crash=$(sed -n 's/^.*Test unit written to \(kmsg-crashes\/[^ ]*\).*$/\1/p' kmsg-fuzz.log | tail -n 1)
echo "run-kmsg-fuzz: FAILED (libFuzzer exit $rc); whole log: $dir/kmsg-fuzz.log"
if [ -n "$crash" ]; then
	echo "run-kmsg-fuzz: the input is $dir/$crash"
	echo "run-kmsg-fuzz: reproduce: cd $dir && ./kmsg_fuzz $crash"
	echo "run-kmsg-fuzz: once fixed, add it to tests/fixtures/kmsg/fuzz/ (README there)"
fi
exit 1
