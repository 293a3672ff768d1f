#!/bin/bash
# timestamp.sh - trusted time (RFC 3161): custody events and reports
# stamped by a time-stamping authority, and every attack on the stamps.
#
# The TSA is `openssl ts -reply` behind tests/tools/tsa_server.py, on the
# loopback address only, started and stopped here, with its own test CA
# and a certificate with the critical timeStamping usage; other paths of
# the same server answer wrongly on purpose.  openssl ts -verify is the
# independent witness of every token custos stores.
#
# Asking: acquire --tsa (signed too), verify --tsa, custody add --tsa,
# protect and repair --tsa, and report --tsa store tokens openssl accepts
# against the CA; a TSA that refuses, answers garbage or HTML, stamps
# another imprint, is expired or of another CA, or whose clock is off,
# fails the command with one line and
# writes nothing; --tsa-optional records the stamp as missing instead.
# libcurl is not linked: without it, --tsa fails with one line, and the
# stamps are still checked offline.
# Checking offline (custody verify --tsa-ca), with the hash chain mended by
# the forger each time, so that only the stamps can tell: a token for
# another imprint, a replay (another nonce), a TSA certificate without the
# usage, an expired or untrusted TSA, a tampered token, a token older than
# the event before it, and a history rewritten and stamped again later.
# Cutting the newest event away passes --tsa-ca, as the README says, and
# is caught by the report's anchor.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pki.sh"
for t in openssl faketime xmllint; do need "$t"; done
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import rfc3161ng' 2>/dev/null ||
	fail "python3-rfc3161ng is not installed (tools/deps installs it)"
tools=$(cd "$(dirname "$0")/../tools" && pwd)
forge="/usr/bin/python3 $(dirname "$0")/custody_forgery.py"

# The CA and the TSAs, made a day ago: a TSA whose clock runs ten minutes
# behind is still within its certificate.
pki=$work/pki
faketime -f -1d bash -c '. "$1"; pki_ca "$2"
	pki_cert "$2" tsa "custos test TSA" p256 tsa
	pki_cert "$2" noeku "custos TSA without the usage" p256 tsa_noeku
	pki_cert "$2" examiner "Examiner One" p256
	pki_ca "$3"; pki_cert "$3" untrusted "a TSA of another CA" p256 tsa' \
	_ "$(dirname "$0")/pki.sh" "$pki" "$work/other"
pki_cert "$pki" expired "custos expired TSA" p256 tsa 20200101000000Z 20200201000000Z
pki_tsa_section "$pki" tsa
pki_tsa_section "$pki" expired
pki_tsa_section "$work/other" untrusted
cat "$work/other/tsa.cnf" >>"$pki/tsa.cnf"
[ -s "$pki/tsa.pem" ] && [ -s "$pki/expired.pem" ] && [ -s "$work/other/untrusted.pem" ] ||
	fail "the test PKI was not made"

/usr/bin/python3 "$tools/tsa_server.py" "$pki/tsa.cnf" "$work/port" 900 &
tsa_pid=$!
trap 'kill $tsa_pid 2>/dev/null || true; chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
wait_until 30 test -s "$work/port" || fail "the test TSA did not start"
url=http://127.0.0.1:$(cat "$work/port")
tsa=(--tsa "$url/tsa" --tsa-ca "$pki/ca.pem")

"$MKMEDIUM" 8MiB 241 >"$work/src.img"

# ---- wrong options: exit 2, one line, nothing written ----
usage() { # usage PHRASE COMMAND...: exit 2 with one line holding PHRASE
	local rc
	set +e
	"${@:2}" >/dev/null 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] && [ "$(wc -l <"$work/err")" = 1 ] && grep -q -- "$1" "$work/err" ||
		fail "$*: exit $rc, not 2 with '$1': $(cat "$work/err")"
}
usage "go with --tsa URL" "$CUSTOS" acquire "$work/src.img" -o "$work/u1" --tsa-ca "$pki/ca.pem"
usage "needs --tsa-ca" "$CUSTOS" acquire "$work/src.img" -o "$work/u1" --tsa "$url/tsa"
usage "not an http:// or https:// URL" "$CUSTOS" verify "$work/src.img" --tsa ftp://127.0.0.1/ \
	--tsa-ca "$pki/ca.pem"
usage "is not an OID" "$CUSTOS" report "$work/src.img" -o "$work/u.xml" --tsa "$url/tsa" \
	--tsa-ca "$pki/ca.pem" --tsa-policy policy
usage "--tsa" "$CUSTOS" custody add "$work/src" --action a --by b --tsa "$(printf 'http://x/\033[2J')" \
	--tsa-ca "$pki/ca.pem"
usage "give -o FILE" "$CUSTOS" report "$work/src.img" --tsa "$url/tsa" --tsa-ca "$pki/ca.pem"
ls "$work"/u1* "$work"/u.xml* >/dev/null 2>&1 && fail "a refused command wrote files"
pass

# ---- asking: stored tokens that openssl accepts ----
"$CUSTOS" acquire "$work/src.img" -o "$work/ev" -q --verify "${tsa[@]}" \
	--sign-key "$pki/examiner.key" --sign-cert "$pki/examiner.pem" ||
	fail "acquire --tsa failed"
"$CUSTOS" custody add "$work/ev" --action sealed --by "Examiner One" --note "seal 7" "${tsa[@]}" ||
	fail "custody add --tsa failed"
"$CUSTOS" verify "$work/ev.E01" "${tsa[@]}" >/dev/null || fail "verify --tsa failed"
"$CUSTOS" custody verify "$work/ev" --tsa-ca "$pki/ca.pem" --ca "$pki/ca.pem" >"$work/out" ||
	fail "custody verify --tsa-ca refuses the log custos stamped: $(tail -1 "$work/out")"
grep -q "4 events, 2 signed, 4 time-stamped, .*every time-stamp checked" "$work/out" ||
	fail "custody verify does not count the stamps: $(tail -1 "$work/out")"
pass
mkdir "$work/stamps"
"$CUSTOS" custody show "$work/ev" --tsa-ca "$pki/ca.pem" --export-stamps "$work/stamps" >"$work/show"
grep -c "trusted time .* (checked)" "$work/show" >"$work/n"
[ "$(cat "$work/n")" = 4 ] || fail "custody show does not list four checked trusted times"
for n in 1 2 3 4; do
	openssl ts -verify -data "$work/stamps/event-$n.data" -in "$work/stamps/event-$n.tsr" \
		-CAfile "$pki/ca.pem" >"$work/ossl" 2>&1 ||
		fail "openssl ts -verify rejects event $n's token: $(cat "$work/ossl")"
	openssl ts -verify -data "$work/stamps/event-$n.data" -in "$work/stamps/event-$n.tsr" \
		-CAfile "$work/other/ca.pem" >/dev/null 2>&1 &&
		fail "openssl ts -verify accepts event $n's token against another CA"
done
$forge check "$work/ev.custody.xml" >/dev/null || fail "openssl does not verify the stamped event's signature"
pass

# the report, and its .tsr
"$CUSTOS" report "$work/ev.E01" -o "$work/r.xml" "${tsa[@]}" || fail "report --tsa failed"
openssl ts -verify -data "$work/r.xml" -in "$work/r.xml.tsr" -CAfile "$pki/ca.pem" >/dev/null 2>&1 ||
	fail "openssl ts -verify rejects the report's .tsr"
"$CUSTOS" report --check-signature "$work/r.xml" --tsa-ca "$pki/ca.pem" >/dev/null ||
	fail "report --check-signature --tsa-ca rejects its own report"
cp "$work/r.xml" "$work/r2.xml"
cp "$work/r.xml.tsr" "$work/r2.xml.tsr"
chmod u+w "$work/r2.xml"
sed -i 's/Examiner One/Examiner Two/' "$work/r2.xml"
set +e
"$CUSTOS" report --check-signature "$work/r2.xml" --tsa-ca "$pki/ca.pem" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "for other data" "$work/err" ||
	fail "a changed report passes its time-stamp (exit $rc): $(cat "$work/err")"
"$CUSTOS" report --check-signature "$work/r.xml" --tsa-ca "$work/other/ca.pem" >/dev/null 2>&1 &&
	fail "the report's time-stamp passes against another CA"
pass

# protect and repair stamp their "protected" and "repaired" events
"$CUSTOS" acquire "$work/src.img" -o "$work/pr" -q --segment-size 2MiB "${tsa[@]}"
"$CUSTOS" protect "$work/pr.E01" --parity 20 --parity-format rs "${tsa[@]}" >/dev/null ||
	fail "protect --tsa failed"
chmod u+w "$work/pr.E02" && printf 'Y' | dd of="$work/pr.E02" bs=1 seek=5000 conv=notrunc status=none
"$CUSTOS" repair "$work/pr.E01" "${tsa[@]}" >/dev/null || fail "repair --tsa failed"
"$CUSTOS" custody verify "$work/pr" --tsa-ca "$pki/ca.pem" >"$work/out" ||
	fail "custody verify --tsa-ca refuses the protected and repaired log: $(tail -1 "$work/out")"
grep -q "3 events, 0 signed, 3 time-stamped, .*every time-stamp checked" "$work/out" ||
	fail "the protected and repaired events are not stamped: $(tail -1 "$work/out")"
pass

# verify --enroll stamps the "enrolled" event; a policy the TSA offers is
# asked for and kept, one it does not offer is refused
"$CUSTOS" acquire "$work/src.img" -o "$work/en" -q
rm -f "$work/en.custody.xml"
"$CUSTOS" verify "$work/en.E01" --enroll "${tsa[@]}" --tsa-policy 1.3.6.1.4.1.99999.2 >/dev/null ||
	fail "verify --enroll --tsa --tsa-policy failed"
"$CUSTOS" custody verify "$work/en" --tsa-ca "$pki/ca.pem" >"$work/out" ||
	fail "the enrolled log's stamp does not verify"
grep -q "1 events, 0 signed, 1 time-stamped" "$work/out" || fail "the enrollment is not stamped"
grep -q 'policy="1.3.6.1.4.1.99999.2"' "$work/en.custody.xml" || fail "the policy is not recorded"
set +e
"$CUSTOS" custody add "$work/en" --action x --by y "${tsa[@]}" --tsa-policy 1.2.3.4 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "refused the request" "$work/err" ||
	fail "a policy the TSA does not offer: exit $rc: $(cat "$work/err")"
pass

# ---- asking: a TSA that answers wrongly, and nothing is written ----
# refused PATH PHRASE: custody add with the TSA at PATH fails with exit 1,
# one line with PHRASE, and the log is as it was
refused() {
	local before after rc
	before=$(sha256sum <"$work/ev.custody.xml")
	set +e
	"$CUSTOS" custody add "$work/ev" --action x --by y --tsa "$1" --tsa-ca "$pki/ca.pem" \
		2>"$work/err"
	rc=$?
	set -e
	after=$(sha256sum <"$work/ev.custody.xml")
	[ "$rc" = 1 ] || fail "custody add with the TSA $1: exit $rc, not 1"
	[ "$(wc -l <"$work/err")" = 1 ] && grep -q -- "$2" "$work/err" ||
		fail "custody add with the TSA $1 does not say '$2': $(cat "$work/err")"
	[ "$before" = "$after" ] || fail "custody add with the TSA $1 changed the log"
}
refused "$url/refuse" "refused the request"
refused "$url/garbage" "is malformed"
refused "$url/html" "text/html"
refused "$url/tsa/other" "is for other data"
refused "$url/expired" "was not valid at the time-stamp's time"
refused "$url/untrusted" "is not trusted"
refused "$url/tsa/shift:600" "from this machine's clock"
refused "http://127.0.0.1:1/" "cannot be reached"
pass

# ---- libcurl is loaded only for a TSA: without it, one line and nothing written ----
ldd "$CUSTOS" | grep -q libcurl && fail "custos links libcurl: every command would map it"
mkdir "$work/nocurl"
: >"$work/nocurl/libcurl.so.4"
: >"$work/nocurl/libcurl-gnutls.so.4"
before=$(sha256sum <"$work/ev.custody.xml")
set +e
LD_LIBRARY_PATH=$work/nocurl "$CUSTOS" custody add "$work/ev" --action x --by y "${tsa[@]}" \
	2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && [ "$(wc -l <"$work/err")" = 1 ] && grep -q "needs libcurl" "$work/err" ||
	fail "custody add --tsa without libcurl: exit $rc: $(cat "$work/err")"
[ "$before" = "$(sha256sum <"$work/ev.custody.xml")" ] ||
	fail "custody add --tsa without libcurl changed the log"
LD_LIBRARY_PATH=$work/nocurl "$CUSTOS" custody verify "$work/ev" --tsa-ca "$pki/ca.pem" >/dev/null ||
	fail "checking stamps offline needs libcurl"
pass

set +e
"$CUSTOS" acquire "$work/src.img" -o "$work/none" -q --tsa "$url/garbage" --tsa-ca "$pki/ca.pem" \
	2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "nothing was read or written" "$work/err" ||
	fail "acquire with a bad TSA: exit $rc: $(cat "$work/err")"
ls "$work"/none* >/dev/null 2>&1 && fail "acquire with a bad TSA left files"
"$CUSTOS" acquire "$work/src.img" -o "$work/opt" -q --tsa "$url/garbage" --tsa-ca "$pki/ca.pem" \
	--tsa-optional 2>"$work/err" || fail "acquire --tsa-optional failed: $(cat "$work/err")"
"$CUSTOS" custody show "$work/opt" >"$work/show"
grep -q "time-stamp missing: .*malformed" "$work/show" || fail "the missing stamp is not recorded"
"$CUSTOS" custody add "$work/ev" --action x --by y --tsa "$url/html" --tsa-ca "$pki/ca.pem" \
	--tsa-optional 2>"$work/err" || fail "custody add --tsa-optional failed"
grep -q "not time-stamped" "$work/err" || fail "custody add --tsa-optional says nothing"
"$CUSTOS" custody add "$work/ev" --action checked --by y --note "last" "${tsa[@]}" ||
	fail "custody add --tsa after a missing stamp failed"
"$CUSTOS" custody verify "$work/ev" --tsa-ca "$pki/ca.pem" >/dev/null ||
	fail "a log with a missing stamp does not verify"
pass

# ---- checking offline: each attack on the newest event, the chain mended ----
cp "$work/ev.custody.xml" "$work/good.xml"
last=$(grep -c "<event " "$work/good.xml")
$forge chain "$work/good.xml" || fail "the forger's chain differs from custos' on an untouched log"

# caught PHRASE: custody verify --tsa-ca fails with exit 1 and one line with PHRASE; the log restored
caught() {
	local rc
	$forge chain "$work/ev.custody.xml" || fail "the forger did not mend the chain ($1)"
	"$CUSTOS" custody verify "$work/ev" >/dev/null ||
		fail "the forged log ($1) does not even pass without --tsa-ca: the test proves nothing"
	set +e
	"$CUSTOS" custody verify "$work/ev" --tsa-ca "$pki/ca.pem" >/dev/null 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 1 ] && [ "$(wc -l <"$work/err")" = 1 ] && grep -q -- "$1" "$work/err" ||
		fail "custody verify --tsa-ca: exit $rc, not 1 with '$1': $(cat "$work/err")"
	cp "$work/good.xml" "$work/ev.custody.xml"
	pass
}
chmod u+w "$work/ev.custody.xml"

$forge token "$work/ev.custody.xml" $((last - 2)) "$work/older.tsr"
$forge put "$work/ev.custody.xml" "$last" "$work/older.tsr"
caught "is for other data"

$forge stamp "$work/ev.custody.xml" "$last" "$url/tsa" 0123456789abcdef
caught "is a replay"

$forge token "$work/ev.custody.xml" "$last" "$work/tok.tsr"
openssl ts -reply -in "$work/tok.tsr" -token_out -out "$work/tok.der" 2>/dev/null
openssl cms -verify -noverify -inform DER -in "$work/tok.der" -out "$work/tst.der" 2>/dev/null
openssl cms -sign -binary -nodetach -in "$work/tst.der" -econtent_type 1.2.840.113549.1.9.16.1.4 \
	-signer "$pki/noeku.pem" -inkey "$pki/noeku.key" -md sha256 -cades -nosmimecap \
	-outform DER -out "$work/noeku.der"
/usr/bin/python3 - "$work/noeku.der" "$work/noeku.tsr" <<'PY'
import sys
token = open(sys.argv[1], "rb").read()
body = bytes.fromhex("3003020100") + token  # PKIStatusInfo: granted
n = len(body)
size = bytes([n]) if n < 128 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
open(sys.argv[2], "wb").write(b"\x30" + size + body)
PY
$forge put "$work/ev.custody.xml" "$last" "$work/noeku.tsr"
caught "is not for time-stamping"

$forge stamp "$work/ev.custody.xml" "$last" "$url/expired"
caught "was not valid at the time-stamp's time"

$forge stamp "$work/ev.custody.xml" "$last" "$url/untrusted"
caught "is not trusted"

/usr/bin/python3 - "$work/tok.tsr" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[-1] ^= 0x01  # the last byte of the signature
open(sys.argv[1], "wb").write(data)
PY
$forge put "$work/ev.custody.xml" "$last" "$work/tok.tsr"
caught "signature does not verify"

$forge stamp "$work/ev.custody.xml" "$last" "$url/tsa/shift:-600"
caught "older than the event before it"

# a history rewritten an hour later: the note of the sealing changed, and
# every event from it on stamped again by the same, honest TSA
$forge note "$work/ev.custody.xml" 3 "seal 8"
for n in $(seq 3 "$last"); do
	if $forge token "$work/ev.custody.xml" "$n" /dev/null 2>/dev/null; then # stamped ones
		$forge stamp "$work/ev.custody.xml" "$n" "$url/tsa/shift:3600"
	fi
done
"$CUSTOS" custody show "$work/ev" >"$work/show"
grep -q "! the trusted time differs from the recorded time by +36" "$work/show" ||
	fail "custody show does not flag the rewritten events' trusted times"
caught "a history rewritten and stamped again"

# cutting the newest event away leaves a valid log: only an anchor catches it
"$CUSTOS" report "$work/ev.E01" -o "$work/anchor.xml" >/dev/null
$forge cut "$work/ev.custody.xml"
"$CUSTOS" custody verify "$work/ev" --tsa-ca "$pki/ca.pem" >/dev/null ||
	fail "a log cut back does not pass --tsa-ca (the README says it does)"
"$CUSTOS" custody verify "$work/ev" --tsa-ca "$pki/ca.pem" --against "$work/anchor.xml" \
	>/dev/null 2>&1 && fail "a log cut back passes --against the report"
pass

echo "timestamp: $checks checks passed"
