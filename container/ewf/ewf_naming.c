/*
 * ewf_naming.c - the E01 segment extension sequence.
 *
 * Segments 1 to 99 are E01..E99; from 100 on, three letters count in base 26
 * starting at EAA, so the first letter runs E..Z.
 */
#include "container/ewf/ewf_naming.h"

#include "container/ewf/ewf_format.h"
#include "lib/path.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ewf_segment_extension(char out[4], uint32_t n)
{
	uint32_t k;

	if (n == 0 || n > EWF_SEGMENT_MAX)
		return -1;
	if (n < 100) {
		out[0] = 'E';
		out[1] = (char)('0' + n / 10);
		out[2] = (char)('0' + n % 10);
	} else {
		k = n - 100;
		out[0] = (char)('E' + k / (26 * 26));
		out[1] = (char)('A' + (k / 26) % 26);
		out[2] = (char)('A' + k % 26);
	}
	out[3] = '\0';
	return 0;
}

/*
 * The name segment `n` has in the naming scheme of `first` (the set's first
 * segment): E01, e01 or s01, and their letters from 100 on.
 */
int ewf_segment_sibling(char *out, size_t cap, const char *first, uint32_t n)
{
	const char *dot = strrchr(first, '.');
	char ext[4];
	size_t stem;
	int len;

	if (!dot || strlen(dot) != 4 || ewf_segment_extension(ext, n) != 0)
		return -1;
	if (dot[1] == 'e' || dot[1] == 's') { /* EWF-X and SMART sets name in lower case */
		for (int i = 0; i < 3; i++)
			ext[i] = (char)tolower((unsigned char)ext[i]);
		if (dot[1] == 's')
			ext[0] = (char)(ext[0] - 'e' + 's');
	}
	stem = (size_t)(dot - first);
	len = snprintf(out, cap, "%.*s.%s", (int)stem, first, ext);
	return len < 0 || (size_t)len >= cap ? -1 : 0;
}

int ewf_segment_path(char *out, size_t cap, const char *base, uint32_t n)
{
	char ext[4];
	int len;

	if (ewf_segment_extension(ext, n) != 0)
		return -1;
	len = snprintf(out, cap, "%s.%s", base, ext);
	return len < 0 || (size_t)len >= cap ? -1 : 0;
}

/*
 * Whether `ext` is a segment extension: E01..E99 and EAA..ZZZ as custos and
 * EnCase write them, or e01..e99 as libewf's EWF-X sets begin.
 */
static int is_segment_extension(const char *ext)
{
	if (strlen(ext) != 3)
		return 0;
	if (isdigit((unsigned char)ext[1]) && isdigit((unsigned char)ext[2]))
		return ext[0] == 'E' || ext[0] == 'e';
	return ext[0] >= 'E' && ext[0] <= 'Z' && isupper((unsigned char)ext[1]) &&
	       isupper((unsigned char)ext[2]);
}

int ewf_set_refuse_existing(const char *base, struct cu_error *err)
{
	return cu_path_refuse_member(base, is_segment_extension, err);
}
