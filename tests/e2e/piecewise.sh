#!/bin/bash
# piecewise.sh - the digests of every window of the media (acquire
# --hash-window), held to independent witnesses (issue 23).
#
# md5deep -p and sha256deep -p (hashdeep) and dcfldd's hashwindow must give
# every window digest custos recorded in the custody log, the last window
# short; an acquisition interrupted and resumed must record the same.  The
# report validates against its schema with the windows in it, and the DFXML
# against the DFXML schema with a byte run for each window.  A damaged set:
# verify names exactly the windows the damage touches and proves the rest;
# verify --source names exactly the window where the source changed.  Bad
# window sizes and a tampered record are refused with one line.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in md5deep sha256deep dcfldd xmllint python3; do need "$t"; done
root=$(cd "$(dirname "$0")/../.." && pwd)

# 42 MiB and a sector: ten windows of 4 MiB and a short one
"$MKMEDIUM" 43009KiB 31 >"$work/src.img"
truncate -s $((43008 * 1024 + 512)) "$work/src.img"
W=4194304
"$CUSTOS" acquire "$work/src.img" -o "$work/ev" --hash-window 4MiB --compression none \
	--segment-size 8MiB --json -q >"$work/acq.json" || fail "acquire --hash-window failed"
[ "$(json "$work/acq.json" 'd["hash_windows"]["count"]')" = 11 ] || fail "the summary does not count 11 windows"

# recorded: "offset md5 sha256" lines from the custody log
recorded() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"c": "urn:custos:custody:1"}
w = ET.parse(sys.argv[1]).getroot().find(".//c:hash_windows", ns)
for e in w.findall("c:window", ns):
    print(e.get("offset"), e.get("length"), e.get("md5"), e.get("sha256"))
PY
}
recorded "$work/ev.custody.xml" >"$work/rec.txt"
[ "$(wc -l <"$work/rec.txt")" = 11 ] || fail "the log records $(wc -l <"$work/rec.txt") windows, not 11"
[ "$(tail -1 "$work/rec.txt" | cut -d' ' -f2)" = $((2 * 1024 * 1024 + 512)) ] || fail "the last window is not short"
# the witnesses: "offset md5" from md5deep -p and dcfldd, "offset sha256" from sha256deep -p
md5deep -p $W "$work/src.img" | sed -n 's/^\([0-9a-f]*\) .* offset \([0-9]*\)-.*/\2 \1/p' >"$work/md5deep.txt"
sha256deep -p $W "$work/src.img" | sed -n 's/^\([0-9a-f]*\) .* offset \([0-9]*\)-.*/\2 \1/p' >"$work/sha256deep.txt"
dcfldd if="$work/src.img" of=/dev/null hash=md5 hashwindow=$W hashlog="$work/dcfldd.log" status=off 2>/dev/null
sed -n 's/^\([0-9]*\) - [0-9]*: \([0-9a-f]*\)$/\1 \2/p' "$work/dcfldd.log" >"$work/dcfldd.txt"
cut -d' ' -f1,3 "$work/rec.txt" | diff - "$work/md5deep.txt" >/dev/null || fail "the MD5 windows differ from md5deep -p's"
cut -d' ' -f1,4 "$work/rec.txt" | diff - "$work/sha256deep.txt" >/dev/null || fail "the SHA-256 windows differ from sha256deep -p's"
cut -d' ' -f1,3 "$work/rec.txt" | diff - "$work/dcfldd.txt" >/dev/null || fail "the MD5 windows differ from dcfldd's hashwindow"
pass

# an interrupted acquisition, resumed: the same windows
"$CUSTOS" acquire "$work/src.img" -o "$work/res" --hash-window 4MiB --compression none \
	--x-checkpoint 1MiB --x-interrupt-at 19MiB -q 2>/dev/null && fail "the interrupted run succeeded"
"$CUSTOS" acquire "$work/src.img" -o "$work/res" --hash-window 4MiB --compression none --resume -q ||
	fail "the resumed run failed"
recorded "$work/res.custody.xml" | diff - "$work/rec.txt" >/dev/null || fail "a resumed acquisition records other windows"
pass

# the report and DFXML, each valid against its schema, with the windows
"$CUSTOS" report "$work/ev.E01" -o "$work/report.xml" --dfxml "$work/ev.dfxml" || fail "report failed"
xmllint --noout --schema "$root/report/custos-report.xsd" "$work/report.xml" 2>/dev/null || fail "the report is not valid"
xmllint --noout --schema "$root/report/dfxml/dfxml.xsd" "$work/ev.dfxml" 2>/dev/null || fail "the DFXML is not valid"
python3 - "$work/report.xml" "$work/ev.dfxml" "$work/rec.txt" <<'PY' || fail "the report or DFXML does not hold the windows recorded"
import sys, xml.etree.ElementTree as ET
rec = [l.split() for l in open(sys.argv[3])]
r = ET.parse(sys.argv[1]).getroot().find("{urn:custos:report:1}hash_windows")
got = [[e.get("offset"), e.get("length"), e.get("md5"), e.get("sha256")] for e in r]
assert got == rec, "report"
D = "{http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML}"
runs = ET.parse(sys.argv[2]).getroot().find(D + "diskimageobject").find(D + "byte_runs")
wins = [b for b in runs if b.get("{urn:custos:custody:1}hash_window") is not None]
got = [[b.get("img_offset"), b.get("len")] + [h.text for h in b if h.get("type") in ("MD5", "SHA256")] for b in wins]
assert got == rec, "dfxml"
PY
pass

# damage: a byte changed in an uncompressed chunk; exactly its window (or two) named
seg=$(ls "$work"/ev.E0? | sed -n 3p)
chmod u+w "$seg"
printf 'Z' | dd of="$seg" bs=1 seek=$((3 << 20)) conv=notrunc status=none
json_run damaged verify "$work/ev.E01"
[ "$rc" = 1 ] || fail "verify of a damaged set exited $rc"
python3 - "$work/damaged.json" $W <<'PY' || fail "verify names other windows than the damage touches"
import json, sys
d = json.load(open(sys.argv[1])); W = int(sys.argv[2]); bps = d["bytes_per_sector"]
assert d["result"] == "damaged"
w = d["hash_windows"]
touched = set()
for r in d["damaged_sectors"]:
    first, last = r[0] * bps, (r[0] + r[1]) * bps - 1
    touched.update(range(first // W, last // W + 1))
named = {x["offset"] // W for x in w["not_matching"]}
assert touched and named == touched, (named, touched)
assert w["match"] == 11 - len(touched) and w["damaged"] == len(touched), w
PY
"$CUSTOS" verify "$work/ev.E01" >"$work/damaged.txt" 2>/dev/null || true
grep -q "10 windows match their hashes of" "$work/damaged.txt" || fail "verify's text proves no window"
pass

# --source: one byte changed in the source names its window, and only it
cp "$work/src.img" "$work/changed.img"
printf 'Q' | dd of="$work/changed.img" bs=1 seek=$((7 * W + 12345)) conv=notrunc status=none
"$CUSTOS" acquire "$work/src.img" -o "$work/ok" --hash-window 4MiB -q
json_run source verify "$work/ok.E01" --source "$work/changed.img"
[ "$rc" = 1 ] || fail "verify --source of a changed source exited $rc"
python3 - "$work/source.json" $W <<'PY' || fail "verify --source does not name exactly window 7"
import json, sys
d = json.load(open(sys.argv[1])); W = int(sys.argv[2])
w = d["hash_windows"]
assert w["source_differ"] == 1 and [x["offset"] for x in w["source_not_matching"]] == [7 * W], w
PY
pass

# refused before the first byte: windows too small, not whole sectors, none when 0
for bad in 4096 64Q "1048577"; do
	set +e
	"$CUSTOS" acquire "$work/src.img" -o "$work/bad" --hash-window "$bad" -q 2>"$work/bad.err"
	rc=$?
	set -e
	[ "$rc" = 2 ] && [ "$(wc -l <"$work/bad.err")" = 1 ] || fail "--hash-window $bad: exit $rc: $(cat "$work/bad.err")"
	[ ! -e "$work/bad.E01" ] || fail "--hash-window $bad wrote evidence"
done
"$CUSTOS" acquire "$work/src.img" -o "$work/none" --hash-window 0 -q
! grep -q hash_windows "$work/none.custody.xml" || fail "--hash-window 0 recorded windows"
pass

# a record whose windows were tampered with is not used (its chain breaks)
sed -i '0,/<window offset="0"/s//<window offset="1"/' "$work/ev.custody.xml"
json_run tampered verify "$work/ev.E01"
python3 - "$work/tampered.json" <<'PY' || fail "a tampered window record was used"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["hash_windows"] is None or not d["hash_windows"]["compared"], d["hash_windows"]
PY
pass
echo "piecewise: $checks checks passed"
