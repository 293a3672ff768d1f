/*
 * aff4_writer.c - assembling an AFF4 volume from its parts: the ZIP writer
 * (aff4_zip), the image stream (aff4_stream), the map (aff4_map) and the
 * Turtle (aff4_info), over one output file (lib/output.h, its SHA-256
 * computed as it goes).
 *
 * The URNs are aff4:// and a fresh random version-4 UUID each (the volume,
 * image, map, stream, case and time stamps), as the reference images have
 * them; member names replace the leading aff4:// by aff4%3A%2F%2F.
 * Unreadable runs are kept in memory (their number is what the medium
 * made it) and laid into the map at the end, the readable media between
 * them onto the stream at the same offsets.
 */
#include "container/aff4/aff4_writer.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container/aff4/aff4_info.h"
#include "container/aff4/aff4_map.h"
#include "container/aff4/aff4_zip.h"
#include "lib/output.h"
#include "lib/ranges.h"

#define URN_SIZE  48 /* aff4:// + 36 + NUL */
#define NAME_SIZE 64 /* aff4%3A%2F%2F + 36 + NUL */

enum { URN_VOLUME, URN_IMAGE, URN_MAP, URN_STREAM, URN_CASE, URN_TIMES, URN_COUNT };

struct aff4_writer {
	struct aff4_writer_options o;
	bool block[CU_HASH_COUNT];
	char urn[URN_COUNT][URN_SIZE];
	struct cu_file_set *files;
	struct cu_output *out;
	struct aff4_zip *zip;
	struct aff4_stream *stream;
	struct cu_ranges unreadable; /* media bytes */
	bool finished;
};

static int writer_urn(char out[URN_SIZE], struct cu_error *err)
{
	uint8_t u[16];

	if (RAND_bytes(u, sizeof(u)) != 1)
		return cu_error_set(err, CU_EFAIL, "no random bytes for an AFF4 URN");
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40); /* version 4 */
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	snprintf(out, URN_SIZE,
	         "aff4://%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
	         u[13], u[14], u[15]);
	return CU_OK;
}

/* The member folder of a URN of ours: aff4:// written aff4%3A%2F%2F. */
static void writer_member_name(char out[NAME_SIZE], const char *urn)
{
	snprintf(out, NAME_SIZE, "aff4%%3A%%2F%%2F%s", urn + strlen("aff4://"));
}

static int writer_sink(void *ctx, const void *data, size_t len, struct cu_error *err)
{
	return cu_output_write(ctx, data, len, err);
}

static int writer_first_members(struct aff4_writer *w, struct cu_error *err)
{
	char version[128], name[NAME_SIZE];
	int n = snprintf(version, sizeof(version), "major=1\nminor=0\ntool=%s\n",
	                 w->o.tool ? w->o.tool : "custos");
	int rc;

	if (n < 0 || (size_t)n >= sizeof(version))
		return cu_error_set(err, CU_EFAIL, "AFF4: tool name too long");
	writer_member_name(name, w->urn[URN_STREAM]);
	if ((rc = aff4_zip_member(w->zip, "container.description", w->urn[URN_VOLUME],
	                          strlen(w->urn[URN_VOLUME]), err)) ||
	    (rc = aff4_zip_member(w->zip, "version.txt", version, (size_t)n, err)))
		return rc;
	return aff4_stream_new(&w->stream, w->zip, name, w->block, err);
}

static int writer_create(struct aff4_writer *w, struct cu_error *err)
{
	struct aff4_zip_sink sink;
	int rc;

	for (int i = 0; i < URN_COUNT; i++)
		if ((rc = writer_urn(w->urn[i], err)))
			return rc;
	if ((rc = cu_file_set_new(&w->files, err)) ||
	    (rc = cu_file_set_add(w->files, w->o.path, false, err)))
		return rc;
	if ((rc = cu_output_create(&w->out, cu_file_set_write_path(w->files, 0), err))) {
		cu_file_set_drop_last(w->files);
		return rc;
	}
	sink = (struct aff4_zip_sink){writer_sink, w->out};
	if ((rc = aff4_zip_new(&w->zip, &sink, w->o.started, err)))
		return rc;
	return writer_first_members(w, err);
}

int aff4_writer_open(struct aff4_writer **out, const struct aff4_writer_options *o,
                     struct cu_error *err)
{
	struct aff4_writer *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	w->o = *o;
	for (int a = 0; a < CU_HASH_COUNT; a++)
		w->block[a] = o->block && o->block[a];
	if (!(w->o.path = strdup(o->path))) {
		free(w);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	if ((rc = writer_create(w, err))) {
		aff4_writer_abort(w);
		aff4_writer_free(w);
		return rc;
	}
	*out = w;
	return CU_OK;
}

int aff4_writer_add_chunk(struct aff4_writer *w, const uint8_t *stored, size_t len,
                          const struct cu_digests *block, struct cu_error *err)
{
	return aff4_stream_add_chunk(w->stream, stored, len, block, err);
}

int aff4_writer_add_unreadable(struct aff4_writer *w, uint64_t offset, uint64_t length,
                               struct cu_error *err)
{
	return length ? cu_ranges_add(&w->unreadable, offset, length, err) : CU_OK;
}

/* The media onto the stream at the same offsets, but the unreadable runs. */
static int writer_map(struct aff4_writer *w, uint64_t media_size, struct aff4_map **out,
                      struct cu_error *err)
{
	uint64_t at = 0;
	int rc = aff4_map_new(out, w->urn[URN_STREAM], err);

	for (size_t i = 0; !rc && i < w->unreadable.n; i++) {
		const struct cu_range *r = &w->unreadable.v[i];

		if (r->first < at || r->count > media_size - r->first)
			return cu_error_set(err, CU_EFAIL,
			                    "AFF4: an unreadable run lies outside the media");
		if (r->first > at)
			rc = aff4_map_add_data(*out, at, r->first - at, at, err);
		if (!rc)
			rc = aff4_map_add_unreadable(*out, r->first, r->count, err);
		at = r->first + r->count;
	}
	if (!rc && at < media_size)
		rc = aff4_map_add_data(*out, at, media_size - at, at, err);
	return rc;
}

static const char *writer_file_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void writer_info(const struct aff4_writer *w, const struct aff4_writer_summary *s,
                        struct aff4_info *i)
{
	*i = (struct aff4_info){
	    .volume = w->urn[URN_VOLUME],
	    .image = w->urn[URN_IMAGE],
	    .map = w->urn[URN_MAP],
	    .stream = w->urn[URN_STREAM],
	    .case_details = w->urn[URN_CASE],
	    .time_stamps = w->urn[URN_TIMES],
	    .stored = writer_file_name(w->o.path),
	    .started = w->o.started,
	    .finished = s->finished,
	    .media_size = s->media_size,
	    .sector_size = s->sector_size,
	    .stream_size = aff4_stream_chunks(w->stream) * AFF4_CHUNK_SIZE,
	    .compression = aff4_compression_uri(w->o.compression),
	    .media = s->media,
	    .complete = s->complete && !w->unreadable.n,
	    .make = s->make,
	    .model = s->model,
	    .serial = s->serial,
	    .firmware = s->firmware,
	    .meta = s->meta,
	};
	for (int a = 0; a < CU_HASH_COUNT; a++)
		i->block_hashes[a] = aff4_stream_block_hashes_hash(w->stream, (enum cu_hash_alg)a);
}

/* The map, its hashes and the blockMapHash, then information.turtle. */
static int writer_metadata(struct aff4_writer *w, const struct aff4_writer_summary *s,
                           struct cu_error *err)
{
	struct aff4_map_hashes hashes;
	struct aff4_map *map = NULL;
	struct aff4_info info;
	uint8_t block_map[64];
	char name[NAME_SIZE], *turtle = NULL;
	size_t len = 0;
	int rc;

	if (aff4_stream_chunks(w->stream) * AFF4_CHUNK_SIZE < s->media_size)
		return cu_error_set(err, CU_EFAIL, "AFF4: the stream holds less than the media");
	writer_member_name(name, w->urn[URN_MAP]);
	rc = writer_map(w, s->media_size, &map, err);
	if (!rc)
		rc = aff4_map_write(map, w->zip, name, &hashes, err);
	aff4_map_free(map);
	writer_info(w, s, &info);
	if (!rc)
		rc = aff4_map_block_map_hash(info.block_hashes, &hashes, block_map, err);
	info.map_hashes = &hashes;
	info.block_map_hash = block_map;
	if (!rc)
		rc = aff4_info_turtle(&info, &turtle, &len, err);
	if (!rc)
		rc = aff4_zip_member(w->zip, "information.turtle", turtle, len, err);
	free(turtle);
	return rc;
}

int aff4_writer_finish(struct aff4_writer *w, const struct aff4_writer_summary *s,
                       struct cu_error *err)
{
	uint8_t sha256[32];
	bool have = false;
	int rc;

	if ((rc = aff4_stream_finish(w->stream, err)) || (rc = writer_metadata(w, s, err)) ||
	    (rc = aff4_zip_finish(w->zip, w->urn[URN_VOLUME], err)))
		return rc;
	cu_file_set_set_size(w->files, 0, aff4_zip_offset(w->zip));
	rc = cu_output_seal(w->out, sha256, &have, err);
	w->out = NULL;
	if (rc)
		return rc;
	if (have)
		cu_file_set_set_sha256(w->files, 0, sha256);
	if ((rc = cu_file_set_commit(w->files, false, err)))
		return rc;
	w->finished = true;
	return CU_OK;
}

const struct cu_file_set *aff4_writer_files(const struct aff4_writer *w)
{
	return w->files;
}

void aff4_writer_abort(struct aff4_writer *w)
{
	if (!w || w->finished)
		return;
	cu_output_discard(w->out);
	w->out = NULL;
	if (w->files)
		cu_file_set_abort(w->files);
}

void aff4_writer_free(struct aff4_writer *w)
{
	if (!w)
		return;
	if (w->out)
		aff4_writer_abort(w);
	aff4_stream_free(w->stream);
	aff4_zip_free(w->zip);
	cu_ranges_free(&w->unreadable);
	cu_file_set_free(w->files);
	free((char *)w->o.path);
	free(w);
}
