/*
 * cmd_acquire.c - `custos acquire SOURCE -o BASE [options]`.
 *
 * Parses the options into an acq_options, runs the acquisition and prints
 * its summary.  Every problem is one line on stderr and an exit status.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acquire/acquire.h"
#include "report/custody.h"
#include "lib/path.h"
#include "acquire/record.h"
#include "acquire/resume_file.h"
#include "acquire/resume.h"
#include "acquire/progress.h"
#include "acquire/raw_output.h"
#include "acquire/summary.h"
#include "builtin.h"
#include "lib/parse.h"

#define DEFAULT_SEGMENT_SIZE "1.4GiB"

static const char acquire_usage[] =
    "usage: custos acquire SOURCE -o BASE [options]\n"
    "  -o, --output BASE          write BASE.E01, BASE.E02, ...\n"
    "      --case-number TEXT     --evidence-number TEXT   --examiner TEXT\n"
    "      --description TEXT     --notes TEXT\n"
    "      --compression MODE     none, empty, fast (default) or best\n"
    "      --segment-size SIZE    largest segment file (default 1.4GiB)\n"
    "      --hash LIST            md5,sha1,sha256 (MD5 always; default md5,sha256)\n"
    "      --sector-size N        bytes per sector (default: the device's, or 512)\n"
    "      --chunk-sectors N      sectors per chunk (default 64)\n"
    "      --offset SIZE          start this many bytes into the source\n"
    "      --length SIZE          acquire this many bytes (default: to the end)\n"
    "      --threads N            compression threads (default: the number of CPUs)\n"
    "      --no-write-block       do not set a device read-only while imaging\n"
    "      --format FORMAT        e01 (default) or raw: BASE.raw, or BASE.001, BASE.002,\n"
    "                             ... with --segment-size; -o may name a drive to clone\n"
    "      --verify               read the evidence back and check its digests\n"
    "      --verify-source        read the source again and check its digests\n"
    "      --retries N            further attempts at an unreadable sector (default 2)\n"
    "      --slow-seconds S       report a megabyte that takes longer to read (default 1)\n"
    "      --mapfile FILE         keep a GNU ddrescue mapfile of the acquisition\n"
    "      --resume               go on with an interrupted acquisition to BASE (its\n"
    "                             settings come from BASE.resume)\n"
    "      --ddrescue-map FILE    SOURCE is an image GNU ddrescue rescued with this map:\n"
    "                             its unrescued areas are recorded as read errors\n"
    "  -q, --quiet                print nothing but errors\n"
    "      --json                 print the summary as one JSON object\n";

enum {
	OPT_CASE = 256,
	OPT_EVIDENCE,
	OPT_EXAMINER,
	OPT_DESCRIPTION,
	OPT_NOTES,
	OPT_COMPRESSION,
	OPT_SEGMENT,
	OPT_HASH,
	OPT_SECTOR,
	OPT_CHUNK,
	OPT_JSON,
	OPT_TABLE_ENTRIES,
	OPT_THREADS,
	OPT_OFFSET,
	OPT_LENGTH,
	OPT_NO_WRITE_BLOCK,
	OPT_FORMAT,
	OPT_VERIFY,
	OPT_VERIFY_SOURCE,
	OPT_RETRIES,
	OPT_SLOW,
	OPT_MAPFILE,
	OPT_DDRESCUE_MAP,
	OPT_RESUME,
	OPT_CHECKPOINT,
};

static const struct option acquire_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"case-number", required_argument, NULL, OPT_CASE},
    {"evidence-number", required_argument, NULL, OPT_EVIDENCE},
    {"examiner", required_argument, NULL, OPT_EXAMINER},
    {"description", required_argument, NULL, OPT_DESCRIPTION},
    {"notes", required_argument, NULL, OPT_NOTES},
    {"compression", required_argument, NULL, OPT_COMPRESSION},
    {"segment-size", required_argument, NULL, OPT_SEGMENT},
    {"hash", required_argument, NULL, OPT_HASH},
    {"sector-size", required_argument, NULL, OPT_SECTOR},
    {"chunk-sectors", required_argument, NULL, OPT_CHUNK},
    {"offset", required_argument, NULL, OPT_OFFSET},
    {"length", required_argument, NULL, OPT_LENGTH},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"no-write-block", no_argument, NULL, OPT_NO_WRITE_BLOCK},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"verify", no_argument, NULL, OPT_VERIFY},
    {"verify-source", no_argument, NULL, OPT_VERIFY_SOURCE},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"slow-seconds", required_argument, NULL, OPT_SLOW},
    {"mapfile", required_argument, NULL, OPT_MAPFILE},
    {"ddrescue-map", required_argument, NULL, OPT_DDRESCUE_MAP},
    {"resume", no_argument, NULL, OPT_RESUME},
    /* for tests of resuming on small media; not documented */
    {"x-checkpoint", required_argument, NULL, OPT_CHECKPOINT},
    {"quiet", no_argument, NULL, 'q'},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    /* for tests of table splitting on small media; not documented */
    {"x-table-entries", required_argument, NULL, OPT_TABLE_ENTRIES},
    {NULL, 0, NULL, 0},
};

static const char *const format_names[] = {"e01", "raw", NULL};

struct acquire_cli {
	struct acq_options opt;
	bool quiet, json, format_given;
	char *command_line;
	bool settings_given; /* an option that --resume takes from the journal */
	struct acq_resume_file journal;
};

static int set_field(const char **field, const char *opt, const char *value, struct cu_error *err)
{
	*field = value;
	return cu_meta_check_field(opt, value, err);
}

static int parse_number_u32(uint32_t *out, const char *opt, const char *text, uint64_t min,
                            uint64_t max, struct cu_error *err)
{
	uint64_t v;
	int rc = cu_parse_u64(&v, opt, text, min, max, err);

	*out = (uint32_t)v;
	return rc;
}

static int acquire_parse_one(struct acquire_cli *c, int ch, const char *arg, struct cu_error *err)
{
	struct acq_options *o = &c->opt;
	int choice, rc;

	switch (ch) {
	case 'o':
		o->base = arg;
		return CU_OK;
	case OPT_CASE:
		return set_field(&o->meta.case_number, "--case-number", arg, err);
	case OPT_EVIDENCE:
		return set_field(&o->meta.evidence_number, "--evidence-number", arg, err);
	case OPT_EXAMINER:
		return set_field(&o->meta.examiner, "--examiner", arg, err);
	case OPT_DESCRIPTION:
		return set_field(&o->meta.description, "--description", arg, err);
	case OPT_NOTES:
		return set_field(&o->meta.notes, "--notes", arg, err);
	case OPT_COMPRESSION:
		rc = cu_parse_choice(&choice, "--compression", arg, ewf_compression_names, err);
		o->compression = (enum ewf_compression)choice;
		return rc;
	case OPT_SEGMENT:
		o->split = true;
		return cu_parse_size(&o->segment_size, "--segment-size", arg, err);
	case OPT_HASH:
		return cu_hash_parse_list(o->want, arg, err);
	case OPT_SECTOR:
		rc = parse_number_u32(&o->sector_size, "--sector-size", arg, 512, 65536, err);
		if (!rc && (o->sector_size & (o->sector_size - 1)))
			rc = cu_error_set(err, CU_EUSAGE, "--sector-size: %u is not a power of two",
			                  o->sector_size);
		return rc;
	case OPT_CHUNK:
		return parse_number_u32(&o->chunk_sectors, "--chunk-sectors", arg, 1, 1U << 17,
		                        err);
	case OPT_OFFSET:
		return cu_parse_size(&o->offset, "--offset", arg, err);
	case OPT_LENGTH:
		rc = cu_parse_size(&o->length, "--length", arg, err);
		if (!rc && o->length == 0)
			rc =
			    cu_error_set(err, CU_EUSAGE, "--length: 0 bytes is nothing to acquire");
		return rc;
	case OPT_FORMAT:
		rc = cu_parse_choice(&choice, "--format", arg, format_names, err);
		o->format = (enum acq_format)choice;
		c->format_given = true;
		return rc;
	case OPT_RETRIES:
		return parse_number_u32(&o->retries, "--retries", arg, 0, 100, err);
	case OPT_SLOW:
		return cu_parse_seconds(&o->slow_seconds, "--slow-seconds", arg, err);
	case OPT_MAPFILE:
		if (access(arg, F_OK) == 0)
			return cu_error_set(
			    err, CU_EUSAGE,
			    "--mapfile: %s already exists; custos does not overwrite it", arg);
		o->mapfile = arg;
		return CU_OK;
	case OPT_DDRESCUE_MAP:
		o->ddrescue_map = arg;
		return CU_OK;
	case OPT_RESUME:
		o->resume = true;
		return CU_OK;
	case OPT_CHECKPOINT:
		return cu_parse_size(&o->checkpoint_every, "--x-checkpoint", arg, err);
	case OPT_VERIFY:
		o->verify = true;
		return CU_OK;
	case OPT_VERIFY_SOURCE:
		o->verify_source = true;
		return CU_OK;
	case OPT_NO_WRITE_BLOCK:
		o->no_write_block = true;
		return CU_OK;
	case OPT_THREADS:
		return parse_number_u32(&o->threads, "--threads", arg, 1, 64, err);
	case OPT_TABLE_ENTRIES:
		return parse_number_u32(&o->table_entries_max, "--x-table-entries", arg, 1, 65534,
		                        err);
	case 'q':
		c->quiet = true;
		return CU_OK;
	case OPT_JSON:
		c->json = true;
		return CU_OK;
	default:
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos acquire --help)");
	}
}

/* The command line as typed, for the mapfile's heading. */
static int acquire_command_line(struct acquire_cli *c, int argc, char **argv)
{
	size_t len = sizeof("custos ");

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

/* --resume: every setting of the interrupted acquisition, from BASE.resume. */
static int acquire_load_journal(struct acquire_cli *c, struct cu_error *err)
{
	size_t len = strlen(c->opt.base) + sizeof(CU_RESUME_SUFFIX);
	char *path = malloc(len);
	int rc;

	if (c->settings_given)
		return cu_error_set(err, CU_EUSAGE,
		                    "--resume takes the settings of the interrupted acquisition: "
		                    "give only SOURCE, -o BASE and --resume");
	if (!path)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	snprintf(path, len, "%s%s", c->opt.base, CU_RESUME_SUFFIX);
	rc = acq_resume_file_load(path, &c->journal, err);
	free(path);
	if (rc)
		return rc;
	acq_resume_options(&c->journal, &c->opt);
	c->opt.journal = &c->journal;
	return CU_OK;
}

static int acquire_parse(struct acquire_cli *c, int argc, char **argv, struct cu_error *err)
{
	int ch, rc;

	cu_meta_init(&c->opt.meta);
	c->opt.compression = EWF_COMPRESSION_FAST;
	c->opt.chunk_sectors = 64;
	c->opt.retries = 2;
	c->opt.slow_seconds = 1.0;
	c->opt.threads = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	cu_parse_size(&c->opt.segment_size, "--segment-size", DEFAULT_SEGMENT_SIZE, NULL);
	cu_hash_parse_list(c->opt.want, "md5,sha256", NULL);
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:qh", acquire_options, NULL)) != -1) {
		if (ch == 'h') {
			fputs(acquire_usage, stdout);
			return -1;
		}
		if (ch == '?' || ch == ':')
			return cu_error_set(err, CU_EUSAGE,
			                    "option '%s' is unknown or lacks its value",
			                    argv[optind - 1]);
		if ((rc = acquire_parse_one(c, ch, optarg, err)))
			return rc;
		if (ch >= OPT_CASE && ch != OPT_JSON && ch != OPT_THREADS && ch != OPT_RESUME &&
		    ch != OPT_CHECKPOINT && ch != OPT_NO_WRITE_BLOCK && ch != OPT_VERIFY &&
		    ch != OPT_VERIFY_SOURCE)
			c->settings_given = true;
	}
	if (optind != argc - 1)
		return cu_error_set(err, CU_EUSAGE, "give exactly one SOURCE (see --help)");
	c->opt.source = argv[optind];
	if (acquire_command_line(c, argc, argv))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (!c->opt.base)
		return cu_error_set(err, CU_EUSAGE, "-o BASE is required (see --help)");
	if (c->opt.resume)
		return acquire_load_journal(c, err);
	if (acq_raw_target_is_device(c->opt.base)) {
		if (c->format_given && c->opt.format != ACQ_FORMAT_RAW)
			return cu_error_set(
			    err, CU_EUSAGE,
			    "-o %s is a drive: a clone is written with --format raw", c->opt.base);
		c->opt.format = ACQ_FORMAT_RAW;
	}
	return CU_OK;
}

/*
 * SIGINT, SIGTERM and SIGHUP are blocked for every thread and read from a
 * signalfd by the reader, so that an interrupted acquisition always leaves
 * through the same door: the source's read-only flag restored, partial
 * files removed.
 */
static int acquire_block_signals(sigset_t *old_mask)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &mask, old_mask) != 0)
		return -1;
	return signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* The custody log beside the evidence, its first event the acquisition record. */
static int acquire_start_custody(const struct acq_options *o, const struct acq_result *res,
                                 struct cu_error *err)
{
	struct custody_event ev = {
	    .action = "acquired",
	    .by = o->meta.examiner && o->meta.examiner[0] ? o->meta.examiner : "custos",
	    .note = o->meta.notes && o->meta.notes[0] ? o->meta.notes : NULL,
	};
	char *path = cu_path_custody_log(o->base), *record = NULL;
	int rc = path ? acq_record_xml(o, res, &record, err)
	              : cu_error_set(err, CU_EFAIL, "out of memory");

	ev.xml = record;
	if (!rc)
		rc = custody_create(path, &ev, &res->media, err);
	free(record);
	free(path);
	return rc;
}

int cmd_acquire(int argc, char **argv)
{
	struct acquire_cli c;
	struct acq_progress progress;
	struct acq_result res;
	sigset_t old_mask;
	int cancel_fd;
	struct cu_error err = {0};
	int rc;

	memset(&c, 0, sizeof(c));
	rc = acquire_parse(&c, argc, argv, &err);
	if (rc) {
		acq_resume_file_free(&c.journal);
		free(c.command_line);
		return rc < 0 ? 0 : builtin_fail("acquire", rc, err.msg);
	}
	if (!c.quiet && isatty(STDERR_FILENO)) {
		acq_progress_init(&progress, stderr);
		c.opt.progress = acq_progress_update;
		c.opt.progress_ctx = &progress;
	}
	cancel_fd = acquire_block_signals(&old_mask);
	if (cancel_fd >= 0)
		c.opt.cancel_fd = &cancel_fd;
	rc = acq_run(&c.opt, &res, &err);
	if (cancel_fd >= 0) {
		close(cancel_fd);
		pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	}
	if (c.opt.progress)
		acq_progress_end(&progress);
	if (c.json)
		acq_summary_json(stdout, &c.opt, &res);
	if (res.n_segments && !c.quiet)
		acq_summary_text(c.json ? stderr : stdout, &c.opt, &res);
	if (!rc && !acq_raw_target_is_device(c.opt.base))
		rc = acquire_start_custody(&c.opt, &res, &err);
	if (rc)
		builtin_fail("acquire", rc, err.msg);
	else
		rc = res.outcome == ACQ_COMPLETE_WITH_ERRORS ? CU_EPARTIAL : CU_OK;
	acq_result_free(&res);
	acq_resume_file_free(&c.journal);
	free(c.command_line);
	return rc;
}
