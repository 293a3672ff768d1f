/*
 * journal.c - writing and reading BASE.resume.
 */
#include "acquire/resume_file.h"

#include "lib/atomic_file.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JOURNAL_MAGIC "custos-resume 1"

static void put_text(FILE *f, const char *key, const char *s)
{
	fprintf(f, "%s ", key);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '%')
			fprintf(f, "%%%02x", *p);
		else
			fputc(*p, f);
	fputc('\n', f);
}

static void put_u64(FILE *f, const char *key, uint64_t v)
{
	fprintf(f, "%s %" PRIu64 "\n", key, v);
}

static void journal_write(FILE *f, const struct acq_resume_file *j)
{
	char guid[33];

	fprintf(f, "%s\n", JOURNAL_MAGIC);
	put_text(f, "source_path", j->source_path);
	put_u64(f, "source_total", j->source_total);
	put_u64(f, "offset", j->offset);
	put_u64(f, "size", j->size);
	put_u64(f, "device", j->device);
	put_u64(f, "inode", j->inode);
	put_text(f, "model", j->model);
	put_text(f, "serial", j->serial);
	put_u64(f, "bytes_per_sector", j->bytes_per_sector);
	put_u64(f, "chunk_sectors", j->chunk_sectors);
	put_u64(f, "table_entries_max", j->table_entries_max);
	put_u64(f, "retries", j->retries);
	put_u64(f, "compression", (uint64_t)j->compression);
	put_u64(f, "segment_size", j->segment_size);
	fprintf(f, "hashes %d %d %d\n", j->want[0], j->want[1], j->want[2]);
	fprintf(f, "slow_seconds %.6f\n", j->slow_seconds);
	put_u64(f, "no_write_block", j->no_write_block);
	put_text(f, "case_number", j->case_number);
	put_text(f, "evidence_number", j->evidence_number);
	put_text(f, "examiner", j->examiner);
	put_text(f, "description", j->description);
	put_text(f, "notes", j->notes);
	put_text(f, "mapfile", j->mapfile);
	fprintf(f, "acquired %" PRId64 "\n", j->acquired);
	put_u64(f, "done", j->done);
	cu_hex(guid, j->writer.guid, 16);
	fprintf(f, "guid %s\n", guid);
	put_u64(f, "segments", j->writer.segments);
	put_u64(f, "last_size", j->writer.last_size);
	put_u64(f, "segment_chunks", j->writer.segment_chunks);
	put_u64(f, "chunks_written", j->writer.chunks_written);
	for (size_t i = 0; i < j->bad.n; i++)
		fprintf(f, "bad %" PRIu64 " %" PRIu64 "\n", j->bad.v[i].first, j->bad.v[i].count);
	for (size_t i = 0; i < j->slow.n; i++)
		fprintf(f, "slow %" PRIu64 " %" PRIu64 " %.6f\n", j->slow.v[i].first,
		        j->slow.v[i].count, j->slow.v[i].seconds);
	fprintf(f, "end\n");
}

int acq_resume_file_save(const char *path, const struct acq_resume_file *j, struct cu_error *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (!f)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	journal_write(f, j);
	if (fclose(f) != 0) {
		free(text);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	/* the directory sync also makes durable the names of segments begun since */
	rc = cu_file_replace(path, text, len, 0644, err);
	free(text);
	return rc;
}

static char *decode_text(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	while (*s) {
		unsigned int byte;

		if (*s == '%' && sscanf(s + 1, "%2x", &byte) == 1) {
			*o++ = (char)byte;
			s += 3;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

/* One "key value" line into the journal; -1 for what it cannot be. */
static int journal_field(struct acq_resume_file *j, const char *key, const char *v)
{
	struct {
		const char *key;
		char **field;
	} texts[] = {{"source_path", &j->source_path},
	             {"model", &j->model},
	             {"serial", &j->serial},
	             {"case_number", &j->case_number},
	             {"evidence_number", &j->evidence_number},
	             {"examiner", &j->examiner},
	             {"description", &j->description},
	             {"notes", &j->notes},
	             {"mapfile", &j->mapfile}};
	struct {
		const char *key;
		uint64_t *field;
	} numbers[] = {{"source_total", &j->source_total},
	               {"offset", &j->offset},
	               {"size", &j->size},
	               {"device", &j->device},
	               {"inode", &j->inode},
	               {"segment_size", &j->segment_size},
	               {"done", &j->done},
	               {"last_size", &j->writer.last_size}};
	uint64_t a, b;
	int x, y, z;
	double d;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (!strcmp(key, texts[i].key))
			return (*texts[i].field = decode_text(v)) ? 0 : -1;
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		if (!strcmp(key, numbers[i].key))
			return sscanf(v, "%" SCNu64, numbers[i].field) == 1 ? 0 : -1;
	if (sscanf(v, "%" SCNu64, &a) == 1) {
		uint32_t *u32 = !strcmp(key, "bytes_per_sector")    ? &j->bytes_per_sector
		                : !strcmp(key, "chunk_sectors")     ? &j->chunk_sectors
		                : !strcmp(key, "table_entries_max") ? &j->table_entries_max
		                : !strcmp(key, "retries")           ? &j->retries
		                : !strcmp(key, "segments")          ? &j->writer.segments
		                : !strcmp(key, "segment_chunks")    ? &j->writer.segment_chunks
		                : !strcmp(key, "chunks_written")    ? &j->writer.chunks_written
		                                                    : NULL;

		if (u32 && a <= UINT32_MAX) {
			*u32 = (uint32_t)a;
			return 0;
		}
	}
	if (!strcmp(key, "acquired"))
		return sscanf(v, "%" SCNd64, &j->acquired) == 1 ? 0 : -1;
	if (!strcmp(key, "compression"))
		return sscanf(v, "%d", &j->compression) == 1 ? 0 : -1;
	if (!strcmp(key, "no_write_block"))
		return sscanf(v, "%d", &x) == 1 ? (j->no_write_block = x, 0) : -1;
	if (!strcmp(key, "slow_seconds"))
		return sscanf(v, "%lf", &j->slow_seconds) == 1 ? 0 : -1;
	if (!strcmp(key, "hashes") && sscanf(v, "%d %d %d", &x, &y, &z) == 3) {
		j->want[0] = x, j->want[1] = y, j->want[2] = z;
		return 0;
	}
	if (!strcmp(key, "guid"))
		return cu_unhex(j->writer.guid, 16, v) ? 0 : -1;
	if (!strcmp(key, "bad") && sscanf(v, "%" SCNu64 " %" SCNu64, &a, &b) == 2)
		return cu_ranges_add(&j->bad, a, b, NULL) == CU_OK ? 0 : -1;
	if (!strcmp(key, "slow") && sscanf(v, "%" SCNu64 " %" SCNu64 " %lf", &a, &b, &d) == 3) {
		struct acq_slow *grown = realloc(j->slow.v, (j->slow.n + 1) * sizeof(*grown));

		if (!grown)
			return -1;
		j->slow.v = grown;
		j->slow.v[j->slow.n++] = (struct acq_slow){a, b, d};
		j->slow.cap = j->slow.n;
		return 0;
	}
	return -1;
}

int acq_resume_file_load(const char *path, struct acq_resume_file *j, struct cu_error *err)
{
	FILE *f = fopen(path, "r");
	char line[16384];
	int n = 0, ended = 0;

	memset(j, 0, sizeof(*j));
	if (!f)
		return cu_error_errno(err, CU_EUSAGE, errno, "nothing to resume: cannot read %s",
		                      path);
	while (fgets(line, sizeof(line), f)) {
		char *space;

		n++;
		line[strcspn(line, "\n")] = '\0';
		if (n == 1) {
			if (strcmp(line, JOURNAL_MAGIC) != 0)
				break;
			continue;
		}
		if (!strcmp(line, "end")) {
			ended = 1;
			break;
		}
		space = strchr(line, ' ');
		if (!space)
			break;
		*space = '\0';
		if (journal_field(j, line, space + 1) != 0)
			break;
	}
	fclose(f);
	if (!ended) {
		acq_resume_file_free(j);
		return cu_error_set(err, CU_EUSAGE, "%s:%d: not a custos resume journal", path, n);
	}
	return CU_OK;
}

void acq_resume_file_free(struct acq_resume_file *j)
{
	char **texts[] = {&j->source_path, &j->model,           &j->serial,
	                  &j->case_number, &j->evidence_number, &j->examiner,
	                  &j->description, &j->notes,           &j->mapfile};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		free(*texts[i]);
		*texts[i] = NULL;
	}
	cu_ranges_free(&j->bad);
	acq_slow_list_free(&j->slow);
}
