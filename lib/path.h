/*
 * path.h - the names of the files of an evidence set, and building paths
 * that never come out truncated.
 *
 * An evidence set BASE is its segments (BASE.E01 ...), the custody log
 * beside it (BASE.custody.xml) and, while an acquisition is interrupted,
 * its resume file (BASE.resume); files being written carry ".partial" until
 * they are complete.  Every path custos builds goes through cu_path_build,
 * which fails with a message rather than cut a name short: a truncated path
 * could name another case's file.
 *
 * Paths are bytes, not text.  Where one is recorded in XML or JSON,
 * cu_path_escape writes it losslessly: bytes that are not UTF-8 text XML
 * can hold become \xHH, and a backslash becomes \\.
 */
#ifndef CUSTOS_LIB_PATH_H
#define CUSTOS_LIB_PATH_H

#include <stddef.h>

#include "lib/error.h"

#define CU_PARTIAL_SUFFIX    ".partial"
#define CU_RESUME_SUFFIX     ".resume"
#define CU_CUSTODY_SUFFIX    ".custody.xml"
#define CU_SPOOL_SUFFIX      ".rescue.img" /* acquire --rescue: what ddrescue copied */
#define CU_RESCUE_MAP_SUFFIX ".rescue.map" /* and its mapfile, when --mapfile is not given */

/* printf into `out`; CU_EUSAGE with a message if it does not fit. */
int cu_path_build(char *out, size_t cap, struct cu_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* `base` followed by `suffix`, malloc'ed; NULL when out of memory. */
char *cu_path_suffixed(const char *base, const char *suffix);

/*
 * `path` made absolute against the working directory (malloc'ed; an absolute
 * path is copied, links are not followed, leading "./" dropped), so that
 * what custos keeps means the same file wherever it is read again.  NULL
 * with errno set when the working directory cannot be had or memory runs out.
 */
char *cu_path_absolute(const char *path);

/*
 * The BASE of an evidence file or of a base: "x/t.E01", "x/t.e01",
 * "x/t.s01", "x/t.EAB" and "x/t" all give "x/t" (malloc'ed).
 */
char *cu_path_set_base(const char *evidence_or_base);

/*
 * Whether `ext` (after the dot) names a file of an evidence set: a segment
 * (E01..E99, EAA..ZZZ; e01..e99, eaa..ezz; s01..), a raw image (raw) or
 * one of its parts (001, 002, ...).
 */
int cu_path_member_extension(const char *ext);

/* The custody log and the resume file of a set named by any of its files. */
char *cu_path_custody_log(const char *evidence_or_base);
char *cu_path_resume_file(const char *base);

/*
 * Looks beside `base` for a file "BASE.EXT" (or "BASE.EXT.partial") whose
 * EXT `is_member` accepts.  Returns 1 with its path in `found`, 0 if there
 * is none, or CU_EUSAGE's negation when the directory cannot be read.
 */
int cu_path_find_member(const char *base, int (*is_member)(const char *ext), char *found,
                        size_t cap, struct cu_error *err);

/* CU_EUSAGE, naming it, when a member of the set `base` exists; CU_OK when none does. */
int cu_path_refuse_member(const char *base, int (*is_member)(const char *ext),
                          struct cu_error *err);

/* The lossless text form of a path (malloc'ed); NULL when out of memory. */
char *cu_path_escape(const char *path);

#endif
