#!/bin/bash
# bench/mount.sh - serving evidence through FUSE, in the same run on the
# same set: custos mount against Debian's ewfmount 20140813.
#   - a sequential read (dd bs=1M to /dev/null) of a fast-compressed 1 GiB
#     E01's media, every page cache dropped first (the set's segment file is
#     then read into the page cache again, as from a fast array): custos
#     mount as it mounts by default, custos mount --direct-io, and ewfmount
#     (target: custos 3x ewfmount);
#   - a second sequential read through a chunk cache that holds the whole
#     media (--cache 1200M --direct-io): served with no inflate;
#   - 20000 random 4 KiB reads (a fixed seed), every cache dropped first:
#     each server is mounted afresh for each run, so that custos' chunk
#     cache holds nothing of the run before (target: 2x ewfmount);
#   - the floor under the random reads: the same 20000 reads from a mount
#     whose chunk cache already holds every chunk (--cache 1200M, filled by
#     a sequential read, the page cache then dropped): FUSE's round trip and
#     the copy, with no chunk to read or inflate;
#   - the peak memory of each server (VmHWM).
#
# usage: bench/mount.sh [SIZE]   (as root: FUSE and drop_caches; needs build/
#                                 and ewf-tools; ROUNDS=5 by default)
# The tools take turns within each round; the medians of the rounds count.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1GiB}
[ "$(id -u)" = 0 ] || { echo "bench/mount.sh: needs root (FUSE mounts, drop_caches)" >&2; exit 77; }
command -v ewfmount >/dev/null || { echo "bench/mount.sh: needs ewfmount (ewf-tools)" >&2; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/custos-bench.XXXXXX")
cleanup() {
	for m in "$dir"/m-*; do fusermount3 -u "$m" 2>/dev/null || true; done
	chmod -R u+w "$dir"
	rm -rf "$dir"
}
trap cleanup EXIT

[ -x build/custos ] || { cmake -S . -B build >/dev/null && cmake --build build -j"$(nproc)" >/dev/null; }

build/tests/mkmedium "$size" 44 >"$dir/medium.img"
bytes=$(stat -c %s "$dir/medium.img")
build/custos acquire "$dir/medium.img" -o "$dir/image" --compression fast -q
rm "$dir/medium.img"
mkdir "$dir/m-custos" "$dir/m-direct" "$dir/m-cached" "$dir/m-ewf" "$dir/m-floor"
build/custos mount "$dir/image.E01" "$dir/m-custos" >/dev/null
build/custos mount "$dir/image.E01" "$dir/m-direct" --direct-io >/dev/null
build/custos mount "$dir/image.E01" "$dir/m-cached" --direct-io --cache 1200M >/dev/null
ewfmount "$dir/image.E01" "$dir/m-ewf" >/dev/null
server_pid() { pgrep -f -- "$1" | head -1; }

cold() { # caches dropped, the evidence read back into the page cache
	sync
	echo 3 >/proc/sys/vm/drop_caches
	cat "$dir/image.E01" >/dev/null
}
seconds() { # seconds COMMAND...: wall time of one run
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}
remount() { # remount MOUNTPOINT COMMAND...: unmounted, then mounted afresh by COMMAND
	fusermount3 -u "$1"
	while mountpoint -q "$1"; do sleep 0.05; done
	"${@:2}" >/dev/null 2>&1
}
seq_read() { cold; seconds dd if="$1" of=/dev/null bs=1M; }
random_read() { # random_read FILE MOUNTPOINT COMMAND...: 20000 random 4 KiB reads, mounted afresh
	remount "${@:2}"
	cold
	random_once "$1"
}
random_once() { # random_once FILE: 20000 random 4 KiB reads of FILE, as it is mounted now
	seconds python3 -c '
import os, random, sys
f = os.open(sys.argv[1], os.O_RDONLY)
size = os.fstat(f).st_size
r = random.Random(20221)
for _ in range(20000):
    off = r.randrange(size // 4096) * 4096
    if len(os.pread(f, 4096, off)) != 4096:
        sys.exit("short read")
' "$1"
}

# Rounds: each tool in turn, so that a machine whose speed drifts (a virtual
# machine's neighbours) is the same for both within a round; the medians of
# the times and of the rounds' ratios are reported.
rounds=${ROUNDS:-5}
: >"$dir/rounds"
for r in $(seq "$rounds"); do
	cs=$(seq_read "$dir/m-custos/image.raw")
	cd_=$(seq_read "$dir/m-direct/image.raw")
	es=$(seq_read "$dir/m-ewf/ewf1")
	cr=$(random_read "$dir/m-custos/image.raw" "$dir/m-custos" build/custos mount "$dir/image.E01" "$dir/m-custos")
	er=$(random_read "$dir/m-ewf/ewf1" "$dir/m-ewf" ewfmount "$dir/image.E01" "$dir/m-ewf")
	echo "$cs $cd_ $es $cr $er" | tee -a "$dir/rounds" >&2
done
dd if="$dir/m-cached/image.raw" of=/dev/null bs=1M 2>/dev/null # fills the chunk cache
warm=$(seconds dd if="$dir/m-cached/image.raw" of=/dev/null bs=1M)
build/custos mount "$dir/image.E01" "$dir/m-floor" --cache 1200M >/dev/null
dd if="$dir/m-floor/image.raw" of=/dev/null bs=1M 2>/dev/null # every chunk in its cache
floor=$(for r in 1 2 3; do cold; random_once "$dir/m-floor/image.raw"; done | sort -n | sed -n 2p)
hwm() { awk '/VmHWM/ {print $2 / 1024}' "/proc/$1/status"; }
cm=$(hwm "$(server_pid "custos mount $dir/image.E01 $dir/m-custos")")
dm=$(hwm "$(server_pid "custos mount $dir/image.E01 $dir/m-direct")")
wm=$(hwm "$(server_pid "custos mount $dir/image.E01 $dir/m-cached")")
em=$(hwm "$(server_pid "ewfmount.*$dir/m-ewf")")
python3 - "$bytes" "$warm" "$cm" "$dm" "$wm" "$em" "$floor" "$dir/rounds" <<'PY'
import statistics, sys
b, warm, cm, dm, wm, em, floor = map(float, sys.argv[1:8])
rows = [list(map(float, l.split())) for l in open(sys.argv[8]) if l.strip()]
med = lambda xs: statistics.median(xs)
cs, cd, es, cr, er = (med([r[i] for r in rows]) for i in range(5))
seq_ratio = med([r[2] / r[0] for r in rows])
dio_ratio = med([r[2] / r[1] for r in rows])
rnd_ratio = med([r[4] / r[3] for r in rows])
mb = lambda s: b / s / 1e6
print(f"set: {b/2**20:.0f} MiB of mixed media, fast compression; {len(rows)} rounds, medians")
print(f"sequential (caches dropped): custos mount {cs:.2f} s ({mb(cs):.0f} MB/s), "
      f"--direct-io {cd:.2f} s ({mb(cd):.0f} MB/s), ewfmount {es:.2f} s ({mb(es):.0f} MB/s): "
      f"ratio {seq_ratio:.2f}x, --direct-io {dio_ratio:.2f}x (target 3x)")
print(f"second sequential read from the chunk cache (--cache 1200M --direct-io): {warm:.2f} s "
      f"({mb(warm):.0f} MB/s)")
print(f"20000 random 4 KiB reads: custos mount {cr:.2f} s, ewfmount {er:.2f} s: "
      f"ratio {rnd_ratio:.2f}x (target 2x); the rounds' ratios: "
      + ", ".join(f"{r[4]/r[3]:.2f}" for r in rows))
print(f"the floor: the same reads from a chunk cache holding every chunk, {floor:.2f} s "
      f"({floor/20000*1e6:.0f} us a read: FUSE and the page cache); custos' misses "
      f"{cr/20000*1e6:.0f} us, ewfmount's {er/20000*1e6:.0f} us a read")
print(f"peak memory: custos mount {cm:.0f} MiB, --direct-io {dm:.0f} MiB, "
      f"--cache 1200M {wm:.0f} MiB; ewfmount {em:.0f} MiB")
PY
