/*
 * sink.c - the acquisition as the pipeline sees it: one sink
 * (source/pipeline.h) in front of the list of destinations.
 *
 * Packing threads compress each chunk once, with ewf_packer, when an E01
 * destination is among them (every E01 copy takes the same packed chunks);
 * the writing thread hands each block, in media order, to every live
 * destination (dest.c); the reader keeps the ddrescue mapfile current.
 */
#include "acquire/dest/dest.h"

#include "acquire/rescue/mapfile.h"
#include "container/ewf/ewf_chunk.h"

static int sink_worker_new(void *ctx, void **state, struct cu_error *err)
{
	const struct acq_sink *s = ctx;
	struct ewf_packer *packer;
	int rc = ewf_packer_new(&packer, (enum ewf_compression)s->compression, err);

	*state = rc ? NULL : packer;
	return rc;
}

static void sink_worker_free(void *state)
{
	ewf_packer_free(state);
}

static size_t sink_pack(void *state, const uint8_t *chunk, size_t len, uint8_t *out,
                        bool *compressed)
{
	return ewf_packer_pack(state, chunk, len, out, compressed);
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
	bool packed = acq_dests_packed(dests);

	*s = (struct acq_sink){
	    .sink = {.packed_stride = packed ? ewf_packed_bound(chunk_size) : 0,
	             .whole_sectors = packed,
	             .worker_new = sink_worker_new,
	             .worker_free = sink_worker_free,
	             .pack = sink_pack,
	             .write = sink_write,
	             .read = sink_read},
	    .dests = dests,
	    .compression = compression,
	    .mapfile = mapfile,
	};
	s->sink.ctx = s;
}
