#!/bin/bash
# Sourced by the guest-*.sh scripts that run mrstress inside the guest and
# leave its results for the host-side test in $out.

# run NAME ARGS...: mrstress ARGS, leaving NAME.json, NAME.txt, NAME.err
# and NAME.status (its exit status) in $out.
run()
{
	local name=$1 out=${out:?the sourcing script sets out}
	shift
	mrstress "$@" --json="$out/$name.json" >"$out/$name.txt" 2>"$out/$name.err"
	echo $? >"$out/$name.status"
}
