/*
 * aff4_image_read.h - reading the media an AFF4 Standard v1.0 volume holds
 * (container/aff4/FORMAT.md): one aff4:Image, its aff4:Map, the map's
 * ImageStream(s) in this volume and the symbolic streams it points to.
 *
 *   aff4_image_open   the ZIP volume (aff4_zip_read), its information.turtle
 *                     (aff4_rdf), the image chosen, its map and idx loaded
 *                     and checked whole (sorted, no overlap, within the
 *                     map's size, targets known and within their streams),
 *                     each stream's parameters, bevies and indexes checked;
 *                     the map's own hashes computed
 *   aff4_image_scan   the whole media in order (aff4_image_scan.c): chunks
 *                     unpacked and block-hash checked on a pool of threads,
 *                     the linear digests on their own threads, then the
 *                     BlockHashes hashes, the map hashes and the
 *                     blockMapHash compared with what the Turtle states
 *
 * Striped and multi-volume sets (a stream or the map stored in another
 * volume) are refused with one line that says so.
 */
#ifndef CUSTOS_CONTAINER_AFF4_IMAGE_READ_H
#define CUSTOS_CONTAINER_AFF4_IMAGE_READ_H

#include <stdbool.h>
#include <stdint.h>

#include "container/evidence.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/ranges.h"

struct aff4_image;

/*
 * Opens the volume `path`.  CU_EUSAGE when it is not an AFF4 volume (a ZIP
 * without information.turtle, a set custos does not read), CU_EFAIL when
 * it is one but its structure is damaged.
 */
int aff4_image_open(struct aff4_image **out, const char *path, struct cu_error *err);
void aff4_image_close(struct aff4_image *im);

const char *aff4_image_path(const struct aff4_image *im);
uint64_t aff4_image_media_size(const struct aff4_image *im);
uint32_t aff4_image_sector_size(const struct aff4_image *im); /* aff4:blockSize, else 512 */
uint32_t aff4_image_chunk_size(const struct aff4_image *im);  /* the first stream's, else 32768 */
const char *aff4_image_compression(const struct aff4_image *im); /* "snappy", ..., "none" */

/* The linear media digests the image states (aff4:hash typed MD5, SHA1, SHA256). */
const struct cu_digests *aff4_image_linear(const struct aff4_image *im);

/* The sectors the map gives to aff4:UnreadableData, added to `out`. */
int aff4_image_unreadable(const struct aff4_image *im, struct cu_ranges *out, struct cu_error *err);

/*
 * The first value of aff4:`property` on a subject of class aff4:`klass`
 * ("Image": the image read); NULL when there is none.
 */
const char *aff4_image_value(const struct aff4_image *im, const char *klass, const char *property);

/*
 * The whole media in order, as evidence_scan: `threads` checkers (0: one
 * per CPU), the digests of `want`, `sink` (may be NULL).  Damage goes into
 * out->damaged; out->self_proved says whether the volume's own hashes
 * covered every byte and all recomputed equal.
 */
int aff4_image_scan(struct aff4_image *im, unsigned threads, const bool want[CU_HASH_COUNT],
                    evidence_media_sink sink, void *ctx, struct evidence_scan_result *out,
                    struct cu_error *err);

/*
 * Random reads of the media, a chunk of aff4_image_chunk_size bytes at a
 * time, each checked as the scan checks it (aff4_image_cursor.c).  One
 * cursor a thread; the image outlives its cursors.
 */
struct aff4_image_cursor;

int aff4_image_cursor_open(const struct aff4_image *im, struct aff4_image_cursor **out,
                           struct cu_error *err);
/* ch->media_off and ch->len set (evidence_cursor_read); damage into ch->damaged and ch->why. */
int aff4_image_cursor_read(struct aff4_image_cursor *c, struct evidence_chunk *ch,
                           struct cu_error *err);
void aff4_image_cursor_close(struct aff4_image_cursor *c);

#endif
