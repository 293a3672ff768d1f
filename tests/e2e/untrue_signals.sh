#!/bin/bash
# untrue_signals.sh - every command ends on SIGINT, SIGTERM and SIGHUP
# through its own path: partial output removed, one line, exit 1; never a
# death by the signal's default action, never a partial file left behind.
#
#   - export: stopped mid-copy (custos is stopped with SIGSTOP once
#     FILE.partial appears, signalled, and let go on), FILE.partial is gone.
#   - verify: stopped mid-read, it gives no verdict (an interruption is not
#     "damaged") and appends nothing to the custody log.
#   - a command that has done its work when the signal comes (report,
#     custody show, info) says so, exit 1, and what it wrote is whole.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ps md5sum python3 xmllint; do need "$t"; done

"$MKMEDIUM" 512MiB 61 >"$work/m.img"
"$CUSTOS" acquire "$work/m.img" -o "$work/ev" --compression none -q

state() { ps -o stat= -p "$1" 2>/dev/null | cut -c1; }

# midway NAME SIG READY: the background custos $pid, once READY holds, is
# stopped, sent SIG and let go on; sets rc to its exit status, or returns 1
# when it finished before it could be stopped (a fast machine: noted)
midway() {
	local name=$1 sig=$2 ready=$3
	wait_until 60 "$ready" || fail "$name never began"
	kill -STOP "$pid" 2>/dev/null || true
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "note: $name finished before SIG$sig; the machine is fast" >&2
		return 1
	fi
	kill -"$sig" "$pid"
	kill -CONT "$pid"
	set +e
	reap "$pid" 60 "$name after SIG$sig"
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "$name, SIG$sig: exit $rc, not 1: $(cat "$work/$name-$sig.err")"
	[ "$(wc -l <"$work/$name-$sig.err")" = 1 ] && grep -q "interrupted by SIG$sig" "$work/$name-$sig.err" ||
		fail "$name, SIG$sig: $(cat "$work/$name-$sig.err")"
}

# ---- export, stopped mid-copy: no partial file
for sig in INT TERM HUP; do
	"$CUSTOS" export "$work/ev.E01" -o "$work/out-$sig.raw" 2>"$work/export-$sig.err" &
	pid=$!
	started() { [ -s "$work/out-$sig.raw.partial" ] || ! kill -0 "$pid" 2>/dev/null; }
	midway export "$sig" started || continue
	ls "$work/out-$sig".raw* >/dev/null 2>&1 && fail "export, SIG$sig: left $(ls "$work/out-$sig".raw*)"
done
pass

# ---- verify, stopped mid-read: no verdict, nothing appended to the custody log
for sig in INT TERM HUP; do
	events=$(grep -c "<event" "$work/ev.custody.xml")
	"$CUSTOS" verify "$work/ev.E01" >"$work/verify-$sig.out" 2>"$work/verify-$sig.err" &
	pid=$!
	reading() { ls -l "/proc/$pid/fd" 2>/dev/null | grep -q "ev.E01" || ! kill -0 "$pid" 2>/dev/null; }
	midway verify "$sig" reading || continue
	grep -q "damaged\|MISMATCH\|mismatch" "$work/verify-$sig.out" &&
		fail "verify, SIG$sig: an interruption reported as a verdict: $(cat "$work/verify-$sig.out")"
	[ "$(grep -c "<event" "$work/ev.custody.xml")" = "$events" ] || fail "verify, SIG$sig: an event was appended"
done
pass

# ---- a signal that comes when the work is done: said, exit 1, the output whole
for cmd in "report $work/ev.E01 -o $work/r.xml" "custody show $work/ev.E01" "info $work/ev.E01"; do
	set +e
	# blocked and pending across exec, as when it comes in the first instant
	python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
os.kill(os.getpid(), signal.SIGTERM)
os.execv(sys.argv[1], sys.argv[1:])' "$CUSTOS" $cmd >"$work/out" 2>"$work/err"
	rc=$?
	set -e
	# the signal was pending before custos started: it blocks it, does its work, then says so
	[ "$rc" = 1 ] || fail "custos $cmd with SIGTERM pending: exit $rc: $(cat "$work/err")"
	[ "$(wc -l <"$work/err")" = 1 ] && grep -q "interrupted by SIGTERM after its work was done" "$work/err" ||
		fail "custos $cmd: $(cat "$work/err")"
done
xmllint --noout "$work/r.xml" || fail "the report written before the signal was acted on is not whole"
pass

echo "untrue_signals: $checks checks passed"
