/*
 * ewf_head.c - the volume and header2 sections of a first segment, and the
 * dates of its header sections.
 *
 * header2 is zlib-compressed UTF-16LE text with a byte-order mark: a line
 * with the number of categories, then for "main" a line of tab-separated
 * keys and one of values.  It is inflated into a bounded buffer, converted
 * to UTF-8 with iconv, and only the keys custos compares are kept.  The
 * older header section is the same in a single-byte code page, its lines
 * ended by "\r\n" or "\n".  The sections are walked from the file header,
 * each descriptor checked, for at most the first few.
 */
#include "container/ewf/ewf_head.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/ewf/ewf_format.h"
#include "lib/input_file.h"
#include "lib/path.h"
#include "lib/timeutil.h"

#define HEADER2_MAX   (1U << 20) /* inflated */
#define SECTIONS_SCAN 16         /* the head is the first few sections */
#define HEAD_DONE     0x100      /* in `found`: the walk has what it looks for */

/* What a walk does with one section; *found collects what it saw. */
typedef int (*head_visit)(int fd, const char *path, const uint8_t *desc, uint64_t at, void *ctx,
                          int *found, struct cu_error *err);

static const char head_keys[EWF_HEAD_FIELDS] = {'a', 'c', 'n', 'e', 't', 'm'};

static int head_damaged(const char *path, const char *why, struct cu_error *err)
{
	return cu_error_set(err, CU_EUSAGE, "%s: %s", path, why);
}

/* UTF-16LE (after its byte-order mark) to UTF-8, malloc'ed. */
static char *utf16_to_utf8(const uint8_t *in, size_t len)
{
	iconv_t cd = iconv_open("UTF-8", "UTF-16LE");
	size_t cap = len * 2 + 1, left_out = cap - 1, left_in = len;
	char *out = malloc(cap), *src = (char *)in, *dst = out;

	if (cd == (iconv_t)-1 || !out || iconv(cd, &src, &left_in, &dst, &left_out) == (size_t)-1) {
		free(out);
		out = NULL;
	} else {
		*dst = '\0';
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	return out;
}

/* The n-th tab-separated field of a line (NUL- or newline-ended), malloc'ed. */
static char *line_field(const char *line, size_t n)
{
	size_t len;

	while (n-- > 0) {
		line += strcspn(line, "\t\n");
		if (*line != '\t')
			return strdup("");
		line++;
	}
	len = strcspn(line, "\t\n");
	return strndup(line, len);
}

static const char *next_line(const char *p)
{
	p = strchr(p, '\n');
	return p ? p + 1 : NULL;
}

/* The keys line of the main category, and in *values its values; NULL when there are none. */
static const char *main_lines(const char *text, const char **values)
{
	const char *keys = next_line(text);

	/* line 1: the number of categories; line 2: "main"; then keys, values */
	keys = keys ? next_line(keys) : NULL;
	*values = keys ? next_line(keys) : NULL;
	return *values ? keys : NULL;
}

/* The value of the one-letter key `key` (the first one), malloc'ed; "" when there is none. */
static char *main_value(const char *keys, const char *values, char key)
{
	for (size_t k = 0; keys[0] != '\n' && keys[0]; k++) {
		size_t len = strcspn(keys, "\t\n");

		if (len == 1 && keys[0] == key)
			return line_field(values, k);
		keys += len;
		if (*keys == '\t')
			keys++;
	}
	return strdup("");
}

static int parse_main(const char *text, struct ewf_head *out)
{
	const char *values, *keys = main_lines(text, &values);

	if (!keys)
		return -1;
	for (size_t i = 0; i < EWF_HEAD_FIELDS; i++)
		if (!(out->fields[i] = main_value(keys, values, head_keys[i])))
			return -1;
	return 0;
}

/* zlib section data inflated into a malloc'ed buffer of at most HEADER2_MAX bytes and a NUL. */
static int head_inflate(const uint8_t *data, size_t len, uint8_t **text, size_t *got,
                        struct cu_error *err)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	int rc = CU_OK;

	*got = 0;
	if (!d || !(*text = malloc(HEADER2_MAX + 1)))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	else if (libdeflate_zlib_decompress(d, data, len, *text, HEADER2_MAX, got) !=
	         LIBDEFLATE_SUCCESS)
		rc = cu_error_set(err, CU_EUSAGE, "a header section does not inflate");
	else
		(*text)[*got] = '\0';
	libdeflate_free_decompressor(d);
	return rc;
}

/* header2's text in UTF-8, malloc'ed. */
static int header2_text(const uint8_t *data, size_t len, char **utf8, struct cu_error *err)
{
	uint8_t *text = NULL;
	size_t got = 0;
	int rc = head_inflate(data, len, &text, &got, err);

	*utf8 = NULL;
	if (rc == CU_EUSAGE || (!rc && (got < 2 || got % 2 || text[0] != 0xff || text[1] != 0xfe)))
		rc = cu_error_set(err, CU_EUSAGE, "its header2 section does not inflate to UTF-16");
	else if (!rc && !(*utf8 = utf16_to_utf8(text + 2, got - 2)))
		rc = cu_error_set(err, CU_EUSAGE, "its header2 section is not UTF-16 text");
	free(text);
	return rc;
}

int ewf_head_parse_header2(const uint8_t *data, size_t len, struct ewf_head *out,
                           struct cu_error *err)
{
	char *utf8 = NULL;
	int rc = header2_text(data, len, &utf8, err);

	for (size_t i = 0; i < EWF_HEAD_FIELDS; i++)
		out->fields[i] = NULL;
	if (!rc && parse_main(utf8, out))
		rc = cu_error_set(err, CU_EUSAGE, "its header2 section has no main category");
	free(utf8);
	return rc;
}

static int read_exact(int fd, void *buf, size_t len, uint64_t at)
{
	return pread(fd, buf, len, (off_t)at) == (ssize_t)len ? 0 : -1;
}

/* Reads the data of a section whose descriptor is `desc` at `at`; at most `max` bytes. */
static int section_data(int fd, const uint8_t *desc, uint64_t at, size_t max, uint8_t **data,
                        size_t *len)
{
	uint64_t size = cu_le64_get(desc + 24);

	if (size < EWF_SECTION_DESC_SIZE || size - EWF_SECTION_DESC_SIZE > max)
		return -1;
	*len = (size_t)(size - EWF_SECTION_DESC_SIZE);
	*data = malloc(*len ? *len : 1);
	if (!*data || read_exact(fd, *data, *len, at + EWF_SECTION_DESC_SIZE)) {
		free(*data);
		*data = NULL;
		return -1;
	}
	return 0;
}

static int head_section(int fd, const char *path, const uint8_t *desc, uint64_t at, void *ctx,
                        int *found, struct cu_error *err)
{
	struct ewf_head *out = ctx;
	uint8_t *data = NULL;
	size_t len = 0;
	int rc = CU_OK;

	if (!memcmp(desc, "header2\0", 8) && !(*found & 1)) {
		struct cu_error why = {0};

		if (section_data(fd, desc, at, HEADER2_MAX, &data, &len))
			return head_damaged(path, "its header2 section cannot be read", err);
		if ((rc = ewf_head_parse_header2(data, len, out, &why)))
			rc = cu_error_set(err, rc, "%s: %s", path, why.msg);
		*found |= 1;
	} else if (!memcmp(desc, "volume\0", 7)) {
		if (section_data(fd, desc, at, EWF_VOLUME_DATA_SIZE, &data, &len) ||
		    len != EWF_VOLUME_DATA_SIZE || !ewf_volume_unpack(data, &out->volume))
			rc = head_damaged(path, "its volume section is damaged", err);
		*found |= 2;
	}
	if ((*found & 3) == 3)
		*found |= HEAD_DONE;
	free(data);
	return rc;
}

/* Shows `visit` the first sections of the segment `path`, until it says it is done. */
static int head_walk(const char *path, head_visit visit, void *ctx, int *found,
                     struct cu_error *err)
{
	uint8_t desc[EWF_SECTION_DESC_SIZE];
	uint64_t at = EWF_FILE_HEADER_SIZE;
	int fd, rc;

	*found = 0;
	if ((rc = cu_input_open(path, "the segment", &fd, err)))
		return rc;
	if (read_exact(fd, desc, EWF_FILE_HEADER_SIZE, 0) || memcmp(desc, ewf_signature, 8))
		rc = head_damaged(path, "not an E01 segment", err);
	for (int i = 0; !rc && i < SECTIONS_SCAN && !(*found & HEAD_DONE); i++) {
		uint64_t next;

		if (read_exact(fd, desc, sizeof(desc), at) ||
		    ewf_adler32(desc, 72) != cu_le32_get(desc + 72))
			rc = head_damaged(path, "a damaged section descriptor", err);
		else if (!(rc = visit(fd, path, desc, at, ctx, found, err)) &&
		         (next = cu_le64_get(desc + 16)) > at)
			at = next;
		else
			break;
	}
	close(fd);
	return rc;
}

int ewf_head_read(const char *path, struct ewf_head *out, struct cu_error *err)
{
	int found, rc;

	memset(out, 0, sizeof(*out));
	rc = head_walk(path, head_section, out, &found, err);
	if (!rc && (found & 3) != 3)
		rc = head_damaged(path, "no header2 and volume sections", err);
	if (rc)
		ewf_head_free(out);
	return rc;
}

void ewf_head_free(struct ewf_head *h)
{
	for (size_t i = 0; i < EWF_HEAD_FIELDS; i++) {
		free(h->fields[i]);
		h->fields[i] = NULL;
	}
}

/* header2's "1764753844", POSIX seconds, as UTC ISO 8601; false when it is not that. */
static bool date_of_seconds(const char *v, char out[CU_ISO8601_SIZE])
{
	size_t len = strlen(v);

	/* up to 9999-12-31T23:59:59Z */
	if (len == 0 || len > 12 || strspn(v, "0123456789") != len ||
	    strtoull(v, NULL, 10) > 253402300799ULL)
		return false;
	cu_time_iso8601(out, (time_t)strtoull(v, NULL, 10));
	return out[0] != '\0';
}

/* header's "2026 12 3 9 24 4", a local time, as ISO 8601 without a zone; false when not that. */
static bool date_of_fields(const char *v, char out[CU_ISO8601_SIZE])
{
	int y, mo, d, h, mi, s, end = -1;

	if (sscanf(v, "%4d %2d %2d %2d %2d %2d%n", &y, &mo, &d, &h, &mi, &s, &end) != 6 ||
	    end < 0 || v[end] || v[0] < '0' || v[0] > '9' || y < 1 || y > 9999 || mo < 1 ||
	    mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
		return false;
	snprintf(out, CU_ISO8601_SIZE, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, s);
	return true;
}

/*
 * The date `key` of a main category, as ewf_head_read_dates gives it
 * (malloc'ed).  Seconds or fields, by their form: header2 holds seconds,
 * header fields, but linen's header holds seconds too.
 */
static char *date_value(const char *keys, const char *values, char key)
{
	char *v = main_value(keys, values, key), iso[CU_ISO8601_SIZE], *out;

	if (!v || !v[0] || (!date_of_seconds(v, iso) && !date_of_fields(v, iso)))
		out = v ? cu_path_escape(v) : NULL; /* none, or as stored */
	else
		out = strdup(iso);
	free(v);
	return out;
}

/* The dates of header text (UTF-8 for header2, a code page for header). */
static int dates_parse(char *text, struct ewf_head_dates *out)
{
	const char *keys, *values;
	char *w = text;

	for (const char *r = text; *r; r++) /* header's lines may end in "\r\n" */
		if (*r != '\r')
			*w++ = *r;
	*w = '\0';
	ewf_head_dates_free(out);
	if (!(keys = main_lines(text, &values)))
		return CU_OK; /* no main category: no dates */
	out->acquired = date_value(keys, values, 'm');
	out->system = date_value(keys, values, 'u');
	return out->acquired && out->system ? CU_OK : CU_EFAIL;
}

/* header2 (the first) gives the dates; header, only when no header2 comes before the volume. */
static int dates_section(int fd, const char *path, const uint8_t *desc, uint64_t at, void *ctx,
                         int *found, struct cu_error *err)
{
	bool header2 = !memcmp(desc, "header2\0", 8), header = !memcmp(desc, "header\0\0", 8);
	uint8_t *data = NULL, *text = NULL;
	struct cu_error why = {0};
	char *utf8 = NULL;
	size_t len = 0;
	int rc;

	if (!memcmp(desc, "volume\0", 7) || !memcmp(desc, "disk\0", 5))
		*found |= HEAD_DONE; /* the header sections come before it */
	if (!(header2 && !(*found & 1)) && !(header && !(*found & 3)))
		return CU_OK;
	if (section_data(fd, desc, at, HEADER2_MAX, &data, &len))
		return head_damaged(path, "a header section cannot be read", err);
	rc = header2 ? header2_text(data, len, &utf8, &why)
	             : head_inflate(data, len, &text, &len, &why);
	if (!rc && dates_parse(header2 ? utf8 : (char *)text, ctx))
		rc = cu_error_set(&why, CU_EFAIL, "out of memory");
	if (rc)
		cu_error_set(err, rc, "%s: %s", path, why.msg);
	*found |= header2 ? 1 | HEAD_DONE : 2;
	free(utf8);
	free(text);
	free(data);
	return rc;
}

int ewf_head_read_dates(const char *path, struct ewf_head_dates *out, struct cu_error *err)
{
	int found, rc;

	out->acquired = out->system = NULL;
	rc = head_walk(path, dates_section, out, &found, err);
	if (!rc && (!out->acquired || !out->system)) {
		ewf_head_dates_free(out);
		out->acquired = strdup("");
		out->system = strdup("");
	}
	if (!rc && (!out->acquired || !out->system))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (rc)
		ewf_head_dates_free(out);
	return rc;
}

void ewf_head_dates_free(struct ewf_head_dates *d)
{
	free(d->acquired);
	free(d->system);
	d->acquired = d->system = NULL;
}
