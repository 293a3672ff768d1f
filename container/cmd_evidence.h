/*
 * cmd_evidence.h - evidence as the commands open it: through the evidence
 * interface (container/evidence.h), with the custody log beside a set as
 * the record of what the set does not store itself (a raw image's digests,
 * read errors and geometry).  The log belongs to report/, above the
 * container module, so the lookup lives here, in the command layer.
 */
#ifndef CUSTOS_CONTAINER_CMD_EVIDENCE_H
#define CUSTOS_CONTAINER_CMD_EVIDENCE_H

#include "container/evidence.h"
#include "lib/error.h"

/* evidence_open, with BASE.custody.xml as the set's record when it has one. */
int cmd_evidence_open(struct evidence **out, const char *path, struct cu_error *err);

#endif
