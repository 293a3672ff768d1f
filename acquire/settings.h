/*
 * settings.h - every setting of an acquisition, spelled once.
 *
 * One table names each setting (its option and its key in BASE.resume),
 * its type and bounds, and whether it is kept in the resume file.  The
 * table drives the command line (getopt's options and --help are made from
 * it), the resume file (what is written, and how each value read back is
 * checked) and the comparison a resumed run makes: a value from BASE.resume
 * goes through exactly the parser and the checks of the command line.
 *
 * A setting "kept on resume" describes the evidence (its compression, its
 * chunks, the case): a resumed run takes it from BASE.resume, and refuses a
 * command line that gives another value.  The others (threads, --verify,
 * --quiet ...) say how this run goes, and may differ.
 */
#ifndef CUSTOS_ACQUIRE_SETTINGS_H
#define CUSTOS_ACQUIRE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "acquire/acquire.h"
#include "lib/error.h"

enum acq_setting_kind {
	ACQ_KIND_TEXT,    /* case metadata: UTF-8 an E01 header and XML can hold */
	ACQ_KIND_PATH,    /* a file name */
	ACQ_KIND_SIZE,    /* bytes, with units (parse.h) */
	ACQ_KIND_COUNT,   /* a whole number */
	ACQ_KIND_CHOICE,  /* one of `choices` */
	ACQ_KIND_FLAG,    /* no value on the command line; "yes"/"no" in BASE.resume */
	ACQ_KIND_SECONDS, /* a number of seconds */
	ACQ_KIND_HASHES   /* a list of digests */
};

#define ACQ_SETTING_KEPT    0x01 /* kept in BASE.resume; must agree on --resume */
#define ACQ_SETTING_HIDDEN  0x02 /* for tests: not in --help */
#define ACQ_SETTING_POW2    0x04 /* a power of two */
#define ACQ_SETTING_NONZERO 0x08

struct acq_setting {
	const char *name; /* the long option, and the key in BASE.resume */
	char short_name;  /* 0: none */
	enum acq_setting_kind kind;
	unsigned flags;
	uint64_t min, max;          /* COUNT, SIZE and SECONDS bounds */
	const char *const *choices; /* CHOICE: NULL-terminated */
	size_t offset;              /* of the value in struct acq_options */
	const char *arg, *help;     /* for --help */
};

#define ACQ_SETTINGS_MAX 64

extern const struct acq_setting acq_settings[];
extern const size_t acq_settings_count;

/* getopt's key for a setting: its short name, or ACQ_SETTING_KEY_BASE + its index. */
#define ACQ_SETTING_KEY_BASE 256
int acq_setting_key(const struct acq_setting *s);

/* The setting a getopt key stands for, or NULL. */
const struct acq_setting *acq_setting_of_key(int key);

/* The setting called `name`, or NULL. */
const struct acq_setting *acq_setting_find(const char *name);

/* The bytes the value of `s` takes in struct acq_options. */
size_t acq_setting_size(const struct acq_setting *s);

/* The defaults of every setting. */
void acq_settings_defaults(struct acq_options *o);

/*
 * Parses `text` as the value of `s` into `o`, with every check of its type
 * and bounds; `label` names it in the message ("--retries", or the resume
 * file and key).  FLAG takes NULL (set), "yes" or "no".
 */
int acq_setting_parse(const struct acq_setting *s, struct acq_options *o, const char *text,
                      const char *label, struct cu_error *err);

/* The value of `s` in `o` as text that parses back to it (malloc'ed; "" when unset). */
char *acq_setting_format(const struct acq_setting *s, const struct acq_options *o);

/* Whether `s` has the same value in `a` and `b`. */
bool acq_setting_equal(const struct acq_setting *s, const struct acq_options *a,
                       const struct acq_options *b);

#endif
