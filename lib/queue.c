/*
 * queue.c - a bounded ring of pointers under one mutex and two conditions.
 *
 * The pipeline hands over blocks of a megabyte or more, so a simple lock is
 * far from being the bottleneck, and its correctness is easy to see.
 */
#include "lib/queue.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct cu_queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty, not_full;
	void **ring;
	size_t capacity, head, count;
	bool closed;
};

int cu_queue_new(struct cu_queue **out, size_t capacity, struct cu_error *err)
{
	struct cu_queue *q = calloc(1, sizeof(*q));

	if (!q || capacity == 0 || !(q->ring = calloc(capacity, sizeof(void *)))) {
		free(q);
		return cu_error_set(err, CU_EFAIL, "out of memory for a queue");
	}
	q->capacity = capacity;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	*out = q;
	return CU_OK;
}

bool cu_queue_push(struct cu_queue *q, void *item)
{
	bool ok;

	pthread_mutex_lock(&q->lock);
	while (q->count == q->capacity && !q->closed)
		pthread_cond_wait(&q->not_full, &q->lock);
	ok = !q->closed;
	if (ok) {
		q->ring[(q->head + q->count) % q->capacity] = item;
		q->count++;
		pthread_cond_signal(&q->not_empty);
	}
	pthread_mutex_unlock(&q->lock);
	return ok;
}

void *cu_queue_pop(struct cu_queue *q)
{
	void *item = NULL;

	pthread_mutex_lock(&q->lock);
	while (q->count == 0 && !q->closed)
		pthread_cond_wait(&q->not_empty, &q->lock);
	if (q->count > 0) {
		item = q->ring[q->head];
		q->head = (q->head + 1) % q->capacity;
		q->count--;
		pthread_cond_signal(&q->not_full);
	}
	pthread_mutex_unlock(&q->lock);
	return item;
}

void cu_queue_close(struct cu_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

void cu_thread_give_way(void)
{
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 5);
}

void cu_queue_free(struct cu_queue *q)
{
	if (!q)
		return;
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	free(q->ring);
	free(q);
}
