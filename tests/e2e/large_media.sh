#!/bin/bash
# large_media.sh - the format limits that kill acquisitions of large drives,
# met without terabytes of disk.
#
# A sparse 4.25 GiB medium (zeros with random 1 MiB blocks either side of
# 2 GiB, 4 GiB and at its end) is acquired uncompressed into ONE segment
# with 4 MiB chunks.  Its sectors must then be split into groups whose table
# entries stay within 31 bits, and the later groups' base offsets and chunks
# lie past 2 GiB and past 4 GiB inside the segment file: exactly where
# writers that keep 32-bit offsets break.  libewf must read it all back:
# ewfverify -d sha256 recomputes both digests over the whole media, and
# ewfexport returns each random block from its place.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ewfverify ewfexport python3 md5sum; do need "$t"; done

avail=$(df --output=avail -B1 "$work" | tail -1)
[ "$avail" -gt $((10 * 1024 * 1024 * 1024)) ] ||
	skip "needs 10 GiB free under ${TMPDIR:-/tmp}, has $((avail / 1048576)) MiB"

src="$work/large.img"
truncate -s 4352MiB "$src"
for mib in 0 2047 2048 4095 4096 4351; do
	dd if=/dev/urandom of="$src" bs=1M count=1 seek="$mib" conv=notrunc status=none
done

"$CUSTOS" acquire "$src" -o "$work/large" --compression none --chunk-sectors 8192 \
	--segment-size 8GiB --json >"$work/large.json" 2>"$work/large.err" ||
	fail "acquire exited $?: $(cat "$work/large.err")"
[ "$(ls "$work"/large.E?? | wc -l)" = 1 ] || fail "expected one segment file"
size=$(stat -c %s "$work/large.E01")
[ "$size" -gt $((4 * 1024 * 1024 * 1024 + 256 * 1024 * 1024)) ] || fail "segment is only $size bytes"
pass

# the layout: table groups whose base offsets pass 2 GiB, chunks past 4 GiB
python3 - "$work/large.E01" <<'PY' || fail "layout check failed"
import struct, sys
f = open(sys.argv[1], 'rb')
off, bases, entries, last_chunk = 13, [], 0, 0
while True:
    f.seek(off)
    d = f.read(76)
    kind = d[:16].rstrip(b'\0').decode()
    nxt, size = struct.unpack('<QQ', d[16:32])
    if kind == 'table':
        n, = struct.unpack('<I', f.read(4))
        f.read(4)
        base, = struct.unpack('<Q', f.read(8))
        f.seek(off + 76 + 24)
        offs = struct.unpack('<%dI' % n, f.read(4 * n))
        assert all(o & 0x7fffffff < 2**31 for o in offs)
        bases.append(base)
        last_chunk = base + max(o & 0x7fffffff for o in offs)
        entries += n
    if nxt == off:
        break
    off = nxt
print('table base offsets:', bases, 'last chunk at:', last_chunk, 'chunks:', entries)
assert entries == 4352 // 4, entries
assert len(bases) >= 3 and bases[-1] > 2**31 and last_chunk > 2**32, (bases, last_chunk)
PY
pass

# libewf reads every byte: both stored digests recomputed over all of it
ewfverify -q -d sha256 "$work/large.E01" >"$work/verify.txt" 2>&1 ||
	fail "ewfverify rejected it: $(tail -3 "$work/verify.txt")"
md5=$(md5_of "$src")
grep -Eq "^MD5 hash calculated over data:[[:space:]]+$md5\$" "$work/verify.txt" || fail "MD5 differs"
grep -q "SHA256 hash stored in file:" "$work/verify.txt" || fail "no SHA-256 stored"
grep -q "ewfverify: SUCCESS" "$work/verify.txt" || fail "ewfverify failed"
pass

# and each random block comes back from its place
for mib in 2047 2048 4095 4096 4351; do
	ewfexport -q -u -f raw -o $((mib * 1048576)) -B 1048576 -t "$work/part" "$work/large.E01" \
		>/dev/null 2>&1 || fail "ewfexport at $mib MiB failed"
	dd if="$src" bs=1M skip="$mib" count=1 status=none | cmp -s - "$work/part.raw" ||
		fail "the block at $mib MiB differs"
	rm -f "$work/part.raw"
done
pass

echo "large_media: $checks checks passed"
