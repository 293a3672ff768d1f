/*
 * ddrescue_map.h - reading the mapfile GNU ddrescue kept while it rescued a
 * failing drive into an image, so that custos can wrap that image into E01
 * with exactly the map's unrescued areas recorded as read errors.
 */
#ifndef CUSTOS_ACQUIRE_DDRESCUE_MAP_H
#define CUSTOS_ACQUIRE_DDRESCUE_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/error.h"
#include "lib/ranges.h"

struct ddrescue_window {
	uint64_t start;     /* where the window starts in the source (and the map) */
	uint64_t size;      /* in: the window; out: grown to the map's extent when `grow` */
	uint64_t image_end; /* where the image's data ends (absolute) */
	bool grow;          /* the drive was larger than the image: take the map's size */
	uint32_t unit;      /* unreadable areas widen to whole units of this */
};

/*
 * Loads `path` and appends to `missing` every part of the window that the
 * map does not mark rescued ('+'): bad sectors, areas non-tried, non-trimmed
 * or non-scraped, and whatever lies past the map; as window offsets widened
 * to whole units.  ddrescue leaves an unreadable tail out of the image, so
 * with `grow` the window extends to the map's end.  A malformed map, or one
 * that claims rescued bytes past the image's end, is a usage error.
 */
int acq_ddrescue_map_load(const char *path, struct ddrescue_window *w, struct cu_ranges *missing,
                          struct cu_error *err);

/* As acq_ddrescue_map_load, from the map's text (`path` names it in messages). */
int acq_ddrescue_map_parse(const char *text, size_t len, const char *path,
                           struct ddrescue_window *w, struct cu_ranges *missing,
                           struct cu_error *err);

/* Where a rescue stands, by the map: bytes in each state, and the phase. */
struct ddrescue_tally {
	char phase; /* the status line's: ? copying, * trimming, / scraping, - retrying, + done */
	uint64_t rescued, untried, untrimmed, unscraped, bad;
};

/* Reads `path` as acq_ddrescue_map_load does, and tallies it. */
int acq_ddrescue_map_tally(const char *path, struct ddrescue_tally *t, struct cu_error *err);

/* "copying", "trimming", "scraping", "retrying", "finished" ... for a phase character. */
const char *acq_ddrescue_phase_name(char phase);

#endif
