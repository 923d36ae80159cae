#!/bin/bash
# Two-host mode inside one guest: an rxe device on each end of a veth
# pair (wire_setup), the target (--listen) on one and the initiator
# (--connect) on the other. Leaves each run's reports in OUT for
# tests/vm/two-host.test; single-host runs of the same scenarios too.
#   guest-two-host.sh OUT [PHASE...]   (default: every phase)
out=${1:?usage: guest-two-host.sh OUT [PHASE...]}
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
addr_t=198.51.100.1
addr_i=198.51.100.2

# Where the target and the initiator run: two network namespaces
# (netns), or one with routing over the wire (wire) where rxe cannot do
# namespaces. Their commands are prefixed with on_t / on_i (an exec, not
# a function: kill must reach mrstress itself).
wiring=
on_t=()
on_i=()

# Wait for both rxe devices' ports to be ACTIVE.
rxe_active()
{
	for _ in $(seq 1 100); do
		rdma link show rxet/1 | grep -q ACTIVE &&
			rdma link show rxei/1 | grep -q ACTIVE && return 0
		sleep 0.1
	done
	return 1
}

# The two hosts as the issue draws them: each end of a veth pair in its
# own network namespace with an rxe device on it. rxe receives in the
# namespace of its netdev only where it keeps a UDP socket per namespace
# (rxe_ns.c, in Debian's 7.x; not in 6.1 or 6.12).
netns_setup()
{
	ip netns add mrst && ip netns add mrsi || return 1
	ip link add th0 netns mrst type veth peer name th1 netns mrsi || return 1
	ip -n mrst addr add $addr_t/24 dev th0 &&
		ip -n mrsi addr add $addr_i/24 dev th1 || return 1
	ip -n mrst link set lo up && ip -n mrst link set th0 up &&
		ip -n mrsi link set lo up && ip -n mrsi link set th1 up || return 1
	ip netns exec mrst rdma link add rxet type rxe netdev th0 &&
		ip netns exec mrsi rdma link add rxei type rxe netdev th1 || return 1
	rxe_active
}

# Before rxe_ns.c: two rxe devices on the two ends of a veth pair in one
# namespace, traffic between them forced over the veth. rxe's UDP socket
# lives in the initial namespace, so an rxe device whose netdev is in
# another one receives nothing (6.1, rping: RDMA_CM_EVENT_UNREACHABLE,
# -110). In one namespace the kernel would deliver to a local address
# through lo, never the veth: rules ahead of the local table send what
# this host originates to the other end's address out of the veth, and
# accept_local lets the other end take a packet from a local address.
wire_setup()
{
	local i
	ip link add th0 type veth peer name th1 || return 1
	ip addr add $addr_t/24 dev th0 && ip addr add $addr_i/24 dev th1 || return 1
	ip link set th0 up && ip link set th1 up || return 1
	for i in all th0 th1; do
		sysctl -qw net.ipv4.conf.$i.accept_local=1 \
			net.ipv4.conf.$i.rp_filter=0 || return 1
	done
	ip rule add pref 1000 lookup local && ip rule del pref 0 || return 1
	ip rule add pref 100 iif lo to $addr_i lookup 100 &&
		ip rule add pref 101 iif lo to $addr_t lookup 101 || return 1
	ip route add $addr_i dev th0 src $addr_t table 100 &&
		ip route add $addr_t dev th1 src $addr_i table 101 || return 1
	rdma link add rxet type rxe netdev th0 &&
		rdma link add rxei type rxe netdev th1 || return 1
	rxe_active
}

# pair NAME TARGET-ARGS...: the target in mrst, the initiator in mrsi;
# NAME.{json,txt,err,status} for the target, NAME-ini.* for the initiator.
pair()
{
	local name=$1 tpid
	shift
	"${on_t[@]}" mrstress --listen "$addr_t" "$@" \
		--json="$out/$name.json" >"$out/$name.txt" 2>"$out/$name.err" &
	tpid=$!
	"${on_i[@]}" mrstress --connect "$addr_t" --json="$out/$name-ini.json" \
		>"$out/$name-ini.txt" 2>"$out/$name-ini.err"
	echo $? >"$out/$name-ini.status"
	wait "$tpid"
	echo $? >"$out/$name.status"
}

# single NAME ARGS...: the same run in single-host mode (rxe0, loopback).
single()
{
	local name=$1
	shift
	mrstress "$@" --json="$out/$name.json" >"$out/$name.txt" 2>"$out/$name.err"
	echo $? >"$out/$name.status"
}

# The initiator killed 8 s into a 14 s run: the target must say so and
# end with its report, well within its hang timeout.
kill_initiator()
{
	local tpid ipid start
	start=$(date +%s)
	"${on_t[@]}" mrstress --listen "$addr_t" --mr file:tmpfs:4M \
		--dma write --duration 14 --hang-timeout 5s \
		--json="$out/killed.json" >"$out/killed.txt" 2>"$out/killed.err" &
	tpid=$!
	"${on_i[@]}" mrstress --connect "$addr_t" \
		>"$out/killed-ini.txt" 2>"$out/killed-ini.err" &
	ipid=$!
	sleep 8
	kill -9 "$ipid"
	wait "$ipid"
	wait "$tpid"
	echo $? >"$out/killed.status"
	echo $(($(date +%s) - start)) >"$out/killed.seconds"
}

# The initiator killed 8 s into a 12 s run and started again: the target takes
# the new connections for the same DMA threads and goes on.
restart_initiator()
{
	local tpid ipid
	"${on_t[@]}" mrstress --listen "$addr_t" --mr file:tmpfs:4M --dma write \
		--duration 12 --hang-timeout 10s \
		--json="$out/restart.json" >"$out/restart.txt" 2>"$out/restart.err" &
	tpid=$!
	"${on_i[@]}" mrstress --connect "$addr_t" >"$out/restart-ini1.txt" 2>"$out/restart-ini1.err" &
	ipid=$!
	sleep 8
	kill -9 "$ipid"
	wait "$ipid"
	"${on_i[@]}" mrstress --connect "$addr_t" --json="$out/restart-ini.json" \
		>"$out/restart-ini.txt" 2>"$out/restart-ini.err"
	echo $? >"$out/restart-ini.status"
	wait "$tpid"
	echo $? >"$out/restart.status"
}

# The target killed 6 s into a 30 s run: the initiator must say the
# target went away and exit 3, not wait for the end of the run.
kill_target()
{
	local tpid ipid start
	start=$(date +%s)
	"${on_t[@]}" mrstress --listen "$addr_t" --mr file:tmpfs:4M --dma write \
		--duration 30 >/dev/null 2>&1 &
	tpid=$!
	"${on_i[@]}" mrstress --connect "$addr_t" >"$out/target-killed-ini.txt" \
		2>"$out/target-killed-ini.err" &
	ipid=$!
	sleep 6
	kill -9 "$tpid"
	wait "$tpid"
	wait "$ipid"
	echo $? >"$out/target-killed-ini.status"
	echo $(($(date +%s) - start)) >"$out/target-killed.seconds"
}

if grep -qw rxe_ns_pernet_sk4 /proc/kallsyms; then
	wiring=netns
	on_t=(ip netns exec mrst)
	on_i=(ip netns exec mrsi)
	netns_setup
else
	wiring=wire
	wire_setup
fi || {
	echo "two rxe devices on a veth ($wiring): setup failed" >&2
	exit 1
}
echo "$wiring" >"$out/wiring"
rdma link show >"$out/rdma-links"
[ $# -gt 0 ] || set -- smoke scenarios rereg restart kill kill-target
for p in "$@"; do
	case $p in
	smoke)
		pair smoke-write --mr file:tmpfs:4M --dma write --duration 4
		pair smoke-read --mr file:tmpfs:4M --dma read --duration 4
		# Refused before anything connects: no initiator needed.
		"${on_t[@]}" mrstress --listen "$addr_t" --mr file:tmpfs:4M --dma send \
			--duration 2 >"$out/refused-send.txt" 2>"$out/refused-send.err"
		echo $? >"$out/refused-send.status"
		;;
	scenarios)
		for s in truncate-under-pin fsync-vs-pinned; do
			single "$s-single" "$src/scenarios/$s.scn"
			pair "$s-two" "$src/scenarios/$s.scn"
		done
		;;
	rereg)
		# Registrations and deregistrations of more MRs over the target
		# MR's pages (mode=rereg: rxe refuses ibv_rereg_mr, EOPNOTSUPP).
		pair rereg --mr file:tmpfs:4M --dma write --duration 6 \
			--stress mr-churn,mode=reg-dereg
		;;
	restart) restart_initiator ;;
	kill) kill_initiator ;;
	kill-target) kill_target ;;
	*)
		echo "guest-two-host.sh: no phase $p" >&2
		exit 2
		;;
	esac
done
exit 0
