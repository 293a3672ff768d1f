#!/bin/bash
# custody_sign.sh - a custody log that holds: concurrent hands, and forgers.
#
# Ten concurrent `custody add` calls, in repeated rounds, while readers run:
# all exit 0, all ten events are in the log, and every reader sees a whole
# log.  A waiter gives up after its bound with exit 1.  With a test CA and
# the certificates of an examiner and a second person (EC P-256, Ed25519,
# RSA, P-384): a log of signed events verifies with --ca --require-signed
# and names each signer, and openssl checks every signature on its own; an
# unsigned event fails --require-signed; a signed event rewritten with the
# whole chain re-hashed fails; a certificate from another CA fails --ca; a
# log cut back behind a signed report's head fails --against (and a
# tampered report fails its signature); the untouched log, and one
# extended since, pass --against and --head.  custody verify, given BASE,
# BASE.E01 or a segment, fails when the evidence is swapped for another
# medium's, for another acquisition of the same medium, or deleted.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$(dirname "$0")/pki.sh"
for t in python3 openssl xmllint flock; do need "$t"; done
forge="python3 $(dirname "$0")/custody_forgery.py"

pki_ca "$work/pki"
pki_cert "$work/pki" examiner "Examiner One" p256
pki_cert "$work/pki" second "Second Person" ed25519
pki_cert "$work/pki" lab "Lab Manager" rsa
pki_cert "$work/pki" auditor "Auditor" p384
pki_ca "$work/other"
pki_cert "$work/other" stranger "Not Of This Lab" p256
signed() { echo --sign-key "$work/pki/$1.key" --sign-cert "$work/pki/$1.pem"; }

"$MKMEDIUM" 2MiB 501 >"$work/src.img"

# ---- concurrent appends, with readers ----
"$CUSTOS" acquire "$work/src.img" -o "$work/busy" -q
readers_ok="$work/readers.ok"
: >"$readers_ok"
reader() {
	while [ -d "$work" ] && [ ! -e "$work/stop" ]; do
		"$CUSTOS" custody verify "$work/busy.E01" >/dev/null 2>"$work/reader.err" ||
			{ echo "reader: $(cat "$work/reader.err")" >>"$readers_ok"; }
		"$CUSTOS" custody show "$work/busy.E01" >/dev/null 2>&1 ||
			echo "show failed" >>"$readers_ok"
	done
}
reader &
r1=$!
reader &
r2=$!
for round in 1 2 3; do
	pids=()
	for i in $(seq 10); do
		"$CUSTOS" custody add "$work/busy" --action "round$round" --by "hand $i" \
			--note "r$round h$i" 2>"$work/add$i.err" &
		pids+=($!)
	done
	for i in $(seq 10); do
		wait "${pids[$((i - 1))]}" || fail "round $round: add $i failed: $(cat "$work/add$i.err")"
	done
	"$CUSTOS" custody show "$work/busy.E01" >"$work/show"
	for i in $(seq 10); do
		grep -q "round$round .*by hand $i: r$round h$i" "$work/show" || fail "round $round: event of hand $i lost"
	done
done
touch "$work/stop"
wait "$r1" "$r2"
[ ! -s "$readers_ok" ] || fail "a reader saw a broken log: $(head -3 "$readers_ok")"
[ "$(grep -c '^ *[0-9]*  .*round' "$work/show")" = 30 ] || fail "not 30 appended events"
"$CUSTOS" custody verify "$work/busy" >/dev/null || fail "the busy log does not verify"
pass

# a waiter gives up after its bound, with one line.  The lock is held from
# before the waiter starts until it is done, however slow the builder (not
# for a guessed time); should the test die meanwhile, until $work is gone
# or 120 s have passed.
hold='
: >"$1"
end=$((SECONDS + 120))
while [ -e "$1" ] && [ ! -e "$2" ] && [ "$SECONDS" -lt "$end" ]; do sleep 0.05; done'
flock "$work/busy.custody.xml.lock" bash -c "$hold" _ "$work/held" "$work/release" &
holder=$!
wait_until 30 test -e "$work/held" || fail "flock did not take the lock in 30 s"
set +e
"$CUSTOS" custody add "$work/busy" --action late --by me --x-lock-seconds 1 2>"$work/err"
rc=$?
set -e
: >"$work/release"
reap "$holder" 30 "the lock holder"
[ "$rc" = 1 ] && [ "$(wc -l <"$work/err")" = 1 ] && grep -q "waited 1 s" "$work/err" ||
	fail "a waiter: exit $rc: $(cat "$work/err")"
pass

# ---- signed events ----
"$CUSTOS" acquire "$work/src.img" -o "$work/ev" --examiner "Examiner One" $(signed examiner) -q
"$CUSTOS" custody add "$work/ev.E01" --action transferred --by "Second Person" --to "Vault" \
	$(signed second)
"$CUSTOS" custody add "$work/ev.E02" --action examined --by "Lab Manager" --note "checked seals" \
	$(signed lab)
"$CUSTOS" verify --by Auditor $(signed auditor) "$work/ev.E01" >/dev/null
"$CUSTOS" custody verify "$work/ev" --ca "$work/pki/ca.pem" --require-signed >"$work/out" ||
	fail "a log of signed events does not verify: $(cat "$work/out")"
for who in "Examiner One" "Second Person" "Lab Manager" "Auditor"; do
	grep -q "signed by /CN=$who, certificate sha256 [0-9a-f]\{64\}" "$work/out" || fail "$who not named"
done
fp=$(openssl x509 -in "$work/pki/second.pem" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d : | tr A-F a-f)
grep -q "Second Person, certificate sha256 $fp (ed25519)" "$work/out" || fail "the fingerprint is not openssl's"
$forge check "$work/ev.custody.xml" >/dev/null || fail "openssl does not verify every event signature"
cp "$work/ev.custody.xml" "$work/signed.keep"
pass

# an unsigned event fails --require-signed (and only that)
"$CUSTOS" custody add "$work/ev" --action noted --by "Someone"
"$CUSTOS" custody verify "$work/ev" --ca "$work/pki/ca.pem" >/dev/null || fail "an unsigned event broke --ca"
set +e
"$CUSTOS" custody verify "$work/ev" --require-signed >"$work/out" 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "event 5 .* is not signed" "$work/err" || fail "--require-signed: exit $rc: $(cat "$work/err")"
grep -q "unsigned" "$work/out" || fail "the unsigned event is not listed as such"
pass

# a signed event rewritten, the whole chain re-hashed: the plain chain holds, the signature not
cp "$work/signed.keep" "$work/ev.custody.xml"
$forge rewrite "$work/ev.custody.xml" 2 to "Someone else"
set +e
"$CUSTOS" custody verify "$work/ev" 2>"$work/err" >/dev/null
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "event 2 .*does NOT verify" "$work/err" || fail "a re-hashed rewrite: exit $rc: $(cat "$work/err")"
$forge check "$work/ev.custody.xml" >/dev/null && fail "openssl accepts the rewritten event"
# and an unsigned event so rewritten passes: that is what signing is for
cp "$work/signed.keep" "$work/ev.custody.xml"
"$CUSTOS" custody add "$work/ev" --action noted --by "Someone"
$forge rewrite "$work/ev.custody.xml" 5 by "Forger"
"$CUSTOS" custody verify "$work/ev" >/dev/null || fail "the re-hashed chain itself should hold"
pass

# a certificate that does not chain to the CA
cp "$work/signed.keep" "$work/ev.custody.xml"
"$CUSTOS" custody add "$work/ev" --action forged --by "Stranger" --sign-key "$work/other/stranger.key" \
	--sign-cert "$work/other/stranger.pem"
"$CUSTOS" custody verify "$work/ev" >/dev/null || fail "without --ca, a valid foreign signature holds"
set +e
"$CUSTOS" custody verify "$work/ev" --ca "$work/pki/ca.pem" 2>"$work/err" >/dev/null
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "event 5 .*does not chain" "$work/err" || fail "--ca: exit $rc: $(cat "$work/err")"
pass

# ---- anchors: a signed report's head, or a head noted anywhere ----
cp "$work/signed.keep" "$work/ev.custody.xml"
"$CUSTOS" report "$work/ev.E01" -o "$work/report.xml" $(signed lab)
xmllint --noout --schema "$(dirname "$0")/../../report/custos-report.xsd" "$work/report.xml" 2>/dev/null ||
	fail "the report with its custody head does not validate"
noted=$("$CUSTOS" custody show "$work/ev" | sed -n 's/^head //p')
[ "$noted" = "$($forge head "$work/ev.custody.xml")" ] || fail "custody show's head is not the log's"
"$CUSTOS" custody verify "$work/ev" --against "$work/report.xml" --ca "$work/pki/ca.pem" >/dev/null ||
	fail "the untouched log fails --against"
"$CUSTOS" custody verify "$work/ev" --head "$noted" >/dev/null || fail "the untouched log fails --head"
"$CUSTOS" custody add "$work/ev" --action returned --by "Second Person" $(signed second)
"$CUSTOS" custody verify "$work/ev" --against "$work/report.xml" --ca "$work/pki/ca.pem" \
	--require-signed >/dev/null || fail "a log extended since the report fails --against"
"$CUSTOS" custody verify "$work/ev" --head "$noted" >/dev/null || fail "an extended log fails --head"
# cut back: the newest events dropped, head copied from prev; the chain alone holds
$forge cut "$work/ev.custody.xml"
$forge cut "$work/ev.custody.xml"
"$CUSTOS" custody verify "$work/ev" --ca "$work/pki/ca.pem" >/dev/null ||
	fail "the cut log should pass without an anchor (that is the attack)"
for anchor in "--against $work/report.xml" "--head $noted"; do
	set +e
	"$CUSTOS" custody verify "$work/ev" $anchor 2>"$work/err" >/dev/null
	rc=$?
	set -e
	[ "$rc" = 1 ] && grep -q "cut back or rewritten" "$work/err" || fail "$anchor: exit $rc: $(cat "$work/err")"
done
# a report changed after signing is caught by its signature
cp "$work/signed.keep" "$work/ev.custody.xml"
chmod u+w "$work/report.xml"
sed -i 's/Examiner One/Examiner 0ne/' "$work/report.xml"
set +e
"$CUSTOS" custody verify "$work/ev" --against "$work/report.xml" --ca "$work/pki/ca.pem" 2>"$work/err" >/dev/null
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "does NOT verify" "$work/err" || fail "a changed report: exit $rc: $(cat "$work/err")"
pass

# ---- the binding: swapped or missing evidence, by any name ----
"$CUSTOS" acquire "$work/src.img" -o "$work/twin" -q
"$MKMEDIUM" 2MiB 503 >"$work/other.img"
"$CUSTOS" acquire "$work/other.img" -o "$work/other" -q
for name in ev ev.E01 ev.E02; do
	"$CUSTOS" custody verify "$work/$name" >/dev/null || fail "custody verify $name"
done
mkdir "$work/swap"
mv "$work"/ev.E0* "$work/swap/"
for donor in twin other; do
	for f in "$work/$donor".E0*; do cp "$f" "$work/ev${f#$work/$donor}"; done
	for name in ev ev.E01; do
		set +e
		"$CUSTOS" custody verify "$work/$name" >/dev/null 2>"$work/err"
		rc=$?
		set -e
		[ "$rc" = 1 ] && grep -q "not bound to this evidence" "$work/err" ||
			fail "evidence swapped for $donor's, named $name: exit $rc: $(cat "$work/err")"
	done
	rm -f "$work"/ev.E0*
done
for name in ev ev.E01; do
	set +e
	"$CUSTOS" custody verify "$work/$name" >/dev/null 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 1 ] && grep -q "evidence of this custody log is missing" "$work/err" ||
		fail "evidence deleted, named $name: exit $rc: $(cat "$work/err")"
done
mv "$work"/swap/* "$work/"
"$CUSTOS" custody verify "$work/ev.E01" >/dev/null || fail "the evidence put back"
pass

echo "custody_sign: $checks checks passed"
