#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run-fuzz.sh TARGET SECONDS MAX_LEN SEED...: runs the libFuzzer target
# tests/fuzz/TARGET_fuzz (built by 'make fuzz-TARGET', tests/fuzz/fuzz.mk)
# for SECONDS on inputs of at most MAX_LEN bytes, its corpus seeded with
# the SEED files (a directory gives its files but README). Everything it
# writes stays in tests/fuzz of the build tree: the corpus
# (TARGET-corpus/), crashing inputs (TARGET-crashes/) and the log
# (TARGET-fuzz.log). Prints one line of figures; exits non-zero on a crash,
# leak, sanitizer report or timeout, and says where the input is and how to
# reproduce it.
set -u
target=$1
seconds=$2
max_len=$3
shift 3
dir=tests/fuzz
me="run-fuzz: $target"

case $seconds in
'' | *[!0-9]*)
	echo "$me: FUZZ_TIME must be a number of seconds, not '$seconds'" >&2
	exit 2
	;;
esac
if [ ! -x "$dir/${target}_fuzz" ]; then
	echo "$me: $dir/${target}_fuzz is not built (make fuzz-$target)" >&2
	exit 2
fi
mkdir -p "$dir/$target-corpus" "$dir/$target-crashes" || exit 2
# Every seed goes into the corpus, the inputs of past crashes too: what
# broke the parser once is tried again first.
for seed in "$@"; do
	if [ -d "$seed" ]; then
		find "$seed" -maxdepth 1 -type f ! -name README \
			-exec cp {} "$dir/$target-corpus/" \; || exit 2
	else
		cp "$seed" "$dir/$target-corpus/" || exit 2
	fi
done

# libFuzzer writes a crashing input to -artifact_prefix and stops at the
# first one; -timeout makes an input that hangs the parser one too.
# The bundle target writes a directory per input: in memory, ten times
# the runs of a disk.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	TMPDIR=/dev/shm
	export TMPDIR
fi
log=$target-fuzz.log
cd "$dir" || exit 2
"./${target}_fuzz" -max_total_time="$seconds" -max_len="$max_len" \
	-rss_limit_mb=1024 -timeout=10 -print_final_stats=1 \
	-artifact_prefix="$target-crashes/" "$target-corpus" >"$log" 2>&1
rc=$?
# The figures: runs, their rate, coverage (cov: edges, ft: features) and
# the corpus at the end.
awk -v me="$me" -v s="$seconds" '
	/^#[0-9]+[[:space:]]/ { for (i = 2; i < NF; i++) {
		if ($i == "cov:") cov = $(i + 1)
		if ($i == "ft:") ft = $(i + 1)
		if ($i == "corp:") corp = $(i + 1) } }
	/^stat::number_of_executed_units/ { runs = $2 }
	/^stat::average_exec_per_sec/ { rate = $2 }
	END { split(corp, c, "/")
		printf "%s: %s runs in %s s, %s/s, cov: %s ft: %s, corpus: %s inputs (%s)\n",
		me, runs, s, rate, cov, ft, c[1], c[2] }' "$log"
if [ "$rc" -eq 0 ]; then
	echo "$me: no crash in $seconds s"
	exit 0
fi
# The sanitizer's report, then where the input is.
grep -E -A 30 '^(==[0-9]+==ERROR|.*runtime error:|==[0-9]+== ERROR: libFuzzer)' "$log" | head -n 60
crash=$(sed -n "s/^.*Test unit written to \\($target-crashes\\/[^ ]*\\).*\$/\\1/p" "$log" | tail -n 1)
echo "$me: FAILED (libFuzzer exit $rc); whole log: $dir/$log"
if [ -n "$crash" ]; then
	echo "$me: the input is $dir/$crash"
	echo "$me: reproduce: cd $dir && ./${target}_fuzz $crash"
	echo "$me: once fixed, add it to tests/fixtures/fuzz/$target/ (README there)"
fi
exit 1
