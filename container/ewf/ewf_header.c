/*
 * ewf_header.c - composing and compressing the E01 text sections.
 *
 * The line layouts are those EnCase 6 and ewfacquire write (categories
 * "main", "srce" and "sub" in header2; "main" alone in header).  Values are
 * separated by tabs, so meta.c refuses tabs and line breaks in the fields.
 * Dates: header2 holds POSIX seconds, exact; header holds "Y M D h m s" in
 * local time, as EnCase writes it.  header is in code page 1252: a value it
 * cannot hold is transliterated there (and the caller told), and kept exact
 * in header2.
 */
#include "container/ewf/ewf_header.h"

#include <libdeflate.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/text.h"

/* EnCase reads at most 11 characters of version and 23 of platform. */
#define HEADER_VERSION_MAX  11
#define HEADER_PLATFORM_MAX 23

struct text {
	char *buf;
	size_t len, cap;
	int failed;
};

static void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || t->len + (size_t)n + 1 > t->cap) {
		size_t cap = (t->cap + (size_t)(n < 0 ? 0 : n) + 1) * 2;
		char *grown = n < 0 ? NULL : realloc(t->buf, cap);

		if (!grown) {
			t->failed = 1;
			return;
		}
		t->buf = grown;
		t->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

void ewf_blob_free(struct ewf_blob *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

/* zlib-compresses `len` bytes into a new blob. */
static int blob_deflate(struct ewf_blob *out, const void *data, size_t len, struct cu_error *err)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(9);
	size_t cap = libdeflate_zlib_compress_bound(c, len);

	out->data = c ? malloc(cap) : NULL;
	if (!out->data) {
		libdeflate_free_compressor(c);
		return cu_error_set(err, CU_EFAIL, "out of memory compressing a header section");
	}
	out->len = libdeflate_zlib_compress(c, data, len, out->data, cap);
	libdeflate_free_compressor(c);
	if (out->len == 0) {
		ewf_blob_free(out);
		return cu_error_set(err, CU_EFAIL, "cannot compress a header section");
	}
	return CU_OK;
}

static void version_and_platform(const struct cu_meta *m, char *av, char *ov)
{
	snprintf(av, HEADER_VERSION_MAX + 1, "%.*s", HEADER_VERSION_MAX, m->software);
	snprintf(ov, HEADER_PLATFORM_MAX + 1, "%.*s", HEADER_PLATFORM_MAX, m->os);
}

int ewf_header2_build(struct ewf_blob *out, const struct cu_meta *m, struct cu_error *err)
{
	struct text t = {0};
	char av[HEADER_VERSION_MAX + 1], ov[HEADER_PLATFORM_MAX + 1];
	uint8_t *utf16 = NULL, *bom;
	size_t utf16_len;
	int rc;

	version_and_platform(m, av, ov);
	text_add(&t, "3\nmain\na\tc\tn\te\tt\tmd\tsn\tav\tov\tm\tu\tp\tdc\n");
	text_add(&t, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%lld\t%lld\t0\t\n\n",
	         cu_meta_text(m->description), cu_meta_text(m->case_number),
	         cu_meta_text(m->evidence_number), cu_meta_text(m->examiner),
	         cu_meta_text(m->notes), cu_meta_text(m->model), cu_meta_text(m->serial), av, ov,
	         (long long)m->acquired, (long long)m->system);
	text_add(&t, "srce\n0\t1\np\tn\tid\tev\ttb\tlo\tpo\tah\tgu\taq\n0\t0\n"
	             "\t\t\t\t\t-1\t-1\t\t\t\n\n");
	text_add(&t, "sub\n0\t1\np\tn\tid\tnu\tco\tgu\n0\t0\n\t\t\t\t1\t\n\n");
	if (t.failed) {
		free(t.buf);
		return cu_error_set(err, CU_EFAIL, "out of memory building header2");
	}
	rc = cu_text_to_utf16le(t.buf, &utf16, &utf16_len, err);
	free(t.buf);
	if (rc)
		return rc;
	bom = malloc(utf16_len + 2);
	if (!bom) {
		free(utf16);
		return cu_error_set(err, CU_EFAIL, "out of memory building header2");
	}
	bom[0] = 0xff;
	bom[1] = 0xfe;
	memcpy(bom + 2, utf16, utf16_len);
	free(utf16);
	rc = blob_deflate(out, bom, utf16_len + 2, err);
	free(bom);
	return rc;
}

/* The legacy header's dates are local time, as EnCase writes them. */
static void header_date(char *out, size_t cap, time_t when)
{
	struct tm tm;

	localtime_r(&when, &tm);
	snprintf(out, cap, "%d %d %d %d %d %d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	         tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int ewf_header_build(struct ewf_blob *out, const struct cu_meta *m, bool *transliterated,
                     struct cu_error *err)
{
	struct text t = {0};
	char av[HEADER_VERSION_MAX + 1], ov[HEADER_PLATFORM_MAX + 1], acquired[64], sys[64];
	char *cp1252 = NULL;
	int rc;

	version_and_platform(m, av, ov);
	header_date(acquired, sizeof(acquired), m->acquired);
	header_date(sys, sizeof(sys), m->system);
	text_add(&t, "1\r\nmain\r\nc\tn\ta\te\tt\tav\tov\tm\tu\tp\r\n");
	text_add(&t, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t0\r\n\r\n", cu_meta_text(m->case_number),
	         cu_meta_text(m->evidence_number), cu_meta_text(m->description),
	         cu_meta_text(m->examiner), cu_meta_text(m->notes), av, ov, acquired, sys);
	if (t.failed) {
		free(t.buf);
		return cu_error_set(err, CU_EFAIL, "out of memory building header");
	}
	rc = cu_text_to_cp1252(t.buf, &cp1252, transliterated, err);
	free(t.buf);
	if (rc)
		return rc;
	rc = blob_deflate(out, cp1252, strlen(cp1252), err);
	free(cp1252);
	return rc;
}

int ewf_xhash_build(struct ewf_blob *out, const struct cu_digests *d, struct cu_error *err)
{
	static const char *const tags[CU_HASH_COUNT] = {"MD5", "SHA1", "SHA256"};
	struct text t = {0};
	char hex[2 * CU_HASH_MAX_SIZE + 1];
	int rc;

	text_add(&t, "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xhash>\n");
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!d->have[a])
			continue;
		cu_hex(hex, cu_digests_get(d, a), cu_hash_size(a));
		text_add(&t, "\t<%s>%s</%s>\n", tags[a], hex, tags[a]);
	}
	text_add(&t, "</xhash>\n\n");
	if (t.failed) {
		free(t.buf);
		return cu_error_set(err, CU_EFAIL, "out of memory building xhash");
	}
	rc = blob_deflate(out, t.buf, t.len, err);
	free(t.buf);
	return rc;
}
