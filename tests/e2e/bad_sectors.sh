#!/bin/bash
# bad_sectors.sh - a failing medium, served by tests/tools/faultfs (FUSE):
# unreadable single sectors, short runs, a run across a 4 KiB page, the very
# last sector, flaky sectors (fail the first reads, then read) and a slow
# region.  Served as a file and, as root, as a loop block device, it must
# give: exit 3; read_errors and ewfinfo's error list naming exactly the
# unreadable sectors; the media read back (ewfexport) equal to the source
# with only those sectors zeroed, flaky sectors holding their real data;
# ewfverify -d sha256 accepting the image; the slow region reported; and a
# mapfile that GNU ddrescuelog reads.  Then GNU ddrescue itself rescues the
# medium, and custos wraps its image with the map's bad sectors exactly.
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ -n "${FAULTFS:-}" ] && [ -x "$FAULTFS" ] || skip "faultfs was not built (libfuse3-dev missing)"
[ -c /dev/fuse ] || skip "no /dev/fuse on this machine"
for t in fusermount3 ewfverify ewfinfo ewfexport ddrescue ddrescuelog python3; do need "$t"; done

mounts=()
cleanup_fault() {
	set +e # a cleanup must run to its end
	losetup -a | grep -F "$work/" | cut -d: -f1 | while read -r l; do losetup -d "$l"; done
	for m in "${mounts[@]}"; do fusermount3 -u "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
	chmod -R u+w "$work" 2>/dev/null
	rm -rf "$work"
}
trap cleanup_fault EXIT

BAD="100,2000-2003,3005-3010,5000,8191"   # 3005-3010 crosses the page at 3008
EXPECT="[[100, 1], [2000, 4], [3005, 6], [5000, 1], [8191, 1]]"
EXPECT_LIST="100 2000 2001 2002 2003 3005 3006 3007 3008 3009 3010 5000 8191"
"$MKMEDIUM" 4MiB 41 >"$work/src.img"

# serve NAME [SLOW_MS]: mounts a fresh faultfs (fresh flaky counts) at $work/NAME
serve() {
	mkdir -p "$work/$1"
	"$FAULTFS" "$work/src.img" "$work/$1" --bad "$BAD" --flaky 700:2,4100:1 \
		--slow "6000-6007:${2:-400}" 2>"$work/$1.fuse.err" || skip "cannot mount FUSE here: $(cat "$work/$1.fuse.err")"
	mounts+=("$work/$1")
}

# expected media: the source with exactly the bad sectors zeroed
python3 - "$work/src.img" "$work/expect.img" "$BAD" <<'PY'
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
for part in sys.argv[3].split(','):
    a, _, b = part.partition('-')
    for s in range(int(a), int(b or a) + 1):
        data[s * 512:(s + 1) * 512] = bytes(512)
open(sys.argv[2], 'wb').write(data)
PY

# check_acquisition NAME SOURCE: acquires SOURCE and checks everything
check_acquisition() {
	local name=$1 src=$2 base="$work/$1" rc
	set +e
	"$CUSTOS" acquire "$src" -o "$base" --json --slow-seconds 0.2 --mapfile "$base.map" \
		>"$base.json" 2>"$base.err"
	rc=$?
	set -e
	[ "$rc" = 3 ] || fail "$name: exit $rc, not 3: $(cat "$base.err")"
	[ "$(json "$base.json" 'd["read_errors"]')" = "$EXPECT" ] || fail "$name: read_errors $(json "$base.json" 'd["read_errors"]')"
	[ "$(json "$base.json" 'd["result"]')" = complete_with_errors ] || fail "$name: result"
	[ "$(json "$base.json" 'len(d["slow_regions"])')" -ge 1 ] || fail "$name: no slow region"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(a <= 6000 < a + n for a, n, s in d["slow_regions"]), d["slow_regions"]' "$base.json" ||
		fail "$name: the slow sectors are not in a slow region"
	pass

	ewfinfo "$base.E01" >"$base.info"
	local got
	got=$(sed -n 's/.*at sector(s): \([0-9]*\) - \([0-9]*\) number: \([0-9]*\).*/\1-\2:\3/p' "$base.info" | tr '\n' ' ')
	[ "$got" = "100-100:1 2000-2003:4 3005-3010:6 5000-5000:1 8191-8191:1 " ] || fail "$name: ewfinfo errors: $got"
	ewfverify -q -d sha256 "$base.E01" >"$base.verify" 2>&1 || fail "$name: ewfverify rejected it"
	ewfexport -q -u -f raw -t "$base.export" "$base.E01" >/dev/null 2>&1 || fail "$name: ewfexport"
	cmp -s "$base.export.raw" "$work/expect.img" || fail "$name: media differ from the source with the bad sectors zeroed"
	[ "$(json "$base.json" 'd["hashes"]["md5"]')" = "$(md5_of "$work/expect.img")" ] || fail "$name: md5"
	pass

	# the mapfile: ddrescuelog lists exactly the bad sectors; nothing is left to try
	[ "$(ddrescuelog -b 512 -l- "$base.map" | tr '\n' ' ')" = "$EXPECT_LIST " ] || fail "$name: mapfile bad sectors"
	ddrescuelog -t "$base.map" >"$base.status"
	grep -q "current status: finished" "$base.status" || fail "$name: mapfile not finished"
	grep -Eq "non-tried: +0 B" "$base.status" || fail "$name: mapfile has untried areas"
	# -D tests that every block was rescued, which bad sectors never are: count them as tried
	ddrescuelog -a '-,+' "$base.map" >"$base.tried.map"
	ddrescuelog -D "$base.tried.map" || fail "$name: ddrescuelog -D: not finished"
	pass
}

# an error-free medium: its mapfile passes ddrescuelog -D as it is (first:
# it needs no FUSE, which may be refused here)
"$CUSTOS" acquire "$work/src.img" -o "$work/clean" --mapfile "$work/clean.map" -q
ddrescuelog -D "$work/clean.map" || fail "clean medium: ddrescuelog -D"
pass

serve file
check_acquisition file "$work/file/medium"

# interrupted on a failing medium and resumed: the same errors, media and map
serve slowmedium 3000
"$CUSTOS" acquire "$work/slowmedium/medium" -o "$work/resumed" --x-checkpoint 1MiB \
	--mapfile "$work/resumed.map" --json -q >/dev/null 2>"$work/resumed.err" &
pid=$!
# interrupted once a checkpoint is written, however long a loaded builder takes to get there
wait_until 120 test -e "$work/resumed.resume" ||
	{ kill -KILL "$pid"; fail "interrupting a failing medium: no resume file after 120 s"; }
kill -INT "$pid"
set +e
reap "$pid" 120 "the acquisition of a failing medium, after SIGINT"
rc=$?
set -e
[ "$rc" = 1 ] && grep -q -- "--resume" "$work/resumed.err" || fail "interrupting a failing medium: $rc $(cat "$work/resumed.err")"
grep -q '^bad ' "$work/resumed.resume" || fail "the resume file does not hold the bad sectors met"
set +e
"$CUSTOS" acquire "$work/slowmedium/medium" -o "$work/resumed" --resume --json >"$work/resumed.json" 2>>"$work/resumed.err"
rc=$?
set -e
[ "$rc" = 3 ] || fail "resume on a failing medium: exit $rc: $(cat "$work/resumed.err")"
[ "$(json "$work/resumed.json" 'd["read_errors"]')" = "$EXPECT" ] || fail "resumed: read_errors $(json "$work/resumed.json" 'd["read_errors"]')"
ewfexport -q -u -f raw -t "$work/resumed.export" "$work/resumed.E01" >/dev/null 2>&1 || fail "resumed: ewfexport"
cmp -s "$work/resumed.export.raw" "$work/expect.img" || fail "resumed: media differ"
ewfinfo "$work/resumed.E01" >"$work/resumed.info"
grep -q "total number: 5" "$work/resumed.info" || fail "resumed: ewfinfo errors"
[ "$(ddrescuelog -b 512 -l- "$work/resumed.map" | tr '\n' ' ')" = "$EXPECT_LIST " ] || fail "resumed: mapfile"
pass

# GNU ddrescue rescues the failing medium; custos wraps its image and map
serve rescue
ddrescue -q -b 512 "$work/rescue/medium" "$work/rescued.img" "$work/rescued.map" || true
ddrescuelog -b 512 -l- "$work/rescued.map" >"$work/rescued.bad"
[ -s "$work/rescued.bad" ] || fail "ddrescue found no bad sector"
set +e
"$CUSTOS" acquire "$work/rescued.img" --ddrescue-map "$work/rescued.map" -o "$work/imported" \
	--json -q >"$work/imported.json" 2>"$work/imported.err"
rc=$?
set -e
[ "$rc" = 3 ] || fail "ddrescue import: exit $rc: $(cat "$work/imported.err")"
python3 - "$work/imported.json" "$work/rescued.bad" <<'PY' || fail "ddrescue import: read_errors are not the map's bad sectors"
import json, sys
d = json.load(open(sys.argv[1]))
got = [s for a, n in d["read_errors"] for s in range(a, a + n)]
want = [int(x) for x in open(sys.argv[2]).read().split()]
assert got == want, (got, want)
PY
set +e
"$CUSTOS" acquire "$work/rescued.img" --ddrescue-map "$work/src.img" -o "$work/junk" -q 2>"$work/junk.err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "not a ddrescue mapfile" "$work/junk.err" || fail "a bad map was accepted ($rc)"
pass

# the same failing medium as a block device (root)
if [ "$(id -u)" = 0 ]; then
	need losetup
	serve dev
	dev=$(losetup -f --show --direct-io=on "$work/dev/medium") || skip "cannot attach a loop device over FUSE"
	check_acquisition loopdev "$dev"
else
	echo "note: the loop-device half needs root; it runs in CI" >&2
fi

echo "bad_sectors: $checks checks passed"
