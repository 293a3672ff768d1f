/*
 * ewf_naming.c - the E01 segment extension sequence.
 *
 * Segments 1 to 99 are E01..E99; from 100 on, three letters count in base 26
 * starting at EAA, so the first letter runs E..Z.
 */
#include "container/ewf_naming.h"

#include "container/ewf_format.h"
#include "lib/file_set.h"

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
	if (isdigit((unsigned char)ext[1]) && isdigit((unsigned char)ext[2]))
		return ext[0] == 'E' || ext[0] == 'e';
	return ext[0] >= 'E' && ext[0] <= 'Z' && isupper((unsigned char)ext[1]) &&
	       isupper((unsigned char)ext[2]);
}

/* Whether `name` is PREFIX.EXT or PREFIX.EXT.partial for a segment EXT. */
static int is_segment_name(const char *name, const char *prefix, size_t prefix_len)
{
	const char *ext = name + prefix_len + 1;

	if (strncmp(name, prefix, prefix_len) != 0 || name[prefix_len] != '.')
		return 0;
	if (strlen(ext) < 3 || !is_segment_extension(ext))
		return 0;
	return ext[3] == '\0' || strcmp(ext + 3, CU_PARTIAL_SUFFIX) == 0;
}

int ewf_set_find_existing(const char *base, char *found, size_t cap)
{
	const char *slash = strrchr(base, '/');
	const char *prefix = slash ? slash + 1 : base;
	size_t dir_len = slash ? (size_t)(slash - base) : 0;
	char *dir = malloc(dir_len + 2);
	struct dirent *de;
	DIR *d;
	int hit = 0;

	if (!dir)
		return -1;
	if (slash)
		snprintf(dir, dir_len + 2, "%.*s", (int)(dir_len ? dir_len : 1), base);
	else
		snprintf(dir, dir_len + 2, ".");
	d = opendir(dir);
	if (!d) {
		int e = errno;

		free(dir);
		errno = e;
		return -1;
	}
	while (!hit && (de = readdir(d)) != NULL) {
		if (is_segment_name(de->d_name, prefix, strlen(prefix))) {
			snprintf(found, cap, "%s%s%s", slash ? dir : "", slash ? "/" : "",
			         de->d_name);
			hit = 1;
		}
	}
	closedir(d);
	free(dir);
	return hit;
}
