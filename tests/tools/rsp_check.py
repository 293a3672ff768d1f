#!/usr/bin/env python3
"""rsp_check.py - an independent reader of custos' Reed-Solomon parity
(docs/parity-rs.md), written from that page alone: no code of custos or of
ISA-L.

usage: rsp_check.py BASE.rsp

Checks the header and the table (every bound, the CRC-64), that every piece of
every data shard (the set's files, beside the parity file) and of every parity
shard has the CRC-64 the table gives, and that every parity byte is the Cauchy
Reed-Solomon code of the data: sum over i of 1/((k+j) XOR i) * D_i, in
GF(2^8) mod 0x11D.  The CRC-64 is liblzma's (the check of an .xz stream with
CHECK_CRC64, which is CRC-64/XZ), so that custos' CRC is held to another
implementation.  Exits 0 when all holds, 1 with a line saying what does not.
"""
import lzma
import os
import struct
import sys


def crc64(data):
    """CRC-64/XZ of data, as liblzma stores it in an .xz block's check."""
    x = lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=0)
    backward = struct.unpack("<I", x[-8:-4])[0]
    index = len(x) - 12 - (backward + 1) * 4
    return struct.unpack("<Q", x[index - 8:index])[0]


def gf_tables():
    """Multiplication in GF(2^8) mod x^8+x^4+x^3+x^2+1, as 256 byte-translation tables."""
    exp, log = [0] * 512, [0] * 256
    v = 1
    for i in range(255):
        exp[i] = v
        log[v] = i
        v <<= 1
        if v & 0x100:
            v ^= 0x11D
    for i in range(255, 512):
        exp[i] = exp[i - 255]

    def mul(a, b):
        return 0 if a == 0 or b == 0 else exp[log[a] + log[b]]

    def inv(a):
        return exp[255 - log[a]]

    return [bytes(mul(c, x) for x in range(256)) for c in range(256)], inv


def fail(msg):
    print("rsp_check: " + msg)
    sys.exit(1)


def main():
    path = sys.argv[1]
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(4096)
        if len(head) < 4096 or head[:8] != b"CUSTOSRS":
            fail("not a custos Reed-Solomon parity file")
        version, k, m, n_files, S, P, L, T, crc = struct.unpack("<IIIIQQQQQ", head[8:64])
        if version != 1 or k < 1 or m < 1 or k + m > 255 or not 1 <= n_files <= 65535:
            fail("a header field is out of bounds")
        if any(head[64:]):
            fail("the header's unused bytes are not zeros")
        if S != (-(-L // k) + 4095) // 4096 * 4096 or P % 4096 or not 0 < P <= S:
            fail("S or P is not as the layout defines them")
        pieces = -(-S // P)
        if pieces > 16384 or T > 64 << 20:
            fail("too many pieces, or too large a table")
        A = (4096 + T + 4095) // 4096 * 4096
        if size != A + m * S:
            fail("the file is not A + m*S bytes long")
        table = f.read(T)
        if crc64(head[:56] + table) != crc:
            fail("the header's CRC-64 does not match")
        files, at, total = [], 0, 0
        for _ in range(n_files):
            n = struct.unpack("<H", table[at:at + 2])[0]
            name = table[at + 2:at + 2 + n].decode()
            (fsize,) = struct.unpack("<Q", table[at + 2 + n:at + 10 + n])
            if not 1 <= n <= 255 or "/" in name or name in (".", ".."):
                fail("a file name is not a file name")
            files.append((name, fsize))
            total += fsize
            at += 10 + n
        if total != L or T - at != (k + m) * pieces * 8:
            fail("the table does not add up")
        checks = struct.unpack("<%dQ" % ((k + m) * pieces), table[at:])
        stream = b"".join(
            open(os.path.join(os.path.dirname(path) or ".", name), "rb").read() for name, _ in files)
        if len(stream) != L:
            fail("the set's files are not the sizes the table gives")
        stream += bytes(k * S - L)
        f.seek(A)
        parity = f.read(m * S)
    mul, inv = gf_tables()
    for j in range(m):
        acc = 0
        for i in range(k):
            shard = stream[i * S:(i + 1) * S]
            acc ^= int.from_bytes(shard.translate(mul[inv((k + j) ^ i)]), "little")
        if acc.to_bytes(S, "little") != parity[j * S:(j + 1) * S]:
            fail("parity shard %d is not the Cauchy Reed-Solomon code of the data" % j)
    for r in range(k + m):
        shard = stream[r * S:(r + 1) * S] if r < k else parity[(r - k) * S:(r - k + 1) * S]
        for q in range(pieces):
            if crc64(shard[q * P:(q + 1) * P]) != checks[r * pieces + q]:
                fail("the CRC-64 of piece %d of shard %d does not match" % (q, r))
    print("rsp_check: k=%d m=%d S=%d P=%d, %d files: the parity and every check hold"
          % (k, m, S, P, n_files))


main()
