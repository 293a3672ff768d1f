/*
 * parse.h - option values: sizes with units, bounded integers, choices.
 *
 * Every parser takes the option's name so that its one-line error says which
 * option was wrong and what it accepts.
 */
#ifndef CUSTOS_LIB_PARSE_H
#define CUSTOS_LIB_PARSE_H

#include <stdint.h>

#include "lib/error.h"

/*
 * A byte size: a decimal number, optionally with a fraction, and a unit.
 * B, K/KiB, M/MiB, G/GiB, T/TiB are powers of 1024; KB, MB, GB, TB powers of
 * 1000.  "1.4GiB" is 1503238553 (fractions round down to whole bytes).
 */
int cu_parse_size(uint64_t *out, const char *opt, const char *text, struct cu_error *err);

/* A whole decimal number in [min, max]. */
int cu_parse_u64(uint64_t *out, const char *opt, const char *text, uint64_t min, uint64_t max,
                 struct cu_error *err);

/* A non-negative number of seconds, with an optional fraction ("0.25"). */
int cu_parse_seconds(double *out, const char *opt, const char *text, struct cu_error *err);

/* Index of `text` in the NULL-terminated `choices`. */
int cu_parse_choice(int *out, const char *opt, const char *text, const char *const *choices,
                    struct cu_error *err);

/* Formats a byte count for people: "1.4 GiB (1503238553 bytes)". */
void cu_format_size(char *out, size_t cap, uint64_t bytes);

#endif
