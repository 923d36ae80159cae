#!/bin/bash
# Runs inside the guest: the fault sweep. Each fault point of mrstress, at
# each probability, over tests/vm/scenarios/faults.scn; for each run it
# leaves in $out/P-PROB.{status,txt,err,json,junit.xml,bundle,leaks} what
# faults.test checks. A run is killed after 120 s: that is a hang.
out=$1 src=$2
shift 2
probs=("$@")
scn=$src/tests/vm/scenarios/faults.scn
scratch=/mnt/mrstress/ext4

vmstat_pins()
{
	awk '/^nr_foll_pin_acquired/ { a = $2 } /^nr_foll_pin_released/ { r = $2 }
		END { print a - r }' /proc/vmstat
}

# What a run left behind once it has exited: pinned pages, MRs, files in the
# scratch directory, mrstress processes, temporary report files.
leaks()
{
	local pins_before=$1 dir=$2 n
	n=$(($(vmstat_pins) - pins_before))
	[ "$n" -le 0 ] || echo "pins: $n pages still pinned"
	n=$(rdma res show mr 2>/dev/null | grep -c .)
	[ "$n" -eq 0 ] || echo "mrs: $n MRs still registered: $(rdma res show mr | head -n 3 | tr '\n' ' ')"
	n=$(find "$scratch" -mindepth 1 -maxdepth 1 -name 'mrstress-*' | wc -l)
	[ "$n" -eq 0 ] || echo "files: $n scratch files left: $(ls "$scratch" | head -n 3 | tr '\n' ' ')"
	n=$(pgrep -c -x mrstress)
	[ "$n" -eq 0 ] || echo "processes: $n mrstress processes left"
	n=$(find "$dir" -name '.*.[0-9]*.??????' | wc -l)
	[ "$n" -eq 0 ] || echo "temporaries: $n report temp files left"
}

# The guest has no /dev/fd: no process substitution.
mapfile -t points <<<"$(mrstress --fault list | awk '$1 ~ /^mrstress\// { print $1 }')"
printf '%s\n' "${points[@]}" >"$out/points"
for p in "${points[@]}"; do
	for prob in "${probs[@]}"; do
		name=$(echo "$p" | tr / _)-$prob
		d=$out/$name
		mkdir -p "$d"
		before=$(vmstat_pins)
		start=$(date +%s.%N)
		timeout -s KILL 120 mrstress --fault "$p:$prob" --status-interval 0 \
			--json="$d/report.json" --junit "$d/junit.xml" -o "$d/bundle" "$scn" \
			>"$d/txt" 2>"$d/err"
		echo $? >"$d/status"
		awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' >"$d/wall"
		# A killed run's children and pins take a moment to go.
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			pgrep -x mrstress >/dev/null || break
			sleep 0.5
		done
		leaks "$before" "$d" >"$d/leaks"
		echo "$p $prob" >"$d/point"
		rm -f "$scratch"/mrstress-*
	done
done
