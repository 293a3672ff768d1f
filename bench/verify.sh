#!/bin/bash
# bench/verify.sh - custos verify against ewfverify -d sha256 20140813 on the
# same fast-compressed image, in the same run.
#
# usage: bench/verify.sh [SIZE]   (default 512MiB; needs build/ and ewf-tools)
#
# The image is custos's E01 of mkmedium's mixed medium, fast compression,
# MD5 + SHA-256.  Each tool runs twice; the faster run counts.  Prints the
# ratio against issue 5's target (1.5x) and the share of one MD5 stream
# (goal 90%).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-512MiB}
dir=$(mktemp -d "${TMPDIR:-/tmp}/custos-bench.XXXXXX")
trap 'chmod -R u+w "$dir"; rm -rf "$dir"' EXIT

[ -x build/custos ] || { cmake -S . -B build >/dev/null && cmake --build build -j"$(nproc)" >/dev/null; }
build/tests/mkmedium "$size" 43 >"$dir/medium.img"
bytes=$(stat -c %s "$dir/medium.img")
build/custos acquire "$dir/medium.img" -o "$dir/image" -q
rm "$dir/medium.img"
cat "$dir"/image.E* >/dev/null # both tools read it from the page cache

best() { # best LABEL COMMAND...: the faster of two runs, as "seconds peak"
	local label=$1 out s m best_s=999999 best_m=0
	shift
	for _ in 1 2; do
		out=$(python3 bench/run.py "$label" "$@")
		echo "$out" >&2
		s=$(echo "$out" | sed 's/.*seconds=\([0-9.]*\).*/\1/')
		m=$(echo "$out" | sed 's/.*peak_rss_mib=\([0-9.]*\).*/\1/')
		best_s=$(python3 -c "print(min($best_s, $s))")
		best_m=$m
	done
	echo "$best_s $best_m"
}

read -r cv cvm < <(best "custos verify" build/custos verify "$dir/image.E01")
read -r ev evm < <(best "ewfverify -d sha256" ewfverify -q -d sha256 "$dir/image.E01")
md5=$(openssl speed -evp md5 -bytes 1048576 -seconds 2 2>/dev/null | awk '/^md5/ {sub("k","",$2); print $2 * 1000}')
python3 - "$bytes" "$cv" "$ev" "$md5" "$cvm" "$evm" <<'PY'
import sys
b, cv, ev, md5, cvm, evm = map(float, sys.argv[1:])
print(f"image: {b/2**20:.0f} MiB of mixed media, fast compression; one MD5 stream: {md5/1e6:.0f} MB/s")
print(f"verify: custos {cv:.2f} s ({b/cv/1e6:.0f} MB/s, peak {cvm:.0f} MiB), "
      f"ewfverify -d sha256 {ev:.2f} s ({b/ev/1e6:.0f} MB/s, peak {evm:.0f} MiB): "
      f"ratio {ev/cv:.2f}x (target 1.5x); {100*b/cv/md5:.0f}% of one MD5 stream (goal 90%)")
PY
