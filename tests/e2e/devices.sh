#!/bin/bash
# devices.sh - acquisition from block devices, on loop devices (needs root).
#
# A loop device with 4096-byte logical sectors is acquired whole: ewfinfo
# must show 4096 bytes per sector and the device's MD5 and SHA-256, ewfverify
# -d sha256 must accept the image, the JSON summary must name the device,
# its size and geometry with no read errors, and the device's content and
# read-only flag must be as before (also when it was read-only already).
# Then: 512-byte geometry, a range of a device, a clone onto another drive
# (re-read and proven), refusals of a smaller drive, of the source itself
# and of a target on a file system of the source disk, and a target disk
# that fills up.
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] || skip "loop devices need root (CI runs this as root)"
for t in losetup ewfverify ewfinfo python3 md5sum sha256sum blockdev mkfs.ext4 sfdisk; do need "$t"; done

mounts=()
cleanup_devices() {
	set +e # a cleanup must run to its end
	for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done
	# every loop device backed by a file of this test
	losetup -a | grep -F "$work/" | cut -d: -f1 | while read -r l; do losetup -d "$l"; done
	chmod -R u+w "$work" 2>/dev/null
	rm -rf "$work"
}
trap cleanup_devices EXIT

loop() { # loop FILE [losetup options]: attaches FILE, prints the device
	losetup -f --show "${@:2}" "$1" || skip "cannot attach a loop device here"
}

partition_one() { # partition_one DEV: makes sure DEVp1 exists, prints it
	local p="${1}p1" sys="/sys/class/block/$(basename "$1")p1/dev"
	[ -b "$p" ] || partx -a "$1" 2>/dev/null || true
	[ -b "$p" ] || { [ -r "$sys" ] && mknod "$p" b "$(cut -d: -f1 "$sys")" "$(cut -d: -f2 "$sys")"; } || true
	[ -b "$p" ] || skip "the kernel made no partition device for $1"
	echo "$p"
}

"$MKMEDIUM" 24MiB 31 >"$work/disk4k.img"
d4k=$(loop "$work/disk4k.img" -b 4096)
[ "$(blockdev --getss "$d4k")" = 4096 ] || skip "this kernel cannot make 4096-byte loop sectors"
md5=$(md5_of "$d4k")
sha256=$(sha256_of "$d4k")
ro_before=$(blockdev --getro "$d4k")

"$CUSTOS" acquire "$d4k" -o "$work/d4k" --case-number LOOP --json >"$work/d4k.json" 2>"$work/d4k.err" ||
	fail "acquire of $d4k exited $?: $(cat "$work/d4k.err")"
ewfinfo "$work/d4k.E01" >"$work/d4k.info"
grep -q "Bytes per sector:	*4096" "$work/d4k.info" || fail "ewfinfo: not 4096 bytes per sector"
grep -q "MD5:	*$md5" "$work/d4k.info" || fail "ewfinfo: MD5 is not the device's"
grep -q "SHA256:	*$sha256" "$work/d4k.info" || fail "ewfinfo: SHA-256 is not the device's"
ewfverify -q -d sha256 "$work/d4k.E01" >"$work/d4k.verify" 2>&1 || fail "ewfverify rejected it"
grep -q "ewfverify: SUCCESS" "$work/d4k.verify" || fail "ewfverify did not succeed"
python3 - "$work/d4k.json" "$d4k" <<'PY' || fail "JSON summary of the device"
import json, sys
d, dev = json.load(open(sys.argv[1])), sys.argv[2]
s = d["source"]
assert s["path"] == dev and s["type"] == "block_device", s
assert s["size"] == 24 * 2**20 and s["total_size"] == 24 * 2**20, s
assert s["bytes_per_sector"] == 4096 and s["logical_bytes_per_sector"] == 4096, s
assert s["physical_bytes_per_sector"] in (4096, 512), s
assert s["write_blocked"] is True and s["direct_io"] is True, s
assert s["removable"] in (True, False), s
assert d["read_errors"] == [] and d["result"] == "complete", d
assert d["media"]["bytes_per_sector"] == 4096 and d["media"]["padding_bytes"] == 0
PY
[ "$(md5_of "$d4k")" = "$md5" ] || fail "the device's content changed"
[ "$(blockdev --getro "$d4k")" = "$ro_before" ] || fail "the device's read-only flag was not restored"
pass

# a device that was read-only stays read-only
blockdev --setro "$d4k"
"$CUSTOS" acquire "$d4k" -o "$work/ro" -q || fail "acquire of a read-only device"
[ "$(blockdev --getro "$d4k")" = 1 ] || fail "a read-only device was made writable"
blockdev --setrw "$d4k"
pass

# 512-byte geometry, and a range of a device
"$MKMEDIUM" 8MiB 32 >"$work/disk512.img"
d512=$(loop "$work/disk512.img")
"$CUSTOS" acquire "$d512" -o "$work/d512" --offset 8KiB --length 16KiB --json -q >"$work/d512.json"
[ "$(json "$work/d512.json" 'd["source"]["logical_bytes_per_sector"]')" = 512 ] || fail "512: geometry"
want=$(dd if="$d512" bs=1024 skip=8 count=16 status=none | md5sum | cut -d' ' -f1)
[ "$(json "$work/d512.json" 'd["hashes"]["md5"]')" = "$want" ] || fail "device range: md5"
set +e
"$CUSTOS" acquire "$d4k" -o "$work/mis" --offset 512 -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "whole sectors" "$work/err" || fail "a misaligned device range was not refused"
pass

# a clone onto a larger drive, re-read and proven; refusals
truncate -s 32MiB "$work/big.img"
truncate -s 16MiB "$work/small.img"
big=$(loop "$work/big.img")
small=$(loop "$work/small.img")
"$CUSTOS" acquire "$d4k" -o "$big" --json -q >"$work/clone.json" || fail "clone failed"
[ "$(json "$work/clone.json" 'd["verification"]["evidence"]')" = match ] || fail "clone: not re-read"
[ "$(json "$work/clone.json" 'd["media"]["format"]')" = raw ] || fail "clone: format"
cmp -s -n $((24 * 1048576)) "$d4k" "$big" || fail "clone: content differs"
for bad in "$small" "$d4k"; do
	set +e
	"$CUSTOS" acquire "$d4k" -o "$bad" -q 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "clone onto $bad was not refused ($rc): $(cat "$work/err")"
done
grep -q "lies on the source" "$work/err" || fail "clone onto the source: unclear message"
[ "$(md5_of "$d4k")" = "$md5" ] || fail "the source changed"
pass

# custos export onto a drive: refused when smaller, byte for byte when not
set +e
"$CUSTOS" export "$work/d4k.E01" -o "$small" 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "fewer than" "$work/err" || fail "export onto a smaller drive: exit $rc"
"$CUSTOS" export "$work/d4k.E01" -o "$big" >/dev/null || fail "export onto a drive failed"
cmp -s -n $((24 * 1048576)) "$big" "$work/disk4k.img" || fail "export onto a drive: content"
pass

# a target on a file system on a partition of the source disk
truncate -s 64MiB "$work/parted.img"
echo 'start=2048, type=83' | sfdisk -q "$work/parted.img"
pd=$(loop "$work/parted.img" -P)
part=$(partition_one "$pd")
mkfs.ext4 -q "$part"
mkdir "$work/mnt"
mount "$part" "$work/mnt"
mounts+=("$work/mnt")
set +e
"$CUSTOS" acquire "$pd" -o "$work/mnt/evidence" -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "lies on the source" "$work/err" || fail "a target on the source's partition was not refused ($rc)"
[ -z "$(ls "$work/mnt" | grep -v lost+found)" ] || fail "files were written onto the source"
pass

# the volume section says physical for the whole disk, logical for a partition
umount "$work/mnt"
"$CUSTOS" acquire "$pd" -o "$work/whole" -q || fail "acquire of the whole disk"
"$CUSTOS" acquire "$part" -o "$work/part" -q || fail "acquire of the partition"
ewfinfo "$work/whole.E01" >"$work/whole.info"
ewfinfo "$work/part.E01" >"$work/part.info"
grep -Eq "Is physical:[[:space:]]+yes" "$work/whole.info" || fail "a whole disk is not marked physical"
grep -Eq "Is physical:[[:space:]]+no" "$work/part.info" || fail "a partition is marked physical"
pass

# SIGINT while a device is acquired: its read-only flag is restored
"$MKMEDIUM" 256MiB 33 >"$work/slow.img"
slow=$(loop "$work/slow.img")
"$CUSTOS" acquire "$slow" -o "$work/slow" --compression best --threads 1 -q 2>"$work/err" &
pid=$!
# read-only from the start of the acquisition: polled for, since a loaded
# builder may take a while to start it (the bound only catches its absence)
ro_now() { [ "$(blockdev --getro "$slow")" = 1 ]; }
wait_until 30 ro_now || { kill -KILL "$pid"; fail "the device is not read-only while acquired"; }
wait_until 60 test -e "$work/slow.E01.partial" || { kill -KILL "$pid"; fail "no segment begun after 60 s"; }
kill -INT "$pid"
set +e
reap "$pid" 30 "the acquisition interrupted by SIGINT"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "interrupted by SIGINT" "$work/err" || fail "SIGINT: exit $rc: $(cat "$work/err")"
[ "$(blockdev --getro "$slow")" = 0 ] || fail "SIGINT: the read-only flag was not restored"
pass

# a target disk that fills up: one clear line, exit 1, nothing left behind
# (compressed, so that it is not refused up front: only compression could
# have made 24 MiB fit in 4)
mkdir "$work/tiny"
mount -t tmpfs -o size=4m tmpfs "$work/tiny"
mounts+=("$work/tiny")
set +e
"$CUSTOS" acquire "$d4k" -o "$work/tiny/full" --compression fast -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "disk is full" "$work/err" || fail "a full target disk: exit $rc, $(cat "$work/err")"
[ "$(wc -l <"$work/err")" = 1 ] || fail "a full target disk: not one line"
[ -z "$(ls -A "$work/tiny")" ] || fail "a full target disk left files: $(ls "$work/tiny")"
set +e
"$CUSTOS" acquire "$d4k" -o "$work/tiny/none" --compression none -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "bytes free" "$work/err" || fail "no room, refused up front: exit $rc, $(cat "$work/err")"
[ -z "$(ls -A "$work/tiny")" ] || fail "a refusal left files: $(ls "$work/tiny")"
pass

echo "devices: $checks checks passed"
