#!/bin/bash
# stream.sh - custos acquire - images standard input: a pipe from ssh, nc
# or another tool.
#
# A 64 MiB medium piped in gives an E01 that ewfverify -d sha256 accepts,
# with the medium's MD5 and SHA-256 (ewfinfo), source.type "stream" and the
# size that arrived; in small segments, every segment's SHA-256 in the
# custody log is that of the completed file (verify --segments), and
# libewf reads the media back.  A 1000001-byte stream is handled as an
# odd-sized file: source.size 1000001, the exact bytes' digests in
# source_hashes, the media completed to a sector.  A stream shorter or
# longer than --size, or empty, is exit 1 with one line and no file; each
# option a stream cannot have is exit 2 with one line; a stalled stream
# stops at SIGTERM, promptly, leaving nothing.  --format raw and --verify
# work on a stream.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ewfverify ewfinfo ewfexport jq md5sum sha256sum xmllint; do need "$t"; done
schema="$(dirname "$0")/../../report/custos-report.xsd"

"$MKMEDIUM" 64MiB 7 >"$work/m.img"
md5=$(md5_of "$work/m.img")
sha256=$(sha256_of "$work/m.img")

# 64 MiB through a pipe
cat "$work/m.img" | "$CUSTOS" acquire - -o "$work/s" --json >"$work/s.json" 2>"$work/s.err" ||
	fail "acquire - exited $?: $(cat "$work/s.err")"
ewfverify -q -d sha256 "$work/s.E01" >"$work/s.verify" 2>&1 || fail "ewfverify -d sha256 rejected the stream's E01"
grep -q "ewfverify: SUCCESS" "$work/s.verify" || fail "ewfverify did not succeed"
ewfinfo "$work/s.E01" >"$work/s.info"
grep -q "MD5:	*$md5" "$work/s.info" || fail "ewfinfo: the MD5 is not the medium's"
grep -q "SHA256:	*$sha256" "$work/s.info" || fail "ewfinfo: the SHA-256 is not the medium's"
grep -q "Number of sectors:	*131072" "$work/s.info" || fail "ewfinfo: not 131072 sectors"
jq -e '.source.type == "stream" and .source.size == 67108864 and .media.size == 67108864' \
	"$work/s.json" >/dev/null || fail "summary: source.type, source.size or media.size"
jq -e --arg m "$md5" '.hashes.md5 == $m and .source_hashes.md5 == $m' "$work/s.json" >/dev/null ||
	fail "summary: MD5"
grep -q "<type>stream</type>" "$work/s.custody.xml" || fail "the custody record does not say stream"
"$CUSTOS" report "$work/s.E01" -o "$work/s.report.xml" || fail "report of a stream's evidence"
xmllint --noout --schema "$schema" "$work/s.report.xml" 2>/dev/null || fail "the report is not valid"
pass

# many segments: each completed with the media size, and hashed as completed
"$MKMEDIUM" 8MiB 11 | "$CUSTOS" acquire - -o "$work/seg" --segment-size 1MiB --compression none \
	-q --json >"$work/seg.json" || fail "acquire - into segments exited $?"
n=$(jq '.segments | length' "$work/seg.json")
[ "$n" -ge 8 ] || fail "expected 8 segments or more, got $n"
ewfverify -q -d sha256 "$work/seg.E01" >/dev/null 2>&1 || fail "ewfverify rejected the segmented stream"
"$CUSTOS" verify --segments "$work/seg.E01" >"$work/seg.segments" ||
	fail "verify --segments: $(cat "$work/seg.segments")"
for f in "$work"/seg.E*; do
	grep -q "sha256=\"$(sha256_of "$f")\"" "$work/seg.custody.xml" ||
		fail "the custody log does not hold the SHA-256 of $(basename "$f") as written"
done
ewfexport -q -u -t "$work/seg.out" -f raw "$work/seg.E01" >/dev/null 2>&1 || fail "ewfexport"
[ "$(md5_of "$work/seg.out.raw")" = "$("$MKMEDIUM" 8MiB 11 | md5sum | cut -d' ' -f1)" ] ||
	fail "libewf does not read back the segmented stream"
pass

# 1000001 bytes: as an odd-sized file
head -c 1000001 "$work/m.img" >"$work/odd.bin"
"$CUSTOS" acquire - -o "$work/odd" --json <"$work/odd.bin" >"$work/odd.json" 2>/dev/null ||
	fail "acquire of 1000001 bytes exited $?"
jq -e '.source.size == 1000001 and .media.size == 1000448 and .media.padding_bytes == 447' \
	"$work/odd.json" >/dev/null || fail "1000001 bytes: sizes $(jq -c .media "$work/odd.json")"
jq -e --arg m "$(md5_of "$work/odd.bin")" '.source_hashes.md5 == $m' "$work/odd.json" >/dev/null ||
	fail "1000001 bytes: source_hashes.md5 is not that of the bytes"
padded "$work/odd.bin" 512 "$work/odd.padded"
ewfinfo "$work/odd.E01" >"$work/odd.info"
grep -q "MD5:	*$(md5_of "$work/odd.padded")" "$work/odd.info" ||
	fail "1000001 bytes: the stored MD5 is not that of the media completed to a sector"
ewfverify -q -d sha256 "$work/odd.E01" >/dev/null 2>&1 || fail "ewfverify rejected the odd stream"
pass

# raw, and --verify
head -c 5000000 "$work/m.img" | "$CUSTOS" acquire - -o "$work/raw" --format raw --verify -q ||
	fail "acquire - --format raw --verify exited $?"
cmp -s "$work/raw.raw" <(head -c 5000000 "$work/m.img") || fail "the raw image is not the stream"
head -c 5000000 "$work/m.img" | "$CUSTOS" acquire - -o "$work/ver" --verify --json -q >"$work/ver.json" ||
	fail "acquire - --verify exited $?"
jq -e '.verification.evidence == "match"' "$work/ver.json" >/dev/null || fail "--verify of a stream"
pass

# wrong sizes, an empty stream
expect_fail() { # expect_fail RC NAME MESSAGE-PART: the last run's outcome
	[ "$rc" = "$1" ] || fail "$2: exit $rc, not $1"
	[ "$(wc -l <"$work/err")" = 1 ] || fail "$2: not one line: $(cat "$work/err")"
	grep -q -- "$3" "$work/err" || fail "$2: $(cat "$work/err")"
	ls "$work"/bad* >/dev/null 2>&1 && fail "$2 left files: $(ls "$work"/bad*)"
	true
}
set +e
head -c 1000 "$work/m.img" | "$CUSTOS" acquire - -o "$work/bad" --size 2000 -q 2>"$work/err"
rc=$?
set -e
expect_fail 1 "a short stream" "ended after 1000 bytes, short of --size 2000"
set +e
head -c 3000 "$work/m.img" | "$CUSTOS" acquire - -o "$work/bad" --size 2000 -q 2>"$work/err"
rc=$?
set -e
expect_fail 1 "a long stream" "runs past --size"
set +e
: | "$CUSTOS" acquire - -o "$work/bad" -q 2>"$work/err"
rc=${PIPESTATUS[1]}
set -e
expect_fail 1 "an empty stream" "the stream was empty"
# no stream at all: standard input closed, or /dev/null, is refused before anything is written
for how in closed null; do
	set +e
	if [ "$how" = closed ]; then
		"$CUSTOS" acquire - -o "$work/bad" -q <&- 2>"$work/err"
	else
		"$CUSTOS" acquire - -o "$work/bad" -q </dev/null 2>"$work/err"
	fi
	rc=$?
	set -e
	expect_fail 2 "standard input $how" "standard input is closed or /dev/null"
done
head -c 4096 "$work/m.img" | "$CUSTOS" acquire - -o "$work/exact" --size 4096 -q ||
	fail "a stream of exactly --size exited $?"
pass

# what a stream cannot have
for opt in "--retries 1" "--resume" "--verify-source" "--offset 512" "--length 512" \
	"--mapfile $work/bad.map" "--ddrescue-map $work/odd.bin"; do
	set +e
	# shellcheck disable=SC2086
	"$CUSTOS" acquire - -o "$work/bad" $opt </dev/null 2>"$work/err"
	rc=$?
	set -e
	expect_fail 2 "acquire - $opt" "does not apply to a stream"
done
set +e
"$CUSTOS" acquire "$work/m.img" -o "$work/bad" --size 1MiB 2>"$work/err"
rc=$?
set -e
expect_fail 2 "--size with a file" "--size is for a stream"
pass

# a stalled stream stops at SIGTERM, promptly, and leaves nothing
fifo="$work/stall.fifo"
mkfifo "$fifo"
# the feeder says when all but a pipe's worth is taken, then stalls (exec: a
# kill of $feeder ends the stall itself)
(head -c 3000000 "$work/m.img"; : >"$work/fed"; exec sleep 600) >"$fifo" &
feeder=$!
trap 'kill "$feeder" 2>/dev/null || true; chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
"$CUSTOS" acquire - -o "$work/bad" -q <"$fifo" 2>"$work/err" &
pid=$!
# stalled: the first segment begun (signals are taken) and the data taken;
# polled for, as a loaded builder may be slow to get there
stalled() { [ -e "$work/fed" ] && [ -e "$work/bad.E01.partial" ]; }
wait_until 60 stalled || { kill -KILL "$pid"; fail "the stream did not reach its stall in 60 s"; }
kill -TERM "$pid"
set +e
# promptly: at once, with a bound for a loaded builder; a read that waits on
# the stalled stream would run until the feeder's 600 s
reap "$pid" 30 "a stalled stream, after SIGTERM"
rc=$?
set -e
kill "$feeder" 2>/dev/null || true
expect_fail 1 "a stalled stream, interrupted" "interrupted by SIGTERM"
pass
echo "stream: $checks checks passed"
