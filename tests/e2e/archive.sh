#!/bin/bash
# archive.sh - re-verifying an archive: many sets at once, --segments,
# --enroll, read-only archives, and the GNU parallel and Slurm recipes.
#
# A tree holds sets from custos (one in several segments) and from
# ewfacquire (EnCase 6, SMART, FTK), and a file named like evidence that is
# not.  With one set damaged, `verify --json --jobs 2 TREE` gives one
# correct JSON line per set and exit 1; intact, exit 0 (2 with the false
# set).  --segments passes an intact set and names exactly the one segment
# a flipped byte changed; a set from another tool gives exit 2 before
# --enroll, 0 after it, and 1 once a byte of it changes.  On a read-only
# archive verify still verifies, says once that the log was not extended,
# and gives custody_appended: false.  The README's GNU parallel recipe and
# the Slurm array script's task body run here over the same tree, and jq
# collects the lines.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ewfacquire python3 parallel jq; do need "$t"; done
sbatch_script="$(dirname "$0")/../../tools/archive/verify-array.sbatch"

tree="$work/archive"
mkdir -p "$tree/case1" "$tree/case2/old" "$tree/case3"
"$MKMEDIUM" 3MiB 601 >"$work/m1.img"
"$MKMEDIUM" 2MiB 602 >"$work/m2.img"
"$CUSTOS" acquire "$work/m1.img" -o "$tree/case1/disk" --compression none --segment-size 1MiB -q
"$CUSTOS" acquire "$work/m2.img" -o "$tree/case1/stick" -q
for fmt in encase6 smart ftk; do
	ewfacquire -u -q -t "$tree/case2/old/$fmt" -f "$fmt" -c fast -S 1MiB "$work/m2.img" >/dev/null 2>&1 ||
		fail "ewfacquire -f $fmt"
done
echo "not evidence" >"$tree/case3/notes.E01"
sets=$(find "$tree" \( -name '*.E01' -o -name '*.e01' -o -name '*.s01' \) | sort)
[ "$(echo "$sets" | wc -l)" = 6 ] || fail "the tree does not hold 6 sets: $sets"

# verify_tree RC [DAMAGED]: --json --jobs 2 over the tree; one correct line per set, the exit status
verify_tree() {
	local want=$1 damaged=${2:-} rc
	set +e
	"$CUSTOS" verify --json --jobs 2 "$tree" >"$work/lines" 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = "$want" ] || fail "verify of the tree: exit $rc, not $want: $(cat "$work/err")"
	python3 - "$work/lines" "$sets" "$damaged" <<'PY' || fail "the JSON lines of the tree"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
want, damaged = sorted(sys.argv[2].split("\n")), sys.argv[3]
assert sorted(l["evidence"] for l in lines) == want, [l["evidence"] for l in lines]
for l in lines:
    expect = "not_evidence" if l["evidence"].endswith("notes.E01") else \
             "damaged" if damaged and l["evidence"].endswith(damaged) else "match"
    assert l["result"] == expect, (l["evidence"], l["result"], expect)
    if expect == "match":
        assert l["stored"]["md5"] == l["computed"]["md5"] and l["damaged_sectors"] == []
    if expect == "damaged":
        assert l["damaged_sectors"], l
PY
}

# one set damaged: exit 1, the damaged set named
cp "$tree/case1/disk.E02" "$work/E02.keep"
chmod u+w "$tree/case1/disk.E02"
python3 - "$work/m1.img" "$tree/case1/disk.E02" <<'PY' || fail "cannot find a chunk to damage"
import sys
src, path = open(sys.argv[1], "rb").read(), sys.argv[2]
data = bytearray(open(path, "rb").read())
for s in range(0, len(src) // 512, 64):
    needle = src[s * 512: s * 512 + 64]
    at = data.find(needle) if any(needle) and len(set(needle)) > 4 else -1
    if at >= 0:
        data[at + 5] ^= 0x20
        open(path, "wb").write(data)
        sys.exit(0)
sys.exit(1)
PY
verify_tree 1 disk.E01
grep -q "1 damaged, 1 not evidence" "$work/err" || fail "the closing count: $(cat "$work/err")"
pass
cp "$work/E02.keep" "$tree/case1/disk.E02"
rm "$tree/case3/notes.E01"
sets=$(echo "$sets" | grep -v notes.E01)
"$CUSTOS" verify --jobs 2 "$tree" >"$work/out" || fail "the intact tree: $(cat "$work/out")"
grep -q "5 set(s): 5 matched, 0 mismatched, 0 damaged, 0 not evidence" "$work/out" || fail "count: $(cat "$work/out")"
[ "$(grep -c '^match ' "$work/out")" = 5 ] || fail "not a line per set: $(cat "$work/out")"
pass

# --segments: intact, then one byte in one segment
"$CUSTOS" verify --segments --json "$tree/case1/disk.E01" >"$work/seg.json" || fail "--segments of an intact set"
[ "$(json "$work/seg.json" 'd["mode"]')" = segments ] || fail "--segments: mode"
[ "$(json "$work/seg.json" 'len(d["segments"])')" -ge 3 ] || fail "--segments: not every segment"
chmod u+w "$tree/case1/disk.E03"
printf 'X' | dd of="$tree/case1/disk.E03" bs=1 seek=5000 conv=notrunc status=none
set +e
"$CUSTOS" verify --segments --json "$tree/case1/disk.E01" >"$work/seg.json" 2>/dev/null
rc=$?
set -e
[ "$rc" = 1 ] || fail "--segments of a changed set: exit $rc"
[ "$(json "$work/seg.json" '[s["name"].split("/")[-1] for s in d["segments"] if s["result"] != "match"]')" = "['disk.E03']" ] ||
	fail "--segments did not name exactly disk.E03: $(cat "$work/seg.json")"
pass

# a set from another tool: exit 2 before --enroll, 0 after it, 1 once a byte changes
old="$tree/case2/old/encase6.E01"
set +e
"$CUSTOS" verify --segments "$old" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "enroll" "$work/err" || fail "--segments before --enroll: exit $rc: $(cat "$work/err")"
"$CUSTOS" verify --enroll --by "Archivist" "$old" >/dev/null || fail "--enroll"
"$CUSTOS" custody show "$old" >"$work/show"
grep -q "enrolled     by Archivist" "$work/show" || fail "no enrolled event: $(cat "$work/show")"
"$CUSTOS" verify --segments "$old" >/dev/null || fail "--segments after --enroll"
set +e
"$CUSTOS" verify --enroll "$old" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "a second --enroll: exit $rc"
last=$(ls "$tree/case2/old/encase6".E0* | tail -1)
printf 'Y' | dd of="$last" bs=1 seek=3000 conv=notrunc status=none
set +e
"$CUSTOS" verify --segments "$old" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "--segments after a byte changed: exit $rc"
pass

# a read-only archive: verify still verifies, says once that the log was not extended
ro="$work/ro"
mkdir "$ro"
"$CUSTOS" acquire "$work/m1.img" -o "$ro/disk" -q
if [ "$(id -u)" = 0 ]; then # root writes through permissions: a read-only bind mount
	mkdir "$work/ro-view"
	mount --bind "$ro" "$work/ro-view"
	mount -o remount,bind,ro "$work/ro-view"
	view="$work/ro-view"
else
	chmod a-w "$ro"
	view="$ro"
fi
set +e
"$CUSTOS" verify --json "$view/disk.E01" >"$work/ro.json" 2>"$work/ro.err"
rc=$?
set -e
if [ "$(id -u)" = 0 ]; then umount "$work/ro-view"; fi
chmod u+w "$ro"
[ "$rc" = 0 ] || fail "verify on a read-only archive: exit $rc: $(cat "$work/ro.err")"
[ "$(json "$work/ro.json" 'd["custody_appended"]')" = False ] || fail "custody_appended is not false"
[ "$(grep -c "was not extended" "$work/ro.err")" = 1 ] || fail "not said once: $(cat "$work/ro.err")"
[ "$(json "$work/ro.json" 'd["result"]')" = match ] || fail "read-only: not a match"
pass

# the GNU parallel recipe of the README, and the Slurm array task body, collected with jq
echo "$sets" | parallel --jobs 2 "$CUSTOS" verify --json {} >"$work/parallel.jsonl" 2>/dev/null || true
[ "$(wc -l <"$work/parallel.jsonl")" = 5 ] || fail "GNU parallel: not a line per set"
echo "$sets" >"$work/sets.txt"
mkdir "$work/results"
for task in 1 2 3 4 5; do
	SLURM_ARRAY_TASK_ID=$task SETS="$work/sets.txt" OUT="$work/results" CUSTOS="$CUSTOS" \
		bash "$sbatch_script" 2>/dev/null || true
done
[ "$(ls "$work/results" | wc -l)" = 5 ] || fail "Slurm array tasks: $(ls "$work/results")"
summary=$(jq -s -c 'group_by(.result) | map({(.[0].result): length}) | add' "$work"/results/*.json)
[ "$(echo "$summary" | jq 'add')" = 5 ] && [ "$(echo "$summary" | jq '.match')" = 3 ] ||
	fail "jq summary of the Slurm tasks: $summary"
[ "$(jq -s -c 'group_by(.result) | map({(.[0].result): length}) | add' "$work/parallel.jsonl")" = "$summary" ] ||
	fail "GNU parallel and the Slurm tasks disagree"
pass

echo "archive: $checks checks passed"
