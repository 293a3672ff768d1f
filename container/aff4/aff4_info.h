/*
 * aff4_info.h - what an AFF4 volume says of itself: its information.turtle,
 * with the classes and properties the standard defines and the reference
 * images use (container/aff4/FORMAT.md, section 4): the volume (ZipVolume),
 * the image (DiskImage, ContiguousImage, Image) with its size, sectors, the
 * drive's identity and the media's linear digests, the Map, the
 * ImageStream, the case (CaseDetails, CaseNotes) and the acquisition's
 * times (TimeStamps).
 */
#ifndef CUSTOS_CONTAINER_AFF4_INFO_H
#define CUSTOS_CONTAINER_AFF4_INFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "container/aff4/aff4_map.h"
#include "lib/error.h"
#include "lib/hash.h"
#include "lib/meta.h"

struct aff4_info {
	const char *volume, *image, *map, *stream, *case_details, *time_stamps; /* URNs */
	const char *stored;       /* the volume's file name */
	time_t started, finished; /* the acquisition's */
	uint64_t media_size;      /* bytes */
	uint32_t sector_size;     /* aff4:blockSize */
	uint64_t stream_size;     /* a multiple of the chunk size */
	const char *compression;  /* aff4:compressionMethod; NULL: none */
	struct cu_digests media;  /* the linear digests of the media, as a reader sees it */
	bool complete;            /* every sector read */
	const char *make, *model, *serial, *firmware; /* the drive; NULL or "": unknown */
	const struct cu_meta *meta;                   /* the case */
	/* the hashes of the stream's blocks and of the map (NULL where not made) */
	const uint8_t *block_hashes[CU_HASH_COUNT]; /* SHA-512 of each BlockHashes */
	const struct aff4_map_hashes *map_hashes;
	const uint8_t *block_map_hash; /* SHA-512 */
};

/* The Turtle text (malloc'ed, *len bytes). */
int aff4_info_turtle(const struct aff4_info *i, char **out, size_t *len, struct cu_error *err);

#endif
