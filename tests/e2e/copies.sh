#!/bin/bash
# copies.sh - one read of the source, several copies (-o given more than once).
#
# Two E01 copies: their segment files are byte-identical, ewfverify -d sha256
# accepts each, and each custody log names the other with its segments'
# SHA-256, as sha256sum computes them, and so does the report (xmllint holds it
# to its schema).  An E01 and a raw image together; the
# refusals (the same -o twice, a --format before the first of several -o,
# two --format for one -o, evidence in the way of one copy: nothing is
# written to any).  Killed with SIGKILL midway, --resume with the same
# command line completes both: byte-identical to each other and, under one
# frozen clock and set identifier, to an uninterrupted run; their media
# equal the source (ewfexport | cmp).  A copy changed while stopped is
# refused on resume.  As root:
# an E01 and a clone onto a loop device (the drive reads back equal to the
# source); a copy whose file system cannot hold what it certainly needs is
# refused up front; one on a small file system that fills up: the other
# completes, the exit status is 4 and the summary and JSON name the failed
# copy; with --require-all the exit status is 1.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ewfverify ewfexport python3 sha256sum cmp xmllint; do need "$t"; done

mounts=()
cleanup_copies() {
	set +e
	for m in "${mounts[@]}"; do umount "$m"; done
	losetup -a 2>/dev/null | grep -F "$work/" | cut -d: -f1 | while read -r l; do losetup -d "$l"; done
	chmod -R u+w "$work"
	rm -rf "$work"
}
trap cleanup_copies EXIT

src="$work/medium.img"
"$MKMEDIUM" 48MiB 71 >"$src"
sha256=$(sha256_of "$src")
mkdir -p "$work/a" "$work/b"

# same_segments A B: both sets have the same segment names, byte for byte equal
same_segments() {
	local a=$1 b=$2 n=0 f
	for f in "$a".E??; do
		cmp -s "$f" "$b.${f##*.}" || fail "$f and $b.${f##*.} differ"
		n=$((n + 1))
	done
	[ "$n" -ge 2 ] || fail "$a: expected several segments, found $n"
	[ "$(ls "$b".E?? | wc -l)" = "$n" ] || fail "$b has other segments than $a"
}

# names_copy LOG OTHER: LOG's record names OTHER with each segment's true SHA-256
names_copy() {
	python3 - "$1" "$2" <<'PY' || fail "$1 does not name $2 with its segments"
import hashlib, sys, xml.etree.ElementTree as ET
log, other = sys.argv[1], sys.argv[2]
ns = {"c": "urn:custos:custody:1"}
root = ET.parse(log).getroot()
copies = [c for c in root.iter("{urn:custos:custody:1}copy") if c.get("path") == other]
assert len(copies) == 1 and copies[0].get("result") == "complete", "no copy element"
segs = list(copies[0].iter("{urn:custos:custody:1}segment"))
assert segs, "no segments"
for s in segs:
    with open(s.get("name"), "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == s.get("sha256"), s.get("name")
PY
}

# two E01 copies in one acquisition
"$CUSTOS" acquire "$src" -o "$work/a/x" -o "$work/b/x" --segment-size 12MiB --verify \
	--json >"$work/two.json" 2>"$work/two.err" || fail "two copies: exit $?: $(cat "$work/two.err")"
same_segments "$work/a/x" "$work/b/x"
pass
for c in a b; do
	ewfverify -q -d sha256 "$work/$c/x.E01" >"$work/$c.verify" 2>&1 || fail "ewfverify rejected copy $c"
	grep -Eq "^SHA256 hash stored in file:[[:space:]]+$sha256\$" "$work/$c.verify" || fail "copy $c: stored SHA-256"
done
names_copy "$work/a/x.custody.xml" "$work/b/x"
names_copy "$work/b/x.custody.xml" "$work/a/x"
[ "$(json "$work/two.json" 'len(d["copies"])')" = 2 ] || fail "JSON: copies"
[ "$(json "$work/two.json" 'all(c["complete"] and c["verification"] == "match" for c in d["copies"])')" = True ] ||
	fail "JSON: each copy complete and read back"
"$CUSTOS" custody verify "$work/b/x.E01" >/dev/null || fail "the second copy's log is not bound to it"
pass
# the report of one copy names the other with its files, and its schema accepts it
"$CUSTOS" report "$work/a/x.E01" -o "$work/a.report.xml" || fail "report of the first copy: exit $?"
xmllint --noout --schema "$(dirname "$0")/../../report/custos-report.xsd" "$work/a.report.xml" 2>/dev/null ||
	fail "the report with its copies does not validate"
[ "$(python3 - "$work/a.report.xml" "$work/b/x" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = "{urn:custos:report:1}"
c = [e for e in ET.parse(sys.argv[1]).getroot().iter(ns + "copy") if e.get("path") == sys.argv[2]]
print(len(c) == 1 and c[0].get("result") == "complete" and len(list(c[0].iter(ns + "segment"))) >= 2)
PY
)" = True ] || fail "the report does not name the other copy with its segments"
pass

# E01 and raw together: the raw image holds exactly the source
"$CUSTOS" acquire "$src" -o "$work/a/m" --format raw -o "$work/b/m" -q || fail "raw + E01: exit $?"
cmp -s "$work/a/m.raw" "$src" || fail "the raw copy is not the source"
ewfverify -q -d sha256 "$work/b/m.E01" >/dev/null 2>&1 || fail "the E01 beside a raw copy"
"$CUSTOS" verify "$work/b/m.E01" >/dev/null || fail "custos verify of the E01 beside a raw copy"
pass

# refusals: one clear line, exit 2, and nothing written to any copy
refused() {
	local what=$1 rc
	shift
	set +e
	"$CUSTOS" acquire "$src" "$@" -q 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "$what: exit $rc: $(cat "$work/err")"
	[ "$(wc -l <"$work/err")" = 1 ] || fail "$what: not one line: $(cat "$work/err")"
	[ -z "$(ls "$work/c" 2>/dev/null)" ] || fail "$what: files were written: $(ls "$work/c")"
}
mkdir -p "$work/c"
refused "the same -o twice" -o "$work/c/y" -o "$work/c/y"
refused "--format before the first of several -o" --format raw -o "$work/c/y" -o "$work/c/z"
refused "two --format for one -o" -o "$work/c/y" --format raw --format e01 -o "$work/c/z"
refused "evidence in the way of the second copy" -o "$work/c/y" -o "$work/a/x"
refused "a copy on nothing" -o "$work/c/y" -o "$work/missing/dir/x"
pass

# SIGKILL midway, then --resume with the same command line.  Under one
# frozen clock and one set identifier (--x-guid), an uninterrupted run of the
# same command is the reference: each resumed copy must equal it byte for byte.
# (the library itself, through env, which execs: so that $! is custos')
fakelib=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -1)
[ -n "$fakelib" ] || fail "libfaketimeMT.so.1 is not installed (tools/deps installs faketime)"
frozen=(env LD_PRELOAD="$fakelib" FAKETIME="2026-01-01 00:00:00" FAKETIME_DONT_FAKE_MONOTONIC=1)
resume_done() { sed -n 's/^done //p' "$1.resume" 2>/dev/null || echo 0; }
stopped() { grep -q '^State:.*T' "/proc/$1/status" 2>/dev/null || ! kill -0 "$1" 2>/dev/null; }
mkdir -p "$work/k1" "$work/k2" "$work/u"
guid=0123456789abcdef0123456789abcdef
common=(--segment-size 12MiB --x-checkpoint 4MiB --case-number K-1 --x-guid "$guid")
"${frozen[@]}" "$CUSTOS" acquire "$src" -o "$work/u/x" "${common[@]}" -q || fail "the uninterrupted run: exit $?"
args=("$src" -o "$work/k1/x" -o "$work/k2/x" "${common[@]}")
"${frozen[@]}" "$CUSTOS" acquire "${args[@]}" --x-stop-at reading -q 2>"$work/kill.err" &
pid=$!
wait_until 120 stopped "$pid" || fail "the acquisition did not stop midway"
[ "$(resume_done "$work/k2/x")" -gt 0 ] || fail "no checkpoint before the middle"
kill -KILL "$pid"
set +e
reap "$pid" 30 "the killed acquisition"
rc=$?
set -e
[ "$rc" = 137 ] || fail "SIGKILL: the acquisition ended on its own ($rc)"
[ -e "$work/k1/x.resume" ] && [ -e "$work/k2/x.resume" ] || fail "SIGKILL: a copy has no resume file"
grep -q "^copy .*k2/x" "$work/k1/x.resume" || fail "the resume file does not name the second copy"
set +e
"$CUSTOS" acquire "$src" -o "$work/k1/x" --resume -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "give those" "$work/err" || fail "resume without the second copy: exit $rc: $(cat "$work/err")"
"${frozen[@]}" "$CUSTOS" acquire "${args[@]}" --resume --json >"$work/resumed.json" 2>"$work/resume.err" ||
	fail "--resume exited $?: $(cat "$work/resume.err")"
same_segments "$work/k1/x" "$work/k2/x"
same_segments "$work/u/x" "$work/k1/x"
for c in k1 k2; do
	[ ! -e "$work/$c/x.resume" ] || fail "$c: resume file left"
	[ -z "$(ls "$work/$c" | grep partial)" ] || fail "$c: partial files left"
	ewfverify -q -d sha256 "$work/$c/x.E01" >"$work/$c.verify" 2>&1 || fail "ewfverify rejected resumed copy $c"
	grep -Eq "^SHA256 hash stored in file:[[:space:]]+$sha256\$" "$work/$c.verify" || fail "$c: stored SHA-256"
	cmp -s -n "$(stat -c %s "$src")" <(ewfexport -q -u -f raw -t - "$work/$c/x.E01" 2>/dev/null) "$src" ||
		fail "$c: media differ from the source"
done
names_copy "$work/k1/x.custody.xml" "$work/k2/x"
pass

# a resumed copy that changed while stopped is refused
mkdir -p "$work/t1" "$work/t2"
args=("$src" -o "$work/t1/x" -o "$work/t2/x" --x-checkpoint 4MiB --x-interrupt-at 20MiB)
set +e
"$CUSTOS" acquire "${args[@]}" -q 2>/dev/null
set -e
[ -e "$work/t2/x.resume" ] || fail "--x-interrupt-at left no resume file"
printf 'XXXX' | dd of="$work/t2/x.E01.partial" bs=1 seek=5000000 conv=notrunc status=none
set +e
"$CUSTOS" acquire "$src" -o "$work/t1/x" -o "$work/t2/x" --resume -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "no longer the same" "$work/err" || fail "a changed copy resumed: exit $rc: $(cat "$work/err")"
pass

if [ "$(id -u)" != 0 ]; then
	echo "SKIP (part): a clone onto a loop device and a file system that fills up need root" >&2
	echo "copies: $checks checks passed"
	exit 0
fi
for t in losetup mkfs.ext2 mount umount; do need "$t"; done

# an E01 and a clone onto a loop device, from one read
truncate -s 64MiB "$work/drive.img"
dev=$(losetup -f --show "$work/drive.img") || skip "cannot attach a loop device"
"$CUSTOS" acquire "$src" -o "$work/a/e" -o "$dev" --json -q >"$work/clone.json" ||
	fail "E01 + clone: exit $?"
cmp -s -n "$(stat -c %s "$src")" "$dev" "$src" || fail "the clone does not read back equal to the source"
"$CUSTOS" verify "$work/a/e.E01" >/dev/null || fail "the E01 beside the clone does not verify"
[ "$(json "$work/clone.json" '[c["kind"] for c in d["copies"]]')" = "['E01', 'clone']" ] || fail "JSON kinds"
[ "$(json "$work/clone.json" 'd["copies"][1]["verification"]')" = match ] || fail "the clone was not read back"
pass

# a copy whose file system cannot hold what it certainly needs (a raw image, an
# E01 without compression) is refused before anything is read or written
truncate -s 16MiB "$work/small.img"
mkfs.ext2 -q -F "$work/small.img"
mkdir -p "$work/small"
mount -o loop "$work/small.img" "$work/small" || skip "cannot loop-mount a file system"
mounts+=("$work/small")
mkdir -p "$work/big1" "$work/big2" "$work/big3"
for how in "--format raw" "--compression none"; do
	set +e
	# shellcheck disable=SC2086
	"$CUSTOS" acquire "$src" -o "$work/big3/x" -o "$work/small/x" $how -q 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] && grep -q "free" "$work/err" || fail "no room ($how): exit $rc: $(cat "$work/err")"
	[ -z "$(ls "$work/small" "$work/big3" | grep -v 'lost+found\|:$\|^$')" ] ||
		fail "no room ($how): files were written"
done
pass

# one copy on a file system that fills up (compression could not save enough):
# the other completes
set +e
"$CUSTOS" acquire "$src" -o "$work/small/x" -o "$work/big1/x" --json \
	>"$work/full.json" 2>"$work/full.err"
rc=$?
set -e
[ "$rc" = 4 ] || fail "a full copy: exit $rc (want 4): $(cat "$work/full.err")"
grep -q "may need up to" "$work/full.err" || fail "no note that the copy may not fit"
grep -q "FAILED" "$work/full.err" || fail "the summary does not say which copy failed"
[ "$(json "$work/full.json" '[c["complete"] for c in d["copies"]]')" = "[False, True]" ] || fail "JSON: complete flags"
[ -z "$(ls "$work/small" | grep -v lost+found)" ] || fail "the failed copy left files: $(ls "$work/small")"
ewfverify -q -d sha256 "$work/big1/x.E01" >/dev/null 2>&1 || fail "the other copy does not verify"
set +e
"$CUSTOS" acquire "$src" -o "$work/small/y" -o "$work/big2/x" --require-all -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "--require-all with a full copy: exit $rc: $(cat "$work/err")"
grep -q "require-all" "$work/err" || fail "--require-all: $(cat "$work/err")"
pass
echo "copies: $checks checks passed"
