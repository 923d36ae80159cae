#!/bin/bash
# Sourced by known-problems*.test: what the nine known-problem scenarios
# must show on the kernel the guest ran, measured, per scenario. Each
# expectation below follows from the kernel's release and the machine's
# capabilities as the report states them, so one file checks every kernel.

# sq NAME QUERY: QUERY on the scenario named NAME of known.json.
sq()
{
	jq -r ".scenarios[] | select(.scenario.name == \"$1\") | ($2)" \
		"$kd/known.json" 2>/dev/null || echo null
}

# Findings of NAME outside the classes (a jq array) it may show.
others()
{
	sq "$1" "[.findings[] | select(.class as \$c | $2 | index(\$c) | not)] | length"
}

# Stressors of NAME on registered MRs that never stepped.
idle()
{
	# shellcheck disable=SC2016 # jq variables
	sq "$1" '[.mrs[] | select(.registered) | .name] as $reg |
		[.stress[] | select((.mr as $m | $reg | index($m)) and .steps == 0 and (.skipped | not)) | .name] | join(",")'
}

# The gup_longterm rule (KERNEL-FACTS.md): which of the 30 MRs each kernel
# pins, and the errno of those it refuses.
check_longterm()
{
	local post65=$1 odp=$2 n bad
	n=$(sq longterm-file-pin '.mrs | length')
	is "$n" 30 "longterm-file-pin: 30 MRs (4 filesystems x shared/private x rw/ro/odp, shmem, hugetlb)"
	bad=$(sq longterm-file-pin "[.mrs[] | select(.skipped | not) |
		(.name | endswith(\"-odp\")) as \$isodp |
		(.backing == \"file\" and (.fs | IN(\"ext4\", \"xfs\", \"btrfs\")) and
		 (.name | endswith(\"-rw\"))) as \$policy |
		(if \$isodp then $odp elif \$policy then ($post65 | not) else true end) as \$want |
		select(.registered != \$want or
		       (\$policy and ($post65) and .errno != \"EFAULT\")) |
		\"\(.name)=\(.registered)/\(.errno)\"] | join(\",\")")
	is "$bad" "" "longterm-file-pin: every registration follows the pin policy of $rel (odp $odp)"
	is "$(sq longterm-file-pin '[.dma[] | select(.ran and .blocks_final == 0)] | length')" 0 \
		"longterm-file-pin: every DMA that ran checked its blocks at the end"
}

# check_known_results DIR: the guest's results in DIR.
check_known_results()
{
	local post65=false odp status d=$1
	kd=$1
	rel=$(cat "$d/uname" 2>/dev/null)
	release_at_least "$rel" 6.5 && post65=true
	is "$(cat "$d/known.status" 2>/dev/null)" 0 \
		"the nine scenarios exit 0 on $rel: every finding expected, every expectation met"
	is "$(jqv "$d/known.json" '.complete')/$(jqv "$d/known.json" '.scenarios | length')" true/9 \
		"one complete JSON document with the nine scenarios"
	is "$(jqv "$d/known.json" '[.scenarios[] | select(.status != 0 and .status != 4) | "\(.scenario.name)=\(.status)"] | join(",")')" "" \
		"every scenario passed or was skipped"
	is "$(jqv "$d/known.json" '[.scenarios[] | select(.ran and .elapsed != null and .elapsed - (.startup // 0) > .duration + 1) | .scenario.name] | join(",")')" "" \
		"every scenario ran within its duration"
	local wall
	wall=$(cat "$d/known.wall" 2>/dev/null)
	[ "${wall:-999}" -le 300 ] 2>/dev/null
	ok $? "the nine scenarios took ${wall:-?} s in the guest (bound: 300 s)"
	odp=$(jqv "$d/known.json" '.scenarios[0].machine.capabilities.odp')
	check_longterm "$post65" "$odp"

	# truncate-under-pin: the data the file lost is detached from the MR.
	is "$(sq truncate-under-pin '[.findings[] | select(.class == "detached") | .mr] | unique | join(",")')" \
		"$([ "$post65" = true ] && echo tmpfs || echo ext4,tmpfs,xfs)" \
		"truncate-under-pin: detached on every pinned file MR that is truncated or punched"
	is "$(sq truncate-under-pin '[.findings[] | select(.class == "policy-refused") | "\(.mr)=\(.errno)"] | join(",")')" \
		"$([ "$post65" = true ] && echo ext4=EFAULT,xfs=EFAULT)" \
		"truncate-under-pin: the writable ext4 and xfs pins refused exactly from 6.5"
	is "$(others truncate-under-pin '["detached","policy-refused"]')" 0 \
		"truncate-under-pin: no other finding"

	# The races that must leave data and kernel alone.
	for s in writeback-vs-dma fsync-vs-pinned unmap-vs-dirty; do
		is "$(others "$s" '["policy-refused"]')/$(idle "$s")" 0/ \
			"$s: no finding but refused pins, and every stressor on a pinned MR stepped"
	done
	is "$(others gup-fast-race '["detached"]')/$(sq gup-fast-race '[.findings[] | select(.mr != "anon")] | length')" 0/0 \
		"gup-fast-race: nothing but the private anon pages remap detaches"
	is "$(sq gup-fast-race '[.stress[] | select(.type == "mr-churn") | .steps] | add > 100')/$(idle gup-fast-race)" true/ \
		"gup-fast-race: over 100 registrations raced remap, mremap and fork, each of which stepped"
	is "$(others uffd-dirty '["detached","policy-refused"]')/$(sq uffd-dirty '[.findings[] | select(.mr != "uffd")] | length')" 0/0 \
		"uffd-dirty: no data lost, only the punched uffd ranges detached"
	# The pin of userfaultfd-missing shmem is refused now and then (EFAULT).
	if [ "$(sq uffd-dirty '.mrs[] | select(.name == "uffd") | .errno')" = EFAULT ]; then
		echo "# uffd-dirty: the uffd MR was refused (EFAULT) in this run"
		is "$(sq uffd-dirty '.stress[] | select(.name == "refill") | .skipped')" true \
			"uffd-dirty: refused uffd MR, its stressors skipped saying why"
	else
		is "$(sq uffd-dirty '.stress[] | select(.name == "refill") | .steps > 0')" true \
			"uffd-dirty: ranges were punched and filled again by UFFDIO_COPY"
	fi
	# A fork copies the pinned pages for the child: seconds under TCG.
	is "$(sq fork-cow-pin '.findings | length')/$(sq fork-cow-pin '[.stress[] | select(.steps < 2) | .name] | join(",")')" 0/ \
		"fork-cow-pin: the parent's data stays the parent's over at least 2 forks per stressor"
	status=$(sq odp-coherence '.status')
	if [ "$odp" = true ]; then
		is "$status/$(others odp-coherence '[]')" 0/0 "odp-coherence: the ODP MRs follow the memory (no finding)"
	else
		is "$status/$(sq odp-coherence '.error | test("requires odp")')" 4/true \
			"odp-coherence: skipped without ODP, saying why"
	fi
	check_schema "$d/known.json"
}
