/*
 * cmd_verify.c - `custos verify EVIDENCE [--json]`: re-read any EWF set
 * through libewf, checking every chunk, recompute every digest the set
 * stores, and compare.
 *
 * Damaged chunks (a bad checksum, or a chunk that cannot be read because a
 * segment is truncated) are reported as sector ranges, apart from the
 * sectors the acquisition itself could not read (the error2 section).
 * Exit status: 0 every stored digest matches and nothing is damaged; 1 a
 * mismatch, damage, or no stored digest at all; 2 the evidence cannot be
 * opened, or usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "container/ewf_chain.h"
#include "container/ewf_reader.h"
#include "container/ewf_scan.h"
#include "report/custody.h"
#include "lib/path.h"
#include <pwd.h>
#include <unistd.h>
#include "acquire/rehash.h"
#include "builtin.h"
#include "lib/hash.h"
#include "lib/json.h"
#include "lib/text.h"

static const char verify_usage[] =
    "usage: custos verify EVIDENCE.E01 [--json] [--source DEVICE_OR_FILE]\n"
    "      --source PATH   read the original medium again and compare it with the evidence\n"
    "      --by NAME       who verifies, for the custody log (default: the login name)\n"
    "      --sign-key KEY.pem --sign-cert CERT.pem\n"
    "                      sign the custody log's \"verified\" event\n";

struct verify_result {
	const char *path;
	uint64_t media_size;
	uint32_t bytes_per_sector;
	struct cu_digests stored, computed;
	struct cu_ranges damaged, read_errors;
	int mismatches, stored_any;
	const char *failure;
	char chain[CU_ERROR_MSG_MAX]; /* what is wrong with the set of segments */
	const char *source;           /* --source: the original medium */
	struct cu_digests source_computed;
	uint64_t source_size; /* the source's own size */
	bool source_size_differs;
	int source_mismatches;
};

static const char *verify_outcome(const struct verify_result *v)
{
	if (v->damaged.n || v->chain[0])
		return "damaged";
	return v->mismatches || !v->stored_any || v->source_mismatches ? "mismatch" : "match";
}

static void verify_compare(struct verify_result *v)
{
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!v->stored.have[a])
			continue;
		v->stored_any = 1;
		if (memcmp(cu_digests_get(&v->stored, a), cu_digests_get(&v->computed, a),
		           cu_hash_size(a)) != 0)
			v->mismatches++;
	}
}

static uint64_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void verify_json(const struct verify_result *v, const struct ewf_reader *r)
{
	struct cu_json j;

	cu_json_init(&j, stdout);
	cu_json_object_begin(&j);
	cu_json_pair_string(&j, "result", verify_outcome(v));
	cu_json_pair_u64(&j, "media_size", v->media_size);
	cu_json_pair_u64(&j, "bytes_per_sector", v->bytes_per_sector);
	cu_json_digests(&j, "stored", &v->stored);
	cu_json_digests(&j, "computed", &v->computed);
	cu_json_ranges(&j, "damaged_sectors", v->damaged.v, v->damaged.n);
	cu_json_ranges(&j, "read_errors", v->read_errors.v, v->read_errors.n);
	cu_json_key(&j, "source");
	if (v->source) {
		cu_json_object_begin(&j);
		cu_json_key(&j, "path");
		cu_json_path(&j, v->source);
		cu_json_pair_u64(&j, "size", v->source_size);
		cu_json_digests(&j, "computed", &v->source_computed);
		cu_json_pair_string(&j, "result", v->source_mismatches ? "mismatch" : "match");
		cu_json_object_end(&j);
	} else {
		cu_json_null(&j);
	}
	cu_json_key(&j, "segments");
	cu_json_array_begin(&j);
	for (size_t i = 0; i < ewf_reader_segment_count(r); i++)
		cu_json_file(&j, ewf_reader_segment_name(r, i),
		             file_size(ewf_reader_segment_name(r, i)));
	cu_json_array_end(&j);
	cu_json_object_end(&j);
}

static void text_ranges(const char *label, const struct cu_ranges *r)
{
	for (size_t i = 0; i < r->n && i < 50; i++)
		printf("  %-8s sectors %llu to %llu\n", label, (unsigned long long)r->v[i].first,
		       (unsigned long long)(r->v[i].first + r->v[i].count - 1));
	if (r->n > 50)
		printf("  %-8s ... %zu ranges in all (--json lists them)\n", label, r->n);
}

static void verify_text(const struct verify_result *v)
{
	char s[2 * CU_HASH_MAX_SIZE + 1], c[2 * CU_HASH_MAX_SIZE + 1];

	printf("custos verify: %s\n", v->path);
	printf("  media    %llu bytes in sectors of %u bytes\n", (unsigned long long)v->media_size,
	       v->bytes_per_sector);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!v->stored.have[a])
			continue;
		cu_hex(s, cu_digests_get(&v->stored, a), cu_hash_size(a));
		cu_hex(c, cu_digests_get(&v->computed, a), cu_hash_size(a));
		if (strcmp(s, c))
			printf("  %-8s MISMATCH stored %s computed %s\n", cu_hash_name(a), s, c);
		else
			printf("  %-8s match    %s\n", cu_hash_name(a), s);
	}
	if (v->chain[0])
		printf("  DAMAGED  %s\n", v->chain);
	text_ranges("DAMAGED", &v->damaged);
	if (v->failure && v->failure[0])
		printf("  DAMAGED  %s\n", v->failure);
	text_ranges("unread", &v->read_errors);
	if (v->read_errors.n)
		printf("           (sectors the acquisition could not read, zero-filled then)\n");
	if (v->source && v->source_size_differs)
		printf("  source   %s holds %llu bytes; the evidence holds %llu: NOT the medium "
		       "imaged\n",
		       v->source, (unsigned long long)v->source_size,
		       (unsigned long long)v->media_size);
	else if (v->source)
		printf("  source   %s: %s\n", v->source,
		       v->source_mismatches ? "DIFFERS from the evidence"
		                            : "the same as the evidence");
	printf("custos verify: %s\n", verify_outcome(v));
}

static void verify_chain(struct verify_result *v, const struct ewf_reader *r)
{
	size_t n = ewf_reader_segment_count(r);
	const char **paths = calloc(n ? n : 1, sizeof(*paths));

	if (!paths)
		return;
	for (size_t i = 0; i < n; i++)
		paths[i] = ewf_reader_segment_name(r, i);
	if (ewf_chain_check(paths, n, v->chain, sizeof(v->chain)) == 0)
		v->chain[0] = '\0';
	free(paths);
}

/* --source: the original medium read again, as the evidence stores media. */
static int verify_source(struct verify_result *v, const bool want[CU_HASH_COUNT],
                         struct cu_error *err)
{
	struct acq_source_options so = {.path = v->source};
	struct acq_rehash r = {.source = &so, .media_size = v->media_size, .want = want};
	uint64_t bps = v->bytes_per_sector;
	int rc = acq_rehash(&r, &v->source_computed, err);

	if (rc)
		return rc;
	v->source_size = r.size;
	/* the evidence holds the source completed with zeros to a whole sector */
	if ((r.size + bps - 1) / bps * bps != v->media_size) {
		v->source_size_differs = true;
		v->source_mismatches++;
		return CU_OK;
	}
	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (want[a] && memcmp(cu_digests_get(&v->source_computed, a),
		                      cu_digests_get(&v->computed, a), cu_hash_size(a)) != 0)
			v->source_mismatches++;
	return CU_OK;
}

struct verify_args {
	const char *source, *by, *sign_key, *sign_cert;
	bool json;
	struct sign_signer *signer;
};

/* A "verified" event in the custody log beside the evidence, when there is one. */
static void verify_log_custody(const struct verify_result *v, const struct verify_args *a, int rc)
{
	const char *by = a->by;
	char *log = cu_path_custody_log(v->path), note[512], md5[33] = "-", sha256[65] = "-";
	char xml[1024], sha1[41] = "-";
	struct custody_event ev = {.action = "verified", .by = by, .note = note, .xml = xml};
	struct cu_error err;

	if (!log || access(log, F_OK) != 0) {
		free(log);
		return;
	}
	if (v->computed.have[CU_HASH_MD5])
		cu_hex(md5, v->computed.md5, 16);
	if (v->computed.have[CU_HASH_SHA256])
		cu_hex(sha256, v->computed.sha256, 32);
	if (v->computed.have[CU_HASH_SHA1])
		cu_hex(sha1, v->computed.sha1, 20);
	snprintf(note, sizeof(note), "result: %s; computed md5 %s, sha256 %s",
	         rc ? verify_outcome(v) : "match", md5, sha256);
	snprintf(xml, sizeof(xml),
	         "<verification xmlns=\"%s\" result=\"%s\"><hash type=\"md5\">%s</hash>"
	         "<hash type=\"sha1\">%s</hash><hash type=\"sha256\">%s</hash></verification>",
	         CU_CUSTODY_NS, rc ? verify_outcome(v) : "match", md5, sha1, sha256);
	if (custody_append(log, &ev, a->signer, CUSTODY_LOCK_SECONDS, &err))
		fprintf(stderr, "custos verify: the custody log was not extended: %s\n", err.msg);
	free(log);
}

static int verify_run(const char *path, const struct verify_args *a, struct cu_error *err)
{
	const char *source = a->source;
	bool json = a->json;
	struct verify_result v = {.path = path, .source = source};
	struct ewf_scan_result scan;
	struct ewf_reader *r;
	bool want[CU_HASH_COUNT];
	int rc;

	if ((rc = ewf_reader_open(&r, path, err)))
		return rc;
	verify_chain(&v, r);
	v.media_size = ewf_reader_media_size(r);
	v.bytes_per_sector = ewf_reader_bytes_per_sector(r);
	ewf_reader_stored_digests(r, &v.stored);
	for (int alg = 0; alg < CU_HASH_COUNT; alg++)
		want[alg] = v.stored.have[alg] || alg == CU_HASH_MD5;
	rc = ewf_scan(path, 0, want, NULL, NULL, &scan, err);
	v.computed = scan.computed;
	v.damaged = scan.damaged;
	v.failure = scan.failure;
	if (!rc)
		rc = ewf_reader_read_errors(r, &v.read_errors, err);
	if (!rc && source)
		rc = verify_source(&v, want, err);
	if (!rc) {
		verify_compare(&v);
		if (json)
			verify_json(&v, r);
		else
			verify_text(&v);
		if (v.chain[0])
			rc = cu_error_set(err, CU_EFAIL, "%s", v.chain);
		else if (!v.stored_any)
			rc = cu_error_set(err, CU_EFAIL, "%s stores no digest to check", path);
		else if (v.damaged.n)
			rc = cu_error_set(err, CU_EFAIL, "%s is damaged: %zu range(s) of sectors",
			                  path, v.damaged.n);
		else if (v.mismatches)
			rc = cu_error_set(err, CU_EFAIL,
			                  "%s does not give its stored digest(s): %d mismatch(es)",
			                  path, v.mismatches);
		else if (v.source_size_differs)
			rc = cu_error_set(
			    err, CU_EFAIL,
			    "the source %s holds %llu bytes, the evidence %llu: not what "
			    "was imaged",
			    source, (unsigned long long)v.source_size,
			    (unsigned long long)v.media_size);
		else if (v.source_mismatches)
			rc = cu_error_set(err, CU_EFAIL,
			                  "the source %s is no longer what %s holds: %d digest(s) "
			                  "differ",
			                  source, path, v.source_mismatches);
	}
	if (rc != CU_EUSAGE)
		verify_log_custody(&v, a, rc);
	cu_ranges_free(&v.damaged);
	cu_ranges_free(&v.read_errors);
	ewf_reader_close(r);
	return rc;
}

/* Who verifies, for the custody log: --by, or the login name. */
static const char *verify_user(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw && pw->pw_name ? pw->pw_name : "unknown";
}

static int verify_parse(struct verify_args *a, int argc, char **argv, struct cu_error *err)
{
	static const struct option options[] = {{"json", no_argument, NULL, 'j'},
	                                        {"source", required_argument, NULL, 's'},
	                                        {"by", required_argument, NULL, 'b'},
	                                        {"sign-key", required_argument, NULL, 'k'},
	                                        {"sign-cert", required_argument, NULL, 'c'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	int ch;

	opterr = 0;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (ch == 'h') {
			fputs(verify_usage, stdout);
			return -1;
		}
		if (ch == 's')
			a->source = optarg;
		else if (ch == 'b')
			a->by = optarg;
		else if (ch == 'k')
			a->sign_key = optarg;
		else if (ch == 'c')
			a->sign_cert = optarg;
		else if (ch == 'j')
			a->json = true;
		else
			return cu_error_set(err, CU_EUSAGE,
			                    "unknown option (see custos verify --help)");
	}
	if (optind != argc - 1)
		return cu_error_set(err, CU_EUSAGE, "give exactly one evidence file");
	if (a->by && cu_text_check_xml("--by", a->by, false, err))
		return CU_EUSAGE;
	if (!a->sign_key != !a->sign_cert)
		return cu_error_set(err, CU_EUSAGE,
		                    "signing takes --sign-key and --sign-cert together");
	if (!a->by)
		a->by = verify_user();
	return a->sign_key ? sign_signer_load(&a->signer, a->sign_key, a->sign_cert, err) : CU_OK;
}

int cmd_verify(int argc, char **argv)
{
	struct verify_args a = {0};
	struct cu_error err = {0};
	int rc = verify_parse(&a, argc, argv, &err);

	if (!rc)
		rc = verify_run(argv[optind], &a, &err);
	sign_signer_free(a.signer);
	if (rc < 0)
		return 0;
	return rc ? builtin_fail("verify", rc, err.msg) : 0;
}
