#!/bin/bash
# readers.sh - what independent E01 readers see, and the README's statements
# about them.
#
# --chunk-sectors takes the powers of two from 16 to 32768 that EnCase and
# ewfacquire take, and ewfinfo and ewfverify agree on those two ends.  The
# volume section says "physical" only for a whole-disk device: an image
# file is logical unless --media-flags says otherwise; --media-type sets
# the type ewfinfo shows.  The legacy header section holds its dates in
# local time (checked under a zone far from UTC), header2 the exact
# seconds.  A value code page 1252 cannot hold is reported once on stderr
# and in the summary, transliterated in header and exact in header2.  And
# libewf 20140813's plain ewfverify fails on any E01 that stores a SHA-256
# (its own EWF-X files included) but passes --hash md5 and md5,sha1
# evidence, while `ewfverify -d sha256` passes both.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ewfinfo ewfverify ewfacquire python3; do need "$t"; done

src="$work/src.img"
"$MKMEDIUM" 2MiB 401 >"$src"

# ---- chunk sizes ----
for bad in 8 48 1000 65536; do
	set +e
	"$CUSTOS" acquire "$src" -o "$work/c$bad" --chunk-sectors "$bad" -q 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "--chunk-sectors $bad: exit $rc"
done
for good in 16 32768; do
	"$CUSTOS" acquire "$src" -o "$work/c$good" --chunk-sectors "$good" -q
	ewfinfo "$work/c$good.E01" >"$work/info" 2>&1 || fail "ewfinfo of chunks of $good"
	grep -Eq "Sectors per chunk:[[:space:]]+$good$" "$work/info" || fail "ewfinfo: chunks of $good"
	ewfverify -q -d sha256 "$work/c$good.E01" >/dev/null 2>&1 || fail "ewfverify: chunks of $good"
done
pass

# ---- media type and flags ----
"$CUSTOS" acquire "$src" -o "$work/file" --json -q >"$work/file.json"
ewfinfo "$work/file.E01" >"$work/info"
grep -Eq "Is physical:[[:space:]]+no" "$work/info" || fail "an image file is marked physical"
grep -Eq "Media type:[[:space:]]+fixed disk" "$work/info" || fail "an image file: media type"
[ "$(json "$work/file.json" 'd["media"]["physical"]')" = False ] || fail "summary: physical"
"$CUSTOS" acquire "$src" -o "$work/phys" --media-flags physical --media-type removable -q
ewfinfo "$work/phys.E01" >"$work/info"
grep -Eq "Is physical:[[:space:]]+yes" "$work/info" || fail "--media-flags physical"
grep -Eq "Media type:[[:space:]]+removable disk" "$work/info" || fail "--media-type removable"
"$CUSTOS" acquire "$src" -o "$work/opt" --media-type optical -q
ewfinfo "$work/opt.E01" >"$work/info"
grep -Eq "Media type:[[:space:]]+optical disk" "$work/info" || fail "--media-type optical"
"$CUSTOS" acquire "$src" -o "$work/mem" --media-type memory -q
ewfinfo "$work/mem.E01" >"$work/info"
grep -Eq "Media type:[[:space:]]+memory" "$work/info" || fail "--media-type memory"
pass

# ---- header dates in local time; header2 exact; cp1252 transliteration ----
# a zone the C library does not know is UTC, where local time is UTC time and
# the check would pass without testing anything
[ "$(TZ=Asia/Kolkata date +%z)" = +0530 ] || fail "the time zone Asia/Kolkata is missing" \
	"(${TZDIR:-/usr/share/zoneinfo}/Asia/Kolkata; tools/deps installs tzdata)"
TZ=Asia/Kolkata "$CUSTOS" acquire "$src" -o "$work/tz" --examiner "山田 太郎" --notes "Müller" \
	--json -q >"$work/tz.json" 2>"$work/tz.err"
[ "$(grep -c "code page 1252" "$work/tz.err")" = 1 ] || fail "no single transliteration note: $(cat "$work/tz.err")"
[ "$(json "$work/tz.json" 'd["media"]["header_transliterated"]')" = True ] || fail "summary: transliterated"
ewfinfo "$work/tz.E01" >"$work/info"
grep -q "Examiner name:.*山田 太郎" "$work/info" || fail "header2 does not hold the exact name"
python3 - "$work/tz.E01" <<'PY' || fail "the header sections"
import os, struct, sys, time, zlib
data = open(sys.argv[1], "rb").read()
at, sections = 13, {}
while True:
    kind = data[at:at + 16].rstrip(b"\0").decode()
    nxt, size = struct.unpack_from("<QQ", data, at + 16)
    sections.setdefault(kind, data[at + 76: at + size])
    if nxt == at or kind in ("next", "done") or kind == "volume":
        break
    at = nxt
h2 = zlib.decompress(sections["header2"]).decode("utf-16").split("\n")
keys, values = h2[2].split("\t"), h2[3].split("\t")
m = int(dict(zip(keys, values))["m"])
h = zlib.decompress(sections["header"]).decode("cp1252").split("\r\n")
hkeys, hvalues = h[2].split("\t"), h[3].split("\t")
header = dict(zip(hkeys, hvalues))
os.environ["TZ"] = "Asia/Kolkata"
time.tzset()
lt = time.localtime(m)
want = "%d %d %d %d %d %d" % lt[:6]
assert header["m"] == want, (header["m"], want)
assert header["e"] != "山田 太郎" and header["t"] == "Müller", header
PY
"$CUSTOS" acquire "$src" -o "$work/latin" --examiner "José Müller" -q 2>"$work/err"
[ ! -s "$work/err" ] || fail "a note where cp1252 holds the text: $(cat "$work/err")"
pass

# ---- what ewfverify 20140813 does, as the README says ----
"$CUSTOS" acquire "$src" -o "$work/md5" --hash md5 -q
"$CUSTOS" acquire "$src" -o "$work/md5sha1" --hash md5,sha1 -q
ewfacquire -u -q -t "$work/ewfx" -f ewfx -d sha256 "$src" >/dev/null 2>&1 || fail "ewfacquire -f ewfx"
plain() { ewfverify -q "$1" >/dev/null 2>&1; }
plain "$work/file.E01" && fail "plain ewfverify passed an E01 with a SHA-256 (the README says it fails)"
plain "$work/ewfx.e01" && fail "plain ewfverify passed its own EWF-X file with a SHA-256"
plain "$work/md5.E01" || fail "plain ewfverify fails --hash md5 evidence"
plain "$work/md5sha1.E01" || fail "plain ewfverify fails --hash md5,sha1 evidence"
for e in file.E01 ewfx.e01 md5.E01 md5sha1.E01; do
	ewfverify -q -d sha256 "$work/$e" >/dev/null 2>&1 || fail "ewfverify -d sha256 fails $e"
	"$CUSTOS" verify "$work/$e" >/dev/null 2>&1 || fail "custos verify fails $e"
done
pass

echo "readers: $checks checks passed"
