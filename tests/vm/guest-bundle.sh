#!/bin/bash
# Runs inside the guest (default kernel): a run that finds 'detached' with
# a bundle (-o), the bundle replayed and minimized, a run stopped by
# SIGTERM, a bundle of two scenarios, and --replay of something that is
# not a bundle. bundle-checks.sh checks the results on the host.
out=$1
uname -r >"$out/uname"

# status NAME CMD...: CMD's stdout, stderr and exit status into $out/NAME.*
status()
{
	local name=$1
	shift
	"$@" >"$out/$name.txt" 2>"$out/$name.err"
	echo $? >"$out/$name.status"
}

# Truncate on an ext4 MR detaches pages on 6.1; the race can miss a short
# run, so a few seeds are tried until one finds it.
for seed in 11 12 13 14; do
	rm -rf "$out/b"
	status b mrstress --mr file:ext4:1M --stress truncate --stress fsync \
		--duration 3 --seed "$seed" -o "$out/b" --json="$out/b.json"
	[ "$(cat "$out/b.status")" = 1 ] && break
done
echo "$seed" >"$out/b.seed"

# The bundle's repro.c on its own: built with the command in its header,
# run against the same filesystem.
build_and_run()
{
	local name=$1 src=$2 cmd
	cmd=$(sed -n 's/^ \* Build:  *//p' "$src")
	echo "$cmd" >"$out/$name.build-cmd"
	(cd "$out" && cp "$src" repro.c && $cmd >"$out/$name.build" 2>&1)
	echo $? >"$out/$name.build-status"
	status "$name" timeout 120 "$out/repro" /mnt/mrstress/ext4
}
build_and_run repro "$out/b/repro.c"

status replay mrstress --replay "$out/b" --json="$out/replay.json"
cp -r "$out/b" "$out/b-before-minimize"
status minimize mrstress --minimize "$out/b"
build_and_run repro-min "$out/b/repro.c"

# SIGTERM in the middle of a long run: stop, tear down, report.
start=$(date +%s)
mrstress --mr anon:2M --stress madvise,advice=dontneed --duration 120 \
	--expect detached -o "$out/t" --json="$out/t.json" \
	>"$out/t.txt" 2>"$out/t.err" &
pid=$!
sleep 8
kill -TERM "$pid"
wait "$pid"
echo $? >"$out/t.status"
echo $(($(date +%s) - start)) >"$out/t.seconds"

# Two scenarios: a bundle each under DIR, and DIR/summary.txt over both.
for n in one two; do
	cat >"$out/$n.scn" <<-SCN
		[scenario]
		name = $n
		duration = 1s
		[mr m]
		backing = anon
		size = 256K
	SCN
done
status multi mrstress "$out/one.scn" "$out/two.scn" -o "$out/m" \
	--json="$out/multi.json"
status multi-replay mrstress --replay "$out/m" --json="$out/multi-replay.json"

status notbundle mrstress --replay "$out/one.scn.d"
