#!/bin/bash
# witnesses.sh - custos's E01 judged by tools that are not custos.
#
# For every compression mode, many segments, an odd-sized source and 4096-byte
# sectors: ewfverify -d sha256 must accept the set (it then checks the stored
# MD5 and SHA-256 against the data), ewfinfo must show every metadata field
# and the MD5 and SHA-256 of the padded source as md5sum/sha256sum compute
# them, ewfexport must give back exactly the padded source, and The Sleuth
# Kit's img_stat must open the image.  Then the refusals: a second acquire
# onto the same BASE, a missing source, leftovers of an interrupted run.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in ewfverify ewfinfo ewfexport img_stat python3 md5sum sha256sum stdbuf; do need "$t"; done

"$MKMEDIUM" 24MiB 7 >"$work/mixed.img"
"$MKMEDIUM" 3000001 8 >"$work/odd.img"
"$MKMEDIUM" 6000011 9 >"$work/odd4k.img"

CASE="C-2026/0417"
EVIDENCE="EV-17 disk 1"
EXAMINER="José Müller"
DESCRIPTION="Seized laptop drive, Straße 5"
NOTES="Bag 42; seal intact (ü, ñ, 漢字)"

# tsk_witness NAME OUT TOOL ARGS...: runs a Sleuth Kit tool on custos's E01,
# its output into OUT.  A tool that fails is custos's fault; one killed by a
# signal may be the witness's own: Debian 13's img_stat, fls and mmls load
# libbfio before libewf, whose own older copy of libbfio's functions then
# clash with it, and crash in libewf while opening or closing any EWF set
# (sometimes before printing anything).  So a crash is run again on a
# reference E01 that ewfacquire made: if the witness crashes there too, the
# defect is the witness's (said), and it is run once more with libewf
# loaded first (LD_PRELOAD), which gives it its own library order back; that
# run must succeed, and its output is judged.  If the reference does not
# crash, custos wrote something wrong.
tsk_witness() {
	local name=$1 out=$2 tool=$3 status=0 ref_status=0 libewf
	shift 3
	# unbuffered: a crash must not take the output the witness already printed with it
	stdbuf -o0 -e0 "$tool" "$@" >"$out" 2>&1 || status=$?
	[ "$status" = 0 ] && return 0
	[ "$status" -gt 128 ] || fail "$name: $tool cannot open it (exit $status): $(head -2 "$out")"
	if [ ! -e "$work/reference.E01" ]; then
		need ewfacquire
		"$MKMEDIUM" 1MiB 3 >"$work/reference.img"
		ewfacquire -u -q -t "$work/reference" -c fast "$work/reference.img" >/dev/null 2>&1 ||
			fail "ewfacquire could not make the reference E01"
	fi
	local args=("${@/#*.E01/$work/reference.E01}")
	stdbuf -o0 -e0 "$tool" "${args[@]}" >"$out.reference" 2>&1 || ref_status=$?
	[ "$ref_status" -gt 128 ] ||
		fail "$name: $tool crashes on custos's E01 (signal $((status - 128))) but not on ewfacquire's: custos wrote something wrong"
	libewf=$(ldconfig -p | sed -n 's/^[[:space:]]*libewf\.so\.2 .*=> //p' | head -1)
	[ -n "$libewf" ] || fail "$name: $tool crashes on every E01, and libewf.so.2 cannot be found to load it first"
	echo "NOTE: $name: the witness $tool crashes (signal $((status - 128))) on ewfacquire's own E01 too: its defect, not custos's; judged again with $libewf loaded first" >&2
	status=0
	LD_PRELOAD=$libewf "$tool" "$@" >"$out" 2>&1 || status=$?
	[ "$status" = 0 ] || fail "$name: $tool fails even with libewf loaded first (exit $status): $(head -2 "$out")"
}

# acquire_and_witness NAME SRC BPS [acquire options...]
acquire_and_witness() {
	local name=$1 src=$2 bps=$3 base="$work/$1"
	shift 3
	"$CUSTOS" acquire "$src" -o "$base" --case-number "$CASE" --evidence-number "$EVIDENCE" \
		--examiner "$EXAMINER" --description "$DESCRIPTION" --notes "$NOTES" \
		--json "$@" >"$base.json" 2>"$base.err" || fail "$name: acquire exited $? ($(cat "$base.err"))"
	[ "$(json "$base.json" 'd["result"]')" = complete ] || fail "$name: result is not complete"
	padded "$src" "$bps" "$base.padded"
	local md5 sha256
	md5=$(md5_of "$base.padded")
	sha256=$(sha256_of "$base.padded")

	# the summary: exact source, media hashes, source hashes
	[ "$(json "$base.json" 'd["source"]["size"]')" = "$(stat -c %s "$src")" ] || fail "$name: source.size"
	[ "$(json "$base.json" 'd["hashes"]["md5"]')" = "$md5" ] || fail "$name: summary md5"
	[ "$(json "$base.json" 'd["hashes"]["sha256"]')" = "$sha256" ] || fail "$name: summary sha256"
	[ "$(json "$base.json" 'd["source_hashes"]["md5"]')" = "$(md5_of "$src")" ] || fail "$name: source md5"
	[ "$(json "$base.json" 'd["source_hashes"]["sha256"]')" = "$(sha256_of "$src")" ] || fail "$name: source sha256"
	pass

	# ewfverify recomputes and compares the stored MD5 and SHA-256
	ewfverify -q -d sha256 "$base.E01" >"$base.verify" 2>&1 || fail "$name: ewfverify rejected it: $(tail -3 "$base.verify")"
	grep -q "ewfverify: SUCCESS" "$base.verify" || fail "$name: ewfverify did not succeed"
	grep -Eq "^MD5 hash stored in file:[[:space:]]+$md5\$" "$base.verify" || fail "$name: ewfverify stored MD5"
	grep -Eq "^SHA256 hash stored in file:[[:space:]]+$sha256\$" "$base.verify" || fail "$name: ewfverify stored SHA-256"
	grep -Eq "^SHA256 hash calculated over data:[[:space:]]+$sha256\$" "$base.verify" || fail "$name: ewfverify computed SHA-256"
	pass

	# ewfinfo shows every field as typed, and the digests; the software as custos names itself
	ewfinfo "$base.E01" >"$base.info" 2>&1 || fail "$name: ewfinfo failed"
	local field version
	version=$("$CUSTOS" --version | sed -n '1s/^custos //p')
	for field in "Case number:	*$CASE" "Evidence number:	*$EVIDENCE" "Examiner name:	*$EXAMINER" \
		"Description:	*$DESCRIPTION" "Notes:	*$NOTES" "Bytes per sector:	*$bps" \
		"MD5:	*$md5" "SHA256:	*$sha256" "Software version used:	*custos $version\$" \
		"Operating system used:	*Linux" "Acquisition date:	*[A-Z][a-z][a-z] " "System date:	*[A-Z]"; do
		grep -q -- "$field" "$base.info" || fail "$name: ewfinfo lacks '$field'"
	done
	pass

	# ewfexport gives back exactly the padded source
	ewfexport -q -u -f raw -t "$base.export" "$base.E01" >/dev/null 2>&1 || fail "$name: ewfexport failed"
	cmp -s "$base.export.raw" "$base.padded" || fail "$name: ewfexport differs from the padded source"
	rm -f "$base.export.raw"
	pass

	# The Sleuth Kit opens it and sees the media size
	tsk_witness "$name" "$base.stat" img_stat -i ewf "$base.E01"
	grep -q "Size of data in bytes:	$(stat -c %s "$base.padded")" "$base.stat" || fail "$name: img_stat size"
	pass
}

for mode in none empty fast best; do
	acquire_and_witness "mode-$mode" "$work/mixed.img" 512 --compression "$mode" --hash md5,sha1,sha256
done
acquire_and_witness many-fast "$work/mixed.img" 512 --segment-size 2MiB
acquire_and_witness many-none "$work/mixed.img" 512 --compression none --segment-size 1MiB
acquire_and_witness odd "$work/odd.img" 512
acquire_and_witness sector4k "$work/mixed.img" 4096 --sector-size 4096 --segment-size 3MiB
acquire_and_witness odd4k "$work/odd4k.img" 4096 --sector-size 4096 --compression best

# several segments really were written, each within --segment-size
n=$(ls "$work"/many-none.E?? | wc -l)
[ "$n" -ge 20 ] || fail "many-none: expected at least 20 segments, found $n"
for f in "$work"/many-none.E?? "$work"/many-fast.E??; do
	[ "$(stat -c %s "$f")" -le $((2 * 1024 * 1024)) ] || fail "$f exceeds its segment size"
done
for f in "$work"/many-none.E??; do
	[ "$(stat -c %s "$f")" -le $((1024 * 1024)) ] || fail "$f exceeds 1 MiB"
done
pass

# odd sizes: the padding is recorded, ewfacquire's trap avoided
[ "$(json "$work/odd.json" 'd["media"]["padding_bytes"]')" = $((512 - 3000001 % 512)) ] || fail "odd: padding_bytes"
[ "$(json "$work/odd.json" 'd["media"]["size"]')" = $(((3000001 + 511) / 512 * 512)) ] || fail "odd: media size"
pass

# compression: fast clearly smaller than none, best not larger than fast
size_of_set() { cat "$work/$1".E?? | wc -c; }
none=$(size_of_set mode-none)
empty=$(size_of_set mode-empty)
fast=$(size_of_set mode-fast)
best=$(size_of_set mode-best)
echo "sizes: none=$none empty=$empty fast=$fast best=$best"
[ "$fast" -lt $((none * 80 / 100)) ] || fail "fast ($fast) is not clearly smaller than none ($none)"
[ "$best" -le "$fast" ] || fail "best ($best) is larger than fast ($fast)"
[ "$empty" -lt "$none" ] && [ "$empty" -gt "$fast" ] || fail "empty ($empty) is not between fast and none"
pass

# a second acquire onto the same BASE is refused and changes nothing
before=$(cd "$work" && ls -l --time-style=full-iso mode-fast.E01 && sha256sum mode-fast.E01)
set +e
"$CUSTOS" acquire "$work/odd.img" -o "$work/mode-fast" >"$work/again.out" 2>"$work/again.err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "second acquire exited $rc, not 2"
[ "$(wc -l <"$work/again.err")" = 1 ] || fail "second acquire: not one line: $(cat "$work/again.err")"
grep -q "already exists" "$work/again.err" || fail "second acquire: unclear message: $(cat "$work/again.err")"
[ "$before" = "$(cd "$work" && ls -l --time-style=full-iso mode-fast.E01 && sha256sum mode-fast.E01)" ] || fail "second acquire changed the evidence"
[ -z "$(ls "$work"/mode-fast.* | grep partial)" ] || fail "second acquire left a partial file"
pass

# a missing source: one clear line, exit 2, no files at all
mkdir "$work/empty"
set +e
"$CUSTOS" acquire "$work/no-such-disk.img" -o "$work/empty/x" 2>"$work/missing.err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "missing source exited $rc, not 2"
[ "$(wc -l <"$work/missing.err")" = 1 ] || fail "missing source: not one line"
grep -q "no-such-disk.img" "$work/missing.err" || fail "missing source: message does not name it"
[ -z "$(ls -A "$work/empty")" ] || fail "missing source left files: $(ls "$work/empty")"
pass

# leftovers of an interrupted run also block a new acquisition
touch "$work/empty/y.E01.partial"
set +e
"$CUSTOS" acquire "$work/odd.img" -o "$work/empty/y" 2>"$work/partial.err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "y.E01.partial already exists" "$work/partial.err" || fail "partial leftover not refused ($rc)"
pass

# bad options: one line each, exit 2, nothing written
for bad in "--compression zip" "--segment-size 12parsecs" "--hash md4" "--sector-size 1000" \
	"--chunk-sectors 0" "--segment-size 4KiB" "--examiner" "--bogus" "--retries x" \
	"--slow-seconds fast" "--format vhd" "--length 0" "--threads 0" \
	"--ddrescue-map /nonexistent/map"; do
	set +e
	# shellcheck disable=SC2086
	"$CUSTOS" acquire "$work/odd.img" -o "$work/empty/bad" $bad 2>"$work/bad.err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "'$bad' exited $rc, not 2"
	[ "$(wc -l <"$work/bad.err")" = 1 ] || fail "'$bad': not one line: $(cat "$work/bad.err")"
done
set +e
"$CUSTOS" acquire "$work/odd.img" -o "$work/empty/bad" --notes "$(printf 'line 1\nline 2')" 2>"$work/bad.err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "line breaks" "$work/bad.err" || fail "a line break in --notes was not refused ($rc)"
[ -z "$(ls "$work/empty" | grep -v '^y.E01.partial$')" ] || fail "bad options left files"
pass

echo "witnesses: $checks checks passed"
