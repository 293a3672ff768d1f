/*
 * hash_files.c - reading files in 1 MiB blocks into running digests: all
 * of them as one stream, or each on its own, several at once.
 */
#include "lib/hash_files.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/input_file.h"
#include "lib/queue.h"

#define HASH_FILES_BUFFER (1U << 20)

static int hash_one(const char *path, struct cu_hash *h[CU_HASH_COUNT], uint8_t *buf,
                    struct cu_error *err)
{
	int fd, rc = cu_input_open(path, "the file", &fd, err);
	ssize_t n;

	if (rc)
		return rc;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	while (!rc && (n = read(fd, buf, HASH_FILES_BUFFER)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = cu_error_errno(err, CU_EFAIL, errno, "%s: read failed", path);
			break;
		}
		for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
			if (h[a])
				rc = cu_hash_update(h[a], buf, (size_t)n, err);
	}
	close(fd);
	return rc;
}

int cu_hash_files(const char *const *paths, size_t n, const bool want[CU_HASH_COUNT],
                  struct cu_digests *out, struct cu_error *err)
{
	struct cu_hash *h[CU_HASH_COUNT] = {NULL};
	uint8_t *buf = malloc(HASH_FILES_BUFFER);
	int rc = buf ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	memset(out, 0, sizeof(*out));
	for (int a = 0; a < CU_HASH_COUNT && !rc; a++)
		if (want[a])
			rc = cu_hash_new(&h[a], a, err);
	for (size_t i = 0; i < n && !rc; i++)
		rc = hash_one(paths[i], h, buf, err);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (h[a] && !rc)
			rc = cu_hash_final(h[a], out, err);
		cu_hash_free(h[a]);
	}
	free(buf);
	return rc;
}

#define EACH_THREADS_MAX 64U

struct each_file {
	const char *path;
	uint8_t *sha256;
	bool *hashed;
};

struct each_work {
	struct cu_queue *q;
	pthread_mutex_t lock;
	struct cu_error err;
	int rc;
};

int cu_hash_file_sha256(const char *path, uint8_t out[32], struct cu_error *err)
{
	static const bool want[CU_HASH_COUNT] = {[CU_HASH_SHA256] = true};
	struct cu_digests d;
	int rc = cu_hash_files(&path, 1, want, &d, err);

	if (!rc)
		memcpy(out, d.sha256, 32);
	return rc;
}

static void *each_main(void *arg)
{
	struct each_work *w = arg;
	struct each_file *f;
	struct cu_error err;

	cu_thread_give_way();
	while ((f = cu_queue_pop(w->q))) {
		if (cu_hash_file_sha256(f->path, f->sha256, &err)) {
			pthread_mutex_lock(&w->lock);
			if (!w->rc) {
				w->rc = err.code;
				w->err = err;
			}
			pthread_mutex_unlock(&w->lock);
			continue;
		}
		if (f->hashed)
			*f->hashed = true;
	}
	return NULL;
}

int cu_hash_files_each_sha256(const char *const *paths, size_t n, unsigned jobs,
                              uint8_t (*sha256)[32], bool *hashed, struct cu_error *err)
{
	struct each_work w = {.rc = CU_OK};
	struct each_file *files = calloc(n ? n : 1, sizeof(*files));
	pthread_t threads[EACH_THREADS_MAX];
	unsigned started = 0;
	int rc;

	if (!files)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if ((rc = cu_queue_new(&w.q, n ? n : 1, err))) {
		free(files);
		return rc;
	}
	pthread_mutex_init(&w.lock, NULL);
	for (size_t i = 0; i < n; i++) {
		files[i] = (struct each_file){paths[i], sha256[i], hashed ? &hashed[i] : NULL};
		if (hashed)
			hashed[i] = false;
		cu_queue_push(w.q, &files[i]);
	}
	cu_queue_close(w.q);
	jobs = jobs == 0 ? 1 : jobs > EACH_THREADS_MAX ? EACH_THREADS_MAX : jobs;
	for (; started < jobs && started < n; started++)
		if (pthread_create(&threads[started], NULL, each_main, &w))
			break;
	if (started == 0)
		each_main(&w); /* no thread could start: hash here */
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&w.lock);
	cu_queue_free(w.q);
	free(files);
	if (w.rc)
		*err = w.err;
	return w.rc;
}
