/*
 * resume_file.c - writing and reading BASE.resume.
 *
 * The kept settings are written and read through the table of settings.c;
 * the state that follows them has a small table of its own, each key with
 * its bounds.  Reading is strict: a magic first line, known keys only, each
 * once (but "bad" and "slow", one line per area), every value valid, "end"
 * last, and then the checks of the values against each other.
 */
#include "acquire/resume/resume_file.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acquire/settings.h"
#include "container/ewf/ewf_format.h"
#include "lib/atomic_file.h"
#include "lib/input_file.h"
#include "lib/parse.h"
#include "lib/text.h"

#define RESUME_MAGIC "custos-resume 2"

enum state_kind { STATE_U64, STATE_U32, STATE_TEXT, STATE_GUID, STATE_BAD, STATE_SLOW, STATE_COPY };

struct state_key {
	const char *name;
	enum state_kind kind;
	uint64_t min, max;
	size_t offset; /* in struct acq_resume_file */
	bool repeated;
	bool progress; /* where the writer stands: not in a --rescue's file */
};

#define RF(field) offsetof(struct acq_resume_file, field)

static const struct state_key state_keys[] = {
    {"source-size", STATE_U64, 1, UINT64_MAX, RF(source_size), false, false},
    {"source-device", STATE_U64, 0, UINT64_MAX, RF(device), false, false},
    {"source-inode", STATE_U64, 0, UINT64_MAX, RF(inode), false, false},
    {"source-model", STATE_TEXT, 0, 0, RF(model), false, false},
    {"source-serial", STATE_TEXT, 0, 0, RF(serial), false, false},
    {"acquired", STATE_U64, 1, 1ULL << 40, RF(acquired), false, false},
    {"done", STATE_U64, 1, UINT64_MAX, RF(done), false, true},
    {"guid", STATE_GUID, 0, 0, RF(writer.guid), false, true},
    {"segments", STATE_U32, 1, EWF_SEGMENT_MAX, RF(writer.segments), false, true},
    {"last-size", STATE_U64, EWF_FILE_HEADER_SIZE, UINT64_MAX, RF(writer.last_size), false, true},
    {"segment-chunks", STATE_U32, 1, UINT32_MAX, RF(writer.segment_chunks), false, true},
    {"chunks-written", STATE_U32, 1, UINT32_MAX, RF(writer.chunks_written), false, true},
    {"bad", STATE_BAD, 0, UINT64_MAX, RF(bad), true, true},
    {"slow", STATE_SLOW, 0, UINT64_MAX, RF(slow), true, true},
    {"copy", STATE_COPY, 0, 0, RF(copies), true, true},
};

#define N_STATE (sizeof(state_keys) / sizeof(state_keys[0]))

/* ---- writing ---- */

static void put_text(FILE *f, const char *key, const char *s)
{
	fprintf(f, "%s ", key);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '%')
			fprintf(f, "%%%02x", *p);
		else
			fputc(*p, f);
	fputc('\n', f);
}

static void put_settings(FILE *f, const struct acq_options *o)
{
	for (size_t i = 0; i < acq_settings_count; i++) {
		char *text;

		if (!(acq_settings[i].flags & ACQ_SETTING_KEPT))
			continue;
		text = acq_setting_format(&acq_settings[i], o);
		put_text(f, acq_settings[i].name, text ? text : "");
		free(text);
	}
}

static void put_state(FILE *f, const struct acq_resume_file *rf)
{
	char guid[33];

	fprintf(f, "source-size %" PRIu64 "\nsource-device %" PRIu64 "\nsource-inode %" PRIu64 "\n",
	        rf->source_size, rf->device, rf->inode);
	put_text(f, "source-model", rf->model);
	put_text(f, "source-serial", rf->serial);
	fprintf(f, "acquired %" PRId64 "\n", rf->acquired);
	if (rf->settings.rescue) /* its progress is GNU ddrescue's map */
		return;
	fprintf(f, "done %" PRIu64 "\n", rf->done);
	cu_hex(guid, rf->writer.guid, 16);
	fprintf(f, "guid %s\nsegments %" PRIu32 "\nlast-size %" PRIu64 "\n", guid,
	        rf->writer.segments, rf->writer.last_size);
	fprintf(f, "segment-chunks %" PRIu32 "\nchunks-written %" PRIu32 "\n",
	        rf->writer.segment_chunks, rf->writer.chunks_written);
	for (size_t i = 0; i < rf->bad.n; i++)
		fprintf(f, "bad %" PRIu64 " %" PRIu64 "\n", rf->bad.v[i].first, rf->bad.v[i].count);
	for (size_t i = 0; i < rf->slow.n; i++)
		fprintf(f, "slow %" PRIu64 " %" PRIu64 " %.6f\n", rf->slow.v[i].first,
		        rf->slow.v[i].count, rf->slow.v[i].seconds);
	for (size_t i = 0; i < rf->n_copies; i++)
		put_text(f, "copy", rf->copies[i]);
}

static void print_resume_file(FILE *f, const void *ctx)
{
	const struct acq_resume_file *rf = ctx;

	fprintf(f, "%s\n", RESUME_MAGIC);
	put_settings(f, &rf->settings);
	put_state(f, rf);
	fprintf(f, "end\n");
}

int acq_resume_file_save(const char *path, const struct acq_resume_file *rf, struct cu_error *err)
{
	/* the directory sync also makes durable the names of segments begun since */
	return cu_file_replace_printed(path, 0644, print_resume_file, rf, err);
}

/* ---- reading ---- */

struct reader {
	const char *name;
	struct acq_resume_file *rf;
	bool seen_setting[ACQ_SETTINGS_MAX], seen_state[N_STATE];
	char label[256];
};

static int bad_value(struct reader *r, const char *key, const char *why, struct cu_error *err)
{
	return cu_error_set(err, CU_EUSAGE, "%s: %s: %s", r->name, key, why);
}

/* Percent-decodes `s` (strictly: every % takes two hex digits) into a kept string. */
static int decode_text(struct reader *r, const char *key, const char *s, char **out,
                       struct cu_error *err)
{
	char *text = malloc(strlen(s) + 1), *o = text, **grown;

	if (!text)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (; *s; s++) {
		uint8_t byte;
		char hex[3] = {0};

		if (*s != '%') {
			*o++ = *s;
			continue;
		}
		memcpy(hex, s + 1, s[1] ? 2 : 1);
		if (!cu_unhex(&byte, 1, hex) || byte == 0) {
			free(text);
			return bad_value(r, key, "a malformed %-escape", err);
		}
		*o++ = (char)byte;
		s += 2;
	}
	*o = '\0';
	grown = realloc(r->rf->texts, (r->rf->n_texts + 1) * sizeof(*grown));
	if (!grown) {
		free(text);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	r->rf->texts = grown;
	r->rf->texts[r->rf->n_texts++] = text;
	*out = text;
	return CU_OK;
}

static int read_setting(struct reader *r, const struct acq_setting *s, const char *value,
                        struct cu_error *err)
{
	size_t i = (size_t)(s - acq_settings);
	char *text;
	int rc;

	if (r->seen_setting[i])
		return bad_value(r, s->name, "given twice", err);
	r->seen_setting[i] = true;
	if ((rc = decode_text(r, s->name, value, &text, err)))
		return rc;
	snprintf(r->label, sizeof(r->label), "%s: %s", r->name, s->name);
	return acq_setting_parse(s, &r->rf->settings, text, r->label, err);
}

static int read_u64(struct reader *r, const struct state_key *k, const char *v, uint64_t *out,
                    struct cu_error *err)
{
	snprintf(r->label, sizeof(r->label), "%s: %s", r->name, k->name);
	return cu_parse_u64(out, r->label, v, k->min, k->max, err);
}

/* "FIRST COUNT" of a bad area: within 64 bits, in order after the last. */
static int read_bad(struct reader *r, const struct state_key *k, const char *v,
                    struct cu_error *err)
{
	char first[32], count[32], extra;
	uint64_t a, b;

	if (sscanf(v, "%31s %31s %c", first, count, &extra) != 2 ||
	    read_u64(r, k, first, &a, err) || read_u64(r, k, count, &b, err) || b == 0 ||
	    b > UINT64_MAX - a)
		return bad_value(r, k->name, "not FIRST COUNT of an area", err);
	if (cu_ranges_add(&r->rf->bad, a, b, NULL))
		return bad_value(r, k->name, "areas out of order", err);
	return CU_OK;
}

static int read_slow(struct reader *r, const struct state_key *k, const char *v,
                     struct cu_error *err)
{
	char first[32], count[32], secs[32], extra;
	struct source_slow_list *l = &r->rf->slow;
	struct source_slow *grown;
	uint64_t a, b;
	double d;

	if (sscanf(v, "%31s %31s %31s %c", first, count, secs, &extra) != 3 ||
	    read_u64(r, k, first, &a, err) || read_u64(r, k, count, &b, err) || b == 0 ||
	    b > UINT64_MAX - a || cu_parse_seconds(&d, k->name, secs, NULL) || !isfinite(d) ||
	    d > 1e9 || (l->n && a < l->v[l->n - 1].first + l->v[l->n - 1].count))
		return bad_value(r, k->name, "not FIRST COUNT SECONDS of an area, in order", err);
	grown = realloc(l->v, (l->n + 1) * sizeof(*grown));
	if (!grown)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	l->v = grown;
	l->v[l->n++] = (struct source_slow){a, b, d};
	l->cap = l->n;
	return CU_OK;
}

/* An E01 copy the acquisition writes: an absolute path, each once, at most ACQ_DESTS_MAX. */
static int read_copy(struct reader *r, const struct state_key *k, const char *v,
                     struct cu_error *err)
{
	char *path;
	int rc;

	if (r->rf->n_copies == ACQ_DESTS_MAX)
		return bad_value(r, k->name, "more copies than an acquisition writes", err);
	if ((rc = decode_text(r, k->name, v, &path, err)))
		return rc;
	snprintf(r->label, sizeof(r->label), "%s: %s", r->name, k->name);
	if ((rc = cu_text_check_xml(r->label, path, false, err)))
		return rc;
	if (path[0] != '/')
		return bad_value(r, k->name, "not an absolute path", err);
	for (size_t i = 0; i < r->rf->n_copies; i++)
		if (!strcmp(r->rf->copies[i], path))
			return bad_value(r, k->name, "a copy named twice", err);
	r->rf->copies[r->rf->n_copies++] = path;
	return CU_OK;
}

static int read_state(struct reader *r, const struct state_key *k, const char *v,
                      struct cu_error *err)
{
	void *field = (char *)r->rf + k->offset;
	uint64_t n;
	int rc;

	if (k->kind == STATE_COPY)
		return read_copy(r, k, v, err);
	if (k->repeated)
		return k->kind == STATE_BAD ? read_bad(r, k, v, err) : read_slow(r, k, v, err);
	if (r->seen_state[k - state_keys])
		return bad_value(r, k->name, "given twice", err);
	r->seen_state[k - state_keys] = true;
	switch (k->kind) {
	case STATE_TEXT:
		if ((rc = decode_text(r, k->name, v, (char **)field, err)))
			return rc;
		snprintf(r->label, sizeof(r->label), "%s: %s", r->name, k->name);
		return cu_text_check_xml(r->label, *(char **)field, false, err);
	case STATE_GUID:
		return cu_unhex(field, 16, v) ? CU_OK
		                              : bad_value(r, k->name, "not 32 hex digits", err);
	case STATE_U32:
	case STATE_U64:
		if ((rc = read_u64(r, k, v, &n, err)))
			return rc;
		if (k->kind == STATE_U32)
			*(uint32_t *)field = (uint32_t)n;
		else
			*(uint64_t *)field = n;
		return CU_OK;
	default:
		return bad_value(r, k->name, "unexpected", err);
	}
}

static int read_line(struct reader *r, char *line, struct cu_error *err)
{
	char *space = strchr(line, ' ');
	const struct acq_setting *s;

	if (!space)
		return bad_value(r, line, "a key without a value", err);
	*space = '\0';
	s = acq_setting_find(line);
	if (s && (s->flags & ACQ_SETTING_KEPT))
		return read_setting(r, s, space + 1, err);
	for (size_t i = 0; i < N_STATE; i++)
		if (!strcmp(line, state_keys[i].name))
			return read_state(r, &state_keys[i], space + 1, err);
	return cu_error_set(err, CU_EUSAGE, "%s: '%.40s' is not a key of a resume file", r->name,
	                    line);
}

static int check_complete(struct reader *r, struct cu_error *err)
{
	for (size_t i = 0; i < acq_settings_count; i++)
		if ((acq_settings[i].flags & ACQ_SETTING_KEPT) && !r->seen_setting[i])
			return bad_value(r, acq_settings[i].name, "missing", err);
	for (size_t i = 0; i < N_STATE; i++) {
		bool wanted = !state_keys[i].progress || !r->rf->settings.rescue;

		if (wanted && !state_keys[i].repeated && !r->seen_state[i])
			return bad_value(r, state_keys[i].name, "missing", err);
		if (!wanted && r->seen_state[i])
			return bad_value(r, state_keys[i].name,
			                 "given for --rescue, whose progress is its map", err);
	}
	if (r->rf->settings.rescue && (r->rf->bad.n || r->rf->slow.n))
		return bad_value(r, r->rf->bad.n ? "bad" : "slow",
		                 "given for --rescue, whose progress is its map", err);
	if (r->rf->settings.rescue && r->rf->n_copies)
		return bad_value(r, "copy", "given for --rescue, which writes one E01", err);
	return CU_OK;
}

/* The values against each other. */
static int check_consistent(struct reader *r, struct cu_error *err)
{
	const struct acq_resume_file *rf = r->rf;
	const struct acq_options *o = &rf->settings;
	uint64_t chunk = (uint64_t)o->sector_size * o->chunk_sectors;
	uint64_t sectors = (o->length + o->sector_size - 1) / o->sector_size;
	const struct cu_range *last_bad = rf->bad.n ? &rf->bad.v[rf->bad.n - 1] : NULL;
	const struct source_slow *last_slow = rf->slow.n ? &rf->slow.v[rf->slow.n - 1] : NULL;

	if (o->mapfile && o->mapfile[0] && o->mapfile[0] != '/')
		return bad_value(r, "mapfile",
		                 "a relative path, which means another file in another directory: "
		                 "only absolute paths are trusted",
		                 err);
	if (o->format != ACQ_FORMAT_E01)
		return bad_value(r, "format", "only an E01 acquisition can be resumed", err);
	if (o->ddrescue_map && o->ddrescue_map[0])
		return bad_value(r, "ddrescue-map", "an import of a ddrescue image is not resumed",
		                 err);
	if (o->offset > rf->source_size || o->length > rf->source_size - o->offset)
		return bad_value(r, "length", "the window ends past source-size", err);
	if (o->rescue)
		return o->offset || o->length != rf->source_size || !o->mapfile || !o->mapfile[0]
		           ? bad_value(r, o->mapfile && o->mapfile[0] ? "length" : "mapfile",
		                       "--rescue reads the whole source and keeps a mapfile", err)
		           : CU_OK;
	if (rf->done >= o->length || rf->done / chunk != rf->writer.chunks_written ||
	    rf->done % chunk)
		return bad_value(r, "done", "not the end of chunks-written, inside the window",
		                 err);
	if (rf->writer.chunks_written > (sectors + o->chunk_sectors - 1) / o->chunk_sectors)
		return bad_value(r, "chunks-written", "more than the medium has", err);
	if (rf->writer.segment_chunks > rf->writer.chunks_written)
		return bad_value(r, "segment-chunks", "more than chunks-written", err);
	if (last_bad && last_bad->first + last_bad->count > rf->done)
		return bad_value(r, "bad", "an area past done", err);
	if (last_slow && last_slow->first + last_slow->count > rf->done)
		return bad_value(r, "slow", "an area past done", err);
	return CU_OK;
}

static int parse_lines(struct reader *r, char *text, struct cu_error *err)
{
	char *line = text, *next;
	bool ended = false;
	int rc, n = 0;

	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (ended)
			return cu_error_set(err, CU_EUSAGE, "%s: lines after 'end'", r->name);
		if (n++ == 0) {
			if (strcmp(line, RESUME_MAGIC))
				return cu_error_set(
				    err, CU_EUSAGE,
				    "%s: not a resume file of this custos (its first "
				    "line is not '%s')",
				    r->name, RESUME_MAGIC);
			continue;
		}
		if (!strcmp(line, "end"))
			ended = true;
		else if ((rc = read_line(r, line, err)))
			return rc;
	}
	if (!ended)
		return cu_error_set(err, CU_EUSAGE, "%s: cut short (no 'end' line)", r->name);
	return CU_OK;
}

int acq_resume_file_parse(const char *text, size_t len, const char *name,
                          struct acq_resume_file *rf, struct cu_error *err)
{
	struct reader r = {.name = name, .rf = rf};
	char *copy;
	int rc;

	memset(rf, 0, sizeof(*rf));
	acq_settings_defaults(&rf->settings);
	if (memchr(text, '\0', len))
		return cu_error_set(err, CU_EUSAGE, "%s: not text (it holds a NUL byte)", name);
	if (!(copy = malloc(len + 1)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	rc = parse_lines(&r, copy, err);
	free(copy);
	if (!rc)
		rc = check_complete(&r, err);
	if (!rc)
		rc = check_consistent(&r, err);
	if (rc)
		acq_resume_file_free(rf);
	return rc;
}

int acq_resume_file_load(const char *path, struct acq_resume_file *rf, struct cu_error *err)
{
	char *text;
	size_t len;
	int rc = cu_input_read(path, "the resume file", ACQ_RESUME_FILE_MAX, &text, &len, err);

	if (rc) {
		memset(rf, 0, sizeof(*rf));
		return rc;
	}
	rc = acq_resume_file_parse(text, len, path, rf, err);
	free(text);
	return rc;
}

void acq_resume_file_free(struct acq_resume_file *rf)
{
	for (size_t i = 0; i < rf->n_texts; i++)
		free(rf->texts[i]);
	free(rf->texts);
	rf->texts = NULL;
	rf->n_texts = 0;
	cu_ranges_free(&rf->bad);
	source_slow_list_free(&rf->slow);
}
