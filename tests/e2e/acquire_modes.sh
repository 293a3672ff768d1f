#!/bin/bash
# acquire_modes.sh - the acquisition's options on file sources (no root):
# ranges, raw output whole and split, verification after acquisition,
# refusal of a target that is the source, the JSON summary's fields, and
# identical media whatever the number of threads.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in python3 md5sum sha256sum ewfexport; do need "$t"; done

"$MKMEDIUM" 9000007 21 >"$work/src.img"
src="$work/src.img"

# a range: exactly bytes [offset, offset + length) of the source
"$CUSTOS" acquire "$src" -o "$work/range" --offset 1MiB --length 3000001 --json -q >"$work/range.json"
dd if="$src" of="$work/range.want" bs=1M iflag=skip_bytes,count_bytes skip=1048576 count=3000001 status=none
[ "$(json "$work/range.json" 'd["source_hashes"]["md5"]')" = "$(md5_of "$work/range.want")" ] || fail "range: md5"
[ "$(json "$work/range.json" 'd["source"]["offset"]')" = 1048576 ] || fail "range: offset"
[ "$(json "$work/range.json" 'd["source"]["size"]')" = 3000001 ] || fail "range: size"
[ "$(json "$work/range.json" 'd["source"]["total_size"]')" = 9000007 ] || fail "range: total_size"
ewfexport -q -u -f raw -t "$work/range.export" "$work/range.E01" >/dev/null 2>&1 || fail "range: ewfexport"
padded "$work/range.want" 512 "$work/range.padded"
cmp -s "$work/range.export.raw" "$work/range.padded" || fail "range: exported media differs"
set +e
"$CUSTOS" acquire "$src" -o "$work/bad" --offset 9000000 --length 8 -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "past the source" "$work/err" || fail "a range past the end was not refused ($rc)"
pass

# raw, whole: exactly the source, with its digests
"$CUSTOS" acquire "$src" -o "$work/whole" --format raw --verify --json -q >"$work/whole.json"
cmp -s "$src" "$work/whole.raw" || fail "raw: differs from the source"
[ "$(json "$work/whole.json" 'd["media"]["format"]')" = raw ] || fail "raw: format"
[ "$(json "$work/whole.json" 'd["hashes"]["sha256"]')" = "$(sha256_of "$src")" ] || fail "raw: sha256"
[ "$(json "$work/whole.json" 'd["verification"]["evidence"]')" = match ] || fail "raw: verification"
[ "$(stat -c %a "$work/whole.raw")" = 444 ] || fail "raw: not read-only"
pass

# raw, split: BASE.001... of at most --segment-size, concatenating to the source
"$CUSTOS" acquire "$src" -o "$work/split" --format raw --segment-size 2MiB --verify -q
[ "$(ls "$work"/split.0* | wc -l)" = 5 ] || fail "split: expected 5 pieces: $(ls "$work"/split.*)"
for f in "$work"/split.00[1-4]; do [ "$(stat -c %s "$f")" = 2097152 ] || fail "split: $f size"; done
cat "$work"/split.00? | cmp -s - "$src" || fail "split: pieces do not make the source"
set +e
"$CUSTOS" acquire "$src" -o "$work/split" --format raw -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "already exists" "$work/err" || fail "split: existing set not refused"
pass

# E01 with --verify and --verify-source
"$CUSTOS" acquire "$src" -o "$work/ver" --verify --verify-source --hash md5,sha1,sha256 --json -q >"$work/ver.json"
[ "$(json "$work/ver.json" 'd["verification"]["evidence"]')" = match ] || fail "verify: evidence"
[ "$(json "$work/ver.json" 'd["verification"]["source"]')" = match ] || fail "verify: source"
[ "$(json "$work/ver.json" 'd["hashes"]["sha1"]')" = "$(padded "$src" 512 "$work/p" && sha1sum "$work/p" | cut -d' ' -f1)" ] || fail "verify: sha1"
pass

# a target that is the source itself is refused, and nothing is written
set +e
"$CUSTOS" acquire "$work/whole.raw" -o "$work/whole" --format raw 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "raw onto its own source: exit $rc"
cmp -s "$src" "$work/whole.raw" || fail "the source was changed"
pass

# the JSON summary: every field present, null where it does not apply
python3 - "$work/ver.json" <<'PY' || fail "JSON summary fields"
import json, sys
d = json.load(open(sys.argv[1]))
keys = {"result", "source", "media", "hashes", "source_hashes", "verification", "read_errors",
        "segments", "started", "finished", "seconds", "bytes_per_second"}
assert keys <= set(d), keys - set(d)
s = d["source"]
for k in ("path", "size", "bytes_per_sector", "physical_bytes_per_sector", "vendor", "model",
          "serial", "firmware", "removable"):
    assert k in s, k
assert s["type"] == "file" and s["vendor"] is None and s["removable"] is None
assert s["physical_bytes_per_sector"] is None and s["bytes_per_sector"] == 512
assert d["result"] == "complete" and d["read_errors"] == []
assert set(d["hashes"]) == {"md5", "sha1", "sha256"} and all(d["hashes"].values())
assert d["started"].endswith("Z") and d["finished"].endswith("Z") and "T" in d["started"]
assert d["seconds"] >= 0 and d["bytes_per_second"] >= 0
assert d["segments"][0]["name"].endswith("ver.E01") and d["segments"][0]["size"] > 0
PY
pass

# the number of compression threads changes nothing in the media
for n in 1 2 7; do
	"$CUSTOS" acquire "$src" -o "$work/t$n" --threads "$n" --json -q >"$work/t$n.json"
	ewfexport -q -u -f raw -t "$work/t$n.export" "$work/t$n.E01" >/dev/null 2>&1
done
cmp -s "$work/t1.export.raw" "$work/t7.export.raw" && cmp -s "$work/t1.export.raw" "$work/t2.export.raw" ||
	fail "media differ with the number of threads"
[ "$(json "$work/t1.json" 'd["hashes"]["md5"]')" = "$(json "$work/t7.json" 'd["hashes"]["md5"]')" ] || fail "threads: md5"
pass

# SIGINT and SIGTERM: a clean stop, one line, exit 1, the segments so far
# kept under .partial names with the resume file to go on from, nothing final
"$MKMEDIUM" 256MiB 22 >"$work/slow.img"
for sig in INT TERM; do
	rm -rf "$work/int"
	mkdir "$work/int"
	"$CUSTOS" acquire "$work/slow.img" -o "$work/int/x" --compression best --threads 1 -q \
		2>"$work/int.err" &
	pid=$!
	# the signal once the first segment is begun (signals are taken by then),
	# not after a guess at how long a start takes
	wait_until 60 test -e "$work/int/x.E01.partial" ||
		{ kill -KILL "$pid"; fail "SIG$sig: no segment begun after 60 s"; }
	kill -s "$sig" "$pid"
	set +e
	reap "$pid" 30 "SIG$sig: the interrupted acquisition"
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "SIG$sig: exit $rc"
	grep -q "interrupted by SIG$sig.*--resume" "$work/int.err" || fail "SIG$sig: $(cat "$work/int.err")"
	[ "$(wc -l <"$work/int.err")" = 1 ] || fail "SIG$sig: not one line"
	[ "$(ls "$work/int")" = "$(printf 'x.E01.partial\nx.resume')" ] || fail "SIG$sig left: $(ls "$work/int")"
done
pass

echo "acquire_modes: $checks checks passed"
