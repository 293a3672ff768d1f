#!/bin/bash
# untrue_acquire.sh - no interruption, full disk or closed pipe makes an
# acquisition say what is not so, or leave evidence without its record.
#
#   - SIGINT, SIGTERM and SIGHUP, each sent in each phase of an acquisition
#     (reading, finishing, writing the record, printing, verifying: custos
#     stops itself there with the hidden --x-stop-at, the test signals it
#     and lets it go on): the result is a complete set with its custody
#     log, or a resumable one, and one line that says which; never a death
#     by the signal's default action.
#   - SIGPIPE (acquire --json | head -c 1): the custody log is there, exit 1
#     with one line.
#   - Every command's standard output on /dev/full: exit 1, one line.
#   - `acquire -` with standard input closed: exit 2 at once.
#   - --rescue with paths so long that GNU ddrescue's "# Command line:"
#     passes 512 bytes: the map is read whole and the acquisition completes.
#   - verify --source of an acquisition made with --offset/--length compares
#     the same window of the source.
#   - --mapfile given as a relative path, resumed from another directory:
#     the map beside the evidence is finished, nothing is written elsewhere.
#   - While an acquisition runs, a second one to the same base (a file or a
#     stream) is refused at once: the base is claimed (BASE.claim, locked)
#     from the refusal checks to the last write, and the claim is gone after.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in md5sum ddrescue python3 ps timeout; do need "$t"; done

"$MKMEDIUM" 16MiB 51 >"$work/m.img"
md5=$(md5_of "$work/m.img")

# state PID: the process's state letter (T: stopped)
state() { ps -o stat= -p "$1" 2>/dev/null | cut -c1; }

# ---- a signal in each phase
n=0
for phase in reading finishing recording printing verifying; do
	for sig in INT TERM HUP; do
		n=$((n + 1))
		base="$work/p$n"
		"$CUSTOS" acquire "$work/m.img" -o "$base" --x-stop-at "$phase" --verify \
			--x-checkpoint 1MiB >"$base.out" 2>"$base.err" &
		pid=$!
		stopped() { [ "$(state "$pid")" = T ]; }
		wait_until 60 stopped || { kill -KILL "$pid"; fail "$phase: custos never reached the phase"; }
		kill -"$sig" "$pid"
		kill -CONT "$pid"
		set +e
		reap "$pid" 60 "$phase, SIG$sig"
		rc=$?
		set -e
		[ "$rc" -lt 128 ] || fail "$phase, SIG$sig: custos died by a signal (exit $rc)"
		[ "$rc" = 1 ] || fail "$phase, SIG$sig: exit $rc, not 1: $(cat "$base.err")"
		[ "$(wc -l <"$base.err")" = 1 ] || fail "$phase, SIG$sig: not one line: $(cat "$base.err")"
		grep -q "interrupted by SIG$sig" "$base.err" || fail "$phase, SIG$sig: $(cat "$base.err")"
		if [ "$phase" = reading ]; then
			# resumable: the journal is there, no complete set, and --resume completes it
			[ -f "$base.resume" ] && [ ! -e "$base.E01" ] && [ ! -e "$base.custody.xml" ] ||
				fail "$phase, SIG$sig: not left resumable: $(ls "$work" | grep "p$n\\.")"
			grep -q "go on with .*--resume" "$base.err" || fail "$phase, SIG$sig: does not say how to go on"
			"$CUSTOS" acquire "$work/m.img" -o "$base" --resume -q 2>/dev/null || fail "$phase: --resume"
		else
			grep -q "the evidence is complete\|evidence was complete" "$base.err" ||
				fail "$phase, SIG$sig: does not say the evidence is complete: $(cat "$base.err")"
		fi
		# complete: the set with its custody log, which is whole and bound, and the media's digests
		[ -f "$base.E01" ] && [ -f "$base.custody.xml" ] && [ ! -e "$base.resume" ] ||
			fail "$phase, SIG$sig: no complete set with its log: $(ls "$work" | grep "p$n\\.")"
		"$CUSTOS" custody verify "$base.E01" >/dev/null || fail "$phase, SIG$sig: the custody log does not hold"
		"$CUSTOS" info --json "$base.E01" >"$base.info" || fail "$phase, SIG$sig: info"
		grep -q "$md5" "$base.info" || fail "$phase, SIG$sig: the stored MD5 is not the medium's"
	done
done
pass

# ---- SIGPIPE: a reader that went away (the pipe's read end closed before custos writes)
set +e
python3 - "$CUSTOS" "$work" <<'PY'
import os, subprocess, sys
custos, work = sys.argv[1], sys.argv[2]
r, w = os.pipe()
os.close(r)
err = open(work + "/pipe.err", "wb")
p = subprocess.run([custos, "acquire", work + "/m.img", "-o", work + "/pipe", "--json", "-q"],
                   stdout=w, stderr=err, stdin=subprocess.DEVNULL)
sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)
PY
rc=$?
set -e
[ "$rc" = 1 ] || fail "a closed pipe: exit $rc, not 1: $(cat "$work/pipe.err")"
[ "$(wc -l <"$work/pipe.err")" = 1 ] && grep -q "cannot write standard output" "$work/pipe.err" ||
	fail "a closed pipe: $(cat "$work/pipe.err")"
[ -f "$work/pipe.custody.xml" ] || fail "a closed pipe: evidence without its custody log"
"$CUSTOS" custody verify "$work/pipe.E01" >/dev/null || fail "a closed pipe: the custody log does not hold"
pass

# ---- every command's output on /dev/full
"$CUSTOS" acquire "$work/m.img" -o "$work/full" -q
"$CUSTOS" acquire "$work/m.img" -o "$work/fulljson" --json >/dev/full 2>"$work/err" && fail "acquire --json > /dev/full: exit 0"
for cmd in "--version" "--help" "acquire --help" "devices" "devices --json" "info $work/full.E01" \
	"info --json $work/full.E01" "verify $work/full.E01" "verify --json $work/full.E01" \
	"custody show $work/full.E01" "custody verify $work/full.E01" "report $work/full.E01" \
	"report --help" "export --help" "custody --help"; do
	set +e
	"$CUSTOS" $cmd >/dev/full 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "custos $cmd > /dev/full: exit $rc, not 1"
	[ "$(wc -l <"$work/err")" = 1 ] && grep -q "cannot write standard output" "$work/err" ||
		fail "custos $cmd > /dev/full: $(cat "$work/err")"
done
pass

# ---- no stream at all
set +e
timeout -k 10 30 "$CUSTOS" acquire - -o "$work/nostream" <&- 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "standard input is closed" "$work/err" || fail "acquire - <&-: exit $rc: $(cat "$work/err")"
ls "$work"/nostream* >/dev/null 2>&1 && fail "acquire - <&- left files"
pass

# ---- --rescue with long paths: GNU ddrescue's command line passes 512 bytes
long="$work/$(printf 'a%.0s' $(seq 200))/$(printf 'b%.0s' $(seq 200))"
mkdir -p "$long"
cp "$work/m.img" "$long/source.img"
"$CUSTOS" acquire "$long/source.img" -o "$long/evidence" --rescue --json >"$work/long.json" 2>"$work/long.err" ||
	fail "--rescue with long paths: exit $?: $(cat "$work/long.err")"
[ "$(grep -c '^# Command line' "$long/evidence.rescue.map")" = 1 ] &&
	[ "$(grep '^# Command line' "$long/evidence.rescue.map" | wc -c)" -gt 512 ] ||
	fail "the map's command line is not longer than 512 bytes"
grep -q "\"md5\":\"$md5\"" "$work/long.json" || fail "--rescue with long paths: not the medium"
pass

# ---- verify --source honours the window an acquisition read
"$CUSTOS" acquire "$work/m.img" -o "$work/win" --offset 1MiB --length 3MiB -q
"$CUSTOS" verify "$work/win.E01" --source "$work/m.img" >"$work/win.out" 2>&1 ||
	fail "verify --source of a window: $(cat "$work/win.out")"
grep -q "the same as the evidence" "$work/win.out" || fail "verify --source of a window: $(cat "$work/win.out")"
# and still tells another medium
"$MKMEDIUM" 16MiB 52 >"$work/other.img"
set +e
"$CUSTOS" verify "$work/win.E01" --source "$work/other.img" >"$work/win2.out" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || fail "verify --source of another medium: exit $rc: $(cat "$work/win2.out")"
pass

# ---- --mapfile given relative, resumed from another directory: the same map, nothing elsewhere
mkdir -p "$work/here" "$work/there"
set +e
(cd "$work/here" && "$CUSTOS" acquire ../m.img -o ev --mapfile ev.map --x-checkpoint 1MiB \
	--x-interrupt-at 6MiB -q 2>/dev/null)
set -e
[ -f "$work/here/ev.resume" ] || fail "--mapfile: the interrupted run left no resume file"
grep -q "^mapfile $work/here/ev.map\$" "$work/here/ev.resume" || fail "--mapfile is not kept absolute"
(cd "$work/there" && "$CUSTOS" acquire "$work/m.img" -o "$work/here/ev" --resume -q) ||
	fail "--mapfile: the resume from another directory failed"
[ -z "$(ls -A "$work/there")" ] || fail "--mapfile: the resume wrote in its directory: $(ls -A "$work/there")"
grep -q "^0x00000000  0x01000000  +" "$work/here/ev.map" || fail "--mapfile: the map was not finished: $(cat "$work/here/ev.map")"
pass

# ---- one custos at a time under a name: the base is claimed from the first check to the last write
"$CUSTOS" acquire "$work/m.img" -o "$work/claimed" --x-stop-at finishing -q 2>"$work/first.err" &
pid=$!
stopped() { [ "$(state "$pid")" = T ]; }
wait_until 60 stopped || { kill -KILL "$pid"; fail "the first acquisition never stopped"; }
for how in acquire stream; do
	set +e
	if [ "$how" = acquire ]; then
		"$CUSTOS" acquire "$work/other.img" -o "$work/claimed" -q 2>"$work/second.err"
	else
		head -c 1MiB "$work/other.img" | "$CUSTOS" acquire - -o "$work/claimed" -q 2>"$work/second.err"
	fi
	rc=$?
	set -e
	[ "$rc" = 2 ] && grep -q "another custos is writing under $work/claimed" "$work/second.err" ||
		fail "a second $how to a claimed base: exit $rc: $(cat "$work/second.err")"
done
kill -CONT "$pid"
reap "$pid" 60 "the first acquisition" || fail "the first acquisition failed: $(cat "$work/first.err")"
"$CUSTOS" verify "$work/claimed.E01" >/dev/null || fail "the claimed base's evidence does not verify"
[ ! -e "$work/claimed.claim" ] || fail "the claim was left behind"
pass

echo "untrue_acquire: $checks checks passed"
