/*
 * mapfile.h - a GNU ddrescue mapfile of the acquisition, kept current.
 *
 * The map says, for every byte of the source, whether it was read ('+'),
 * found unreadable ('-'), or not tried yet ('?'), so that ddrescueview shows
 * the run and GNU ddrescue can take over a drive custos could not finish.
 * Positions are those of the source device or file (the window's offset
 * included).  The file is rewritten atomically (temporary file, fsync,
 * rename) every few seconds and when the acquisition ends.
 */
#ifndef CUSTOS_ACQUIRE_MAPFILE_H
#define CUSTOS_ACQUIRE_MAPFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/ranges.h"

struct acq_mapfile;

/* Writes the first map: all of [start, start + size) not tried. */
int acq_mapfile_open(struct acq_mapfile **out, const char *path, uint64_t start, uint64_t size,
                     const char *command_line, struct cu_error *err);

/*
 * Everything before window offset `done` has been tried; `bad` (window
 * offsets, ascending, after anything given before) could not be read.
 * Saves the map when the last save is a few seconds old.
 */
int acq_mapfile_advance(struct acq_mapfile *m, uint64_t done, const struct cu_range *bad,
                        size_t n_bad, struct cu_error *err);

/* Saves the map a last time; `finished` marks the run complete. */
int acq_mapfile_close(struct acq_mapfile *m, bool finished, struct cu_error *err);

void acq_mapfile_free(struct acq_mapfile *m);

#endif
