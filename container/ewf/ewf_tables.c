/*
 * ewf_tables.c - every chunk's stored size, from the tables, bounded.
 */
#include "container/ewf/ewf_tables.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/ewf/ewf_format.h"
#include "container/ewf/ewf_sections.h"
#include "lib/error.h"
#include "lib/input_file.h"
#include "lib/le.h"

#define OFFSET_MASK       0x7fffffffU
#define TABLE_ENTRIES_MAX (1U << 24) /* far above any writer's; a bound on what is read */

struct table {
	const char *path;
	uint64_t start, end; /* the section */
	uint64_t base;       /* what entries are relative to */
	uint32_t n;
	uint8_t *entries;
	uint64_t limit;
	char *problem;
	size_t cap;
};

static int table_fail(struct table *t, uint32_t i, uint64_t size)
{
	snprintf(t->problem, t->cap,
	         "%s: the table at byte %llu gives chunk %u of it %llu stored bytes, more than a "
	         "chunk can have (%llu): the set is damaged",
	         t->path, (unsigned long long)t->start, i, (unsigned long long)size,
	         (unsigned long long)t->limit);
	return -1;
}

/* The sizes between entries; past 2 GiB the flag bit is part of the offset. */
static int table_check_entries(struct table *t, bool *overflow, uint32_t *last)
{
	uint32_t cur = cu_le32_get(t->entries);

	*overflow = false;
	for (uint32_t i = 0; i + 1 < t->n; i++) {
		uint32_t raw = cu_le32_get(t->entries + 4 * (i + 1)), size;
		uint32_t from = *overflow ? cur : cur & OFFSET_MASK;
		uint32_t to = *overflow ? raw : raw & OFFSET_MASK;

		size = to >= from ? to - from : raw - from; /* wraps when it goes back */
		if (size == 0 || size > t->limit)
			return table_fail(t, i, size);
		if (!*overflow && (uint64_t)from + size > OFFSET_MASK)
			*overflow = true;
		cur = raw;
	}
	*last = cur;
	return 0;
}

/* The last chunk runs to its table, or (its data inside the table) to the table's end. */
static int table_check(struct table *t)
{
	bool overflow = false;
	uint32_t last = 0; /* set by the check; initialised for the compilers that cannot tell */
	uint64_t at, size;

	if (table_check_entries(t, &overflow, &last))
		return -1;
	at = t->base + (overflow ? last : last & OFFSET_MASK);
	size = at < t->start ? t->start - at : at < t->end ? t->end - at : 0;
	/* before table2, the last chunk runs over the table that precedes it */
	return size == 0 || size > t->limit + 4ULL * t->n + 256 ? table_fail(t, t->n - 1, size) : 0;
}

/* A "table" or "table2" section at `at`, of `len` bytes. */
static int table_read(int fd, struct table *t, uint64_t at, uint64_t len)
{
	uint8_t head[EWF_TABLE_HEADER_SIZE];
	uint64_t room = len > EWF_SECTION_DESC_SIZE + EWF_TABLE_HEADER_SIZE
	                    ? len - EWF_SECTION_DESC_SIZE - EWF_TABLE_HEADER_SIZE
	                    : 0;
	int rc;

	if (pread(fd, head, sizeof(head), (off_t)(at + EWF_SECTION_DESC_SIZE)) != sizeof(head))
		return 0; /* the chain check names a cut file */
	t->start = at;
	t->end = at + len;
	t->n = cu_le32_get(head);
	t->base = cu_le64_get(head + 8);
	if (t->n == 0)
		return 0;
	if (t->n > TABLE_ENTRIES_MAX || (len && 4ULL * t->n > room)) {
		snprintf(
		    t->problem, t->cap,
		    "%s: the table at byte %llu claims %u entries, more than it holds: the set "
		    "is damaged",
		    t->path, (unsigned long long)at, t->n);
		return -1;
	}
	if (!(t->entries = malloc(4ULL * t->n)))
		return snprintf(t->problem, t->cap, "out of memory"), -1;
	rc = pread(fd, t->entries, 4ULL * t->n,
	           (off_t)(at + EWF_SECTION_DESC_SIZE + EWF_TABLE_HEADER_SIZE)) ==
	             (ssize_t)(4ULL * t->n)
	         ? table_check(t)
	         : 0;
	free(t->entries);
	t->entries = NULL;
	return rc;
}

/* Walks the section descriptors of one segment, checking each table. */
static int tables_segment(int fd, uint64_t size, struct table *t)
{
	uint8_t d[EWF_SECTION_DESC_SIZE];
	uint64_t at = EWF_FILE_HEADER_SIZE;

	for (int sections = 0; sections < 1000000; sections++) {
		uint64_t next, len;

		if (at + EWF_SECTION_DESC_SIZE > size ||
		    pread(fd, d, sizeof(d), (off_t)at) != (ssize_t)sizeof(d) ||
		    ewf_adler32(d, 72) != cu_le32_get(d + 72))
			return 0;
		next = cu_le64_get(d + 16);
		len = cu_le64_get(d + 24);
		/* a table is read (by libewf too) even when its section claims to run past the file
		 */
		if ((!memcmp(d, "table", 6) || !memcmp(d, "table2", 7)) &&
		    table_read(fd, t, at, len))
			return -1;
		if (!memcmp(d, "next", 5) || !memcmp(d, "done", 5) || next <= at || next > size)
			return 0;
		at = next;
	}
	return 0;
}

int ewf_tables_check(const char *const *paths, size_t n, uint64_t limit, char *problem, size_t cap)
{
	for (size_t i = 0; i < n; i++) {
		struct table t = {.path = paths[i], .limit = limit, .problem = problem, .cap = cap};
		struct cu_error why;
		struct stat st;
		int fd, rc;

		if (cu_input_open(paths[i], "the segment", &fd, &why))
			continue; /* the chain check names it */
		rc = fstat(fd, &st) == 0 ? tables_segment(fd, (uint64_t)st.st_size, &t) : 0;
		close(fd);
		if (rc)
			return rc;
	}
	return 0;
}
