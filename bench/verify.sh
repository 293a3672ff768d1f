#!/bin/bash
# bench/verify.sh - re-verifying, in the same run on the same set:
#   - custos verify (full: every chunk, MD5 and SHA-256) against
#     ewfverify -d sha256 20140813, and as a share of one MD5 stream
#     (openssl speed -evp md5), on a fast-compressed set (default 512MiB);
#   - custos verify --segments (each segment file's SHA-256 against the
#     custody log, on every core) against the full verify and against
#     sha256sum of the same files, on a 1 GiB set in 128 MiB segments;
#   - custos verify of an AFF4 volume of the same medium (lz4, SHA-256 block
#     hashes: every block hash, the blockMapHash and the linear digests
#     checked) as a share of one MD5 stream (target 90%), beside ewfverify
#     -d sha256 of the E01.
#
# usage: bench/verify.sh [SIZE]   (needs build/ and ewf-tools)
#
# The media are mkmedium's mix of random, zero, text and repeated blocks.
# Each command runs three times; the median counts.  The files are read from
# the page cache, as the tools would read them from a fast array.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-512MiB}
dir=$(mktemp -d "${TMPDIR:-/tmp}/custos-bench.XXXXXX")
trap 'chmod -R u+w "$dir"; rm -rf "$dir"' EXIT

[ -x build/custos ] || { cmake -S . -B build >/dev/null && cmake --build build -j"$(nproc)" >/dev/null; }

median() { # median LABEL COMMAND...: the median of three runs, as "seconds peak"
	local label=$1 out s m all=()
	shift
	for _ in 1 2 3; do
		out=$(python3 bench/run.py "$label" "$@")
		echo "$out" >&2
		s=$(echo "$out" | sed 's/.*seconds=\([0-9.]*\).*/\1/')
		m=$(echo "$out" | sed 's/.*peak_rss_mib=\([0-9.]*\).*/\1/')
		all+=("$s")
	done
	echo "$(printf '%s\n' "${all[@]}" | sort -n | sed -n 2p) $m"
}

build/tests/mkmedium "$size" 43 >"$dir/medium.img"
bytes=$(stat -c %s "$dir/medium.img")
build/custos acquire "$dir/medium.img" -o "$dir/image" -q
build/custos acquire "$dir/medium.img" -o "$dir/volume" --format aff4 -q
build/tests/mkmedium 1GiB 44 >"$dir/big.img"
big=$(stat -c %s "$dir/big.img")
build/custos acquire "$dir/big.img" -o "$dir/big" --segment-size 128MiB -q
rm "$dir/medium.img" "$dir/big.img"
cat "$dir"/image.E* "$dir"/big.E* "$dir"/volume.aff4 >/dev/null # every tool reads from the page cache

read -r cv cvm < <(median "custos verify" build/custos verify "$dir/image.E01")
read -r ev evm < <(median "ewfverify -d sha256" ewfverify -q -d sha256 "$dir/image.E01")
read -r av avm < <(median "custos verify (AFF4, lz4)" build/custos verify "$dir/volume.aff4")
read -r bf bfm < <(median "custos verify (1 GiB)" build/custos verify "$dir/big.E01")
read -r bs bsm < <(median "custos verify --segments (1 GiB)" build/custos verify --segments "$dir/big.E01")
read -r ss ssm < <(median "sha256sum (1 GiB)" sha256sum "$dir"/big.E*)
md5=$(openssl speed -evp md5 -bytes 1048576 -seconds 2 2>/dev/null | awk '/^md5/ {sub("k","",$2); print $2 * 1000}')
python3 - "$bytes" "$cv" "$ev" "$md5" "$cvm" "$evm" "$big" "$bf" "$bs" "$ss" "$bsm" "$av" "$avm" <<'PY'
import sys
b, cv, ev, md5, cvm, evm, big, bf, bs, ss, bsm, av, avm = map(float, sys.argv[1:])
print(f"set: {b/2**20:.0f} MiB of mixed media, fast compression; one MD5 stream: {md5/1e6:.0f} MB/s")
print(f"full verify: custos {cv:.2f} s ({b/cv/1e6:.0f} MB/s, peak {cvm:.0f} MiB), "
      f"ewfverify -d sha256 {ev:.2f} s ({b/ev/1e6:.0f} MB/s, peak {evm:.0f} MiB): "
      f"ratio {ev/cv:.2f}x; {100*b/cv/md5:.0f}% of one MD5 stream (target 80%)")
print(f"1 GiB in 128 MiB segments: full verify {bf:.2f} s, --segments {bs:.2f} s (peak {bsm:.0f} MiB): "
      f"{bf/bs:.2f}x faster (target 3x); sha256sum of the same files {ss:.2f} s ({ss/bs:.2f}x --segments' time)")
print(f"AFF4 verify (lz4, SHA-256 block hashes): custos {av:.2f} s ({b/av/1e6:.0f} MB/s, peak {avm:.0f} MiB): "
      f"{100*b/av/md5:.0f}% of one MD5 stream (target 90%); {ev/av:.2f}x ewfverify -d sha256 of the E01")
PY
