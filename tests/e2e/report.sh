#!/bin/bash
# report.sh - the XML evidence report and its signature.
#
# The report of an acquired image must validate against the shipped XSD
# with xmllint and carry the case, examiner, description, source size, MD5
# and SHA-256, each segment's SHA-256 (as sha256sum gives it), UTC times
# and the custody events with their notes.  A signed report must verify
# with `openssl cms -verify`, and stop verifying after any change; custos
# report --check-signature must agree.  A broken custody log gives no report.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in xmllint openssl python3 sha256sum md5sum; do need "$t"; done
xsd="$(dirname "$0")/../../report/custos-report.xsd"

"$MKMEDIUM" 3MiB 91 >"$work/src.img"
"$CUSTOS" acquire "$work/src.img" -o "$work/ev" --case-number "K-2026/11" --evidence-number "E1" \
	--examiner "José Müller" --description "Seized laptop, Straße 5" --notes "Bag 42" \
	--segment-size 1MiB -q
"$CUSTOS" custody add "$work/ev.E01" --action transferred --by "José Müller" --to "Evidence room" \
	--note "sealed in bag 42"
"$CUSTOS" custody add "$work/ev.E01" --action examined --by "Q. Analyst" \
	--note "<script>alert(1)</script> & more"
"$CUSTOS" verify --by "auditor" "$work/ev.E01" >/dev/null

"$CUSTOS" report "$work/ev.E01" -o "$work/report.xml" >"$work/stdout"
[ ! -s "$work/stdout" ] || fail "report -o also wrote to stdout"
"$CUSTOS" report "$work/ev.E01" >"$work/stdout.xml"
xmllint --noout --schema "$xsd" "$work/stdout.xml" 2>/dev/null || fail "the report on stdout does not validate"
xmllint --noout --schema "$xsd" "$work/report.xml" 2>"$work/xmllint.err" || fail "xmllint: $(cat "$work/xmllint.err")"
python3 - "$work/report.xml" "$work" <<'PY' || fail "the report's content"
import hashlib, re, sys, xml.etree.ElementTree as ET
ns = {"r": "urn:custos:report:1"}
root = ET.parse(sys.argv[1]).getroot()
src = open(sys.argv[2] + "/src.img", "rb").read()
t = lambda p: root.find(p, ns).text
assert t("r:case/r:case_number") == "K-2026/11" and t("r:case/r:evidence_number") == "E1"
assert t("r:case/r:description") == "Seized laptop, Straße 5"
assert t("r:examiner") == "José Müller"
assert t("r:source/r:size") == str(len(src))
acq = {h.get("type"): h.text for h in root.findall("r:hashes/r:acquisition/r:hash", ns)}
assert acq["md5"] == hashlib.md5(src).hexdigest() and acq["sha256"] == hashlib.sha256(src).hexdigest()
ver = root.find("r:hashes/r:verification", ns)
assert ver.get("result") == "match" and ver.get("by") == "auditor"
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", t("r:acquisition/r:started"))
segs = root.findall("r:container/r:segment", ns)
assert len(segs) >= 2
for s in segs:
    assert s.get("sha256") == hashlib.sha256(open(s.get("name"), "rb").read()).hexdigest()
notes = [e.find("r:note", ns).text for e in root.findall("r:custody/r:event", ns) if e.find("r:note", ns) is not None]
assert "sealed in bag 42" in notes and "Bag 42" in notes, notes
assert [e.get("action") for e in root.findall("r:custody/r:event", ns)] == ["acquired", "transferred", "examined", "verified"]
PY
pass

# DFXML validates against the DFXML 2.0 schema and carries the digests; HTML for people
dfxml_xsd="$(dirname "$0")/../../report/dfxml/dfxml.xsd"
[ -r "$dfxml_xsd" ] || fail "the DFXML schema is not in report/dfxml"
"$CUSTOS" report "$work/ev.E01" -o "$work/r2.xml" --dfxml "$work/ev.dfxml" --html "$work/ev.html"
xmllint --noout --schema "$dfxml_xsd" "$work/ev.dfxml" 2>"$work/err" || fail "DFXML: $(cat "$work/err")"
grep -q ">$(md5_of "$work/src.img")</hashdigest>" "$work/ev.dfxml" || fail "DFXML lacks the MD5"
grep -q ">$(sha256_of "$work/src.img")</hashdigest>" "$work/ev.dfxml" || fail "DFXML lacks the SHA-256"
grep -q "<image_filename>.*ev.E01</image_filename>" "$work/ev.dfxml" || fail "DFXML lacks the image file"
grep -q "<sector_size>512</sector_size>" "$work/ev.dfxml" || fail "DFXML lacks the sector size"
# the libraries custos ran with, as --version names them, in the report and in DFXML
"$CUSTOS" --version >"$work/version.txt"
for lib in libewf OpenSSL libxml2 libxslt libdeflate; do
	v=$(sed -n "s/^$lib  *//p" "$work/version.txt")
	[ -n "$v" ] || fail "custos --version does not name $lib"
	grep -q "<library name=\"$lib\" version=\"$v\"/>" "$work/r2.xml" ||
		fail "the report does not record $lib $v"
	grep -q "<library name=\"$lib\" version=\"$v\"/>" "$work/ev.dfxml" ||
		fail "DFXML does not record $lib $v"
done
[ "$(ewfinfo -V 2>&1 | sed -n 's/^ewfinfo \([0-9]*\).*/\1/p')" = "$(sed -n 's/^libewf  *//p' "$work/version.txt")" ] ||
	fail "custos --version's libewf is not the one ewfinfo names"
grep -q "José Müller" "$work/ev.html" && grep -q "Chain of custody" "$work/ev.html" || fail "HTML content"
grep -q "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" "$work/ev.html" || fail "HTML does not escape a note"
grep -q "<script>" "$work/ev.html" && fail "HTML lets markup from a note through"
pass

# signed: openssl accepts it, and refuses it after any change
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/lab.key" -out "$work/lab.pem" -days 3650 \
	-subj "/CN=custos test lab" 2>/dev/null
"$CUSTOS" report "$work/ev.E01" -o "$work/signed.xml" --sign-key "$work/lab.key" --sign-cert "$work/lab.pem"
openssl cms -verify -binary -content "$work/signed.xml" -in "$work/signed.xml.p7s" -inform PEM \
	-CAfile "$work/lab.pem" -out /dev/null 2>"$work/ossl.err" || fail "openssl cms rejects the signature: $(cat "$work/ossl.err")"
"$CUSTOS" report --check-signature "$work/signed.xml" --ca "$work/lab.pem" >/dev/null || fail "check-signature"
chmod u+w "$work/signed.xml"
sed -i 's/auditor/Auditor/' "$work/signed.xml"
if openssl cms -verify -binary -content "$work/signed.xml" -in "$work/signed.xml.p7s" -inform PEM \
	-CAfile "$work/lab.pem" -out /dev/null 2>/dev/null; then
	fail "openssl accepts a changed report"
fi
set +e
"$CUSTOS" report --check-signature "$work/signed.xml" --ca "$work/lab.pem" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "does NOT verify" "$work/err" || fail "check-signature accepted a changed report ($rc)"
pass

# signing refuses a certificate that is expired, not yet valid, or not for signing,
# and a key that is not the certificate's; no unsigned report is left behind
. "$(dirname "$0")/pki.sh"
pki_ca "$work/pki"
pki_cert "$work/pki" expired "Old Examiner" rsa signer 20200101000000Z 20210101000000Z
pki_cert "$work/pki" future "Future Examiner" p256 signer 20990101000000Z 21000101000000Z
pki_cert "$work/pki" nosign "Encryption Only" rsa nosign
pki_cert "$work/pki" good "Good Examiner" p384
pki_cert "$work/pki" edwards "Edwards Examiner" ed25519
# Ed25519 in CMS: as the OpenSSL here can (3.5 does), judged by its own openssl cms
ed_cms=0
openssl cms -sign -binary -in "$work/pki/ca.pem" -signer "$work/pki/edwards.pem" \
	-inkey "$work/pki/edwards.key" -outform PEM -out /dev/null 2>/dev/null && ed_cms=1
ed_refusal=
[ "$ed_cms" = 1 ] || ed_refusal="edwards makes no CMS signature with an Ed25519"
for case in "expired has expired" "future is not valid yet" "nosign not meant for signing" \
	"mismatch does not belong" ${ed_refusal:+"$ed_refusal"}; do
	set -- $case
	name=$1
	shift
	key="$work/pki/$name.key" cert="$work/pki/$name.pem"
	[ "$name" = mismatch ] && key="$work/pki/expired.key" cert="$work/pki/good.pem"
	set +e
	"$CUSTOS" report "$work/ev.E01" -o "$work/$name.xml" --sign-key "$key" --sign-cert "$cert" 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] && grep -q "$*" "$work/err" && [ "$(wc -l <"$work/err")" = 1 ] ||
		fail "signing with $name: exit $rc: $(cat "$work/err")"
	[ ! -e "$work/$name.xml" ] && [ ! -e "$work/$name.xml.p7s" ] || fail "signing with $name left files"
	# the refusal names the OpenSSL that refused
	[ "$name" != edwards ] || grep -q "^custos report: OpenSSL [0-9]" "$work/err" || fail "the Ed25519 refusal names no version: $(cat "$work/err")"
done
"$CUSTOS" report "$work/ev.E01" -o "$work/ed.xml" --sign-key "$work/pki/good.key" --sign-cert "$work/pki/good.pem"
openssl cms -verify -binary -content "$work/ed.xml" -in "$work/ed.xml.p7s" -inform PEM \
	-CAfile "$work/pki/ca.pem" -out /dev/null 2>"$work/err" || fail "a P-384 signature: $(cat "$work/err")"
if [ "$ed_cms" = 1 ]; then
	"$CUSTOS" report "$work/ev.E01" -o "$work/ed25519.xml" --sign-key "$work/pki/edwards.key" \
		--sign-cert "$work/pki/edwards.pem" 2>"$work/err" || fail "signing with Ed25519: $(cat "$work/err")"
	openssl cms -verify -binary -content "$work/ed25519.xml" -in "$work/ed25519.xml.p7s" -inform PEM \
		-CAfile "$work/pki/ca.pem" -out /dev/null 2>"$work/err" || fail "an Ed25519 signature: $(cat "$work/err")"
else
	echo "note: $(openssl version | cut -d' ' -f1-2) makes no CMS signature with Ed25519: its refusal was checked" >&2
fi
pass

# no report from a broken custody log; no report over an existing file
sed -i 's/sealed in bag 42/sealed in bag 24/' "$work/ev.custody.xml"
set +e
"$CUSTOS" report "$work/ev.E01" -o "$work/broken.xml" 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q broken "$work/err" && [ ! -e "$work/broken.xml" ] || fail "a report of a broken log ($rc)"
set +e
"$CUSTOS" report "$work/ev.E01" -o "$work/report.xml" 2>/dev/null
rc=$?
set -e
[ "$rc" != 0 ] || fail "a report over an existing file"
pass

echo "report: $checks checks passed"
