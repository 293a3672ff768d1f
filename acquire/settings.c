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

#include "container/ewf/ewf_chunk.h"
#include "container/ewf/ewf_format.h"
#include "lib/parse.h"
#include "lib/text.h"

#define OPT(field) offsetof(struct acq_options, field)
#define KEPT       ACQ_SETTING_KEPT

static const char *const format_names[] = {"e01", "raw", "aff4", NULL};

/* E01's methods (enum ewf_compression, in its order), then AFF4's. */
const char *const acq_compression_names[] = {"none", "empty",  "fast",    "best",
                                             "lz4",  "snappy", "deflate", NULL};
static const char *const stop_names[] = {"none",     "reading",   "finishing", "recording",
                                         "printing", "verifying", NULL};
static const char *const media_type_names[] = {"fixed", "removable", "optical", "memory", NULL};
static const char *const media_flag_names[] = {"logical", "physical", NULL};
static const char *const parity_format_names[] = {"par2", "rs", NULL}; /* enum parity_format */

#define SIZE_MAX_BYTES   (1ULL << 62)
#define SEGMENT_MAX      (1ULL << 43) /* 8 TiB */
#define SLOW_SECONDS_MAX 86400

/* clang-format off */
const struct acq_setting acq_settings[] = {
    {"output", 'o', ACQ_KIND_PATH, 0, 0, 0, NULL, OPT(base),
     "BASE", "Write the evidence set BASE.E01, BASE.E02, ...; with --format raw, BASE.raw (or BASE.001, ... with --segment-size); or, when BASE is a drive, clone onto it. Required. Give -o up to 8 times for as many copies from one read of the source (a working and an archive copy, an E01 and a clone): each --format then applies to the -o before it (-o BASE --format raw), and a -o without one is E01 (a drive: a clone). E01 copies have the same settings and byte-identical segments; each has its own custody log naming the others. A copy that fails (a full disk) is removed and the others go on."},
    {"case-number", 0, ACQ_KIND_TEXT, KEPT, 0, 0, NULL, OPT(meta.case_number),
     "TEXT", "The case number, kept in the E01 header. Case metadata is UTF-8 text of characters XML can hold, with no tabs, line breaks, control characters or bidirectional controls (U+202E, ...), at most 2999 characters."},
    {"evidence-number", 0, ACQ_KIND_TEXT, KEPT, 0, 0, NULL, OPT(meta.evidence_number),
     "TEXT", "The evidence number, kept in the E01 header."},
    {"examiner", 0, ACQ_KIND_TEXT, KEPT, 0, 0, NULL, OPT(meta.examiner),
     "NAME", "The examiner's name, kept in the E01 header; also who the custody log's first event is by."},
    {"description", 0, ACQ_KIND_TEXT, KEPT, 0, 0, NULL, OPT(meta.description),
     "TEXT", "What the medium is, kept in the E01 header."},
    {"notes", 0, ACQ_KIND_TEXT, KEPT, 0, 0, NULL, OPT(meta.notes),
     "TEXT", "Notes, kept in the E01 header and in the custody log's first event."},
    {"compression", 0, ACQ_KIND_CHOICE, KEPT, 0, 0, acq_compression_names, OPT(compression),
     "MODE", "E01: none; empty (only chunks of one repeated byte are compressed); fast (the default); or best. AFF4: lz4 (the default), snappy, deflate or none."},
    {"segment-size", 0, ACQ_KIND_SIZE, KEPT | ACQ_SETTING_NONZERO, 1, SEGMENT_MAX, NULL,
     OPT(segment_size), "SIZE", "The largest a segment file may grow (default 1.4GiB). K, M, G and T (or KiB, MiB, GiB, TiB) are powers of 1024; KB, MB, GB and TB powers of 1000."},
    {"hash", 0, ACQ_KIND_HASHES, KEPT, 0, 0, NULL, OPT(want),
     "LIST", "The digests to compute and store, from md5, sha1 and sha256, separated by commas (default md5,sha256). MD5 is always computed."},
    {"hash-window", 0, ACQ_KIND_SIZE, KEPT, 0, SIZE_MAX_BYTES, NULL, OPT(hash_window),
     "SIZE", "Also record the MD5 and SHA-256 (the --hash digests) of every window of SIZE bytes of the media, as dcfldd's hashwindow and hashdeep -p do: window i holds bytes i*SIZE up to (i+1)*SIZE, the last one shorter. They are kept in the custody log, the report and the DFXML, so that a later verify of a damaged set still proves every window the damage does not touch. A whole number of sectors, at least 1MiB; 0: none. The default is 64MiB on a machine of 4 CPUs or more, where their digests run on cores of their own, and none on fewer, where the CPUs are already busy with the media digests and compression: there they cost about half as much time again."},
    {"parity", 0, ACQ_KIND_COUNT, 0, 0, 100, NULL, OPT(parity),
     "PERCENT", "Once the evidence is complete and recorded, write parity of PERCENT of its size beside each copy, as custos protect does, and record it in the custody log: custos repair then rebuilds files a disk damages or loses, up to about that much of the set."},
    {"parity-format", 0, ACQ_KIND_CHOICE, 0, 0, 0, parity_format_names, OPT(parity_format),
     "FORMAT", "par2 (the default): PAR2, written by par2cmdline, which any archivist's tool reads (par2 repair); about 35 MB/s here, so that it takes many times the acquisition's time. rs: custos' Reed-Solomon layout (docs/parity-rs.md), written with ISA-L on every core at hundreds of MB/s, which custos repairs (and any program written from that page)."},
    {"sector-size", 0, ACQ_KIND_COUNT, KEPT | ACQ_SETTING_POW2, 512, 65536, NULL,
     OPT(sector_size), "N", "Bytes per sector, a power of two from 512 to 65536 (default: the device's logical sector size, 512 for a file)."},
    {"chunk-sectors", 0, ACQ_KIND_COUNT, KEPT | ACQ_SETTING_POW2, 16, 32768, NULL,
     OPT(chunk_sectors), "N", "Sectors per chunk, a power of two from 16 to 32768 (default 64)."},
    {"media-type", 0, ACQ_KIND_CHOICE, KEPT, 0, 0, media_type_names, OPT(media_type),
     "TYPE", "fixed, removable, optical or memory, as ewfacquire's -m (default: removable when sysfs says so, else fixed)."},
    {"media-flags", 0, ACQ_KIND_CHOICE, KEPT, 0, 0, media_flag_names, OPT(media_flags),
     "FLAGS", "physical or logical, as ewfacquire's -M (default: physical for a whole disk, logical for a partition, a file or a stream)."},
    {"offset", 0, ACQ_KIND_SIZE, KEPT, 0, SIZE_MAX_BYTES, NULL, OPT(offset),
     "SIZE", "Start this many bytes into the source (whole sectors of a device)."},
    {"length", 0, ACQ_KIND_SIZE, KEPT | ACQ_SETTING_NONZERO, 1, SIZE_MAX_BYTES, NULL,
     OPT(length),
     "SIZE", "Acquire this many bytes (default: to the end of the source)."},
    {"size", 0, ACQ_KIND_SIZE, ACQ_SETTING_NONZERO, 1, SIZE_MAX_BYTES, NULL, OPT(expect_size),
     "SIZE", "For a stream (SOURCE -): the size it must have. It gives the progress line its percentage; a stream that ends early or runs long fails with exit 1."},
    {"threads", 0, ACQ_KIND_COUNT, 0, 1, 64, NULL, OPT(threads),
     "N", "Compression threads, from 1 to 64 (default: the number of CPUs)."},
    {"no-write-block", 0, ACQ_KIND_FLAG, KEPT, 0, 0, NULL, OPT(no_write_block),
     NULL, "Do not set a block device read-only in the kernel while imaging it. It is still opened read-only."},
    {"format", 0, ACQ_KIND_CHOICE, KEPT, 0, 0, format_names, OPT(format),
     "FORMAT", "e01 (the default); raw: a plain image of exactly the source's bytes, BASE.raw, or BASE.001, BASE.002, ... with --segment-size; or aff4: an AFF4 Standard v1.0 volume, BASE.aff4 (one volume: the standard defines no segments), with SHA-256 block hashes, unreadable sectors mapped to aff4:UnreadableData. One run writes AFF4 copies or E01 and raw copies, not both: unreadable sectors read as zeros in the one and as UNREADABLEDATA in the other, so their media digests differ."},
    {"verify", 0, ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(verify),
     NULL, "When done, read the evidence back (through libewf, or the raw files) and compare its digests with those computed while reading."},
    {"require-all", 0, ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(require_all),
     NULL, "With several -o: a copy that fails fails the acquisition (exit 1); without it, the others complete and the exit status is 4."},
    {"verify-source", 0, ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(verify_source),
     NULL, "When done, read the source again and compare its digests: a changing or failing source shows here."},
    {"retries", 0, ACQ_KIND_COUNT, KEPT, 0, 100, NULL, OPT(retries),
     "N", "Further attempts at a sector that will not read, from 0 to 100 (default 2)."},
    {"slow-seconds", 0, ACQ_KIND_SECONDS, KEPT, 0, SLOW_SECONDS_MAX, NULL, OPT(slow_seconds),
     "S", "Report a megabyte that takes longer than S seconds to read as a slow region (default 1)."},
    {"mapfile", 0, ACQ_KIND_PATH, KEPT, 0, 0, NULL, OPT(mapfile),
     "FILE", "Keep a GNU ddrescue mapfile of the acquisition, rewritten atomically every few seconds and at the end."},
    {"ddrescue-map", 0, ACQ_KIND_PATH, KEPT, 0, 0, NULL, OPT(ddrescue_map),
     "MAP", "SOURCE is an image GNU ddrescue rescued with MAP: the areas the map does not mark finished become read errors, zero-filled."},
    {"rescue", 0, ACQ_KIND_FLAG, KEPT, 0, 0, NULL, OPT(rescue),
     NULL, "For a drive that may die: GNU ddrescue first copies what it can into a sparse spool beside the evidence (BASE.rescue.img), the good data first, keeping its mapfile (--mapfile, or BASE.rescue.map); custos then packs the spool into E01 with the map's unreadable areas, verifies it, and removes the spool."},
    {"resume", 0, ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(resume),
     NULL, "Go on with an interrupted acquisition to BASE. The settings that describe the evidence come from BASE.resume; the command line may repeat them, and a value that differs is refused."},
    {"sign-key", 0, ACQ_KIND_PATH, 0, 0, 0, NULL, OPT(sign_key),
     "KEY.pem", "Sign the custody log's first event with this private key (RSA, EC or Ed25519; PEM). Goes with --sign-cert."},
    {"sign-cert", 0, ACQ_KIND_PATH, 0, 0, 0, NULL, OPT(sign_cert),
     "CERT.pem", "The signer's certificate (PEM), carried in the signed event. It must be valid now, allow digital signatures, and match the key."},
    {"tsa", 0, ACQ_KIND_TEXT, 0, 0, 0, NULL, OPT(tsa_url),
     "URL", "Time-stamp the custody log's events with this RFC 3161 time-stamping authority (http:// or https://): it signs the SHA-256 of each event with its own time, which anyone can check offline later (custos custody verify --tsa-ca, or openssl ts -verify). The TSA is asked once before anything is read or written, and a TSA that cannot be reached, answers wrongly, or whose time differs from this machine's clock by more than a minute fails the acquisition then. Goes with --tsa-ca."},
    {"tsa-ca", 0, ACQ_KIND_PATH, 0, 0, 0, NULL, OPT(tsa_ca),
     "CA.pem", "The CA (PEM) the TSA's certificate must chain to; its answers are checked against it before they are accepted."},
    {"tsa-policy", 0, ACQ_KIND_TEXT, 0, 0, 0, NULL, OPT(tsa_policy),
     "OID", "Ask the TSA to stamp under this policy (an OID), and accept no stamp made under another."},
    {"tsa-optional", 0, ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(tsa_optional),
     NULL, "A stamp that cannot be had does not stop the acquisition: the event records the stamp as missing, and why. Without it, a TSA that fails after the evidence is complete leaves the events recorded as unstamped, and the exit status is 1."},
    {"quiet", 'q', ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(quiet), NULL, "Print nothing but errors: no progress line, no summary."},
    {"json", 0, ACQ_KIND_FLAG, 0, 0, 0, NULL, OPT(json),
     NULL, "Print the summary as one JSON object on standard output; the text summary then goes to standard error."},
    /* for tests on small media */
    {"x-checkpoint", 0, ACQ_KIND_SIZE, ACQ_SETTING_HIDDEN | ACQ_SETTING_NONZERO, 1,
     SIZE_MAX_BYTES, NULL, OPT(checkpoint_every), "SIZE", "bytes between resume points"},
    {"x-interrupt-at", 0, ACQ_KIND_SIZE, ACQ_SETTING_HIDDEN | ACQ_SETTING_NONZERO, 1,
     SIZE_MAX_BYTES, NULL, OPT(interrupt_at), "SIZE", "stop as if interrupted here"},
    {"x-table-entries", 0, ACQ_KIND_COUNT, KEPT | ACQ_SETTING_HIDDEN, 1, 65534, NULL,
     OPT(table_entries_max), "N", "entries per table"},
    {"x-guid", 0, ACQ_KIND_TEXT, ACQ_SETTING_HIDDEN, 0, 0, NULL, OPT(test_guid),
     "HEX", "the E01 set identifier (32 hex digits), so that two runs can be compared byte for byte"},
    {"x-stop-at", 0, ACQ_KIND_CHOICE, ACQ_SETTING_HIDDEN, 0, 0, stop_names, OPT(stop_at),
     "PHASE", "stop the process (SIGSTOP) on entering this phase, for a test to send a signal there"},
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

int acq_setting_key(const struct acq_setting *s)
{
	return s->short_name ? s->short_name : ACQ_SETTING_KEY_BASE + (int)(s - acq_settings);
}

const struct acq_setting *acq_setting_of_key(int key)
{
	for (size_t i = 0; i < acq_settings_count; i++)
		if (acq_setting_key(&acq_settings[i]) == key)
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
	o->hash_window = cpus >= 4 ? ACQ_HASH_WINDOW_DEFAULT : 0;
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
