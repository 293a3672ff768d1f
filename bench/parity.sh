#!/bin/bash
# bench/parity.sh - parity and repair (issue 23), in the same run on the same set:
#   - custos protect --parity 5 against par2 create -r5 (par2cmdline) of the
#     same segment files, the two taking turns (target: at least its speed),
#     in both formats: PAR2 (par2cmdline itself) and rs (ISA-L);
#   - acquire --parity 5 against the same acquisition without it, in both
#     formats (target: at most +30%);
#   - custos repair of a set with one damaged 128 MiB segment against the
#     time of one full custos verify plus par2 repair of the same damage
#     (the rebuild) on a copy (target: at most that sum), in both formats.
#
# usage: bench/parity.sh [SIZE]   (default 1GiB; needs build/ and par2)
#
# The medium is mkmedium's mix, acquired without compression in 128 MiB
# segments, read from the page cache.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1GiB}
run="python3 $PWD/bench/run.py"
dir=$(mktemp -d "${TMPDIR:-/tmp}/custos-bench.XXXXXX")
trap 'chmod -R u+w "$dir"; rm -rf "$dir"' EXIT

[ -x build/custos ] || { cmake -S . -B build >/dev/null && cmake --build build -j"$(nproc)" >/dev/null; }
build/tests/mkmedium "$size" 44 >"$dir/medium.img"
bytes=$(stat -c %s "$dir/medium.img")
acq() { build/custos acquire "$dir/medium.img" -o "$1" -q --compression none --segment-size 128MiB "${@:2}"; }
secs() { sed 's/.*seconds=\([0-9.]*\).*/\1/'; }
peak() { sed 's/.*peak_rss_mib=\([0-9.]*\).*/\1/'; }

mkdir "$dir/set"
acq "$dir/set/disk"
cat "$dir/set"/* >/dev/null
# protect (both formats) and par2 create take turns, twice each; the faster of each counts
p=() c=() s=()
for round in 1 2; do
	rm -rf "$dir/s" && cp -a "$dir/set" "$dir/s"
	out=$($run "custos protect --parity 5 --parity-format rs" build/custos protect "$dir/s/disk.E01" --parity 5 --parity-format rs)
	echo "$out" >&2
	s+=("$(echo "$out" | secs) $(echo "$out" | peak)")
	rm -rf "$dir/p" && cp -a "$dir/set" "$dir/p"
	out=$($run "custos protect --parity 5" build/custos protect "$dir/p/disk.E01" --parity 5)
	echo "$out" >&2
	p+=("$(echo "$out" | secs) $(echo "$out" | peak)")
	rm -f "$dir"/x*.par2
	out=$(cd "$dir/set" && $run "par2 create -r5" par2 create -q -q -r5 -n1 "$dir/x.par2" disk.E*)
	echo "$out" >&2
	c+=("$(echo "$out" | secs) $(echo "$out" | peak)")
done
read -r ps pm < <(printf '%s\n' "${p[@]}" | sort -n | head -1)
read -r cs cm < <(printf '%s\n' "${c[@]}" | sort -n | head -1)
read -r ss sm < <(printf '%s\n' "${s[@]}" | sort -n | head -1)

# acquire with and without --parity 5
rm -rf "$dir/a" && mkdir "$dir/a"
a0=$($run "acquire" bash -c "$(declare -f acq); dir='$dir'; acq '$dir/a/d0'" | tee /dev/stderr | secs)
a5=$($run "acquire --parity 5" bash -c "$(declare -f acq); dir='$dir'; acq '$dir/a/d5' --parity 5" | tee /dev/stderr | secs)
a0b=$($run "acquire" bash -c "$(declare -f acq); dir='$dir'; acq '$dir/a/d0b'" | tee /dev/stderr | secs)
ar=$($run "acquire --parity 5 --parity-format rs" bash -c "$(declare -f acq); dir='$dir'; acq '$dir/a/dr' --parity 5 --parity-format rs" | tee /dev/stderr | secs)
a0=$(printf '%s\n' "$a0" "$a0b" | sort -n | head -1)
rm -rf "$dir/a"

# repair of one damaged 128 MiB segment; the bound: a full verify plus par2's rebuild
damage() { chmod u+w "$1" && python3 -c "
import sys
with open(sys.argv[1], 'r+b') as f:
    f.seek(64 << 20); f.write(b'\xa5' * (1 << 20))" "$1"; }
rm -rf "$dir/r" && cp -a "$dir/p" "$dir/r" && damage "$dir/r/disk.E03"
rm -rf "$dir/q" && cp -a "$dir/p" "$dir/q" && damage "$dir/q/disk.E03"
rv=$($run "custos verify (intact)" build/custos verify "$dir/p/disk.E01" | tee /dev/stderr | secs)
rr=$(cd "$dir/q" && $run "par2 repair (the rebuild)" par2 repair -q -q disk.par2 | tee /dev/stderr | secs)
rc=$($run "custos repair" build/custos repair "$dir/r/disk.E01" | tee /dev/stderr | secs)
cmp -s "$dir/r/disk.E03" "$dir/set/disk.E03" || { echo "custos repair did not restore disk.E03" >&2; exit 1; }
rm -rf "$dir/t" && cp -a "$dir/s" "$dir/t" && damage "$dir/t/disk.E03"
rs=$($run "custos repair (rs)" build/custos repair "$dir/t/disk.E01" | tee /dev/stderr | secs)
cmp -s "$dir/t/disk.E03" "$dir/set/disk.E03" || { echo "custos repair (rs) did not restore disk.E03" >&2; exit 1; }

python3 - "$bytes" "$ps" "$pm" "$cs" "$cm" "$a0" "$a5" "$rv" "$rr" "$rc" "$ss" "$sm" "$ar" "$rs" <<'PY'
import sys
b, ps, pm, cs, cm, a0, a5, rv, rr, rc, ss, sm, ar, rs = map(float, sys.argv[1:])
print(f"set: {b/2**20:.0f} MiB in 128 MiB segments, no compression")
print(f"protect --parity 5: custos {ps:.1f} s (peak {pm:.0f} MiB), par2 create -r5 {cs:.1f} s (peak {cm:.0f} MiB): {cs/ps:.2f}x par2's speed (target at least 1x)")
print(f"protect --parity 5 --parity-format rs: custos {ss:.2f} s (peak {sm:.0f} MiB): {cs/ss:.1f}x par2's speed (target at least 1x)")
print(f"acquire --parity 5: {a5:.1f} s against {a0:.2f} s without: {100*(a5/a0-1):+.0f}% time (target at most +30%)")
print(f"acquire --parity 5 --parity-format rs: {ar:.2f} s against {a0:.2f} s without: {100*(ar/a0-1):+.0f}% time (target at most +30%)")
print(f"repair of one damaged 128 MiB segment: {rc:.1f} s against a full verify {rv:.1f} s + par2's rebuild {rr:.1f} s = {rv+rr:.1f} s: {rc/(rv+rr):.2f} of the bound (target at most 1)")
print(f"repair (rs) of the same damage: {rs:.2f} s: {rs/(rv+rr):.2f} of the bound; {rs/rv:.2f}x one full verify")
PY
