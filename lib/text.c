/*
 * text.c - iconv-based conversions for metadata text; the checks of text
 * people type and the escaping of text shown to them.
 */
#include "lib/text.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* Room for the escape of one character ("\u202e", "\xff", or a character of four bytes). */
#define TEXT_ESCAPE_MAX 12

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

size_t cu_utf8_decode(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0)
		n = 2, c = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, c = p[0] & 0x0f;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, c = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

bool cu_text_is_utf8(const char *s)
{
	uint32_t cp;

	while (*s) {
		size_t n = cu_utf8_decode(s, &cp);

		if (n == 0)
			return false;
		s += n;
	}
	return true;
}

size_t cu_text_xml_char_length(const char *s)
{
	uint32_t cp;
	size_t n = cu_utf8_decode(s, &cp);

	if (n == 0 || cp < 0x20 || cp == 0x7f || cp == 0xfffe || cp == 0xffff)
		return 0;
	return n;
}

/* The characters that reorder how the text around them is displayed. */
static bool text_is_bidi_control(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* A character that must be shown visibly, not as itself (cu_text_visible). */
static bool text_hides(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp <= 0x9f) ||
	       text_is_bidi_control(cp);
}

char *cu_text_visible(const char *s, bool *failed)
{
	size_t len = strlen(s), at = 0, out_len = 0, n;
	bool any = false;
	uint32_t cp;
	char *out;

	*failed = false;
	for (at = 0; at < len; at += n ? n : 1) {
		n = cu_utf8_decode(s + at, &cp);
		any |= !n || text_hides(cp);
	}
	if (!any)
		return NULL;
	if (!(out = malloc(len * 8 + 1))) { /* "[U+HHHH]" for each byte at most */
		*failed = true;
		return NULL;
	}
	for (at = 0; at < len; at += n ? n : 1) {
		n = cu_utf8_decode(s + at, &cp);
		if (!n)
			out_len += (size_t)sprintf(out + out_len, "[0x%02X]", (unsigned char)s[at]);
		else if (text_hides(cp))
			out_len += (size_t)sprintf(out + out_len, "[U+%04X]", (unsigned)cp);
		else {
			memcpy(out + out_len, s + at, n);
			out_len += n;
		}
	}
	out[out_len] = '\0';
	return out;
}

/* A refused character that is not a C0 control: C1, or a bidirectional control. */
static int text_refuse_hidden(const char *what, uint32_t cp, struct cu_error *err)
{
	if (cp >= 0x80 && cp <= 0x9f)
		return cu_error_set(err, CU_EUSAGE,
		                    "%s: control characters (here U+%04X) cannot be recorded", what,
		                    (unsigned)cp);
	return cu_error_set(err, CU_EUSAGE,
	                    "%s: U+%04X is a bidirectional control: it would show the text "
	                    "otherwise than it is stored, and cannot be recorded",
	                    what, (unsigned)cp);
}

int cu_text_check_xml(const char *what, const char *s, bool line_breaks, struct cu_error *err)
{
	uint32_t cp;

	while (*s) {
		size_t n = cu_utf8_decode(s, &cp);

		if (n == 0)
			return cu_error_set(err, CU_EUSAGE, "%s: the text is not valid UTF-8",
			                    what);
		if (line_breaks && (cp == '\t' || cp == '\n')) {
			s++;
			continue;
		}
		if (cp < 0x20 || cp == 0x7f)
			return cu_error_set(
			    err, CU_EUSAGE,
			    "%s: control characters (here U+%04X) cannot be recorded", what,
			    (unsigned)cp);
		if (cu_text_xml_char_length(s) == 0)
			return cu_error_set(
			    err, CU_EUSAGE,
			    "%s: U+%04X is not a character XML can hold (the custody "
			    "log and the report could not carry it)",
			    what, (unsigned)cp);
		if ((cp >= 0x80 && cp <= 0x9f) || text_is_bidi_control(cp))
			return text_refuse_hidden(what, cp, err);
		s += n;
	}
	return CU_OK;
}

/*
 * The escaped form of the character at `s` into `out`; returns the bytes of
 * `s` it stands for.
 */
static size_t text_escape_one(const char *s, char out[TEXT_ESCAPE_MAX])
{
	uint32_t cp;
	size_t n = cu_utf8_decode(s, &cp);

	if (n == 0 || cp < 0x20 || cp == 0x7f) {
		snprintf(out, TEXT_ESCAPE_MAX, "\\x%02x", (unsigned char)s[0]);
		return 1;
	}
	if (cp == '\\')
		snprintf(out, TEXT_ESCAPE_MAX, "\\\\");
	else if ((cp >= 0x80 && cp <= 0x9f) || text_is_bidi_control(cp))
		snprintf(out, TEXT_ESCAPE_MAX, "\\u%04x", (unsigned)cp);
	else
		snprintf(out, TEXT_ESCAPE_MAX, "%.*s", (int)n, s);
	return n;
}

bool cu_text_fput(const char *s, FILE *f)
{
	char one[TEXT_ESCAPE_MAX];

	while (*s) {
		s += text_escape_one(s, one);
		if (fputs(one, f) == EOF)
			return false;
	}
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

int cu_text_to_cp1252(const char *utf8, char **out, bool *lossy, struct cu_error *err)
{
	size_t len;

	*lossy = false;
	if (text_convert("WINDOWS-1252", "UTF-8", utf8, strlen(utf8), out, &len, 1) == 0)
		return CU_OK;
	*lossy = true;
	if (text_convert("WINDOWS-1252//TRANSLIT", "UTF-8", utf8, strlen(utf8), out, &len, 1) != 0)
		return cu_error_errno(err, CU_EUSAGE, errno,
		                      "cannot convert '%s' to code page 1252", utf8);
	return CU_OK;
}
