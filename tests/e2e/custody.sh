#!/bin/bash
# custody.sh - the custody log beside the evidence.
#
# acquire starts BASE.custody.xml with the acquisition record (case,
# examiner, source size, digests, each segment's SHA-256 as sha256sum gives
# it); custody add appends events; verify appends a "verified" event;
# custody verify passes the untouched log and fails, exit 1, after a note is
# edited, an event removed, events reordered, or a DOCTYPE with an external
# entity injected, whose target is never read into any output.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in python3 sha256sum md5sum; do need "$t"; done

"$MKMEDIUM" 3MiB 81 >"$work/src.img"
"$CUSTOS" acquire "$work/src.img" -o "$work/ev" --case-number "K-7" --examiner "José Müller" \
	--notes "Bag 42" --segment-size 1MiB -q
log="$work/ev.custody.xml"
[ -e "$log" ] || fail "acquire started no custody log"
python3 - "$log" "$work" <<'PY' || fail "the acquisition record"
import hashlib, sys, xml.etree.ElementTree as ET
ns = {"c": "urn:custos:custody:1"}
root = ET.parse(sys.argv[1]).getroot()
ev = root.findall("c:event", ns)[0]
assert ev.get("action") == "acquired" and ev.get("by") == "José Müller"
rec = ev.find("c:acquisition", ns)
assert rec.find("c:case/c:case_number", ns).text == "K-7"
assert rec.find("c:source/c:size", ns).text == str(3 * 2**20)
src = open(sys.argv[2] + "/src.img", "rb").read()
hashes = {h.get("type"): h.text for h in rec.findall("c:hashes/c:hash", ns)}
assert hashes["md5"] == hashlib.md5(src).hexdigest() and hashes["sha256"] == hashlib.sha256(src).hexdigest()
segs = rec.findall("c:segments/c:segment", ns)
assert len(segs) >= 2
for s in segs:
    assert s.get("sha256") == hashlib.sha256(open(s.get("name"), "rb").read()).hexdigest(), s.get("name")
PY
pass

"$CUSTOS" custody add "$work/ev.E01" --action transferred --by "José Müller" --to "Evidence room" \
	--location "Lab 2" --note "sealed bag 42 <intact> & signed"
"$CUSTOS" verify --by auditor "$work/ev.E01" >/dev/null
"$CUSTOS" custody show "$work/ev.E01" >"$work/show.txt"
grep -q "transferred  by José Müller to Evidence room at Lab 2: sealed bag 42 <intact> & signed" "$work/show.txt" || fail "custody show: $(cat "$work/show.txt")"
grep -q "verified     by auditor: result: match" "$work/show.txt" || fail "verify added no event"
"$CUSTOS" custody verify "$work/ev.E01" >/dev/null || fail "an untouched log does not verify"
pass

cp "$log" "$work/good.xml"
token="secret-$RANDOM$RANDOM-not-to-be-read"
echo "$token" >"$work/secret.txt"
# tamper CASE: changes the log, then custody verify must fail with one line
tamper() {
	local case=$1 rc
	cp "$work/good.xml" "$log"
	python3 - "$log" "$case" "$work/secret.txt" <<'PY'
import re, sys
path, case, secret = sys.argv[1], sys.argv[2], sys.argv[3]
s = open(path, encoding="utf-8").read()
events = re.findall(r'  <event seq="\d+".*?</event>\n', s, re.S)
if case == "note":
    s = s.replace("sealed bag 42", "sealed bag 24")
elif case == "remove":
    s = s.replace(events[1], "").replace('seq="3"', 'seq="2"')
elif case == "reorder":
    s = s.replace(events[1] + events[2], events[2] + events[1])
elif case == "doctype":
    s = s.replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                  '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE custody [<!ENTITY leak SYSTEM "file://%s">]>\n' % secret)
    s = s.replace("sealed bag 42", "&leak;")
elif case == "last":
    s = s.replace("result: match", "result: mismatch")
open(path, "w", encoding="utf-8").write(s)
PY
	set +e
	"$CUSTOS" custody verify "$work/ev.E01" >"$work/out" 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "tampering '$case' was not detected (exit $rc)"
	grep -q "broken" "$work/err" || fail "tampering '$case': unclear message: $(cat "$work/err")"
}
for case in note remove reorder last doctype; do tamper "$case"; done
# the log now holds a DOCTYPE whose entity names the token file
set +e
"$CUSTOS" custody show "$work/ev.E01" >"$work/show2.txt" 2>&1
"$CUSTOS" custody add "$work/ev.E01" --action x --by y >>"$work/show2.txt" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || fail "appending to a broken log was accepted"
"$CUSTOS" report "$work/ev.E01" >>"$work/show2.txt" 2>&1 && fail "a report of a log with a DOCTYPE was written"
grep -qF "$token" "$work/show2.txt" "$work/out" "$log" && fail "an external entity was read"
pass

# the log belongs to the evidence: a second acquisition onto BASE is refused
cp "$work/good.xml" "$log"
set +e
"$CUSTOS" acquire "$work/src.img" -o "$work/ev" -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "a second acquisition onto BASE: exit $rc"
pass

echo "custody: $checks checks passed"
