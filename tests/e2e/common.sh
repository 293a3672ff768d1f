# common.sh - helpers for the end-to-end tests (sourced, not run).
#
# Each test makes its media with mkmedium in a temporary directory that is
# removed on exit, runs custos, and asks independent tools for a verdict.
# fail() stops the test with one line; skip() exits 77, which ctest reports
# as skipped, with the reason printed.

: "${CUSTOS:?CUSTOS must name the custos binary}"
: "${MKMEDIUM:?MKMEDIUM must name the mkmedium binary}"

work=$(mktemp -d "${TMPDIR:-/tmp}/custos-e2e.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
checks=0

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

pass() {
	checks=$((checks + 1))
}

need() {
	command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed (tools/deps installs it)"
}

# padded SRC BPS OUT: SRC completed with zeros to a whole number of sectors
padded() {
	local size
	size=$(stat -c %s "$1")
	cp "$1" "$3"
	truncate -s $(((size + $2 - 1) / $2 * $2)) "$3"
}

# json FILE EXPR: prints a value of the JSON summary (python's json module)
json() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

md5_of() { md5sum "$1" | cut -d' ' -f1; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
