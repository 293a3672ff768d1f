/*
 * text.c - iconv-based conversions for metadata text.
 */
#include "lib/text.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/*
 * Converts `in` with a fresh iconv descriptor into a malloc'ed buffer that
 * gets `nul` trailing zero bytes.  Returns -1 with errno set on failure.
 */
static int text_convert(const char *to, const char *from, const char *in, size_t in_len, char **out,
                        size_t *out_len, size_t nul)
{
	iconv_t cd = iconv_open(to, from);
	size_t cap = in_len * 4 + 16, left_in = in_len, left_out;
	char *buf, *src = (char *)in, *dst;
	int saved;

	if (cd == (iconv_t)-1)
		return -1;
	buf = malloc(cap + nul);
	if (!buf) {
		iconv_close(cd);
		errno = ENOMEM;
		return -1;
	}
	dst = buf;
	left_out = cap;
	if (iconv(cd, &src, &left_in, &dst, &left_out) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &dst, &left_out) == (size_t)-1) {
		saved = errno;
		free(buf);
		iconv_close(cd);
		errno = saved;
		return -1;
	}
	iconv_close(cd);
	*out_len = cap - left_out;
	memset(buf + *out_len, 0, nul);
	*out = buf;
	return 0;
}

bool cu_text_is_utf8(const char *s)
{
	char *out;
	size_t len;

	if (text_convert("UTF-32LE", "UTF-8", s, strlen(s), &out, &len, 0) != 0)
		return false;
	free(out);
	return true;
}

size_t cu_text_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int cu_text_to_utf16le(const char *utf8, uint8_t **out, size_t *len, struct cu_error *err)
{
	char *buf;

	if (text_convert("UTF-16LE", "UTF-8", utf8, strlen(utf8), &buf, len, 2) != 0)
		return cu_error_errno(err, CU_EUSAGE, errno, "cannot convert '%s' to UTF-16", utf8);
	*out = (uint8_t *)buf;
	return CU_OK;
}

int cu_text_to_cp1252(const char *utf8, char **out, struct cu_error *err)
{
	size_t len;

	if (text_convert("WINDOWS-1252//TRANSLIT", "UTF-8", utf8, strlen(utf8), out, &len, 1) != 0)
		return cu_error_errno(err, CU_EUSAGE, errno,
		                      "cannot convert '%s' to code page 1252", utf8);
	return CU_OK;
}
