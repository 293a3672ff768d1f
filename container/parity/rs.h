/*
 * rs.h - Reed-Solomon parity of a set's files, computed with Intel's ISA-L
 * (Debian's libisal), in the layout docs/parity-rs.md documents: custos'
 * fast alternative to PAR2 (par2.h), which par2cmdline makes at some
 * 35 MB/s on two cores, slower than the acquisition it protects.
 *
 * The set's files, end to end, are one stream cut into k data shards of S
 * bytes (the last padded with zeros); m parity shards of S bytes are the
 * Cauchy Reed-Solomon code of them, byte by byte over GF(2^8), so that any
 * m shards lost or damaged, at any one position, can be rebuilt from the k
 * others.  A shard is contiguous: a lost file of the set costs the few
 * shards it lies in, not a share of every one.  Each shard is checked in
 * pieces of P bytes (a CRC-64 of each, in the parity file's table), which
 * is what tells a damaged piece from a whole one; whatever is rebuilt is
 * checked by the same CRC-64, and then, by the caller, by the SHA-256 the
 * custody log records.
 *
 * The parity file is hostile input like any other: rs_layout_parse checks
 * every field and bound before anything is read through it.
 */
#ifndef CUSTOS_CONTAINER_PARITY_RS_H
#define CUSTOS_CONTAINER_PARITY_RS_H

#include <stddef.h>
#include <stdint.h>

#include "container/parity/parity.h"
#include "lib/error.h"

#define RS_SUFFIX      ".rsp"
#define RS_HEADER_SIZE 4096U
#define RS_TABLE_MAX   (64ULL << 20) /* the file list and the checks */
#define RS_PIECES_MAX  16384U        /* checked pieces of a shard */
#define RS_M_MAX       6U            /* parity shards ISA-L codes in one pass */

struct rs_file {
	char *name;
	uint64_t size, start; /* start: its offset in the stream */
};

/* A parity file's header and table, checked. */
struct rs_layout {
	uint32_t k, m, n_files;
	uint64_t shard, piece, stream; /* S, P, L */
	uint64_t n_pieces, parity_off;
	struct rs_file *files;
	uint64_t *checks; /* (k + m) * n_pieces CRC-64s, shard by shard */
};

/*
 * Parses the first `len` bytes of a parity file of `file_size` bytes: the
 * header, then (once the header holds) the table.  Given too few bytes for
 * either, it returns CU_OK with *out NULL and the count it needs in *need.
 */
int rs_layout_parse(const uint8_t *buf, size_t len, uint64_t file_size, struct rs_layout **out,
                    uint64_t *need, struct cu_error *err);
void rs_layout_free(struct rs_layout *l);

/* The header and table of `l`, as the file holds them (rs_layout.c). */
int rs_layout_encode(const struct rs_layout *l, uint8_t **out, size_t *len, struct cu_error *err);
/* S for L bytes in k shards: ceil(L / k), rounded up to 4096. */
uint64_t rs_shard_size(uint64_t stream, uint32_t k);
/* The table's length in bytes. */
uint64_t rs_table_size(const struct rs_layout *l);

/*
 * Writes `index` (a new file) with `percent` redundancy for the files
 * `paths` (each under `base_dir`, recorded by their names), on `threads`
 * threads.
 */
int rs_create(const char *index, const char *const *paths, size_t n, unsigned percent,
              unsigned threads, struct cu_error *err);

/* Checks the files under `base_dir` against `index`; reads every byte of both. */
int rs_verify(const char *index, const char *base_dir, unsigned threads, struct parity_check *out,
              struct cu_error *err);

/*
 * As par2_repair: rebuilds under `base_dir` (a directory of links of its
 * own) each file that is damaged, missing or of the wrong size, as a new
 * file in place of its link; out->state is PARITY_NOT_REPAIRABLE (nothing
 * written) when the parity does not suffice, with out->blocks_needed the
 * parity shards it lacks, else PARITY_INTACT.
 */
int rs_repair(const char *index, const char *base_dir, unsigned threads, struct parity_check *out,
              struct cu_error *err);

#endif
