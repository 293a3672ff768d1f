#!/bin/bash
# convert.sh - custos convert: a set rewritten in another format, proven, or
# nothing left.
#
# An E01 set becomes an AFF4 volume and back; libewf's ewfverify -d sha256
# accepts the final E01 and its digests are the original's; the
# independent AFF4 reader (tests/tools/aff4_read.py) decodes the volume to
# the same media.  The case travels, read errors travel as read errors (in
# the E01's error table, as aff4:UnreadableData), and each new custody log
# starts with "converted", naming the old set, its digests and its custody
# head.  A damaged old set, or one that stores no digest, leaves nothing.
set -euo pipefail
. "$(dirname "$0")/common.sh"
READER="$(cd "$(dirname "$0")/.." && pwd)/tools/aff4_read.py"
for t in ewfverify ewfinfo xmllint; do need "$t"; done

# converted_from LOG XPATH: a value of the first event's record
record() {
	xmllint --xpath "string((//*[local-name()='event'])[1]//*[local-name()='converted_from']/*[local-name()='$2'])" "$1"
}
first_action() { xmllint --xpath "string((//*[local-name()='event'])[1]/@action)" "$1"; }
head_of() { xmllint --xpath "string(/*/@head)" "$1"; }

# convert NAME ARGS...: exit status in $rc, stderr in $work/NAME.err
convert() { json_run "$1" convert "${@:2}"; }

"$MKMEDIUM" 6MiB 31 >"$work/m6"
head -c 6000123 "$work/m6" >"$work/src.img"
"$CUSTOS" acquire "$work/src.img" -o "$work/orig" --case-number "K-77" --evidence-number "E2" \
	--examiner "First Examiner" --description "a test disk" -q
"$CUSTOS" info --json "$work/orig.E01" >"$work/orig.info.json"
md5=$(json "$work/orig.info.json" 'd["hashes"]["md5"]')

# ---- E01 -> E01, recompressed ----
convert e2e "$work/orig.E01" -o "$work/best" --format e01 --compression best --examiner "Second"
[ "$rc" = 0 ] || fail "E01 -> E01: exit $rc: $(cat "$work/e2e.err")"
ewfverify -q -d sha256 "$work/best.E01" >/dev/null || fail "ewfverify refuses the converted E01"
[ "$(json "$work/e2e.json" 'd["hashes"]["md5"]')" = "$md5" ] || fail "E01 -> E01: MD5"
[ "$(first_action "$work/best.custody.xml")" = converted ] || fail "the first event is not 'converted'"
[ "$(record "$work/best.custody.xml" evidence)" = "$work/orig.E01" ] || fail "the record does not name the old set"
[ "$(record "$work/best.custody.xml" custody_head)" = "$(head_of "$work/orig.custody.xml")" ] ||
	fail "the record does not hold the old log's head"
[ "$(record "$work/best.custody.xml" container)" = ewf ] || fail "the record's container"
ewfinfo "$work/best.E01" >"$work/best.ewfinfo"
grep -q "K-77" "$work/best.ewfinfo" || fail "the case number did not travel"
grep -q "a test disk" "$work/best.ewfinfo" || fail "the description did not travel"
grep -q "First Examiner" "$work/best.ewfinfo" || fail "the case's examiner did not travel"
[ "$(xmllint --xpath "string((//*[local-name()='event'])[1]/@by)" "$work/best.custody.xml")" = Second ] ||
	fail "the conversion's event is not by who converted"
"$CUSTOS" custody verify "$work/best.E01" >/dev/null || fail "custody verify of the converted set"
pass

# ---- refusals: nothing written ----
mkdir "$work/r"
convert exists "$work/orig.E01" -o "$work/best" --format e01
[ "$rc" = 2 ] || fail "an existing target: exit $rc"
cp "$work/src.img" "$work/r/bare.raw"
convert bare "$work/r/bare.raw" -o "$work/r/out"
[ "$rc" = 2 ] && grep -q "stores no digest" "$work/bare.err" || fail "a set without digests: exit $rc: $(cat "$work/bare.err")"
convert fmt "$work/orig.E01" -o "$work/r/out" --format vhd
[ "$rc" = 2 ] || fail "an unknown format: exit $rc"
[ "$(ls "$work/r")" = bare.raw ] || fail "a refused conversion wrote $(ls "$work/r")"
pass

# ---- a damaged old set: nothing is left ----
"$CUSTOS" acquire "$work/src.img" -o "$work/plain" --compression none -q
chmod u+w "$work/plain.E01"
python3 - "$work/src.img" "$work/plain.E01" <<'PY' || fail "cannot find the chunk to damage"
import sys
src = open(sys.argv[1], 'rb').read()
needle = src[4321 * 512: 4321 * 512 + 64]
data = bytearray(open(sys.argv[2], 'rb').read())
at = data.find(needle)
data[at + 7] ^= 0x01
open(sys.argv[2], 'wb').write(data)
PY
convert dmg "$work/plain.E01" -o "$work/r/dmg" --format e01
[ "$rc" = 1 ] || fail "a damaged set: exit $rc"
grep -q "damaged" "$work/dmg.err" || fail "a damaged set: $(cat "$work/dmg.err")"
[ "$(ls "$work/r")" = bare.raw ] || fail "a damaged set's conversion left $(ls "$work/r")"
[ "$(wc -l <"$work/dmg.err")" = 1 ] || fail "a damaged set: not one line: $(cat "$work/dmg.err")"
pass

# ---- read errors travel as read errors (E01 -> E01) ----
size=$(stat -c %s "$work/src.img")
printf '# Mapfile\n0x0 + 1\n0x0 0x%X +\n0x%X 0x%X -\n0x%X 0x%X +\n' \
	$((100 * 512)) $((100 * 512)) $((3 * 512)) $((103 * 512)) $((size - 103 * 512)) >"$work/bad.map"
set +e
"$CUSTOS" acquire "$work/src.img" -o "$work/bad" --ddrescue-map "$work/bad.map" -q
[ $? = 3 ] || fail "acquire with read errors did not exit 3"
set -e
convert be "$work/bad.E01" -o "$work/bad2" --format e01
[ "$rc" = 3 ] || fail "read errors: exit $rc, not 3: $(cat "$work/be.err")"
[ "$(json "$work/be.json" 'd["read_errors"]')" = "[[100, 3]]" ] || fail "read errors: $(json "$work/be.json" 'd["read_errors"]')"
ewfverify -q -d sha256 "$work/bad2.E01" >/dev/null || fail "ewfverify refuses the converted E01 with errors"
pass

# ---- E01 -> AFF4 -> E01 ----
convert toaff "$work/orig.E01" -o "$work/a"
[ "$rc" = 0 ] || fail "E01 -> AFF4: exit $rc: $(cat "$work/toaff.err")"
[ -f "$work/a.aff4" ] || fail "E01 -> AFF4: no volume"
/usr/bin/python3 "$READER" "$work/a.aff4" --json >"$work/a.read.json" || fail "the reader refuses the converted volume"
[ "$(json "$work/a.read.json" 'd["md5"]')" = "$md5" ] || fail "E01 -> AFF4: the reader's MD5"
[ "$(json "$work/a.read.json" 'd["case"]["caseNumber"]')" = K-77 ] || fail "E01 -> AFF4: the case"
[ "$(record "$work/a.custody.xml" container)" = ewf ] || fail "E01 -> AFF4: the record"
convert back "$work/a.aff4" -o "$work/back"
[ "$rc" = 0 ] || fail "AFF4 -> E01: exit $rc: $(cat "$work/back.err")"
ewfverify -q -d sha256 "$work/back.E01" >/dev/null || fail "ewfverify -d sha256 refuses the round trip's E01"
[ "$(json "$work/back.json" 'd["hashes"]["md5"]')" = "$md5" ] || fail "the round trip's MD5"
[ "$(json "$work/back.json" 'd["hashes"]["sha256"]')" = "$(json "$work/e2e.json" 'd["hashes"]["sha256"]')" ] ||
	fail "the round trip's SHA-256"
[ "$(record "$work/back.custody.xml" container)" = aff4 ] || fail "AFF4 -> E01: the record"
pass

# ---- read errors across formats: zeros in E01, UnreadableData in AFF4 ----
convert bea "$work/bad.E01" -o "$work/bada"
[ "$rc" = 3 ] || fail "E01 with errors -> AFF4: exit $rc: $(cat "$work/bea.err")"
/usr/bin/python3 "$READER" "$work/bada.aff4" --json >"$work/bada.read.json"
[ "$(json "$work/bada.read.json" 'd["unreadable"]')" = "[[100, 3]]" ] ||
	fail "E01 with errors -> AFF4: unreadable $(json "$work/bada.read.json" 'd["unreadable"]')"
convert beb "$work/bada.aff4" -o "$work/badb"
[ "$rc" = 3 ] || fail "AFF4 with errors -> E01: exit $rc: $(cat "$work/beb.err")"
"$CUSTOS" info --json "$work/bad.E01" >"$work/bad.info.json"
[ "$(json "$work/beb.json" 'd["hashes"]["md5"]')" = "$(json "$work/bad.info.json" 'd["hashes"]["md5"]')" ] ||
	fail "E01 -> AFF4 -> E01 with errors: the media is not the first E01's"
pass

# ---- an AFF4 volume without linear digests (as Evimetry writes them): proven by its own hashes ----
[ -x "${MKAFF4:-}" ] || fail "no mkaff4 (MKAFF4)"
"$MKAFF4" "$work/src.img" "$work/bare.aff4" snappy md5,sha1
convert bare4 "$work/bare.aff4" -o "$work/fromself"
[ "$rc" = 0 ] || fail "a self-proving AFF4 -> E01: exit $rc: $(cat "$work/bare4.err")"
ewfverify -q -d sha256 "$work/fromself.E01" >/dev/null || fail "ewfverify refuses the E01 of a self-proving volume"
[ "$(json "$work/bare4.json" 'd["source_hashes"]["md5"]')" = "$(md5_of "$work/src.img")" ] ||
	fail "a self-proving AFF4 -> E01: not the medium's MD5"
# its block hashes no longer prove it once a chunk's hash member changes: nothing is left
cp "$work/bare.aff4" "$work/r/changed.aff4"
/usr/bin/python3 - "$work/r/changed.aff4" <<'PY'
import sys, zipfile
p = sys.argv[1]
z = zipfile.ZipFile(p)
m = [i for i in z.infolist() if i.filename.endswith('.blockHash.md5')][0]
with open(p, 'r+b') as f:
    f.seek(m.header_offset + 26)
    n, x = int.from_bytes(f.read(2), 'little'), int.from_bytes(f.read(2), 'little')
    at = m.header_offset + 30 + n + x + 5
    f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 1]))
PY
convert chg "$work/r/changed.aff4" -o "$work/r/chg"
[ "$rc" = 1 ] || fail "a volume its hashes do not prove: exit $rc: $(cat "$work/chg.err")"
[ "$(ls "$work/r" | sort | tr '\n' ' ')" = "bare.raw changed.aff4 " ] || fail "an unproven conversion left $(ls "$work/r")"
pass

echo "convert: $checks checks passed"
