#!/bin/bash
# smart.sh - the drive's SMART before and after an acquisition (needs root
# for the loop devices; CI runs it as root).
#
# The real smartctl on a loop device: recorded as no SMART, with
# smartctl's reason, in the record, the report and the HTML.  Then a
# stand-in smartctl on PATH that serves smartctl's JSON of an ATA disk (a
# first reading, then one with sectors pending), an NVMe SSD, a failing
# disk, a USB bridge that does not pass SMART, and garbage: each fact is in
# the record and the report (which validates against its schema, as does
# the DFXML), the HTML shows before and after side by side, smartctl's
# whole JSON is in the record byte for byte with its SHA-256, acquire
# recommends --rescue when the verdict is FAILED or pending sectors rose,
# and smartctl is only ever asked read-only (--json=o -x -n standby).
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ "$(id -u)" = 0 ] || skip "loop devices need root (CI runs this as root)"
for t in losetup xmllint python3 base64 sha256sum; do need "$t"; done
command -v smartctl >/dev/null || fail "smartctl is not installed (tools/deps installs smartmontools)"
data=$(cd "$(dirname "$0")/../data/smart" && pwd)
xsd=$(dirname "$0")/../../report/custos-report.xsd
dfxsd=$(dirname "$0")/../../report/dfxml/dfxml.xsd

cleanup_devices() {
	set +e
	losetup -a | grep -F "$work/" | cut -d: -f1 | while read -r l; do losetup -d "$l"; done
	chmod -R u+w "$work" 2>/dev/null
	rm -rf "$work"
}
trap cleanup_devices EXIT
"$MKMEDIUM" 4MiB 77 >"$work/medium.img"
dev=$(losetup -f --show "$work/medium.img") || skip "cannot attach a loop device here"

# record_smart BASE WHEN ELEMENT: the text of ELEMENT in the record's <smart when=WHEN>
record_smart() {
	python3 - "$1.custody.xml" "$2" "$3" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"c": "urn:custos:custody:1"}
ev = ET.parse(sys.argv[1]).getroot().find("c:event", ns)
for s in ev.find("c:acquisition", ns).findall("c:smart", ns):
    if s.get("when") == sys.argv[2]:
        if sys.argv[3].startswith("@"):
            print(s.get(sys.argv[3][1:]))
        else:
            e = s.find("c:" + sys.argv[3], ns)
            print("" if e is None else e.text)
PY
}

# ---- the real smartctl, on a loop device: no SMART ----
"$CUSTOS" acquire "$dev" -o "$work/real" -q || fail "acquire of a loop device failed"
[ "$(record_smart "$work/real" before @available)" = false ] ||
	fail "a loop device is not recorded as without SMART"
reason=$(record_smart "$work/real" before reason)
grep -q "$(basename "$dev")" <<<"$reason" || fail "the reason is not smartctl's: '$reason'"
[ "$(record_smart "$work/real" after @available)" = false ] || fail "no reading after"
"$CUSTOS" report "$work/real.E01" -o "$work/real.xml" --html "$work/real.html"
xmllint --noout --schema "$xsd" "$work/real.xml" 2>/dev/null || fail "the report does not validate"
grep -q "no SMART: " "$work/real.html" || fail "the HTML does not say no SMART"
pass

# ---- a stand-in smartctl ----
mkdir "$work/bin"
cat >"$work/bin/smartctl" <<'SH'
#!/bin/sh
# serves $SMART_DIR/1.json, then 2.json, ... (the last one again once they run out)
echo "$*" >>"$SMART_DIR/argv"
n=$(($(cat "$SMART_DIR/count" 2>/dev/null || echo 0) + 1))
echo "$n" >"$SMART_DIR/count"
[ -f "$SMART_DIR/$n.json" ] || n=$(ls "$SMART_DIR" | grep -c '^[0-9]*\.json$')
cat "$SMART_DIR/$n.json"
exit "$(cat "$SMART_DIR/exit" 2>/dev/null || echo 0)"
SH
chmod +x "$work/bin/smartctl"
export SMART_DIR
stand_in() { # stand_in NAME FIXTURE...: a fresh directory serving the fixtures in turn
	SMART_DIR=$work/smart-$1
	mkdir "$SMART_DIR"
	local i=1 f
	for f in "${@:2}"; do
		if [ -f "$data/$f" ]; then cp "$data/$f" "$SMART_DIR/$i.json"; else printf '%s' "$f" >"$SMART_DIR/$i.json"; fi
		i=$((i + 1))
	done
}
acquire() { # acquire BASE: acquires the loop device with the stand-in first on PATH
	PATH=$work/bin:$PATH "$CUSTOS" acquire "$dev" -o "$work/$1" -q 2>"$work/$1.err" ||
		fail "acquire $1 failed: $(cat "$work/$1.err")"
}

# an ATA disk, which leaves 24 sectors pending while it is read
stand_in ata ata.json ata_after.json
acquire ata
while read -r line; do
	[ "$line" = "--json=o -x -n standby $dev" ] || fail "smartctl was asked '$line'"
done <"$SMART_DIR/argv"
[ "$(wc -l <"$SMART_DIR/argv")" = 2 ] || fail "smartctl was not asked exactly before and after"
for f in @available:true health:PASSED protocol:ATA model:ST1000DM010-2EP102 serial:Z9A1B2C3 \
	power_on_hours:36055 reallocated_sectors:8 pending_sectors:0 offline_uncorrectable:0 \
	temperature_celsius:36 smartctl_exit_status:0; do
	[ "$(record_smart "$work/ata" before "${f%%:*}")" = "${f#*:}" ] ||
		fail "before: ${f%%:*} is '$(record_smart "$work/ata" before "${f%%:*}")', not '${f#*:}'"
done
[ "$(record_smart "$work/ata" after pending_sectors)" = 24 ] || fail "after: pending is not 24"
[ "$(record_smart "$work/ata" after power_on_hours)" = 36056 ] || fail "after: hours"
grep -q "pending reallocation rose from 0 to 24 .*--rescue" "$work/ata.err" ||
	fail "acquire does not recommend --rescue for rising pending sectors: $(cat "$work/ata.err")"
pass
# smartctl's JSON, whole, with its SHA-256
python3 - "$work/ata.custody.xml" "$data/ata.json" "$data/ata_after.json" <<'PY' || fail "the record does not hold smartctl's JSON byte for byte"
import base64, hashlib, sys, xml.etree.ElementTree as ET
ns = {"c": "urn:custos:custody:1"}
ev = ET.parse(sys.argv[1]).getroot().find("c:event", ns)
for s, path in zip(ev.find("c:acquisition", ns).findall("c:smart", ns), sys.argv[2:]):
    j = s.find("c:smartctl_json", ns)
    raw = base64.b64decode("".join(j.text.split()))
    want = open(path, "rb").read()
    assert raw == want, path
    assert j.get("sha256") == hashlib.sha256(want).hexdigest(), path
PY
"$CUSTOS" report "$work/ata.E01" -o "$work/ata.xml" --html "$work/ata.html" --dfxml "$work/ata.dfxml"
xmllint --noout --schema "$xsd" "$work/ata.xml" 2>/dev/null || fail "the ATA report does not validate"
xmllint --noout --schema "$dfxsd" "$work/ata.dfxml" 2>/dev/null || fail "the ATA DFXML does not validate"
grep -q "<custos:pending_sectors>24</custos:pending_sectors>" "$work/ata.dfxml" ||
	fail "the DFXML does not carry SMART"
python3 - "$work/ata.html" <<'PY' || fail "the HTML does not show SMART before and after side by side"
import re, sys
html = open(sys.argv[1]).read()
section = html[html.index("Drive health (SMART)"):]
section = section[:section.index("<h2>", 10)]
rows = {}
for row in re.findall(r"<tr>(.*?)</tr>", section, re.S):
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
    rows[cells[0]] = cells[1:]
assert rows["Pending sectors"] == ["0", "24"], rows
assert rows["Power-on hours"] == ["36055", "36056"], rows
assert all(v.startswith("PASSED") for v in rows["Verdict"]), rows
assert "Before the acquisition" in section and "After it" in section
PY
pass

# an NVMe SSD
stand_in nvme nvme.json
acquire nvme
for f in health:PASSED protocol:NVMe power_on_hours:4321 media_errors:0 temperature_celsius:38 \
	pending_sectors: reallocated_sectors:; do
	[ "$(record_smart "$work/nvme" before "${f%%:*}")" = "${f#*:}" ] ||
		fail "NVMe: ${f%%:*} is '$(record_smart "$work/nvme" before "${f%%:*}")'"
done
"$CUSTOS" report "$work/nvme.E01" -o "$work/nvme.xml" --html "$work/nvme.html"
xmllint --noout --schema "$xsd" "$work/nvme.xml" 2>/dev/null || fail "the NVMe report does not validate"
grep -q "NVMe, Samsung SSD 970 EVO Plus 1TB" "$work/nvme.html" || fail "the HTML does not name the NVMe drive"
pass

# a failing disk: one line recommending --rescue before anything is read
stand_in failing ata_failing.json
acquire failing
grep -q "SMART verdict is FAILED.*--rescue" "$work/failing.err" ||
	fail "no --rescue advice for a FAILED verdict: $(cat "$work/failing.err")"
[ "$(record_smart "$work/failing" before health)" = FAILED ] || fail "FAILED is not recorded"
pass

# a USB bridge that does not pass SMART, and a smartctl that prints garbage
stand_in usb usb_bridge.json
echo 1 >"$SMART_DIR/exit"
acquire usb
[ "$(record_smart "$work/usb" before @available)" = false ] &&
	grep -q "Unknown USB bridge" <<<"$(record_smart "$work/usb" before reason)" ||
	fail "the USB bridge is not recorded as without SMART, with its reason"
stand_in garbage '{"smartctl": {"exit_status": 0}, "smart_status": {"passed": true}} and more' '<html>'
acquire garbage
grep -q "not one JSON value" <<<"$(record_smart "$work/garbage" before reason)" ||
	fail "garbage from smartctl is not refused: '$(record_smart "$work/garbage" before reason)'"
"$CUSTOS" report "$work/garbage.E01" -o "$work/garbage.xml"
xmllint --noout --schema "$xsd" "$work/garbage.xml" 2>/dev/null || fail "the report does not validate"
pass

# custos devices shows the verdict
stand_in devices ata.json
PATH=$work/bin:$PATH "$CUSTOS" devices --json >"$work/devices.json"
python3 - "$work/devices.json" "$dev" <<'PY' || fail "custos devices does not show the SMART verdict"
import json, sys
d = [x for x in json.load(open(sys.argv[1])) if x["path"] == sys.argv[2]][0]
assert d["smart"] == {"available": True, "health": "PASSED", "reason": None}, d["smart"]
PY
pass

echo "smart: $checks checks passed"
