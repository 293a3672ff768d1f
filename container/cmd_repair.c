/*
 * cmd_repair.c - `custos repair EVIDENCE`: the files of a set that are
 * damaged or missing, rebuilt from the PAR2 parity its custody log records.
 *
 * The parity files are judged by the SHA-256 the custody log records for
 * each.  par2cmdline then judges the set's files and rebuilds those that
 * are damaged or missing, in one pass, in a private directory beside the
 * set holding links to its files, so that nothing of the set is written; a
 * repair that cannot restore every byte changes nothing, and says how many
 * more recovery blocks it would need.  Each rebuilt file must have the
 * size and SHA-256 the custody log records.  Only then is each damaged file
 * moved aside (NAME.damaged) and the rebuilt one put in its place; a full
 * verify of the set (every chunk, every stored digest) must then match,
 * and a "repaired" event names every file rebuilt with its SHA-256 before
 * and after.  If the verify or the event fails, every file is put back as
 * it was; once both hold, the damaged files are removed.
 */
#include <errno.h>
#include <getopt.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/builtin.h"
#include "container/cmd_parity.h"
#include "container/cmd_verify.h"
#include "lib/hash_files.h"
#include "lib/meta.h"
#include "lib/path.h"
#include "lib/text.h"
#include "lib/xml.h"

/* One file rebuilt: where it is, and its SHA-256 before (when there was a file) and after. */
struct repair_file {
	const struct custody_segment *rec;
	char path[4096], aside[4096], rebuilt[4096];
	bool existed, hashed, moved_aside, placed;
	uint8_t before[32];
};

struct repair {
	struct parity_set ps;
	struct repair_file *files;
	size_t n;
	char stage[4096], index[4096];
	bool staged;
};

/* The set's files as they lie: regular or missing; a link or a FIFO is refused before par2. */
static int repair_check_files(struct repair *r, struct cu_error *err)
{
	char path[4096];
	struct stat st;
	int rc;

	for (size_t i = 0; i < r->ps.n_segments; i++) {
		if ((rc = parity_set_path(&r->ps, r->ps.segments[i].name, path, sizeof(path), err)))
			return rc;
		if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
			return cu_error_set(
			    err, CU_EUSAGE,
			    "%s is %s, not a file of evidence: refused; nothing was "
			    "changed",
			    path, S_ISLNK(st.st_mode) ? "a link" : "not a regular file");
	}
	return r->ps.n_segments ? CU_OK : cu_error_set(err, CU_EFAIL, "no files recorded");
}

/* A file par2 wrote in the stage: it must be as recorded, and its aside name free. */
static int repair_take_rebuilt(struct repair *r, const struct custody_segment *rec,
                               struct cu_error *err)
{
	struct repair_file *f = &r->files[r->n];
	uint8_t after[32];
	struct stat st;
	int rc;

	f->rec = rec;
	if ((rc = cu_path_build(f->rebuilt, sizeof(f->rebuilt), err, "%s/%s", r->stage, rec->name)))
		return rc;
	if (lstat(f->rebuilt, &st) != 0 || !S_ISREG(st.st_mode))
		return CU_OK; /* a link to the set's own file: par2 found it whole */
	r->n++;
	if ((rc = parity_set_path(&r->ps, rec->name, f->path, sizeof(f->path), err)) ||
	    (rc = cu_path_build(f->aside, sizeof(f->aside), err, "%s.damaged", f->path)))
		return rc;
	if ((uint64_t)st.st_size != rec->size || !rec->have_sha256 ||
	    (rc = cu_hash_file_sha256(f->rebuilt, after, err)) || memcmp(after, rec->sha256, 32))
		return rc ? rc
		          : cu_error_set(err, CU_EFAIL,
		                         "par2 rebuilt %s, but not as the custody log records it; "
		                         "nothing was changed",
		                         rec->name);
	if (lstat(f->aside, &st) == 0)
		return cu_error_set(err, CU_EUSAGE,
		                    "%s is there already, from an earlier repair: move it away "
		                    "first; nothing was changed",
		                    f->aside);
	f->existed = lstat(f->path, &st) == 0;
	if (f->existed && !(rc = cu_hash_file_sha256(f->path, f->before, err)))
		f->hashed = true;
	return rc;
}

/*
 * The parity's engine (par2, or ISA-L) judges and rebuilds in one pass,
 * into the stage (links to the set's files): what it wrote there as files
 * is what was damaged or missing.
 */
static int repair_rebuild(struct repair *r, struct cu_error *err)
{
	struct parity_check check;
	int rc;

	if ((rc = parity_set_check_parity(&r->ps, err)) ||
	    (rc = parity_stage_make(&r->ps, true, r->stage, sizeof(r->stage), r->index,
	                            sizeof(r->index), err)))
		return rc;
	r->staged = true;
	if ((rc = parity_repair(r->ps.format, r->index, r->stage, &check, err)))
		return rc;
	if (check.state == PARITY_NOT_REPAIRABLE)
		return check.blocks_needed
		           ? cu_error_set(
		                 err, CU_EFAIL,
		                 "cannot repair %s: the damage is beyond its parity (%u%%): "
		                 "%llu more %s would be needed; nothing was changed",
		                 r->ps.first, r->ps.parity.percent,
		                 (unsigned long long)check.blocks_needed, parity_unit(r->ps.format))
		           : cu_error_set(
		                 err, CU_EFAIL,
		                 "cannot repair %s: the damage is beyond its parity (%u%%); "
		                 "nothing was changed",
		                 r->ps.first, r->ps.parity.percent);
	if (!(r->files = calloc(r->ps.n_segments, sizeof(*r->files))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; !rc && i < r->ps.n_segments; i++)
		rc = repair_take_rebuilt(r, &r->ps.segments[i], err);
	return rc;
}

/* Each damaged file aside, each rebuilt one in its place (read-only, as evidence is). */
static int repair_swap(struct repair *r, struct cu_error *err)
{
	for (size_t i = 0; i < r->n; i++) {
		struct repair_file *f = &r->files[i];

		if (f->existed) {
			if (rename(f->path, f->aside) != 0)
				return cu_error_errno(err, CU_EFAIL, errno, "cannot move %s aside",
				                      f->path);
			f->moved_aside = true;
		}
		if (rename(f->rebuilt, f->path) != 0)
			return cu_error_errno(err, CU_EFAIL, errno, "cannot put %s in place",
			                      f->path);
		f->placed = true;
		chmod(f->path, 0444);
	}
	return CU_OK;
}

/* Every file as it was before the swap. */
static void repair_undo(struct repair *r)
{
	for (size_t i = r->n; i-- > 0;) {
		struct repair_file *f = &r->files[i];

		if (f->placed)
			unlink(f->path);
		if (f->moved_aside)
			rename(f->aside, f->path);
	}
}

/* The repaired set, verified in full. */
static int repair_verify(struct repair *r, struct cu_error *err)
{
	struct verify_set v = {0};
	struct verify_args a = {.scan_threads = 0};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc;

	a.scan_threads = cpus > 0 ? (unsigned)cpus : 1;
	if (!(v.evidence = strdup(r->ps.first)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	rc = verify_set_full(&v, &a, err);
	if (!rc && v.verdict != VERDICT_MATCH)
		rc = cu_error_set(
		    err, CU_EFAIL,
		    "the repaired set does not verify (%s): every file was put back as "
		    "it was",
		    v.msg);
	verify_set_free(&v);
	return rc;
}

/* The "repaired" event's record: each file rebuilt, its SHA-256 before and after. */
static int repair_record(const struct repair *r, char **xml, struct cu_error *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char hex[65];
	int rc = CU_OK;

	if (!w) {
		xmlBufferFree(buf);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	xmlTextWriterStartElementNS(w, NULL, BAD_CAST "repair", BAD_CAST CU_CUSTODY_NS);
	xmlTextWriterWriteAttribute(w, BAD_CAST "from", BAD_CAST parity_format_name(r->ps.format));
	for (size_t i = 0; i < r->n; i++) {
		const struct repair_file *f = &r->files[i];

		xmlTextWriterStartElement(w, BAD_CAST "file");
		xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST f->rec->name);
		xmlTextWriterWriteAttribute(w, BAD_CAST "was",
		                            BAD_CAST(f->existed ? "damaged" : "missing"));
		if (f->hashed) {
			cu_hex(hex, f->before, 32);
			xmlTextWriterWriteAttribute(w, BAD_CAST "before_sha256", BAD_CAST hex);
		}
		cu_hex(hex, f->rec->sha256, 32);
		xmlTextWriterWriteAttribute(w, BAD_CAST "after_sha256", BAD_CAST hex);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	xmlFreeTextWriter(w);
	if (!(*xml = strdup((const char *)xmlBufferContent(buf))))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	xmlBufferFree(buf);
	return rc;
}

static int repair_log(struct repair *r, const char *by, struct custody_seal *seal,
                      struct cu_error *err)
{
	struct custody_binding binding;
	char note[256], *xml = NULL;
	int rc = repair_record(r, &xml, err);

	snprintf(note, sizeof(note),
	         "%zu file(s) rebuilt from the %s parity; the set then verified in full: match",
	         r->n, parity_format_name(r->ps.format));
	struct custody_event ev = {.action = "repaired", .by = by, .note = note, .xml = xml};

	if (!rc)
		rc = custody_binding_of(r->ps.first, r->ps.log, &binding, err);
	if (!rc)
		rc = custody_append(r->ps.log_path, &ev, &binding, seal, CUSTODY_LOCK_SECONDS, err);
	free(xml);
	return rc;
}

static void repair_close(struct repair *r)
{
	if (r->staged)
		parity_stage_remove(r->stage);
	free(r->files);
	parity_set_close(&r->ps);
}

/* Prints what was rebuilt, or that nothing needed it; returns the exit status. */
static int repair_run(const char *evidence, const char *by, struct custody_seal *seal,
                      struct cu_error *err)
{
	struct repair r = {.n = 0};
	int rc = parity_set_open(&r.ps, evidence, false, err);

	if (!rc && !r.ps.parity.n)
		rc =
		    cu_error_set(err, CU_EUSAGE,
		                 "%s has no parity its custody log records: nothing to repair from "
		                 "(custos protect writes it)",
		                 r.ps.first);
	if (!rc && !(rc = repair_check_files(&r, err)))
		rc = repair_rebuild(&r, err);
	if (!rc && !r.n)
		printf("custos repair: %s: nothing to repair: its parity finds every file whole\n",
		       r.ps.first);
	if (!rc && r.n && !(rc = repair_swap(&r, err)) && !(rc = repair_verify(&r, err)))
		rc = repair_log(&r, by, seal, err);
	if (rc)
		repair_undo(&r);
	for (size_t i = 0; !rc && i < r.n; i++) {
		printf("custos repair: rebuilt %s (%s before)\n", r.files[i].path,
		       r.files[i].existed ? "damaged" : "missing");
		if (r.files[i].moved_aside)
			unlink(r.files[i].aside);
	}
	if (!rc && r.n)
		printf("custos repair: %s verifies in full: match; the custody log records the "
		       "repair\n",
		       r.ps.first);
	repair_close(&r);
	return rc;
}

static int repair_take_option(void *ctx, int key, const char *name, const char *value,
                              struct cu_error *err)
{
	(void)name;
	if (builtin_signing_take(ctx, key, value))
		return CU_OK;
	return cu_error_set(err, CU_EUSAGE, "unknown option (see custos repair --help)");
}

int cmd_repair(int argc, char **argv)
{
	struct builtin_signing s = {0};
	struct cu_error err = {0};
	int rc = builtin_parse(&command_repair, argc, argv, 1, repair_take_option, &s, &err);

	if (!rc && optind + 1 != argc)
		rc = cu_error_set(&err, CU_EUSAGE, "give one evidence set");
	if (!rc)
		rc = builtin_signing_settle(&s, &err);
	if (!rc)
		rc = builtin_signing_probe(&s, &err); /* the TSA answers before anything is read */
	if (!rc)
		rc = repair_run(argv[optind], s.by, &s.seal, &err);
	builtin_signing_free(&s);
	if (rc > 0)
		return builtin_fail("repair", rc, err.msg);
	return rc < 0 ? 0 : rc;
}
