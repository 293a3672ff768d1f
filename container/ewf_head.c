/*
 * ewf_head.c - the volume and header2 sections of a first segment.
 *
 * header2 is zlib-compressed UTF-16LE text with a byte-order mark: a line
 * with the number of categories, then for "main" a line of tab-separated
 * keys and one of values.  It is inflated into a bounded buffer, converted
 * to UTF-8 with iconv, and only the keys custos compares are kept.
 */
#include "container/ewf_head.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/ewf_format.h"
#include "lib/input_file.h"

#define HEADER2_MAX   (1U << 20) /* inflated */
#define SECTIONS_SCAN 16         /* the head is the first few sections */

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

static int parse_main(const char *text, struct ewf_head *out)
{
	const char *keys = next_line(text), *values;

	/* line 1: the number of categories; line 2: "main"; then keys, values */
	keys = keys ? next_line(keys) : NULL;
	values = keys ? next_line(keys) : NULL;
	if (!values)
		return -1;
	for (size_t i = 0; i < EWF_HEAD_FIELDS; i++)
		out->fields[i] = NULL;
	for (size_t k = 0; keys[0] != '\n' && keys[0]; k++) {
		size_t len = strcspn(keys, "\t\n");

		for (size_t i = 0; i < EWF_HEAD_FIELDS; i++)
			if (len == 1 && keys[0] == head_keys[i] && !out->fields[i])
				out->fields[i] = line_field(values, k);
		keys += len;
		if (*keys == '\t')
			keys++;
	}
	for (size_t i = 0; i < EWF_HEAD_FIELDS; i++)
		if (!out->fields[i] && !(out->fields[i] = strdup("")))
			return -1;
	return 0;
}

int ewf_head_parse_header2(const uint8_t *data, size_t len, struct ewf_head *out,
                           struct cu_error *err)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	uint8_t *text = malloc(HEADER2_MAX);
	size_t got = 0;
	char *utf8 = NULL;
	int rc = CU_OK;

	if (!d || !text)
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	else if (libdeflate_zlib_decompress(d, data, len, text, HEADER2_MAX, &got) !=
	             LIBDEFLATE_SUCCESS ||
	         got < 2 || got % 2 || text[0] != 0xff || text[1] != 0xfe)
		rc = cu_error_set(err, CU_EUSAGE, "its header2 section does not inflate to UTF-16");
	else if (!(utf8 = utf16_to_utf8(text + 2, got - 2)))
		rc = cu_error_set(err, CU_EUSAGE, "its header2 section is not UTF-16 text");
	else if (parse_main(utf8, out))
		rc = cu_error_set(err, CU_EUSAGE, "its header2 section has no main category");
	free(utf8);
	free(text);
	libdeflate_free_decompressor(d);
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

static int head_section(int fd, const char *path, const uint8_t *desc, uint64_t at,
                        struct ewf_head *out, int *found, struct cu_error *err)
{
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
	free(data);
	return rc;
}

static int head_walk(int fd, const char *path, struct ewf_head *out, struct cu_error *err)
{
	uint8_t desc[EWF_SECTION_DESC_SIZE];
	uint64_t at = EWF_FILE_HEADER_SIZE;
	int found = 0, rc;

	if (read_exact(fd, desc, EWF_FILE_HEADER_SIZE, 0) || memcmp(desc, ewf_signature, 8))
		return head_damaged(path, "not an E01 segment", err);
	for (int i = 0; i < SECTIONS_SCAN && found != 3; i++) {
		uint64_t next;

		if (read_exact(fd, desc, sizeof(desc), at) ||
		    ewf_adler32(desc, 72) != cu_le32_get(desc + 72))
			return head_damaged(path, "a damaged section descriptor", err);
		if ((rc = head_section(fd, path, desc, at, out, &found, err)))
			return rc;
		next = cu_le64_get(desc + 16);
		if (next <= at)
			break;
		at = next;
	}
	return found == 3 ? CU_OK : head_damaged(path, "no header2 and volume sections", err);
}

int ewf_head_read(const char *path, struct ewf_head *out, struct cu_error *err)
{
	int fd, rc;

	memset(out, 0, sizeof(*out));
	if ((rc = cu_input_open(path, "the segment", &fd, err)))
		return rc;
	rc = head_walk(fd, path, out, err);
	close(fd);
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
