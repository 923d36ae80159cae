# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Checks on what guest-stress-file.sh left in a directory, shared by
# stress-file.test and stress-file-6.12.test (52 assertions).

# Is the writable MR of a run registered? (true/false)
registered()
{
	rjq "$1" '.mrs[0].registered'
}

# The reason a stressor of a run was skipped, "" when it was not.
skip_reason()
{
	rjq "$1" ".stress[] | select(.name == \"$2\") | .reason // \"\""
}

# Status 0 and no finding at all: nothing the stressors did makes any byte
# of the MR legally different (1 assertion).
check_clean_run()
{
	local j=$1 what=$2
	is "$(cat "${j%.json}.status" 2>/dev/null)/$(rjq "$j" '.findings | length')" 0/0 \
		"$what: exit 0 and no findings"
}

# fallocate modes and truncate on one filesystem (6 assertions).
check_fallocate_fs()
{
	local d=$1 fs=$2 j=$1/fallocate-$2.json reg n
	reg=$(registered "$j")
	for n in punch zero collapse-insert insert-collapse shrink; do
		if [ "$reg" != true ]; then
			check_stressor_ran "$j" $n must-skip
			continue
		fi
		case $fs/$n in
		tmpfs/zero | tmpfs/*-*| btrfs/*-*) check_stressor_ran "$j" $n must-skip ;;
		*) check_stressor_ran "$j" $n ;;
		esac
	done
	if [ "$reg" = true ]; then
		[ "$(cat "$d/fallocate-$fs.status" 2>/dev/null)" = 0 ] &&
			[ "$(n_findings "$j" detached)" -gt 0 ] 2>/dev/null
		ok $? "fallocate on $fs: exit 0; pages punched or shifted out under the pin leave the MR detached ($(n_findings "$j" detached) ranges)"
	else
		is "$(cat "$d/fallocate-$fs.status" 2>/dev/null)/$(rjq "$j" '[.findings[] | select(.class == "policy-refused")][0].errno')" \
			0/EFAULT "fallocate on $fs: the writable MR is refused with EFAULT (6.5+ policy)"
	fi
}

check_fsfreeze_fs()
{
	local d=$1 fs=$2 j=$1/fsfreeze-$2.json skip=no
	[ "$(registered "$j")" = true ] || skip=must-skip
	if [ $skip = no ] && [ "$fs" = tmpfs ]; then
		check_stressor_ran "$j" fsfreeze may-skip
	else
		check_stressor_ran "$j" fsfreeze $skip
	fi
	check_stressor_ran "$j" fsync $skip
	is "$(cat "$d/fsfreeze-$fs.status" 2>/dev/null)" 0 "fsfreeze on $fs: exit 0"
	is "$(cat "$d/fsfreeze-$fs.thawed" 2>/dev/null)" 0 \
		"fsfreeze on $fs: the filesystem is writable after the run (thawed)"
}

check_file_stress_results()
{
	local d=$1 rel want=ext4 n
	rel=$(cat "$d/uname" 2>/dev/null)
	release_at_least "$rel" 6.5 && want=tmpfs
	is "$(cat "$d/fs" 2>/dev/null)" $want "the guest races on $want files on $rel"
	for n in fsync fdatasync syncfs sync-file-range extend; do
		check_stressor_ran "$d/sync.json" $n
	done
	check_clean_run "$d/sync.json" "fsync, fdatasync, syncfs, sync-file-range, truncate past the MR"
	check_stressor_ran "$d/msync.json" msync-anon
	check_stressor_ran "$d/msync.json" msync-file
	check_clean_run "$d/msync.json" "msync on anon and file memory"
	for n in ext4 xfs btrfs tmpfs; do
		check_fallocate_fs "$d" $n
	done
	contains "$d/fallocate-tmpfs.json" '"reason": "tmpfs has no FALLOC_FL_ZERO_RANGE"' \
		"tmpfs: zero range skipped, the reason says why"
	contains "$d/fallocate-tmpfs.json" '"reason": "tmpfs has no FALLOC_FL_INSERT_RANGE"' \
		"tmpfs: insert-collapse skipped, the reason says why"
	if [ "$(registered "$d/fallocate-btrfs.json")" = true ]; then
		is "$(skip_reason "$d/fallocate-btrfs.json" collapse-insert)" \
			"btrfs has no FALLOC_FL_COLLAPSE_RANGE" "btrfs: collapse-insert skipped, the reason says why"
	else
		is "$(skip_reason "$d/fallocate-btrfs.json" collapse-insert)" \
			"mr mr0 was not registered" "btrfs: the MR is refused, the stressor says so"
	fi
	check_fsfreeze_fs "$d" ext4
	check_fsfreeze_fs "$d" tmpfs
	for n in fsync-other pwrite pread; do
		check_stressor_ran "$d/other.json" $n
	done
	check_clean_run "$d/other.json" "fsync in a second process, pwrite in 4K blocks, pread"
	check_stressor_ran "$d/pwrite-1k.json" pwrite
	check_stressor_ran "$d/pwrite-1k.json" store
	check_clean_run "$d/pwrite-1k.json" "DMA, pwrite and stores sharing pages in 1K blocks"
}
