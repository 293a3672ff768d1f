#!/bin/bash
# mount.sh - custos mount: the media of evidence served through FUSE as a
# read-only file, every chunk checked, judged by independent witnesses.
#
# A 48 MiB medium with an MBR, an ext4 partition holding files (made by
# mkfs.ext4 -d, no mount needed) and an empty second partition, acquired as
# custos' E01, ewfacquire's E01 and a raw image, and the same file system in
# a GPT medium, acquired as an AFF4 volume:
#   - each served file is the source byte for byte (cmp, after random reads
#     that each equal the source), each partition file its partition; The
#     Sleuth Kit (img_stat, fls) reads the served partition, and the kernel
#     mounts it (mount -o ro,loop) with the files whole;
#   - a write, truncate, chmod, create or remove fails with EROFS or EPERM,
#     and the evidence's files hash the same before and after;
#   - the custody log gets a "mounted" event and still verifies;
#   - one chunk of a copy damaged (found in the E01 by its own bytes, in the
#     middle of a file's data): reads fail with EIO at exactly its pages and
#     nowhere else, the range is said once on stderr and listed in
#     .custos/damaged, fls still lists the file system, and with --damaged
#     zero the chunk reads as zeros and the rest as the source;
#   - the acquisition's read errors (a faultfs medium) are listed in
#     .custos/read_errors and read as zeros;
#   - refusals (a mount point not empty, a file, a link; no evidence), and
#     SIGTERM and fusermount3 -u unmount.
set -euo pipefail
. "$(dirname "$0")/common.sh"

[ "$(id -u)" = 0 ] || skip "FUSE mounts and loop devices need root (CI runs this as root)"
[ -c /dev/fuse ] || skip "there is no /dev/fuse here"
for t in fusermount3 mountpoint ewfacquire fls img_stat mkfs.ext4 sfdisk python3 cmp pgrep; do
	need "$t"
done

mounts=()
cleanup_mounts() {
	local m
	for m in "${mounts[@]}"; do
		umount "$m" 2>/dev/null || fusermount3 -u "$m" 2>/dev/null || true
	done
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup_mounts EXIT

# serve NAME EVIDENCE [OPTIONS]: custos mount in the background (it daemonizes) on $work/NAME
serve() {
	mkdir -p "$work/$1"
	"$CUSTOS" mount "$2" "$work/$1" "${@:3}" >"$work/$1.out" 2>"$work/$1.err" ||
		fail "custos mount $2 on $1: $(cat "$work/$1.err")"
	mounts+=("$work/$1")
	mountpoint -q "$work/$1" || fail "$1 is not mounted after custos mount returned"
}

# random_reads SERVED SOURCE SEED: 3000 reads of 1 byte to 8 KiB at random places, each equal to the source's
random_reads() {
	python3 - "$@" <<'PY' || fail "random reads of $1 differ from $2"
import os, random, sys
served, source = os.open(sys.argv[1], os.O_RDONLY), os.open(sys.argv[2], os.O_RDONLY)
size, r = os.fstat(source).st_size, random.Random(int(sys.argv[3]))
for _ in range(3000):
    off, n = r.randrange(size), r.randrange(1, 8193)
    if os.pread(served, n, off) != os.pread(source, n, off):
        sys.exit(f"{sys.argv[1]}: {n} bytes at {off} differ")
PY
}

# unserve NAME: fusermount3 -u, and the server is gone
unserve() {
	fusermount3 -u "$work/$1" || fail "fusermount3 -u $1"
	wait_until 30 bash -c "! pgrep -f -- 'custos mount .* $work/$1( |\$)' >/dev/null" ||
		fail "the server of $1 still runs after fusermount3 -u"
}

# ---- the medium ----
mkdir -p "$work/tree/dir"
python3 -c 'import random, sys; sys.stdout.buffer.write(random.Random(5).randbytes(8 << 20))' \
	>"$work/tree/big.bin"
echo "seized 2026-12-03, bag 7" >"$work/tree/note.txt"
seq 1 20000 >"$work/tree/dir/numbers.txt"
truncate -s 24MiB "$work/fs.img"
mkfs.ext4 -q -F -d "$work/tree" "$work/fs.img" >/dev/null 2>&1 || fail "mkfs.ext4 -d"
truncate -s 48MiB "$work/disk.img"
printf 'start=2048, size=49152, type=83\nstart=51200, type=83\n' | sfdisk -q "$work/disk.img" ||
	fail "sfdisk"
dd if="$work/fs.img" of="$work/disk.img" bs=512 seek=2048 conv=notrunc status=none
dd if="$work/disk.img" of="$work/p2.img" bs=512 skip=51200 status=none
"$CUSTOS" acquire "$work/disk.img" -o "$work/ev" -q --case-number MNT-1 --examiner "A. Tester" ||
	fail "acquire"

# ---- custos' E01, with its partitions ----
before=$(sha256_of "$work/ev.E01")
serve m1 "$work/ev.E01" --partitions
grep -q "mounted read-only on $work/m1" "$work/m1.out" || fail "no summary: $(cat "$work/m1.out")"
[ "$(ls "$work/m1")" = "$(printf 'ev.p1.raw\nev.p2.raw\nev.raw')" ] || fail "served: $(ls "$work/m1")"
[ "$(ls "$work/m1/.custos")" = "$(printf 'damaged\nread_errors')" ] || fail ".custos: $(ls "$work/m1/.custos")"
# random reads first (each equal to the source, through the chunk cache and the kernel's page
# cache as they fill), then the whole files
random_reads "$work/m1/ev.p1.raw" "$work/fs.img" 11
random_reads "$work/m1/ev.raw" "$work/disk.img" 12
random_reads "$work/m1/ev.p2.raw" "$work/p2.img" 13
[ "$(stat -c %s "$work/m1/ev.p1.raw")" = $((24 << 20)) ] || fail "partition 1's size changed"
cmp "$work/m1/ev.raw" "$work/disk.img" || fail "the served media differs from the source"
cmp "$work/m1/ev.p1.raw" "$work/fs.img" || fail "partition 1 differs"
cmp "$work/m1/ev.p2.raw" "$work/p2.img" || fail "partition 2 differs"
pass
img_stat -i raw "$work/m1/ev.p1.raw" >"$work/img_stat.txt" || fail "img_stat of the served partition"
grep -q "Size in bytes: $((24 << 20))" "$work/img_stat.txt" || fail "img_stat: $(cat "$work/img_stat.txt")"
fls -r -p -i raw "$work/m1/ev.p1.raw" >"$work/fls.txt" || fail "fls of the served partition"
for f in big.bin note.txt dir/numbers.txt; do
	grep -q "	$f\$" "$work/fls.txt" || fail "fls does not list $f: $(cat "$work/fls.txt")"
done
pass
mkdir "$work/loop"
mount -o ro,loop "$work/m1/ev.p1.raw" "$work/loop" || fail "mount -o ro,loop of the served partition"
mounts=("$work/loop" "${mounts[@]}")
for f in big.bin note.txt dir/numbers.txt; do
	cmp "$work/loop/$f" "$work/tree/$f" || fail "$f differs through the kernel's ext4"
done
umount "$work/loop"
pass

# read-only by construction: each change refused, nothing of the evidence changed
for change in "echo x >'$work/m1/ev.raw'" "truncate -s 0 '$work/m1/ev.raw'" \
	"chmod 600 '$work/m1/ev.raw'" "touch '$work/m1/new'" "rm -f '$work/m1/ev.raw'" \
	"mkdir '$work/m1/d'" "chown nobody '$work/m1/ev.raw'" "echo x >'$work/m1/.custos/damaged'"; do
	if bash -c "$change" 2>"$work/change.err"; then
		fail "not refused: $change"
	fi
	grep -Eq "Read-only file system|Operation not permitted" "$work/change.err" ||
		fail "$change: $(cat "$work/change.err")"
done
python3 - "$work/m1/ev.raw" <<'PY' || fail "an open for writing was not refused with EROFS or EPERM"
import errno, os, sys
for flags in (os.O_WRONLY, os.O_RDWR, os.O_RDWR | os.O_TRUNC):
    try:
        os.close(os.open(sys.argv[1], flags))
        sys.exit(f"open with flags {flags:#o} succeeded")
    except OSError as e:
        if e.errno not in (errno.EROFS, errno.EPERM):
            sys.exit(f"open with flags {flags:#o}: {e}")
PY
cmp "$work/m1/ev.raw" "$work/disk.img" || fail "the served media changed"
[ "$(sha256_of "$work/ev.E01")" = "$before" ] || fail "the evidence changed under the mount"
pass

# the custody log: a "mounted" event, and the log still whole
grep -q 'action="mounted"' "$work/ev.custody.xml" || fail "no mounted event in the custody log"
grep -q "mounted read-only on $work/m1" "$work/ev.custody.xml" || fail "the event does not say where"
"$CUSTOS" custody verify "$work/ev.E01" >/dev/null || fail "the custody log does not verify after the mount"
"$CUSTOS" custody show "$work/ev.E01" | grep -q "mounted" || fail "custody show lists no mount"
pass
unserve m1

# a log that cannot be extended (a link in its place): said once, the media served all the same
mkdir "$work/linked"
cp "$work/ev.E01" "$work/linked/ev.E01"
ln -s "$work/ev.custody.xml" "$work/linked/ev.custody.xml"
log_before=$(sha256_of "$work/ev.custody.xml")
serve m8 "$work/linked/ev.E01"
[ "$(grep -c "the custody log $work/linked/ev.custody.xml was not extended" "$work/m8.err")" = 1 ] ||
	fail "a log that cannot be extended is not said once: $(cat "$work/m8.err")"
cmp "$work/m8/ev.raw" "$work/disk.img" || fail "the media is not served beside a log that cannot be extended"
[ "$(sha256_of "$work/ev.custody.xml")" = "$log_before" ] || fail "the log behind the link changed"
unserve m8
pass

# ---- ewfacquire's E01, an AFF4 volume, a raw image ----
ewfacquire -u -q -t "$work/ref" -c fast "$work/disk.img" >/dev/null 2>&1 || fail "ewfacquire"
serve m2 "$work/ref.E01"
cmp "$work/m2/ref.raw" "$work/disk.img" || fail "ewfacquire's E01 served differs from the source"
grep -q "no custody log beside the evidence" "$work/m2.out" || fail "a set without a log: $(cat "$work/m2.out")"
unserve m2
# the AFF4 volume holds a GPT medium: the same file system in its first partition
truncate -s 48MiB "$work/gpt.img"
printf 'label: gpt\nstart=2048, size=49152\n' | sfdisk -q "$work/gpt.img" || fail "sfdisk gpt"
dd if="$work/fs.img" of="$work/gpt.img" bs=512 seek=2048 conv=notrunc status=none
"$CUSTOS" acquire "$work/gpt.img" -o "$work/vol" --format aff4 -q || fail "acquire --format aff4"
serve m3 "$work/vol.aff4" --partitions
cmp "$work/m3/vol.raw" "$work/gpt.img" || fail "the AFF4 volume served differs from the source"
[ "$(ls "$work/m3")" = "$(printf 'vol.p1.raw\nvol.raw')" ] || fail "the GPT's partitions: $(ls "$work/m3")"
cmp "$work/m3/vol.p1.raw" "$work/fs.img" || fail "the AFF4 volume's GPT partition 1 differs"
fls -r -p -i raw "$work/m3/vol.p1.raw" | cmp - "$work/fls.txt" || fail "fls of the GPT partition differs"
unserve m3
"$CUSTOS" acquire "$work/disk.img" -o "$work/flat" --format raw -q || fail "acquire --format raw"
serve m4 "$work/flat.raw"
cmp "$work/m4/flat.raw" "$work/disk.img" || fail "the raw image served differs from the source"
grep -q 'action="mounted"' "$work/flat.custody.xml" || fail "no mounted event in the raw image's log"
"$CUSTOS" custody verify "$work/flat.raw" >/dev/null || fail "the raw image's log does not verify"
unserve m4
pass

# ---- one damaged chunk in the middle of big.bin's data ----
cp "$work/ev.E01" "$work/dmg.E01"
chmod u+w "$work/dmg.E01"
read -r chunk_off pos < <(python3 - "$work/disk.img" "$work/tree/big.bin" "$work/dmg.E01" <<'PY'
import sys
disk, big, ev = (open(p, 'rb').read() for p in sys.argv[1:4])
start = disk.find(big[:4096])
assert start > 0 and start % 512 == 0, "big.bin not found in the medium"
x = (start + (2 << 20) + 32767) // 32768 * 32768          # a chunk 2 MiB into the file
assert disk[x:x + 32768] == big[x - start:x - start + 32768], "big.bin is not contiguous there"
pos = ev.find(disk[x:x + 64])                              # stored raw: random data does not shrink
assert pos > 0 and ev.find(disk[x:x + 64], pos + 1) < 0, "the chunk is not found once in the E01"
print(x, pos)
PY
) || fail "cannot place the damage"
printf '\xff' | dd of="$work/dmg.E01" bs=1 seek=$((pos + 100)) conv=notrunc status=none
first=$((chunk_off / 512))
last=$((first + 63))
mkdir "$work/m5"
"$CUSTOS" mount "$work/dmg.E01" "$work/m5" -f --partitions >"$work/m5.out" 2>"$work/m5.err" &
server=$!
mounts+=("$work/m5")
wait_until 30 mountpoint -q "$work/m5" || fail "the foreground mount did not come up: $(cat "$work/m5.err")"
page=$((chunk_off / 4096))
dd if="$work/m5/dmg.raw" of=/dev/null bs=4096 skip=$((page - 1)) count=1 status=none ||
	fail "the page before the damaged chunk does not read"
for p in $page $((page + 3)) $((page + 7)); do
	if dd if="$work/m5/dmg.raw" of=/dev/null bs=4096 skip=$p count=1 status=none 2>"$work/dd.err"; then
		fail "page $p of the damaged chunk was served"
	fi
	grep -q "Input/output error" "$work/dd.err" || fail "page $p: $(cat "$work/dd.err")"
done
dd if="$work/m5/dmg.raw" of=/dev/null bs=4096 skip=$((page + 8)) count=1 status=none ||
	fail "the page after the damaged chunk does not read"
if cat "$work/m5/dmg.raw" >/dev/null 2>&1; then fail "a whole read through the damage succeeded"; fi
grep -q "^$first-$last 64 chunk $((chunk_off / 32768)) does not match its checksum\$" \
	"$work/m5/.custos/damaged" || fail ".custos/damaged: $(cat "$work/m5/.custos/damaged")"
[ "$(grep -c "damaged: sectors $first-$last (64) of $work/dmg.E01" "$work/m5.err")" = 1 ] ||
	fail "the damage is not said exactly once: $(cat "$work/m5.err")"
fls -r -p -i raw "$work/m5/dmg.p1.raw" >"$work/fls.dmg.txt" || fail "fls with the damage outside the metadata"
cmp "$work/fls.dmg.txt" "$work/fls.txt" || fail "fls lists otherwise with the damage"
pass
kill -TERM "$server"
status=0
reap "$server" 30 "custos mount -f after SIGTERM" || status=$?
[ "$status" = 0 ] || fail "custos mount -f exits $status after SIGTERM"
mountpoint -q "$work/m5" && fail "SIGTERM left the file system mounted"
pass

serve m6 "$work/dmg.E01" --damaged zero
python3 - "$work/m6/dmg.raw" "$work/disk.img" "$chunk_off" <<'PY' || fail "--damaged zero"
import sys
served, disk, x = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read(), int(sys.argv[3])
assert len(served) == len(disk)
assert served[x:x + 32768] == bytes(32768), "the damaged chunk is not zeros"
assert served[:x] == disk[:x] and served[x + 32768:] == disk[x + 32768:], "the rest differs"
PY
grep -q "^$first-$last 64 " "$work/m6/.custos/damaged" || fail "--damaged zero does not list the range"
grep -q "served as zeros" "$work/m6/.custos/damaged" || fail "--damaged zero: the file does not say so"
unserve m6
pass

# ---- the acquisition's read errors ----
[ -n "${FAULTFS:-}" ] && [ -x "$FAULTFS" ] || fail "faultfs is missing (it is built with the tests)"
"$MKMEDIUM" 2MiB 9 >"$work/small.img"
mkdir "$work/faulty"
"$FAULTFS" "$work/small.img" "$work/faulty" --bad 100,2000-2003 2>"$work/faulty.err" ||
	fail "faultfs: $(cat "$work/faulty.err")"
mounts+=("$work/faulty")
rc=0
"$CUSTOS" acquire "$work/faulty/medium" -o "$work/errs" -q 2>/dev/null || rc=$?
[ "$rc" = 3 ] || fail "acquire of the failing medium exits $rc, not 3"
serve m7 "$work/errs.E01"
grep -q "^100-100 1\$" "$work/m7/.custos/read_errors" &&
	grep -q "^2000-2003 4\$" "$work/m7/.custos/read_errors" ||
	fail ".custos/read_errors: $(cat "$work/m7/.custos/read_errors")"
[ "$(dd if="$work/m7/errs.raw" bs=512 skip=2000 count=4 status=none | tr -d '\0' | wc -c)" = 0 ] ||
	fail "the unreadable sectors do not read as zeros"
[ "$(grep -vc '^#' "$work/m7/.custos/damaged")" = 0 ] || fail "read errors listed as damage"
unserve m7
pass

# ---- refusals: nothing mounted ----
refused() { # refused WHAT EXPECTED-TEXT ARGS...: exit 2, the text, and no mount
	local rc=0
	"$CUSTOS" mount "${@:3}" >/dev/null 2>"$work/refused.err" || rc=$?
	[ "$rc" = 2 ] || fail "$1: exit $rc, not 2"
	grep -q "$2" "$work/refused.err" || fail "$1: $(cat "$work/refused.err")"
	[ "$(wc -l <"$work/refused.err")" = 1 ] || fail "$1: more than one line"
}
mkdir "$work/full" && touch "$work/full/x"
refused "a mount point not empty" "is not empty" "$work/ev.E01" "$work/full"
refused "a mount point that does not exist" "No such file" "$work/ev.E01" "$work/nowhere"
touch "$work/plainfile"
refused "a mount point that is a file" "is not a directory" "$work/ev.E01" "$work/plainfile"
mkdir "$work/empty" && ln -s "$work/empty" "$work/link"
refused "a mount point that is a link" "a link is not followed" "$work/ev.E01" "$work/link"
echo "not evidence" >"$work/notes.txt"
refused "no evidence" "not evidence" "$work/notes.txt" "$work/empty"
refused "a wrong --damaged" "damaged" "$work/ev.E01" "$work/empty" --damaged maybe
mountpoint -q "$work/empty" && fail "a refused mount mounted"
pass

echo "mount: $checks checks passed"
