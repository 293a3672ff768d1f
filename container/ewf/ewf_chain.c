/*
 * ewf_chain.c - the segment chain of an EWF set, descriptors only.
 */
#include "container/ewf/ewf_chain.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/ewf/ewf_format.h"
#include "container/ewf/ewf_naming.h"
#include "container/ewf/ewf_sections.h"
#include "lib/input_file.h"

/* Walks one segment; *last_type gets the type of its final section. */
static int chain_segment(int fd, const char *path, uint64_t size, unsigned expect, char *last_type,
                         char *problem, size_t cap)
{
	uint8_t d[EWF_SECTION_DESC_SIZE];
	uint64_t at = EWF_FILE_HEADER_SIZE;

	if (pread(fd, d, EWF_FILE_HEADER_SIZE, 0) != EWF_FILE_HEADER_SIZE ||
	    (memcmp(d, ewf_signature, 8) != 0 && memcmp(d, "LVF", 3) != 0)) {
		snprintf(problem, cap, "%s is not an EWF segment file", path);
		return -1;
	}
	if ((unsigned)cu_le16_get(d + 9) != expect) {
		snprintf(problem, cap, "%s holds segment %u where segment %u should be", path,
		         (unsigned)cu_le16_get(d + 9), expect);
		return -1;
	}
	last_type[0] = '\0';
	for (int sections = 0; sections < 1000000; sections++) {
		uint64_t next, len;

		if (at + EWF_SECTION_DESC_SIZE > size ||
		    pread(fd, d, sizeof(d), (off_t)at) != (ssize_t)sizeof(d)) {
			snprintf(problem, cap,
			         "%s is truncated: it ends at byte %llu, inside its "
			         "sections",
			         path, (unsigned long long)size);
			return -1;
		}
		if (ewf_adler32(d, 72) != cu_le32_get(d + 72)) {
			snprintf(problem, cap, "%s: the section descriptor at byte %llu is damaged",
			         path, (unsigned long long)at);
			return -1;
		}
		memcpy(last_type, d, 16);
		last_type[16] = '\0';
		next = cu_le64_get(d + 16);
		len = cu_le64_get(d + 24);
		/* "next" and "done" end a segment; EnCase points them at themselves, SMART at
		   the end of the file */
		if (!strcmp(last_type, "next") || !strcmp(last_type, "done") || next == at)
			return 0;
		if (next < at + EWF_SECTION_DESC_SIZE || next > size || (len && at + len > size)) {
			snprintf(problem, cap,
			         "%s is truncated: its %s section at byte %llu runs to "
			         "byte %llu, past the file's end at %llu",
			         path, last_type, (unsigned long long)at,
			         (unsigned long long)(next > at + len ? next : at + len),
			         (unsigned long long)size);
			return -1;
		}
		at = next;
	}
	snprintf(problem, cap, "%s has a loop of sections", path);
	return -1;
}

int ewf_chain_check(const char *const *paths, size_t n, char *problem, size_t cap)
{
	char last_type[17] = "";

	for (size_t i = 0; i < n; i++) {
		struct stat st;
		struct cu_error why;
		int fd, rc;

		if (cu_input_open(paths[i], "the segment", &fd, &why)) {
			snprintf(problem, cap, "%s", why.msg);
			return -1;
		}
		if (fstat(fd, &st) != 0) {
			snprintf(problem, cap, "%s cannot be examined", paths[i]);
			close(fd);
			return -1;
		}
		rc = chain_segment(fd, paths[i], (uint64_t)st.st_size, (unsigned)(i + 1), last_type,
		                   problem, cap);
		close(fd);
		if (rc)
			return rc;
		if (i + 1 < n && strcmp(last_type, "next") != 0) {
			snprintf(problem, cap, "%s ends with '%s' where 'next' should lead on",
			         paths[i], last_type);
			return -1;
		}
	}
	if (n && strcmp(last_type, "done") != 0) {
		char next[4096];

		if (ewf_segment_sibling(next, sizeof(next), paths[0], (uint32_t)n + 1) == 0)
			snprintf(problem, cap,
			         "%s is missing: the set does not end with 'done' after %s", next,
			         paths[n - 1]);
		else
			snprintf(problem, cap,
			         "segment %zu, after %s, is missing: the set does not end with "
			         "'done'",
			         n + 1, paths[n - 1]);
		return -1;
	}
	return 0;
}
