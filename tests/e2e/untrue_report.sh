#!/bin/bash
# untrue_report.sh - the report and its DFXML say only what the record says
# (issue 19).
#
# - Every read error reaches the DFXML: an acquisition with 1000 separate
#   unreadable sectors (a hand-written GNU ddrescue map, --ddrescue-map) gives
#   a DFXML that validates and whose error element lists all 1000 ranges
#   (it held 540-odd, cut at a fixed buffer, with exit 0), as the report does.
# - Host, times and tool are the acquisition's: acquired under one host name
#   and reported under another (UTS namespaces, as root), the DFXML's creator
#   and the report's tool name the acquiring host, never the one the report
#   was made on (the DFXML named the reporting host); the report names its
#   own maker apart, as its own.  Skipped where unshare is not permitted.
# - A set taken into custody by `verify --enroll` gets a report (it got
#   "holds no acquisition record", exit 2): one that validates against the
#   shipped XSD, says it was enrolled, not acquired by custos, and carries
#   the set's stored digests; its HTML says so, its DFXML validates.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in xmllint python3 md5sum ewfacquire; do need "$t"; done
xsd="$(dirname "$0")/../../report/custos-report.xsd"
dfxml_xsd="$(dirname "$0")/../../report/dfxml/dfxml.xsd"

# 1000 separate unreadable sectors: 1, 3, 5, ... 1999, each alone
"$MKMEDIUM" 4MiB 19 >"$work/src.img"
python3 - "$work/bad.map" <<'PY'
import sys
out = ["# Mapfile. Created by GNU ddrescue version 1.27",
       "# current_pos  current_status  current_pass", "0x00000000     +               1",
       "#      pos        size  status"]
pos = 0
for i in range(1000):
    bad = (2 * i + 1) * 512
    out += ["0x%08X  0x%08X  +" % (pos, bad - pos), "0x%08X  0x%08X  -" % (bad, 512)]
    pos = bad + 512
out.append("0x%08X  0x%08X  +" % (pos, 4 * 2**20 - pos))
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
set +e
"$CUSTOS" acquire "$work/src.img" --ddrescue-map "$work/bad.map" -o "$work/ev" -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 3 ] || fail "acquire with 1000 unreadable sectors: exit $rc: $(cat "$work/err")"
"$CUSTOS" report "$work/ev.E01" -o "$work/ev.xml" --dfxml "$work/ev.dfxml" 2>"$work/err" ||
	fail "report of 1000 read errors: $(cat "$work/err")"
xmllint --noout --schema "$dfxml_xsd" "$work/ev.dfxml" 2>"$work/err" || fail "DFXML: $(cat "$work/err")"
xmllint --noout --schema "$xsd" "$work/ev.xml" 2>"$work/err" || fail "report: $(cat "$work/err")"
python3 - "$work/ev.dfxml" "$work/ev.xml" <<'PY' || fail "the DFXML does not list every read error"
import re, sys, xml.etree.ElementTree as ET
want = [(2 * i + 1, 1) for i in range(1000)]
d = {"d": "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML"}
err = ET.parse(sys.argv[1]).getroot().find("d:diskimageobject/d:error", d).text
got = [(int(a), int(b)) for a, b in re.findall(r"(\d+)\+(\d+)", err.split(":", 1)[1])]
assert got == want, "DFXML: %d of 1000 ranges" % len(got)
assert err.startswith("1000 ranges"), err[:80]
r = {"r": "urn:custos:report:1"}
ranges = ET.parse(sys.argv[2]).getroot().findall("r:read_errors/r:range", r)
assert [(int(e.get("first")), int(e.get("count"))) for e in ranges] == want, "report"
PY
pass

# the acquiring host, not the reporting one: host names of UTS namespaces of their own
as_host() { # as_host NAME CMD...: CMD under the host name NAME
	unshare -u sh -c 'hostname "$1" && shift && exec "$@"' sh "$@"
}
if as_host custos-probe true 2>/dev/null; then
	"$MKMEDIUM" 1MiB 20 >"$work/h.img"
	as_host acq-host-19 "$CUSTOS" acquire "$work/h.img" -o "$work/h" -q ||
		fail "acquire as acq-host-19"
	as_host report-host-19 "$CUSTOS" report "$work/h.E01" -o "$work/h.xml" \
		--dfxml "$work/h.dfxml" --html "$work/h.html" 2>"$work/err" ||
		fail "report as report-host-19: $(cat "$work/err")"
	xmllint --noout --schema "$dfxml_xsd" "$work/h.dfxml" 2>"$work/err" || fail "DFXML: $(cat "$work/err")"
	xmllint --noout --schema "$xsd" "$work/h.xml" 2>"$work/err" || fail "report: $(cat "$work/err")"
	python3 - "$work/h.dfxml" "$work/h.xml" "$(uname -r)" "$(uname -m)" <<'PY' ||
import sys, xml.etree.ElementTree as ET
d = {"d": "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML"}
env = ET.parse(sys.argv[1]).getroot().find("d:creator/d:execution_environment", d)
host = env.find("d:host", d).text
assert host == "acq-host-19", "DFXML names %s as the acquisition's host" % host
assert env.find("d:os_release", d).text == sys.argv[3] and env.find("d:arch", d).text == sys.argv[4]
r = {"r": "urn:custos:report:1"}
root = ET.parse(sys.argv[2]).getroot()
rec = ET.parse(sys.argv[2].replace("h.xml", "h.custody.xml")).getroot()
c = {"c": "urn:custos:custody:1"}
acq = rec.find("c:event/c:acquisition", c)
assert root.find("r:tool/r:host", r).text.split()[0] == "acq-host-19", "report tool/host"
assert root.find("r:acquisition/r:started", r).text == acq.find("c:started", c).text
assert env.find("d:start_time", d).text == acq.find("c:started", c).text, "DFXML start_time"
assert root.get("generator_host", "").split()[0] == "report-host-19", "the report's own host"
PY
		fail "the acquisition's host is not the one the record names"
	! grep -q report-host-19 "$work/h.dfxml" || fail "the DFXML names the reporting host"
	grep -q "acq-host-19" "$work/h.html" || fail "the HTML does not name the acquiring host"
	pass
else
	echo "note: unshare -u is not permitted here: the host-name half is skipped" >&2
fi

# a set enrolled with verify --enroll gets its report, saying it was enrolled
"$MKMEDIUM" 2MiB 21 >"$work/e.img"
ewfacquire -u -q -t "$work/enrolled" -c fast -C "K-19" -e "Ann Other" "$work/e.img" >/dev/null 2>&1 ||
	fail "ewfacquire"
"$CUSTOS" verify --enroll "$work/enrolled.E01" >/dev/null 2>"$work/err" || fail "enroll: $(cat "$work/err")"
"$CUSTOS" report "$work/enrolled.E01" -o "$work/enrolled.xml" --html "$work/enrolled.html" \
	--dfxml "$work/enrolled.dfxml" 2>"$work/err" || fail "report of an enrolled set: $(cat "$work/err")"
xmllint --noout --schema "$xsd" "$work/enrolled.xml" 2>"$work/err" || fail "xmllint: $(cat "$work/err")"
xmllint --noout --schema "$dfxml_xsd" "$work/enrolled.dfxml" 2>"$work/err" || fail "DFXML: $(cat "$work/err")"
python3 - "$work/enrolled.xml" "$(md5_of "$work/e.img")" <<'PY' || fail "the report of an enrolled set"
import sys, xml.etree.ElementTree as ET
r = {"r": "urn:custos:report:1"}
root = ET.parse(sys.argv[1]).getroot()
assert root.find("r:acquisition", r) is None and root.find("r:source", r) is None, "acquired?"
e = root.find("r:enrollment", r)
assert e is not None and e.find("r:result", r).text == "match"
assert e.find("r:written_by/r:format", r).text and e.find("r:medium/r:size", r).text == str(2 * 2**20)
assert root.find("r:case/r:case_number", r).text == "K-19" and root.find("r:examiner", r).text == "Ann Other"
stored = {h.get("type"): h.text for h in root.findall("r:hashes/r:acquisition/r:hash", r)}
assert stored["md5"] == sys.argv[2], stored
assert [ev.get("action") for ev in root.findall("r:custody/r:event", r)] == ["enrolled"]
PY
grep -q "not acquired by custos" "$work/enrolled.html" || fail "the HTML does not say the set was enrolled"
grep -q "Not acquired by custos" "$work/enrolled.dfxml" || fail "the DFXML does not say the set was enrolled"
pass

echo "untrue_report: $checks checks passed"
