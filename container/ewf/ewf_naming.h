/*
 * ewf_naming.h - segment file names: BASE.E01 ... BASE.E99, BASE.EAA ...
 * BASE.EZZ, BASE.FAA ... BASE.ZZZ (14971 segments in all).
 */
#ifndef CUSTOS_CONTAINER_EWF_NAMING_H
#define CUSTOS_CONTAINER_EWF_NAMING_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

/* Writes the 3-letter extension of segment `n` (1-based); -1 past .ZZZ. */
int ewf_segment_extension(char out[4], uint32_t n);

/* "BASE.E01" into out; -1 if it does not fit or n is out of range. */
int ewf_segment_path(char *out, size_t cap, const char *base, uint32_t n);

/* The name segment `n` has in the naming scheme of `first`: t.E01 -> t.E02, t.s01 -> t.s02. */
int ewf_segment_sibling(char *out, size_t cap, const char *first, uint32_t n);

/*
 * Refuses (CU_EUSAGE, naming it) any file beside `base` that is, or is
 * becoming, part of an EWF set of that name: BASE.E01, BASE.EAB, BASE.e01,
 * BASE.E01.partial, ...
 */
int ewf_set_refuse_existing(const char *base, struct cu_error *err);

#endif
