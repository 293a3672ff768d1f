/*
 * sink.c - the acquisition as the pipeline sees it: one sink
 * (source/pipeline.h) in front of the list of destinations.
 *
 * Packing threads compress each chunk once for the format the destinations
 * take: with ewf_packer for E01 (every E01 copy takes the same packed
 * chunks); for AFF4, with aff4_packer, each chunk of 32 KiB (the last
 * padded with zeros) hashed for its block digests on the same thread, the
 * digests ahead of the stored bytes in the chunk's room (ACQ_AFF4_SLOT).
 * The AFF4 sink also makes unreadable bytes read as the standard's
 * aff4:UnreadableData, before any digest sees them, so that the media
 * digests are of what an AFF4 reader reads.  The writing thread hands each
 * block, in media order, to every live destination (dest.c); the reader
 * keeps the ddrescue mapfile current.
 */
#include "acquire/dest/dest.h"

#include <stdlib.h>
#include <string.h>

#include "acquire/rescue/mapfile.h"
#include "container/aff4/aff4_chunk_hash.h"
#include "container/aff4/aff4_map.h"
#include "container/ewf/ewf_chunk.h"

/* A packing thread's AFF4 tools: its compressor, its hasher, room to pad the last chunk. */
struct sink_aff4_worker {
	struct aff4_packer *packer;
	struct aff4_chunk_hasher *hasher;
	uint8_t pad[AFF4_CHUNK_SIZE];
};

static void sink_aff4_worker_free(struct sink_aff4_worker *w)
{
	if (!w)
		return;
	aff4_packer_free(w->packer);
	aff4_chunk_hasher_free(w->hasher);
	free(w);
}

static int sink_aff4_worker_new(const struct acq_sink *s, void **state, struct cu_error *err)
{
	struct sink_aff4_worker *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if ((rc = aff4_packer_new(&w->packer, (enum aff4_compression)s->compression, err)) ||
	    (rc = aff4_chunk_hasher_new(&w->hasher, s->block, err))) {
		sink_aff4_worker_free(w);
		return rc;
	}
	*state = w;
	return CU_OK;
}

static int sink_worker_new(void *ctx, void **state, struct cu_error *err)
{
	const struct acq_sink *s = ctx;
	struct ewf_packer *packer;
	int rc;

	if (s->pack == ACQ_PACK_AFF4)
		return sink_aff4_worker_new(s, state, err);
	rc = ewf_packer_new(&packer, (enum ewf_compression)s->compression, err);
	*state = rc ? NULL : packer;
	return rc;
}

static void sink_worker_free(void *state)
{
	ewf_packer_free(state);
}

static void sink_aff4_free(void *state)
{
	sink_aff4_worker_free(state);
}

static size_t sink_pack(void *state, const uint8_t *chunk, size_t len, uint8_t *out,
                        bool *compressed)
{
	return ewf_packer_pack(state, chunk, len, out, compressed);
}

/*
 * An AFF4 chunk: its digests, then its stored bytes; a hash that fails
 * (it cannot, short of memory) leaves the digests absent, which the
 * destination refuses.
 */
static size_t sink_pack_aff4(void *state, const uint8_t *chunk, size_t len, uint8_t *out,
                             bool *compressed)
{
	struct sink_aff4_worker *w = state;
	struct cu_digests block;
	struct cu_error err;
	size_t stored;

	if (len < AFF4_CHUNK_SIZE) {
		memcpy(w->pad, chunk, len);
		memset(w->pad + len, 0, AFF4_CHUNK_SIZE - len);
		chunk = w->pad;
	}
	memset(&block, 0, sizeof(block));
	if (aff4_chunk_hasher_digest(w->hasher, chunk, &block, &err))
		memset(&block, 0, sizeof(block));
	memcpy(out, &block, ACQ_AFF4_SLOT_HEAD);
	stored = aff4_packer_pack(w->packer, chunk, out + ACQ_AFF4_SLOT_HEAD);
	*compressed = stored != AFF4_CHUNK_SIZE;
	return stored;
}

static int sink_write(void *ctx, const struct source_block *b, struct cu_error *err)
{
	struct acq_sink *s = ctx;

	return acq_dests_write(s->dests, b, err);
}

static int sink_read(void *ctx, uint64_t end, const struct cu_range *bad, size_t n_bad,
                     struct cu_error *err)
{
	struct acq_sink *s = ctx;

	return s->mapfile ? acq_mapfile_advance(s->mapfile, end, bad, n_bad, err) : CU_OK;
}

void acq_sink_init(struct acq_sink *s, struct acq_dests *dests, int compression,
                   uint64_t chunk_size, struct acq_mapfile *mapfile)
{
	enum acq_pack pack = acq_dests_pack(dests);

	*s = (struct acq_sink){
	    .sink = {.packed_stride = pack == ACQ_PACK_E01 ? ewf_packed_bound(chunk_size) : 0,
	             .whole_sectors = pack == ACQ_PACK_E01,
	             .worker_new = sink_worker_new,
	             .worker_free = sink_worker_free,
	             .pack = sink_pack,
	             .write = sink_write,
	             .read = sink_read},
	    .dests = dests,
	    .pack = pack,
	    .compression = compression,
	    .mapfile = mapfile,
	};
	if (pack == ACQ_PACK_AFF4) {
		s->sink.packed_stride = ACQ_AFF4_SLOT;
		s->sink.worker_free = sink_aff4_free;
		s->sink.pack = sink_pack_aff4;
		s->sink.fill = aff4_unreadable_fill;
	}
	s->sink.ctx = s;
}

void acq_sink_set_block(struct acq_sink *s, const bool *block)
{
	s->block = block;
}
