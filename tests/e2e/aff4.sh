#!/bin/bash
# aff4.sh - custos acquire --format aff4, judged by an independent reader.
#
# tests/tools/aff4_read.py, written from the AFF4 Standard v1.0 with
# Python's zipfile, python3-lz4, python3-snappy and python3-rdflib (no
# custos code), decodes each volume custos writes: its media must be the
# source's exact bytes, its digests those custos reports and stores, its
# block hashes, map hashes and blockMapHash must recompute equal, and its
# Turtle must parse.  Info-ZIP's unzip and zipinfo must accept the ZIP64
# container.  Cases: every compression method, an odd-sized source, a
# 4096-byte-sector source, a stream, two copies, unreadable sectors (from a
# ddrescue map) laid onto aff4:UnreadableData exactly, and every refusal
# before the first byte.
set -euo pipefail
. "$(dirname "$0")/common.sh"
READER="$(cd "$(dirname "$0")/.." && pwd)/tools/aff4_read.py"
for t in unzip zipinfo xmllint; do need "$t"; done
[ -x /usr/bin/python3 ] || fail "/usr/bin/python3 is not installed"
/usr/bin/python3 -c 'import lz4.block, snappy, rdflib' 2>/dev/null ||
	fail "python3-lz4, python3-snappy and python3-rdflib are needed (tools/deps installs them)"

read_json() { /usr/bin/python3 "$READER" "$1" --json >"$1.read.json" || fail "the reader refused $1"; }
rj() { json "$1.read.json" "$2"; }

# check_volume VOLUME SOURCE_BYTES ACQUIRE_JSON [SECTOR]: the reader's verdict
check_volume() {
	local v=$1 src=$2 aj=$3 sector=${4:-512}
	unzip -tq "$v" >/dev/null || fail "unzip -t refuses $v"
	zipinfo "$v" >/dev/null || fail "zipinfo refuses $v"
	read_json "$v"
	/usr/bin/python3 "$READER" "$v" --media "$v.media" || fail "the reader cannot read the media of $v"
	cmp -s "$v.media" "$src" || fail "$v: the media read back is not the source"
	[ "$(rj "$v" 'd["media_size"]')" = "$(stat -c %s "$src")" ] || fail "$v: aff4:size"
	[ "$(rj "$v" 'd["sector_size"]')" = "$sector" ] || fail "$v: aff4:blockSize"
	[ "$(rj "$v" 'd["chunk_size"]')" = 32768 ] || fail "$v: chunk size"
	for a in md5 sha256; do
		[ "$(rj "$v" "d['$a']")" = "$(json "$aj" "d['hashes']['$a']")" ] ||
			fail "$v: the reader's $a differs from custos'"
		[ "$(rj "$v" "d['stored']['$a']")" = "$(json "$aj" "d['hashes']['$a']")" ] ||
			fail "$v: the stored $a is not the media's"
	done
	[ "$(rj "$v" 'd["md5"]')" = "$(md5_of "$src")" ] || fail "$v: MD5 is not the source's"
	for k in block_hashes_ok map_hashes_ok block_map_hash_ok; do
		[ "$(rj "$v" "d['$k']")" = True ] || fail "$v: $k"
	done
	[ "$(rj "$v" 'd["first_member"]')" = container.description ] || fail "$v: first member"
	[ "$(rj "$v" 'd["zip_comment"]')" = "$(rj "$v" 'd["volume_urn"]')" ] ||
		fail "$v: the ZIP comment is not the volume URN"
	[ "$(rj "$v" 'd["members"][-1]')" = information.turtle ] || fail "$v: information.turtle is not last"
	[ "$(rj "$v" 'd["unreadable"]')" = "[]" ] || fail "$v: unreadable runs in a clean medium"
	[ "$(rj "$v" 'd["complete"]')" = "Completed Normally" ] || fail "$v: completion state"
	pass
}

# acquire NAME ARGS...: custos acquire --json into $work/NAME.json, exit status in $rc
acquire() { json_run "$1" acquire "${@:2}"; }

# ---- every compression method, on a mixed medium of an odd size ----
"$MKMEDIUM" 9MiB 21 >"$work/src9"
head -c 9000001 "$work/src9" >"$work/src.img"
for c in lz4 snappy deflate none; do
	acquire "$c" "$work/src.img" -o "$work/$c" --format aff4 --compression "$c" \
		--case-number "K-21" --evidence-number "E 1" --examiner "A. Examiner" --notes "odd size"
	[ "$rc" = 0 ] || fail "acquire --compression $c: exit $rc: $(cat "$work/$c.err")"
	[ -f "$work/$c.aff4" ] && [ ! -e "$work/$c.aff4.partial" ] || fail "$c: no BASE.aff4"
	[ -f "$work/$c.custody.xml" ] || fail "$c: no custody log"
	check_volume "$work/$c.aff4" "$work/src.img" "$work/$c.json"
	[ "$(json "$work/$c.json" 'd["media"]["format"]')" = aff4 ] || fail "$c: JSON format"
done
# the method is named, and a packed chunk is smaller than a stored one
[ "$(rj "$work/lz4.aff4" 'd["compression"]')" = https://code.google.com/p/lz4/ ] || fail "lz4 URI"
[ "$(rj "$work/snappy.aff4" 'd["compression"]')" = http://code.google.com/p/snappy/ ] || fail "snappy URI"
[ "$(rj "$work/deflate.aff4" 'd["compression"]')" = https://tools.ietf.org/html/rfc1951 ] || fail "deflate URI"
[ "$(rj "$work/none.aff4" 'd["compression"]')" = None ] || fail "none: a compression method is named"
[ "$(stat -c %s "$work/lz4.aff4")" -lt "$(stat -c %s "$work/none.aff4")" ] || fail "lz4 does not compress"
# the case is in the Turtle
[ "$(rj "$work/lz4.aff4" 'd["case"]["caseNumber"]')" = K-21 ] || fail "case number"
[ "$(rj "$work/lz4.aff4" 'd["case"]["examiner"]')" = "A. Examiner" ] || fail "examiner"
[ "$(rj "$work/lz4.aff4" 'd["case"]["evidenceNumber"]')" = "E 1" ] || fail "evidence number"
grep -q '<format>aff4</format>' "$work/lz4.custody.xml" || fail "the custody record does not say aff4"
grep -q '<compression>lz4</compression>' "$work/lz4.custody.xml" || fail "the custody record: compression"
pass

# ---- a 4096-byte-sector source ----
"$MKMEDIUM" 6MiB 22 >"$work/src4k.img"
acquire s4k "$work/src4k.img" -o "$work/s4k" --format aff4 --sector-size 4096
[ "$rc" = 0 ] || fail "4096-byte sectors: exit $rc: $(cat "$work/s4k.err")"
check_volume "$work/s4k.aff4" "$work/src4k.img" "$work/s4k.json" 4096
unzip -p "$work/s4k.aff4" information.turtle | grep -q '"1536"^^xsd:long' ||
	fail "4096-byte sectors: aff4:sectorCount is not 1536"

# ---- a stream, and two copies from one read ----
mkdir -p "$work/a" "$work/b"
acquire stream - -o "$work/a/s" --format aff4 -o "$work/b/s" --format aff4 <"$work/src.img"
[ "$rc" = 0 ] || fail "stream: exit $rc: $(cat "$work/stream.err")"
check_volume "$work/a/s.aff4" "$work/src.img" "$work/stream.json"
check_volume "$work/b/s.aff4" "$work/src.img" "$work/stream.json"
[ "$(rj "$work/a/s.aff4" 'd["volume_urn"]')" != "$(rj "$work/b/s.aff4" 'd["volume_urn"]')" ] ||
	fail "two volumes share a URN"

# ---- unreadable sectors: a ddrescue map's bad areas, exactly, as aff4:UnreadableData ----
size=$(stat -c %s "$work/src.img")
/usr/bin/python3 - "$size" >"$work/bad.map" <<'PY'
import sys
size = int(sys.argv[1])
runs = [(0, 65536, '+'), (65536, 1024, '-'), (66560, 1048576, '+'), (1115136, 512, '/'),
        (1115648, 4096 * 300, '+'), (1115648 + 4096 * 300, 3 * 512, '-')]
end = runs[-1][0] + runs[-1][1]
runs.append((end, size - end, '+'))
print('# Mapfile. Created by GNU ddrescue version 1.27\n0x00000000     +               1')
for pos, n, st in runs:
    print('0x%08X  0x%08X  %s' % (pos, n, st))
PY
acquire bad "$work/src.img" -o "$work/bad" --format aff4 --ddrescue-map "$work/bad.map"
[ "$rc" = 3 ] || fail "unreadable sectors: exit $rc, not 3: $(cat "$work/bad.err")"
read_json "$work/bad.aff4"
[ "$(rj "$work/bad.aff4" 'd["unreadable"]')" = "[[128, 2], [2178, 1], [4579, 3]]" ] ||
	fail "the map's UnreadableData runs are $(rj "$work/bad.aff4" 'd["unreadable"]')"
[ "$(json "$work/bad.json" 'd["read_errors"]')" = "[[128, 2], [2178, 1], [4579, 3]]" ] ||
	fail "custos' read errors are $(json "$work/bad.json" 'd["read_errors"]')"
for k in block_hashes_ok map_hashes_ok block_map_hash_ok; do
	[ "$(rj "$work/bad.aff4" "d['$k']")" = True ] || fail "unreadable: $k"
done
[ "$(rj "$work/bad.aff4" 'd["complete"]')" != "Completed Normally" ] ||
	fail "a volume with unreadable sectors says it completed normally"
/usr/bin/python3 "$READER" "$work/bad.aff4" --media "$work/bad.media"
# expected: the source, the unreadable bytes as the standard's fill
/usr/bin/python3 - "$work/src.img" "$work/bad.media" <<'PY' || fail "the media around the unreadable sectors"
import sys
src = bytearray(open(sys.argv[1], 'rb').read())
fill = b'UNREADABLEDATA'
for first, count in [(128, 2), (2178, 1), (4579, 3)]:
    for o in range(first * 512, (first + count) * 512):
        src[o] = fill[(o % (1 << 20)) % len(fill)]
sys.exit(0 if open(sys.argv[2], 'rb').read() == bytes(src) else 1)
PY
for a in md5 sha256; do
	[ "$(rj "$work/bad.aff4" "d['$a']")" = "$(json "$work/bad.json" "d['hashes']['$a']")" ] ||
		fail "unreadable: the reader's $a is not custos'"
	[ "$(rj "$work/bad.aff4" "d['stored']['$a']")" = "$(rj "$work/bad.aff4" "d['$a']")" ] ||
		fail "unreadable: the stored $a is not the media's as a reader reads it"
done
pass

# ---- custos reads what it wrote: verify, --verify, --segments, custody, report, --enroll ----
xsd="$(cd "$(dirname "$0")/../.." && pwd)/report/custos-report.xsd"
"$CUSTOS" verify --json "$work/lz4.aff4" >"$work/v.json" || fail "verify of custos' AFF4"
[ "$(json "$work/v.json" 'd["result"]')" = match ] || fail "verify: not a match"
[ "$(json "$work/v.json" 'd["computed"]["md5"]')" = "$(md5_of "$work/src.img")" ] || fail "verify: MD5"
[ "$(json "$work/v.json" 'd["self_proved"]')" = True ] || fail "verify: the block hashes did not prove the volume"
"$CUSTOS" verify --json "$work/bad.aff4" >"$work/vb.json" || fail "verify of a volume with unreadable sectors"
[ "$(json "$work/vb.json" 'd["read_errors"]')" = "[[128, 2], [2178, 1], [4579, 3]]" ] ||
	fail "verify: read errors $(json "$work/vb.json" 'd["read_errors"]')"
"$CUSTOS" verify --segments "$work/lz4.aff4" >/dev/null || fail "verify --segments"
"$CUSTOS" custody verify "$work/lz4.aff4" >/dev/null || fail "custody verify"
"$CUSTOS" report "$work/lz4.aff4" -o "$work/lz4.report.xml" || fail "report"
xmllint --noout --schema "$xsd" "$work/lz4.report.xml" 2>/dev/null || fail "the report does not validate"
grep -q "<format>aff4</format>" "$work/lz4.report.xml" || fail "the report does not say aff4"
acquire ver "$work/src.img" -o "$work/ver" --format aff4 --verify
[ "$rc" = 0 ] && [ "$(json "$work/ver.json" 'd["verification"]["evidence"]')" = match ] ||
	fail "acquire --verify: $rc $(cat "$work/ver.err")"
mkdir "$work/enr" && cp "$work/snappy.aff4" "$work/enr/other.aff4"
"$CUSTOS" verify --enroll "$work/enr/other.aff4" >/dev/null || fail "verify --enroll of an AFF4 volume"
[ -f "$work/enr/other.custody.xml" ] || fail "--enroll wrote no custody log"
"$CUSTOS" verify --segments "$work/enr/other.aff4" >/dev/null || fail "--segments after --enroll"
pass

# one byte of a bevy changed: damaged, at exactly the sectors of its chunk
cp "$work/none.aff4" "$work/dmg.aff4" && chmod u+w "$work/dmg.aff4"
/usr/bin/python3 - "$work/src.img" "$work/dmg.aff4" <<'PY' || fail "cannot find the chunk to damage"
import sys
src = open(sys.argv[1], 'rb').read()
needle = src[5000 * 512: 5000 * 512 + 64]           # sector 5000 lies in chunk 78: 4992..5055
data = bytearray(open(sys.argv[2], 'rb').read())
at = data.find(needle)
data[at + 9] ^= 0x10
open(sys.argv[2], 'wb').write(data)
PY
set +e
"$CUSTOS" verify --json "$work/dmg.aff4" >"$work/vd.json" 2>/dev/null
vrc=$?
set -e
[ "$vrc" = 1 ] || fail "a changed byte: exit $vrc"
[ "$(json "$work/vd.json" 'd["damaged_sectors"]')" = "[[4992, 64]]" ] ||
	fail "a changed byte: damaged $(json "$work/vd.json" 'd["damaged_sectors"]')"
pass

# ---- refusals, each before the first byte ----
refuse() { # refuse WHAT PATTERN ARGS...
	local what=$1 pattern=$2
	shift 2
	rm -rf "$work/r" && mkdir "$work/r"
	acquire refused "$@"
	[ "$rc" = 2 ] || fail "$what: exit $rc, not 2: $(cat "$work/refused.err")"
	grep -q -- "$pattern" "$work/refused.err" || fail "$what: $(cat "$work/refused.err")"
	[ -z "$(ls -A "$work/r")" ] || fail "$what: files were written: $(ls "$work/r")"
	pass
}
refuse "AFF4 with E01" "cannot go with E01" "$work/src.img" -o "$work/r/x" --format aff4 -o "$work/r/y"
refuse "AFF4 with raw" "cannot go with E01 or raw" "$work/src.img" -o "$work/r/x" --format raw -o "$work/r/y" --format aff4
refuse "segments" "defines no segmented volumes" "$work/src.img" -o "$work/r/x" --format aff4 --segment-size 1MiB
refuse "chunk sectors" "chunks are 32 KiB" "$work/src.img" -o "$work/r/x" --format aff4 --chunk-sectors 128
refuse "E01 method" "is E01's" "$work/src.img" -o "$work/r/x" --format aff4 --compression best
refuse "AFF4 method" "is AFF4's" "$work/src.img" -o "$work/r/x" --compression lz4
refuse "resume" "cannot be resumed" "$work/src.img" -o "$work/r/x" --format aff4 --resume
refuse "rescue" "rescue" "$work/src.img" -o "$work/r/x" --format aff4 --rescue
refuse "sector size" "do not fit" "$work/src.img" -o "$work/r/x" --format aff4 --sector-size 65536
# an existing volume is never overwritten
mv "$work/lz4.custody.xml" "$work/lz4.log.aside"
acquire again "$work/src.img" -o "$work/lz4" --format aff4
[ "$rc" = 2 ] && grep -q "lz4.aff4" "$work/again.err" || fail "an existing volume: exit $rc: $(cat "$work/again.err")"
[ ! -e "$work/lz4.custody.xml" ] || fail "a refused run wrote a custody log"
mv "$work/lz4.log.aside" "$work/lz4.custody.xml"
check_volume "$work/lz4.aff4" "$work/src.img" "$work/lz4.json"

# ---- an interrupted run leaves nothing that looks complete ----
"$CUSTOS" acquire "$work/src9" -o "$work/r/cut" --format aff4 --x-interrupt-at 2MiB -q 2>/dev/null &&
	fail "the interrupted run did not stop"
[ -z "$(ls -A "$work/r")" ] || fail "an interrupted run left $(ls "$work/r")"
pass

echo "aff4: $checks checks passed"
