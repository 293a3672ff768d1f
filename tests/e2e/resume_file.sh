#!/bin/bash
# resume_file.sh - BASE.resume is untrusted input.
#
# An acquisition is interrupted after a few checkpoints.  Then every key of
# its resume file, in turn, is set to out-of-range, negative, huge,
# non-numeric and malformed values: each resume must exit 2 with one line
# naming a key of the file, write nothing, and never crash (this test also
# runs with the AddressSanitizer and UndefinedBehaviorSanitizer build).
# Unknown keys, repeated keys, missing keys, areas out of order and a file
# cut short are refused alike.  Then the original command line is accepted
# on resume, a changed setting is refused naming the option and both
# values, and the resumed evidence is whole.
set -euo pipefail
. "$(dirname "$0")/common.sh"
for t in python3 sha256sum; do need "$t"; done

src="$work/src.img"
"$MKMEDIUM" 8MiB 301 >"$src"
base="$work/t"
original=(--case-number "R-7" --examiner "José Müller" --compression best --hash md5,sha1,sha256
	--mapfile "$work/t.map" --x-checkpoint 512KiB)
set +e
"$CUSTOS" acquire "$src" -o "$base" "${original[@]}" --x-interrupt-at 3MiB -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 1 ] && [ -f "$base.resume" ] || fail "the interrupted run: exit $rc: $(cat "$work/err")"
mkdir "$work/keep"
cp "$base".* "$work/keep/"
sums=$(cd "$work/keep" && sha256sum t.*)

restore() {
	rm -f "$base".*
	cp "$work/keep/"t.* "$work/"
}

# try LABEL: resume with the current resume file; exit 2, one line naming a key, nothing written
try() {
	local label=$1 rc
	set +e
	"$CUSTOS" acquire "$src" -o "$base" --resume -q >/dev/null 2>"$work/err"
	rc=$?
	set -e
	[ "$rc" = 2 ] || fail "$label: exit $rc: $(cat "$work/err")"
	[ "$(wc -l <"$work/err")" = 1 ] || fail "$label: not one line: $(cat "$work/err")"
	[ "${2:-}" = any ] || grep -Eq "$keys_re" "$work/err" || fail "$label: names no key: $(cat "$work/err")"
	(cd "$work" && sha256sum -c --quiet <<<"$(echo "$sums" | grep -v ' t.resume$')") ||
		fail "$label: files changed"
	[ ! -e "$base.E01" ] && [ ! -e "$base.custody.xml" ] || fail "$label: evidence was written"
	checks=$((checks + 1))
}

keys=$(sed -n '2,$p' "$work/keep/t.resume" | grep -v '^end$' | cut -d' ' -f1 | sort -u)
keys_re="($(echo "$keys" | paste -sd"|")|bad|slow)"
hostile=(-1 abc 99999999999999999999999 18446744073709551615 0x10 '%zz' '')
for key in $keys; do
	for value in "${hostile[@]}"; do
		restore
		python3 - "$base.resume" "$key" "$value" <<'PY'
import sys
path, key, value = sys.argv[1:]
lines = open(path).read().split("\n")
lines = [key + " " + value if l.split(" ")[0] == key else l for l in lines]
open(path, "w").write("\n".join(lines))
PY
		if cmp -s "$base.resume" "$work/keep/t.resume"; then
			continue # the value it already had
		fi
		case "$key=$value" in # an empty file name or text is a valid value
		mapfile= | ddrescue-map= | notes= | description= | evidence-number= | source-model= | source-serial=) continue ;;
		esac
		try "$key=$value"
	done
done

edit() { # edit PYTHON: rewrites the lines of the resume file
	restore
	python3 - "$base.resume" "$1" <<'PY'
import sys
path, code = sys.argv[1:]
lines = open(path).read().split("\n")
exec(code)
open(path, "w").write("\n".join(lines))
PY
}
edit 'lines.insert(3, "bogus 1")'
try "an unknown key" any
edit 'lines.insert(3, lines[2])'
try "a repeated key"
edit 'del lines[5]'
try "a missing key"
edit 'lines.insert(-2, "bad 1000 10"); lines.insert(-2, "bad 10 10")'
try "areas out of order"
edit 'lines.insert(-2, "bad 18446744073709551615 2")'
try "an area past 2^64"
edit 'lines.insert(-2, "slow 0 512 -1")'
try "a negative slow time"
edit 'lines[:] = lines[:len(lines) // 2]'
try "a file cut short" any
edit 'lines[0] = "custos-resume 1"'
try "another version" any
edit 'lines[3] = lines[3] + "\0"'
try "a NUL byte" any
edit 'lines[:] = ["done 1"] + lines'
try "no magic line" any
pass

# the original command line is accepted; a changed setting is refused, naming both values
restore
set +e
"$CUSTOS" acquire "$src" -o "$base" --resume --compression fast -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q -- "--compression: 'fast' differs from 'best'" "$work/err" ||
	fail "a changed setting: exit $rc: $(cat "$work/err")"
set +e
"$CUSTOS" acquire "$src" -o "$base" --resume --examiner "Eve" -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q -- "--examiner: 'Eve' differs from 'José Müller'" "$work/err" ||
	fail "a changed examiner: exit $rc: $(cat "$work/err")"
"$CUSTOS" acquire "$src" -o "$base" "${original[@]}" --resume --threads 1 --json >"$work/r.json" \
	2>"$work/err" || fail "the original command line: $(cat "$work/err")"
[ "$(json "$work/r.json" 'd["hashes"]["md5"]')" = "$(md5_of "$src")" ] || fail "resumed MD5"
[ "$(json "$work/r.json" 'd["hashes"]["sha1"]')" = "$(sha1sum "$src" | cut -d' ' -f1)" ] ||
	fail "resumed SHA-1"
"$CUSTOS" verify "$base.E01" >/dev/null || fail "the resumed evidence does not verify"
pass

# a resume with another offset is refused: the source no longer holds the last chunk there
rm -f "$base".*
set +e
"$CUSTOS" acquire "$src" -o "$base" --x-checkpoint 512KiB --x-interrupt-at 2MiB -q 2>/dev/null
set -e
sed -i 's/^offset 0$/offset 512/; s/^length 8388608$/length 8388096/' "$base.resume"
set +e
"$CUSTOS" acquire "$src" -o "$base" --resume -q 2>"$work/err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "a moved offset: exit $rc: $(cat "$work/err")"
pass

echo "resume_file: $checks checks passed"
