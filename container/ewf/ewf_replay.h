/*
 * ewf_replay.h - reading back the media of an E01 set custos has not
 * finished, to rebuild its digests when an interrupted acquisition resumes.
 *
 * Until a checkpoint, every chunk custos wrote is indexed by a table on
 * disk; this walks the sections of each segment, follows the tables, checks
 * each chunk (zlib stream, or Adler-32 of a raw chunk) and hands the media
 * to a callback in order.  Any damage stops the replay: the resume is then
 * refused rather than built on bad data.
 */
#ifndef CUSTOS_CONTAINER_EWF_REPLAY_H
#define CUSTOS_CONTAINER_EWF_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/error.h"

typedef int (*ewf_replay_fn)(void *ctx, const uint8_t *media, size_t len, struct cu_error *err);

/*
 * Replays the first `chunks` chunks of the segment files `paths` (in order),
 * each read up to `limits[i]` bytes; chunks hold `chunk_size` bytes.
 * EWF_REPLAY_ALL replays every chunk they index.
 */
#define EWF_REPLAY_ALL UINT64_MAX
int ewf_replay(const char *const *paths, const uint64_t *limits, size_t n, uint64_t chunk_size,
               uint64_t chunks, ewf_replay_fn fn, void *ctx, struct cu_error *err);

/*
 * The chunks the tables of the segment files `paths` index, without reading
 * them: so that the segments after a lost one can be placed in the media
 * (counted back from its end), and their windows proved again.
 */
int ewf_replay_count(const char *const *paths, const uint64_t *limits, size_t n, uint64_t *chunks,
                     struct cu_error *err);

#endif
