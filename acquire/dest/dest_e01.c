/*
 * dest_e01.c - an E01 set as a destination: the packed chunks and the read
 * errors go to an ewf_writer (container/ewf/ewf_writer.h), which lays out the
 * segments.  Every E01 destination of one acquisition is opened with the
 * same options and set identifier, and takes the same packed chunks: their
 * segment files are byte-identical, and one copy's record proves another.
 */
#include "acquire/dest/dest.h"

#include <stdlib.h>
#include <string.h>

static int e01_write(void *impl, const struct source_block *b, struct cu_error *err)
{
	struct ewf_writer *w = impl;
	int rc;

	for (size_t i = 0; i < b->bad->n; i++)
		if ((rc = ewf_writer_add_error_bytes(w, b->bad->v[i].first, b->bad->v[i].count,
		                                     err)))
			return rc;
	for (unsigned i = 0; i < b->n_chunks; i++)
		if ((rc = ewf_writer_add_chunk(w, b->packed + i * b->packed_stride,
		                               b->chunks[i].len, b->chunks[i].compressed, err)))
			return rc;
	return CU_OK;
}

static int e01_checkpoint(void *impl, struct ewf_writer_state *st, struct cu_error *err)
{
	return ewf_writer_checkpoint(impl, st, err);
}

static int e01_stream_ended(void *impl, uint64_t sectors, struct cu_error *err)
{
	return ewf_writer_set_sector_count(impl, sectors, err);
}

static int e01_finish(void *impl, const struct cu_digests *media, struct cu_error *err)
{
	return ewf_writer_finish(impl, media, err);
}

/* Read back as verify reads it, through the evidence reader (dest.c). */
static int e01_reread(void *impl, const struct acq_dest_reread *r, struct cu_digests *out,
                      struct cu_error *err)
{
	const struct cu_file_set *files = ewf_writer_files(impl);

	if (!cu_file_set_count(files))
		return cu_error_set(err, CU_EFAIL, "the E01 set has no segment to read back");
	return acq_dest_reread_evidence(cu_file_set_path(files, 0), r, out, err);
}

static void e01_abort(void *impl)
{
	ewf_writer_abort(impl);
}

static const struct cu_file_set *e01_files(const void *impl)
{
	return ewf_writer_files(impl);
}

static void e01_free(void *impl)
{
	ewf_writer_free(impl);
}

static const struct acq_dest_ops e01_ops = {
    .name = "E01",
    .pack = ACQ_PACK_E01,
    .write = e01_write,
    .checkpoint = e01_checkpoint,
    .stream_ended = e01_stream_ended,
    .finish = e01_finish,
    .reread = e01_reread,
    .abort = e01_abort,
    .files = e01_files,
    .free = e01_free,
};

int acq_dest_e01_open(struct acq_dest *d, const struct ewf_writer_options *o,
                      const struct ewf_writer_state *resume, struct cu_error *err)
{
	struct ewf_writer *w;
	int rc = resume ? ewf_writer_resume(&w, o, resume, err) : ewf_writer_open(&w, o, err);

	if (rc)
		return rc;
	d->ops = &e01_ops;
	d->impl = w;
	d->kind = ACQ_DEST_E01;
	return CU_OK;
}

struct ewf_writer *acq_dest_e01_writer(const struct acq_dest *d)
{
	return d->kind == ACQ_DEST_E01 && d->ops ? d->impl : NULL;
}
