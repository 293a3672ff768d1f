#!/bin/bash
# verify.sh - custos verify on evidence other tools wrote, and on damage.
#
# ewfacquire writes the medium in the encase5, encase6, encase7, ftk,
# linen6, smart and ewfx formats, plain and with SHA-1 or SHA-256, in
# several segments; custos verify must exit 0 and compute the digests
# ewfverify computes.  Then damage: one byte flipped in a chunk of an
# uncompressed multi-segment image must be reported as exactly that
# chunk's sector range (exit 1); a flipped byte in a compressed chunk, a
# truncated segment and a missing segment must each exit non-zero with a
# line naming what is wrong.  (The medium is a whole number of sectors:
# ewfacquire 20140813 mis-stores the size of any other.)
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ewfacquire ewfverify python3; do need "$t"; done

"$MKMEDIUM" 3MiB 71 >"$work/src.img"

# first_segment BASE: the first segment file ewfacquire made
first_segment() { ls "$1".[EeSs]01 2>/dev/null | sed -n 1p; }

for fmt in encase5 encase6 encase7 ftk linen6 smart ewfx; do
	for digest in "" sha1 sha256; do
		name="$fmt${digest:+-$digest}"
		base="$work/$name"
		ewfacquire -u -q -t "$base" -f "$fmt" -c fast ${digest:+-d "$digest"} -S 1MiB \
			-C "case" -E "ev" -e "ex" -D "desc" -N "notes" "$work/src.img" >/dev/null 2>&1 ||
			fail "ewfacquire -f $fmt $digest failed"
		first=$(first_segment "$base")
		[ -n "$first" ] || fail "$name: no first segment"
		set +e
		"$CUSTOS" verify --json "$first" >"$base.json" 2>"$base.err"
		rc=$?
		set -e
		[ "$rc" = 0 ] || fail "$name: custos verify exited $rc: $(cat "$base.err")"
		[ "$(json "$base.json" 'd["result"]')" = match ] || fail "$name: not a match"
		ewfverify -q ${digest:+-d "$digest"} "$first" >"$base.verify" 2>&1 || fail "$name: ewfverify failed"
		for alg in md5 $digest; do
			up=$(echo "$alg" | tr a-z A-Z)
			stored=$(sed -n "s/^$up hash stored in file:[[:space:]]*//p" "$base.verify")
			computed=$(sed -n "s/^$up hash calculated over data:[[:space:]]*//p" "$base.verify")
			if [ "$stored" = "N/A" ]; then # this format has no place for it
				[ "$(json "$base.json" "d['stored']['$alg']")" = None ] || fail "$name: a $alg from nowhere"
				continue
			fi
			[ -n "$computed" ] || fail "$name: ewfverify computed no $alg"
			[ "$(json "$base.json" "d['stored']['$alg']")" = "$stored" ] || fail "$name: stored $alg differs from ewfverify's"
			[ "$(json "$base.json" "d['computed']['$alg']")" = "$computed" ] || fail "$name: computed $alg differs from ewfverify's"
			stores=$((${stores:-0} + 1))
		done

		# info shows what ewfinfo shows; export gives back the medium
		"$CUSTOS" info --json "$first" >"$base.info.json" || fail "$name: custos info failed"
		ewfinfo "$first" >"$base.ewfinfo" 2>&1 || fail "$name: ewfinfo failed"
		python3 - "$base.info.json" "$base.ewfinfo" <<'PY' || fail "$name: custos info differs from ewfinfo"
import calendar, json, re, sys, time
d = json.load(open(sys.argv[1]))

def as_ewfinfo(iso):
    """custos' date (UTC with Z from header2; else the stored local time) as ewfinfo shows it"""
    if iso is None or not iso.endswith("Z"):
        return iso and time.strftime("%a %b %e %H:%M:%S %Y", time.strptime(iso, "%Y-%m-%dT%H:%M:%S"))
    t = calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))
    return time.strftime("%a %b %e %H:%M:%S %Y", time.localtime(t))
info = {}
for line in open(sys.argv[2], encoding="utf-8", errors="replace"):
    m = re.match(r"\t([^:\t]+):\t+(.*)$", line)
    if m:
        info.setdefault(m.group(1), m.group(2).strip())
pairs = [("Case number", d["case_number"]), ("Evidence number", d["evidence_number"]),
         ("Examiner name", d["examiner"]), ("Description", d["description"]),
         ("Notes", d["notes"]), ("Acquisition date", as_ewfinfo(d["acquisition_date"])),
         ("Operating system used", d["operating_system"]),
         ("Software version used", d["software_version"]),
         ("Sectors per chunk", str(d["sectors_per_chunk"])),
         ("Bytes per sector", str(d["bytes_per_sector"])),
         ("Number of sectors", str(d["sectors"])), ("Media type", d["media_type"]),
         ("Is physical", "yes" if d["physical"] else "no"),
         ("MD5", d["hashes"]["md5"])]
if "Set identifier" in info:
    pairs.append(("Set identifier", d["set_identifier"]))
if "Acquisition date" in info:  # ewfx's xheader names the zone: ewfinfo shows it
    info["Acquisition date"] = re.sub(r" [A-Z]{3,5}$", "", info["Acquisition date"])
for label, value in pairs:
    if label in info or value is not None:
        assert info.get(label) == value, (label, info.get(label), value)
assert info["Media size"].endswith("(%d bytes)" % d["media_size"]), info["Media size"]
PY
		"$CUSTOS" export "$first" -o "$base.raw" >/dev/null 2>"$base.export.err" ||
			fail "$name: export failed: $(cat "$base.export.err")"
		cmp -s "$base.raw" "$work/src.img" || fail "$name: export differs from the medium"
		rm -f "$base.raw"
	done
done
[ "${stores:-0}" -ge 21 ] || fail "only ${stores:-0} stored digests were compared"
pass

# export refuses to overwrite, unless told; damaged evidence exports with exit 1
"$CUSTOS" export "$work/encase6.E01" -o "$work/out.raw" >/dev/null
set +e
"$CUSTOS" export "$work/encase6.E01" -o "$work/out.raw" 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q -- "--replace" "$work/err" || fail "export over a file: exit $rc"
"$CUSTOS" export "$work/encase6.E01" -o "$work/out.raw" --replace >/dev/null || fail "export --replace"
cmp -s "$work/out.raw" "$work/src.img" || fail "export --replace: content"
pass

# damage in an uncompressed, multi-segment image: exactly one chunk
"$CUSTOS" acquire "$work/src.img" -o "$work/plain" --compression none --segment-size 1MiB -q
chmod u+w "$work"/plain.E0? # custos left them read-only; they are damaged and cut below
python3 - "$work/src.img" "$work"/plain.E0? <<'PY' || fail "cannot find the chunk to damage"
import sys
src = open(sys.argv[1], 'rb').read()
needle = src[4321 * 512: 4321 * 512 + 64]          # sector 4321 lies in chunk 4288..4351
for path in sys.argv[2:]:
    data = bytearray(open(path, 'rb').read())
    at = data.find(needle)
    if at >= 0:
        data[at + 7] ^= 0x01
        open(path, 'wb').write(data)
        sys.exit(0)
sys.exit(1)
PY
set +e
"$CUSTOS" verify --json "$work/plain.E01" >"$work/plain.json" 2>"$work/plain.err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "flipped byte: exit $rc"
[ "$(json "$work/plain.json" 'd["damaged_sectors"]')" = "[[4288, 64]]" ] || fail "flipped byte: $(json "$work/plain.json" 'd["damaged_sectors"]')"
[ "$(json "$work/plain.json" 'd["result"]')" = damaged ] || fail "flipped byte: result"
grep -q "damaged" "$work/plain.err" || fail "flipped byte: message"
pass

# a flipped byte in a compressed chunk
"$CUSTOS" acquire "$work/src.img" -o "$work/packed" --compression best -q
chmod u+w "$work/packed.E01"
size=$(stat -c %s "$work/packed.E01")
printf '\xa5' | dd of="$work/packed.E01" bs=1 seek=$((size / 2)) conv=notrunc status=none
set +e
"$CUSTOS" verify "$work/packed.E01" >/dev/null 2>"$work/packed.err"
rc=$?
set -e
[ "$rc" = 1 ] && [ "$(wc -l <"$work/packed.err")" = 1 ] || fail "compressed damage: exit $rc: $(cat "$work/packed.err")"
pass

# a truncated segment, and a missing one, are named
cp "$work/plain.E02" "$work/E02.keep"
truncate -s 100000 "$work/plain.E02"
set +e
"$CUSTOS" verify "$work/plain.E01" >/dev/null 2>"$work/trunc.err"
rc=$?
set -e
[ "$rc" != 0 ] && grep -q "plain.E02 is truncated" "$work/trunc.err" || fail "truncated segment: $rc $(cat "$work/trunc.err")"
rm "$work/plain.E02"
set +e
"$CUSTOS" verify "$work/plain.E01" >/dev/null 2>"$work/missing.err"
rc=$?
set -e
[ "$rc" != 0 ] && grep -q "plain.E02 is missing" "$work/missing.err" || fail "missing segment: $rc $(cat "$work/missing.err")"
pass

# exporting the damaged image: written, but exit 1 and a line saying why
set +e
"$CUSTOS" export "$work/packed.E01" -o "$work/damaged.raw" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && [ -e "$work/damaged.raw" ] && [ "$(wc -l <"$work/err")" = 1 ] || fail "export of damage: exit $rc"
pass

# --source: the original medium read again, compared with the evidence
"$MKMEDIUM" 3000001 72 >"$work/odd.img"
"$CUSTOS" acquire "$work/odd.img" -o "$work/odd" -q
"$CUSTOS" verify --json --source "$work/odd.img" "$work/odd.E01" >"$work/src.json" ||
	fail "--source: the unchanged medium does not match"
[ "$(json "$work/src.json" 'd["source"]["result"]')" = match ] || fail "--source: result"
cp "$work/odd.img" "$work/changed.img"
printf 'Z' | dd of="$work/changed.img" bs=1 seek=123456 conv=notrunc status=none
set +e
"$CUSTOS" verify --source "$work/changed.img" "$work/odd.E01" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "no longer what" "$work/err" || fail "--source: a changed medium: exit $rc"
set +e
"$CUSTOS" verify --source "$work/src.img" "$work/odd.E01" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q "not what was imaged" "$work/err" || fail "--source: another medium: exit $rc"
# one byte shorter, and one byte longer, than the medium imaged: a mismatch, both sizes said
head -c 3000000 "$work/odd.img" >"$work/short.img"
cp "$work/odd.img" "$work/long.img"
printf '\0' >>"$work/long.img"
for other in short long; do
	set +e
	"$CUSTOS" verify --source "$work/$other.img" "$work/odd.E01" >/dev/null 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 1 ] && grep -q "holds $(stat -c %s "$work/$other.img") bytes" "$work/err" ||
		fail "--source: a $other medium: exit $rc: $(cat "$work/err")"
done
pass

# not evidence at all: exit 2
set +e
"$CUSTOS" verify "$work/src.img" 2>/dev/null
rc=$?
set -e
[ "$rc" = 2 ] || fail "a non-EWF file: exit $rc"
pass

echo "verify: $checks checks passed"
