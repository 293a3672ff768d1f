#!/bin/bash
# rescue.sh - acquire --rescue, for a drive that may die: GNU ddrescue gets
# the good data first into a spool, then custos packs it into E01.
#
# On faultfs (FUSE) media that log every read: with a 16 MiB dead run,
# --rescue --retries 0 makes at most 1.1 failed reads per unreadable
# sector, leaves a map that ddrescuelog -l- reads as exactly the run, and an
# E01 that ewfverify -d sha256 accepts, with the run in its error table
# (ewfinfo), the media of the single pass, the spool removed, the rescue in
# the summary, the custody record and the report.  On a medium that dies
# after a mid-drive dead run, --rescue has all the good data beyond the run,
# where the single pass has none of it.  Killed with SIGKILL, ddrescue stops
# with it and --resume gives the same E01 (digests and case); GNU ddrescue
# itself can go on with a rescue custos began; the medium is known again on
# a new mount (another device number), and another medium of the same size
# is refused by what the spool already holds.  What --rescue cannot go
# with is refused, and so is a spool that cannot fit (as root, on a small
# tmpfs).
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ddrescue ddrescuelog ewfverify ewfinfo ewfexport jq xmllint pgrep pkill; do need "$t"; done
schema="$(dirname "$0")/../../report/custos-report.xsd"
"$MKMEDIUM" 64MiB 5 >"$work/src.img"

# ---- refusals (no FUSE needed: they run for every user)
refuse() { # refuse WHY ARGS...: exit 2, one line naming WHY, nothing written
	local why=$1
	shift
	set +e
	"$CUSTOS" acquire "$@" 2>"$work/e" </dev/null
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "acquire $*: exit $rc, not 2"
	[ "$(wc -l <"$work/e")" = 1 ] && grep -q -- "$why" "$work/e" || fail "acquire $*: $(cat "$work/e")"
	left=$(cd "$work" && ls x.* 2>/dev/null | grep -v '^x\.rescue\.img$' || true)
	[ -z "$left" ] || fail "acquire $* left $left"
}
refuse "not a stream" - -o "$work/x" --rescue
refuse "writes E01" "$work/src.img" -o "$work/x" --rescue --format raw
refuse "does not go with --rescue" "$work/src.img" -o "$work/x" --rescue --offset 512
refuse "not read twice" "$work/src.img" -o "$work/x" --rescue --verify-source
: >"$work/x.rescue.img"
refuse "go on with --resume" "$work/src.img" -o "$work/x" --rescue
rm -f "$work/x.rescue.img"
pass

# ---- the rest reads failing media: FUSE
[ -n "${FAULTFS:-}" ] && [ -x "$FAULTFS" ] || skip "faultfs was not built (libfuse3-dev missing)"
[ -c /dev/fuse ] || skip "no /dev/fuse on this machine"
need fusermount3

mounts=()
cleanup_fault() {
	set +e
	pkill -f "^ddrescue .*$work" 2>/dev/null
	for m in "${mounts[@]}"; do fusermount3 -u "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
	chmod -R u+w "$work" 2>/dev/null
	rm -rf "$work"
}
trap cleanup_fault EXIT

DEAD=49152-81919
RUN_END=$((81920 * 512))
python3 - "$work/src.img" "$work/expect.img" <<'PY'
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
d[49152 * 512:81920 * 512] = bytes(32768 * 512)
open(sys.argv[2], 'wb').write(d)
PY
expect_md5=$(md5_of "$work/expect.img")

# serve NAME [faultfs options]: a fresh medium with the dead run, logging its reads
serve() {
	local name=$1
	shift
	mkdir -p "$work/$name"
	"$FAULTFS" "$work/src.img" "$work/$name" --bad "$DEAD" --log "$work/$name.log" "$@" \
		2>"$work/$name.fuse.err" || skip "cannot mount FUSE here: $(cat "$work/$name.fuse.err")"
	mounts+=("$work/$name")
}
unserve() { fusermount3 -u "$work/$1"; }

# ---- the dead run
serve m1
set +e
"$CUSTOS" acquire "$work/m1/medium" -o "$work/r" --rescue --retries 0 --case-number R-1 --json \
	>"$work/r.json" 2>"$work/r.err"
rc=$?
set -e
unserve m1
[ "$rc" = 3 ] || fail "--rescue exited $rc: $(cat "$work/r.err")"
failed=$(grep -c ' EIO$' "$work/m1.log")
[ $((10 * failed)) -le $((11 * 32768)) ] ||
	fail "--rescue made $failed failed reads for 32768 unreadable sectors (more than 1.1 each)"
ddrescuelog -b 512 -l- "$work/r.rescue.map" >"$work/r.maplist"
cmp -s "$work/r.maplist" <(seq 49152 81919) || fail "the map's unreadable sectors are not the run"
ewfverify -q -d sha256 "$work/r.E01" >"$work/r.verify" 2>&1 || fail "ewfverify -d sha256 rejected the E01"
ewfinfo "$work/r.E01" >"$work/r.info"
grep -q "at sector(s): 49152 - 81919 number: 32768" "$work/r.info" || fail "ewfinfo: the run is not in the error table"
grep -q "MD5:	*$expect_md5" "$work/r.info" || fail "the E01's media is not the source with the run zeroed"
[ -e "$work/r.rescue.img" ] && fail "the spool was not removed"
[ -e "$work/r.resume" ] && fail "the resume file was not removed"
jq -e '.rescue.engine | startswith("GNU ddrescue")' "$work/r.json" >/dev/null || fail "summary: rescue.engine"
jq -e '.rescue.unreadable_bytes == 16777216 and .rescue.rescued_bytes == 50331648' "$work/r.json" \
	>/dev/null || fail "summary: rescued and unreadable bytes"
jq -e '.read_errors == [[49152, 32768]] and .verification.evidence == "match"' "$work/r.json" >/dev/null ||
	fail "summary: read_errors or verification"
grep -q "<engine>GNU ddrescue" "$work/r.custody.xml" || fail "the custody record lacks the engine"
grep -q "<command_line>ddrescue .*-r 0 " "$work/r.custody.xml" || fail "the custody record lacks ddrescue's command line"
"$CUSTOS" report "$work/r.E01" -o "$work/r.report.xml" || fail "report"
xmllint --noout --schema "$schema" "$work/r.report.xml" 2>/dev/null || fail "the report is not valid"
grep -q "<rescue>" "$work/r.report.xml" || fail "the report lacks the rescue"
echo "--rescue: $failed failed reads for 32768 unreadable sectors"
pass

# the single pass gives the same media
serve m2
set +e
"$CUSTOS" acquire "$work/m2/medium" -o "$work/s" --retries 0 -q 2>/dev/null
set -e
unserve m2
ewfinfo "$work/s.E01" >"$work/s.info"
grep -q "MD5:	*$expect_md5" "$work/s.info" || fail "the single pass does not give the media --rescue gives"
pass

# ---- a drive that dies after 1000 reads, in the dead run
for mode in rescue single; do
	serve "die-$mode" --dies-after 1000
	set +e
	if [ "$mode" = rescue ]; then
		"$CUSTOS" acquire "$work/die-$mode/medium" -o "$work/die-$mode" --rescue --retries 0 -q 2>/dev/null
	else
		"$CUSTOS" acquire "$work/die-$mode/medium" -o "$work/die-$mode" --retries 0 -q 2>/dev/null
	fi
	rc=$?
	set -e
	unserve "die-$mode"
	[ "$rc" = 3 ] || fail "the dying drive, $mode: exit $rc"
	ewfexport -q -u -t "$work/die-$mode.out" -f raw "$work/die-$mode.E01" >/dev/null 2>&1 ||
		fail "ewfexport of die-$mode"
	if cmp -s <(tail -c +$((RUN_END + 1)) "$work/src.img") <(tail -c +$((RUN_END + 1)) "$work/die-$mode.out.raw"); then
		echo "$mode: all the good data beyond the dead run"
		[ "$mode" = rescue ] || fail "the single pass got the data beyond the run: the drive did not die?"
	else
		[ "$mode" = single ] || fail "--rescue lost good data beyond the dead run when the drive died"
		echo "$mode: the data beyond the dead run is lost"
	fi
done
pass

# ---- SIGKILL in phase 1, then --resume; and ddrescue going on by itself
for how in custos ddrescue; do
	serve "k-$how" --slow 0-131071:1
	"$CUSTOS" acquire "$work/k-$how/medium" -o "$work/k-$how" --rescue --retries 0 \
		--case-number "K-$how" -q 2>/dev/null &
	pid=$!
	# killed once ddrescue has rescued something and saved its map (a slow builder may take long)
	rescued() { [ -f "$work/k-$how.resume" ] && grep -q '^0x[0-9A-Fa-f]* *0x[0-9A-Fa-f]* *+' "$work/k-$how.rescue.map" 2>/dev/null; }
	wait_until 120 rescued || fail "$how: ddrescue rescued nothing in 120 s"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
	no_ddrescue() { ! pgrep -f "^ddrescue .*$work/k-$how" >/dev/null; }
	wait_until 30 no_ddrescue || true
	pgrep -f "^ddrescue .*$work/k-$how" >/dev/null && fail "ddrescue runs on after custos was killed: $(ps -eo pid,ppid,stat,cmd | grep [d]drescue)"
	[ -f "$work/k-$how.resume" ] && [ -f "$work/k-$how.rescue.map" ] || fail "$how: nothing to resume from"
	grep -q '^# Current status' "$work/k-$how.rescue.map" || true
	unserve "k-$how"
	if [ "$how" = custos ]; then
		# another medium of the same size is refused by its content, and nothing changes
		"$MKMEDIUM" 64MiB 6 >"$work/other.img"
		cp "$work/k-$how.rescue.map" "$work/k-$how.map.before"
		set +e
		"$CUSTOS" acquire "$work/other.img" -o "$work/k-$how" --resume 2>"$work/k-$how.other.err"
		rc=$?
		set -e
		[ "$rc" = 2 ] && grep -q "does not hold what the spool" "$work/k-$how.other.err" ||
			fail "a resume from another medium of the same size: exit $rc: $(cat "$work/k-$how.other.err")"
		cmp -s "$work/k-$how.rescue.map" "$work/k-$how.map.before" || fail "a refused resume changed the map"
		[ -f "$work/k-$how.resume" ] || fail "a refused resume removed the resume file"
	fi
	# a new mount: a new device number, the same medium (known by what it holds)
	serve "k2-$how"
	if [ "$how" = ddrescue ]; then # the examiner goes on with GNU ddrescue itself
		ddrescue -q -b 512 -r 0 "$work/k2-$how/medium" "$work/k-$how.rescue.img" "$work/k-$how.rescue.map" ||
			fail "GNU ddrescue cannot go on with custos' rescue"
	fi
	set +e
	"$CUSTOS" acquire "$work/k2-$how/medium" -o "$work/k-$how" --resume --json \
		>"$work/k-$how.json" 2>"$work/k-$how.err"
	rc=$?
	set -e
	unserve "k2-$how"
	[ "$rc" = 3 ] || fail "$how: --resume after SIGKILL exited $rc: $(cat "$work/k-$how.err")"
	ewfinfo "$work/k-$how.E01" >"$work/k-$how.info"
	grep -q "MD5:	*$expect_md5" "$work/k-$how.info" || fail "$how: the resumed E01 is not the same media"
	grep -q "Case number:	*K-$how" "$work/k-$how.info" || fail "$how: the resumed E01 lost its case number"
	jq -e '.read_errors == [[49152, 32768]]' "$work/k-$how.json" >/dev/null || fail "$how: read_errors"
	ewfverify -q -d sha256 "$work/k-$how.E01" >/dev/null 2>&1 || fail "$how: ewfverify"
	pass
done

if [ "$(id -u)" = 0 ] && mkdir "$work/small" && mount -t tmpfs -o size=8m tmpfs "$work/small" 2>/dev/null; then
	mounts+=("$work/small")
	set +e
	"$CUSTOS" acquire "$work/src.img" -o "$work/small/x" --rescue 2>"$work/e"
	rc=$?
	set -e
	[ "$rc" = 2 ] && grep -q "may need 67108864 bytes" "$work/e" || fail "a spool that cannot fit: exit $rc: $(cat "$work/e")"
	[ -z "$(ls "$work/small")" ] || fail "a refused rescue left $(ls "$work/small")"
	pass
else
	echo "note: the space check needs root to mount a small tmpfs; left out" >&2
fi
echo "rescue: $checks checks passed"
