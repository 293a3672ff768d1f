#!/bin/bash
# hostile.sh - evidence that survives hostile files and honest mistakes.
#
# Links: a symbolic link placed at any path custos writes (segments and
# their .partial names, the custody log, the resume file, the mapfile,
# reports, signatures, exports, raw images, and the temporary names older
# versions used) must leave the file it points to byte-identical.
# FIFOs: verify, info, export, custody and report given a FIFO (as the
# evidence, as a segment, as the custody log), and acquire given one as its
# source, its resume file or its ddrescue map, return with exit 2 at once,
# never waiting for a writer (killed after 30 s: a bound for a hang, not a
# measure of speed).  Export of a set whose first segment was cut exits 1
# and writes nothing; export onto the set's own segment or custody log is
# refused even with --replace.  Text XML cannot hold is refused at the
# command line with nothing written; a raw acquisition refuses an existing
# custody log before it writes its image.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in python3 sha256sum timeout mkfifo; do need "$t"; done

"$MKMEDIUM" 3MiB 201 >"$work/src.img"
"$CUSTOS" acquire "$work/src.img" -o "$work/ev" --segment-size 1MiB -q
echo "another case's evidence, not to be touched" >"$work/victim"
victim_sum=$(sha256_of "$work/victim")

# intact: the victim file is byte-identical
intact() {
	[ "$(sha256_of "$work/victim")" = "$victim_sum" ] || fail "$1: the file behind a link was written"
}

# refused WHAT CMD...: the command exits 2 with one line on stderr
refused() {
	local what=$1 rc
	shift
	set +e
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" != 124 ] || fail "$what: still waiting after 30 s (killed by timeout)"
	[ "$rc" = 2 ] || fail "$what: exit $rc (expected 2): $(cat "$work/err")"
	[ "$(wc -l <"$work/err")" = 1 ] || fail "$what: not one line: $(cat "$work/err")"
}

# ---- links at every path custos writes ----
d="$work/links"
mkdir "$d"
for name in t.E01 t.E01.partial t.custody.xml t.resume t.raw t.raw.partial t.001 map; do
	ln -sf "$work/victim" "$d/$name"
	case $name in
	map) refused "mapfile link" "$CUSTOS" acquire "$work/src.img" -o "$d/m" --mapfile "$d/map" -q ;;
	t.raw* | t.001) refused "link at $name" "$CUSTOS" acquire "$work/src.img" -o "$d/t" --format raw -q ;;
	*) refused "link at $name" "$CUSTOS" acquire "$work/src.img" -o "$d/t" -q ;;
	esac
	intact "acquire with a link at $name"
	[ -z "$(find "$d" -type f)" ] || fail "link at $name: something was written: $(find "$d" -type f)"
	rm -f "$d/$name"
done
pass

# the temporary names older versions used are not followed either
ln -s "$work/victim" "$d/u.custody.xml.tmp"
ln -s "$work/victim" "$d/u.resume.tmp"
ln -s "$work/victim" "$d/u.map.tmp"
"$CUSTOS" acquire "$work/src.img" -o "$d/u" --mapfile "$d/u.map" --x-checkpoint 512KiB \
	--x-interrupt-at 2MiB -q 2>/dev/null && fail "the interrupted run did not stop"
intact "a link at the old temporary names"
[ -f "$d/u.resume" ] && [ ! -L "$d/u.resume" ] || fail "no resume file beside the links"
"$CUSTOS" acquire "$work/src.img" -o "$d/u" --resume -q
intact "a resumed run beside links"
[ -z "$(find "$d" -name '*.tmp' -type f)" ] || fail "a temporary file was left: $(find "$d" -name '*.tmp' -type f)"
cp "$d/u.custody.xml" "$work/u.log"
rm "$d/u.custody.xml"
ln -s "$work/victim" "$d/u.custody.xml"
refused "custody add through a link" "$CUSTOS" custody add "$d/u.E01" --action moved --by me
intact "custody add through a link"
"$CUSTOS" verify "$d/u.E01" >/dev/null 2>"$work/err" || fail "verify beside a linked log"
intact "verify beside a linked log"
rm "$d/u.custody.xml"
cp "$work/u.log" "$d/u.custody.xml"
pass

# reports, signatures, HTML and DFXML: a link at any of them is refused
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/k.pem" -out "$work/c.pem" -days 30 \
	-subj "/CN=hostile test" 2>/dev/null
for name in r.xml r.xml.p7s r.html r.dfxml; do
	ln -s "$work/victim" "$d/$name"
	refused "report with a link at $name" "$CUSTOS" report "$d/u.E01" -o "$d/r.xml" \
		--html "$d/r.html" --dfxml "$d/r.dfxml" --sign-key "$work/k.pem" --sign-cert "$work/c.pem"
	intact "report with a link at $name"
	rm -f "$d/$name" "$d/r.xml" "$d/r.xml.p7s" "$d/r.html" "$d/r.dfxml"
done
pass

# export: a link at the target or at its .partial name
ln -s "$work/victim" "$d/x.raw"
refused "export onto a link" "$CUSTOS" export "$d/u.E01" -o "$d/x.raw"
refused "export --replace onto a link" "$CUSTOS" export "$d/u.E01" -o "$d/x.raw" --replace
intact "export onto a link"
rm "$d/x.raw"
ln -s "$work/victim" "$d/x.raw.partial"
"$CUSTOS" export "$d/u.E01" -o "$d/x.raw" >/dev/null
intact "export with a link at FILE.partial"
cmp -s "$d/x.raw" "$work/src.img" || fail "export beside a link: content"
pass

# ---- FIFOs: exit 2 at once, never a wait ----
f="$work/fifos"
mkdir "$f"
mkfifo "$f/p.E01" "$f/q.custody.xml" "$f/map" "$f/r.resume"
cp "$work/ev.E01" "$f/q.E01"
cp "$work/ev.E01" "$f/s.E01"
mkfifo "$f/s.E02"
quick() { # quick WHAT CMD...: exit 2, not a wait on the FIFO (timeout ends one: exit 124)
	local what=$1
	shift
	refused "$what" timeout 30 "$@"
}
quick "verify of a FIFO" "$CUSTOS" verify "$f/p.E01"
quick "info of a FIFO" "$CUSTOS" info "$f/p.E01"
quick "export of a FIFO" "$CUSTOS" export "$f/p.E01" -o "$f/out.raw"
quick "custody verify of a FIFO" "$CUSTOS" custody verify "$f/p.E01"
quick "report of a FIFO" "$CUSTOS" report "$f/p.E01"
quick "a FIFO second segment" "$CUSTOS" verify "$f/s.E01"
quick "a FIFO custody log (show)" "$CUSTOS" custody show "$f/q.E01"
quick "a FIFO custody log (add)" "$CUSTOS" custody add "$f/q.E01" --action a --by b
quick "a FIFO custody log (report)" "$CUSTOS" report "$f/q.E01"
quick "a FIFO source" "$CUSTOS" acquire "$f/p.E01" -o "$f/new" -q
quick "a FIFO resume file" "$CUSTOS" acquire "$work/src.img" -o "$f/r" --resume -q
quick "a FIFO ddrescue map" "$CUSTOS" acquire "$work/src.img" -o "$f/d" --ddrescue-map "$f/map" -q
grep -q "FIFO" "$work/err" || fail "the message does not say FIFO: $(cat "$work/err")"
pass

# ---- export: a cut first segment; the set's own files as the target ----
e="$work/export"
mkdir "$e"
cp "$work/ev.E0"* "$e/"
chmod u+w "$e"/*
truncate -s 2000 "$e/ev.E01"
set +e
"$CUSTOS" export "$e/ev.E01" -o "$e/out.raw" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && [ "$(wc -l <"$work/err")" = 1 ] || fail "export of a cut set: exit $rc: $(cat "$work/err")"
[ ! -e "$e/out.raw" ] && [ ! -e "$e/out.raw.partial" ] || fail "export of a cut set left a file"
seg=$(sha256_of "$work/ev.E02")
refused "export onto its own segment" "$CUSTOS" export "$work/ev.E01" -o "$work/ev.E02" --replace
[ "$(sha256_of "$work/ev.E02")" = "$seg" ] || fail "export destroyed its own segment"
log=$(sha256_of "$work/ev.custody.xml")
refused "export onto its custody log" "$CUSTOS" export "$work/ev.E01" -o "$work/ev.custody.xml" --replace
[ "$(sha256_of "$work/ev.custody.xml")" = "$log" ] || fail "export overwrote the custody log"
pass

# ---- text XML cannot hold, refused before anything is written ----
x="$work/text"
mkdir "$x"
for opt in --notes --examiner --case-number --description; do
	refused "U+FFFE in $opt" "$CUSTOS" acquire "$work/src.img" -o "$x/t" "$opt" "bag $(printf '\xef\xbf\xbe')"
	refused "U+FFFF in $opt" "$CUSTOS" acquire "$work/src.img" -o "$x/t" "$opt" "bag $(printf '\xef\xbf\xbf')"
	refused "a control character in $opt" "$CUSTOS" acquire "$work/src.img" -o "$x/t" "$opt" "$(printf 'a\x01b')"
done
[ -z "$(ls -A "$x")" ] || fail "refused text left files: $(ls -A "$x")"
log=$(sha256_of "$work/ev.custody.xml")
for opt in --by --to --location --note --action; do
	args=(--action moved --by me)
	args+=("$opt" "x $(printf '\xef\xbf\xbf')")
	refused "U+FFFF in custody add $opt" "$CUSTOS" custody add "$work/ev.E01" "${args[@]}"
done
refused "U+FFFE in verify --by" "$CUSTOS" verify --by "$(printf '\xef\xbf\xbe')" "$work/ev.E01"
[ "$(sha256_of "$work/ev.custody.xml")" = "$log" ] || fail "refused text changed the custody log"
"$CUSTOS" custody verify "$work/ev.E01" >/dev/null || fail "the log does not verify after refusals"
pass

# ---- a raw acquisition refuses an existing custody log before writing ----
r="$work/raw"
mkdir "$r"
echo "<custody/>" >"$r/t.custody.xml"
refused "raw onto an existing custody log" "$CUSTOS" acquire "$work/src.img" -o "$r/t" --format raw -q
[ "$(ls -A "$r")" = t.custody.xml ] || fail "raw refusal left files: $(ls -A "$r")"
touch "$r/u.007"
refused "raw onto an existing later member" "$CUSTOS" acquire "$work/src.img" -o "$r/u" --format raw \
	--segment-size 1MiB -q
[ ! -e "$r/u.001" ] && [ ! -e "$r/u.001.partial" ] || fail "raw refusal wrote u.001"
pass

# ---- one line per failure: libxml2 and OpenSSL say nothing of their own ----
cp "$work/ev.custody.xml" "$work/log.keep"
chmod u+w "$work/ev.custody.xml"
printf '<custody xmlns="urn:custos:custody:1"><event seq="1"' >"$work/ev.custody.xml"
set +e
"$CUSTOS" custody verify "$work/ev.E01" >/dev/null 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && [ "$(wc -l <"$work/err")" = 1 ] || fail "a malformed log: exit $rc, $(cat "$work/err")"
cp "$work/log.keep" "$work/ev.custody.xml"
echo "not a key" >"$work/bad.pem"
refused "a key that is not PEM" "$CUSTOS" report "$work/ev.E01" -o "$work/s.xml" \
	--sign-key "$work/bad.pem" --sign-cert "$work/c.pem"
[ ! -e "$work/s.xml" ] || fail "a failed signing left a report"
pass

# ---- damaged evidence gets a verdict (exit 1, damaged), in every build ----
"$CUSTOS" acquire "$work/src.img" -o "$work/plain" --compression none -q
chmod u+w "$work/plain.E01" # custos left it read-only
python3 - "$work/src.img" "$work/plain.E01" <<'PY' || fail "cannot find a chunk to damage"
import sys
src = open(sys.argv[1], "rb").read()
data = bytearray(open(sys.argv[2], "rb").read())
at = data.find(src[300 * 512: 300 * 512 + 64])   # sector 300, chunk 256..319
assert at >= 0
data[at + 3] ^= 0x40
open(sys.argv[2], "wb").write(data)
PY
set +e
"$CUSTOS" verify --json "$work/plain.E01" >"$work/v.json" 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] || fail "damaged evidence: exit $rc: $(cat "$work/err")"
[ "$(json "$work/v.json" 'd["result"]')" = damaged ] || fail "damaged evidence: no verdict"
[ "$(json "$work/v.json" 'd["damaged_sectors"]')" = "[[256, 64]]" ] || fail "damaged: $(json "$work/v.json" 'd["damaged_sectors"]')"
pass

echo "hostile: $checks checks passed"
