/*
 * resume.c - the checks and the rebuilding of --resume.
 */
#include "acquire/resume/resume.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acquire/settings.h"
#include "container/ewf/ewf_chunk.h"
#include "container/ewf/ewf_head.h"
#include "container/ewf/ewf_naming.h"
#include "container/ewf/ewf_replay.h"
#include "lib/path.h"

int acq_resume_merge(const struct acq_resume_file *rf, const struct acq_options *cli,
                     const bool *given, const char *rf_path, struct acq_options *out,
                     struct cu_error *err)
{
	*out = *cli;
	for (size_t i = 0; i < acq_settings_count; i++) {
		const struct acq_setting *s = &acq_settings[i];
		char *here, *there;
		int rc;

		if (!(s->flags & ACQ_SETTING_KEPT))
			continue;
		if (given[i] && !acq_setting_equal(s, cli, &rf->settings)) {
			here = acq_setting_format(s, cli);
			there = acq_setting_format(s, &rf->settings);
			rc = cu_error_set(
			    err, CU_EUSAGE,
			    "--%s: '%s' differs from '%s' in %s; a resumed acquisition "
			    "keeps the settings it began with",
			    s->name, here ? here : "?", there ? there : "?", rf_path);
			free(here);
			free(there);
			return rc;
		}
		memcpy((char *)out + s->offset, (const char *)&rf->settings + s->offset,
		       acq_setting_size(s));
	}
	out->meta.acquired = (time_t)rf->acquired;
	return CU_OK;
}

int acq_resume_check_source(const struct acq_resume_file *rf, const struct source_info *si,
                            struct cu_error *err)
{
	const char *why = NULL;

	if (si->total_size != rf->source_size)
		why = "its size differs (source-size)";
	else if (si->is_device && (strcmp(si->identity.model, rf->model ? rf->model : "") ||
	                           strcmp(si->identity.serial, rf->serial ? rf->serial : "")))
		why = "its model or serial number differs (source-model, source-serial)";
	else if (!si->is_device && ((rf->model && rf->model[0]) || (rf->serial && rf->serial[0])))
		why = "a file has no model or serial number (source-model, source-serial)";
	if (why)
		return cu_error_set(err, CU_EUSAGE,
		                    "cannot resume: %s is not the medium of the interrupted "
		                    "acquisition (%llu bytes): %s",
		                    si->path, (unsigned long long)rf->source_size, why);
	return CU_OK;
}

/* A segment file of the set: a regular file, not a link, at least `size` bytes. */
static int check_segment(const char *base, uint32_t n, uint64_t size, char *path, size_t cap,
                         struct cu_error *err)
{
	char ext[4];
	struct stat st;
	int rc;

	ewf_segment_extension(ext, n);
	if ((rc = cu_path_build(path, cap, err, "%s.%s%s", base, ext, CU_PARTIAL_SUFFIX)))
		return rc;
	if (lstat(path, &st) != 0)
		return cu_error_errno(err, CU_EUSAGE, errno, "cannot resume: segments: %s", path);
	if (!S_ISREG(st.st_mode))
		return cu_error_set(err, CU_EUSAGE,
		                    "cannot resume: segments: %s is not a regular file", path);
	if ((uint64_t)st.st_size < size)
		return cu_error_set(
		    err, CU_EUSAGE,
		    "cannot resume: last-size: %s is shorter than at the checkpoint", path);
	return CU_OK;
}

/* The volume section against the settings: each field names its key. */
static const char *volume_differs(const struct ewf_volume_info *v, const struct acq_resume_file *rf,
                                  uint32_t bps)
{
	const struct acq_options *o = &rf->settings;
	uint64_t sectors = (o->length + bps - 1) / bps;

	if (v->bytes_per_sector != bps)
		return "sector-size";
	if (v->sectors_per_chunk != o->chunk_sectors)
		return "chunk-sectors";
	if (v->sector_count != sectors)
		return "length";
	if (v->compression_level != ewf_compression_level(o->compression))
		return "compression";
	if (v->media_type != acq_media_type_code(o->media_type))
		return "media-type";
	if (v->media_flags != acq_media_flags_code(o->media_flags))
		return "media-flags";
	if (memcmp(v->guid, rf->writer.guid, 16))
		return "guid";
	return NULL;
}

/* header2 against the case metadata and the acquisition time. */
static const char *header_differs(const struct ewf_head *h, const struct acq_resume_file *rf)
{
	const struct cu_meta *m = &rf->settings.meta;
	const char *want[EWF_HEAD_FIELDS] = {m->description, m->case_number, m->evidence_number,
	                                     m->examiner, m->notes};
	static const char *const keys[EWF_HEAD_FIELDS] = {
	    "description", "case-number", "evidence-number", "examiner", "notes", "acquired"};
	char acquired[32];

	snprintf(acquired, sizeof(acquired), "%lld", (long long)rf->acquired);
	want[EWF_HEAD_ACQUIRED] = acquired;
	for (int i = 0; i < EWF_HEAD_FIELDS; i++)
		if (strcmp(h->fields[i], want[i] ? want[i] : ""))
			return keys[i];
	return NULL;
}

static int check_head(const char *path, const struct acq_resume_file *rf, uint32_t bps,
                      struct cu_error *err)
{
	struct ewf_head h;
	const char *key;
	int rc = ewf_head_read(path, &h, err);

	if (rc) {
		cu_error_prefix(err, "cannot resume: ");
		return rc;
	}
	key = volume_differs(&h.volume, rf, bps);
	if (!key)
		key = header_differs(&h, rf);
	ewf_head_free(&h);
	if (key)
		return cu_error_set(err, CU_EUSAGE,
		                    "cannot resume: %s in the resume file is not what %s holds",
		                    key, path);
	return CU_OK;
}

int acq_resume_check_files(const struct acq_resume_file *rf, const char *base, struct cu_error *err)
{
	char path[4096];
	struct stat st;
	int rc;

	for (uint32_t n = rf->writer.segments; n >= 1; n--) {
		uint64_t at_least = n == rf->writer.segments ? rf->writer.last_size : 0;

		if ((rc = check_segment(base, n, at_least, path, sizeof(path), err)))
			return rc;
	}
	if ((rc = check_head(path, rf, rf->settings.sector_size, err)))
		return rc;
	if (rf->settings.mapfile && (lstat(rf->settings.mapfile, &st) != 0 || !S_ISREG(st.st_mode)))
		return cu_error_set(err, CU_EUSAGE,
		                    "cannot resume: mapfile: %s is not the regular file the "
		                    "interrupted acquisition kept",
		                    rf->settings.mapfile);
	return CU_OK;
}

void acq_resume_drop_later(const char *base, uint32_t segments)
{
	char path[4200], ext[4];

	for (uint32_t n = segments + 1; n <= EWF_SEGMENT_MAX; n++) {
		if (ewf_segment_extension(ext, n) != 0 ||
		    cu_path_build(path, sizeof(path), NULL, "%s.%s%s", base, ext,
		                  CU_PARTIAL_SUFFIX) ||
		    unlink(path) != 0)
			return;
	}
}

struct rehash_ctx {
	struct cu_hash **hash;
	struct cu_hash_windows **windows;
	uint8_t *last; /* the last chunk's media */
	size_t last_len;
};

static int rehash_feed(void *ctx, const uint8_t *media, size_t len, struct cu_error *err)
{
	struct rehash_ctx *r = ctx;
	int rc;

	for (int a = 0; a < CU_HASH_COUNT; a++)
		if ((r->hash[a] && (rc = cu_hash_update(r->hash[a], media, len, err))) ||
		    (r->windows[a] &&
		     (rc = cu_hash_windows_update(r->windows[a], media, len, err))))
			return rc;
	memcpy(r->last, media, len);
	r->last_len = len;
	return CU_OK;
}

/* Whether window bytes [first, first + len) hold no unreadable area. */
static bool all_read(const struct cu_ranges *bad, uint64_t first, uint64_t len)
{
	for (size_t i = 0; i < bad->n; i++)
		if (bad->v[i].first < first + len && first < bad->v[i].first + bad->v[i].count)
			return false;
	return true;
}

/*
 * The source must still hold, where the resume file says reading stopped,
 * what the last chunk written holds: an offset that was changed, or a
 * medium that changed, is refused rather than spliced in.
 */
static int check_position(struct source *src, const struct acq_resume_file *rf,
                          const struct rehash_ctx *r, struct cu_error *err)
{
	uint64_t at = rf->done - r->last_len;
	uint8_t *buf;
	size_t got = 0;
	int errnum = 0, rc = CU_OK;

	if (!all_read(&rf->bad, at, r->last_len))
		return CU_OK; /* zero-filled there: nothing to compare */
	if (posix_memalign((void **)&buf, SOURCE_ALIGN, r->last_len + SOURCE_ALIGN))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	while (got < r->last_len) {
		ssize_t n = source_read(src, buf + got, r->last_len - got, at + got, &errnum, NULL);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != r->last_len || memcmp(buf, r->last, got))
		rc = cu_error_set(
		    err, CU_EUSAGE,
		    "cannot resume: offset, done: the source at byte %llu of the window "
		    "does not hold what the last chunk written holds",
		    (unsigned long long)at);
	free(buf);
	return rc;
}

int acq_resume_rehash(const struct cu_file_set *files, const struct acq_resume_file *rf,
                      struct source *src, uint64_t chunk_size, struct cu_hash *hash[CU_HASH_COUNT],
                      struct cu_hash_windows *windows[CU_HASH_COUNT], struct cu_error *err)
{
	size_t n = cu_file_set_count(files);
	const char **paths = calloc(n ? n : 1, sizeof(*paths));
	uint64_t *limits = calloc(n ? n : 1, sizeof(*limits));
	struct rehash_ctx r = {.hash = hash, .windows = windows, .last = malloc(chunk_size)};
	int rc;

	if (!paths || !limits || !r.last) {
		free(paths);
		free(limits);
		free(r.last);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		paths[i] = cu_file_set_write_path(files, i);
		limits[i] = i + 1 < n ? cu_file_set_size(files, i) : rf->writer.last_size;
	}
	rc = ewf_replay(paths, limits, n, chunk_size, rf->writer.chunks_written, rehash_feed, &r,
	                err);
	if (!rc)
		rc = check_position(src, rf, &r, err);
	free(paths);
	free(limits);
	free(r.last);
	return rc;
}

void acq_resume_describe(struct acq_resume_file *rf, const struct acq_options *o,
                         const struct acq_result *res, const struct cu_ranges *bad, uint64_t done)
{
	const struct source_info *si = &res->source;

	memset(rf, 0, sizeof(*rf));
	rf->settings = *o;
	rf->settings.sector_size = res->bytes_per_sector;
	rf->settings.media_type = res->media_type;
	rf->settings.media_flags = res->media_flags;
	rf->settings.offset = si->offset;
	rf->settings.length = si->size;
	rf->source_size = si->total_size;
	rf->device = si->is_device ? 0 : si->device;
	rf->inode = si->is_device ? 0 : si->inode;
	rf->model = (char *)si->identity.model;
	rf->serial = (char *)si->identity.serial;
	rf->acquired = (int64_t)res->started;
	rf->done = done;
	rf->bad = *bad;
	rf->slow = res->slow;
}
