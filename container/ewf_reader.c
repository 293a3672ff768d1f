/*
 * ewf_reader.c - the libewf side of evidence reading.
 *
 * libewf_glob finds every segment of the set; the handle then gives media
 * geometry, stored hashes and header values, and reads media data with each
 * chunk's checksum checked.
 */
#include "container/ewf_reader.h"

#include <libewf.h>
#include <stdlib.h>
#include <string.h>

#define READ_BUFFER_SIZE (1U << 20)

struct ewf_reader {
	libewf_handle_t *handle;
	char **names;
	int n_names;
	uint64_t media_size;
	uint32_t bytes_per_sector;
	uint32_t chunk_size;
	struct cu_digests stored;
};

static void reader_libewf_message(libewf_error_t *e, char *out, size_t cap)
{
	out[0] = '\0';
	if (!e)
		return;
	libewf_error_sprint(e, out, cap);
	libewf_error_free(&e);
	/* keep the first line only: libewf's messages are multi-line backtraces */
	out[strcspn(out, "\n")] = '\0';
}

static void reader_load_digests(struct ewf_reader *r)
{
	static const char *const ids[CU_HASH_COUNT] = {"MD5", "SHA1", "SHA256"};
	uint8_t value[2 * CU_HASH_MAX_SIZE + 1];
	uint8_t *slot;

	memset(&r->stored, 0, sizeof(r->stored));
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		memset(value, 0, sizeof(value));
		if (libewf_handle_get_utf8_hash_value(r->handle, (const uint8_t *)ids[a],
		                                      strlen(ids[a]), value, sizeof(value),
		                                      NULL) != 1)
			continue;
		slot = (uint8_t *)cu_digests_get(&r->stored, a);
		if (cu_unhex(slot, cu_hash_size(a), (const char *)value))
			r->stored.have[a] = true;
	}
}

static int reader_load(struct ewf_reader *r, const char *path, struct cu_error *err)
{
	libewf_error_t *e = NULL;
	size64_t size = 0;
	char msg[256];

	if (libewf_glob(path, strlen(path), LIBEWF_FORMAT_UNKNOWN, &r->names, &r->n_names, &e) !=
	    1) {
		reader_libewf_message(e, msg, sizeof(msg));
		return cu_error_set(err, CU_EUSAGE, "%s: not an EWF evidence file (%s)", path, msg);
	}
	if (libewf_handle_initialize(&r->handle, &e) != 1 ||
	    libewf_handle_open(r->handle, r->names, r->n_names, LIBEWF_OPEN_READ, &e) != 1) {
		reader_libewf_message(e, msg, sizeof(msg));
		return cu_error_set(err, CU_EUSAGE, "%s: cannot open the evidence (%s)", path, msg);
	}
	if (libewf_handle_get_media_size(r->handle, &size, NULL) != 1 ||
	    libewf_handle_get_bytes_per_sector(r->handle, &r->bytes_per_sector, NULL) != 1 ||
	    libewf_handle_get_chunk_size(r->handle, &r->chunk_size, NULL) != 1)
		return cu_error_set(err, CU_EUSAGE, "%s: the evidence has no media geometry", path);
	r->media_size = size;
	reader_load_digests(r);
	return CU_OK;
}

int ewf_reader_open(struct ewf_reader **out, const char *path, struct cu_error *err)
{
	struct ewf_reader *r = calloc(1, sizeof(*r));
	int rc;

	if (!r)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = reader_load(r, path, err);
	if (rc) {
		ewf_reader_close(r);
		return rc;
	}
	*out = r;
	return CU_OK;
}

void ewf_reader_close(struct ewf_reader *r)
{
	if (!r)
		return;
	if (r->handle) {
		libewf_handle_close(r->handle, NULL);
		libewf_handle_free(&r->handle, NULL);
	}
	if (r->names)
		libewf_glob_free(r->names, r->n_names, NULL);
	free(r);
}

uint64_t ewf_reader_media_size(const struct ewf_reader *r)
{
	return r->media_size;
}

uint32_t ewf_reader_bytes_per_sector(const struct ewf_reader *r)
{
	return r->bytes_per_sector;
}

uint32_t ewf_reader_chunk_size(const struct ewf_reader *r)
{
	return r->chunk_size;
}

void ewf_reader_stored_digests(const struct ewf_reader *r, struct cu_digests *d)
{
	*d = r->stored;
}

void ewf_reader_header_value(const struct ewf_reader *r, const char *id, char *out, size_t cap)
{
	out[0] = '\0';
	if (libewf_handle_get_utf8_header_value(r->handle, (const uint8_t *)id, strlen(id),
	                                        (uint8_t *)out, cap, NULL) != 1)
		out[0] = '\0';
}

ssize_t ewf_reader_read(struct ewf_reader *r, void *buf, size_t len, uint64_t offset,
                        struct cu_error *err)
{
	libewf_error_t *e = NULL;
	char msg[256];
	ssize_t n = libewf_handle_read_random(r->handle, buf, len, (off64_t)offset, &e);

	if (n < 0) {
		reader_libewf_message(e, msg, sizeof(msg));
		cu_error_set(err, CU_EFAIL, "cannot read the media at byte %llu (%s)",
		             (unsigned long long)offset, msg);
	}
	return n;
}

size_t ewf_reader_segment_count(const struct ewf_reader *r)
{
	return (size_t)r->n_names;
}

const char *ewf_reader_segment_name(const struct ewf_reader *r, size_t i)
{
	return i < (size_t)r->n_names ? r->names[i] : NULL;
}

int ewf_reader_hash_media(struct ewf_reader *r, const bool want[CU_HASH_COUNT],
                          struct cu_digests *computed, struct cu_error *err)
{
	struct cu_hash *h[CU_HASH_COUNT] = {NULL};
	uint64_t size = ewf_reader_media_size(r);
	uint8_t *buf = malloc(READ_BUFFER_SIZE);
	int rc = buf ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
		if (want[a])
			rc = cu_hash_new(&h[a], a, err);
	for (uint64_t off = 0; off < size && !rc; off += READ_BUFFER_SIZE) {
		size_t len =
		    size - off < READ_BUFFER_SIZE ? (size_t)(size - off) : READ_BUFFER_SIZE;
		ssize_t n = ewf_reader_read(r, buf, len, off, err);

		if (n != (ssize_t)len) {
			if (n >= 0)
				rc =
				    cu_error_set(err, CU_EFAIL, "the media ends early at byte %llu",
				                 (unsigned long long)(off + (uint64_t)n));
			else
				rc = CU_EFAIL;
		}
		for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
			if (h[a])
				rc = cu_hash_update(h[a], buf, len, err);
	}
	memset(computed, 0, sizeof(*computed));
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (h[a] && !rc)
			rc = cu_hash_final(h[a], computed, err);
		cu_hash_free(h[a]);
	}
	free(buf);
	return rc;
}
