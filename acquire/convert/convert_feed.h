/*
 * convert_feed.h - the old set's media, read on a thread and written into a
 * pipe, which the conversion's acquisition reads as its stream.
 *
 * The set is read with every chunk checked and its digests computed
 * (evidence_scan).  The last byte is held back until the read is over: it
 * reaches the pipe only when the set read without damage and its digests
 * equal those it stores.  Otherwise the pipe closes one byte short, the
 * acquisition (which expects the whole media) fails, and it removes what it
 * wrote: a conversion of a set that does not prove itself leaves nothing.
 */
#ifndef CUSTOS_ACQUIRE_CONVERT_FEED_H
#define CUSTOS_ACQUIRE_CONVERT_FEED_H

#include <pthread.h>
#include <stdbool.h>

#include "container/evidence.h"
#include "lib/error.h"
#include "lib/hash.h"

struct convert_feed {
	struct evidence *old;
	bool want[CU_HASH_COUNT];
	struct cu_digests stored; /* what the old set stores */
	int fd;                   /* the pipe's writing end; closed when done */
	/* out, after convert_feed_join */
	struct evidence_scan_result scan;
	bool proven;         /* read whole, undamaged, its digests equal to those stored */
	struct cu_error err; /* why not */
	bool cut;            /* the acquisition stopped reading first: its error tells why */
	/* inside */
	pthread_t thread;
	bool started, held;
	uint8_t last;
};

/* Starts reading `f->old` into `f->fd` on a thread. */
int convert_feed_start(struct convert_feed *f, struct cu_error *err);

/* Waits for the read to end; f->proven and f->err say how it went. */
void convert_feed_join(struct convert_feed *f);

void convert_feed_free(struct convert_feed *f);

#endif
