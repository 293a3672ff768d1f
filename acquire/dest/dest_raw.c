/*
 * dest_raw.c - a raw image (BASE.raw, or BASE.001 ... when split) or a
 * clone onto a drive, as a destination: the exact source bytes of each
 * block go to an acq_raw_output (raw_output.h).  Neither takes packed
 * chunks, and neither can be resumed.  Read back, a raw image is its files
 * in order; a clone is the drive's first bytes, as many as the source has.
 */
#include "acquire/dest/dest.h"

#include "acquire/dest/raw_output.h"
#include "source/rehash.h"

static int raw_write(void *impl, const struct source_block *b, struct cu_error *err)
{
	return acq_raw_output_write(impl, b->data, b->exact_len, err);
}

static int raw_finish(void *impl, const struct cu_digests *media, struct cu_error *err)
{
	(void)media;
	return acq_raw_output_finish(impl, err);
}

static int raw_reread(void *impl, const struct acq_dest_reread *r, struct cu_digests *out,
                      struct cu_error *err)
{
	return source_rehash_files(acq_raw_output_files(impl), r->want, out, err);
}

static int clone_reread(void *impl, const struct acq_dest_reread *r, struct cu_digests *out,
                        struct cu_error *err)
{
	const struct cu_file_set *files = acq_raw_output_files(impl);
	struct source_options so = {.path = cu_file_set_path(files, 0),
	                            .length = r->size,
	                            .no_write_block = true,
	                            .sysfs = r->sysfs};
	struct source_rehash rh = {
	    .source = &so, .want = r->want, .threads = r->threads, .cancel_fd = r->cancel_fd};

	return source_rehash(&rh, out, err);
}

static void raw_abort(void *impl)
{
	acq_raw_output_abort(impl);
}

static const struct cu_file_set *raw_files(const void *impl)
{
	return acq_raw_output_files(impl);
}

static void raw_free(void *impl)
{
	acq_raw_output_free(impl);
}

static const struct acq_dest_ops raw_ops = {
    .name = "raw",
    .write = raw_write,
    .finish = raw_finish,
    .reread = raw_reread,
    .abort = raw_abort,
    .files = raw_files,
    .free = raw_free,
};

static const struct acq_dest_ops clone_ops = {
    .name = "clone",
    .write = raw_write,
    .finish = raw_finish,
    .reread = clone_reread,
    .abort = raw_abort,
    .files = raw_files,
    .free = raw_free,
};

int acq_dest_raw_open(struct acq_dest *d, uint64_t split, uint64_t size, struct cu_error *err)
{
	struct acq_raw_output *o;
	bool device = acq_raw_target_is_device(d->path);
	int rc = acq_raw_output_open(&o, d->path, device ? 0 : split, size, err);

	if (rc)
		return rc;
	d->ops = device ? &clone_ops : &raw_ops;
	d->impl = o;
	d->kind = device ? ACQ_DEST_CLONE : ACQ_DEST_RAW;
	return CU_OK;
}
