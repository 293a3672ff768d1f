/*
 * aff4_image_block.c - one block of an AFF4 image's media: planned from the
 * map, then read, each chunk unpacked and checked against its block hashes.
 * The scan (aff4_image_scan.c: the whole media in order, on a pool of
 * threads) and the cursor (aff4_image_cursor.c: any chunk, at random, for
 * custos mount) both read the media here, so that a chunk is judged the
 * same way whoever reads it.
 *
 * The planner walks the map (and its gaps) from a media offset and cuts the
 * media into pieces: a run of one byte (Zero, SymbolicStreamXX), of a
 * repeated string (UnknownData, UnreadableData: byte S[(t mod 1 MiB) mod
 * len(S)] at target offset t), or part of one stream chunk, located through
 * its bevy's index (loaded, one bevy at a time, with its block hashes).
 * The checker reads and unpacks each chunk (stored length == chunk size:
 * raw; else it must unpack to exactly the chunk size), checks every block
 * hash the volume holds for it, and fills the block's media; a chunk that
 * fails is zeros, its media sectors damaged.
 */
#include <inttypes.h>
#include <libdeflate.h>
#include <lz4.h>
#include <openssl/evp.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/aff4/aff4_image_int.h"
#include "lib/le.h"

#define REPEAT_TILE 1048576U

static void bevy_drop(struct aff4_bevy *c)
{
	free(c->index);
	for (int a = 0; a < AFF4_BH_COUNT; a++)
		free(c->bh[a]);
	memset(c, 0, sizeof(*c));
	c->bevy = UINT64_MAX;
}

char *aff4_bevy_member(const struct aff4_in_stream *st, uint64_t b, const char *what)
{
	char suffix[64];

	snprintf(suffix, sizeof(suffix), "/%08" PRIu64 "%s", b, what);
	return aff4_image_member(st->uri, suffix);
}

/* Loads bevy `b` of stream `st` into the planner's: its place, its index, its block hashes. */
static void bevy_load(struct aff4_planner *p, const struct aff4_in_stream *st, uint64_t b)
{
	struct aff4_bevy *c = &p->bevy;
	char *data = aff4_bevy_member(st, b, ""), *index = aff4_bevy_member(st, b, ".index");
	struct cu_error err;
	size_t len;

	bevy_drop(c);
	c->stream = (size_t)(st - p->im->streams);
	c->bevy = b;
	if (!data || !index ||
	    aff4_zip_read_stored(p->im->zip, data, &c->data_off, &c->data_size, &err) ||
	    aff4_zip_read_load(p->im->zip, index, 12 * (size_t)st->per_bevy, &c->index, &len, &err))
		c->why = "its bevy or the bevy's index does not read";
	for (int a = 0; a < AFF4_BH_COUNT && !c->why; a++) {
		char *name = st->bh[a] ? aff4_bevy_member(st, b, "") : NULL;
		char *full = NULL;

		if (name && asprintf(&full, "%s.blockHash.%s", name, aff4_bh_name(a)) < 0)
			full = NULL;
		if (st->bh[a] &&
		    (!full || aff4_zip_read_load(p->im->zip, full, 64 * (size_t)st->per_bevy,
		                                 &c->bh[a], &len, &err)))
			c->why = "its block hashes do not read";
		free(name);
		free(full);
	}
	free(data);
	free(index);
}

/* Where chunk `chunk` of stream `si` lies, and the hashes it must give, into `p`. */
static void plan_locate(struct aff4_planner *pl, uint32_t si, uint64_t chunk, struct aff4_piece *p)
{
	const struct aff4_in_stream *st = &pl->im->streams[si];
	struct aff4_bevy *c = &pl->bevy;
	uint64_t b = chunk / st->per_bevy, i = chunk % st->per_bevy, off;
	uint32_t len;

	if (c->bevy != b || c->stream != si)
		bevy_load(pl, st, b);
	p->have = 0;
	if ((p->why = c->why))
		return;
	off = cu_le64_get(c->index + 12 * i);
	len = cu_le32_get(c->index + 12 * i + 8);
	if (len == 0 || len > st->chunk_size || off > c->data_size || len > c->data_size - off) {
		p->why = "its index entry points outside its bevy";
		return;
	}
	p->file_off = c->data_off + off;
	p->stored = len;
	for (int a = 0; a < AFF4_BH_COUNT; a++)
		if (c->bh[a]) {
			memcpy(p->expect[a], c->bh[a] + i * aff4_bh_size(a), aff4_bh_size(a));
			p->have |= (uint8_t)(1U << a);
		}
}

/* What lies at media offset `pos`: its target, its target offset, where the run ends. */
static const struct aff4_target *plan_at(const struct aff4_image *im, size_t *run, uint64_t pos,
                                         uint64_t *toff, uint64_t *end)
{
	while (*run < im->n_runs && im->runs[*run].media + im->runs[*run].len <= pos)
		(*run)++;
	if (*run < im->n_runs && im->runs[*run].media <= pos) {
		const struct aff4_run *r = &im->runs[*run];

		*toff = r->toff + (pos - r->media);
		*end = r->media + r->len;
		return &im->targets[r->target];
	}
	*toff = pos;
	*end = *run < im->n_runs ? im->runs[*run].media : im->media_size;
	return &im->gap;
}

void aff4_planner_init(struct aff4_planner *p, const struct aff4_image *im)
{
	memset(p, 0, sizeof(*p));
	p->im = im;
	p->bevy.bevy = UINT64_MAX;
}

void aff4_planner_done(struct aff4_planner *p)
{
	bevy_drop(&p->bevy);
}

void aff4_planner_seek(struct aff4_planner *p, uint64_t pos)
{
	size_t lo = 0, hi = p->im->n_runs; /* the first run that ends after pos */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->im->runs[mid].media + p->im->runs[mid].len <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	p->run = lo;
}

void aff4_plan_block(struct aff4_planner *pl, struct aff4_block *b, uint64_t *pos, size_t max_len)
{
	const struct aff4_image *im = pl->im;
	size_t *run = &pl->run;

	b->media_off = *pos;
	b->len = 0;
	b->n_pieces = 0;
	while (*pos < im->media_size && b->len < max_len && b->n_pieces < AFF4_BLOCK_PIECES) {
		uint64_t toff, end, n;
		const struct aff4_target *t = plan_at(im, run, *pos, &toff, &end);
		struct aff4_piece *p = &b->pieces[b->n_pieces++];

		n = end - *pos < max_len - b->len ? end - *pos : max_len - b->len;
		*p = (struct aff4_piece){.at = (uint32_t)b->len, .t = t, .toff = toff};
		p->kind = t->kind == AFF4_TARGET_STREAM ? AFF4_PIECE_CHUNK
		          : t->kind == AFF4_TARGET_BYTE ? AFF4_PIECE_BYTE
		                                        : AFF4_PIECE_REPEAT;
		if (p->kind == AFF4_PIECE_CHUNK) {
			uint32_t cs = im->streams[t->stream].chunk_size;

			p->stream = (uint32_t)t->stream;
			p->chunk = toff / cs;
			p->in_chunk = (uint32_t)(toff % cs);
			n = n < cs - p->in_chunk ? n : cs - p->in_chunk;
			plan_locate(pl, p->stream, p->chunk, p);
		}
		p->len = (uint32_t)n;
		b->len += n;
		*pos += n;
	}
}

static bool check_inflate(struct aff4_checker *c, const uint8_t *in, size_t len, uint8_t *out,
                          size_t cs, bool zlib_first)
{
	size_t got = 0, used = 0;

	if (!zlib_first &&
	    libdeflate_deflate_decompress_ex(c->inflater, in, len, out, cs, &used, &got) ==
	        LIBDEFLATE_SUCCESS &&
	    used == len && got == cs)
		return true;
	return libdeflate_zlib_decompress_ex(c->inflater, in, len, out, cs, &used, &got) ==
	           LIBDEFLATE_SUCCESS &&
	       used == len && got == cs;
}

/* The chunk unpacked into c->chunk; false when it does not unpack to exactly `cs` bytes. */
static bool check_unpack(struct aff4_checker *c, const struct aff4_in_stream *st, size_t len)
{
	size_t cs = st->chunk_size, n = cs;

	if (len == cs) {
		memcpy(c->chunk, c->stored, cs);
		return true;
	}
	switch (st->codec) {
	case AFF4_CODEC_SNAPPY:
		return snappy_uncompressed_length((const char *)c->stored, len, &n) == SNAPPY_OK &&
		       n == cs &&
		       snappy_uncompress((const char *)c->stored, len, (char *)c->chunk, &n) ==
		           SNAPPY_OK &&
		       n == cs;
	case AFF4_CODEC_LZ4:
		return LZ4_decompress_safe((const char *)c->stored, (char *)c->chunk, (int)len,
		                           (int)cs) == (int)cs;
	case AFF4_CODEC_DEFLATE:
	case AFF4_CODEC_ZLIB:
		return check_inflate(c, c->stored, len, c->chunk, cs, st->codec == AFF4_CODEC_ZLIB);
	default:
		return false;
	}
}

static const EVP_MD *check_md(int a)
{
	switch (a) {
	case AFF4_BH_MD5:
		return EVP_md5();
	case AFF4_BH_SHA1:
		return EVP_sha1();
	case AFF4_BH_SHA256:
		return EVP_sha256();
	case AFF4_BH_SHA512:
		return EVP_sha512();
	default:
		return EVP_blake2b512();
	}
}

/* Reads, unpacks and checks the chunk of `p` into c->chunk (once for consecutive pieces). */
static void check_chunk(struct aff4_checker *c, const struct aff4_piece *p)
{
	const struct aff4_in_stream *st = &c->im->streams[p->stream];
	uint8_t md[EVP_MAX_MD_SIZE];
	struct cu_error err;

	if (c->chunk_no == p->chunk && c->stream == p->stream)
		return;
	c->stream = p->stream;
	c->chunk_no = p->chunk;
	c->chunk_ok = false;
	if ((c->why = p->why))
		return;
	c->why = "it does not read";
	if (aff4_zip_read_at(c->im->zip, c->stored, p->stored, p->file_off, &err))
		return;
	c->why = "it does not unpack to its chunk size";
	if (!check_unpack(c, st, p->stored))
		return;
	c->why = "its block hash differs";
	for (int a = 0; a < AFF4_BH_COUNT; a++)
		if ((p->have >> a & 1) &&
		    (EVP_Digest(c->chunk, st->chunk_size, md, NULL, check_md(a), NULL) != 1 ||
		     memcmp(md, p->expect[a], aff4_bh_size(a))))
			return;
	c->why = NULL;
	c->chunk_ok = true;
}

/* Sectors of the block's media [at, at + len) damaged, and why (the first in the block). */
static int check_damage(struct aff4_checker *c, struct aff4_block *b, const struct aff4_piece *p,
                        struct cu_error *err)
{
	const struct aff4_image *im = c->im;
	uint64_t bps = im->sector_size, off = b->media_off + p->at;
	uint64_t first = off / bps, last = (off + p->len - 1) / bps + 1;

	memset(b->media + p->at, 0, p->len);
	if (!b->what[0])
		snprintf(b->what, sizeof(b->what), "stream %s chunk %" PRIu64 ": %s",
		         im->streams[p->stream].uri, p->chunk, c->why);
	return cu_ranges_extend(&b->damaged, first, last - first, err);
}

static void check_repeat(uint8_t *out, size_t len, const struct aff4_target *t, uint64_t toff)
{
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)t->pattern[((toff + i) % REPEAT_TILE) % t->plen];
}

int aff4_check_block(struct aff4_checker *c, struct aff4_block *b, struct cu_error *err)
{
	int rc = CU_OK;

	cu_ranges_clear(&b->damaged);
	b->what[0] = '\0';
	b->unproved = false;
	for (size_t i = 0; i < b->n_pieces && !rc; i++) {
		const struct aff4_piece *p = &b->pieces[i];

		if (p->kind == AFF4_PIECE_BYTE) {
			memset(b->media + p->at, p->t->byte, p->len);
			continue;
		}
		if (p->kind == AFF4_PIECE_REPEAT) {
			check_repeat(b->media + p->at, p->len, p->t, p->toff);
			continue;
		}
		check_chunk(c, p);
		b->unproved |= !p->have;
		if (c->chunk_ok)
			memcpy(b->media + p->at, c->chunk + p->in_chunk, p->len);
		else
			rc = check_damage(c, b, p, err);
	}
	return rc;
}

int aff4_checker_init(struct aff4_checker *c, const struct aff4_image *im)
{
	uint32_t cs = AFF4_CHUNK_MAX / 16;

	for (size_t i = 0; i < im->n_streams; i++)
		cs = im->streams[i].chunk_size > cs ? im->streams[i].chunk_size : cs;
	*c = (struct aff4_checker){.im = im, .chunk_no = UINT64_MAX};
	c->inflater = libdeflate_alloc_decompressor();
	c->stored = malloc(cs);
	c->chunk = malloc(cs);
	return c->inflater && c->stored && c->chunk ? 0 : -1;
}

void aff4_checker_free(struct aff4_checker *c)
{
	libdeflate_free_decompressor(c->inflater);
	free(c->stored);
	free(c->chunk);
}
