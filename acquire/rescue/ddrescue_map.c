/*
 * ddrescue_map.c - parsing ddrescue's mapfile format.
 *
 * '#' starts a comment.  The first other line is the status line
 * (position, status character, optional pass); every further line is a
 * block: position, size and status, one of ?*\/-+.  Numbers may be decimal,
 * hexadecimal (0x) or octal (leading 0).  Blocks must be contiguous.
 */
#include "acquire/rescue/ddrescue_map.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/input_file.h"

#define DDRESCUE_MAP_MAX (256U << 20)

struct map_reader {
	const char *path;
	int line;
	uint64_t start, end, unit; /* the window, absolute; end grows with the map */
	uint64_t map_end, rescued_end;
	struct cu_ranges *missing;
	struct ddrescue_tally *tally; /* may be NULL */
};

static int map_bad_line(struct map_reader *m, const char *why, struct cu_error *err)
{
	return cu_error_set(err, CU_EUSAGE, "%s:%d: %s (not a ddrescue mapfile?)", m->path, m->line,
	                    why);
}

static bool parse_number(char **p, uint64_t *out)
{
	char *end;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (**p < '0' || **p > '9')
		return false;
	errno = 0;
	*out = strtoull(*p, &end, 0);
	if (errno || end == *p)
		return false;
	*p = end;
	return true;
}

static bool parse_status(char **p, char *out)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (!**p || !strchr("?*/-+FG", **p))
		return false;
	*out = *(*p)++;
	return true;
}

/* Adds [first, last) of the source, clipped to the window, widened to units. */
static int map_missing(struct map_reader *m, uint64_t first, uint64_t last, struct cu_error *err)
{
	struct cu_range *prev;

	if (first < m->start)
		first = m->start;
	if (last > m->end)
		last = m->end;
	if (first >= last)
		return CU_OK;
	first = (first - m->start) / m->unit * m->unit;
	last = (last - m->start + m->unit - 1) / m->unit * m->unit;
	if (last > m->end - m->start)
		last = m->end - m->start;
	prev = m->missing->n ? &m->missing->v[m->missing->n - 1] : NULL;
	if (prev && first < prev->first + prev->count) { /* widening made them touch */
		if (last > prev->first + prev->count)
			prev->count = last - prev->first;
		return CU_OK;
	}
	return cu_ranges_add(m->missing, first, last - first, err);
}

static void tally_block(struct ddrescue_tally *t, char status, uint64_t size)
{
	uint64_t *bucket = status == '+'   ? &t->rescued
	                   : status == '?' ? &t->untried
	                   : status == '*' ? &t->untrimmed
	                   : status == '/' ? &t->unscraped
	                                   : &t->bad;

	*bucket += size;
}

/* One line of the map: a comment, the status line, or the next block. */
static int map_read_line(struct map_reader *m, char *buf, bool *have_status_line, bool *any,
                         uint64_t *expect, struct cu_error *err)
{
	char *p = buf, *hash = strchr(buf, '#'), status;
	uint64_t pos, size;
	int rc;

	m->line++;
	if (hash)
		*hash = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (strspn(buf, " \t") == strlen(buf))
		return CU_OK;
	if (!*have_status_line) {
		if (!parse_number(&p, &pos) || !parse_status(&p, &status))
			return map_bad_line(m, "bad status line", err);
		if (m->tally)
			m->tally->phase = status;
		*have_status_line = true;
		return CU_OK;
	}
	if (!parse_number(&p, &pos) || !parse_number(&p, &size) || !parse_status(&p, &status) ||
	    strspn(p, " \t") != strlen(p))
		return map_bad_line(m, "bad block line", err);
	if (!strchr("?*/-+", status))
		return map_bad_line(m, "bad block status", err);
	if (size > UINT64_MAX - pos)
		return map_bad_line(m, "a block past 2^64", err);
	if (pos != *expect)
		return map_bad_line(m, "blocks are not contiguous", err);
	if (m->tally)
		tally_block(m->tally, status, size);
	if (status == '+' && size)
		m->rescued_end = pos + size;
	else if ((rc = map_missing(m, pos, pos + size, err)))
		return rc;
	*expect = pos + size;
	*any = true;
	return CU_OK;
}

/*
 * Reads the blocks; notes the map's end and where its rescued data ends.
 * Lines are read whole, however long (GNU ddrescue's "# Command line:"
 * holds every path it was given): the map's size is bounded, not a line's.
 */
static int map_read_lines(struct map_reader *m, FILE *f, struct cu_error *err)
{
	char *buf = NULL;
	size_t cap = 0;
	uint64_t expect = 0;
	bool have_status_line = false, any = false;
	int rc = CU_OK;

	while (!rc && getline(&buf, &cap, f) >= 0)
		rc = map_read_line(m, buf, &have_status_line, &any, &expect, err);
	free(buf);
	if (rc)
		return rc;
	if (!any)
		return map_bad_line(m, "no blocks", err);
	m->map_end = expect;
	return CU_OK;
}

int acq_ddrescue_map_load(const char *path, struct ddrescue_window *w, struct cu_ranges *missing,
                          struct cu_error *err)
{
	char *text;
	size_t len;
	int rc = cu_input_read(path, "the ddrescue map", DDRESCUE_MAP_MAX, &text, &len, err);

	if (rc)
		return rc;
	rc = acq_ddrescue_map_parse(text, len, path, w, missing, err);
	free(text);
	return rc;
}

static int map_parse(const char *text, size_t len, const char *path, struct ddrescue_window *w,
                     struct cu_ranges *missing, struct ddrescue_tally *tally, struct cu_error *err);

int acq_ddrescue_map_parse(const char *text, size_t len, const char *path,
                           struct ddrescue_window *w, struct cu_ranges *missing,
                           struct cu_error *err)
{
	return map_parse(text, len, path, w, missing, NULL, err);
}

int acq_ddrescue_map_tally(const char *path, struct ddrescue_tally *t, struct cu_error *err)
{
	struct ddrescue_window w = {.image_end = UINT64_MAX, .grow = true, .unit = 1};
	struct cu_ranges missing = {0};
	char *text;
	size_t len;
	int rc = cu_input_read(path, "the ddrescue map", DDRESCUE_MAP_MAX, &text, &len, err);

	memset(t, 0, sizeof(*t));
	if (rc)
		return rc;
	rc = map_parse(text, len, path, &w, &missing, t, err);
	cu_ranges_free(&missing);
	free(text);
	return rc;
}

const char *acq_ddrescue_phase_name(char phase)
{
	switch (phase) {
	case '?':
		return "copying";
	case '*':
		return "trimming";
	case '/':
		return "scraping";
	case '-':
		return "retrying";
	case '+':
		return "finished";
	default:
		return "rescuing";
	}
}

static int map_parse(const char *text, size_t len, const char *path, struct ddrescue_window *w,
                     struct cu_ranges *missing, struct ddrescue_tally *tally, struct cu_error *err)
{
	struct map_reader m = {.path = path,
	                       .tally = tally,
	                       .start = w->start,
	                       .end = UINT64_MAX,
	                       .unit = w->unit ? w->unit : 512,
	                       .missing = missing};
	uint64_t window_end = w->start + w->size;
	FILE *f = len ? fmemopen((void *)text, len, "r") : NULL;
	int rc;

	if (!f)
		return cu_error_set(err, CU_EUSAGE, "%s: empty (not a ddrescue mapfile?)", path);
	rc = map_read_lines(&m, f, err);
	fclose(f);
	if (rc)
		return rc;
	if (m.rescued_end > w->image_end && m.rescued_end > w->start)
		return cu_error_set(err, CU_EUSAGE,
		                    "%s says bytes up to %llu were rescued, but the image ends at "
		                    "%llu: not the map of this image",
		                    path, (unsigned long long)m.rescued_end,
		                    (unsigned long long)w->image_end);
	if (w->grow && m.map_end > window_end)
		window_end = m.map_end;
	w->size = window_end - w->start;
	/* clip to the window, and count what the map does not cover as missing */
	while (missing->n && missing->v[missing->n - 1].first >= w->size)
		missing->n--;
	if (missing->n &&
	    missing->v[missing->n - 1].first + missing->v[missing->n - 1].count > w->size)
		missing->v[missing->n - 1].count = w->size - missing->v[missing->n - 1].first;
	m.end = window_end;
	return map_missing(&m, m.map_end, window_end, err);
}
