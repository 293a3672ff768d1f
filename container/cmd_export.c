/*
 * cmd_export.c - `custos export EVIDENCE -o FILE|DEVICE [--replace]`:
 * the media written back as a raw image, or onto a drive, with the stored
 * digests checked in the same pass.
 *
 * A file is written as FILE.partial and renamed when complete; an existing
 * FILE is refused unless --replace says so.  A drive is opened exclusively
 * and refused when smaller than the media.  Exit status: 0 written and every
 * stored digest matches; 1 written but damaged or mismatching (the file is
 * kept, and the message says what is wrong), or a write failed; 2 usage, or
 * evidence that cannot be opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/output.h"
#include "container/ewf_reader.h"
#include "container/ewf_scan.h"
#include "lib/file_set.h"
#include "builtin.h"

static const char export_usage[] =
    "usage: custos export EVIDENCE.E01 -o FILE|DEVICE [--replace]\n"
    "  -o, --output FILE|DEVICE   where the media goes (a drive is written in place)\n"
    "      --replace              replace an existing FILE\n";

struct export_job {
	const char *evidence, *target;
	bool replace, device;
	struct cu_file_set *files;
	struct cu_output *out;
};

static int export_sink(void *ctx, const uint8_t *media, size_t len, struct cu_error *err)
{
	return cu_output_write(ctx, media, len, err);
}

static int export_check_device(const char *target, uint64_t size, struct cu_error *err)
{
	int fd = open(target, O_RDONLY | O_CLOEXEC);
	uint64_t capacity = 0;
	int ok = fd >= 0 && ioctl(fd, BLKGETSIZE64, &capacity) == 0;

	if (fd >= 0)
		close(fd);
	if (!ok)
		return cu_error_errno(err, CU_EUSAGE, errno, "cannot examine the drive %s", target);
	if (capacity < size)
		return cu_error_set(err, CU_EUSAGE,
		                    "the drive %s holds %llu bytes, fewer than the "
		                    "media's %llu",
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

static int export_run(struct export_job *x, struct cu_error *err)
{
	struct cu_digests stored, computed;
	struct cu_ranges damaged = {0};
	struct ewf_scan_result scan;
	struct ewf_reader *r;
	bool want[CU_HASH_COUNT];
	int rc, bad;

	if ((rc = ewf_reader_open(&r, x->evidence, err)))
		return rc;
	ewf_reader_stored_digests(r, &stored);
	for (int a = 0; a < CU_HASH_COUNT; a++)
		want[a] = stored.have[a] || a == CU_HASH_MD5;
	rc = export_open(x, ewf_reader_media_size(r), err);
	if (!rc) {
		rc = ewf_scan(x->evidence, 0, want, export_sink, x->out, &scan, err);
		computed = scan.computed;
		damaged = scan.damaged;
	}
	if (!rc) {
		rc = cu_output_seal(x->out, NULL, NULL, err);
		x->out = NULL;
	}
	if (!rc && !x->device)
		rc = cu_file_set_commit(x->files, err);
	if (!rc) {
		printf("custos export: %s -> %s (%llu bytes)\n", x->evidence, x->target,
		       (unsigned long long)ewf_reader_media_size(r));
		bad = export_compare(&stored, &computed);
		if (damaged.n)
			rc = cu_error_set(err, CU_EFAIL,
			                  "%s was written, but %zu range(s) of damaged chunks are "
			                  "zeros in it (custos verify names them)",
			                  x->target, damaged.n);
		else if (bad)
			rc = cu_error_set(err, CU_EFAIL,
			                  "%s was written, but its digests are not the stored ones",
			                  x->target);
	}
	cu_ranges_free(&damaged);
	ewf_reader_close(r);
	return rc;
}

int cmd_export(int argc, char **argv)
{
	static const struct option options[] = {{"output", required_argument, NULL, 'o'},
	                                        {"replace", no_argument, NULL, 'r'},
	                                        {"help", no_argument, NULL, 'h'},
	                                        {NULL, 0, NULL, 0}};
	struct export_job x = {0};
	struct cu_error err = {0};
	int ch, rc;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		if (ch == 'h') {
			fputs(export_usage, stdout);
			return 0;
		}
		if (ch == 'o')
			x.target = optarg;
		else if (ch == 'r')
			x.replace = true;
		else
			return builtin_fail("export", CU_EUSAGE,
			                    "unknown option (see custos export --help)");
	}
	if (optind != argc - 1 || !x.target)
		return builtin_fail("export", CU_EUSAGE,
		                    "give one evidence file and -o FILE|DEVICE");
	x.evidence = argv[optind];
	if (cu_file_set_new(&x.files, &err))
		return builtin_fail("export", CU_EFAIL, err.msg);
	rc = export_run(&x, &err);
	if (rc && x.out) { /* the export itself failed: nothing half-written stays */
		cu_output_discard(x.out);
		cu_file_set_abort(x.files);
	}
	cu_file_set_free(x.files);
	return rc ? builtin_fail("export", rc, err.msg) : 0;
}
