#!/bin/bash
# untrue_custody.sh - what custos names and what it appends to, checked
# before it says anything (issue 19).
#
# verify DIR (and --segments, --json) names every set of which any file
# remains: a set whose .E01 is gone but whose later segments and custody
# log remain, one in lower-case .e02.., one in SMART .s02.., one of which
# only .EAB remains, a split raw image without its .001, and a custody log
# whose every segment is gone are each named damaged, with what is missing,
# and counted: exit 1, never "1 set(s): 1 matched".  A later segment named
# on its own is damaged too, in one line (it crashed custos).
#
# A custody log bound to another set (the segments swapped for another
# medium's, or for another acquisition of the same medium): verify still
# prints its verification of the media, but refuses the log (exit 1, one
# line naming the binding, custody_appended false, the closing count says
# so); custody add and report refuse it too; the log stays byte for byte.
#
# Times along the chain: with a CA and an examiner's certificate valid now,
# and an old certificate of the same CA that expired years ago, custody add
# under a clock turned back (faketime) into the old certificate's validity
# is refused (exit 2, one line) and so is verify's event; the log is
# unchanged.  A forger who appends such an event anyway, signed with the
# old key (openssl agrees the signature is good), is caught by custody
# verify (with and without --ca --require-signed), by report and by verify:
# event 2 runs backwards.  An event dated now but signed with the expired
# certificate fails custody verify even without --ca.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pki.sh"
for t in python3 openssl xmllint faketime; do need "$t"; done
forge="python3 $(dirname "$0")/custody_forgery.py"
export TZ=UTC

# run_rc NAME CMD...: runs CMD with stdout in $work/NAME.out, stderr in $work/NAME.err; prints its status
run_rc() {
	local name=$1
	shift
	set +e
	"$@" >"$work/$name.out" 2>"$work/$name.err"
	echo $?
	set -e
}

# same LOG KEEP WHAT: the log is byte for byte what it was
same() {
	cmp -s "$1" "$2" || fail "$3: the custody log was changed"
}

"$MKMEDIUM" 4MiB 1901 >"$work/m1.img"
"$MKMEDIUM" 2MiB 1902 >"$work/m2.img"

# ---- verify DIR: every set of which any file remains ----
tree="$work/tree"
mkdir -p "$tree/sub"
"$CUSTOS" acquire "$work/m1.img" -o "$tree/lost" --compression none --segment-size 1MiB -q
"$CUSTOS" acquire "$work/m2.img" -o "$tree/whole" -q
[ -e "$tree/lost.E03" ] || fail "the set is not in several segments"
rm "$tree/lost.E01"
rc=$(run_rc dir "$CUSTOS" verify "$tree")
[ "$rc" = 1 ] || fail "verify DIR without a first segment: exit $rc: $(cat "$work/dir.out" "$work/dir.err")"
grep -q "^damaged .*$tree/lost.E01.* missing" "$work/dir.out" ||
	fail "the set without its first segment is not named: $(cat "$work/dir.out")"
grep -q "^match .*$tree/whole.E01" "$work/dir.out" || fail "the whole set is not named"
grep -q "2 set(s): 1 matched, 0 mismatched, 1 damaged" "$work/dir.out" ||
	fail "the closing count: $(cat "$work/dir.out")"
pass

rc=$(run_rc seg "$CUSTOS" verify --segments "$tree")
[ "$rc" = 1 ] && grep -q "^damaged .*$tree/lost.E01" "$work/seg.out" ||
	fail "verify --segments DIR: exit $rc: $(cat "$work/seg.out" "$work/seg.err")"
rc=$(run_rc json "$CUSTOS" verify --json "$tree")
[ "$rc" = 1 ] || fail "verify --json DIR: exit $rc"
python3 - "$work/json.out" "$tree/lost.E01" <<'PY' || fail "the JSON line of the set without its first segment"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
lost = [l for l in lines if l["evidence"] == sys.argv[2]]
assert len(lines) == 2 and len(lost) == 1, lines
assert lost[0]["result"] == "damaged" and "missing" in lost[0]["message"], lost[0]
PY
pass

# a later segment named on its own: damaged, one line (it crashed)
for mode in "" --segments; do
	rc=$(run_rc named "$CUSTOS" verify $mode "$tree/lost.E02")
	[ "$rc" = 1 ] && [ "$(wc -l <"$work/named.err")" = 1 ] &&
		grep -q "lost.E02: damaged: the first segment of its set is missing" "$work/named.err" ||
		fail "verify $mode of a later segment without the first: exit $rc: $(cat "$work/named.err")"
done
pass

# every naming: lower case, SMART, three letters, a split raw image, a log alone
"$CUSTOS" acquire "$work/m1.img" -o "$work/many" --compression none --segment-size 1MiB -q
cp "$work/many.E02" "$tree/sub/lower.e02"
cp "$work/many.E03" "$tree/sub/lower.e03"
cp "$work/many.E02" "$tree/sub/smart.s02"
cp "$work/many.E02" "$tree/sub/three.EAB"
"$CUSTOS" acquire "$work/m2.img" -o "$tree/sub/split" --format raw --segment-size 1MiB -q
rm "$tree/sub/split.001"
"$CUSTOS" acquire "$work/m2.img" -o "$tree/sub/gone" -q
rm "$tree/sub/gone.E01"
rc=$(run_rc names "$CUSTOS" verify "$tree/sub")
[ "$rc" = 1 ] || fail "verify of sets without their first files: exit $rc: $(cat "$work/names.out")"
for first in lower.e01 smart.s01 three.E01 split.001 gone.E01; do
	grep -q "^damaged .*$tree/sub/$first.* missing" "$work/names.out" ||
		fail "$first is not named missing: $(cat "$work/names.out")"
done
grep -q "5 set(s): 0 matched, 0 mismatched, 5 damaged" "$work/names.out" ||
	fail "the closing count: $(cat "$work/names.out")"
pass

# ---- a custody log bound to another set is refused, and left as it is ----
bound="$work/bound"
mkdir "$bound"
"$CUSTOS" acquire "$work/m1.img" -o "$bound/a" -q
"$CUSTOS" acquire "$work/m2.img" -o "$work/other" -q
"$CUSTOS" acquire "$work/m1.img" -o "$work/again" -q
cp "$bound/a.custody.xml" "$work/a.keep"
chmod u+w "$bound/a.E01"
for donor in other again; do # another medium's; another acquisition of the same medium
	cp "$work/$donor.E01" "$bound/a.E01"
	rc=$(run_rc v "$CUSTOS" verify "$bound/a.E01")
	[ "$rc" = 1 ] || fail "verify, segments swapped for $donor's: exit $rc: $(cat "$work/v.err")"
	grep -q "^custos verify: match" "$work/v.out" || fail "$donor: the verification of the media is not printed"
	[ "$(wc -l <"$work/v.err")" = 1 ] && grep -q "not bound to this evidence.*refused" "$work/v.err" ||
		fail "$donor: not one line naming the binding: $(cat "$work/v.err")"
	same "$bound/a.custody.xml" "$work/a.keep" "verify of $donor's segments"
	rc=$(run_rc vj "$CUSTOS" verify --json "$bound/a.E01")
	[ "$rc" = 1 ] && [ "$(json "$work/vj.out" 'd["custody_appended"]')" = False ] ||
		fail "verify --json, $donor: exit $rc: $(cat "$work/vj.out")"
	same "$bound/a.custody.xml" "$work/a.keep" "verify --json of $donor's segments"
	rc=$(run_rc vd "$CUSTOS" verify "$bound")
	[ "$rc" = 1 ] && grep -q "1 custody log(s) refused" "$work/vd.out" ||
		fail "verify DIR, $donor: exit $rc: $(cat "$work/vd.out")"
	same "$bound/a.custody.xml" "$work/a.keep" "verify DIR of $donor's segments"
	rc=$(run_rc add "$CUSTOS" custody add "$bound/a" --action transferred --by "A. Smith")
	[ "$rc" = 1 ] && grep -q "not bound to this evidence" "$work/add.err" ||
		fail "custody add, $donor: exit $rc: $(cat "$work/add.err")"
	same "$bound/a.custody.xml" "$work/a.keep" "custody add to $donor's segments"
	rc=$(run_rc rep "$CUSTOS" report "$bound/a.E01" -o "$work/r-$donor.xml")
	[ "$rc" = 1 ] && [ ! -e "$work/r-$donor.xml" ] || fail "report, $donor: exit $rc: $(cat "$work/rep.err")"
	same "$bound/a.custody.xml" "$work/a.keep" "report of $donor's segments"
done
pass

# ---- event times never run backwards ----
# a CA made years ago; an examiner valid now; an old certificate that expired years ago
ca_made=$(date -u -d '-7 years' '+%Y-%m-%d %H:%M:%S')
faketime "$ca_made" bash -c '. "$1"; pki_ca "$2"' _ "$(dirname "$0")/pki.sh" "$work/pki"
pki_cert "$work/pki" examiner "Examiner" p256
pki_cert "$work/pki" old "Old Examiner" rsa signer "$(date -u -d '-6 years' +%Y%m%d%H%M%SZ)" \
	"$(date -u -d '-4 years' +%Y%m%d%H%M%SZ)"
back=$(date -u -d '-5 years' '+%Y-%m-%d %H:%M:%S')
back_iso=$(date -u -d "$back" +%Y-%m-%dT%H:%M:%SZ)
ca=(--ca "$work/pki/ca.pem" --require-signed)
"$CUSTOS" acquire "$work/m1.img" -o "$work/t" -q --sign-key "$work/pki/examiner.key" \
	--sign-cert "$work/pki/examiner.pem"
"$CUSTOS" custody verify "$work/t" "${ca[@]}" >/dev/null || fail "the signed acquisition does not verify"
cp "$work/t.custody.xml" "$work/t.keep"

# the clock turned back: custody add and verify refuse to date an event before the last
rc=$(run_rc back faketime "$back" "$CUSTOS" custody add "$work/t" --action transferred --by "Old Examiner" \
	--sign-key "$work/pki/old.key" --sign-cert "$work/pki/old.pem")
[ "$rc" = 2 ] && [ "$(wc -l <"$work/back.err")" = 1 ] && grep -q "turned back" "$work/back.err" ||
	fail "custody add with the clock turned back: exit $rc: $(cat "$work/back.err")"
same "$work/t.custody.xml" "$work/t.keep" "custody add with the clock turned back"
rc=$(run_rc backu faketime "$back" "$CUSTOS" custody add "$work/t" --action noted --by "Someone")
[ "$rc" = 2 ] || fail "unsigned custody add with the clock turned back: exit $rc"
same "$work/t.custody.xml" "$work/t.keep" "unsigned custody add with the clock turned back"
rc=$(run_rc backv faketime "$back" "$CUSTOS" verify "$work/t.E01")
grep -q "^custos verify: match" "$work/backv.out" && grep -q "turned back" "$work/backv.err" ||
	fail "verify with the clock turned back: exit $rc: $(cat "$work/backv.err")"
same "$work/t.custody.xml" "$work/t.keep" "verify with the clock turned back"
pass

# a forger appends an event dated back, signed with the expired certificate: openssl accepts
# the signature, custos does not accept the chain
# forge_event LOG TIME KEY CERT: appends event N+1, signed (RSA), and re-hashes the head
forge_event() {
	python3 - "$@" <<'PY'
import base64, copy, hashlib, os, subprocess, sys, tempfile
import xml.etree.ElementTree as ET
NS = "urn:custos:custody:1"
ET.register_namespace("", NS)
Q = lambda name: "{%s}%s" % (NS, name)
log, when, key, cert = sys.argv[1:5]

def c14n(ev):
    ev = copy.deepcopy(ev)
    for e in ev.iter():
        if e.text is not None and not e.text.strip() and len(e):
            e.text = None
        if e.tail is not None and not e.tail.strip():
            e.tail = None
    ev.tail = None
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
        f.write(ET.tostring(ev))
    try:
        return subprocess.run(["xmllint", "--c14n", f.name], capture_output=True, check=True).stdout
    finally:
        os.unlink(f.name)

def run(cmd, data=None):
    return subprocess.run(cmd, input=data, capture_output=True, check=True).stdout

tree = ET.parse(log)
root = tree.getroot()
events = root.findall(Q("event"))
ev = ET.SubElement(root, Q("event"), {
    "seq": str(len(events) + 1), "action": "transferred", "time": when, "by": "Old Examiner",
    "prev": hashlib.sha256(c14n(events[-1])).hexdigest()})
value = run(["openssl", "dgst", "-sha256", "-sign", key], c14n(ev))
sig = ET.SubElement(ev, Q("signature"), {"algorithm": "rsa-sha256"})
ET.SubElement(sig, Q("certificate")).text = base64.b64encode(
    run(["openssl", "x509", "-in", cert, "-outform", "DER"])).decode()
ET.SubElement(sig, Q("value")).text = base64.b64encode(value).decode()
root.set("head", hashlib.sha256(c14n(ev)).hexdigest())
tree.write(log, xml_declaration=True, encoding="UTF-8")
PY
}
forge_event "$work/t.custody.xml" "$back_iso" "$work/pki/old.key" "$work/pki/old.pem"
$forge check "$work/t.custody.xml" >/dev/null || fail "openssl does not accept the forged signatures"
cp "$work/t.custody.xml" "$work/forged.keep"
for how in "--ca" ""; do
	if [ "$how" ]; then set -- "${ca[@]}"; else set --; fi
	rc=$(run_rc fv "$CUSTOS" custody verify "$work/t" "$@")
	[ "$rc" = 1 ] && grep -q "event 2.*dated $back_iso, before event 1" "$work/fv.err" ||
		fail "custody verify $*: an event dated back is accepted: exit $rc: $(cat "$work/fv.err")"
done
rc=$(run_rc fr "$CUSTOS" report "$work/t.E01" -o "$work/forged-report.xml")
[ "$rc" = 1 ] && [ ! -e "$work/forged-report.xml" ] && grep -q "event 2" "$work/fr.err" ||
	fail "report of a log dated back: exit $rc: $(cat "$work/fr.err")"
rc=$(run_rc fvv "$CUSTOS" verify "$work/t.E01")
[ "$rc" = 1 ] && grep -q "event 2.*refused" "$work/fvv.err" ||
	fail "verify of a log dated back: exit $rc: $(cat "$work/fvv.err")"
same "$work/t.custody.xml" "$work/forged.keep" "verify of a log dated back"
pass

# an event dated now, signed with the expired certificate: refused even without --ca
cp "$work/t.keep" "$work/t.custody.xml"
forge_event "$work/t.custody.xml" "$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)" \
	"$work/pki/old.key" "$work/pki/old.pem"
$forge check "$work/t.custody.xml" >/dev/null || fail "openssl does not accept the expired signature"
rc=$(run_rc fx "$CUSTOS" custody verify "$work/t")
[ "$rc" = 1 ] && grep -q "event 2.*expired" "$work/fx.err" ||
	fail "custody verify: a certificate expired at its event's time is accepted: exit $rc: $(cat "$work/fx.err")"
pass

echo "untrue_custody: $checks checks passed"
