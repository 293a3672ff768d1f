#!/bin/bash
# resume.sh - interrupted acquisitions go on with --resume.
#
# A 2 GiB medium is acquired and interrupted once a few hundred MiB are
# safe: by SIGKILL, by SIGINT, and (as root) by a target disk that fills
# up, then gets room.  Each time `custos acquire SOURCE -o BASE --resume`
# must end with media equal byte for byte to the source (ewfexport | cmp)
# and stored MD5 and SHA-256 equal to md5sum's and sha256sum's of the
# source; ewfverify -d sha256 must accept it.  Then the refusals: another
# medium, a segment cut short, a damaged chunk, and a new acquisition onto
# a BASE that has an interrupted one.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ewfverify ewfexport python3 md5sum sha256sum; do need "$t"; done
avail=$(df --output=avail -B1 "$work" | tail -1)
[ "$avail" -gt $((6 * 1024 * 1024 * 1024)) ] || skip "needs 6 GiB free under ${TMPDIR:-/tmp}"

mounts=()
cleanup_resume() {
	set +e
	for m in "${mounts[@]}"; do umount "$m"; done
	chmod -R u+w "$work"
	rm -rf "$work"
}
trap cleanup_resume EXIT

src="$work/medium.img"
"$MKMEDIUM" 2GiB 61 >"$src"
md5=$(md5_of "$src")
sha256=$(sha256_of "$src")

# resume_done BASE: the bytes the resume file says are safe (0 without one)
resume_done() {
	sed -n 's/^done //p' "$1.resume" 2>/dev/null || echo 0
}

# start_and_interrupt BASE SIGNAL: starts an acquisition, sends SIGNAL once
# a checkpoint past 256 MiB is in the resume file; prints the exit status.
# However slow the builder, it waits for that checkpoint (or the end of the
# acquisition); 600 s without one is a hang.
past_256mib() { [ "$(resume_done "$1")" -ge $((256 * 1048576)) ] || ! kill -0 "$2" 2>/dev/null; }
start_and_interrupt() {
	local base=$1 sig=$2 pid rc
	"$CUSTOS" acquire "$src" -o "$base" --case-number "R-1" --examiner "José Müller" \
		--hash md5,sha1,sha256 -q 2>"$base.err" &
	pid=$!
	wait_until 600 past_256mib "$base" "$pid" ||
		{ kill -KILL "$pid"; fail "$base: no checkpoint past 256 MiB after 600 s"; }
	kill -s "$sig" "$pid" 2>/dev/null || true
	set +e
	reap "$pid" 60 "$base: the acquisition after SIG$sig"
	rc=$?
	set -e
	echo "$rc"
}

# resume_and_check BASE: --resume, then the witnesses
resume_and_check() {
	local base=$1 rc
	set +e
	"$CUSTOS" acquire "$src" -o "$base" --resume --json >"$base.json" 2>"$base.resume.err"
	rc=$?
	set -e
	[ "$rc" = 0 ] || fail "$base: --resume exited $rc: $(cat "$base.resume.err")"
	[ ! -e "$base.resume" ] || fail "$base: the resume file is left after completion"
	[ -z "$(ls "$base".* | grep partial)" ] || fail "$base: partial files are left"
	ewfverify -q -d sha256 "$base.E01" >"$base.verify" 2>&1 || fail "$base: ewfverify rejected it"
	grep -Eq "^MD5 hash stored in file:[[:space:]]+$md5\$" "$base.verify" || fail "$base: stored MD5 is not the source's"
	grep -Eq "^SHA256 hash stored in file:[[:space:]]+$sha256\$" "$base.verify" || fail "$base: stored SHA-256 is not the source's"
	[ "$(json "$base.json" 'd["hashes"]["sha1"]')" = "$(sha1sum "$src" | cut -d' ' -f1)" ] || fail "$base: SHA-1"
	# (ewfexport 20140813 prints "ewfexport: SUCCESS" on stdout after the media, even with -q)
	cmp -s -n "$(stat -c %s "$src")" <(ewfexport -q -u -f raw -t - "$base.E01" 2>/dev/null) "$src" ||
		fail "$base: media differ from the source"
	ewfinfo "$base.E01" >"$base.info"
	grep -q "Examiner name:	*José Müller" "$base.info" || fail "$base: metadata lost"
	pass
}

# SIGKILL: nothing runs at exit; the resume file of the last checkpoint is all there is
rc=$(start_and_interrupt "$work/kill" KILL)
[ "$rc" = 137 ] || fail "SIGKILL: the acquisition ended on its own ($rc) before it could be killed"
[ -e "$work/kill.resume" ] || fail "SIGKILL: no resume file"
resume_and_check "$work/kill"

# SIGINT: a clean stop that says how to go on
rc=$(start_and_interrupt "$work/int" INT)
[ "$rc" = 1 ] || fail "SIGINT: exit $rc"
grep -q "interrupted by SIGINT.*--resume" "$work/int.err" || fail "SIGINT: $(cat "$work/int.err")"
resume_and_check "$work/int"

# refusals, on a fresh interrupted run
rc=$(start_and_interrupt "$work/ref" KILL)
"$MKMEDIUM" 64MiB 62 >"$work/other.img"
for case in other new short damaged; do
	cp -a "$work/ref.E01.partial" "$work/ref.E01.keep"
	set +e
	case $case in
	other) "$CUSTOS" acquire "$work/other.img" -o "$work/ref" --resume 2>"$work/err" ;;
	new) "$CUSTOS" acquire "$src" -o "$work/ref" 2>"$work/err" ;;
	short)
		truncate -s 1MiB "$work/ref.E01.partial"
		"$CUSTOS" acquire "$src" -o "$work/ref" --resume 2>"$work/err"
		;;
	damaged)
		printf '\x5a\x5a\x5a\x5a' | dd of="$work/ref.E01.partial" bs=1 seek=3000000 conv=notrunc status=none
		"$CUSTOS" acquire "$src" -o "$work/ref" --resume 2>"$work/err"
		;;
	esac
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "resume refusal '$case': exit $rc: $(cat "$work/err")"
	[ "$(wc -l <"$work/err")" = 1 ] || fail "resume refusal '$case': not one line"
	mv "$work/ref.E01.keep" "$work/ref.E01.partial"
done
grep -q "damaged" "$work/err" || fail "a damaged chunk: unclear message: $(cat "$work/err")"
[ -e "$work/ref.resume" ] || fail "a refused resume removed the resume file"
pass

# a full target disk, then room: root can grow a tmpfs
if [ "$(id -u)" = 0 ]; then
	mkdir "$work/small"
	mount -t tmpfs -o size=400m tmpfs "$work/small"
	mounts+=("$work/small")
	set +e
	"$CUSTOS" acquire "$src" -o "$work/small/full" --examiner "José Müller" \
		--hash md5,sha1,sha256 -q 2>"$work/full.err"
	rc=$?
	set -e
	[ "$rc" = 1 ] && grep -q "disk is full.*--resume" "$work/full.err" || fail "full disk: exit $rc: $(cat "$work/full.err")"
	mount -o remount,size=2g "$work/small"
	resume_and_check "$work/small/full"
else
	echo "note: the full-disk case needs root to size a tmpfs; it runs in CI" >&2
fi

echo "resume: $checks checks passed"
