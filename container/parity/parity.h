/*
 * parity.h - recovery data beside a set, in either of its two formats:
 * PAR2, made and read by par2cmdline (par2.h), which any archivist's tool
 * reads; and custos' Reed-Solomon layout (rs.h), made with ISA-L some 28
 * times faster.  What the callers see is the same for both: make it, judge
 * the set by it, rebuild what it can.
 */
#ifndef CUSTOS_CONTAINER_PARITY_PARITY_H
#define CUSTOS_CONTAINER_PARITY_PARITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

enum parity_format { PARITY_PAR2, PARITY_RS };

enum parity_state { PARITY_INTACT = 0, PARITY_REPAIRABLE = 1, PARITY_NOT_REPAIRABLE = 2 };

/* What a check of the set against its parity found. */
struct parity_check {
	enum parity_state state;
	uint64_t blocks_needed; /* not repairable: more recovery blocks (PAR2) or shards (RS) */
};

/* What a shortfall is counted in: "recovery blocks" (PAR2's) or "parity shards". */
const char *parity_unit(enum parity_format f);

/* "PAR2" or "RS", as the custody log records it. */
const char *parity_format_name(enum parity_format f);

/* The format the log's name (or --parity-format's par2, rs) stands for; false for another. */
bool parity_format_parse(const char *name, enum parity_format *out);

/* The tool that makes it ("par2cmdline version 0.8.1", "custos RS (ISA-L)"). */
int parity_tool(enum parity_format f, char *out, size_t cap, struct cu_error *err);

/*
 * Writes the parity of `paths` (absolute, under `base_dir`) as `index`
 * and, for PAR2, its recovery volumes beside it.  `index` is BASE.par2 or
 * BASE.rsp (parity_index_suffix).
 */
int parity_create(enum parity_format f, const char *index, const char *base_dir,
                  const char *const *paths, size_t n, unsigned percent, struct cu_error *err);
const char *parity_index_suffix(enum parity_format f);

/* Judges the files under `base_dir` by `index`: intact, repairable or not. */
int parity_verify(enum parity_format f, const char *index, const char *base_dir,
                  struct parity_check *out, struct cu_error *err);

/* Rebuilds, under `base_dir` (links of its own), what is damaged or missing (par2.h). */
int parity_repair(enum parity_format f, const char *index, const char *base_dir,
                  struct parity_check *out, struct cu_error *err);

#endif
