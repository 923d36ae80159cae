#!/bin/bash
# Runs inside the guest: the detectors on a clean run and on a run whose
# filesystem is frozen under it. detect*.test checks the results.
out=$1
src=$2
uname -r >"$out/uname"

# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"

cat /proc/sys/kernel/hung_task_timeout_secs >"$out/hung-timeout-before"

# Nothing wrong: no finding, the log read, taint unchanged, pins returned.
run clean --mr file:ext4:4M,access=ro,name=data --mr memfd:4M,name=mem \
	--dma read,mr=data --dma write,mr=mem --stress fsync,mr=data \
	--stress pwrite,mr=data --duration 3 --seed 5
cat /proc/sys/kernel/hung_task_timeout_secs >"$out/clean.hung-timeout"

# The same frozen: a hang and the kernel's hung task, not expected...
frozen_run freeze --mr file:ext4:4M,access=ro,name=data --mr memfd:4M,name=mem \
	--dma read,mr=data --dma write,mr=mem \
	--stress fsync,mr=data,interval=200ms --stress pwrite,mr=data,interval=100ms \
	--duration 10 --hang-timeout 3 --seed 6
# ...and expected by the scenario.
frozen_run expected "$src/tests/vm/scenarios/freeze-hang.scn"
exit 0
