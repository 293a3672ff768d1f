/*
 * aff4_build.c - an AFF4 volume from media, through the writer pieces, in
 * the order the reference images have their members: the description and
 * version.txt, the stream's bevies (data, block hashes, index), the map and
 * idx, and information.turtle last.  One thread: a test tool.
 */
#include "tests/tools/aff4_build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/aff4/aff4_info.h"
#include "container/aff4/aff4_map.h"
#include "container/aff4/aff4_zip.h"

#define VOLUME "aff4://0c8f7a1e-6b5d-4c3a-9e21-7f0d5a4b3c21"
#define IMAGE  "aff4://1d9e8b2f-7c6e-4d4b-8f32-80e16b5c4d32"
#define MAP    "aff4://2eaf9c30-8d7f-4e5c-9043-91f27c6d5e43"
#define STREAM "aff4://3fb0ad41-9e80-4f6d-8154-a2038d7e6f54"
#define CASE   "aff4://40c1be52-af91-407e-9265-b3149e8f7065"
#define TIMES  "aff4://51d2cf63-b0a2-418f-a376-c425af908176"

static int build_write(void *ctx, const void *data, size_t len, struct cu_error *err)
{
	int fd = *(int *)ctx;

	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, (const uint8_t *)data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return cu_error_errno(err, CU_EFAIL, errno, "cannot write the volume");
		done += (size_t)n;
	}
	return CU_OK;
}

static int build_digest(const uint8_t *data, size_t len, const bool want[CU_HASH_COUNT],
                        struct cu_digests *d, struct cu_error *err)
{
	memset(d, 0, sizeof(*d));
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		struct cu_hash *h;
		int rc;

		if (!want[a])
			continue;
		if ((rc = cu_hash_new(&h, a, err)))
			return rc;
		rc = cu_hash_update(h, data, len, err);
		if (!rc)
			rc = cu_hash_final(h, d, err);
		cu_hash_free(h);
		if (rc)
			return rc;
	}
	return CU_OK;
}

/* The chunk at `at` as a reader sees it: unreadable runs are the UNREADABLEDATA fill. */
static void build_seen(uint8_t *seen, const uint8_t *chunk, size_t n, uint64_t at,
                       const struct aff4_build *b)
{
	memcpy(seen, chunk, n);
	for (size_t r = 0; r < b->n_unreadable; r++)
		for (uint64_t t = b->unreadable[r][0];
		     t < b->unreadable[r][0] + b->unreadable[r][1]; t++)
			if (t >= at && t < at + n)
				seen[t - at] = (uint8_t) "UNREADABLEDATA"[(t % 1048576) % 14];
}

/* Every chunk of the media into the stream; the linear digests of the media a reader sees. */
static int build_stream(struct aff4_stream *st, struct aff4_packer *p, int media, uint64_t size,
                        const struct aff4_build *b, struct cu_digests *linear, struct cu_error *err)
{
	uint8_t *chunk = malloc(AFF4_CHUNK_SIZE), *packed = malloc(AFF4_CHUNK_SIZE);
	uint8_t *seen = malloc(AFF4_CHUNK_SIZE);
	struct cu_hash *h[CU_HASH_COUNT] = {0};
	int rc = chunk && packed && seen ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
		rc = cu_hash_new(&h[a], a, err);
	for (uint64_t at = 0; at < size && !rc; at += AFF4_CHUNK_SIZE) {
		size_t n = size - at < AFF4_CHUNK_SIZE ? (size_t)(size - at) : AFF4_CHUNK_SIZE;
		struct cu_digests d;

		memset(chunk, 0, AFF4_CHUNK_SIZE);
		if (pread(media, chunk, n, (off_t)at) != (ssize_t)n)
			rc = cu_error_set(err, CU_EFAIL, "cannot read the media");
		if (!rc)
			build_seen(seen, chunk, n, at, b);
		for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
			rc = cu_hash_update(h[a], seen, n, err);
		if (!rc)
			rc = build_digest(chunk, AFF4_CHUNK_SIZE, b->block, &d, err);
		if (!rc)
			rc = aff4_stream_add_chunk(st, packed, aff4_packer_pack(p, chunk, packed),
			                           &d, err);
	}
	memset(linear, 0, sizeof(*linear));
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!rc && h[a])
			rc = cu_hash_final(h[a], linear, err);
		cu_hash_free(h[a]);
	}
	free(chunk);
	free(packed);
	free(seen);
	return rc ? rc : aff4_stream_finish(st, err);
}

/* The media onto the stream, but for the unreadable runs. */
static int build_map(struct aff4_zip *z, uint64_t size, const struct aff4_build *b,
                     struct aff4_map_hashes *mh, struct cu_error *err)
{
	struct aff4_map *m = NULL;
	uint64_t at = 0;
	int rc = aff4_map_new(&m, STREAM, err);

	for (size_t i = 0; !rc && i <= b->n_unreadable; i++) {
		uint64_t off = i < b->n_unreadable ? b->unreadable[i][0] : size;

		if (off > at)
			rc = aff4_map_add_data(m, at, off - at, at, err);
		if (!rc && i < b->n_unreadable)
			rc = aff4_map_add_unreadable(m, off, b->unreadable[i][1], err);
		at = i < b->n_unreadable ? off + b->unreadable[i][1] : size;
	}
	if (!rc)
		rc = aff4_map_write(m, z, "aff4%3A%2F%2F2eaf9c30-8d7f-4e5c-9043-91f27c6d5e43", mh,
		                    err);
	aff4_map_free(m);
	return rc;
}

static int build_turtle(struct aff4_zip *z, uint64_t size, const struct aff4_build *b,
                        const struct aff4_stream *st, const struct aff4_map_hashes *mh,
                        const struct cu_digests *linear, struct cu_error *err)
{
	const uint8_t *block[CU_HASH_COUNT];
	uint8_t bmh[64];
	struct aff4_info i = {.volume = VOLUME,
	                      .image = IMAGE,
	                      .map = MAP,
	                      .stream = STREAM,
	                      .case_details = CASE,
	                      .time_stamps = TIMES,
	                      .stored = "built.aff4",
	                      .started = 1764633600,
	                      .finished = 1764633700,
	                      .media_size = size,
	                      .sector_size = b->sector_size ? b->sector_size : 512,
	                      .stream_size = aff4_stream_chunks(st) * AFF4_CHUNK_SIZE,
	                      .compression = aff4_compression_uri(b->compression),
	                      .complete = b->n_unreadable == 0,
	                      .meta = b->meta,
	                      .map_hashes = mh,
	                      .block_map_hash = bmh};
	char *text;
	size_t len;
	int rc;

	if (b->linear)
		i.media = *linear;
	for (int a = 0; a < CU_HASH_COUNT; a++)
		block[a] = i.block_hashes[a] = aff4_stream_block_hashes_hash(st, a);
	if ((rc = aff4_map_block_map_hash(block, mh, bmh, err)))
		return rc;
	if ((rc = aff4_info_turtle(&i, &text, &len, err)))
		return rc;
	rc = aff4_zip_member(z, "information.turtle", text, len, err);
	free(text);
	return rc;
}

static int build_volume(struct aff4_zip *z, int media, uint64_t size, const struct aff4_build *b,
                        struct cu_error *err)
{
	struct aff4_packer *p = NULL;
	struct aff4_stream *st = NULL;
	struct aff4_map_hashes mh;
	struct cu_digests linear;
	int rc = aff4_zip_member(z, "container.description", VOLUME, strlen(VOLUME), err);

	if (!rc)
		rc = aff4_zip_member(z, "version.txt", "major=1\nminor=0\ntool=custos tests\n", 34,
		                     err);
	if (!rc)
		rc = aff4_packer_new(&p, b->compression, err);
	if (!rc)
		rc = aff4_stream_new(&st, z, "aff4%3A%2F%2F3fb0ad41-9e80-4f6d-8154-a2038d7e6f54",
		                     b->block, err);
	if (!rc)
		rc = build_stream(st, p, media, size, b, &linear, err);
	if (!rc)
		rc = build_map(z, size, b, &mh, err);
	if (!rc)
		rc = build_turtle(z, size, b, st, &mh, &linear, err);
	if (!rc)
		rc = aff4_zip_finish(z, VOLUME, err);
	aff4_stream_free(st);
	aff4_packer_free(p);
	return rc;
}

int aff4_build_file(const char *out, int media, uint64_t size, const struct aff4_build *b,
                    struct cu_error *err)
{
	int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	struct aff4_zip_sink sink = {build_write, &fd};
	struct aff4_zip *z;
	int rc;

	if (fd < 0)
		return cu_error_errno(err, CU_EFAIL, errno, "%s", out);
	rc = aff4_zip_new(&z, &sink, 1764633600, err);
	if (!rc) {
		rc = build_volume(z, media, size, b, err);
		aff4_zip_free(z);
	}
	if (close(fd) != 0 && !rc)
		rc = cu_error_errno(err, CU_EFAIL, errno, "%s", out);
	return rc;
}
