# common.sh - helpers for the end-to-end tests (sourced, not run).
#
# Each test makes its media with mkmedium in a temporary directory that is
# removed on exit, runs custos, and asks independent tools for a verdict.
# fail() stops the test with one line; skip() exits 77, which ctest reports
# as skipped, with the reason printed.

: "${CUSTOS:?CUSTOS must name the custos binary}"
: "${MKMEDIUM:?MKMEDIUM must name the mkmedium binary}"

work=$(mktemp -d "${TMPDIR:-/tmp}/custos-e2e.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
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

# Waiting: a builder may be slow or loaded, so no check stands on how long a
# step took.  A bound only catches a hang, and is generous: 30 s for what
# should happen at once.

# wait_until SECONDS CMD...: polls CMD until it succeeds; status 1 if it
# still fails after SECONDS
wait_until() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# reap PID SECONDS WHAT: waits for the background process PID and returns
# its exit status; one still running after SECONDS is killed, and the test
# fails naming WHAT
reap() {
	local pid=$1 end=$((SECONDS + $2))
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$SECONDS" -ge "$end" ]; then
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			fail "$3: still running after $2 s"
		fi
		sleep 0.05
	done
	wait "$pid"
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

# json_run NAME ARGS...: custos ARGS --json, its output into $work/NAME.json,
# its stderr into $work/NAME.err, its exit status in $rc (the test goes on)
json_run() {
	local name=$1
	shift
	set +e
	"$CUSTOS" "$@" --json >"$work/$name.json" 2>"$work/$name.err"
	rc=$?
	set -e
}
