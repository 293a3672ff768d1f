#!/bin/bash
# aff4_read.sh - verify, info and export on AFF4 volumes custos' writer
# pieces make (tests/tools/mkaff4), against md5sum and sha256sum of the
# medium (the independent witnesses).
#
# A volume that states its linear digests verifies by them (match, exit 0);
# one that states none verifies by its own block hashes, BlockHashes hashes,
# map hashes and blockMapHash (match, with a "proof" line, self_proved in
# JSON, and the computed MD5 the witness gives).  info names the volume and
# its case; export gives a file cmp finds identical to the medium.  One
# byte of a bevy changed: damaged (exit 1), with exactly the sectors of its
# chunk.  A ZIP that is not AFF4 is not evidence (exit 2).
set -euo pipefail
. "$(dirname "$0")/common.sh"
need python3
need unzip
need zip
[ -x "${MKAFF4:-}" ] || skip "no mkaff4"

"$MKMEDIUM" 3MiB 41 >"$work/big.img"
head -c 3000064 "$work/big.img" >"$work/m.img"
size=$(stat -c %s "$work/m.img")
md5=$(md5_of "$work/m.img")
sha=$(sha256_of "$work/m.img")

"$MKAFF4" "$work/m.img" "$work/linear.aff4" lz4 md5,sha256 --linear
"$MKAFF4" "$work/m.img" "$work/bare.aff4" snappy md5,sha1
unzip -tq "$work/bare.aff4" >/dev/null || fail "unzip finds the volume damaged"

"$CUSTOS" verify --json "$work/linear.aff4" >"$work/v.json" || fail "verify linear.aff4 failed"
[ "$(json "$work/v.json" 'd["result"]')" = match ] || fail "linear.aff4: not a match"
[ "$(json "$work/v.json" 'd["stored"]["md5"]')" = "$md5" ] || fail "linear.aff4: stored MD5"
[ "$(json "$work/v.json" 'd["computed"]["sha256"]')" = "$sha" ] || fail "linear.aff4: SHA-256"
[ "$(json "$work/v.json" 'd["media_size"]')" = "$size" ] || fail "linear.aff4: media size"

"$CUSTOS" verify "$work/bare.aff4" >"$work/v.txt" || fail "verify bare.aff4 failed: $(cat "$work/v.txt")"
grep -q "^  proof    the volume's own hashes" "$work/v.txt" || fail "bare.aff4: no proof line"
grep -q "^  md5      computed $md5" "$work/v.txt" || fail "bare.aff4: not the witness's MD5"
grep -q "^custos verify: match$" "$work/v.txt" || fail "bare.aff4: not a match"
"$CUSTOS" verify --json "$work/bare.aff4" >"$work/v.json"
[ "$(json "$work/v.json" 'd["self_proved"]')" = True ] || fail "bare.aff4: not self_proved"

"$CUSTOS" info "$work/bare.aff4" >"$work/i.txt"
grep -q "^AFF4 volume$" "$work/i.txt" || fail "info: no AFF4 section"
grep -q "Case number *K-7" "$work/i.txt" || fail "info: no case number"
"$CUSTOS" info --json "$work/linear.aff4" >"$work/i.json"
[ "$(json "$work/i.json" 'd["hashes"]["md5"]')" = "$md5" ] || fail "info: stored MD5"
[ "$(json "$work/i.json" 'd["compression"]')" = lz4 ] || fail "info: compression"

"$CUSTOS" export "$work/bare.aff4" -o "$work/out.img" >/dev/null || fail "export failed"
cmp "$work/m.img" "$work/out.img" || fail "export: not the medium"

# one byte in the middle of chunk 9's stored bytes
cp "$work/bare.aff4" "$work/bad.aff4"
python3 - "$work/bad.aff4" <<'PY'
import struct, sys, zipfile
p = sys.argv[1]
z = zipfile.ZipFile(p)
bevy = [i for i in z.infolist() if i.filename.endswith('/00000000')][0]
index = [i for i in z.infolist() if i.filename.endswith('/00000000.index')][0]
off, length = struct.unpack('<QI', z.read(index)[9 * 12:10 * 12])
with open(p, 'r+b') as f:
    f.seek(bevy.header_offset + 26)
    n, x = struct.unpack('<HH', f.read(4))
    at = bevy.header_offset + 30 + n + x + off + length // 2
    f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 0x41]))
PY
set +e
"$CUSTOS" verify --json "$work/bad.aff4" >"$work/v.json" 2>/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "bad.aff4: exit $rc, not 1"
[ "$(json "$work/v.json" 'd["result"]')" = damaged ] || fail "bad.aff4: not damaged"
[ "$(json "$work/v.json" 'd["damaged_sectors"]')" = "[[576, 64]]" ] ||
	fail "bad.aff4: damaged $(json "$work/v.json" 'd["damaged_sectors"]'), not chunk 9's sectors"

(cd "$work" && zip -q plain.zip m.img)
set +e
"$CUSTOS" info "$work/plain.zip" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "a plain ZIP: exit $rc, not 2"
grep -q "not an AFF4 volume" "$work/err" || fail "a plain ZIP: $(cat "$work/err")"
pass
