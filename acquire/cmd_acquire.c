/*
 * cmd_acquire.c - `custos acquire SOURCE -o BASE [options]`.
 *
 * The options come from the table of settings (settings.h): getopt's list
 * and --help are made from it, and every value goes through its parser.
 * With --resume, the kept settings come from BASE.resume, and the command
 * line may repeat them but not change them.  Then the acquisition runs, its
 * summary is printed and the custody log is started.  Every problem is one
 * line on stderr and an exit status.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acquire/acquire.h"
#include "acquire/progress.h"
#include "acquire/dest/raw_output.h"
#include "acquire/record.h"
#include "acquire/resume/resume.h"
#include "acquire/resume/resume_file.h"
#include "acquire/settings.h"
#include "acquire/summary.h"
#include "cli/builtin.h"
#include "lib/claim.h"
#include "lib/interrupt.h"
#include "lib/path.h"
#include "lib/text.h"
#include "acquire/cmd_acquire.h"
#include "report/custody.h"

struct acquire_cli {
	struct acq_options opt;
	bool given[ACQ_SETTINGS_MAX];
	char *command_line;
	struct acq_resume_file resume_file;
	char *resume_path;
	char *rescue_map;               /* --rescue's mapfile, when --mapfile is not given */
	struct builtin_signing signing; /* who signs and who time-stamps the custody events */
	struct acq_smart smart;         /* the drive's SMART, before and after */
	char *absolute[4];              /* the paths below, resolved */
	char *absolute_out[ACQ_DESTS_MAX];
	int pending_format; /* a --format waiting for its -o; -1: none */
	bool format_given[ACQ_DESTS_MAX];
};

static void cli_free(struct acquire_cli *c)
{
	builtin_signing_free(&c->signing);
	smart_reading_free(&c->smart.before);
	smart_reading_free(&c->smart.after);
	acq_resume_file_free(&c->resume_file);
	free(c->resume_path);
	free(c->rescue_map);
	free(c->command_line);
	for (size_t i = 0; i < sizeof(c->absolute) / sizeof(c->absolute[0]); i++)
		free(c->absolute[i]);
	for (size_t i = 0; i < ACQ_DESTS_MAX; i++)
		free(c->absolute_out[i]);
}

/* The settings as the command's options, for its --help, page and completion. */
size_t cmd_acquire_options(struct builtin_option *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < acq_settings_count && n < cap; i++) {
		const struct acq_setting *s = &acq_settings[i];
		enum builtin_complete c = BUILTIN_COMPLETE_NOTHING;

		if (s->kind == ACQ_KIND_PATH)
			c = BUILTIN_COMPLETE_FILE;
		else if (s->kind == ACQ_KIND_CHOICE)
			c = BUILTIN_COMPLETE_CHOICE;
		out[n++] = (struct builtin_option){
		    s->name,
		    acq_setting_key(s),
		    (s->short_name ? BUILTIN_OPT_SHORT : 0) |
		        (s->flags & ACQ_SETTING_HIDDEN ? BUILTIN_OPT_HIDDEN : 0),
		    s->kind == ACQ_KIND_FLAG ? NULL : s->arg,
		    s->help,
		    c,
		    s->choices};
	}
	return n;
}

/* A -o: the next destination; a --format after it says its format. */
static int acquire_take_output(struct acquire_cli *c, const struct acq_setting *s,
                               const char *value, const char *label, struct cu_error *err)
{
	struct acq_target *t = &c->opt.targets[c->opt.n_targets];
	int rc;

	if (c->opt.n_targets == ACQ_DESTS_MAX)
		return cu_error_set(err, CU_EUSAGE, "at most %d -o in one acquisition",
		                    ACQ_DESTS_MAX);
	if ((rc = acq_setting_parse(s, &c->opt, value, label, err)))
		return rc;
	t->path = c->opt.base;
	t->format = -1;
	c->opt.n_targets++;
	return CU_OK;
}

/*
 * A --format: the format of the -o before it (as "-o BASE --format raw"
 * has always read); before any -o, of the one -o to come.
 */
static int acquire_take_format(struct acquire_cli *c, struct cu_error *err)
{
	size_t n = c->opt.n_targets;

	if (!n) {
		c->pending_format = c->opt.format;
		return CU_OK;
	}
	if (c->format_given[n - 1])
		return cu_error_set(err, CU_EUSAGE, "two --format for -o %s",
		                    c->opt.targets[n - 1].path);
	c->opt.targets[n - 1].format = c->opt.format;
	c->format_given[n - 1] = true;
	return CU_OK;
}

/* One option: its setting, parsed with every check of its type and bounds. */
static int acquire_take(void *ctx, int key, const char *name, const char *value,
                        struct cu_error *err)
{
	struct acquire_cli *c = ctx;
	const struct acq_setting *s = acq_setting_of_key(key);
	char label[80];
	int rc;

	(void)name;
	if (!s)
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos acquire --help)");
	snprintf(label, sizeof(label), "--%s", s->name);
	c->given[s - acq_settings] = true;
	if (s->short_name == 'o')
		return acquire_take_output(c, s, value, label, err);
	if ((rc = acq_setting_parse(s, &c->opt, value, label, err)))
		return rc;
	return strcmp(s->name, "format") ? CU_OK : acquire_take_format(c, err);
}

/* The command line as typed, for the mapfile's heading. */
static int acquire_command_line(struct acquire_cli *c, int argc, char **argv)
{
	size_t len = sizeof("custos");

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	c->command_line = malloc(len);
	if (!c->command_line)
		return -1;
	strcpy(c->command_line, "custos");
	for (int i = 0; i < argc; i++) {
		strcat(c->command_line, " ");
		strcat(c->command_line, argv[i]);
	}
	c->opt.command_line = c->command_line;
	return 0;
}

/*
 * Every path custos keeps (in BASE.resume, the records, the rescue's state)
 * is absolute, so that a resume started from another directory uses the
 * same files and no others: BASE, SOURCE, --mapfile and --ddrescue-map are
 * resolved against the working directory as soon as they are read.
 */
static int acquire_absolute_paths(struct acquire_cli *c, struct cu_error *err)
{
	const char **paths[] = {&c->opt.base, &c->opt.source, &c->opt.mapfile,
	                        &c->opt.ddrescue_map};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const char *p = *paths[i];

		if (!p || !p[0] || !strcmp(p, SOURCE_STREAM) || p[0] == '/')
			continue;
		if (!(c->absolute[i] = cu_path_absolute(p)))
			return cu_error_errno(err, CU_EFAIL, errno, "cannot resolve the path %s",
			                      p);
		*paths[i] = c->absolute[i];
	}
	return CU_OK;
}

/* --resume: the kept settings of the interrupted acquisition, from BASE.resume. */
static int acquire_load_resume_file(struct acquire_cli *c, struct cu_error *err)
{
	struct acq_options merged;
	int rc;

	if (!(c->resume_path = cu_path_resume_file(c->opt.base)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if ((rc = acq_resume_file_load(c->resume_path, &c->resume_file, err))) {
		if (rc == CU_EUSAGE && !strncmp(err->msg, "cannot open", 11))
			cu_error_prefix(err, "nothing to resume: ");
		return rc;
	}
	if ((rc = acq_resume_merge(&c->resume_file, &c->opt, c->given, c->resume_path, &merged,
	                           err)))
		return rc;
	c->opt = merged;
	c->opt.resume_file = &c->resume_file;
	return CU_OK;
}

/* Target i: made absolute, and its format: a drive is a clone, anything else E01 unless said. */
static int acquire_settle_target(struct acquire_cli *c, size_t i, struct cu_error *err)
{
	struct acq_target *t = &c->opt.targets[i];

	if (t->path[0] && t->path[0] != '/') {
		if (!(c->absolute_out[i] = cu_path_absolute(t->path)))
			return cu_error_errno(err, CU_EFAIL, errno, "cannot resolve the path %s",
			                      t->path);
		t->path = c->absolute_out[i];
	}
	if (acq_raw_target_is_device(t->path)) {
		if (c->format_given[i] && t->format != ACQ_FORMAT_RAW)
			return cu_error_set(
			    err, CU_EUSAGE,
			    "-o %s is a drive: a clone is written with --format raw", t->path);
		t->format = ACQ_FORMAT_RAW;
	} else if (!c->format_given[i])
		t->format = ACQ_FORMAT_E01;
	return CU_OK;
}

/*
 * The -o's and their formats.  With one -o, --format may stand anywhere;
 * with several, each --format applies to the -o before it, and one before
 * the first -o would be read by some as the first's, by others as every
 * copy's: refused, not guessed.
 */
static int acquire_settle_targets(struct acquire_cli *c, struct cu_error *err)
{
	size_t n = c->opt.n_targets;
	int rc;

	if (!n)
		return cu_error_set(err, CU_EUSAGE, "-o BASE is required (see --help)");
	if (n == 1 && c->pending_format >= 0 && !c->format_given[0]) {
		c->opt.targets[0].format = c->pending_format;
		c->format_given[0] = true;
	} else if (c->pending_format >= 0)
		return cu_error_set(err, CU_EUSAGE,
		                    "with several -o, each --format follows the -o it applies to "
		                    "(-o BASE --format raw); this one comes before the first -o");
	for (size_t i = 0; i < n; i++)
		if ((rc = acquire_settle_target(c, i, err)))
			return rc;
	c->opt.base = c->opt.targets[0].path;
	c->opt.format = c->opt.targets[0].format;
	return CU_OK;
}

/* Whether any -o is a drive. */
static bool acquire_has_clone(const struct acquire_cli *c)
{
	for (size_t i = 0; i < c->opt.n_targets; i++)
		if (acq_raw_target_is_device(c->opt.targets[i].path))
			return true;
	return false;
}

/*
 * --resume goes on with exactly the E01 copies BASE.resume names (the
 * first -o's), in their order, but for those that lost their own resume
 * file: a copy that failed (and was removed) before the interruption.
 */
static size_t acquire_resume_copies(const struct acquire_cli *c, const char **out)
{
	const struct acq_resume_file *rf = &c->resume_file;
	size_t n = 0;

	if (!rf->n_copies) {
		out[0] = c->opt.base;
		return 1;
	}
	for (size_t i = 0; i < rf->n_copies; i++) {
		char *path = cu_path_resume_file(rf->copies[i]);

		if (path && access(path, F_OK) == 0)
			out[n++] = rf->copies[i];
		free(path);
	}
	return n;
}

static int acquire_check_resume_copies(const struct acquire_cli *c, struct cu_error *err)
{
	const char *copies[ACQ_DESTS_MAX];
	size_t n = acquire_resume_copies(c, copies);
	bool same = n == c->opt.n_targets;

	for (size_t i = 0; same && i < n; i++)
		same = c->opt.targets[i].format == ACQ_FORMAT_E01 &&
		       !strcmp(c->opt.targets[i].path, copies[i]);
	if (same)
		return CU_OK;
	cu_error_set(err, CU_EUSAGE, "%s goes on with %zu cop%s:", c->resume_path, n,
	             n == 1 ? "y" : "ies");
	for (size_t i = 0; i < n; i++)
		cu_error_suffix(err, " -o %s", copies[i]);
	cu_error_suffix(err, "; give those, in that order");
	return CU_EUSAGE;
}

/*
 * A stream has no positions to retry, re-read or resume, and no window;
 * --size is for a stream alone.
 */
static int acquire_check_stream(const struct acquire_cli *c, struct cu_error *err)
{
	static const char *const refused[] = {"retries", "resume",  "verify-source", "offset",
	                                      "length",  "mapfile", "ddrescue-map"};
	bool stream = !strcmp(c->opt.source, SOURCE_STREAM);

	if (!stream)
		return c->opt.expect_size ? cu_error_set(err, CU_EUSAGE,
		                                         "--size is for a stream (SOURCE -); a "
		                                         "file or a drive has its own")
		                          : CU_OK;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (c->given[acq_setting_find(refused[i]) - acq_settings])
			return cu_error_set(err, CU_EUSAGE,
			                    "--%s does not apply to a stream (SOURCE -): it has no "
			                    "positions to read again, and cannot be resumed",
			                    refused[i]);
	if (acquire_has_clone(c) && !c->opt.expect_size)
		return cu_error_set(err, CU_EUSAGE,
		                    "cloning a stream onto a drive needs --size, to know the drive "
		                    "is large enough");
	return CU_OK;
}

/*
 * --rescue reads a drive or a file into E01, whole: GNU ddrescue keeps the
 * mapfile (BASE.rescue.map unless --mapfile names it).
 */
static int acquire_check_rescue(struct acquire_cli *c, struct cu_error *err)
{
	static const char *const refused[] = {"offset", "length", "ddrescue-map", "verify-source"};

	if (!c->opt.rescue)
		return CU_OK;
	if (!strcmp(c->opt.source, SOURCE_STREAM))
		return cu_error_set(err, CU_EUSAGE,
		                    "--rescue reads a drive or a file, not a stream");
	if (c->opt.format != ACQ_FORMAT_E01 || acquire_has_clone(c))
		return cu_error_set(err, CU_EUSAGE,
		                    "--rescue writes E01 evidence, not a raw image "
		                    "or a clone");
	if (c->opt.n_targets > 1)
		return cu_error_set(err, CU_EUSAGE,
		                    "--rescue writes one E01: make further copies from it with "
		                    "custos export, or acquire the rescued image again");
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (c->given[acq_setting_find(refused[i]) - acq_settings])
			return cu_error_set(err, CU_EUSAGE, "--%s does not go with --rescue%s",
			                    refused[i],
			                    strcmp(refused[i], "verify-source")
			                        ? ""
			                        : " (a failing drive is not read twice)");
	if (!c->opt.mapfile &&
	    !(c->opt.mapfile = c->rescue_map = cu_path_suffixed(c->opt.base, CU_RESCUE_MAP_SUFFIX)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	return CU_OK;
}

/* Whether any -o is AFF4, and whether every one is. */
static void acquire_aff4_targets(const struct acquire_cli *c, bool *any, bool *all)
{
	*any = false;
	*all = c->opt.n_targets > 0;
	for (size_t i = 0; i < c->opt.n_targets; i++) {
		bool aff4 = c->opt.targets[i].format == ACQ_FORMAT_AFF4;

		*any |= aff4;
		*all &= aff4;
	}
}

/*
 * AFF4 takes its own compression methods (lz4 unless said), one volume
 * (the standard defines no segments), chunks of 32 KiB, and no resume.
 * E01 and raw copies read unreadable sectors as zeros, AFF4 as the
 * standard's UNREADABLEDATA: one run writes the one kind or the other.
 */
static int acquire_check_aff4(struct acquire_cli *c, struct cu_error *err)
{
	static const char *const refused[] = {"segment-size", "chunk-sectors", "resume"};
	long comp = acq_setting_find("compression") - acq_settings;
	bool any, all;

	acquire_aff4_targets(c, &any, &all);
	if (!any)
		return c->opt.compression >= ACQ_COMPRESSION_LZ4
		           ? cu_error_set(err, CU_EUSAGE,
		                          "--compression %s is AFF4's: E01 compresses with none, "
		                          "empty, fast or best",
		                          acq_compression_names[c->opt.compression])
		           : CU_OK;
	if (!all)
		return cu_error_set(
		    err, CU_EUSAGE,
		    "AFF4 copies cannot go with E01 or raw copies in one run: "
		    "unreadable sectors read as UNREADABLEDATA in AFF4 and as zeros "
		    "in the others, so their media digests would differ");
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (c->given[acq_setting_find(refused[i]) - acq_settings])
			return cu_error_set(
			    err, CU_EUSAGE, "--%s does not go with --format aff4%s", refused[i],
			    !strcmp(refused[i], "segment-size")
			        ? ": the AFF4 Standard v1.0 defines no segmented volumes, so one "
			          "volume is written"
			    : !strcmp(refused[i], "chunk-sectors")
			        ? ": its chunks are 32 KiB, as the standard's reference images"
			        : ": a volume is written forward and cannot be resumed");
	if (!c->given[comp])
		c->opt.compression = ACQ_COMPRESSION_LZ4;
	else if (c->opt.compression != ACQ_COMPRESSION_NONE &&
	         c->opt.compression < ACQ_COMPRESSION_LZ4)
		return cu_error_set(err, CU_EUSAGE,
		                    "--compression %s is E01's: AFF4 compresses with lz4, snappy, "
		                    "deflate or none",
		                    acq_compression_names[c->opt.compression]);
	return CU_OK;
}

/*
 * --sign-key, --sign-cert and --tsa, settled as every command that seals a
 * custody event settles them (builtin_signing.c), the TSA asked once now,
 * before anything is read or written.  The events at the end record a
 * stamp that cannot be had then as missing (the evidence is complete by
 * then: its record must not be lost to a TSA), and acquire_run fails
 * unless --tsa-optional allowed it.
 */
static int acquire_settle_signing(struct acquire_cli *c, struct cu_error *err)
{
	struct builtin_signing *s = &c->signing;
	int rc;

	s->sign_key = c->opt.sign_key;
	s->sign_cert = c->opt.sign_cert;
	s->tsa_url = c->opt.tsa_url;
	s->tsa_ca = c->opt.tsa_ca;
	s->tsa_policy = c->opt.tsa_policy;
	s->tsa_optional = c->opt.tsa_optional;
	if ((rc = builtin_signing_settle(s, err)) || (rc = builtin_signing_probe(s, err)))
		return rc;
	s->seal.stamp_optional = true;
	return CU_OK;
}

/* What the options mean together, once all are read. */
static int acquire_settle(struct acquire_cli *c, struct cu_error *err)
{
	long seg = acq_setting_find("segment-size") - acq_settings;
	int rc;

	if ((rc = acquire_settle_targets(c, err)) || (rc = acquire_check_stream(c, err)) ||
	    (rc = acquire_absolute_paths(c, err)))
		return rc;
	if ((rc = acquire_settle_signing(c, err)) || (rc = acquire_check_aff4(c, err)))
		return rc;
	if (c->opt.parity && acquire_has_clone(c))
		return cu_error_set(
		    err, CU_EUSAGE,
		    "--parity writes files beside evidence files: not beside a clone "
		    "onto a drive");
	if (c->opt.parity_format && !c->opt.parity)
		return cu_error_set(err, CU_EUSAGE, "--parity-format goes with --parity PERCENT");
	if (c->opt.hash_window && (c->opt.hash_window < CU_WINDOW_MIN || c->opt.hash_window % 512))
		return cu_error_set(
		    err, CU_EUSAGE,
		    "--hash-window: a window is a whole number of 512-byte sectors, "
		    "at least 1MiB (or 0 for none)");
	if (c->opt.resume)
		return (rc = acquire_load_resume_file(c, err))
		           ? rc
		           : acquire_check_resume_copies(c, err);
	if ((rc = acquire_check_rescue(c, err)))
		return rc;
	c->opt.split = c->given[seg];
	return CU_OK;
}

/* Returns CU_OK, an error status, or -1 when --help was asked for. */
static int acquire_parse(struct acquire_cli *c, int argc, char **argv, struct cu_error *err)
{
	int rc;

	acq_settings_defaults(&c->opt);
	c->pending_format = -1;
	if ((rc = builtin_parse(&command_acquire, argc, argv, 1, acquire_take, c, err)))
		return rc;
	if (optind != argc - 1)
		return cu_error_set(err, CU_EUSAGE, "give exactly one SOURCE (see --help)");
	c->opt.source = argv[optind];
	if (acquire_command_line(c, argc, argv))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	return acquire_settle(c, err);
}

/*
 * SIGINT, SIGTERM and SIGHUP are blocked for every thread and read from a
 * signalfd by the reader, so that an interrupted acquisition always leaves
 * through the same door: the source's read-only flag restored, partial
 * files removed.  Nothing before the reader may block: every file custos
 * opens is opened without waiting (lib/input_file.h, source.c).
 */
static int acquire_block_signals(sigset_t *old_mask)
{
	return cu_interrupt_block(old_mask) == CU_OK ? cu_interrupt_fd() : -1;
}

static void acquire_progress_start(struct acquire_cli *c, struct acq_progress *progress)
{
	if (c->opt.quiet || !isatty(STDERR_FILENO))
		return;
	acq_progress_init(progress, stderr);
	c->opt.progress = acq_progress_update;
	c->opt.progress_ctx = progress;
	if (c->opt.rescue) {
		c->opt.rescue_progress = acq_progress_rescue;
		progress->label = "packing";
	}
}

static void acquire_notice(void *ctx, const char *line)
{
	(void)ctx;
	fputs("custos acquire: ", stderr); /* it names files: escaped */
	cu_text_fput(line, stderr);
	fputc('\n', stderr);
}

/* The BASE of the first copy whose log holds the record (a clone has none). */
static const char *acquire_first_logged(const struct acquire_cli *c, const struct acq_result *res)
{
	for (size_t i = 0; i < res->n_copies; i++)
		if (res->copies[i].complete && strcmp(res->copies[i].kind, "clone"))
			return res->copies[i].path;
	return c->opt.base;
}

/*
 * Every BASE is this acquisition's from its refusal checks to its last
 * write (lib/claim.h); a drive is held by its exclusive open instead.
 */
static int acquire_claim(const struct acquire_cli *c, struct cu_claim **claims,
                         struct cu_error *err)
{
	int rc;

	for (size_t i = 0; i < c->opt.n_targets; i++)
		if (!acq_raw_target_is_device(c->opt.targets[i].path) &&
		    (rc = cu_claim_take(&claims[i], c->opt.targets[i].path, "an acquisition", err)))
			return rc;
	return CU_OK;
}

/* The exit status of an acquisition that did its work: a failed copy, then read errors. */
static int acquire_status(const struct acq_result *res)
{
	if (res->n_failed)
		return CU_ECOPY;
	return res->outcome == ACQ_COMPLETE_WITH_ERRORS ? CU_EPARTIAL : CU_OK;
}

/*
 * A drive's SMART before anything is read (a block device only: a file or
 * a stream has none), with one line recommending --rescue when it looks
 * failing and --rescue was not asked for.
 */
static void acquire_smart_before(struct acquire_cli *c)
{
	struct stat st;
	char advice[256];

	if (!c->opt.source || !strcmp(c->opt.source, SOURCE_STREAM) ||
	    stat(c->opt.source, &st) != 0 || !S_ISBLK(st.st_mode))
		return;
	smart_read(ACQ_SMARTCTL, c->opt.source, &c->smart.before);
	if (!c->opt.rescue && smart_advice(&c->smart.before, NULL, advice, sizeof(advice)))
		fprintf(stderr, "custos acquire: note: %s\n", advice);
}

/*
 * The acquisition, its record (acquire_custody_start, as soon as the
 * evidence is complete) and the result of its read-back.
 */
static int acquire_run(struct acquire_cli *c, int cancel_fd, struct acq_result *res,
                       struct cu_error *err)
{
	struct acquire_custody ac = {.opt = &c->opt, .seal = &c->signing.seal, .smart = &c->smart};
	struct acq_progress progress;
	struct cu_error verr;
	int rc, vrc;

	acquire_smart_before(c);
	acquire_progress_start(c, &progress);
	if (cancel_fd >= 0)
		c->opt.cancel_fd = &cancel_fd;
	c->opt.on_complete = acquire_custody_start;
	c->opt.complete_ctx = &ac;
	c->opt.notice = c->opt.quiet ? NULL : acquire_notice;
	rc = acq_run(&c->opt, res, err);
	if (c->opt.progress)
		acq_progress_end(&progress);
	/* a mismatch is recorded as well as a match: both are what the read-back gave */
	if ((vrc = acquire_custody_verified(&ac, res, &verr)) && !rc) {
		*err = verr;
		rc = vrc;
	}
	if (!rc && c->signing.seal.missing[0] && !c->opt.tsa_optional)
		rc = cu_error_set(err, CU_EFAIL, "its custody events are not time-stamped: %s",
		                  c->signing.seal.missing);
	if (rc && res->recorded)
		cu_error_suffix(err,
		                "; the evidence is complete, with its acquisition recorded in %s%s",
		                acquire_first_logged(c, res), CU_CUSTODY_SUFFIX);
	return rc;
}

/* --parity, once the evidence is complete, recorded and reported: never lost to it. */
static int acquire_protect(struct acquire_cli *c, struct acq_result *res, struct cu_error *err)
{
	struct acquire_custody ac = {.opt = &c->opt, .seal = &c->signing.seal};
	int rc = acquire_custody_protect(&ac, res,
	                                 c->opt.quiet  ? NULL
	                                 : c->opt.json ? stderr
	                                               : stdout,
	                                 err);

	if (rc)
		cu_error_prefix(err,
		                "the evidence is complete and recorded, but its parity is not: ");
	return rc;
}

static void acquire_report(const struct acquire_cli *c, const struct acq_result *res)
{
	acq_phase_enter(&c->opt, ACQ_PHASE_PRINTING);
	if (res->header_transliterated)
		fprintf(stderr,
		        "custos acquire: note: a metadata value has characters code page 1252 "
		        "lacks: the legacy header section holds a transliteration, header2 "
		        "the exact text\n");
	if (c->opt.json)
		acq_summary_json(stdout, &c->opt, res);
	if (acq_result_first_complete(res) && !c->opt.quiet)
		acq_summary_text(c->opt.json ? stderr : stdout, &c->opt, res);
}

/* A failure: said on stderr, or for custos convert kept for it to say. */
static int acquire_fail(const char *name, int rc, const struct cu_error *err,
                        struct acquire_proof *out)
{
	if (!out)
		return builtin_fail(name, rc, err->msg);
	out->err = *err;
	out->err.code = rc;
	return rc;
}

/* What custos convert needs of the result; the first copy's files change hands. */
static void acquire_take_proof(struct acq_result *res, struct acquire_proof *out)
{
	struct cu_error err = out->err;

	*out = (struct acquire_proof){.err = err,
	                              .outcome = res->outcome,
	                              .recorded = res->recorded,
	                              .media = res->media,
	                              .exact = res->source_exact,
	                              .check = res->evidence_check};
	if (res->n_copies && res->copies[0].complete) {
		out->files = res->copies[0].segments;
		out->n_files = res->copies[0].n_segments;
		res->copies[0].segments = NULL;
		res->copies[0].n_segments = 0;
	}
}

/*
 * SIGINT, SIGTERM and SIGHUP stay blocked from the first read to the last
 * line printed: the pipeline and the read-back take them from the signalfd
 * and stop through their own door; one that comes after the evidence is
 * recorded (while the summary is printed) is said once the command is done.
 * No signal's default action ends an acquisition.
 */
int cmd_acquire(int argc, char **argv)
{
	return acquire_main(argc, argv, NULL, NULL);
}

int acquire_main(int argc, char **argv, const struct acquire_conversion *conv,
                 struct acquire_proof *out)
{
	const char *name = conv ? "convert" : "acquire";
	struct acquire_cli c;
	struct acq_result res;
	struct cu_error err = {0};
	struct cu_claim *claims[ACQ_DESTS_MAX] = {0};
	sigset_t old_mask;
	int rc, cancel_fd, sig;

	memset(&c, 0, sizeof(c));
	rc = acquire_parse(&c, argc, argv, &err);
	if (rc) {
		cli_free(&c);
		return rc < 0 ? 0 : acquire_fail(name, rc, &err, out);
	}
	if (conv) {
		c.opt.stream_fd = conv->stream_fd;
		c.opt.known_unreadable = conv->unreadable;
		c.opt.converted = conv->from;
		c.opt.custody_by = conv->by;
	}
	cancel_fd = acquire_block_signals(&old_mask);
	if ((rc = acquire_claim(&c, claims, &err))) {
		memset(&res, 0, sizeof(res));
		res.outcome = ACQ_FAILED;
	} else
		rc = acquire_run(&c, cancel_fd, &res, &err);
	acquire_report(&c, &res);
	if (!rc && c.opt.parity)
		rc = acquire_protect(&c, &res, &err);
	if (rc)
		acquire_fail(name, rc, &err, out);
	else if ((sig = cu_interrupt_take())) {
		cu_error_set(&err, CU_EFAIL,
		             "interrupted by SIG%s after the evidence was complete and recorded in "
		             "%s%s: nothing of it is lost",
		             sigabbrev_np(sig), acquire_first_logged(&c, &res), CU_CUSTODY_SUFFIX);
		rc = acquire_fail(name, CU_EFAIL, &err, out);
	} else
		rc = acquire_status(&res);
	if (out)
		acquire_take_proof(&res, out);
	if (cancel_fd >= 0) {
		close(cancel_fd);
		pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	}
	for (size_t i = 0; i < ACQ_DESTS_MAX; i++)
		cu_claim_release(claims[i]);
	acq_result_free(&res);
	cli_free(&c);
	return rc;
}
