#!/bin/bash
# untrue_text.sh - text from evidence, from a custody log or from a file
# name is recorded whole, shown as data, never as terminal control, and
# times are the ones the evidence stores (issue 19).
#
#  - long values: --notes and --examiner of 2999 characters (8997 bytes of
#    UTF-8), which acquire accepts, are what `info` (text and --json) shows
#    and what `verify --enroll` records, whole; they were dropped
#    ("notes": null) past 4096 bytes.
#  - escapes: header values holding ESC sequences, C1 (U+009B) and U+202E
#    (written by ewfacquire, which does not check them), file names holding
#    them and a line break, and a custody log holding them: `info`,
#    `verify` of one set and of a directory, `custody show` and the lines
#    on stderr print them as visible escapes (\x1b, \u009b, \u202e), never
#    raw, and one line stays one line: a name cannot forge a `match` line.
#    `verify --enroll` records such values escaped and marked, not dropped.
#  - time zones: with TZ=Asia/Kolkata, `info` and `verify --enroll` give
#    header2's acquisition time in UTC with Z, the time it was; a set with
#    no header2 (FTK Imager) gives its stored local time, without a zone,
#    and says so.
#  - entry: bidirectional controls (U+202E, U+2066, U+200F, U+061C) and C1
#    characters (U+0085, U+009B) in acquire's metadata, custody add's
#    --action/--by/--to/--location/--note and verify --by: exit 2, one line
#    naming the option, nothing written.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in python3 sha256sum ewfacquire xmllint; do need "$t"; done
zone=/usr/share/zoneinfo/Asia/Kolkata
[ -f "$zone" ] || fail "$zone is missing (the tzdata package): the time zone checks need it"
forge="python3 $(dirname "$0")/custody_forgery.py"

ESC=$(printf '\033')
CSI=$(printf '\302\233')       # U+009B, the C1 control sequence introducer
NEL=$(printf '\302\205')       # U+0085
RLO=$(printf '\342\200\256')   # U+202E, right-to-left override
LRI=$(printf '\342\201\246')   # U+2066
RLM=$(printf '\342\200\217')   # U+200F
ALM=$(printf '\330\234')       # U+061C
NL=$'\n'

# clean FILE WHAT: FILE is UTF-8 with no control character but line feeds,
# no C1 and no bidirectional control
clean() {
	python3 - "$1" <<'PY' || fail "$2: raw control text in the output: $(cat -v "$1" | head -c 600)"
import sys
data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("not UTF-8 at byte %d" % e.start)
for i, c in enumerate(text):
    o = ord(c)
    if (o < 0x20 and c != "\n") or 0x7f <= o <= 0x9f or o in (0x61c, 0x200e, 0x200f) \
            or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        sys.exit("U+%04X at %d" % (o, i))
PY
}

# has FILE TEXT WHAT: FILE holds TEXT, literally
has() {
	grep -qF -- "$2" "$1" || fail "$3: '$2' not in: $(cat -v "$1" | head -c 600)"
}

# record LOG PATH: the text of an element of the enrollment record (PATH
# relative to it, e.g. case/notes), and its escaped attribute after a tab
record() {
	python3 - "$1" "$2" <<'PY'
import sys
import xml.etree.ElementTree as ET
ns = "{urn:custos:custody:1}"
rec = ET.parse(sys.argv[1]).getroot().find(ns + "event").find(ns + "enrollment")
e = rec.find("/".join(ns + p for p in sys.argv[2].split("/")))
print("" if e is None else (e.text or "") + "\t" + e.get("escaped", ""))
PY
}

# in_window ISO BEFORE AFTER: ISO is "YYYY-MM-DDTHH:MM:SSZ" (or, with
# "local", without Z) and names a second from BEFORE to AFTER (POSIX)
in_window() {
	python3 - "$@" <<'PY'
import calendar, re, sys, time
iso, before, after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
local = len(sys.argv) > 4
form = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d" + ("" if local else "Z")
if not re.fullmatch(form, iso):
    sys.exit("'%s' is not ISO 8601%s" % (iso, " without a zone" if local else " in UTC (Z)"))
t = calendar.timegm(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S"))
if not before <= t <= after:
    sys.exit("'%s' is not the time it was acquired (%d to %d, UTC)" % (iso, before, after))
PY
}

"$MKMEDIUM" 1MiB 19 >"$work/src.img"
start=$(date +%s)

# ---- long values: read whole by info and --enroll ----
long=$(python3 -c 'print("山" * 2999)')
"$CUSTOS" acquire "$work/src.img" -o "$work/long" --notes "$long" --examiner "$long" -q 2>"$work/err" ||
	fail "acquire refused metadata of 2999 characters"
"$CUSTOS" info --json "$work/long.E01" >"$work/long.json" || fail "info --json of long values"
[ "$(json "$work/long.json" 'd["notes"]')" = "$long" ] ||
	fail "info --json: notes of 8997 bytes came out as $(json "$work/long.json" 'str(d["notes"])[:40]')"
[ "$(json "$work/long.json" 'd["examiner"]')" = "$long" ] || fail "info --json: the examiner was not read whole"
"$CUSTOS" info "$work/long.E01" >"$work/long.txt" || fail "info of long values"
has "$work/long.txt" "Notes                  $long" "info: notes of 8997 bytes"
has "$work/long.txt" "Examiner name          $long" "info: an examiner of 8997 bytes"
pass
mkdir "$work/enrol"
cp "$work/long.E01" "$work/enrol/long.E01" # the set without its custody log
"$CUSTOS" verify --enroll --by Archivist "$work/enrol/long.E01" >/dev/null 2>"$work/err" ||
	fail "verify --enroll of long values: $(cat "$work/err")"
[ "$(record "$work/enrol/long.custody.xml" case/notes)" = "$long	" ] ||
	fail "verify --enroll: the notes of 8997 bytes were not recorded whole"
[ "$(record "$work/enrol/long.custody.xml" case/examiner)" = "$long	" ] ||
	fail "verify --enroll: the examiner of 8997 bytes was not recorded whole"
pass

# ---- header values that are terminal control, written by ewfacquire ----
case_number="C${ESC}[2J${ESC}[1;1Hcleared"
examiner="${RLO}htimS .A"
description="d${CSI}31mred"
notes="n${ESC}]0;title${ESC}\\x"
before=$(date +%s)
TZ=Asia/Kolkata ewfacquire -u -q -t "$work/hdr" -C "$case_number" -D "$description" \
	-e "$examiner" -E E1 -N "$notes" -c fast "$work/src.img" >/dev/null 2>&1 || fail "ewfacquire failed"
after=$(date +%s)
"$CUSTOS" info "$work/hdr.E01" >"$work/hdr.txt" 2>"$work/err" || fail "info: $(cat "$work/err")"
clean "$work/hdr.txt" "info"
has "$work/hdr.txt" 'Case number            C\x1b[2J\x1b[1;1Hcleared' "info: a case number with ESC"
has "$work/hdr.txt" 'Examiner name          \u202ehtimS .A' "info: an examiner with U+202E"
has "$work/hdr.txt" 'Description            d\u009b31mred' "info: a description with U+009B"
has "$work/hdr.txt" 'Notes                  n\x1b]0;title\x1b\\x' "info: notes with ESC and a backslash"
"$CUSTOS" info --json "$work/hdr.E01" >"$work/hdr.json"
[ "$(json "$work/hdr.json" 'd["case_number"]')" = "$case_number" ] || fail "info --json: the case number is not as stored"
pass

# ---- the acquisition time: UTC, whatever the reader's zone ----
for set in hdr long; do
	TZ=Asia/Kolkata "$CUSTOS" info --json "$work/$set.E01" >"$work/tz.json"
	for key in acquisition_date acquisition_date_iso8601 system_date; do
		in_window "$(json "$work/tz.json" "d['$key']")" "$start" "$(date +%s)" ||
			fail "info --json ($set) in Asia/Kolkata: $key"
	done
	TZ=Asia/Kolkata "$CUSTOS" info "$work/$set.E01" >"$work/tz.txt"
	has "$work/tz.txt" "Acquisition date       $(json "$work/tz.json" 'd["acquisition_date"]')" "info ($set) in Asia/Kolkata"
done
in_window "$(json "$work/hdr.json" 'd["acquisition_date"]')" "$before" "$after" || fail "info: ewfacquire's time"
mkdir "$work/enrol2"
cp "$work/hdr.E01" "$work/enrol2/hdr.E01"
TZ=Asia/Kolkata "$CUSTOS" verify --enroll --by Archivist "$work/enrol2/hdr.E01" >/dev/null 2>"$work/err" ||
	fail "verify --enroll: $(cat "$work/err")"
acquired=$(record "$work/enrol2/hdr.custody.xml" written_by/acquired)
in_window "${acquired%	}" "$before" "$after" || fail "verify --enroll in Asia/Kolkata: the acquisition time"
# what the log cannot hold as it is, it holds escaped and says so, never drops
[ "$(record "$work/enrol2/hdr.custody.xml" case/case_number)" = 'C\x1b[2J\x1b[1;1Hcleared	backslash' ] ||
	fail "verify --enroll: the case number with ESC: '$(record "$work/enrol2/hdr.custody.xml" case/case_number)'"
[ "$(record "$work/enrol2/hdr.custody.xml" case/examiner)" = "$examiner	backslash" ] ||
	fail "verify --enroll: the examiner with U+202E was not recorded"
# a set without header2 stores local time and no zone: shown so, not shifted
before=$(date +%s)
TZ=UTC ewfacquire -u -q -f ftk -t "$work/ftk" -C c -D d -e e -E n -N n -c fast "$work/src.img" >/dev/null 2>&1 ||
	fail "ewfacquire -f ftk failed"
after=$(date +%s)
TZ=Asia/Kolkata "$CUSTOS" info --json "$work/ftk.E01" >"$work/ftk.json"
in_window "$(json "$work/ftk.json" 'd["acquisition_date"]')" "$before" "$after" local ||
	fail "info of an FTK set in Asia/Kolkata: its stored local time"
TZ=Asia/Kolkata "$CUSTOS" info "$work/ftk.E01" >"$work/ftk.txt"
has "$work/ftk.txt" "records no zone" "info of a set without header2"
pass

# ---- file names: one set, a directory, and the lines on stderr ----
dir="$work/dir"
mkdir "$dir"
"$CUSTOS" acquire "$work/src.img" -o "$work/plain" -q
cp "$work/plain.E01" "$dir/good.E01"
cp "$work/plain.E01" "$dir/ev${ESC}[2J${RLO}${CSI}.E01"
cp "$work/plain.E01" "$dir/x${NL}match         forged.E01"
chmod u+w "$dir/x${NL}match         forged.E01"
truncate -s 100000 "$dir/x${NL}match         forged.E01"
"$CUSTOS" verify "$dir/ev${ESC}[2J${RLO}${CSI}.E01" >"$work/one.txt" 2>"$work/one.err" ||
	fail "verify of a set with an escape in its name: $(cat "$work/one.err")"
clean "$work/one.txt" "verify of one set"
has "$work/one.txt" 'ev\x1b[2J\u202e\u009b.E01' "verify of one set"
set +e
"$CUSTOS" verify "$dir" >"$work/dir.txt" 2>"$work/dir.err"
set -e
clean "$work/dir.txt" "verify DIR"
clean "$work/dir.err" "verify DIR (stderr)"
[ "$(wc -l <"$work/dir.txt")" = 4 ] || fail "verify DIR: not one line a set and a count: $(cat -v "$work/dir.txt")"
[ "$(grep -c '^match' "$work/dir.txt")" = 2 ] || fail "verify DIR: a forged match line: $(cat -v "$work/dir.txt")"
has "$work/dir.txt" 'x\x0amatch         forged.E01' "verify DIR: a name with a line break"
set +e
"$CUSTOS" info "$work/nowhere${RLO}${CSI}${ESC}[2J.E01" >/dev/null 2>"$work/err"
set -e
clean "$work/err" "a line on stderr"
[ "$(wc -l <"$work/err")" = 1 ] || fail "info of a missing file: not one line: $(cat -v "$work/err")"
has "$work/err" 'nowhere\u202e\u009b\x1b[2J.E01' "info of a missing file"
pass

# ---- a custody log holding what entry refuses (U+202E, U+009B) ----
$forge rewrite "$work/plain.custody.xml" 1 by "A. ${RLO}htimS${CSI}2J" >/dev/null
"$CUSTOS" custody show "$work/plain.E01" >"$work/show.txt" 2>"$work/err" ||
	fail "custody show of a rewritten log: $(cat "$work/err")"
clean "$work/show.txt" "custody show"
has "$work/show.txt" 'by A. \u202ehtimS\u009b2J' "custody show"
pass

# ---- at entry: bidirectional controls and C1 characters refused, as C0 is ----
# refused WHAT OPTION CMD...: exit 2 with one line on stderr naming OPTION
refused() {
	local what=$1 opt=$2 rc
	shift 2
	set +e
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "$what: exit $rc (expected 2): $(cat -v "$work/err")"
	[ "$(wc -l <"$work/err")" = 1 ] || fail "$what: not one line: $(cat -v "$work/err")"
	grep -qF -- "$opt" "$work/err" || fail "$what: the line does not name $opt: $(cat "$work/err")"
	clean "$work/err" "$what"
}
x="$work/entry"
mkdir "$x"
log=$(sha256_of "$work/long.custody.xml")
for ch in "$RLO" "$LRI" "$RLM" "$ALM" "$NEL" "$CSI"; do
	name=$(printf '%s' "$ch" | od -An -tx1 | tr -d ' ')
	for opt in --examiner --notes --case-number --evidence-number --description; do
		refused "acquire $opt with $name" "$opt" "$CUSTOS" acquire "$work/src.img" -o "$x/t" "$opt" "A. ${ch}htimS"
	done
	for opt in --by --to --location --note --action; do
		args=(--action moved --by me "$opt" "A. ${ch}htimS")
		refused "custody add $opt with $name" "$opt" "$CUSTOS" custody add "$work/long.E01" "${args[@]}"
	done
	refused "verify --by with $name" --by "$CUSTOS" verify --by "A. ${ch}htimS" "$work/long.E01"
done
[ -z "$(ls -A "$x")" ] || fail "refused text left files: $(ls -A "$x")"
[ "$(sha256_of "$work/long.custody.xml")" = "$log" ] || fail "refused text changed the custody log"
"$CUSTOS" custody add "$work/long.E01" --action moved --by "José Müller ‐ 山田" --to "Lab 2" >/dev/null ||
	fail "custody add of plain Unicode names"
pass

echo "untrue_text: $checks checks passed"
