#!/bin/bash
# parity.sh - parity beside a set, and repair years later (issue 23), in
# the format PARITY_FORMAT names: par2 (the default; parity_rs.sh runs rs).
#
# A 1 GiB medium is acquired in 32 MiB segments with 10% parity (acquire
# --parity 10).  An independent reader of the format must find the set
# intact against that parity: par2 itself for PAR2; for custos' own
# Reed-Solomon layout, tests/tools/rsp_check.py, written from
# docs/parity-rs.md, which also recomputes every parity byte and CRC-64 (on
# a 64 MiB set: in Python it takes a minute and a half for 1 GiB).  Then one segment
# is deleted, 1 MiB of another overwritten with random bytes and 20 single
# bytes flipped in others: verify says damaged and repairable and names the
# windows that still match; custos repair must give back segment files
# byte-identical to the originals (SHA-256 of each), a set whose full verify
# matches (and that ewfverify, libewf's, accepts), and a custody log that
# verifies and records the repair.  Damage beyond the parity (four segments
# deleted) is refused with nothing changed, the windows outside it still
# reported as matching.  Hostile parity: a link or a FIFO in place of a
# parity file, a parity file of another set, a damaged one: each refused
# with one line, the evidence untouched.
set -euo pipefail
. "$(dirname "$0")/common.sh"
fmt=${PARITY_FORMAT:-par2}
for t in python3 ewfverify; do need "$t"; done
[ "$fmt" = rs ] || need par2
tools=$(cd "$(dirname "$0")/../tools" && pwd)

"$MKMEDIUM" 1GiB 23 >"$work/src.img"
mkdir "$work/ev"
"$CUSTOS" acquire "$work/src.img" -o "$work/ev/disk" --segment-size 32MiB --compression none \
	--hash-window 64MiB --parity 10 --parity-format "$fmt" -q || fail "acquire --parity failed"
grep -q 'action="protected"' "$work/ev/disk.custody.xml" || fail "no protected event"
if [ "$fmt" = par2 ]; then
	ls "$work/ev"/disk.par2 "$work/ev"/disk.vol*.par2 >/dev/null || fail "no parity files beside the set"
	(cd "$work/ev" && par2 verify -q -q disk.par2) || fail "par2 does not find the set intact against its parity"
	parity_word=par2 shortfall="more recovery blocks"
else
	[ "$(cd "$work/ev" && ls disk.rsp* disk.*par2 2>/dev/null)" = disk.rsp ] ||
		fail "not one parity file disk.rsp beside the set: $(ls "$work/ev")"
	grep -q 'format="RS"' "$work/ev/disk.custody.xml" || fail "the protected event does not say RS"
	parity_word=rsp shortfall="more parity shard"
fi
pass
n=$(ls "$work/ev"/disk.E?? | wc -l)
[ "$n" -ge 30 ] || fail "expected about 32 segments, got $n"
mkdir "$work/orig"
(cd "$work/ev" && sha256sum disk.E?? >"$work/orig/sums")
cp -a "$work/ev" "$work/pristine"

# the damage: one segment deleted, 1 MiB of another random, 20 bytes flipped in others
rm "$work/ev/disk.E05"
python3 - "$work/ev" <<'PY'
import os, random, sys
d = sys.argv[1]
r = random.Random(7)
with open(os.path.join(d, "disk.E09"), "r+b") as f:
    f.seek(8 << 20)
    f.write(r.randbytes(1 << 20))
for i in range(20):
    name = os.path.join(d, "disk.E%02d" % (12 + i % 15))
    size = os.path.getsize(name)
    at = r.randrange(4096, size)
    with open(name, "r+b") as f:
        f.seek(at)
        b = f.read(1)
        f.seek(at)
        f.write(bytes([b[0] ^ 0x5A]))
PY
json_run damaged verify "$work/ev/disk.E01"
[ "$rc" = 1 ] || fail "verify of the damaged set exited $rc"
python3 - "$work/damaged.json" <<'PY' || fail "verify does not say damaged and repairable, with windows"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["result"] == "damaged", d["result"]
assert d["parity"]["state"] == "repairable", d["parity"]
w = d["hash_windows"]
assert w and w["compared"] and w["count"] == 16, w
assert w["match"] >= 1 and w["match"] + w["differ"] + w["damaged"] == 16, w
PY
json_run segments verify --segments "$work/ev/disk.E01"
python3 - "$work/segments.json" <<'PY' || fail "verify --segments does not say repairable"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["result"] != "match" and d["parity"]["state"] == "repairable", d.get("parity")
PY
"$CUSTOS" verify "$work/ev/disk.E01" >"$work/damaged.txt" 2>&1 || true
grep -q "repairable" "$work/damaged.txt" || fail "verify's text does not say repairable"
grep -q -e "window matches its hashes of" -e "windows match their hashes of" "$work/damaged.txt" ||
	fail "verify's text names no matching windows"
pass

"$CUSTOS" repair "$work/ev/disk.E01" >"$work/repair.out" 2>&1 || fail "repair failed: $(cat "$work/repair.out")"
(cd "$work/ev" && sha256sum -c --quiet "$work/orig/sums") || fail "the repaired segments are not the originals"
[ -z "$(ls "$work/ev" | grep -e '\.damaged$' -e '^\.')" ] || fail "repair left files behind: $(ls -a "$work/ev")"
json_run repaired verify "$work/ev/disk.E01"
[ "$rc" = 0 ] && [ "$(json "$work/repaired.json" 'd["result"]')" = match ] || fail "the repaired set does not verify"
ewfverify -q -d sha256 "$work/ev/disk.E01" >/dev/null 2>&1 || fail "ewfverify does not accept the repaired set"
"$CUSTOS" custody verify "$work/ev/disk.E01" >/dev/null || fail "the custody log does not verify after repair"
grep -q 'action="repaired"' "$work/ev/disk.custody.xml" || fail "no repaired event"
python3 - "$work/ev/disk.custody.xml" <<'PY' || fail "the repaired event does not name what was rebuilt"
import sys, xml.etree.ElementTree as ET
ns = {"c": "urn:custos:custody:1"}
ev = [e for e in ET.parse(sys.argv[1]).getroot() if e.get("action") == "repaired"][-1]
files = {f.get("name"): f for f in ev.find("c:repair", ns)}
assert files["disk.E05"].get("was") == "missing", files["disk.E05"].attrib
assert files["disk.E09"].get("was") == "damaged" and files["disk.E09"].get("before_sha256")
assert all(f.get("after_sha256") for f in files.values())
PY
pass

# beyond the parity: four segments deleted; nothing changes, windows outside still match
rm -rf "$work/ev" && cp -a "$work/pristine" "$work/ev"
rm "$work/ev"/disk.E1[0-3]
# every file's name, size, time and SHA-256 (the directory's own time moves: repair works beside it)
state() { (cd "$work/ev" && ls -A && ls -l --time-style=full-iso disk.* && sha256sum disk.*); }
state >"$work/before.state"
set +e
"$CUSTOS" repair "$work/ev/disk.E01" >"$work/beyond.out" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || fail "repair beyond the parity exited $rc"
grep -q "$shortfall" "$work/beyond.out" || fail "repair does not say how much parity was missing: $(cat "$work/beyond.out")"
grep -q "nothing was changed" "$work/beyond.out" || fail "repair does not say nothing changed"
state | diff - "$work/before.state" >/dev/null || fail "a refused repair changed the evidence"
json_run beyond verify "$work/ev/disk.E01"
python3 - "$work/beyond.json" <<'PY' || fail "verify beyond the parity: not damaged, not repairable, or no matching windows"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["result"] == "damaged"
assert d["parity"]["state"] == "not_repairable" and d["parity"]["blocks_needed"] > 0, d["parity"]
w = d["hash_windows"]
# the windows before the gap (E01-E09, some 288 MiB) read through libewf, and
# those wholly after it (E14-E34) from the segments themselves: 13 of 16
assert w["compared"] and w["match"] >= 12 and w["proved_after_lost_segment"] >= 8, w
first = w["not_matching"][0]["offset"]
assert first > 0, w
PY
pass

# hostile parity files: each refused with one line, nothing written
hostile() { # hostile WHAT: repair must exit non-zero naming the parity file, the set unchanged
	local what=$1 out
	(cd "$work/ev" && sha256sum disk.E?? >"$work/h.sums")
	set +e
	out=$("$CUSTOS" repair "$work/ev/disk.E01" 2>&1)
	rc=$?
	set -e
	[ "$rc" != 0 ] || fail "$what: repair accepted it"
	[ "$(echo "$out" | wc -l)" = 1 ] || fail "$what: not one line: $out"
	echo "$out" | grep -q "$parity_word" || fail "$what: the line names no parity file: $out"
	(cd "$work/ev" && sha256sum -c --quiet "$work/h.sums") || fail "$what: the evidence changed"
	pass
}
rm -rf "$work/ev" && cp -a "$work/pristine" "$work/ev"
rm "$work/ev/disk.E03"
if [ "$fmt" = par2 ]; then vol=$(cd "$work/ev" && ls disk.vol*.par2); else vol=disk.rsp; fi
mv "$work/ev/$vol" "$work/vol.keep"
ln -s "$work/vol.keep" "$work/ev/$vol"
hostile "a link in place of a parity file"
rm "$work/ev/$vol" && mkfifo "$work/ev/$vol"
hostile "a FIFO in place of a parity file"
rm "$work/ev/$vol" && cp "$work/vol.keep" "$work/ev/$vol"
chmod u+w "$work/ev/$vol"
printf 'X' | dd of="$work/ev/$vol" bs=1 seek=100000 conv=notrunc status=none
hostile "a damaged parity file"
# another set's parity, under this set's names
mkdir "$work/other"
"$MKMEDIUM" 64MiB 99 >"$work/other.img"
"$CUSTOS" acquire "$work/other.img" -o "$work/other/disk" -q --parity 10 --parity-format "$fmt" --segment-size 8MiB
if [ "$fmt" = par2 ]; then
	cp -f "$work/other/disk.par2" "$work/ev/disk.par2"
	rm -f "$work/ev/$vol" && cp "$work/other/$(cd "$work/other" && ls disk.vol*.par2)" "$work/ev/$vol"
else
	# the independent reader: every byte of parity and every check, recomputed
	python3 "$tools/rsp_check.py" "$work/other/disk.rsp" >"$work/rsp.out" ||
		fail "rsp_check does not accept custos' parity: $(cat "$work/rsp.out")"
	rm -f "$work/ev/$vol" && cp "$work/other/disk.rsp" "$work/ev/$vol"
fi
hostile "the parity files of another set"

# protect refuses a set that is damaged, and one protected already
rm -rf "$work/ev" && cp -a "$work/pristine" "$work/ev"
set +e
"$CUSTOS" protect "$work/ev/disk.E01" --parity 5 --parity-format "$fmt" >"$work/again.out" 2>&1
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "protected already" "$work/again.out" || fail "protect of a protected set: exit $rc: $(cat "$work/again.out")"
mkdir "$work/p2" && "$MKMEDIUM" 8MiB 5 >"$work/p2.img"
"$CUSTOS" acquire "$work/p2.img" -o "$work/p2/x" -q --segment-size 2MiB
chmod u+w "$work/p2/x.E02" && printf 'Y' | dd of="$work/p2/x.E02" bs=1 seek=5000 conv=notrunc status=none
set +e
"$CUSTOS" protect "$work/p2/x.E01" --parity 5 --parity-format "$fmt" >"$work/p2.out" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "only an intact set" "$work/p2.out" || fail "protect of a damaged set: exit $rc: $(cat "$work/p2.out")"
[ -z "$(ls "$work/p2" | grep -e par2 -e rsp)" ] || fail "protect of a damaged set left parity"
pass

# a set whose name holds ".vol", as PAR2's recovery volumes' do: its index is still found
mkdir "$work/v"
"$CUSTOS" acquire "$work/p2.img" -o "$work/v/case.vol1" -q --segment-size 2MiB --parity 10 \
	--parity-format "$fmt"
chmod u+w "$work/v/case.vol1.E02" && printf 'Y' | dd of="$work/v/case.vol1.E02" bs=1 seek=5000 conv=notrunc status=none
"$CUSTOS" repair "$work/v/case.vol1.E01" >"$work/v.out" 2>&1 ||
	fail "repair of a set named case.vol1: $(cat "$work/v.out")"
pass
echo "parity ($fmt): $checks checks passed"
