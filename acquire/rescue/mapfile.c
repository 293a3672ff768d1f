/*
 * mapfile.c - writing ddrescue's mapfile format.
 *
 * The list of blocks is contiguous and non-overlapping: alternating '+' and
 * '-' runs up to the position reached, then one '?' run to the end.
 */
#include "acquire/rescue/mapfile.h"

#include "lib/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/timeutil.h"
#include "lib/version.h"

#define SAVE_EVERY_SECONDS 5.0

struct acq_mapfile {
	char *path, *command;
	uint64_t start, size, done;
	struct cu_ranges bad; /* window offsets */
	char started[32];
	double last_save;
};

static void local_time(char *out, size_t cap)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(out, cap, "%Y-%m-%d %H:%M:%S", &tm);
}

static void write_block(FILE *f, uint64_t pos, uint64_t size, char status)
{
	if (size)
		fprintf(f, "0x%08" PRIX64 "  0x%08" PRIX64 "  %c\n", pos, size, status);
}

static void write_map(const struct acq_mapfile *m, FILE *f, bool finished)
{
	char now[32];
	uint64_t pos = 0;

	local_time(now, sizeof(now));
	fprintf(f, "# Mapfile. Created by custos %s\n", CUSTOS_VERSION);
	fprintf(f, "# Command line: %s\n", m->command);
	fprintf(f, "# Start time:   %s\n", m->started);
	fprintf(f, "# Current time: %s\n", now);
	fprintf(f, "# %s\n",
	        finished ? "Finished" : "Copying non-tried blocks... Pass 1 (forwards)");
	fprintf(f, "# current_pos  current_status  current_pass\n");
	fprintf(f, "0x%08" PRIX64 "     %c               1\n", m->start + m->done,
	        finished ? '+' : '?');
	fprintf(f, "#      pos        size  status\n");
	for (size_t i = 0; i < m->bad.n; i++) {
		write_block(f, m->start + pos, m->bad.v[i].first - pos, '+');
		write_block(f, m->start + m->bad.v[i].first, m->bad.v[i].count, '-');
		pos = m->bad.v[i].first + m->bad.v[i].count;
	}
	write_block(f, m->start + pos, m->done - pos, '+');
	write_block(f, m->start + m->done, m->size - m->done, '?');
}

struct map_print {
	const struct acq_mapfile *m;
	bool finished;
};

static void print_map(FILE *f, const void *ctx)
{
	const struct map_print *p = ctx;

	write_map(p->m, f, p->finished);
}

static int mapfile_save(struct acq_mapfile *m, bool finished, struct cu_error *err)
{
	struct map_print p = {m, finished};
	int rc = cu_file_replace_printed(m->path, 0644, print_map, &p, err);

	m->last_save = cu_time_monotonic();
	return rc;
}

int acq_mapfile_open(struct acq_mapfile **out, const char *path, uint64_t start, uint64_t size,
                     const char *command_line, struct cu_error *err)
{
	struct acq_mapfile *m = calloc(1, sizeof(*m));
	int rc;

	if (!m || !(m->path = strdup(path)) || !(m->command = strdup(command_line))) {
		acq_mapfile_free(m);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	m->start = start;
	m->size = size;
	local_time(m->started, sizeof(m->started));
	if ((rc = mapfile_save(m, false, err))) {
		acq_mapfile_free(m);
		return rc;
	}
	*out = m;
	return CU_OK;
}

int acq_mapfile_advance(struct acq_mapfile *m, uint64_t done, const struct cu_range *bad,
                        size_t n_bad, struct cu_error *err)
{
	int rc;

	for (size_t i = 0; i < n_bad; i++)
		if ((rc = cu_ranges_add(&m->bad, bad[i].first, bad[i].count, err)))
			return rc;
	m->done = done;
	if (cu_time_monotonic() - m->last_save >= SAVE_EVERY_SECONDS)
		return mapfile_save(m, false, err);
	return CU_OK;
}

int acq_mapfile_close(struct acq_mapfile *m, bool finished, struct cu_error *err)
{
	return mapfile_save(m, finished, err);
}

void acq_mapfile_free(struct acq_mapfile *m)
{
	if (!m)
		return;
	cu_ranges_free(&m->bad);
	free(m->path);
	free(m->command);
	free(m);
}
