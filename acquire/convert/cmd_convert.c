/*
 * cmd_convert.c - `custos convert EVIDENCE -o BASE [--format aff4|e01]`:
 * an evidence set rewritten in the other format, media and case carried
 * over, read errors carried as read errors, and the result proven against
 * the old set's stored digests, or removed.
 *
 * The old set is opened through the evidence reader (any backend; a raw
 * image with its custody log as its record) and checked before anything is
 * written: its chain whole, its size known, some digest stored.  Its media
 * is then streamed through a pipe (convert_feed.c: the last byte held back
 * until the old set has proven itself) into an ordinary acquisition of the
 * stream "-" (acquire_main, with --size, --sector-size, the case, --verify),
 * which writes, records and reads back the new set as acquire does, its
 * record naming the old set and its custody log "converted".  Last, the new
 * set's digests are held to the old set's; a conversion that does not prove
 * itself is removed, custody log and all.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acquire/cmd_acquire.h"
#include "acquire/convert/convert_feed.h"
#include "cli/builtin.h"
#include "container/cmd_evidence.h"
#include "lib/path.h"
#include "report/custody.h"

#define ARGS_MAX 40

struct convert_job {
	const char *evidence, *base, *format, *compression, *examiner;
	const char *sign_key, *sign_cert;
	bool json, quiet;
	struct evidence *old;
	struct evidence_facts facts;
	struct cu_ranges unreadable; /* the old set's read errors, bytes */
	struct acq_converted from;
	char head[65];
	char *abs;     /* the old set's first file, absolute */
	char *meta[5]; /* case_number, evidence_number, examiner_name, description, notes */
	char size[24], sector[16];
};

static const char *const meta_ids[] = {"case_number", "evidence_number", "examiner_name",
                                       "description", "notes"};
static const char *const meta_options[] = {"--case-number", "--evidence-number", "--examiner",
                                           "--description", "--notes"};

static int convert_take(void *ctx, int key, const char *name, const char *value,
                        struct cu_error *err)
{
	struct convert_job *x = ctx;

	(void)name;
	switch (key) {
	case 'o':
		x->base = value;
		break;
	case 'f':
		x->format = value;
		break;
	case 'c':
		x->compression = value;
		break;
	case 'e':
		x->examiner = value;
		break;
	case 'k':
		x->sign_key = value;
		break;
	case 'C':
		x->sign_cert = value;
		break;
	case 'j':
		x->json = true;
		break;
	case 'q':
		x->quiet = true;
		break;
	default:
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos convert --help)");
	}
	return CU_OK;
}

static int convert_parse(struct convert_job *x, int argc, char **argv, struct cu_error *err)
{
	int rc = builtin_parse(&command_convert, argc, argv, 1, convert_take, x, err);

	if (rc)
		return rc;
	if (optind != argc - 1 || !x->base)
		return cu_error_set(err, CU_EUSAGE, "give one evidence file and -o BASE");
	x->evidence = argv[optind];
	return CU_OK;
}

/* The old set's read errors, in bytes of its media. */
static int convert_read_errors(struct convert_job *x, struct cu_error *err)
{
	struct cu_ranges sectors = {0};
	uint64_t bps = evidence_bytes_per_sector(x->old), size = evidence_media_size(x->old);
	int rc = evidence_read_errors(x->old, &sectors, err);

	for (size_t i = 0; !rc && i < sectors.n; i++) {
		uint64_t first = sectors.v[i].first * bps, end = first + sectors.v[i].count * bps;

		if (first >= size)
			continue;
		rc = cu_ranges_add(&x->unreadable, first, (end < size ? end : size) - first, err);
	}
	cu_ranges_free(&sectors);
	return rc;
}

/* The head of the old set's custody log, checked; "" when it has none. */
static int convert_custody_head(struct convert_job *x, struct cu_error *err)
{
	char *path = cu_path_custody_log(evidence_file_name(x->old, 0));
	struct custody_log *log = NULL;
	int rc = CU_OK;

	if (!path)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (access(path, F_OK) == 0) {
		rc = custody_load(path, &log, err);
		if (!rc)
			rc = custody_check(log, &(struct custody_checks){0}, err);
		if (!rc && custody_count(log))
			snprintf(x->head, sizeof(x->head), "%s",
			         custody_entry(log, custody_count(log) - 1)->hash);
		if (rc)
			cu_error_prefix(err, "the old set's custody log does not hold: ");
		custody_free(log);
	}
	free(path);
	return rc;
}

/* What the old set must be before anything is written. */
static int convert_check_old(struct convert_job *x, struct cu_error *err)
{
	char problem[CU_ERROR_MSG_MAX];
	int rc;

	if ((rc = cmd_evidence_open(&x->old, x->evidence, err)))
		return rc;
	if (evidence_chain_check(x->old, problem, sizeof(problem)))
		return cu_error_set(err, CU_EFAIL, "nothing converted: %s", problem);
	if (!evidence_media_size(x->old))
		return cu_error_set(err, CU_EUSAGE, "%s: the media size is not known", x->evidence);
	evidence_facts(x->old, &x->facts);
	evidence_stored_digests(x->old, &x->from.digests);
	if (!x->from.digests.have[CU_HASH_MD5] && !x->from.digests.have[CU_HASH_SHA1] &&
	    !x->from.digests.have[CU_HASH_SHA256] && strcmp(x->facts.container, "aff4"))
		return cu_error_set(err, CU_EUSAGE,
		                    "%s stores no digest of its media: a conversion could not be "
		                    "proven against it",
		                    x->evidence);
	if (!x->format)
		x->format = !strcmp(x->facts.container, "aff4") ? "e01" : "aff4";
	if (!(x->abs = cu_path_absolute(evidence_file_name(x->old, 0))))
		return cu_error_errno(err, CU_EFAIL, errno, "cannot resolve the path %s",
		                      x->evidence);
	x->from.evidence = x->abs;
	x->from.container = x->facts.container;
	if ((rc = convert_read_errors(x, err)) || (rc = convert_custody_head(x, err)))
		return rc;
	x->from.custody_head = x->head[0] ? x->head : NULL;
	for (size_t i = 0; i < 5; i++)
		if ((rc = evidence_header_value(x->old, meta_ids[i], &x->meta[i], err)))
			return rc;
	return CU_OK;
}

static void convert_arg(char **args, int *n, const char *a, const char *b)
{
	if (*n + 2 >= ARGS_MAX || !b || !b[0])
		return;
	args[(*n)++] = (char *)a;
	args[(*n)++] = (char *)b;
}

/* The acquisition of the old set's media, as `custos acquire -` takes it. */
static int convert_args(struct convert_job *x, char **args)
{
	int n = 0;
	bool hashes_sha1 = x->from.digests.have[CU_HASH_SHA1];

	snprintf(x->size, sizeof(x->size), "%" PRIu64, evidence_media_size(x->old));
	snprintf(x->sector, sizeof(x->sector), "%u", (unsigned)evidence_bytes_per_sector(x->old));
	args[n++] = "acquire";
	args[n++] = "-";
	convert_arg(args, &n, "-o", x->base);
	convert_arg(args, &n, "--format", x->format);
	convert_arg(args, &n, "--size", x->size);
	convert_arg(args, &n, "--sector-size", x->sector);
	convert_arg(args, &n, "--hash", hashes_sha1 ? "md5,sha1,sha256" : "md5,sha256");
	convert_arg(args, &n, "--compression", x->compression);
	for (size_t i = 0; i < 5; i++)
		convert_arg(args, &n, meta_options[i], x->meta[i]);
	convert_arg(args, &n, "--sign-key", x->sign_key);
	convert_arg(args, &n, "--sign-cert", x->sign_cert);
	args[n++] = "--verify";
	if (x->json)
		args[n++] = "--json";
	if (x->quiet)
		args[n++] = "--quiet";
	args[n] = NULL;
	return n;
}

/*
 * The new set's digests against the old set's stored ones: of the exact
 * bytes (an E01 completes an odd-sized media to a sector).  Where read
 * errors lie between formats that fill them differently, the old set's
 * match and the new set's read-back stand in for equality.
 */
static int convert_prove(const struct convert_job *x, const struct acquire_proof *p,
                         struct cu_error *err)
{
	bool old_aff4 = !strcmp(x->facts.container, "aff4"), new_aff4 = !strcmp(x->format, "aff4");
	bool fill_differs = x->unreadable.n && old_aff4 != new_aff4;

	if (p->check != ACQ_CHECK_MATCH)
		return cu_error_set(err, CU_EFAIL, "the new set did not read back equal to itself");
	if (fill_differs)
		return CU_OK;
	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (x->from.digests.have[a] &&
		    (!p->exact.have[a] ||
		     memcmp(cu_digests_get(&p->exact, a), cu_digests_get(&x->from.digests, a),
		            cu_hash_size(a))))
			return cu_error_set(err, CU_EFAIL,
			                    "the new set's %s is not the old set's stored one",
			                    cu_hash_name(a));
	return CU_OK;
}

/* A conversion that did not prove itself leaves nothing: its files and its log go. */
static void convert_remove(const struct convert_job *x, struct acquire_proof *p)
{
	char *log = cu_path_suffixed(x->base, CU_CUSTODY_SUFFIX), *lock = NULL;

	for (size_t i = 0; i < p->n_files; i++)
		if (p->files[i].name)
			unlink(p->files[i].name);
	if (log && p->recorded) {
		unlink(log);
		if ((lock = cu_path_suffixed(log, ".lock")))
			unlink(lock);
	}
	free(lock);
	free(log);
}

static void convert_proof_free(struct acquire_proof *p)
{
	for (size_t i = 0; i < p->n_files; i++)
		free(p->files[i].name);
	free(p->files);
}

/* The acquisition, fed by the old set's read; then the proof. */
static int convert_run(struct convert_job *x, struct cu_error *err)
{
	struct convert_feed feed = {.old = x->old, .stored = x->from.digests, .fd = -1};
	struct acquire_conversion conv = {
	    .unreadable = &x->unreadable, .from = &x->from, .by = x->examiner};
	struct acquire_proof proof = {0};
	char *args[ARGS_MAX];
	int pipefd[2], n, rc;

	for (int a = 0; a < CU_HASH_COUNT; a++)
		feed.want[a] = x->from.digests.have[a];
	feed.want[CU_HASH_MD5] = true; /* a volume proven by its own hashes: MD5 said, as verify */
	n = convert_args(x, args);
	if (pipe2(pipefd, O_CLOEXEC) != 0)
		return cu_error_errno(err, CU_EFAIL, errno, "cannot make a pipe");
	feed.fd = pipefd[1];
	conv.stream_fd = pipefd[0];
	if ((rc = convert_feed_start(&feed, err))) {
		close(pipefd[0]);
		convert_feed_free(&feed);
		return rc;
	}
	optind = 0;
	rc = acquire_main(n, args, &conv, &proof);
	close(pipefd[0]); /* a feed still writing stops */
	convert_feed_join(&feed);
	if (!feed.proven && feed.err.code && !feed.cut) /* why the stream was cut short */
		rc = builtin_fail("convert", feed.err.code, feed.err.msg);
	else if (rc != CU_OK && rc != CU_EPARTIAL) {
		convert_remove(x, &proof); /* complete, but not proven: it goes too */
		rc = builtin_fail("convert", rc, proof.err.msg);
	} else if (convert_prove(x, &proof, err)) {
		convert_remove(x, &proof);
		rc = builtin_fail("convert", CU_EFAIL, err->msg);
	}
	convert_feed_free(&feed);
	convert_proof_free(&proof);
	return rc;
}

static void convert_free(struct convert_job *x)
{
	evidence_close(x->old);
	cu_ranges_free(&x->unreadable);
	free(x->abs);
	for (size_t i = 0; i < 5; i++)
		free(x->meta[i]);
}

int cmd_convert(int argc, char **argv)
{
	struct convert_job x = {0};
	struct cu_error err = {0};
	int rc = convert_parse(&x, argc, argv, &err);

	if (rc)
		return rc < 0 ? 0 : builtin_fail("convert", rc, err.msg);
	if ((rc = convert_check_old(&x, &err)))
		rc = builtin_fail("convert", rc, err.msg);
	else
		rc = convert_run(&x, &err);
	convert_free(&x);
	return rc;
}
