/*
 * parse.c - strict parsing of option values.
 *
 * Nothing is accepted loosely: trailing junk, overflow, an empty string or a
 * negative number is an error naming the option.
 */
#include "lib/parse.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct size_unit {
	const char *name;
	uint64_t mult;
};

static const struct size_unit size_units[] = {
    {"", 1},
    {"B", 1},
    {"K", 1ULL << 10},
    {"KiB", 1ULL << 10},
    {"KB", 1000ULL},
    {"M", 1ULL << 20},
    {"MiB", 1ULL << 20},
    {"MB", 1000000ULL},
    {"G", 1ULL << 30},
    {"GiB", 1ULL << 30},
    {"GB", 1000000000ULL},
    {"T", 1ULL << 40},
    {"TiB", 1ULL << 40},
    {"TB", 1000000000000ULL},
};

static int size_unit_find(uint64_t *mult, const char *unit)
{
	for (size_t i = 0; i < sizeof(size_units) / sizeof(size_units[0]); i++) {
		if (strcasecmp(unit, size_units[i].name) == 0) {
			*mult = size_units[i].mult;
			return 0;
		}
	}
	return -1;
}

/* Reads digits into *value; returns how many, or -1 on overflow. */
static int read_digits(const char **p, uint64_t *value, uint64_t *scale)
{
	int n = 0;

	*value = 0;
	*scale = 1;
	while (isdigit((unsigned char)**p)) {
		if (*value > (UINT64_MAX - 9) / 10 || *scale > UINT64_MAX / 10)
			return -1;
		*value = *value * 10 + (uint64_t)(**p - '0');
		*scale *= 10;
		(*p)++;
		n++;
	}
	return n;
}

int cu_parse_size(uint64_t *out, const char *opt, const char *text, struct cu_error *err)
{
	const char *p = text;
	uint64_t whole, frac = 0, frac_scale = 1, scale, mult;
	int nwhole, nfrac = 0;

	nwhole = read_digits(&p, &whole, &scale);
	if (*p == '.') {
		p++;
		nfrac = read_digits(&p, &frac, &frac_scale);
	}
	if (nwhole < 0 || nfrac < 0 || (nwhole == 0 && nfrac == 0) || size_unit_find(&mult, p))
		return cu_error_set(err, CU_EUSAGE,
		                    "%s: '%s' is not a size (examples: 4096, 640MiB, 1.4GiB)", opt,
		                    text);
	if (whole > UINT64_MAX / mult)
		return cu_error_set(err, CU_EUSAGE, "%s: '%s' is too large", opt, text);
	*out = whole * mult;
	if (frac) {
		/* frac / frac_scale * mult, without overflow for sane inputs */
		unsigned __int128 part = (unsigned __int128)frac * mult / frac_scale;

		if (part > UINT64_MAX - *out)
			return cu_error_set(err, CU_EUSAGE, "%s: '%s' is too large", opt, text);
		*out += (uint64_t)part;
	}
	return CU_OK;
}

int cu_parse_u64(uint64_t *out, const char *opt, const char *text, uint64_t min, uint64_t max,
                 struct cu_error *err)
{
	const char *p = text;
	uint64_t value, scale;
	int n = read_digits(&p, &value, &scale);

	if (n <= 0 || *p != '\0')
		return cu_error_set(err, CU_EUSAGE, "%s: '%s' is not a whole number", opt, text);
	if (value < min || value > max)
		return cu_error_set(err, CU_EUSAGE,
		                    "%s: %" PRIu64 " is out of range (%" PRIu64 " to %" PRIu64 ")",
		                    opt, value, min, max);
	*out = value;
	return CU_OK;
}

int cu_parse_seconds(double *out, const char *opt, const char *text, struct cu_error *err)
{
	uint64_t size;

	/* the grammar is that of a size without a unit: digits, an optional fraction */
	if (cu_parse_size(&size, opt, text, NULL) != CU_OK || strpbrk(text, "KMGTBkmgtbi"))
		return cu_error_set(err, CU_EUSAGE, "%s: '%s' is not a number of seconds", opt,
		                    text);
	*out = strtod(text, NULL);
	return CU_OK;
}

int cu_parse_choice(int *out, const char *opt, const char *text, const char *const *choices,
                    struct cu_error *err)
{
	char list[256] = "";

	for (int i = 0; choices[i]; i++) {
		if (strcmp(text, choices[i]) == 0) {
			*out = i;
			return CU_OK;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
		         choices[i]);
	}
	return cu_error_set(err, CU_EUSAGE, "%s: '%s' is not one of %s", opt, text, list);
}

void cu_format_size(char *out, size_t cap, uint64_t bytes)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(out, cap, "%" PRIu64 " bytes", bytes);
	else
		snprintf(out, cap, "%.1f %s (%" PRIu64 " bytes)", v, units[u], bytes);
}
