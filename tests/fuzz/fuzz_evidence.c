/*
 * fuzz_evidence.c - the evidence read path: libewf opens the bytes as an
 * E01 set, and custos reads it as verify does (the chain walk, the stored
 * digests, every chunk through ewf_scan, the read errors, info's facts).
 *
 * libewf finds a set by its file names, so the bytes go into a real file,
 * x.E01, in a directory of this process's own (fuzz_named_file: /dev/shm,
 * else TMPDIR).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/ewf_chain.h"
#include "container/ewf_reader.h"
#include "container/ewf_scan.h"
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
	char problem[512], value[256];

	ewf_chain_check(paths, 1, problem, sizeof(problem));
	if (ewf_reader_open(&r, path, NULL) != CU_OK)
		return;
	ewf_reader_facts(r, &facts);
	ewf_reader_header_value(r, "case_number", value, sizeof(value));
	ewf_reader_read_errors(r, &errors, NULL);
	cu_ranges_free(&errors);
	if (ewf_reader_media_size(r) <= (64U << 20) &&
	    ewf_scan(path, 1, want, NULL, NULL, &scan, NULL) == CU_OK)
		cu_ranges_free(&scan.damaged);
	ewf_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[600];

	fuzz_named_file(data, size, "x.E01", path, sizeof(path));
	read_set(path);
	unlink(path);
	return 0;
}
