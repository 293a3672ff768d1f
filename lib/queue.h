/*
 * queue.h - the one hand-off between threads in custos: a bounded FIFO.
 *
 * Any number of threads push and pop.  push blocks while the queue is full,
 * pop while it is empty.  Closing a queue wakes everyone: pushes then fail,
 * pops return what is left and then NULL, which tells a worker to stop.
 * Items are opaque pointers owned by whoever holds them.
 */
#ifndef CUSTOS_LIB_QUEUE_H
#define CUSTOS_LIB_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/error.h"

struct cu_queue;

int cu_queue_new(struct cu_queue **out, size_t capacity, struct cu_error *err);

/* Appends `item` (not NULL); false if the queue was closed. */
bool cu_queue_push(struct cu_queue *q, void *item);

/* Takes the oldest item, waiting for one; NULL once closed and empty. */
void *cu_queue_pop(struct cu_queue *q);

/* No more pushes; waiting threads wake up. */
void cu_queue_close(struct cu_queue *q);

void cu_queue_free(struct cu_queue *q);

/*
 * Lowers the calling thread's priority, so that the one MD5 stream, the
 * pace of every acquisition and verification, keeps a core of its own.
 * (Lowering one's own priority needs no privilege.)
 */
void cu_thread_give_way(void);

#endif
