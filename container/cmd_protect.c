/*
 * cmd_protect.c - `custos protect EVIDENCE --parity PERCENT`: PAR2 parity
 * beside a set in custody, recorded in its custody log.
 *
 * Only an intact set is protected: every file the custody log records must
 * have its recorded size and SHA-256 (parity of damaged files would only
 * make the damage permanent).  par2cmdline writes the parity into a private
 * directory beside the set; the files are then linked into place, never
 * over a file that is there, so that an interrupted run leaves no parity
 * that looks complete, and the "protected" event (each parity file's name,
 * size and SHA-256, the redundancy, the tool) is appended last: parity the
 * log does not record is never used by repair.
 */
#include <dirent.h>
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
#include "container/cmd_protect.h"
#include "lib/hash_files.h"
#include "lib/meta.h"
#include "lib/parse.h"
#include "lib/path.h"
#include "lib/text.h"
#include "lib/xml.h"

struct protect_files {
	char name[16][256]; /* what par2 wrote: the index and its volumes */
	size_t n;
};

/* Moves what par2 wrote in `stage` beside the set, over nothing; on failure removes what moved. */
static int protect_place(const struct parity_set *ps, const char *stage, struct protect_files *f,
                         struct cu_error *err)
{
	DIR *d = opendir(stage);
	struct dirent *e;
	char from[4096], to[4096];
	int rc = d ? CU_OK : cu_error_errno(err, CU_EFAIL, errno, "cannot read %s", stage);

	while (!rc && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (f->n == sizeof(f->name) / sizeof(f->name[0]) ||
		    strlen(e->d_name) >= sizeof(f->name[0]))
			rc = cu_error_set(err, CU_EFAIL, "par2 wrote files custos does not expect");
		else if (!(rc =
		               cu_path_build(from, sizeof(from), err, "%s/%s", stage, e->d_name)) &&
		         !(rc = parity_set_path(ps, e->d_name, to, sizeof(to), err))) {
			if (link(from, to) != 0)
				rc = cu_error_errno(err, CU_EFAIL, errno, "cannot place %s", to);
			else
				snprintf(f->name[f->n++], sizeof(f->name[0]), "%s", e->d_name);
		}
	}
	if (d)
		closedir(d);
	for (size_t i = 0; rc && i < f->n; i++)
		if (!parity_set_path(ps, f->name[i], to, sizeof(to), NULL))
			unlink(to);
	return rc;
}

/* The "protected" event's record: the parity files with their sizes and SHA-256. */
static int protect_record(const struct parity_set *ps, const struct protect_files *f,
                          unsigned percent, enum parity_format format, const char *tool, char **xml,
                          struct cu_error *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char path[4096], hex[65];
	uint8_t sha[32];
	int rc = w ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	if (w) {
		xmlTextWriterStartElementNS(w, NULL, BAD_CAST "parity", BAD_CAST CU_CUSTODY_NS);
		xmlTextWriterWriteAttribute(w, BAD_CAST "format",
		                            BAD_CAST parity_format_name(format));
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "percent", "%u", percent);
		xmlTextWriterWriteAttribute(w, BAD_CAST "tool", BAD_CAST tool);
	}
	for (size_t i = 0; !rc && i < f->n; i++) {
		struct stat st;

		if ((rc = parity_set_path(ps, f->name[i], path, sizeof(path), err)) ||
		    (rc = cu_hash_file_sha256(path, sha, err)))
			break;
		if (stat(path, &st) != 0) {
			rc = cu_error_errno(err, CU_EFAIL, errno, "cannot read %s", path);
			break;
		}
		cu_hex(hex, sha, 32);
		xmlTextWriterStartElement(w, BAD_CAST "file");
		xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST f->name[i]);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "size", "%llu",
		                                  (unsigned long long)st.st_size);
		xmlTextWriterWriteAttribute(w, BAD_CAST "sha256", BAD_CAST hex);
		xmlTextWriterEndElement(w);
	}
	if (w) {
		xmlTextWriterEndElement(w);
		xmlFreeTextWriter(w);
	}
	if (!rc && !(*xml = strdup((const char *)xmlBufferContent(buf))))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	xmlBufferFree(buf);
	return rc;
}

/* The set's files for par2: absolute paths (par2 keeps their names relative to the set's
 * directory). */
static int protect_names(const struct parity_set *ps, char ***names, struct cu_error *err)
{
	int rc = CU_OK;

	if (!(*names = calloc(ps->n_segments + 1, sizeof(**names))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; !rc && i < ps->n_segments; i++)
		if (!((*names)[i] = malloc(4096)))
			rc = cu_error_set(err, CU_EFAIL, "out of memory");
		else
			rc = parity_set_path(ps, ps->segments[i].name, (*names)[i], 4096, err);
	return rc;
}

static void protect_names_free(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

/* The set must be intact, unprotected, and its parity names free. */
static int protect_check(const struct parity_set *ps, struct cu_error *err)
{
	bool *damaged = calloc(ps->n_segments, sizeof(*damaged));
	size_t n = 0;
	int rc = damaged ? parity_set_damaged(ps, damaged, &n, err)
	                 : cu_error_set(err, CU_EFAIL, "out of memory");

	for (size_t i = 0; !rc && i < ps->n_segments; i++)
		if (damaged[i])
			rc = cu_error_set(
			    err, CU_EFAIL,
			    "%s/%s is missing or not what the custody log records: only an "
			    "intact set is protected (custos verify --segments)",
			    ps->dir, ps->segments[i].name);
	free(damaged);
	if (!rc && ps->parity.n)
		rc = cu_error_set(err, CU_EUSAGE,
		                  "%s is protected already: its custody log records %zu parity "
		                  "file(s)",
		                  ps->first, ps->parity.n);
	return rc;
}

int protect_set(const char *evidence, unsigned percent, enum parity_format format, const char *by,
                struct custody_seal *seal, char *summary, size_t cap, struct cu_error *err)
{
	struct parity_set ps;
	struct protect_files f = {.n = 0};
	struct custody_binding binding;
	char stage[4096], index[4096], tool[128], *xml = NULL, note[128];
	const char *slash;
	char **names = NULL;
	int rc = parity_set_open(&ps, evidence, true, err);

	if (!rc)
		rc = protect_check(&ps, err);
	if (!rc)
		rc = parity_tool(format, tool, sizeof(tool), err);
	if (!rc && !(rc = protect_names(&ps, &names, err))) {
		slash = strrchr(ps.first, '/');
		if (!(rc = cu_path_build(stage, sizeof(stage), err, "%s/.%s.parity.XXXXXX", ps.dir,
		                         slash ? slash + 1 : ps.first)) &&
		    !mkdtemp(stage))
			rc = cu_error_errno(err, CU_EFAIL, errno, "cannot make a directory in %s",
			                    ps.dir);
		if (!rc) {
			char *base = cu_path_set_base(slash ? slash + 1 : ps.first);

			rc = base ? cu_path_build(index, sizeof(index), err, "%s/%s%s", stage, base,
			                          parity_index_suffix(format))
			          : cu_error_set(err, CU_EFAIL, "out of memory");
			free(base);
			if (!rc)
				rc =
				    parity_create(format, index, ps.dir, (const char *const *)names,
				                  ps.n_segments, percent, err);
			if (!rc)
				rc = protect_place(&ps, stage, &f, err);
			parity_stage_remove(stage);
		}
	}
	if (!rc)
		rc = protect_record(&ps, &f, percent, format, tool, &xml, err);
	if (!rc)
		rc = custody_binding_of(ps.first, ps.log, &binding, err);
	if (!rc) {
		snprintf(note, sizeof(note), "%s parity, %u%% redundancy, %zu file(s)",
		         parity_format_name(format), percent, f.n);
		struct custody_event ev = {
		    .action = "protected", .by = by, .note = note, .xml = xml};

		rc = custody_append(ps.log_path, &ev, &binding, seal, CUSTODY_LOCK_SECONDS, err);
	}
	if (rc) { /* nothing the log does not record is left */
		char path[4096];

		for (size_t i = 0; i < f.n; i++)
			if (!parity_set_path(&ps, f.name[i], path, sizeof(path), NULL))
				unlink(path);
	} else if (summary) {
		snprintf(summary, cap,
		         "%s: %s parity of %u%% written beside it (%zu file(s)), "
		         "recorded in its custody log",
		         ps.first, parity_format_name(format), percent, f.n);
	}
	free(xml);
	protect_names_free(names);
	parity_set_close(&ps);
	return rc;
}

struct protect_args {
	unsigned percent;
	enum parity_format format;
	struct builtin_signing signing;
};

static int protect_take(void *ctx, int key, const char *name, const char *value,
                        struct cu_error *err)
{
	struct protect_args *a = ctx;
	uint64_t n;

	(void)name;
	if (builtin_signing_take(&a->signing, key, value))
		return CU_OK;
	if (key == 'F')
		return parity_format_parse(value, &a->format)
		           ? CU_OK
		           : cu_error_set(err, CU_EUSAGE,
		                          "--parity-format: '%s' is neither par2 nor rs", value);
	if (key != 'r')
		return cu_error_set(err, CU_EUSAGE, "unknown option (see custos protect --help)");
	if (cu_parse_u64(&n, "--parity", value, 1, PROTECT_PERCENT_MAX, err))
		return CU_EUSAGE;
	a->percent = (unsigned)n;
	return CU_OK;
}

int cmd_protect(int argc, char **argv)
{
	struct protect_args a = {0};
	struct cu_error err = {0};
	char summary[CU_ERROR_MSG_MAX];
	int rc = builtin_parse(&command_protect, argc, argv, 1, protect_take, &a, &err);

	if (!rc && optind + 1 != argc)
		rc = cu_error_set(&err, CU_EUSAGE, "give one evidence set");
	if (!rc && !a.percent)
		rc = cu_error_set(&err, CU_EUSAGE, "give --parity PERCENT (1 to 100)");
	if (!rc)
		rc = builtin_signing_settle(&a.signing, &err);
	if (!rc)
		rc = builtin_signing_probe(&a.signing, &err); /* the TSA answers before any work */
	if (!rc)
		rc = protect_set(argv[optind], a.percent, a.format, a.signing.by, &a.signing.seal,
		                 summary, sizeof(summary), &err);
	if (!rc) {
		fputs("custos protect: ", stdout);
		cu_text_fput(summary, stdout);
		putchar('\n');
	}
	builtin_signing_free(&a.signing);
	if (rc > 0)
		return builtin_fail("protect", rc, err.msg);
	return rc < 0 ? 0 : rc;
}
