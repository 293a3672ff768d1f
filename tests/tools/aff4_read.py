#!/usr/bin/python3
# aff4_read.py - an independent reader of AFF4 Standard v1.0 disk images, the
# test witness for what custos writes with --format aff4.
#
#   aff4_read.py VOLUME --json       prints one JSON object describing the
#                                    volume, the media digests read through
#                                    the map and the result of every hash
#                                    check (keys listed in describe())
#   aff4_read.py VOLUME --media OUT  writes the media bytes, read through the
#                                    map with symbolic fill, to OUT ("-" for
#                                    standard output), chunk by chunk
#
# Exit 0 on success; exit 1 with one line on stderr when the volume is
# malformed (ZIP, index, chunk, map, Turtle) or cannot be read.
#
# Written from the AFF4 Standard v1.0 and container/aff4/FORMAT.md only:
# ZIP64 container read with zipfile plus checks of its own records, bevies
# "<stream>/%08d" with a ".index" of <offset u64, length u32> entries, a chunk
# stored raw when its length is chunkSize and otherwise decompressed to exactly
# chunkSize, an aff4:Map of <mappedOffset u64, length u64, targetOffset u64,
# targetID u32> entries with an idx of target URIs, symbolic streams, block
# hashes "%08d.blockHash.<alg>", BlockHashes, map hashes and blockMapHash.
# Runs under Debian's /usr/bin/python3 for python3-snappy, python3-lz4 and
# python3-rdflib.
import argparse
import collections
import hashlib
import json
import logging
import os
import re
import struct
import sys
import urllib.parse
import zipfile
import zlib

AFF4 = "http://aff4.org/Schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

SNAPPY = ("http://code.google.com/p/snappy/", "https://github.com/google/snappy")
LZ4 = ("https://code.google.com/p/lz4/",)
DEFLATE = ("https://tools.ietf.org/html/rfc1951", "http://tools.ietf.org/html/rfc1951")
ZLIB = ("https://www.ietf.org/rfc/rfc1950.txt",)
STORED = (AFF4 + "NullCompressor", AFF4 + "compression/stored")

TILE = 1024 * 1024  # repeated-string symbolic streams are built of 1 MiB tiles
REPEATED = {AFF4 + "UnknownData": b"UNKNOWN", AFF4 + "UnreadableData": b"UNREADABLEDATA"}
UNREADABLE = AFF4 + "UnreadableData"

# block hash algorithms, in the order the blockMapHash concatenates them
BLOCK_ALGS = ["md5", "sha1", "sha256", "sha512", "blake2b"]
# hash datatypes (local names in the aff4 namespace) -> hashlib name
HASH_TYPES = {
    "MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA512": "sha512",
    "blake2b": "blake2b", "Blake2b": "blake2b",
}
BLOCK_MAP_TYPES = {"blockMapHashSHA512": "sha512", "blockMapHashSHA256": "sha256"}

MAP_ENTRY = struct.Struct("<QQQI")
INDEX_ENTRY = struct.Struct("<QI")
U64 = (1 << 64) - 1

MAX_SMALL_MEMBER = 256 * 1024 * 1024  # Turtle, idx, index, block hash members
MAX_CHUNK = 256 * 1024 * 1024
IO_BLOCK = 1024 * 1024


class Malformed(Exception):
    pass


def new_hash(name):
    if name == "blake2b":
        return hashlib.blake2b(digest_size=64)
    return hashlib.new(name)


def digest_size(name):
    return new_hash(name).digest_size


# ---------------------------------------------------------------- ZIP ------

class Volume:
    """The ZIP container: zipfile for the central directory, own checks of the
    end records and local headers, and direct reads of stored members."""

    def __init__(self, path):
        self.path = path
        try:
            self.f = open(path, "rb")
        except OSError as e:
            raise Malformed("cannot open %s: %s" % (path, e.strerror))
        self.size = os.fstat(self.f.fileno()).st_size
        try:
            self.zip = zipfile.ZipFile(self.f)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, struct.error, OSError) as e:
            raise Malformed("bad ZIP: %s" % e)
        self.cd_offset = self._end_records()
        if self.zip.start_dir != self.cd_offset:
            raise Malformed("bad ZIP: central directory is not where the end record says "
                            "(%d bytes before it)" % (self.zip.start_dir - self.cd_offset))
        self.by_name = {}
        for i in infos:
            if i.filename in self.by_name:
                raise Malformed("bad ZIP: duplicate member %r" % i.filename)
            try:
                name = urllib.parse.unquote(i.filename, errors="strict")
            except UnicodeDecodeError:
                raise Malformed("bad ZIP: member name %r does not decode" % i.filename)
            if (not i.filename or i.filename.startswith("/") or "\0" in name
                    or ".." in name.split("/") or "\\" in name):
                raise Malformed("bad ZIP: member name %r escapes the volume" % i.filename)
            self.by_name[i.filename] = i
        self.data_offset = {}
        ordered = sorted(infos, key=lambda i: i.header_offset)
        for n, i in enumerate(ordered):
            start = self._local_header(i)
            end = start + i.compress_size
            limit = ordered[n + 1].header_offset if n + 1 < len(ordered) else self.cd_offset
            if end > limit:
                raise Malformed("bad ZIP: member %r overlaps what follows it" % i.filename)
            if i.flag_bits & 0x08:
                self._descriptor(i, end, limit)
            self.data_offset[i.filename] = start
        self.members = [i.filename for i in ordered]
        self.comment = self.zip.comment

    def _read_at(self, offset, length):
        data = os.pread(self.f.fileno(), length, offset)
        if len(data) != length:
            raise Malformed("bad ZIP: truncated at offset %d" % offset)
        return data

    def _end_records(self):
        """Central directory offset as the (ZIP64) end records state it."""
        tail_len = min(self.size, 22 + 65535)
        tail = self._read_at(self.size - tail_len, tail_len)
        pos = len(tail) - 22
        while pos >= 0:
            pos = tail.rfind(b"PK\x05\x06", 0, pos + 1)
            if pos < 0:
                break
            clen = struct.unpack_from("<H", tail, pos + 20)[0]
            if pos + 22 + clen == len(tail):
                break
            pos -= 1
        if pos < 0:
            raise Malformed("bad ZIP: no end of central directory record")
        eocd = self.size - tail_len + pos
        cd_size, cd_offset = struct.unpack_from("<II", tail, pos + 12)
        if eocd >= 20:
            loc = self._read_at(eocd - 20, 20)
            if loc[:4] == b"PK\x06\x07":
                rec_off = struct.unpack_from("<Q", loc, 8)[0]
                if rec_off + 56 > eocd - 20:
                    raise Malformed("bad ZIP: ZIP64 end record out of bounds")
                rec = self._read_at(rec_off, 56)
                if rec[:4] != b"PK\x06\x06":
                    raise Malformed("bad ZIP: ZIP64 locator points at no ZIP64 end record")
                cd_size, cd_offset = struct.unpack_from("<QQ", rec, 40)
                if cd_offset + cd_size != rec_off:
                    raise Malformed("bad ZIP: central directory does not end at the ZIP64 end record")
                return cd_offset
        if cd_offset == 0xFFFFFFFF or cd_size == 0xFFFFFFFF:
            raise Malformed("bad ZIP: ZIP64 values without a ZIP64 end record")
        if cd_offset + cd_size != eocd:
            raise Malformed("bad ZIP: central directory does not end at the end record")
        return cd_offset

    def _local_header(self, info):
        if info.header_offset + 30 > self.cd_offset:
            raise Malformed("bad ZIP: local header of %r out of bounds" % info.filename)
        h = self._read_at(info.header_offset, 30)
        if h[:4] != b"PK\x03\x04":
            raise Malformed("bad ZIP: no local header for %r" % info.filename)
        method, = struct.unpack_from("<H", h, 8)
        nlen, elen = struct.unpack_from("<HH", h, 26)
        name = self._read_at(info.header_offset + 30, nlen)
        if name != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"):
            raise Malformed("bad ZIP: local name differs from central name for %r" % info.filename)
        if method != info.compress_type:
            raise Malformed("bad ZIP: local and central methods differ for %r" % info.filename)
        return info.header_offset + 30 + nlen + elen

    def _descriptor(self, info, at, limit):
        """The data descriptor after a member's data must repeat the central
        directory's CRC and sizes (ZIP64 form or 32-bit form, signature optional)."""
        d = self._read_at(at, min(24, limit - at))
        for sig in (4, 0):
            if sig and d[:4] != b"PK\x07\x08":
                continue
            for fmt in ("<IQQ", "<III"):
                n = struct.calcsize(fmt)
                if len(d) >= sig + n:
                    crc, csize, usize = struct.unpack_from(fmt, d, sig)
                    if (crc, csize, usize) == (info.CRC, info.compress_size, info.file_size):
                        return
        raise Malformed("bad ZIP: data descriptor of %r disagrees with the central directory"
                        % info.filename)

    def info_for_urn(self, urn):
        """Member for an AFF4 URN: the 'aff4://' prefix escaped (§5.1-5.2)."""
        if urn.startswith("aff4://"):
            name = "aff4%3A%2F%2F" + urn[len("aff4://"):]
            if name in self.by_name:
                return self.by_name[name]
            for n, i in self.by_name.items():  # any other escaping of the same URN
                if urllib.parse.unquote(n) == urn:
                    return i
        return None

    def blocks(self, info, start=0, length=None, block=IO_BLOCK):
        """Yields the bytes of a member (from start, length bytes)."""
        if length is None:
            length = info.file_size - start
        if start < 0 or length < 0 or start + length > info.file_size:
            raise Malformed("read outside member %r" % info.filename)
        if info.compress_type == zipfile.ZIP_STORED:
            pos = self.data_offset[info.filename] + start
            while length:
                n = min(block, length)
                yield self._read_at(pos, n)
                pos += n
                length -= n
        else:
            try:
                with self.zip.open(info) as fp:
                    skip = start
                    while skip:
                        got = fp.read(min(block, skip))
                        if not got:
                            raise Malformed("bad ZIP: member %r ends early" % info.filename)
                        skip -= len(got)
                    while length:
                        got = fp.read(min(block, length))
                        if not got:
                            raise Malformed("bad ZIP: member %r ends early" % info.filename)
                        length -= len(got)
                        yield got
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError) as e:
                raise Malformed("bad ZIP member %r: %s" % (info.filename, e))

    def read(self, info, start=0, length=None, limit=MAX_SMALL_MEMBER):
        if (info.file_size if length is None else length) > limit:
            raise Malformed("member %r too large" % info.filename)
        return b"".join(self.blocks(info, start, length))

    def check_crcs(self):
        for name in self.members:
            info = self.by_name[name]
            if info.compress_type != zipfile.ZIP_STORED:
                for _ in self.blocks(info):  # zipfile checks the CRC at the end
                    pass
                continue
            crc = 0
            for b in self.blocks(info):
                crc = zlib.crc32(b, crc)
            if crc != info.CRC:
                raise Malformed("bad ZIP: CRC-32 of member %r is %08x, central directory says %08x"
                                % (name, crc, info.CRC))


# ------------------------------------------------------------- Turtle ------

class Graph:
    def __init__(self, data, base):
        logging.getLogger("rdflib").setLevel(logging.CRITICAL + 1)
        try:
            import rdflib
        except ImportError:
            raise Malformed("python3-rdflib is not installed (run with /usr/bin/python3)")
        self.rdflib = rdflib
        rdflib.NORMALIZE_LITERALS = False  # keep every literal's lexical form as written
        g = rdflib.Graph()
        try:
            g.parse(data=data.decode("utf-8"), format="turtle", publicID=base)
        except Exception as e:  # rdflib raises many kinds
            msg = str(e).replace("\n", " ").strip()
            raise Malformed("Turtle does not parse: %s" % (msg[:300] or type(e).__name__))
        self.g = g

    def ref(self, uri):
        return self.rdflib.URIRef(uri)

    def subjects_of_type(self, local):
        return sorted(str(s) for s in self.g.subjects(self.ref(RDF_TYPE), self.ref(AFF4 + local))
                      if isinstance(s, self.rdflib.URIRef))

    def types(self, subject):
        return {str(o) for o in self.g.objects(self.ref(subject), self.ref(RDF_TYPE))}

    def values(self, subject, prop):
        p = self.ref(prop if ":" in prop else AFF4 + prop)
        return list(self.g.objects(self.ref(subject), p))

    def one(self, subject, prop, required=False):
        vals = self.values(subject, prop)
        distinct = {(str(v), type(v).__name__, str(getattr(v, "datatype", ""))) for v in vals}
        if len(distinct) > 1:
            raise Malformed("%s has %d different values of %s" % (subject, len(distinct), prop))
        if not vals:
            if required:
                raise Malformed("%s has no %s" % (subject, prop))
            return None
        return vals[0]

    def integer(self, subject, prop, required=False, default=None, lo=0, hi=U64 >> 1):
        v = self.one(subject, prop, required)
        if v is None:
            return default
        text = str(v)
        if not isinstance(v, self.rdflib.Literal) or not re.fullmatch(r"[+]?[0-9]{1,20}", text):
            raise Malformed("%s %s is not an integer: %r" % (subject, prop, text[:40]))
        n = int(text)
        if not lo <= n <= hi:
            raise Malformed("%s %s out of range: %d" % (subject, prop, n))
        return n

    def iri(self, subject, prop, required=False):
        v = self.one(subject, prop, required)
        if v is None:
            return None
        if not isinstance(v, self.rdflib.URIRef):
            raise Malformed("%s %s is not an IRI" % (subject, prop))
        return str(v)

    def hashes(self, subject, prop="hash"):
        """[(datatype local name, lower-case hex)] of the hash literals."""
        out = []
        for v in self.values(subject, prop):
            if not isinstance(v, self.rdflib.Literal) or v.datatype is None:
                continue
            dt = str(v.datatype)
            if not dt.startswith(AFF4):
                continue
            out.append((dt[len(AFF4):], str(v).strip().lower()))
        return out

    def properties(self, subject):
        return list(self.g.predicate_objects(self.ref(subject)))


def check_hex(alg, value, what):
    if not re.fullmatch(r"[0-9a-f]*", value) or len(value) != 2 * digest_size(alg):
        raise Malformed("%s is not a %s digest: %r" % (what, alg, value[:140]))
    return value


# ------------------------------------------------------------- streams -----

class ImageStream:
    def __init__(self, vol, graph, urn):
        self.vol, self.urn = vol, urn
        if AFF4 + "ImageStream" not in graph.types(urn):
            raise Malformed("map target %s is not an aff4:ImageStream" % urn)
        if vol.info_for_urn("%s/%08d" % (urn, 0)) is None and \
                graph.integer(urn, "size", default=None) != 0:
            raise Malformed("stream %s has no data in this volume (multi-volume images are not read)"
                            % urn)
        self.chunk = graph.integer(urn, "chunkSize", required=True, lo=1, hi=MAX_CHUNK)
        self.per_bevy = graph.integer(urn, "chunksInSegment", default=2048, lo=1, hi=1 << 32)
        self.size = graph.integer(urn, "size", required=True)
        self.compression = graph.iri(urn, "compressionMethod")
        c = self.compression
        if not (c is None or c in SNAPPY or c in LZ4 or c in DEFLATE or c in ZLIB or c in STORED):
            raise Malformed("%s: unknown compression %s" % (urn, c))
        if c in SNAPPY:
            try:
                import snappy
            except ImportError:
                raise Malformed("python3-snappy is not installed (run with /usr/bin/python3)")
            self.snappy = snappy
        if c in LZ4:
            try:
                import lz4.block
            except ImportError:
                raise Malformed("python3-lz4 is not installed (run with /usr/bin/python3)")
            self.lz4 = lz4.block
        self.chunks = -(-self.size // self.chunk)
        self.bevies = -(-self.chunks // self.per_bevy)
        self.here = vol.info_for_urn(self.bevy_urn(0)) is not None or self.size == 0
        self._index = collections.OrderedDict()
        self._cache = collections.OrderedDict()

    def bevy_urn(self, b):
        return "%s/%08d" % (self.urn, b)

    def chunks_in(self, b):
        return min(self.per_bevy, self.chunks - b * self.per_bevy)

    def require_here(self):
        if not self.here:
            raise Malformed("stream %s has no data in this volume" % self.urn)

    def check_layout(self):
        """No bevy beyond the stream's size (its data or its index)."""
        for suffix in ("", ".index"):
            if self.vol.info_for_urn(self.bevy_urn(self.bevies) + suffix) is not None:
                raise Malformed("%s: bevy %d beyond the stream's size" % (self.urn, self.bevies))

    def index(self, b):
        if b in self._index:
            self._index.move_to_end(b)
            return self._index[b]
        data_info = self.vol.info_for_urn(self.bevy_urn(b))
        idx_info = self.vol.info_for_urn(self.bevy_urn(b) + ".index")
        if data_info is None or idx_info is None:
            raise Malformed("%s: bevy %d or its index is missing" % (self.urn, b))
        raw = self.vol.read(idx_info)
        n = self.chunks_in(b)
        if len(raw) != n * INDEX_ENTRY.size:
            raise Malformed("bad index %s: %d bytes, %d entries of 12 expected"
                            % (idx_info.filename, len(raw), n))
        entries = list(INDEX_ENTRY.iter_unpack(raw))
        for k, (off, length) in enumerate(entries):
            if length == 0 or length > self.chunk or off + length > data_info.file_size:
                raise Malformed("bad index %s: entry %d (offset %d, length %d) outside bevy of %d bytes"
                                % (idx_info.filename, k, off, length, data_info.file_size))
        self._index[b] = (data_info, entries)
        if len(self._index) > 8:
            self._index.popitem(last=False)
        return self._index[b]

    def decode(self, raw, where):
        c, size = self.compression, self.chunk
        if len(raw) == size:
            return raw
        out = None
        try:
            if c in SNAPPY:
                n, shift, pos = 0, 0, 0  # the block's varint uncompressed length first
                while pos < len(raw) and pos < 5:
                    n |= (raw[pos] & 0x7F) << shift
                    shift += 7
                    pos += 1
                    if not raw[pos - 1] & 0x80:
                        break
                else:
                    n = -1
                if n == size:
                    out = self.snappy.decompress(raw)
            elif c in LZ4:
                out = self.lz4.decompress(raw, uncompressed_size=size)
            elif c in DEFLATE:
                out = inflate(raw, -15, size)
                if out is None and len(raw) >= 2 and raw[0] & 0x0F == 8 and \
                        (raw[0] * 256 + raw[1]) % 31 == 0:
                    out = inflate(raw, 15, size)
            elif c in ZLIB:
                out = inflate(raw, 15, size)
        except Exception:
            out = None
        if out is None or len(out) != size:
            raise Malformed("chunk %s (%d bytes stored) does not decompress to chunkSize %d"
                            % (where, len(raw), size))
        return bytes(out)

    def chunk_bytes(self, n):
        """Decoded chunk n (chunkSize bytes)."""
        if n in self._cache:
            return self._cache[n]
        b, k = divmod(n, self.per_bevy)
        data_info, entries = self.index(b)
        off, length = entries[k]
        raw = self.vol.read(data_info, off, length, limit=MAX_CHUNK)
        out = self.decode(raw, "%d of %s" % (n, self.urn))
        self._cache[n] = out
        if len(self._cache) > 4:
            self._cache.popitem(last=False)
        return out

    def read(self, offset, length):
        """Yields stream bytes [offset, offset+length), chunk-sized pieces."""
        while length:
            n, within = divmod(offset, self.chunk)
            c = self.chunk_bytes(n)
            k = min(length, self.chunk - within)
            yield c[within:within + k]
            offset += k
            length -= k

    def verify_block_hashes(self, graph, bmh_algs):
        """(ok, {bmh alg: {block alg: H(concatenated block hash members)}}).

        Every chunk is decoded and hashed with every algorithm that has block
        hash members or a BlockHashes subject; each BlockHashes hash is
        recomputed over the algorithm's members in bevy order."""
        self.require_here()
        first = self.vol.info_for_urn(self.bevy_urn(0))
        prefix = first.filename[:-len("00000000")] if first else None
        algs = set()
        ok = True
        if prefix is not None:
            for name in self.vol.members:
                if name.startswith(prefix) and ".blockHash." in name:
                    m = re.fullmatch(r"([0-9]{8})\.blockHash\.([A-Za-z0-9]+)", name[len(prefix):])
                    if not m or m.group(2) not in BLOCK_ALGS or int(m.group(1)) >= self.bevies:
                        ok = False  # a block hash member this reader cannot verify
                        continue
                    algs.add(m.group(2))
        declared = {}
        for alg in BLOCK_ALGS:
            subj = "%s/blockhash.%s" % (self.urn, alg)
            if AFF4 + "BlockHashes" in graph.types(subj):
                declared[alg] = graph.hashes(subj)
                algs.add(alg)
        if not algs:
            return False, {}
        tops = {}  # (block alg, top alg) -> hasher over the concatenated members
        for alg in algs:
            if not declared.get(alg):
                ok = False
            for dt, value in declared.get(alg, []):
                h = HASH_TYPES.get(dt)
                if h is None:
                    ok = False
                    continue
                check_hex(h, value, "BlockHashes %s hash" % alg)
                tops[(alg, h)] = new_hash(h)
            for h in bmh_algs:
                tops[(alg, h)] = new_hash(h)
        for b in range(self.bevies):
            n = self.chunks_in(b)
            members = {}
            for alg in algs:
                info = self.vol.info_for_urn("%s.blockHash.%s" % (self.bevy_urn(b), alg))
                if info is None or info.file_size != digest_size(alg) * n:
                    ok = False
                    continue
                members[alg] = self.vol.read(info)
                for (a, _), h in tops.items():
                    if a == alg:
                        h.update(members[alg])
            for k in range(n):
                chunk = self.chunk_bytes(b * self.per_bevy + k)
                for alg, data in members.items():
                    ds = digest_size(alg)
                    if _digest(alg, chunk) != data[k * ds:(k + 1) * ds]:
                        ok = False
        for alg in algs:
            for dt, value in declared.get(alg, []):
                h = HASH_TYPES.get(dt)
                if h is not None and tops[(alg, h)].hexdigest() != value:
                    ok = False
        return ok, {h: {a: tops[(a, h)].digest() for a in algs} for h in bmh_algs}


def _digest(alg, data):
    h = new_hash(alg)
    h.update(data)
    return h.digest()


def inflate(raw, wbits, size):
    d = zlib.decompressobj(wbits)
    try:
        out = d.decompress(raw, size + 1)
    except zlib.error:
        return None
    if not d.eof or d.unused_data or d.unconsumed_tail or len(out) != size:
        return None
    return out


def symbolic_fill(uri):
    """Fill function (target offset, length) -> iterator of bytes, or None."""
    if uri == AFF4 + "Zero":
        return constant_fill(0)
    m = re.fullmatch(re.escape(AFF4) + r"SymbolicStream([0-9A-Fa-f]{2})", uri)
    if m:
        return constant_fill(int(m.group(1), 16))
    if uri in REPEATED:
        s = REPEATED[uri]
        tile = (s * (TILE // len(s) + 1))[:TILE]

        def fill(t, n):
            while n:
                p = t % TILE
                k = min(n, TILE - p)
                yield tile[p:p + k]
                t += k
                n -= k
        return fill
    return None


def constant_fill(byte):
    block = bytes([byte]) * IO_BLOCK

    def fill(t, n):
        while n:
            k = min(n, IO_BLOCK)
            yield block[:k]
            n -= k
    return fill


# ------------------------------------------------------------------ map ----

class Map:
    def __init__(self, vol, graph, urn):
        self.vol, self.graph, self.urn = vol, graph, urn
        self.size = graph.integer(urn, "size", required=True)
        self.map_info = vol.info_for_urn(urn + "/map")
        self.idx_info = vol.info_for_urn(urn + "/idx")
        self.path_info = vol.info_for_urn(urn + "/mapPath")
        if self.map_info is None or self.idx_info is None:
            raise Malformed("map %s: member map or idx missing" % urn)
        if self.map_info.file_size % MAP_ENTRY.size:
            raise Malformed("map %s: map member of %d bytes is not a multiple of 28"
                            % (urn, self.map_info.file_size))
        try:
            text = self.vol.read(self.idx_info).decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed("map %s: idx is not UTF-8" % urn)
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        self.targets = [l[:-1] if l.endswith("\r") else l for l in lines]
        gap = graph.iri(urn, "mapGapDefaultStream") or AFF4 + "Zero"
        self.gap_fill = symbolic_fill(gap)
        self.gap_uri = gap
        if self.gap_fill is None:
            raise Malformed("map %s: unsupported mapGapDefaultStream %s" % (urn, gap))
        self.streams = {}
        self.fills = {}
        for t in set(self.targets):
            f = symbolic_fill(t) if t else None
            if f is not None:
                self.fills[t] = f
        self.entries = None  # set when the map is not sorted
        self._member_hashes = {}
        self._check()

    def _raw_entries(self):
        if self.entries is not None:
            yield from self.entries
            return
        rest = b""
        for block in self.vol.blocks(self.map_info, block=MAP_ENTRY.size * 37449):
            block = rest + block
            cut = len(block) - len(block) % MAP_ENTRY.size
            yield from MAP_ENTRY.iter_unpack(block[:cut])
            rest = block[cut:]

    def stream(self, uri):
        if uri not in self.streams:
            self.streams[uri] = ImageStream(self.vol, self.graph, uri)
        return self.streams[uri]

    def _check(self):
        last_end, ordered = 0, True
        for (moff, length, toff, tid) in self._raw_entries():
            if moff < last_end:
                ordered = False
            last_end = max(last_end, moff + length)
        if not ordered:  # sort in memory; the standard does not demand order
            self.entries = sorted(self._raw_entries())
        last_end = 0
        for (moff, length, toff, tid) in self._raw_entries():
            if length == 0:
                continue
            if moff < last_end:
                raise Malformed("map %s: entries overlap at media offset %d" % (self.urn, moff))
            if moff + length > self.size:
                raise Malformed("map %s: entry at %d+%d beyond the map's size %d"
                                % (self.urn, moff, length, self.size))
            if toff + length > U64:
                raise Malformed("map %s: target offset overflows" % self.urn)
            if tid >= len(self.targets) or not self.targets[tid]:
                raise Malformed("map %s: target id %d not in idx" % (self.urn, tid))
            t = self.targets[tid]
            if t not in self.fills:
                s = self.stream(t)
                if toff + length > s.size:
                    raise Malformed("map %s: entry at %d reads %s beyond its size %d"
                                    % (self.urn, moff, t, s.size))
            last_end = moff + length

    def regions(self):
        """Yields (media offset, length, target uri, target offset), gaps filled."""
        pos = 0
        for (moff, length, toff, tid) in self._raw_entries():
            if length == 0:
                continue
            if moff > pos:
                yield pos, moff - pos, self.gap_uri, pos
            yield moff, length, self.targets[tid], toff
            pos = moff + length
        if pos < self.size:
            yield pos, self.size - pos, self.gap_uri, pos

    def media(self):
        for moff, length, target, toff in self.regions():
            f = self.fills.get(target) or (self.gap_fill if target == self.gap_uri else None)
            if f is not None:
                yield from f(toff, length)
            else:
                s = self.stream(target)
                s.require_here()
                yield from s.read(toff, length)

    def dependent_streams(self):
        """Image streams among the idx targets, in idx order."""
        out = []
        for t in self.targets:
            if t and t not in self.fills and t not in [s.urn for s in out]:
                if AFF4 + "ImageStream" in self.graph.types(t):
                    out.append(self.stream(t))
        return out

    def member_hashes(self, alg):
        """H(map), H(idx), H(mapPath) or None, H(map||idx||[mapPath])."""
        if alg in self._member_hashes:
            return self._member_hashes[alg]
        whole = new_hash(alg)
        parts = []
        for info in (self.map_info, self.idx_info, self.path_info):
            if info is None:
                parts.append(None)
                continue
            h = new_hash(alg)
            for b in self.vol.blocks(info):
                h.update(b)
                whole.update(b)
            parts.append(h.digest())
        self._member_hashes[alg] = (parts[0], parts[1], parts[2], whole.digest())
        return self._member_hashes[alg]


class LinearStream:
    """An Image whose dataStream is an ImageStream itself (no map)."""

    def __init__(self, stream, size):
        self.stream, self.size = stream, size

    def media(self):
        self.stream.require_here()
        n = min(self.size, self.stream.size)
        yield from self.stream.read(0, n)
        if self.size > n:
            yield from constant_fill(0)(0, self.size - n)


# ------------------------------------------------------------- the image ---

IMAGE_TYPES = ("Image", "DiskImage", "ContiguousImage", "DiscontiguousImage")


class Aff4:
    def __init__(self, path):
        self.vol = Volume(path)
        self.vol.check_crcs()
        comment = self.vol.comment.split(b"\0", 1)[0]
        try:
            self.comment = comment.decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed("ZIP comment is not UTF-8")
        desc = self.vol.by_name.get("container.description")
        desc_urn = None
        if desc is not None:
            try:
                desc_urn = self.vol.read(desc, limit=4096).decode("utf-8").rstrip("\r\n\0")
            except UnicodeDecodeError:
                raise Malformed("container.description is not UTF-8")
        if self.comment and desc_urn is not None and self.comment != desc_urn:
            raise Malformed("ZIP comment %r and container.description %r differ"
                            % (self.comment, desc_urn))
        self.volume_urn = self.comment or desc_urn
        if not self.volume_urn or not self.volume_urn.startswith("aff4://"):
            raise Malformed("no aff4:// volume URN in the ZIP comment or container.description")
        self._version()
        turtle = self.vol.by_name.get("information.turtle")
        if turtle is None:
            raise Malformed("no information.turtle")
        self.graph = Graph(self.vol.read(turtle), self.volume_urn)
        g = self.graph
        images = set()
        for t in IMAGE_TYPES:
            images.update(g.subjects_of_type(t))
        images = sorted(s for s in images if g.values(s, "dataStream"))
        if len(images) != 1:
            raise Malformed("%d aff4:Image subjects with a dataStream, one expected" % len(images))
        self.image_urn = images[0]
        ds = g.iri(self.image_urn, "dataStream", required=True)
        types = g.types(ds)
        self.image_size = g.integer(self.image_urn, "size")
        self.map = None
        if AFF4 + "Map" in types:
            self.map = Map(self.vol, g, ds)
            self.source = self.map
            self.media_size = self.map.size
            self.streams = self.map.dependent_streams()
        elif AFF4 + "ImageStream" in types:
            s = ImageStream(self.vol, g, ds)
            self.media_size = self.image_size if self.image_size is not None else s.size
            self.source = LinearStream(s, self.media_size)
            self.streams = [s]
        else:
            raise Malformed("dataStream %s of %s is neither an aff4:Map nor an aff4:ImageStream"
                            % (ds, self.image_urn))
        if self.image_size is not None and self.image_size != self.media_size:
            raise Malformed("image size %d differs from its data stream's size %d"
                            % (self.image_size, self.media_size))
        for s in self.streams:
            if s.here:
                s.check_layout()
        self.sector = g.integer(self.image_urn, "blockSize", default=512, lo=1, hi=1 << 30)

    def _version(self):
        v = self.vol.by_name.get("version.txt")
        if v is None:
            return
        try:
            text = self.vol.read(v, limit=65536).decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed("version.txt is not UTF-8")
        fields = {}
        for line in re.split(r"\r\n|\r|\n", text):
            if line:
                if "=" not in line:
                    raise Malformed("version.txt line without '=': %r" % line[:60])
                k, _, val = line.partition("=")
                fields[k] = val
        if fields.get("major") != "1":
            raise Malformed("version.txt major=%r, 1 expected" % fields.get("major"))

    def write_media(self, out):
        for piece in self.source.media():
            out.write(piece)

    def unreadable(self):
        runs = []
        if self.map is None:
            return runs
        for moff, length, target, _ in self.map.regions():
            if target != UNREADABLE:
                continue
            first = moff // self.sector
            end = -(-(moff + length) // self.sector)
            if runs and runs[-1][0] + runs[-1][1] >= first:
                runs[-1][1] = max(runs[-1][0] + runs[-1][1], end) - runs[-1][0]
            else:
                runs.append([first, end - first])
        return runs

    def stored_hashes(self):
        out = {}
        for dt, value in self.graph.hashes(self.image_urn):
            alg = HASH_TYPES.get(dt)
            if alg in ("md5", "sha1", "sha256"):
                check_hex(alg, value, "image %s hash" % alg)
                if out.get(alg, value) != value:
                    raise Malformed("image has two different %s hashes" % alg)
                out[alg] = value
        return {k: out[k] for k in ("md5", "sha1", "sha256") if k in out}

    def block_map_declared(self):
        """[(alg, hex)] of the blockMapHash literals on the Image and the Map."""
        out = []
        for dt, value in self.graph.hashes(self.image_urn):
            if dt in BLOCK_MAP_TYPES:
                out.append((BLOCK_MAP_TYPES[dt], value))
        if self.map is not None:
            for dt, value in self.graph.hashes(self.map.urn, "blockMapHash"):
                out.append((HASH_TYPES.get(dt), value))
        return out

    def check_map_hashes(self):
        if self.map is None:
            return False
        g, urn = self.graph, self.map.urn
        found, ok = 0, True
        for slot, prop in enumerate(("mapPointHash", "mapIdxHash", "mapPathHash", "mapHash")):
            for dt, value in g.hashes(urn, prop):
                found += 1
                alg = HASH_TYPES.get(dt)
                if alg is None:
                    ok = False
                    continue
                check_hex(alg, value, "map %s" % prop)
                got = self.map.member_hashes(alg)[slot]
                if got is None or got.hex() != value:
                    ok = False
        return ok and found > 0

    def check_block_hashes(self):
        """(block_hashes_ok, block_map_hash_ok or None)."""
        declared = self.block_map_declared()
        here = [s for s in self.streams if s.here]
        bmh_algs = sorted({a for a, _ in declared if a})
        ok = bool(here)
        tops = {a: {} for a in bmh_algs}  # top alg -> block alg -> [digest per stream]
        for s in here:
            s_ok, t = s.verify_block_hashes(self.graph, bmh_algs)
            ok = ok and s_ok
            for h, per_alg in t.items():
                for alg, d in per_alg.items():
                    tops[h].setdefault(alg, []).append(d)
        if not declared:
            return ok, None
        bmh_ok = self.map is not None
        for alg, value in declared:
            if alg is None or not bmh_ok:
                bmh_ok = False
                continue
            check_hex(alg, value, "blockMapHash")
            h = new_hash(alg)
            for a in BLOCK_ALGS:
                for d in tops[alg].get(a, []):
                    h.update(d)
            point, idx, path, _ = self.map.member_hashes(alg)
            h.update(point)
            h.update(idx)
            if path is not None:
                h.update(path)
            if h.hexdigest() != value:
                bmh_ok = False
        return ok, bmh_ok

    def case(self):
        g = self.graph
        skip = {RDF_TYPE, AFF4 + "stored", AFF4 + "target"}
        values = {}
        for t in ("CaseDetails", "CaseNotes"):
            for subj in g.subjects_of_type(t):
                for p, o in sorted(g.properties(subj), key=lambda po: (str(po[0]), str(po[1]))):
                    p = str(p)
                    if p in skip:
                        continue
                    name = re.split(r"[#/]", p)[-1]
                    lst = values.setdefault(name, [])
                    if str(o) not in lst:
                        lst.append(str(o))
        return {k: (v[0] if len(v) == 1 else sorted(v)) for k, v in sorted(values.items())}

    def describe(self):
        block_ok, bmh_ok = self.check_block_hashes()
        map_ok = self.check_map_hashes()
        hs = {a: new_hash(a) for a in ("md5", "sha1", "sha256")}
        total = 0
        for piece in self.source.media():
            total += len(piece)
            for h in hs.values():
                h.update(piece)
        if total != self.media_size:
            raise Malformed("read %d media bytes, %d expected" % (total, self.media_size))
        first = self.streams[0] if self.streams else None
        complete = self.graph.one(self.image_urn, "acquisitionCompletionState")
        return {
            "media_size": self.media_size,
            "sector_size": self.sector,
            "chunk_size": first.chunk if first else None,
            "compression": first.compression if first else None,
            "md5": hs["md5"].hexdigest(),
            "sha1": hs["sha1"].hexdigest(),
            "sha256": hs["sha256"].hexdigest(),
            "stored": self.stored_hashes(),
            "unreadable": self.unreadable(),
            "block_hashes_ok": block_ok,
            "block_map_hash_ok": bmh_ok,
            "map_hashes_ok": map_ok,
            "zip_comment": self.comment,
            "first_member": self.vol.members[0] if self.vol.members else None,
            "members": self.vol.members,
            "image_urn": self.image_urn,
            "volume_urn": self.volume_urn,
            "case": self.case(),
            "complete": None if complete is None else str(complete),
        }


def main(argv):
    ap = argparse.ArgumentParser(description="Independent AFF4 Standard v1.0 image reader.")
    ap.add_argument("volume")
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--json", action="store_true", help="describe the volume as JSON")
    mode.add_argument("--media", metavar="OUT", help="write the media bytes to OUT")
    args = ap.parse_args(argv)
    try:
        image = Aff4(args.volume)
        if args.json:
            text = json.dumps(image.describe())
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        else:
            if args.media == "-":
                image.write_media(sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                with open(args.media, "wb") as out:
                    image.write_media(out)
    except Malformed as e:
        sys.stderr.write("aff4_read: %s\n" % str(e).replace("\n", " "))
        return 1
    except OSError as e:
        sys.stderr.write("aff4_read: I/O error: %s\n" % str(e).replace("\n", " "))
        return 1
    except MemoryError:
        sys.stderr.write("aff4_read: out of memory\n")
        return 1
    except Exception as e:  # a bug here, or input no check above foresaw
        sys.stderr.write("aff4_read: unexpected %s: %s\n"
                         % (type(e).__name__, str(e).replace("\n", " ")[:300]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
