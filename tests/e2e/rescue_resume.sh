#!/bin/bash
# rescue_resume.sh - an interrupted `acquire --rescue` never fabricates
# evidence when it is resumed: it completes exactly, or refuses (exit 2)
# and writes nothing.
#
# GNU ddrescue is slowed by a wrapper on PATH (its -Z, a read rate), as a
# failing drive is slow, so that custos can be killed (SIGKILL) mid-rescue
# on a plain file, with no FUSE and no root.  Then:
#   - resumed from another working directory (-o /abs/BASE --resume): the
#     rescue's map and spool are the ones beside BASE, whose absolute paths
#     BASE.resume holds, and the E01 is the source's; nothing is written in
#     the other directory; the first line names the files it goes on with;
#   - the spool deleted: refused, naming it, the map unchanged, no E01;
#   - the spool replaced by zeros of the same size: refused;
#   - another rescue's map put in its place: completes exactly or refuses;
#   - a resume file that names its map by a relative path (as an older
#     custos wrote it): refused.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ddrescue md5sum; do need "$t"; done

real=$(command -v ddrescue)
mkdir -p "$work/bin" "$work/a" "$work/elsewhere"
cat >"$work/bin/ddrescue" <<EOF
#!/bin/bash
# a slow drive: 2 MiB/s (the version is asked without it)
case " \$* " in *" --version "*) exec "$real" "\$@" ;; esac
exec "$real" -Z 2Mi "\$@"
EOF
chmod +x "$work/bin/ddrescue"
export PATH="$work/bin:$PATH"

"$MKMEDIUM" 24MiB 41 >"$work/src.img"
"$MKMEDIUM" 24MiB 42 >"$work/other.img"
src_md5=$(md5_of "$work/src.img")

# interrupt NAME SRC: a rescue started in $work/a with a relative -o, killed
# once ddrescue has rescued something and saved its map
interrupt() {
	local name=$1 src=$2 pid
	(cd "$work/a" && exec "$CUSTOS" acquire "$src" -o "$name" --rescue --retries 0 -q) 2>/dev/null &
	pid=$!
	rescued() { grep -q '^0x[0-9A-Fa-f]* *0x[0-9A-Fa-f]* *+' "$work/a/$name.rescue.map" 2>/dev/null; }
	wait_until 120 rescued || fail "$name: ddrescue rescued nothing in 120 s"
	sleep 0.5
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
	ddrescue_gone() { ! pgrep -f "ddrescue.*$work/a/$name" >/dev/null; }
	wait_until 30 ddrescue_gone || fail "$name: ddrescue runs on after custos was killed"
	[ -f "$work/a/$name.resume" ] || fail "$name: no resume file"
	grep -q "^0x[0-9A-Fa-f]* *0x[0-9A-Fa-f]* *[?*/-]" "$work/a/$name.rescue.map" ||
		fail "$name: the rescue finished before it was killed (too fast a ddrescue?)"
}

# resume NAME [SRC]: --resume from $work/elsewhere with the absolute base; sets rc
resume() {
	set +e
	(cd "$work/elsewhere" && "$CUSTOS" acquire "${2:-$work/src.img}" -o "$work/a/$1" --resume \
		>"$work/$1.out" 2>"$work/$1.err")
	rc=$?
	set -e
}

# refused NAME WHY: exit 2, one line naming WHY, no E01, the map as it was
refused() {
	[ "$rc" = 2 ] || fail "$1: exit $rc, not 2: $(cat "$work/$1.err")"
	[ "$(wc -l <"$work/$1.err")" = 1 ] && grep -q -- "$2" "$work/$1.err" || fail "$1: $(cat "$work/$1.err")"
	ls "$work/a/$1".E01* >/dev/null 2>&1 && fail "$1: a refused resume wrote $(ls "$work/a/$1".E01*)"
	cmp -s "$work/a/$1.rescue.map" "$work/$1.map.before" || fail "$1: a refused resume changed the map"
	true
}

# ---- from another directory: the files beside BASE, absolute in BASE.resume
interrupt moved "$work/src.img"
grep -q "^mapfile $work/a/moved.rescue.map\$" "$work/a/moved.resume" ||
	fail "BASE.resume does not hold the map's absolute path: $(grep mapfile "$work/a/moved.resume")"
resume moved
[ "$rc" = 0 ] || fail "the resume from another directory: exit $rc: $(cat "$work/moved.err")"
head -1 "$work/moved.err" | grep -q "resuming $work/a/moved.resume: the rescue's map $work/a/moved.rescue.map and spool $work/a/moved.rescue.img" ||
	fail "the resume does not name its files first: $(head -1 "$work/moved.err")"
[ -z "$(ls -A "$work/elsewhere")" ] || fail "the resume wrote in the directory it ran in: $(ls -A "$work/elsewhere")"
grep -q "md5 *$src_md5" "$work/moved.out" || fail "the resumed E01 is not the source: $(cat "$work/moved.out")"
"$CUSTOS" verify "$work/a/moved.E01" >/dev/null || fail "the resumed E01 does not verify"
pass

# ---- the spool deleted: the map's rescued areas would be zeros
interrupt gone "$work/src.img"
cp "$work/a/gone.rescue.map" "$work/gone.map.before"
rm "$work/a/gone.rescue.img"
resume gone
refused gone "gone.rescue.img, which is gone"
pass

# ---- the spool replaced by zeros of its size
interrupt zeros "$work/src.img"
cp "$work/a/zeros.rescue.map" "$work/zeros.map.before"
size=$(stat -c %s "$work/a/zeros.rescue.img")
rm "$work/a/zeros.rescue.img"
truncate -s "$size" "$work/a/zeros.rescue.img"
resume zeros
refused zeros "does not hold what the spool"
pass

# ---- another medium of the same size
interrupt medium "$work/src.img"
cp "$work/a/medium.rescue.map" "$work/medium.map.before"
resume medium "$work/other.img"
refused medium "does not hold what the spool"
pass

# ---- another rescue's map in its place: exact, or refused
interrupt own "$work/src.img"
interrupt foreign "$work/other.img"
cp "$work/a/foreign.rescue.map" "$work/a/own.rescue.map"
cp "$work/a/own.rescue.map" "$work/own.map.before"
resume own
if [ "$rc" = 0 ]; then
	grep -q "md5 *$src_md5" "$work/own.out" || fail "a foreign map gave an E01 that is not the source"
	echo "a foreign map: completed exactly (it claimed nothing the spool lacks)"
else
	refused own "does not hold what the spool"
	echo "a foreign map: refused"
fi
pass

# ---- a relative path in the resume file
interrupt relative "$work/src.img"
cp "$work/a/relative.rescue.map" "$work/relative.map.before"
sed -i "s|^mapfile .*|mapfile relative.rescue.map|" "$work/a/relative.resume"
resume relative
refused relative "mapfile.*a relative path"
pass

echo "rescue_resume: $checks checks passed"
