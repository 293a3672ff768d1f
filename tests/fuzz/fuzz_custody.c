/*
 * fuzz_custody.c - the custody log parser and verifier: the chain, the head,
 * the binding, the signatures of signed events, and anchors; and what a raw
 * image's reader takes from its log (the recorded digests and read errors),
 * and what verify, protect and repair take (hash windows, files, parity);
 * and its time-stamps, read and checked against the CA named by
 * CUSTOS_FUZZ_TSA_CA (tools/fuzz makes one) when it is set.
 */
#include <stdlib.h>
#include <unistd.h>

#include "report/custody.h"
#include "report/tsa.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the raw backend reads of a log (container/cmd_evidence.c). */
static void fuzz_custody_record(const struct custody_log *log)
{
	struct cu_digests d;
	struct cu_ranges r = {0};

	custody_record_digests(log, "hashes", &d);
	custody_record_ranges(log, "read_errors", &r, NULL);
	cu_ranges_free(&r);
}

/* What verify, protect and repair read of a log: the windows, the files, the parity. */
static void fuzz_custody_pieces(const struct custody_log *log)
{
	struct cu_piecewise w;
	struct custody_parity p;
	struct custody_segment *s = NULL;
	size_t n = 0;

	if (custody_record_windows(log, &w, NULL) == CU_OK)
		cu_piecewise_free(&w);
	if (custody_parity(log, &p, NULL) == CU_OK)
		custody_parity_free(&p);
	if (custody_segments(log, &s, &n, NULL) == CU_OK)
		custody_segments_free(s, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct custody_binding b = {.digests = {.have = {true, false, true}}};
	struct custody_log *log = NULL;
	char path[64];
	int fd = fuzz_memfd(data, size, path);

	if (fd < 0)
		return 0;
	if (custody_load(path, &log, NULL) == CU_OK) {
		custody_check(log, &(struct custody_checks){0}, NULL);
		custody_check(log, &(struct custody_checks){.binding = &b, .require_signed = true},
		              NULL);
		custody_check(log,
		              &(struct custody_checks){.anchor_seq = 2,
		                                       .anchor_hash =
		                                           "00000000000000000000000000000000"
		                                           "00000000000000000000000000000000"},
		              NULL);
		if (fuzz_tsa_trust())
			custody_check(log, &(struct custody_checks){.tsa_trust = fuzz_tsa_trust()},
			              NULL);
		fuzz_custody_record(log);
		fuzz_custody_pieces(log);
		custody_free(log);
	}
	close(fd);
	return 0;
}
