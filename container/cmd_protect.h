/*
 * cmd_protect.h - parity for a set in custody (not a public interface):
 * what `custos protect` and `acquire --parity` share.
 */
#ifndef CUSTOS_CONTAINER_CMD_PROTECT_H
#define CUSTOS_CONTAINER_CMD_PROTECT_H

#include "container/parity/parity.h"
#include "lib/error.h"
#include "report/custody.h"
#include "report/sign.h"

#define PROTECT_PERCENT_MAX 100

/*
 * Writes parity in `format` with `percent` redundancy beside the set any
 * of whose names is `evidence` (BASE.par2 and BASE.vol*.par2, or BASE.rsp), once every file of the
 * set matches the SHA-256 its custody log records, and appends a
 * "protected" event recording each parity file's size and SHA-256.
 * Nothing is left when any step fails; parity already there is never
 * overwritten.  `summary` (may be NULL) gets a line for people.
 */
int protect_set(const char *evidence, unsigned percent, enum parity_format format, const char *by,
                struct custody_seal *seal, char *summary, size_t cap, struct cu_error *err);

#endif
