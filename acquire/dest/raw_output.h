/*
 * raw_output.h - the acquisition written as a plain image, or onto a drive.
 *
 * BASE.raw when not split; BASE.001, BASE.002, ... each at most --segment-size
 * bytes when split; or a block device (a clone), opened exclusively and
 * refused when smaller than the source.  A raw image holds exactly the
 * source's bytes, so its digests are those of the exact source.  Files are
 * written under .partial names until complete (container/file_set.h).
 */
#ifndef CUSTOS_ACQUIRE_RAW_OUTPUT_H
#define CUSTOS_ACQUIRE_RAW_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/file_set.h"
#include "lib/error.h"

struct acq_raw_output;

/* Whether `target` is a block device (a clone target). */
bool acq_raw_target_is_device(const char *target);

/*
 * Refuses when any file of a raw set named `base` exists (BASE.raw, BASE.001,
 * their .partial names).
 */
int acq_raw_check_free(const char *base, struct cu_error *err);

/* `split` 0: one file.  `size`: the bytes that will be written. */
int acq_raw_output_open(struct acq_raw_output **out, const char *target, uint64_t split,
                        uint64_t size, struct cu_error *err);
int acq_raw_output_write(struct acq_raw_output *o, const uint8_t *data, size_t len,
                         struct cu_error *err);
int acq_raw_output_finish(struct acq_raw_output *o, struct cu_error *err);
void acq_raw_output_abort(struct acq_raw_output *o);
const struct cu_file_set *acq_raw_output_files(const struct acq_raw_output *o);
void acq_raw_output_free(struct acq_raw_output *o);

#endif
