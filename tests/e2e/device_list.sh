#!/bin/bash
# device_list.sh - custos devices tells the examiner which drive is which
# (needs root for the loop devices; CI runs it as root).
#
# A loop device with 4096-byte sectors and two partitions is attached: the
# first is mounted, the second (when this kernel allows) used as swap.
# custos devices --json must list the device with its path, size, sector
# sizes, transport and backing file, its partitions with their start and
# size, the first mounted where it is, and the device and the second
# partition as holding swap; the text table must show the same device, the
# partition mounted, and SYSTEM for swap.  The device holding / (when / is
# on a block device) must be marked as holding root.  Listing needs no
# root: a user with no privileges gets the same drives.
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] || skip "loop devices need root (CI runs this as root)"
for t in losetup sfdisk mkfs.ext2 jq partx blockdev; do need "$t"; done

mounts=()
swaps=()
cleanup_devices() {
	set +e
	for s in "${swaps[@]}"; do swapoff "$s" 2>/dev/null; done
	for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
	losetup -a | grep -F "$work/" | cut -d: -f1 | while read -r l; do losetup -d "$l"; done
	chmod -R u+w "$work" 2>/dev/null
	rm -rf "$work"
}
trap cleanup_devices EXIT

truncate -s 64MiB "$work/seized disk.img"
dev=$(losetup -f --show -P -b 4096 "$work/seized disk.img") || skip "cannot attach a loop device here"
[ "$(blockdev --getss "$dev")" = 4096 ] || skip "this kernel cannot make 4096-byte loop sectors"
# in 4096-byte sectors: 20 MiB from 1 MiB, then the rest
printf 'label: dos\nstart=256, size=5120, type=83\nstart=5376, type=82\n' | sfdisk -q "$dev"
[ -b "${dev}p2" ] || partx -a "$dev" 2>/dev/null || partx -u "$dev" 2>/dev/null || true
[ -b "${dev}p2" ] || skip "the kernel made no partition devices for $dev"
mkfs.ext2 -q "${dev}p1"
mkdir "$work/mnt point"
mount "${dev}p1" "$work/mnt point"
mounts+=("$work/mnt point")
swap=no
if mkswap -q "${dev}p2" 2>/dev/null && swapon "${dev}p2" 2>/dev/null; then
	swaps+=("${dev}p2")
	swap=yes
else
	echo "note: swapon is not allowed here; the swap checks are left out" >&2
fi

"$CUSTOS" devices --json >"$work/devices.json" 2>"$work/devices.err" ||
	fail "custos devices --json exited $?: $(cat "$work/devices.err")"
[ -s "$work/devices.err" ] && fail "custos devices --json wrote to stderr: $(cat "$work/devices.err")"
jq -e 'type == "array"' "$work/devices.json" >/dev/null || fail "--json is not an array"
d() { jq -e --arg dev "$dev" ".[] | select(.path == \$dev) | $1" "$work/devices.json" >/dev/null; }
d '.' || fail "$dev is not listed: $(cat "$work/devices.json")"
d '.size == 67108864' || fail "$dev: size is not 67108864"
d '.logical_sector_size == 4096 and .physical_sector_size == 4096' || fail "$dev: sector sizes"
d '.type == "loop" and .transport == "loop"' || fail "$dev: not a loop device"
jq -e --arg dev "$dev" --arg f "$work/seized disk.img" \
		'.[] | select(.path == $dev) | .backing_file == $f' "$work/devices.json" >/dev/null ||
	fail "$dev: backing file"
d '.read_only == false and .removable == false' || fail "$dev: flags"
d '.partitions | length == 2' || fail "$dev: not two partitions"
d ".partitions[0].path == \"${dev}p1\" and .partitions[0].start_sector == 2048 and .partitions[0].size == 40960 * 512" ||
	fail "${dev}p1: path, start or size"
jq -e --arg dev "$dev" --arg m "$work/mnt point" \
	'.[] | select(.path == $dev) | .partitions[0].mountpoints == [$m]' "$work/devices.json" >/dev/null ||
	fail "${dev}p1 is not shown mounted on $work/mnt point"
d '.mountpoints == []' || fail "$dev itself is shown mounted"
for key in vendor model serial firmware hidden_areas; do
	d "has(\"$key\")" || fail "$dev: no key $key"
done
pass
if [ "$swap" = yes ]; then
	d '.holds_swap == true and .partitions[1].holds_swap == true and .partitions[0].holds_swap == false' ||
		fail "$dev: swap on ${dev}p2 is not shown"
	pass
fi
# the disk under / holds root
rootdev=$(findmnt -n -o SOURCE / 2>/dev/null || true)
if [ -b "$rootdev" ]; then
	jq -e '[.[] | select(.holds_root)] | length >= 1' "$work/devices.json" >/dev/null ||
		fail "no device is shown holding the root file system ($rootdev)"
	d '.holds_root == false' || fail "$dev is shown holding root"
	pass
fi

# the table
"$CUSTOS" devices >"$work/devices.txt" || fail "custos devices exited $?"
head -1 "$work/devices.txt" | grep '^DEVICE .*SIZE .*SECTOR .*TRANSPORT .*IN USE$' >/dev/null ||
	fail "the table has no heading"
grep -q "^$dev  *64.0 MiB  4096/4096  loop  " "$work/devices.txt" ||
	fail "the table lacks $dev with its size and sectors: $(cat "$work/devices.txt")"
grep -qF "file $work/seized disk.img" "$work/devices.txt" || fail "the table lacks the backing file"
grep -q "^  ${dev}p1 .*mounted on $work/mnt point" "$work/devices.txt" ||
	fail "the table does not show ${dev}p1 mounted"
if [ "$swap" = yes ]; then
	grep -q "^$dev .*SYSTEM (swap)" "$work/devices.txt" || fail "the table does not mark $dev SYSTEM"
fi
grep -q ' $' "$work/devices.txt" && fail "the table has trailing blanks"
pass

# no root needed to list (ATA questions aside)
if command -v runuser >/dev/null && runuser -u nobody -- "$CUSTOS" --version >/dev/null 2>&1; then
	runuser -u nobody -- "$CUSTOS" devices --json >"$work/user.json" 2>"$work/user.err" ||
		fail "custos devices as nobody exited $?: $(cat "$work/user.err")"
	jq -e --arg dev "$dev" '.[] | select(.path == $dev) | .size == 67108864' "$work/user.json" \
		>/dev/null || fail "as nobody, $dev is not listed"
	pass
else
	echo "note: custos cannot run as nobody here (its build directory); that check is left out" >&2
fi

# wrong use is one line and exit 2
set +e
"$CUSTOS" devices extra >/dev/null 2>"$work/e1"
rc=$?
set -e
[ "$rc" = 2 ] && [ "$(wc -l <"$work/e1")" = 1 ] || fail "custos devices extra: exit $rc"
pass
echo "device_list: $checks checks passed"
