#!/bin/bash
# report_html.sh - the report a court reads, opened in a real browser.
#
# A medium of 1 GiB with three unreadable ranges (128 sectors near the
# start, one single sector in the middle, 64 near the end), acquired with
# hostile metadata (<script>, markup, quotes) and verified once: its HTML
# report is printed to PDF by Debian's chromium (headless), and
# pdftotext must find on every page the case label and "page N of M", and
# every digest whole on one page; the SVG map (inline, and report --map)
# must hold three marks at the positions of the recorded sectors, each at
# least 3 of 1000 units wide, and the table the exact ranges; the hostile
# metadata is text, never markup; the page has no script and loads nothing
# (its Content-Security-Policy forbids it); the Nu Html Checker (vnu-jar
# from the npm registry, on the machine's Java) finds no error.  The same
# checks hold for a set without errors (with piecewise windows), two
# copies, an enrolled set, a rescue (GNU ddrescue), and, as root, a drive
# with SMART before and after (a loop device and a stand-in smartctl).  A
# screenshot of the page is left in
# $CUSTOS_SCREENSHOT when that is set (the README's picture).
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in python3 pdftotext java; do need "$t"; done
command -v chromium >/dev/null ||
	skip "chromium is not installed here (tools/deps installs Debian's chromium)"

# the Nu Html Checker, from the npm registry, kept beside the build
vnu_dir=${CUSTOS_VNU_DIR:-$(dirname "$CUSTOS")/vnu}
vnu=$vnu_dir/node_modules/vnu-jar/build/dist/vnu.jar
if [ ! -f "$vnu" ]; then
	need npm
	npm install --no-save --no-audit --no-fund --prefix "$vnu_dir" vnu-jar >"$work/npm.log" 2>&1 ||
		fail "cannot install vnu-jar from the npm registry: $(tail -3 "$work/npm.log")"
fi

browser() { # browser ARGS...: headless chromium, bounded, with its noise kept aside
	timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$work/chromium" "$@" >>"$work/chromium.log" 2>&1
}

# check_report NAME: every check on $work/NAME.html (made from $work/NAME.xml)
check_report() {
	local name=$1 html=$work/$1.html
	browser --no-pdf-header-footer --print-to-pdf="$work/$name.pdf" "file://$html" ||
		fail "$name: chromium could not print the report: $(tail -3 "$work/chromium.log")"
	pdftotext -layout "$work/$name.pdf" "$work/$name.txt" || fail "$name: pdftotext failed"
	python3 - "$work/$name.txt" "$work/$name.xml" "$html" <<'PY' || fail "$name: the printed report fails its checks"
import re, sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser

text = open(sys.argv[1]).read()
pages = [p for p in text.split("\f") if p.strip()]
ns = {"r": "urn:custos:report:1"}
report = ET.parse(sys.argv[2]).getroot()
case = report.findtext("r:case/r:case_number", "", ns)
ev = report.findtext("r:case/r:evidence_number", "", ns)
def visible(s):  # as the page shows what would hide or reorder text
    bidi = {0x061C, 0x200E, 0x200F} | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
    return "".join("[U+%04X]" % ord(c) if (ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F
                   or ord(c) in bidi else c for c in s)
case, ev = visible(case), visible(ev)
label = "Case %s, evidence %s" % (case or "-", ev or "-") if case or ev else "Evidence report, no case number"
for n, page in enumerate(pages, 1):
    assert label in page, "page %d lacks the case label %r" % (n, label)
    assert "page %d of %d" % (n, len(pages)) in page, "page %d lacks 'page %d of %d'" % (n, n, len(pages))
# a digest is printed in groups of eight: the groups of one page, in order, must hold it whole
flat = ["".join(re.findall(r"\b[0-9a-f]{8}\b", p)) for p in pages]
for h in report.iter("{urn:custos:report:1}hash"):
    assert any(h.text in p for p in flat), "the digest %s is not whole on one page" % h.text
for s in report.iter("{urn:custos:report:1}segment"):
    assert any(s.get("sha256") in p for p in flat), "the file digest %s is cut" % s.get("sha256")

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(tag, k, v) for k, v in attrs]
page = Page()
page.feed(open(sys.argv[3]).read())
assert "script" not in page.tags, "a script element"
assert not [a for a in page.attrs if a[1] in ("src", "href") or a[1].startswith("on")], "an external resource or a handler"
csp = [v for t, k, v in page.attrs if k == "content" and "default-src 'none'" in (v or "")]
assert csp, "no Content-Security-Policy forbidding everything"
PY
	java -jar "$vnu" --errors-only "$html" >"$work/vnu.log" 2>&1 ||
		fail "$name: the Nu Html Checker finds errors: $(head -5 "$work/vnu.log")"
	pass
}

# ---- a medium with three unreadable ranges, hostile metadata, one verify ----
truncate -s 1G "$work/med.img"
"$MKMEDIUM" 1MiB 25 | dd of="$work/med.img" conv=notrunc status=none
printf '# Mapfile\n0x00000000     +               1\n#      pos        size  status\n%s\n' \
	"0x00000000  0x00100000  +
0x00100000  0x00010000  -
0x00110000  0x1FEF0000  +
0x20000000  0x00000200  -
0x20000200  0x1FEFFE00  +
0x3FF00000  0x00008000  -
0x3FF08000  0x000F8000  +" >"$work/med.map"
set +e
"$CUSTOS" acquire "$work/med.img" -o "$work/ev" --ddrescue-map "$work/med.map" -q \
	--case-number "CASE-2026-0042" --evidence-number "EV-7" --examiner 'A. <b>Examiner</b>' \
	--description '<script>alert(1)</script> & "quotes" <img src=x onerror=alert(2)>'
rc=$?
set -e
[ "$rc" = 3 ] || fail "acquire of the medium with read errors: exit $rc, not 3"
"$CUSTOS" verify "$work/ev.E01" >/dev/null || fail "verify failed"
"$CUSTOS" report "$work/ev.E01" -o "$work/ev.xml" --html "$work/ev.html" --map "$work/ev.svg"
check_report ev
grep -q '<script>alert(1)</script> & "quotes"' "$work/ev.txt" ||
	fail "the hostile description is not shown as text in the printed report"
grep -q "Acquired with 193 unreadable sectors, zero-filled and recorded, on" "$work/ev.txt" &&
	grep -q "verified once since, last on .*: match" "$work/ev.txt" ||
	fail "the verdict sentence is not what the record says"
grep -q "1.1 GB (1,073,741,824 bytes), 2,097,152 sectors of 512 bytes" "$work/ev.txt" ||
	fail "the size is not human and exact"
pass

# the map, inline and alone: three marks where the sectors are, each visible
for svg in inline alone; do
	python3 - "$work/ev.html" "$work/ev.svg" "$svg" <<'PY' || fail "the $svg map does not mark the recorded sectors"
import re, sys, xml.etree.ElementTree as ET
S = "{http://www.w3.org/2000/svg}"
if sys.argv[3] == "alone":
    svg = ET.parse(sys.argv[2]).getroot()
else:
    page = open(sys.argv[1]).read()
    svg = ET.fromstring(re.search(r"<svg\b.*?</svg>", page, re.S).group(0))
assert svg.tag == S + "svg", svg.tag
sectors = int(svg.get("data-sectors"))
assert sectors == 2097152, sectors
marks = [r for r in svg.iter(S + "rect") if r.get("class") == "unreadable"]
want = [(2048, 128), (1048576, 1), (2095104, 64)]
got = [(int(r.get("data-first")), int(r.get("data-count"))) for r in marks]
assert got == want, got
for r, (first, count) in zip(marks, want):
    x, w = float(r.get("x")), float(r.get("width"))
    assert w >= 3, "a mark narrower than 3 units"
    lo, hi = first / sectors * 1000, (first + count) / sectors * 1000
    assert x - 0.01 <= lo and hi <= x + w + 0.01, "mark at %g+%g for %g..%g" % (x, w, lo, hi)
    assert 0 <= x and x + w <= 1000.01
    title = r.find(S + "title").text
    assert "sectors %d to %d (%d)" % (first, first + count - 1, count) in title, title
PY
done
python3 - "$work/ev.html" <<'PY' || fail "the table does not list the read errors exactly"
import re, sys
page = open(sys.argv[1]).read()
section = page[page.index("<h2>Read errors</h2>"):]
section = section[:section.index("<h2>", 10)]
rows = []
for row in re.findall(r"<tr>(.*?)</tr>", section, re.S):
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
    if cells and cells[0].isdigit():
        rows.append(cells)
assert rows == [["2048", "2175", "128", "1048576"], ["1048576", "1048576", "1", "536870912"],
                ["2095104", "2095167", "64", "1072693248"]], rows
PY
pass

# a screenshot of the page (the README's picture)
browser --screenshot="$work/ev.png" --window-size=1100,1500 --hide-scrollbars "file://$work/ev.html" ||
	fail "chromium could not take a screenshot"
[ "$(head -c 8 "$work/ev.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
	fail "the screenshot is not a PNG"
[ -n "${CUSTOS_SCREENSHOT:-}" ] && cp "$work/ev.png" "$CUSTOS_SCREENSHOT"
pass

# ---- other sets: clean with windows, two copies, enrolled ----
"$MKMEDIUM" 6MiB 26 >"$work/clean.img"
"$CUSTOS" acquire "$work/clean.img" -o "$work/clean" -o "$work/copy" --hash-window 1MiB -q \
	--case-number "CASE-2026-0043" --evidence-number "EV-8"
"$CUSTOS" report "$work/clean.E01" -o "$work/clean.xml" --html "$work/clean.html"
check_report clean
grep -q "Acquired complete on .*; not verified since." "$work/clean.txt" ||
	fail "the clean set's verdict is wrong"
grep -q "Piecewise digests" "$work/clean.txt" && grep -q "Other copies" "$work/clean.txt" ||
	fail "the windows or the other copy are not shown"
cp "$work/clean.E01" "$work/enr.E01"
"$CUSTOS" verify "$work/enr.E01" --enroll >/dev/null || fail "verify --enroll failed"
"$CUSTOS" report "$work/enr.E01" -o "$work/enr.xml" --html "$work/enr.html"
check_report enr
grep -q "Enrolled on .*after a full verify: match" "$work/enr.txt" || fail "the enrolled verdict is wrong"
pass

# damage found by a later verify: the chunk's sectors and the window that
# no longer matches are drawn where the verify's event says
"$CUSTOS" acquire "$work/clean.img" -o "$work/dmg" --hash-window 1MiB -q --case-number "CASE-2026-0046"
chmod u+w "$work/dmg.E01"
printf 'custos was here, and changed a chunk of the evidence' |
	dd of="$work/dmg.E01" bs=1 seek=30000 conv=notrunc status=none
"$CUSTOS" verify "$work/dmg.E01" >/dev/null 2>&1 && fail "the damaged set verifies"
"$CUSTOS" report "$work/dmg.E01" -o "$work/dmg.xml" --html "$work/dmg.html" --map "$work/dmg.svg"
check_report dmg
python3 - "$work/dmg.xml" "$work/dmg.svg" <<'PY' || fail "the damage of the last verify is not drawn where it is"
import sys, xml.etree.ElementTree as ET
R, S = "{urn:custos:report:1}", "{http://www.w3.org/2000/svg}"
report = ET.parse(sys.argv[1]).getroot()
last = [e for e in report.iter(R + "event") if e.get("action") == "verified"][-1]
damaged = [(int(r.get("first")), int(r.get("count"))) for r in last.iter(R + "range")
           if r in list(last.find(R + "damaged_sectors"))]
windows = last.find(R + "windows")
size = int(windows.get("size"))
differ = [(int(r.get("first")), int(r.get("count"))) for r in windows.find(R + "differ")]
assert damaged and differ, (damaged, differ)
svg = ET.parse(sys.argv[2]).getroot()
sectors = int(svg.get("data-sectors"))
def marks(cls):
    return [r for r in svg.iter(S + "rect") if r.get("class") == cls]
def at(r, first, count):
    x, w = float(r.get("x")), float(r.get("width"))
    lo, hi = first / sectors * 1000, min(first + count, sectors) / sectors * 1000
    assert w >= 3 and x - 0.01 <= lo and hi <= x + w + 0.01, (x, w, lo, hi)
got = marks("damaged")
assert [(int(r.get("data-first")), int(r.get("data-count"))) for r in got] == damaged
for r, (f, c) in zip(got, damaged):
    at(r, f, c)
got = marks("window-differs")
assert len(got) == len(differ)
for r, (f, c) in zip(got, differ):
    at(r, f * size // 512, c * size // 512)
    # the damaged sectors lie in a window marked as differing
assert any(f * size // 512 <= d <= (f + c) * size // 512 for d, _ in damaged for f, c in differ)
state = marks("windows")[0].get("data-state")
assert state == "match", state  # the verify compared the windows: the rest match
PY
pass

# an enrolled set another tool wrote, whose headers hold hostile text: a
# right-to-left override that would show "txt.exe" as "exe.txt", and markup
if command -v ewfacquire >/dev/null; then
	"$MKMEDIUM" 1MiB 27 >"$work/other.img"
	ewfacquire -u -t "$work/bidi" -C "$(printf 'CASE\342\200\2561-evil')" -E 'EV<script>' \
		-D "$(printf 'desc \342\200\256txt.exe')" -e "$(printf 'exam\342\200\256ner')" -N notes \
		-c fast -S 1.4GiB "$work/other.img" >/dev/null 2>&1 || fail "ewfacquire failed"
	"$CUSTOS" verify "$work/bidi.E01" --enroll >/dev/null || fail "verify --enroll of ewfacquire's set failed"
	"$CUSTOS" report "$work/bidi.E01" -o "$work/bidi.xml" --html "$work/bidi.html"
	check_report bidi
	python3 - "$work/bidi.html" "$work/bidi.txt" <<'PY' || fail "a bidirectional override reaches the page"
import sys
page, printed = open(sys.argv[1], encoding="utf-8").read(), open(sys.argv[2], encoding="utf-8").read()
assert "\u202e" not in page and "\u202e" not in printed
assert "desc [U+202E]txt.exe" in page and "desc [U+202E]txt.exe" in printed
assert "EV&lt;script&gt;" in page and "<script" not in page.lower().replace("&lt;script", "")
PY
	grep -c $'\xe2\x80\xae' "$work/bidi.xml" >/dev/null || fail "the XML report does not keep the exact text"
	pass
fi

# a rescue: GNU ddrescue read the medium first
if command -v ddrescue >/dev/null; then
	"$CUSTOS" acquire "$work/clean.img" -o "$work/resc" --rescue -q --case-number "CASE-2026-0044"
	"$CUSTOS" report "$work/resc.E01" -o "$work/resc.xml" --html "$work/resc.html"
	check_report resc
	grep -q "Rescue (GNU ddrescue)" "$work/resc.txt" || fail "the rescue is not shown"
fi

# a drive with SMART before and after: a loop device, a stand-in smartctl (root only)
if [ "$(id -u)" = 0 ] && dev=$(losetup -f --show "$work/clean.img" 2>/dev/null); then
	mkdir "$work/bin"
	printf '#!/bin/sh\ncat "%s"\n' "$(cd "$(dirname "$0")/../data/smart" && pwd)/ata.json" >"$work/bin/smartctl"
	chmod +x "$work/bin/smartctl"
	PATH=$work/bin:$PATH "$CUSTOS" acquire "$dev" -o "$work/drive" -q --case-number "CASE-2026-0045" ||
		{ losetup -d "$dev"; fail "acquire of the loop device failed"; }
	losetup -d "$dev"
	"$CUSTOS" report "$work/drive.E01" -o "$work/drive.xml" --html "$work/drive.html"
	check_report drive
	grep -q "Drive health (SMART)" "$work/drive.txt" || fail "SMART is not shown"
fi

echo "report_html: $checks checks passed"
