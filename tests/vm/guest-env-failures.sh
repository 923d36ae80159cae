#!/bin/bash
# Runs in the guest for env-failures.test: mrstress where the environment
# fails it for real, leaving each run's report, output and status in OUT.
# shellcheck source=guest-lib.sh
. "$(dirname "$0")/guest-lib.sh"
out=$1
scn=$(dirname "$0")/scenarios
uname -r >"$out/uname"

# /dev/kmsg unreadable: kernel.dmesg_restrict=1 and a root without
# CAP_SYSLOG (nor CAP_SYS_ADMIN, which the kernel still accepts for it), as
# in a container. The probe read shows the restriction is real.
without_syslog()
{
	setpriv --bounding-set -syslog,-sys_admin --inh-caps -syslog,-sys_admin -- "$@"
}
sysctl -qw kernel.dmesg_restrict=1
without_syslog dd if=/dev/kmsg of=/dev/null count=1 iflag=nonblock status=none 2>"$out/kmsg-probe.err"
echo $? >"$out/kmsg-probe.status"
without_syslog mrstress --mr anon:1M --dma write --duration 2 \
	--json="$out/kmsg.json" >"$out/kmsg.txt" 2>"$out/kmsg.err"
echo $? >"$out/kmsg.status"
sysctl -qw kernel.dmesg_restrict=0

# No huge pages: an empty pool, which mrstress does not grow.
echo 0 >/proc/sys/vm/nr_hugepages
cat /proc/sys/vm/nr_hugepages >"$out/nr_hugepages"
run huge-cli --mr hugetlb:4M --dma write --duration 1
run huge-scn "$scn/no-hugepages.scn"

# The output directory is full (the host mounted a full tmpfs at full/),
# while the run finds something: a block corrupted through the file
# behind the MR (as in guest-engine.sh). Neither the JSON report nor the
# bundle can be written; the finding must still reach stdout.
[ -d "$out/full" ] || exit 0
mrstress --mr file:tmpfs:8M --dma read --duration 6 --seed 2 \
	--json="$out/full/report.json" -o "$out/full/bundle" \
	>"$out/enospc.txt" 2>"$out/enospc.err" &
pid=$!
sleep 3
f=$(ls /mnt/mrstress/tmpfs/mrstress-"$pid"-* 2>/dev/null | head -n 1)
dd if=/dev/urandom of="$f" bs=4096 seek=$((0x123)) count=1 conv=notrunc status=none
wait "$pid"
status=$?
echo $status >"$out/enospc.status"
# The runner must pass it through.
exit $status
