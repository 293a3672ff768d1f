/*
 * fuzz_evidence.c - the evidence read path: libewf opens the bytes as an
 * E01 set, and custos reads it as verify does (the chain walk, the stored
 * digests, every chunk through ewf_scan, the read errors, info's facts,
 * a header value whole and the dates of the header sections); then the
 * same file through the evidence reader, the backend chosen by content,
 * read whole (the scan) and at random (a cursor, as custos mount reads:
 * the last chunk, the first, one in the middle).
 *
 * libewf finds a set by its file names, so the bytes go into a real file,
 * x.E01, in a directory of this process's own (fuzz_named_file: /dev/shm,
 * else TMPDIR).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/evidence.h"
#include "container/ewf/ewf_chain.h"
#include "container/ewf/ewf_head.h"
#include "container/ewf/ewf_reader.h"
#include "container/ewf/ewf_scan.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_set(const char *path)
{
	bool want[CU_HASH_COUNT] = {true, true, true};
	struct ewf_scan_result scan;
	struct cu_ranges errors = {0};
	struct ewf_reader *r;
	struct ewf_facts facts;
	const char *paths[1] = {path};
	struct ewf_head_dates dates;
	char problem[512], *value = NULL;

	ewf_chain_check(paths, 1, problem, sizeof(problem));
	if (ewf_reader_open(&r, path, NULL) != CU_OK)
		return;
	ewf_reader_facts(r, &facts);
	ewf_reader_header_value(r, "notes", &value, NULL);
	free(value);
	if (ewf_head_read_dates(path, &dates, NULL) == CU_OK)
		ewf_head_dates_free(&dates);
	ewf_reader_read_errors(r, &errors, NULL);
	cu_ranges_free(&errors);
	if (ewf_reader_media_size(r) <= (64U << 20) &&
	    ewf_scan(path, 1, want, NULL, NULL, &scan, NULL) == CU_OK)
		cu_ranges_free(&scan.damaged);
	ewf_reader_close(r);
}

/* A few chunks at random, as custos mount reads them. */
static void read_chunks(struct evidence *e)
{
	uint64_t n = evidence_chunk_count(e), cs = evidence_chunk_size(e);
	struct evidence_chunk ch = {0};
	struct evidence_cursor *cur;

	if (!n || cs > (16U << 20) || !(ch.media = malloc(cs)))
		return;
	if (evidence_cursor_open(e, &cur, NULL) == CU_OK) {
		const uint64_t which[] = {n - 1, 0, n / 2};

		for (size_t i = 0; i < 3; i++) {
			ch.index = which[i];
			evidence_cursor_read(cur, &ch, NULL);
		}
		evidence_cursor_close(cur);
	}
	cu_ranges_free(&ch.damaged);
	free(ch.media);
}

/* The same bytes through the evidence reader, whose backend their content chooses. */
static void read_any(const char *path)
{
	bool want[CU_HASH_COUNT] = {true, false, true};
	struct evidence_scan_result scan = {0};
	struct evidence_facts facts;
	struct cu_ranges errors = {0};
	struct evidence *e;
	char problem[512];

	if (evidence_open(&e, path, NULL, NULL) != CU_OK)
		return;
	evidence_facts(e, &facts);
	evidence_chain_check(e, problem, sizeof(problem));
	evidence_read_errors(e, &errors, NULL);
	cu_ranges_free(&errors);
	if (evidence_media_size(e) <= (64U << 20))
		evidence_scan(e, 1, want, NULL, NULL, &scan, NULL);
	cu_ranges_free(&scan.damaged);
	read_chunks(e);
	evidence_close(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[600];

	fuzz_named_file(data, size, "x.E01", path, sizeof(path));
	read_set(path);
	read_any(path);
	unlink(path);
	return 0;
}
