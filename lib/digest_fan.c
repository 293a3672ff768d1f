/*
 * digest_fan.c - a queue and a thread per digest (lib/queue.h); a block
 * goes back to its owner when its count of digests still to take it
 * reaches zero.  A digest that fails keeps taking blocks (and releasing
 * them), so that the caller never waits on it; its failure is reported
 * once, at the end.
 */
#include "lib/digest_fan.h"

#include <pthread.h>
#include <stdlib.h>

#include "lib/queue.h"

struct fan_thread {
	struct cu_digest_fan *f;
	enum cu_hash_alg alg;
	struct cu_hash *h;
	struct cu_queue *q;
	pthread_t thread;
	bool started;
};

struct cu_digest_fan {
	struct fan_thread t[CU_HASH_COUNT];
	int n;
	void (*release)(void *ctx, void *block);
	void *ctx;
	pthread_mutex_t lock;
	int rc; /* the first failure */
	struct cu_error err;
};

static void fan_release(struct cu_digest_fan *f, struct cu_digest_item *item)
{
	if (atomic_fetch_sub(&item->refs, 1) == 1)
		f->release(f->ctx, item->block);
}

static void fan_fail(struct cu_digest_fan *f, const struct cu_error *err)
{
	pthread_mutex_lock(&f->lock);
	if (!f->rc) {
		f->rc = err->code ? err->code : CU_EFAIL;
		f->err = *err;
	}
	pthread_mutex_unlock(&f->lock);
}

static void *fan_main(void *arg)
{
	struct fan_thread *t = arg;
	struct cu_digest_item *item;
	struct cu_error err;
	bool failed = false;

	if (t->alg != CU_HASH_MD5)
		cu_thread_give_way();
	while ((item = cu_queue_pop(t->q))) {
		if (!failed && cu_hash_update(t->h, item->data, item->len, &err)) {
			fan_fail(t->f, &err);
			failed = true;
		}
		fan_release(t->f, item);
	}
	return NULL;
}

static int fan_start(struct cu_digest_fan *f, int a, size_t depth, struct cu_error *err)
{
	struct fan_thread *t = &f->t[a];
	int rc;

	*t = (struct fan_thread){.f = f, .alg = a};
	if ((rc = cu_hash_new(&t->h, a, err)) || (rc = cu_queue_new(&t->q, depth, err)))
		return rc;
	if (pthread_create(&t->thread, NULL, fan_main, t))
		return cu_error_set(err, CU_EFAIL, "cannot start a digest thread");
	t->started = true;
	f->n++;
	return CU_OK;
}

int cu_digest_fan_new(struct cu_digest_fan **out, const bool want[CU_HASH_COUNT], size_t depth,
                      void (*release)(void *ctx, void *block), void *ctx, struct cu_error *err)
{
	struct cu_digest_fan *f = calloc(1, sizeof(*f));
	int rc = CU_OK;

	*out = NULL;
	if (!f)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	f->release = release;
	f->ctx = ctx;
	pthread_mutex_init(&f->lock, NULL);
	for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
		if (want[a])
			rc = fan_start(f, a, depth, err);
	if (rc) {
		cu_digest_fan_end(f, false, NULL, NULL);
		return rc;
	}
	*out = f;
	return CU_OK;
}

void cu_digest_fan_push(struct cu_digest_fan *f, struct cu_digest_item *item)
{
	atomic_store(&item->refs, f->n ? f->n : 1);
	if (!f->n) {
		fan_release(f, item);
		return;
	}
	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (f->t[a].started)
			cu_queue_push(f->t[a].q, item);
}

int cu_digest_fan_end(struct cu_digest_fan *f, bool ok, struct cu_digests *out,
                      struct cu_error *err)
{
	int rc;

	if (!f)
		return CU_OK;
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (f->t[a].q)
			cu_queue_close(f->t[a].q);
		if (f->t[a].started)
			pthread_join(f->t[a].thread, NULL);
	}
	rc = f->rc;
	if (rc && err)
		*err = f->err;
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (f->t[a].h && ok && !rc)
			rc = cu_hash_final(f->t[a].h, out, err);
		cu_hash_free(f->t[a].h);
		cu_queue_free(f->t[a].q);
	}
	pthread_mutex_destroy(&f->lock);
	free(f);
	return rc;
}
