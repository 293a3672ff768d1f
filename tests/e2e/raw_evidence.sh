#!/bin/bash
# raw_evidence.sh - verify, info, export and report on raw images custos
# made: split (BASE.001 ...) and single (BASE.raw), read through the
# evidence interface with the digests their custody logs record.
#
# A medium of an odd size is acquired both ways.  verify exits 0 with the
# digests md5sum and sha256sum give of the medium (the independent
# witness); info gives its size and those digests; export gives a file cmp
# finds identical to the medium; report names the digests.  One byte
# changed in one part: verify exits 1 and --segments names exactly that
# part.  Without its custody log a raw set never verifies (exit 1, and the
# message says nothing records its digests).  A part missing in the middle
# is named.  The backend is chosen by content: a raw image named .E01 is
# read as raw, an E01 named .001 as EWF.
set -euo pipefail
. "$(dirname "$0")/common.sh"
need python3

"$MKMEDIUM" 3MiB 811 >"$work/big.img"
head -c 3000100 "$work/big.img" >"$work/m.img"
size=$(stat -c %s "$work/m.img")
md5=$(md5_of "$work/m.img")
sha=$(sha256_of "$work/m.img")

mkdir "$work/split" "$work/single"
"$CUSTOS" acquire "$work/m.img" -o "$work/split/d" --format raw --segment-size 1MiB -q
"$CUSTOS" acquire "$work/m.img" -o "$work/single/d" --format raw -q
[ -f "$work/split/d.003" ] && [ ! -e "$work/split/d.004" ] || fail "the split set is not d.001 to d.003"
[ -f "$work/single/d.raw" ] || fail "no single raw image"

# verify_match FILE: a full verify by that file: exit 0, the witness's digests
verify_match() {
	local rc
	set +e
	"$CUSTOS" verify --json "$1" >"$work/v.json" 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 0 ] || fail "verify $1: exit $rc: $(cat "$work/err")"
	[ "$(json "$work/v.json" 'd["result"]')" = match ] || fail "verify $1: not a match"
	[ "$(json "$work/v.json" 'd["media_size"]')" = "$size" ] || fail "verify $1: media size"
	for k in stored computed; do
		[ "$(json "$work/v.json" "d['$k']['md5']")" = "$md5" ] || fail "verify $1: $k MD5"
		[ "$(json "$work/v.json" "d['$k']['sha256']")" = "$sha" ] || fail "verify $1: $k SHA-256"
	done
}

for first in split/d.001 split/d.002 single/d.raw; do
	verify_match "$work/$first"
	pass
done
"$CUSTOS" verify "$work/split/d.003" >"$work/out" || fail "verify (text) by the last part"
grep -q "md5      match    $md5" "$work/out" && grep -q "custos verify: match" "$work/out" ||
	fail "verify (text): $(cat "$work/out")"
"$CUSTOS" verify --segments "$work/split/d.001" >"$work/out" || fail "--segments of an intact raw set"
[ "$(grep -c '^  match ' "$work/out")" = 3 ] || fail "--segments: not 3 parts: $(cat "$work/out")"
pass

# info: size, digests, the files, where the digests come from
for first in split/d.001 single/d.raw; do
	set=${first%%/*}
	first=$work/$first
	"$CUSTOS" info --json "$first" >"$work/i.json" || fail "info --json $first"
	[ "$(json "$work/i.json" 'd["media_size"]')" = "$size" ] || fail "info $set: media size"
	[ "$(json "$work/i.json" 'd["hashes"]["md5"]')" = "$md5" ] || fail "info $set: MD5"
	[ "$(json "$work/i.json" 'd["hashes"]["sha256"]')" = "$sha" ] || fail "info $set: SHA-256"
	[ "$(json "$work/i.json" 'd["container"]')" = raw ] || fail "info $set: not raw"
	[ "$(json "$work/i.json" 'd["stored_in"]')" = "$work/$set/d.custody.xml" ] ||
		fail "info $set: stored_in"
	"$CUSTOS" info "$first" >"$work/i.txt" || fail "info $first"
	grep -q "Media size  *$size bytes" "$work/i.txt" && grep -q "md5  *$md5" "$work/i.txt" ||
		fail "info $set (text): $(cat "$work/i.txt")"
	pass
done
[ "$(json "$work/i.json" 'len(d["segments"])')" = 1 ] || fail "info single: not one file"
"$CUSTOS" info --json "$work/split/d.002" >"$work/i.json"
[ "$(json "$work/i.json" 'len(d["segments"])')" = 3 ] || fail "info split: not three files"
pass

# export: byte for byte the medium
for first in split/d.002 single/d.raw; do
	rm -f "$work/out.img"
	"$CUSTOS" export "$work/$first" -o "$work/out.img" >"$work/out" || fail "export $first"
	cmp "$work/out.img" "$work/m.img" || fail "export $first: not the medium"
	grep -q "md5      match    $md5" "$work/out" || fail "export $first: $(cat "$work/out")"
	pass
done

# report: the digests from the custody log
"$CUSTOS" report "$work/split/d.001" >"$work/report.xml" || fail "report of the split set"
grep -q "$md5" "$work/report.xml" && grep -q "$sha" "$work/report.xml" || fail "report: no digests"
"$CUSTOS" report "$work/single/d.raw" >"$work/report.xml" || fail "report of the single image"
grep -q "$sha" "$work/report.xml" || fail "report (single): no SHA-256"
pass

# one byte of one part changed: exit 1, and --segments names that part
mkdir "$work/bad"
cp "$work/split/"d.* "$work/bad/"
chmod u+w "$work/bad/"*
printf 'X' | dd of="$work/bad/d.002" bs=1 seek=5000 conv=notrunc status=none
set +e
"$CUSTOS" verify --json "$work/bad/d.001" >"$work/v.json" 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "verify of a changed raw set: exit $rc"
[ "$(json "$work/v.json" 'd["result"]')" = mismatch ] || fail "a changed raw set: not a mismatch"
set +e
"$CUSTOS" verify --segments --json "$work/bad/d.001" >"$work/seg.json" 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "--segments of a changed raw set: exit $rc"
[ "$(json "$work/seg.json" '[s["name"].split("/")[-1] for s in d["segments"] if s["result"] != "match"]')" = "['d.002']" ] ||
	fail "--segments did not name exactly d.002: $(cat "$work/seg.json")"
pass

# no custody log: nothing records the digests, and verify never says match
mkdir "$work/nolog"
cp "$work/split/"d.0* "$work/nolog/"
for mode in "" --segments; do
	set +e
	"$CUSTOS" verify $mode "$work/nolog/d.001" >"$work/out" 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" != 0 ] || fail "verify $mode of a raw set without its log: exit 0"
	grep -q "custos verify: match" "$work/out" && fail "verify $mode without a log: a match"
	pass
done
set +e
"$CUSTOS" verify "$work/nolog/d.001" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "nothing records its digests" "$work/err" ||
	fail "verify without a log: exit $rc: $(cat "$work/err")"
pass

# a part missing in the middle: damaged, named
mkdir "$work/gap"
cp "$work/split/"d.* "$work/gap/"
rm "$work/gap/d.002"
set +e
"$CUSTOS" verify "$work/gap/d.001" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "d.002 is missing" "$work/err" ||
	fail "a raw set without its middle part: exit $rc: $(cat "$work/err")"
pass

# by content, not by name: a raw image named .E01, an E01 named .001
mkdir "$work/renamed"
cp "$work/single/d.raw" "$work/renamed/y.E01"
cp "$work/single/d.custody.xml" "$work/renamed/y.custody.xml"
chmod u+w "$work/renamed/"*
verify_match "$work/renamed/y.E01"
"$CUSTOS" info --json "$work/renamed/y.E01" >"$work/i.json" || fail "info of a raw image named .E01"
[ "$(json "$work/i.json" 'd["container"]')" = raw ] || fail "a raw image named .E01 is not read as raw"
pass
"$CUSTOS" acquire "$work/m.img" -o "$work/e" -q
cp "$work/e.E01" "$work/renamed/w.001"
"$CUSTOS" info --json "$work/renamed/w.001" >"$work/i.json" || fail "info of an E01 named .001"
[ "$(json "$work/i.json" 'd["container"]')" = ewf ] || fail "an E01 named .001 is not read as EWF"
padded "$work/m.img" 512 "$work/padded.img"
"$CUSTOS" verify --json "$work/renamed/w.001" >"$work/v.json" || fail "verify of an E01 named .001"
[ "$(json "$work/v.json" 'd["computed"]["md5"]')" = "$(md5_of "$work/padded.img")" ] ||
	fail "an E01 named .001: not the medium's MD5"
rm -f "$work/out.img"
"$CUSTOS" export "$work/renamed/w.001" -o "$work/out.img" >/dev/null || fail "export of an E01 named .001"
cmp "$work/out.img" "$work/padded.img" || fail "export of an E01 named .001: not the medium"
pass

echo "raw_evidence: $checks checks passed"
