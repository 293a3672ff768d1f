#!/bin/bash
# untrue_signals.sh - every command ends on SIGINT, SIGTERM and SIGHUP
# through its own path: partial output removed, one line, exit 1; never a
# death by the signal's default action, never a partial file left behind.
#
#   - export: stopped mid-copy (custos is stopped with SIGSTOP once
#     FILE.partial appears, signalled, and let go on), FILE.partial is gone.
#   - a command that has done its work when the signal comes (report,
#     custody show, info) says so, exit 1, and what it wrote is whole.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ps md5sum python3 xmllint; do need "$t"; done

"$MKMEDIUM" 512MiB 61 >"$work/m.img"
"$CUSTOS" acquire "$work/m.img" -o "$work/ev" --compression none -q

state() { ps -o stat= -p "$1" 2>/dev/null | cut -c1; }

# ---- export, stopped mid-copy
for sig in INT TERM HUP; do
	"$CUSTOS" export "$work/ev.E01" -o "$work/out-$sig.raw" 2>"$work/export-$sig.err" &
	pid=$!
	started() { [ -s "$work/out-$sig.raw.partial" ] || ! kill -0 "$pid" 2>/dev/null; }
	wait_until 60 started || fail "export never began"
	kill -STOP "$pid" 2>/dev/null || true
	kill -0 "$pid" 2>/dev/null || { echo "note: export finished before SIG$sig; the machine is fast" >&2; continue; }
	kill -"$sig" "$pid"
	kill -CONT "$pid"
	set +e
	reap "$pid" 60 "export after SIG$sig"
	rc=$?
	set -e
	[ "$rc" = 1 ] || fail "export, SIG$sig: exit $rc, not 1: $(cat "$work/export-$sig.err")"
	[ "$(wc -l <"$work/export-$sig.err")" = 1 ] && grep -q "interrupted by SIG$sig" "$work/export-$sig.err" ||
		fail "export, SIG$sig: $(cat "$work/export-$sig.err")"
	ls "$work/out-$sig".raw* >/dev/null 2>&1 && fail "export, SIG$sig: left $(ls "$work/out-$sig".raw*)"
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
