/*
 * settings.c - the table of acquisition settings, and the one parser,
 * formatter and comparison every setting goes through.
 *
 * Each kind of value has a parser that accepts nothing loosely (parse.h),
 * and a formatter whose text parses back to the same value, so that
 * BASE.resume holds exactly what the command line could have said.
 */
#include "acquire/settings.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/ewf_chunk.h"
#include "container/ewf_format.h"
#include "lib/parse.h"
#include "lib/text.h"

#define OPT(field) offsetof(struct acq_options, field)
#define KEPT       ACQ_SETTING_KEPT

static const char *const format_names[] = {"e01", "raw", NULL};
static const char *const media_type_names[] = {"fixed", "removable", "optical", "memory", NULL};
static const char *const media_flag_names[] = {"logical", "physical", NULL};

#define SIZE_MAX_BYTES   (1ULL << 62)
#define SEGMENT_MAX      (1ULL << 43) /* 8 TiB */
#define SLOW_SECONDS_MAX 86400

/* clang-format off */
const struct acq_setting acq_settings[] = {
    {"output", 'o', ACQ_KIND_PATH, 0, 0, 0, NULL, OPT(base),
     "BASE", "write BASE.E01, BASE.E02, ... (or BASE.raw, or a drive to clone onto)"},
    {"case-number", 0, ACQ_KIND_TEXT, KEPT, 0, 0, NULL, OPT(meta.case_number),
     "TEXT", "case metadata (UTF-8; no tabs or line breaks; at most 2999 characters)"},
    {"evidence-number", 0, ACQ_KIND_TEXT, KEPT, 0, 0, NULL, OPT(meta.evidence_number),
     "TEXT", "case metadata"},
    {"examiner", 0, ACQ_KIND_TEXT, KEPT, 0, 0, NULL, OPT(meta.examiner), "TEXT", "case metadata"},
    {"description", 0, ACQ_KIND_TEXT, KEPT, 0, 0, NULL, OPT(meta.description),
     "TEXT", "case metadata"},
    {"notes", 0, ACQ_KIND_TEXT, KEPT, 0, 0, NULL, OPT(meta.notes), "TEXT", "case metadata"},
    {"compression", 0, ACQ_KIND_CHOICE, KEPT, 0, 0, ewf_compression_names, OPT(compression),
     "MODE", "none, empty, fast (default) or best"},
    {"segment-size", 0, ACQ_KIND_SIZE, KEPT | ACQ_SETTING_NONZERO, 1, SEGMENT_MAX, NULL,
     OPT(segment_size), "SIZE", "largest segment file (default 1.4GiB)"},
    {"hash", 0, ACQ_KIND_HASHES, KEPT, 0, 0, NULL, OPT(want),
     "LIST", "md5,sha1,sha256 (MD5 always; default md5,sha256)"},
    {"sector-size", 0, ACQ_KIND_COUNT, KEPT | ACQ_SETTING_POW2, 512, 65536, NULL,
     OPT(sector_size), "N", "bytes per sector (default: the device's, or 512)"},
    {"chunk-sectors", 0, ACQ_KIND_COUNT, KEPT | ACQ_SETTING_POW2, 16, 32768, NULL,
     OPT(chunk_sectors), "N", "sectors per chunk, a power of two (default 64)"},
    {"media-type", 0, ACQ_KIND_CHOICE, KEPT, 0, 0, media_type_names, OPT(media_type),
     "TYPE", "fixed, removable, optical or memory (default: as the device says)"},
    {"media-flags", 0, ACQ_KIND_CHOICE, KEPT, 0, 0, media_flag_names, OPT(media_flags),
     "FLAGS", "physical (default for a whole disk) or logical"},
    {"offset", 0, ACQ_KIND_SIZE, KEPT, 0, SIZE_MAX_BYTES, NULL, OPT(offset),
     "SIZE", "start this many bytes into the source"},
    {"length", 0, ACQ_KIND_SIZE, KEPT | ACQ_SETTING_NONZERO, 1, SIZE_MAX_BYTES, NULL,
     OPT(length), "SIZE", "acquire this many bytes (default: to the end)"},
    {"threads", 0, ACQ_KIND_COUNT, 0, 1, 64, NULL, OPT(threads),
     "N", "compression threads (default: the number of CPUs)"},
    {"no-write-block", 0, ACQ_KIND_FLAG, KEPT, 0, 0, NULL, OPT(no_write_block),
     NULL, "do not set a device read-only while imaging"},
    {"format", 0, ACQ_KIND_CHOICE, KEPT, 0, 0, format_names, OPT(format),
     "FORMAT", "e01 (default) or raw: BASE.raw, or BASE.001, ... with --segment-size"},
    {"verify", 0, ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(verify),
     NULL, "read the evidence back and check its digests"},
    {"verify-source", 0, ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(verify_source),
     NULL, "read the source again and check its digests"},
    {"retries", 0, ACQ_KIND_COUNT, KEPT, 0, 100, NULL, OPT(retries),
     "N", "further attempts at an unreadable sector (default 2)"},
    {"slow-seconds", 0, ACQ_KIND_SECONDS, KEPT, 0, SLOW_SECONDS_MAX, NULL, OPT(slow_seconds),
     "S", "report a megabyte that takes longer to read (default 1)"},
    {"mapfile", 0, ACQ_KIND_PATH, KEPT, 0, 0, NULL, OPT(mapfile),
     "FILE", "keep a GNU ddrescue mapfile of the acquisition"},
    {"ddrescue-map", 0, ACQ_KIND_PATH, KEPT, 0, 0, NULL, OPT(ddrescue_map),
     "FILE", "SOURCE was rescued by GNU ddrescue with this map: record its unrescued areas"},
    {"resume", 0, ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(resume),
     NULL, "go on with an interrupted acquisition to BASE"},
    {"sign-key", 0, ACQ_KIND_PATH, 0, 0, 0, NULL, OPT(sign_key),
     "KEY.pem", "sign the custody log's first event with this key (and --sign-cert)"},
    {"sign-cert", 0, ACQ_KIND_PATH, 0, 0, 0, NULL, OPT(sign_cert),
     "CERT.pem", "the signer's certificate, carried in the event"},
    {"quiet", 'q', ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(quiet), NULL, "print nothing but errors"},
    {"json", 0, ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(json),
     NULL, "print the summary as one JSON object"},
    /* for tests on small media */
    {"x-checkpoint", 0, ACQ_KIND_SIZE, ACQ_SETTING_HIDDEN | ACQ_SETTING_NONZERO, 1,
     SIZE_MAX_BYTES, NULL, OPT(checkpoint_every), "SIZE", "bytes between resume points"},
    {"x-interrupt-at", 0, ACQ_KIND_SIZE, ACQ_SETTING_HIDDEN | ACQ_SETTING_NONZERO, 1,
     SIZE_MAX_BYTES, NULL, OPT(interrupt_at), "SIZE", "stop as if interrupted here"},
    {"x-table-entries", 0, ACQ_KIND_COUNT, KEPT | ACQ_SETTING_HIDDEN, 1, 65534, NULL,
     OPT(table_entries_max), "N", "entries per table"},
};
/* clang-format on */

const size_t acq_settings_count = sizeof(acq_settings) / sizeof(acq_settings[0]);

_Static_assert(sizeof(acq_settings) / sizeof(acq_settings[0]) <= ACQ_SETTINGS_MAX,
               "ACQ_SETTINGS_MAX is too small");

size_t acq_setting_size(const struct acq_setting *s)
{
	switch (s->kind) {
	case ACQ_KIND_TEXT:
	case ACQ_KIND_PATH:
		return sizeof(const char *);
	case ACQ_KIND_SIZE:
		return sizeof(uint64_t);
	case ACQ_KIND_COUNT:
		return sizeof(uint32_t);
	case ACQ_KIND_CHOICE:
		return sizeof(int);
	case ACQ_KIND_FLAG:
		return sizeof(bool);
	case ACQ_KIND_SECONDS:
		return sizeof(double);
	case ACQ_KIND_HASHES:
		return sizeof(bool) * CU_HASH_COUNT;
	}
	return 0;
}

const struct acq_setting *acq_setting_find(const char *name)
{
	for (size_t i = 0; i < acq_settings_count; i++)
		if (!strcmp(acq_settings[i].name, name))
			return &acq_settings[i];
	return NULL;
}

void acq_settings_defaults(struct acq_options *o)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	cu_meta_init(&o->meta);
	o->compression = EWF_COMPRESSION_FAST;
	o->chunk_sectors = 64;
	o->retries = 2;
	o->slow_seconds = 1.0;
	o->threads = cpus > 0 ? (uint32_t)(cpus > 64 ? 64 : cpus) : 1;
	o->segment_size = 1503238553ULL; /* 1.4 GiB */
	o->want[CU_HASH_MD5] = o->want[CU_HASH_SHA256] = true;
	o->table_entries_max = EWF_TABLE_ENTRIES_DEFAULT;
	o->media_type = -1;
	o->media_flags = -1;
}

/* ---- parsing, by kind ---- */

static int parse_count(const struct acq_setting *s, void *field, const char *text,
                       const char *label, struct cu_error *err)
{
	uint64_t v;
	int rc = cu_parse_u64(&v, label, text, s->min, s->max, err);

	if (rc)
		return rc;
	if ((s->flags & ACQ_SETTING_POW2) && (v & (v - 1)))
		return cu_error_set(err, CU_EUSAGE, "%s: %" PRIu64 " is not a power of two", label,
		                    v);
	*(uint32_t *)field = (uint32_t)v;
	return CU_OK;
}

static int parse_size(const struct acq_setting *s, void *field, const char *text, const char *label,
                      struct cu_error *err)
{
	uint64_t v;
	int rc = cu_parse_size(&v, label, text, err);

	if (rc)
		return rc;
	if (v == 0 && (s->flags & ACQ_SETTING_NONZERO))
		return cu_error_set(err, CU_EUSAGE, "%s: 0 bytes is not a size it takes", label);
	if (v > s->max)
		return cu_error_set(err, CU_EUSAGE, "%s: '%s' is larger than %" PRIu64 " bytes",
		                    label, text, s->max);
	*(uint64_t *)field = v;
	return CU_OK;
}

static int parse_seconds(const struct acq_setting *s, void *field, const char *text,
                         const char *label, struct cu_error *err)
{
	double v;
	int rc = cu_parse_seconds(&v, label, text, err);

	if (rc)
		return rc;
	if (v > (double)s->max)
		return cu_error_set(err, CU_EUSAGE, "%s: more than %" PRIu64 " seconds", label,
		                    s->max);
	*(double *)field = v;
	return CU_OK;
}

static int parse_flag(void *field, const char *text, const char *label, struct cu_error *err)
{
	if (!text || !strcmp(text, "yes"))
		*(bool *)field = true;
	else if (!strcmp(text, "no"))
		*(bool *)field = false;
	else
		return cu_error_set(err, CU_EUSAGE, "%s: '%s' is not yes or no", label, text);
	return CU_OK;
}

static int parse_hashes(void *field, const char *text, const char *label, struct cu_error *err)
{
	bool want[CU_HASH_COUNT];
	int rc = cu_hash_parse_list(want, label, text, err);

	if (rc)
		return rc;
	memcpy(field, want, sizeof(want));
	return CU_OK;
}

static int parse_text(const struct acq_setting *s, void *field, const char *text, const char *label,
                      struct cu_error *err)
{
	int rc = s->kind == ACQ_KIND_TEXT ? cu_meta_check_field(label, text, err) : CU_OK;

	if (!rc) /* an empty file name is none */
		*(const char **)field = s->kind == ACQ_KIND_PATH && !text[0] ? NULL : text;
	return rc;
}

int acq_setting_parse(const struct acq_setting *s, struct acq_options *o, const char *text,
                      const char *label, struct cu_error *err)
{
	void *field = (char *)o + s->offset;

	if (!text && s->kind != ACQ_KIND_FLAG)
		return cu_error_set(err, CU_EUSAGE, "%s needs a value", label);
	switch (s->kind) {
	case ACQ_KIND_TEXT:
	case ACQ_KIND_PATH:
		return parse_text(s, field, text, label, err);
	case ACQ_KIND_SIZE:
		return parse_size(s, field, text, label, err);
	case ACQ_KIND_COUNT:
		return parse_count(s, field, text, label, err);
	case ACQ_KIND_CHOICE:
		return cu_parse_choice(field, label, text, s->choices, err);
	case ACQ_KIND_FLAG:
		return parse_flag(field, text, label, err);
	case ACQ_KIND_SECONDS:
		return parse_seconds(s, field, text, label, err);
	case ACQ_KIND_HASHES:
		return parse_hashes(field, text, label, err);
	}
	return cu_error_set(err, CU_EFAIL, "%s: unknown kind of setting", label);
}

/* ---- formatting, by kind ---- */

static char *format_hashes(const bool *want)
{
	char text[32] = "";

	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (want[a])
			snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s%s",
			         text[0] ? "," : "", cu_hash_name(a));
	return strdup(text);
}

static char *format_choice(const struct acq_setting *s, int v)
{
	for (int i = 0; s->choices[i]; i++)
		if (i == v)
			return strdup(s->choices[i]);
	return strdup("");
}

char *acq_setting_format(const struct acq_setting *s, const struct acq_options *o)
{
	const void *field = (const char *)o + s->offset;
	char text[64];

	switch (s->kind) {
	case ACQ_KIND_TEXT:
	case ACQ_KIND_PATH:
		return strdup(*(const char *const *)field ? *(const char *const *)field : "");
	case ACQ_KIND_SIZE:
		snprintf(text, sizeof(text), "%" PRIu64, *(const uint64_t *)field);
		break;
	case ACQ_KIND_COUNT:
		snprintf(text, sizeof(text), "%" PRIu32, *(const uint32_t *)field);
		break;
	case ACQ_KIND_CHOICE:
		return format_choice(s, *(const int *)field);
	case ACQ_KIND_FLAG:
		return strdup(*(const bool *)field ? "yes" : "no");
	case ACQ_KIND_SECONDS:
		snprintf(text, sizeof(text), "%.17g", *(const double *)field);
		break;
	case ACQ_KIND_HASHES:
		return format_hashes(field);
	}
	return strdup(text);
}

bool acq_setting_equal(const struct acq_setting *s, const struct acq_options *a,
                       const struct acq_options *b)
{
	char *x = acq_setting_format(s, a), *y = acq_setting_format(s, b);
	bool same = x && y && !strcmp(x, y);

	free(x);
	free(y);
	return same;
}

void acq_settings_usage(FILE *out)
{
	fputs("usage: custos acquire SOURCE -o BASE [options]\n", out);
	for (size_t i = 0; i < acq_settings_count; i++) {
		const struct acq_setting *s = &acq_settings[i];
		char left[64];

		if (s->flags & ACQ_SETTING_HIDDEN)
			continue;
		snprintf(left, sizeof(left), "%c%c%s --%s%s%s", s->short_name ? '-' : ' ',
		         s->short_name ? s->short_name : ' ', s->short_name ? "," : " ", s->name,
		         s->arg ? " " : "", s->arg ? s->arg : "");
		fprintf(out, "  %-26s %s\n", left, s->help);
	}
}
