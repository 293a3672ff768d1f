/*
 * par2.h - PAR2 recovery data made, checked and used by par2cmdline
 * (Debian's par2), run as a subprocess as GNU ddrescue is.
 *
 * PAR2 is the open format archivists use for parity: a Reed-Solomon code
 * over blocks of the files, with the MD5 and CRC32 of every block, so that
 * anyone can check or repair the evidence files with `par2 repair` and no
 * custos at all.  custos does not parse the format: par2cmdline, a
 * well-kept tool, writes and reads it, and its exit status says what it
 * found (0 intact, 1 repairable, 2 not repairable).
 *
 * Every call gives par2 the directory of the data files (`base_dir`, its
 * -B), under which it records their names, and the index file (NAME.par2) wherever it lies, by an
 * absolute path; the recovery volumes are the NAME.vol*.par2 beside it.
 */
#ifndef CUSTOS_CONTAINER_PARITY_PAR2_H
#define CUSTOS_CONTAINER_PARITY_PAR2_H

#include <stddef.h>
#include <stdint.h>

#include "container/parity/parity.h"
#include "lib/error.h"

#define PAR2_TOOL "par2"

/* par2cmdline's version line ("par2cmdline version 0.8.1"), or CU_EUSAGE when it is missing. */
int par2_version(char *out, size_t cap, struct cu_error *err);

/*
 * Creates `index` (and its recovery volumes beside it) protecting the
 * files `paths` (absolute, under `base_dir`, which par2 records them
 * relative to) with `percent` redundancy in
 * `blocks` source blocks (0: par2's choice).
 */
int par2_create(const char *index, const char *base_dir, const char *const *paths, size_t n,
                unsigned percent, unsigned blocks, struct cu_error *err);

/* Checks the files against `index`; reads every byte of them. */
int par2_verify(const char *index, const char *base_dir, struct parity_check *out,
                struct cu_error *err);

/*
 * Rebuilds what is damaged or missing under `base_dir`, in the one pass
 * that also judges it: par2 renames a damaged file aside (NAME.1) and
 * writes a new NAME; a file that is missing is written.  Give it a
 * directory of its own.  out->state is PARITY_NOT_REPAIRABLE (nothing
 * written) when the parity does not suffice, else PARITY_INTACT.
 */
int par2_repair(const char *index, const char *base_dir, struct parity_check *out,
                struct cu_error *err);

#endif
