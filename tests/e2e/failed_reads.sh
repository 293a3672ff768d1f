#!/bin/bash
# failed_reads.sh - on a failing drive every failed read costs seconds and
# wears it further: custos' single pass must spend no more of them than GNU
# ddrescue, the reference.
#
# Two media served by tests/tools/faultfs (FUSE, direct I/O), which logs
# every read it serves: one with a dead run of 32768 sectors (16 MiB) in
# the middle, one with scattered single sectors and short runs (and a
# flaky sector).  On each, with --retries 0 and 2, custos acquire and
# ddrescue -d -b 512 -rN read fresh mounts in the same run; custos' failed
# reads (the log's, an independent count) must be at most 1.1 times
# ddrescue's.  custos' read_errors, the E01's error table (ewfinfo) and the
# mapfile (ddrescuelog) must name exactly the unreadable sectors, and the
# flaky sector must hold its data.
# The counts are printed as a table (the README's).
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ -n "${FAULTFS:-}" ] && [ -x "$FAULTFS" ] || skip "faultfs was not built (libfuse3-dev missing)"
[ -c /dev/fuse ] || skip "no /dev/fuse on this machine"
for t in fusermount3 ddrescue ddrescuelog ewfexport ewfinfo jq; do need "$t"; done

mounts=()
cleanup_fault() {
	set +e
	for m in "${mounts[@]}"; do fusermount3 -u "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
	chmod -R u+w "$work" 2>/dev/null
	rm -rf "$work"
}
trap cleanup_fault EXIT

"$MKMEDIUM" 64MiB 5 >"$work/src.img"
DEAD="49152-81919"
SCATTERED="1000,5000-5001,9000,20000-20003,33333,50000,70001-70002,100000,120000"
FLAKY=110000

# serve NAME BAD: a fresh faultfs (fresh flaky count) logging its reads to NAME.log
serve() {
	mkdir -p "$work/$1"
	"$FAULTFS" "$work/src.img" "$work/$1" --bad "$2" --flaky "$FLAKY:1" --log "$work/$1.log" \
		2>"$work/$1.fuse.err" || skip "cannot mount FUSE here: $(cat "$work/$1.fuse.err")"
	mounts+=("$work/$1")
}
unserve() { fusermount3 -u "$work/$1"; }
failed() { grep -c ' EIO$' "$work/$1.log" || true; }

# sectors BAD: the unreadable sectors, one per line
sectors() {
	tr ',' '\n' <<<"$1" | while IFS=- read -r a b; do seq "$a" "${b:-$a}"; done
}

table="| medium | retries | ddrescue -d failed reads | custos failed reads | ratio |
|---|---|---|---|---|"
for medium in dead scattered; do
	bad=$DEAD
	[ "$medium" = scattered ] && bad=$SCATTERED
	sectors "$bad" >"$work/$medium.want"
	for r in 0 2; do
		name="$medium-r$r"
		serve "dd-$name" "$bad"
		ddrescue -q -d -b 512 -r "$r" "$work/dd-$name/medium" "$work/dd-$name.img" \
			"$work/dd-$name.map" || fail "ddrescue on $name exited $?"
		unserve "dd-$name"
		serve "cu-$name" "$bad"
		set +e
		"$CUSTOS" acquire "$work/cu-$name/medium" -o "$work/cu-$name" --retries "$r" \
			--compression none --mapfile "$work/cu-$name.map" --json >"$work/cu-$name.json" \
			2>"$work/cu-$name.err"
		rc=$?
		set -e
		unserve "cu-$name"
		[ "$rc" = 3 ] || fail "custos on $name: exit $rc: $(cat "$work/cu-$name.err")"
		dd_failed=$(failed "dd-$name")
		cu_failed=$(failed "cu-$name")
		[ "$dd_failed" -gt 0 ] || fail "$name: ddrescue met no failed read"
		[ $((10 * cu_failed)) -le $((11 * dd_failed)) ] ||
			fail "$name: custos made $cu_failed failed reads, ddrescue $dd_failed (more than 1.1x)"
		jq -e --argjson n "$cu_failed" '.failed_reads == $n' "$work/cu-$name.json" >/dev/null ||
			fail "$name: the summary's failed_reads is not the $cu_failed the medium counted"
		# exact: read_errors, and the mapfile as ddrescuelog reads it
		jq -r '.read_errors[] | "\(.[0]) \(.[1])"' "$work/cu-$name.json" |
			while read -r a n; do seq "$a" $((a + n - 1)); done >"$work/cu-$name.errors"
		cmp -s "$work/cu-$name.errors" "$work/$medium.want" || fail "$name: read_errors are not exact"
		ewfinfo "$work/cu-$name.E01" >"$work/cu-$name.info"
		sed -n 's/.*at sector(s): \([0-9]*\) - \([0-9]*\) number.*/\1 \2/p' "$work/cu-$name.info" |
			while read -r a b; do seq "$a" "$b"; done >"$work/cu-$name.error2"
		cmp -s "$work/cu-$name.error2" "$work/$medium.want" || fail "$name: the E01's error table is not exact"
		ddrescuelog -b 512 -l- "$work/cu-$name.map" >"$work/cu-$name.maplist"
		cmp -s "$work/cu-$name.maplist" "$work/$medium.want" ||
			fail "$name: the mapfile's bad sectors are not exact"
		# the flaky sector holds its data
		ewfexport -q -u -t "$work/cu-$name.out" -f raw -B 512 -o $((FLAKY * 512)) \
			"$work/cu-$name.E01" >/dev/null 2>&1 || fail "$name: ewfexport"
		cmp -s "$work/cu-$name.out.raw" <(dd if="$work/src.img" bs=512 skip="$FLAKY" count=1 status=none) ||
			fail "$name: the flaky sector $FLAKY lost its data"
		rm -f "$work"/cu-$name.E* "$work/dd-$name.img"
		table="$table
| $medium | $r | $dd_failed | $cu_failed | $(awk -v a="$cu_failed" -v b="$dd_failed" 'BEGIN { printf "%.2fx", a / b }') |"
		pass
	done
done
echo "$table"
echo "failed_reads: $checks checks passed"
