/*
 * rescue_job.c - `acquire --rescue`: GNU ddrescue first, then E01.
 *
 * Phase 1 runs GNU ddrescue (rescue_engine.c) from the source, still open
 * and write-blocked, into BASE.rescue.img, a sparse spool, with its
 * mapfile.  Before it starts, BASE.resume records the settings, so that an
 * interruption anywhere (a signal, SIGKILL, a power loss) goes on with
 * --resume: ddrescue continues from its map, and the E01 is packed again
 * from the start.  Phase 2 is the acquisition of the spool, as of any
 * image ddrescue rescued: every area the map does not mark rescued is
 * known bad, zero-filled and recorded, never read; the media and the E01
 * are what the single pass would give for the same readable sectors.  The
 * record names the source (the drive), and what ran: ddrescue's version
 * and command line, and the map.  Once the E01 is complete and read back
 * through libewf with the same digests, the spool is removed; the map
 * stays, the record of what could not be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "acquire/rescue/ddrescue_map.h"
#include "acquire/job.h"
#include "acquire/rescue/rescue_engine.h"
#include "acquire/resume/resume.h"
#include "acquire/resume/resume_file.h"

/* A file --rescue keeps: absent (false), or a regular file (true); anything else refused. */
static int rescue_file_state(const char *path, const char *what, bool *exists, struct cu_error *err)
{
	struct stat st;

	*exists = lstat(path, &st) == 0;
	if (*exists && !S_ISREG(st.st_mode))
		return cu_error_set(err, CU_EUSAGE, "%s %s is not a regular file", what, path);
	return CU_OK;
}

/*
 * The map is there but the spool is gone: GNU ddrescue would trust the map,
 * never read its rescued areas again, and custos would pack zeros as the
 * drive's data.  Refused, unless the map says nothing was rescued yet.
 */
static int rescue_check_no_spool(struct acq_job *j, struct cu_error *err)
{
	struct ddrescue_tally t;
	int rc = acq_ddrescue_map_tally(j->o->mapfile, &t, err);

	if (rc)
		return rc;
	if (t.rescued == 0)
		return CU_OK;
	return cu_error_set(err, CU_EUSAGE,
	                    "cannot resume: the map %s says %llu bytes were rescued into the "
	                    "spool %s, which is gone; start again (remove the map and %s), or "
	                    "bring the spool back",
	                    j->o->mapfile, (unsigned long long)t.rescued, j->spool, j->resume_path);
}

int acq_rescue_check_files(struct acq_job *j, struct cu_error *err)
{
	bool spool, map;
	int rc;

	if ((rc = rescue_file_state(j->spool, "the spool", &spool, err)) ||
	    (rc = rescue_file_state(j->o->mapfile, "the mapfile", &map, err)))
		return rc;
	if (!j->o->resume && spool)
		return cu_error_set(err, CU_EUSAGE,
		                    "the spool %s exists: an earlier rescue to %s? go on with "
		                    "--resume, or remove it",
		                    j->spool, j->o->base);
	if (j->o->resume && spool && !map)
		return cu_error_set(err, CU_EUSAGE,
		                    "cannot resume: the spool %s is there, but not its map %s",
		                    j->spool, j->o->mapfile);
	if (j->o->resume && map && !spool)
		return rescue_check_no_spool(j, err);
	return CU_OK;
}

/* The spool may need the whole source: refused up front where it cannot fit. */
static int rescue_check_space(struct acq_job *j, struct cu_error *err)
{
	char *copy = strdup(j->spool);
	struct statvfs fs;
	struct stat st;
	uint64_t free_bytes, have = 0, need = j->res->source.size;
	int rc = CU_OK;

	if (!copy)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if (statvfs(dirname(copy), &fs) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot see the free space beside %s",
		                    j->o->base);
	free(copy);
	if (rc)
		return rc;
	if (stat(j->spool, &st) == 0) /* a rescue going on: what it has is there already */
		have = (uint64_t)st.st_blocks * 512;
	free_bytes = (uint64_t)fs.f_bavail * fs.f_frsize;
	if (have < need && free_bytes < need - have)
		return cu_error_set(err, CU_EUSAGE,
		                    "the spool %s may need %llu bytes (the source's readable data, "
		                    "at most its size) and its file system has %llu free",
		                    j->spool, (unsigned long long)(need - have),
		                    (unsigned long long)free_bytes);
	return CU_OK;
}

/* BASE.resume: the settings and the source, so that any interruption goes on. */
static int rescue_save_state(struct acq_job *j, struct cu_error *err)
{
	struct acq_resume_file rf;
	struct cu_ranges none = {0};
	int rc;

	acq_resume_describe(&rf, j->o, j->res, &none, 0);
	if ((rc = acq_resume_file_save(j->resume_path, &rf, err)))
		return rc;
	j->resumable = true;
	return CU_OK;
}

static void rescue_progress(void *ctx, const struct ddrescue_tally *t)
{
	const struct acq_job *j = ctx;

	j->o->rescue_progress(j->o->progress_ctx, acq_ddrescue_phase_name(t->phase), t->rescued,
	                      t->untried, t->bad + t->untrimmed + t->unscraped);
}

static int rescue_copy(struct acq_job *j, struct cu_error *err)
{
	struct acq_rescue_engine e = {.source = j->o->source,
	                              .spool = j->spool,
	                              .mapfile = j->o->mapfile,
	                              .sector_size = j->res->bytes_per_sector,
	                              .retries = j->o->retries,
	                              .direct = j->res->source.is_device,
	                              .cancel_fd = j->o->cancel_fd,
	                              .progress = j->o->rescue_progress ? rescue_progress : NULL,
	                              .progress_ctx = j};
	struct ddrescue_tally t;
	int rc;

	if (!(j->res->rescue.command_line = acq_rescue_engine_command(&e)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if ((rc = acq_rescue_engine_run(&e, err)) ||
	    (rc = acq_ddrescue_map_tally(j->o->mapfile, &t, err)))
		return rc;
	j->res->rescue.rescued = t.rescued;
	j->res->rescue.unreadable = t.bad + t.untrimmed + t.unscraped + t.untried;
	return CU_OK;
}

/* The spool, the size of the source (ddrescue leaves an unread tail out), in its place. */
static int rescue_switch_to_spool(struct acq_job *j, struct cu_error *err)
{
	struct source_options so = {.path = j->spool, .sysfs = j->o->sysfs};
	int fd = open(j->spool, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600), rc = CU_OK;

	if (fd < 0)
		return cu_error_errno(err, CU_EFAIL, errno, "cannot open the spool %s", j->spool);
	if (ftruncate(fd, (off_t)j->res->source.size) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot size the spool %s", j->spool);
	close(fd);
	if (rc)
		return rc;
	source_close(j->src); /* the drive's read-only flag as it was */
	j->src = NULL;
	if ((rc = source_open(&j->src, &so, err)))
		return rc;
	return acq_job_load_map(j, j->o->mapfile, false, err);
}

int acq_rescue_run(struct acq_job *j, struct cu_error *err)
{
	struct acq_rescue_info *info = &j->res->rescue;
	int rc;

	info->used = true;
	info->mapfile = j->o->mapfile;
	if ((rc = acq_rescue_engine_version(info->engine, sizeof(info->engine), err)) ||
	    (rc = rescue_check_space(j, err)) || (rc = rescue_save_state(j, err)) ||
	    (rc = rescue_copy(j, err)))
		return rc;
	return rescue_switch_to_spool(j, err);
}

void acq_rescue_done(struct acq_job *j)
{
	unlink(j->spool);
}
