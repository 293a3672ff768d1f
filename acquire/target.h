/*
 * target.h - refusing a target that would write onto the evidence.
 *
 * Evidence must never be written to the medium it comes from: not to the
 * source file itself, not to the source device, and not to a file system
 * on the source disk or on one of its partitions.
 */
#ifndef CUSTOS_ACQUIRE_TARGET_H
#define CUSTOS_ACQUIRE_TARGET_H

#include "source/source.h"
#include "lib/error.h"

/*
 * `target` is the E01 base (BASE, for BASE.E01 ...) or a raw output file or
 * device.  Returns CU_EUSAGE with a message when it lies on the source.
 */
int acq_target_check(const char *target, const struct source_info *src, const char *sysfs,
                     struct cu_error *err);

#endif
