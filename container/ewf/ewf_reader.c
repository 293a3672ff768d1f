/*
 * ewf_reader.c - the libewf side of evidence reading.
 *
 * libewf_glob finds every segment of the set (an EWF segment under a name
 * libewf does not know, .001 say, is its set alone); the handle then gives
 * media geometry, stored hashes and header values, and reads media data
 * with each chunk's checksum checked.
 */
#include "container/ewf/ewf_reader.h"

#include "container/ewf/ewf_tables.h"

#include <errno.h>
#include <libewf.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "container/ewf/ewf_chain.h"
#include "container/ewf/ewf_format.h"
#include "lib/input_file.h"

struct ewf_reader {
	libewf_handle_t *handle;
	char **names;
	int n_names;
	bool names_own; /* names are custos' own, not libewf_glob's */
	uint64_t media_size;
	uint32_t bytes_per_sector;
	uint32_t chunk_size;
	struct cu_digests stored;
	int tables; /* 0: not checked yet; 1: sound; -1: damaged, as `tables_problem` says */
	char tables_problem[CU_ERROR_MSG_MAX];
	pthread_mutex_t lock; /* one chunk read at a time: a libewf handle is not shared */
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

/* Only regular files are evidence: libewf would wait on a FIFO forever. */
static int reader_check_files(struct ewf_reader *r, const char *path, struct cu_error *err)
{
	struct stat st;
	int rc;

	if (stat(path, &st) != 0)
		return cu_error_errno(err, CU_EUSAGE, errno, "cannot open the evidence %s", path);
	if ((rc = cu_input_check_regular(path, "the evidence", err)))
		return rc;
	for (int i = 0; r->names && i < r->n_names; i++)
		if ((rc = cu_input_check_regular(r->names[i], "the segment", err)))
			return rc;
	return CU_OK;
}

/*
 * libewf would not open the set: evidence that is damaged (its first file
 * is an EWF segment: what is wrong is named by the segment chain when it
 * can be) or not evidence at all.
 */
static int reader_refused(struct ewf_reader *r, const char *path, const char *msg,
                          struct cu_error *err)
{
	uint8_t head[8] = {0};
	char problem[CU_ERROR_MSG_MAX];
	FILE *f = fopen(r->n_names > 0 ? r->names[0] : path, "rb");
	bool ewf = f && fread(head, 1, sizeof(head), f) == sizeof(head) &&
	           (!memcmp(head, ewf_signature, 8) || !memcmp(head, "LVF", 3));

	if (f)
		fclose(f);
	if (!ewf)
		return cu_error_set(err, CU_EUSAGE, "%s: cannot open the evidence (%s)", path, msg);
	if (r->n_names <= 0) /* a later segment, named: libewf finds none without the first */
		return cu_error_set(err, CU_EFAIL,
		                    "%s: damaged: the first segment of its set is missing", path);
	if (ewf_chain_check((const char *const *)r->names, (size_t)r->n_names, problem,
	                    sizeof(problem)) != 0)
		return cu_error_set(err, CU_EFAIL, "%s: damaged: %s", path, problem);
	return cu_error_set(err, CU_EFAIL, "%s: damaged: libewf cannot open it (%s)", path, msg);
}

/*
 * libewf finds a set's segments by their names (.E01, .s01, ...); an EWF
 * segment under another name (.001, no extension) is the set alone when it
 * begins with the EWF signature: its content says what it is.  0 when it
 * does (r->names then holds it, as libewf_glob would have given it).
 */
static int reader_name_alone(struct ewf_reader *r, const char *path, libewf_error_t **e)
{
	uint8_t head[8] = {0};
	FILE *f = fopen(path, "rb");
	bool ewf =
	    f && fread(head, 1, sizeof(head), f) == sizeof(head) && !memcmp(head, ewf_signature, 8);

	if (f)
		fclose(f);
	if (!ewf || !(r->names = calloc(1, sizeof(*r->names))) || !(r->names[0] = strdup(path)))
		return -1;
	libewf_error_free(e);
	r->n_names = 1;
	r->names_own = true;
	return 0;
}

/* 32768 sectors of 4096 bytes: the largest chunk any EWF writer makes */
#define EWF_READER_CHUNK_MAX (128U << 20)

static int reader_load(struct ewf_reader *r, const char *path, struct cu_error *err)
{
	libewf_error_t *e = NULL;
	size64_t size = 0;
	char msg[256];
	int rc;

	if ((rc = reader_check_files(r, path, err)))
		return rc;
	if (libewf_glob(path, strlen(path), LIBEWF_FORMAT_UNKNOWN, &r->names, &r->n_names, &e) !=
	        1 &&
	    reader_name_alone(r, path, &e)) {
		reader_libewf_message(e, msg, sizeof(msg));
		return cu_error_set(err, CU_EUSAGE, "%s: not an EWF evidence file (%s)", path, msg);
	}
	if ((rc = reader_check_files(r, path, err)))
		return rc;
	if (libewf_handle_initialize(&r->handle, &e) != 1 ||
	    libewf_handle_open(r->handle, r->names, r->n_names, LIBEWF_OPEN_READ, &e) != 1) {
		reader_libewf_message(e, msg, sizeof(msg));
		return reader_refused(r, path, msg, err);
	}
	if (libewf_handle_get_media_size(r->handle, &size, NULL) != 1 ||
	    libewf_handle_get_bytes_per_sector(r->handle, &r->bytes_per_sector, NULL) != 1 ||
	    libewf_handle_get_chunk_size(r->handle, &r->chunk_size, NULL) != 1)
		return cu_error_set(err, CU_EUSAGE, "%s: the evidence has no media geometry", path);
	if (size == 0 || r->bytes_per_sector == 0 || r->chunk_size == 0 ||
	    r->chunk_size > EWF_READER_CHUNK_MAX)
		return cu_error_set(
		    err, CU_EFAIL,
		    "%s: the media size of the set cannot be established (a segment "
		    "is cut short or missing)",
		    path);
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
	pthread_mutex_init(&r->lock, NULL);
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
	pthread_mutex_destroy(&r->lock);
	if (r->names && r->names_own) {
		for (int i = 0; i < r->n_names; i++)
			free(r->names[i]);
		free(r->names);
	} else if (r->names) {
		libewf_glob_free(r->names, r->n_names, NULL);
	}
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

int ewf_reader_header_value(const struct ewf_reader *r, const char *id, char **out,
                            struct cu_error *err)
{
	libewf_error_t *e = NULL;
	size_t size = 0;
	char msg[256];
	int got = libewf_handle_get_utf8_header_value_size(r->handle, (const uint8_t *)id,
	                                                   strlen(id), &size, &e);

	*out = NULL;
	if (got == 1 && size > 1) { /* the size counts the terminating NUL */
		if (!(*out = malloc(size)))
			return cu_error_set(err, CU_EFAIL, "out of memory");
		got = libewf_handle_get_utf8_header_value(r->handle, (const uint8_t *)id,
		                                          strlen(id), (uint8_t *)*out, size, &e);
		(*out)[size - 1] = '\0';
	}
	if (got == 1 && *out)
		return CU_OK;
	free(*out);
	*out = NULL;
	if (got != -1)
		return CU_OK; /* none, or empty */
	reader_libewf_message(e, msg, sizeof(msg));
	return cu_error_set(err, CU_EFAIL, "the header value %s cannot be read (%s)", id, msg);
}

/* ewf_reader_read_chunk, under the reader's lock. */
static int reader_read_chunk(struct ewf_reader *r, uint64_t index, struct ewf_stored_chunk *c,
                             struct cu_error *err)
{
	libewf_error_t *e = NULL;
	char msg[256];
	int8_t compressed = 0, separate = 0;
	uint32_t checksum = 0;
	ssize_t n;

	if (!r->tables) /* before libewf sizes a buffer from them */
		r->tables = ewf_tables_check((const char *const *)r->names, (size_t)r->n_names,
		                             2ULL * r->chunk_size + 65536, r->tables_problem,
		                             sizeof(r->tables_problem)) == 0
		                ? 1
		                : -1;
	if (r->tables < 0)
		return cu_error_set(err, CU_EFAIL, "%s", r->tables_problem);

	if (libewf_handle_seek_offset(r->handle, (off64_t)(index * r->chunk_size), SEEK_SET, &e) <
	    0) {
		reader_libewf_message(e, msg, sizeof(msg));
		return cu_error_set(err, CU_EFAIL, "cannot find chunk %llu (%s)",
		                    (unsigned long long)index, msg);
	}
	/* the checksum of a raw chunk lands right after it (the buffer leaves room) */
	n = libewf_handle_read_chunk(r->handle, c->data, c->cap - 4, &compressed,
	                             c->data + c->cap - 4, &checksum, &separate, &e);
	if (n <= 0) {
		reader_libewf_message(e, msg, sizeof(msg));
		return cu_error_set(err, CU_EFAIL, "cannot read chunk %llu (%s)",
		                    (unsigned long long)index, msg[0] ? msg : "no data");
	}
	c->len = (size_t)n;
	c->compressed = compressed != 0;
	if (!c->compressed && separate) { /* the checksum came apart: put it after the data */
		if (c->len < 4)
			return cu_error_set(err, CU_EFAIL, "chunk %llu is too short",
			                    (unsigned long long)index);
		memmove(c->data + c->len - 4, c->data + c->cap - 4, 4);
	}
	return CU_OK;
}

int ewf_reader_read_chunk(struct ewf_reader *r, uint64_t index, struct ewf_stored_chunk *c,
                          struct cu_error *err)
{
	int rc;

	pthread_mutex_lock(&r->lock);
	rc = reader_read_chunk(r, index, c, err);
	pthread_mutex_unlock(&r->lock);
	return rc;
}

size_t ewf_reader_segment_count(const struct ewf_reader *r)
{
	return (size_t)r->n_names;
}

const char *ewf_reader_segment_name(const struct ewf_reader *r, size_t i)
{
	return i < (size_t)r->n_names ? r->names[i] : NULL;
}

static const char *format_name(uint8_t f)
{
	switch (f) {
	case LIBEWF_FORMAT_ENCASE1:
		return "EnCase 1";
	case LIBEWF_FORMAT_ENCASE2:
		return "EnCase 2";
	case LIBEWF_FORMAT_ENCASE3:
		return "EnCase 3";
	case LIBEWF_FORMAT_ENCASE4:
		return "EnCase 4";
	case LIBEWF_FORMAT_ENCASE5:
		return "EnCase 5";
	case LIBEWF_FORMAT_ENCASE6:
		return "EnCase 6";
	case LIBEWF_FORMAT_ENCASE7:
		return "EnCase 7";
	case LIBEWF_FORMAT_SMART:
		return "SMART";
	case LIBEWF_FORMAT_FTK_IMAGER:
		return "FTK Imager";
	case LIBEWF_FORMAT_LINEN5:
		return "linen 5";
	case LIBEWF_FORMAT_LINEN6:
		return "linen 6";
	case LIBEWF_FORMAT_LINEN7:
		return "linen 7";
	case LIBEWF_FORMAT_EWF:
		return "original EWF";
	case LIBEWF_FORMAT_EWFX:
		return "EWFX (extended EWF)";
	default:
		return "unknown";
	}
}

static const char *media_type_name(uint8_t t)
{
	switch (t) {
	case LIBEWF_MEDIA_TYPE_REMOVABLE:
		return "removable disk";
	case LIBEWF_MEDIA_TYPE_FIXED:
		return "fixed disk";
	case LIBEWF_MEDIA_TYPE_OPTICAL:
		return "optical disk";
	case LIBEWF_MEDIA_TYPE_SINGLE_FILES:
		return "single files";
	case LIBEWF_MEDIA_TYPE_MEMORY:
		return "memory";
	default:
		return "unknown";
	}
}

void ewf_reader_facts(const struct ewf_reader *r, struct ewf_facts *f)
{
	uint8_t format = 0, type = 0, flags = 0, compression_flags = 0;
	int8_t level = 0;
	uint64_t sectors = 0;

	memset(f, 0, sizeof(*f));
	libewf_handle_get_format(r->handle, &format, NULL);
	libewf_handle_get_sectors_per_chunk(r->handle, &f->sectors_per_chunk, NULL);
	libewf_handle_get_error_granularity(r->handle, &f->error_granularity, NULL);
	libewf_handle_get_compression_values(r->handle, &level, &compression_flags, NULL);
	libewf_handle_get_segment_file_set_identifier(r->handle, f->guid, sizeof(f->guid), NULL);
	libewf_handle_get_media_type(r->handle, &type, NULL);
	libewf_handle_get_media_flags(r->handle, &flags, NULL);
	libewf_handle_get_number_of_sectors(r->handle, &sectors, NULL);
	f->format = format_name(format);
	f->compression = level == LIBEWF_COMPRESSION_BEST   ? "best"
	                 : level == LIBEWF_COMPRESSION_FAST ? "fast"
	                                                    : "none";
	f->media_type = media_type_name(type);
	f->physical = flags & LIBEWF_MEDIA_FLAG_PHYSICAL;
	f->sectors = sectors;
}

int ewf_reader_read_errors(const struct ewf_reader *r, struct cu_ranges *out, struct cu_error *err)
{
	uint32_t n = 0;
	int rc;

	if (libewf_handle_get_number_of_acquiry_errors(r->handle, &n, NULL) != 1)
		return CU_OK;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t first = 0, count = 0;

		libewf_handle_get_acquiry_error(r->handle, i, &first, &count, NULL);
		if ((rc = cu_ranges_add(out, first, count, err)))
			return rc;
	}
	return CU_OK;
}
