/*
 * cmd_export.c - `custos export EVIDENCE -o FILE|DEVICE [--replace]`:
 * the media of any evidence set (EWF, or a raw image, split or not) written
 * back as a raw image, or onto a drive, with the stored digests (a raw
 * image's: those its custody log records) checked in the same pass.
 *
 * Before anything is written, the set must be whole (its segment chain, as
 * verify walks it) and its media size known; the target must not be a file
 * of the set or its custody log, even with --replace.  A file is written as
 * FILE.partial and renamed only when every byte of the media is in it and
 * synced; an existing FILE is refused unless --replace says so; a failed
 * run removes FILE.partial.  A drive is opened exclusively and refused when
 * smaller than the media.  Exit status: 0 written and every stored digest
 * matches; 1 the set is damaged or mismatching (the file is kept when it is
 * whole, and the message says what is wrong), or a write failed; 2 usage,
 * or evidence that cannot be opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/builtin.h"
#include "container/cmd_evidence.h"
#include "lib/claim.h"
#include "lib/file_set.h"
#include "lib/output.h"
#include "lib/path.h"
#include "lib/text.h"

struct export_job {
	const char *evidence, *target;
	bool replace, device;
	struct evidence *reader;
	struct cu_file_set *files;
	struct cu_output *out;
	uint64_t written;
};

static int export_sink(void *ctx, const uint8_t *media, size_t len, struct cu_error *err)
{
	struct export_job *x = ctx;

	x->written += len;
	return cu_output_write(x->out, media, len, err);
}

/* The segment chain must be whole: a cut or missing segment gives no image. */
static int export_check_set(struct export_job *x, struct cu_error *err)
{
	char problem[CU_ERROR_MSG_MAX];

	if (evidence_chain_check(x->reader, problem, sizeof(problem)))
		return cu_error_set(err, CU_EFAIL, "nothing exported: %s", problem);
	return CU_OK;
}

static bool same_file(const struct stat *a, const char *path)
{
	struct stat b;

	return stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

/* The target is none of the evidence's own files, whatever --replace says. */
static int export_check_target_is_not_evidence(struct export_job *x, struct cu_error *err)
{
	char *log = cu_path_custody_log(x->evidence);
	struct stat t;
	bool clash = false;

	if (!log)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (stat(x->target, &t) == 0) {
		for (size_t i = 0; i < evidence_file_count(x->reader) && !clash; i++)
			clash = same_file(&t, evidence_file_name(x->reader, i));
		clash = clash || same_file(&t, log);
	}
	free(log);
	if (clash)
		return cu_error_set(
		    err, CU_EUSAGE,
		    "%s is a file of the evidence it would be exported from: custos "
		    "never writes over evidence",
		    x->target);
	return CU_OK;
}

static int export_check_device(const char *target, uint64_t size, struct cu_error *err)
{
	int fd = open(target, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	uint64_t capacity = 0;
	int ok = fd >= 0 && ioctl(fd, BLKGETSIZE64, &capacity) == 0;

	if (fd >= 0)
		close(fd);
	if (!ok)
		return cu_error_errno(err, CU_EUSAGE, errno, "cannot examine the drive %s", target);
	if (capacity < size)
		return cu_error_set(err, CU_EUSAGE,
		                    "the drive %s holds %llu bytes, fewer than the media's %llu",
		                    target, (unsigned long long)capacity, (unsigned long long)size);
	return CU_OK;
}

static int export_open(struct export_job *x, uint64_t size, struct cu_error *err)
{
	struct stat st;
	int rc;

	x->device = stat(x->target, &st) == 0 && S_ISBLK(st.st_mode);
	if (x->device) {
		if ((rc = export_check_device(x->target, size, err)) ||
		    (rc = cu_file_set_add(x->files, x->target, true, err)))
			return rc;
		return cu_output_open_device(&x->out, x->target, err);
	}
	if (lstat(x->target, &st) == 0) {
		if (!x->replace)
			return cu_error_set(err, CU_EUSAGE,
			                    "%s exists: give --replace to overwrite it", x->target);
		if (!S_ISREG(st.st_mode))
			return cu_error_set(err, CU_EUSAGE, "%s is not a regular file", x->target);
	}
	if ((rc = cu_file_set_add(x->files, x->target, false, err)))
		return rc;
	unlink(cu_file_set_write_path(x->files, 0)); /* a leftover of an interrupted export */
	return cu_output_create(&x->out, cu_file_set_write_path(x->files, 0), err);
}

/* Compares what was read with what is stored; returns the mismatches. */
static int export_compare(const struct cu_digests *stored, const struct cu_digests *computed)
{
	char hex[2 * CU_HASH_MAX_SIZE + 1];
	int bad = 0;

	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!stored->have[a])
			continue;
		cu_hex(hex, cu_digests_get(computed, a), cu_hash_size(a));
		if (memcmp(cu_digests_get(stored, a), cu_digests_get(computed, a),
		           cu_hash_size(a))) {
			bad++;
			printf("  %-8s MISMATCH %s\n", cu_hash_name(a), hex);
		} else {
			printf("  %-8s match    %s\n", cu_hash_name(a), hex);
		}
	}
	return bad;
}

/* Reads the media into the target; the output is sealed (synced) only when it is all there. */
static int export_copy(struct export_job *x, struct evidence_scan_result *scan,
                       struct cu_error *err)
{
	uint64_t size = evidence_media_size(x->reader);
	struct cu_digests stored;
	bool want[CU_HASH_COUNT];
	int rc;

	evidence_stored_digests(x->reader, &stored);
	for (int a = 0; a < CU_HASH_COUNT; a++)
		want[a] = stored.have[a] || a == CU_HASH_MD5;
	if ((rc = evidence_scan(x->reader, 0, want, export_sink, x, scan, err)))
		return rc;
	if (x->written != size)
		return cu_error_set(err, CU_EFAIL,
		                    "only %llu of the media's %llu bytes could be read",
		                    (unsigned long long)x->written, (unsigned long long)size);
	rc = cu_output_seal(x->out, NULL, NULL, err);
	x->out = NULL;
	if (!rc && !x->device)
		rc = cu_file_set_commit(x->files, x->replace, err);
	if (rc && !x->device)
		cu_file_set_abort(x->files);
	return rc;
}

static int export_verdict(struct export_job *x, const struct evidence_scan_result *scan,
                          struct cu_error *err)
{
	struct cu_digests stored;
	struct evidence_facts f;

	evidence_stored_digests(x->reader, &stored);
	evidence_facts(x->reader, &f);
	fputs("custos export: ", stdout); /* file names, escaped */
	cu_text_fput(x->evidence, stdout);
	fputs(" -> ", stdout);
	cu_text_fput(x->target, stdout);
	printf(" (%llu bytes)\n", (unsigned long long)x->written);
	if (scan->self_proved) /* an AFF4 volume proved by its own hashes */
		printf("  checked by %s\n", scan->self_proof);
	else if (!f.digests_inside && !f.digests_where) /* a raw image without its custody log */
		printf("  NO DIGEST: no custody log records the digests of the evidence: the "
		       "export is not checked against anything\n");
	if (export_compare(&stored, &scan->computed) && !scan->damaged.n)
		return cu_error_set(err, CU_EFAIL,
		                    "%s was written, but its digests are not the stored ones",
		                    x->target);
	if (scan->damaged.n)
		return cu_error_set(
		    err, CU_EFAIL,
		    "%s was written, but %zu range(s) of damaged chunks are zeros in it "
		    "(custos verify names them)",
		    x->target, scan->damaged.n);
	return CU_OK;
}

/* A target that is not an existing block device: a file, claimed while it is written. */
static bool export_target_is_file(const char *target)
{
	struct stat st;

	return stat(target, &st) != 0 || !S_ISBLK(st.st_mode);
}

static int export_run(struct export_job *x, struct cu_error *err)
{
	struct evidence_scan_result scan = {0};
	int rc;

	if ((rc = cmd_evidence_open(&x->reader, x->evidence, err)))
		return rc;
	if ((rc = export_check_set(x, err)) || (rc = export_check_target_is_not_evidence(x, err)) ||
	    (rc = export_open(x, evidence_media_size(x->reader), err)))
		return rc;
	rc = export_copy(x, &scan, err);
	if (!rc)
		rc = export_verdict(x, &scan, err);
	cu_ranges_free(&scan.damaged);
	return rc;
}

static int export_take(void *ctx, int key, const char *name, const char *value,
                       struct cu_error *err)
{
	(void)name;
	struct export_job *x = ctx;

	if (key == 'o')
		x->target = value;
	else if (key == 'r')
		x->replace = true;
	else
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos export --help)");
	return CU_OK;
}

static int export_parse(struct export_job *x, int argc, char **argv, struct cu_error *err)
{
	int rc = builtin_parse(&command_export, argc, argv, 1, export_take, x, err);

	if (rc)
		return rc;
	if (optind != argc - 1 || !x->target)
		return cu_error_set(err, CU_EUSAGE, "give one evidence file and -o FILE|DEVICE");
	x->evidence = argv[optind];
	return CU_OK;
}

int cmd_export(int argc, char **argv)
{
	struct export_job x = {0};
	struct cu_error err = {0};
	struct cu_claim *claim = NULL;
	int rc = export_parse(&x, argc, argv, &err);

	if (rc)
		return rc < 0 ? 0 : builtin_fail("export", rc, err.msg);
	if (cu_file_set_new(&x.files, &err))
		return builtin_fail("export", CU_EFAIL, err.msg);
	/* the target is this export's from its checks to its rename (a drive: opened exclusively)
	 */
	rc = export_target_is_file(x.target) ? cu_claim_take(&claim, x.target, "an export", &err)
	                                     : CU_OK;
	if (!rc)
		rc = export_run(&x, &err);
	if (x.out) { /* the export itself failed: nothing half-written stays */
		cu_output_discard(x.out);
		cu_file_set_abort(x.files);
	}
	cu_file_set_free(x.files);
	evidence_close(x.reader);
	cu_claim_release(claim);
	return rc ? builtin_fail("export", rc, err.msg) : 0;
}
