/*
 * dest_aff4.c - an AFF4 volume as a destination: the chunks the sink
 * packed for AFF4 (their block digests ahead of their stored bytes) and the
 * unreadable runs go to an aff4_writer (container/aff4/aff4_writer.h),
 * which lays out BASE.aff4.
 *
 * A volume is written strictly forward and closed by its central
 * directory, so it cannot be resumed: an interrupted run removes it.  Read
 * back, it is read as verify reads it, through the evidence reader.
 */
#include "acquire/dest/dest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acquire/acquire.h"
#include "container/aff4/aff4_writer.h"
#include "lib/version.h"

/*
 * One algorithm keeps the block hashes cheap enough to hide behind the MD5
 * stream on two cores; SHA-256, because what proves a chunk in court should
 * resist collisions.
 */
const bool acq_aff4_block_hashes[CU_HASH_COUNT] = {[CU_HASH_SHA256] = true};

enum aff4_compression acq_aff4_compression(int c)
{
	return c == ACQ_COMPRESSION_LZ4       ? AFF4_COMPRESSION_LZ4
	       : c == ACQ_COMPRESSION_SNAPPY  ? AFF4_COMPRESSION_SNAPPY
	       : c == ACQ_COMPRESSION_DEFLATE ? AFF4_COMPRESSION_DEFLATE
	                                      : AFF4_COMPRESSION_NONE;
}

struct dest_aff4 {
	struct acq_aff4_options o;
	struct aff4_writer *w;
};

static int aff4_add_chunks(struct aff4_writer *w, const struct source_block *b,
                           struct cu_error *err)
{
	for (unsigned i = 0; i < b->n_chunks; i++) {
		const uint8_t *slot = b->packed + i * b->packed_stride;
		struct cu_digests block;
		int rc;

		memcpy(&block, slot, ACQ_AFF4_SLOT_HEAD);
		if ((rc = aff4_writer_add_chunk(w, slot + ACQ_AFF4_SLOT_HEAD, b->chunks[i].len,
		                                &block, err)))
			return rc;
	}
	return CU_OK;
}

static int aff4_write(void *impl, const struct source_block *b, struct cu_error *err)
{
	struct dest_aff4 *d = impl;
	int rc;

	for (size_t i = 0; i < b->bad->n; i++)
		if ((rc = aff4_writer_add_unreadable(d->w, b->bad->v[i].first, b->bad->v[i].count,
		                                     err)))
			return rc;
	return aff4_add_chunks(d->w, b, err);
}

static int aff4_finish(void *impl, const struct cu_digests *media, struct cu_error *err)
{
	struct dest_aff4 *d = impl;
	struct aff4_writer_summary s = {
	    .media_size = *d->o.media_size,
	    .sector_size = d->o.sector_size,
	    .media = *media,
	    .complete = true,
	    .finished = time(NULL),
	    .make = d->o.make,
	    .model = d->o.model,
	    .serial = d->o.serial,
	    .firmware = d->o.firmware,
	    .meta = d->o.meta,
	};

	return aff4_writer_finish(d->w, &s, err);
}

/* Read back as verify reads it, through the evidence reader (dest.c). */
static int aff4_reread(void *impl, const struct acq_dest_reread *r, struct cu_digests *out,
                       struct cu_error *err)
{
	const struct dest_aff4 *d = impl;

	return acq_dest_reread_evidence(d->o.path, r, out, err);
}

static void aff4_abort(void *impl)
{
	struct dest_aff4 *d = impl;

	aff4_writer_abort(d->w);
}

static const struct cu_file_set *aff4_files(const void *impl)
{
	const struct dest_aff4 *d = impl;

	return aff4_writer_files(d->w);
}

static void aff4_free(void *impl)
{
	struct dest_aff4 *d = impl;

	if (!d)
		return;
	aff4_writer_free(d->w);
	free((char *)d->o.path);
	free(d);
}

static const struct acq_dest_ops aff4_ops = {
    .name = "AFF4",
    .pack = ACQ_PACK_AFF4,
    .write = aff4_write,
    .finish = aff4_finish,
    .reread = aff4_reread,
    .abort = aff4_abort,
    .files = aff4_files,
    .free = aff4_free,
};

int acq_dest_aff4_open(struct acq_dest *d, const struct acq_aff4_options *o, struct cu_error *err)
{
	struct dest_aff4 *a = calloc(1, sizeof(*a));
	char tool[64];
	struct aff4_writer_options wo = {
	    .compression = o->compression, .block = o->block, .started = o->started, .tool = tool};
	int rc;

	if (!a)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	a->o = *o;
	if (!(a->o.path = strdup(o->path))) {
		free(a);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	snprintf(tool, sizeof(tool), "custos %s", CUSTOS_VERSION);
	wo.path = a->o.path;
	if ((rc = aff4_writer_open(&a->w, &wo, err))) {
		aff4_free(a);
		return rc;
	}
	d->ops = &aff4_ops;
	d->impl = a;
	d->kind = ACQ_DEST_AFF4;
	return CU_OK;
}
