/*
 * test_mount_cache.c - custos mount's chunk cache, without FUSE: replies
 * made from the cached chunks give the media byte for byte, whatever the
 * request's size and place, from one thread or several at once, with a
 * bound far smaller than the media (so that chunks are dropped and their
 * memory reused), with requests larger than the bound itself, and with a
 * sequential reader's read-ahead running beside random readers.
 *
 * The media is a split raw set of random bytes written here; its chunks are
 * the raw backend's (evidence.h), read through the same cursors as an E01's.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/evidence.h"
#include "container/mount/mount_cache.h"
#include "tests/check_run.h"

#define MEDIA_SIZE ((3U << 20) + 1536) /* whole sectors, the last chunk short */

struct medium {
	char dir[256], path[300];
	uint8_t *bytes;
	struct evidence *e;
	uint64_t chunk;
};

static void medium_make(struct medium *m)
{
	uint32_t x = 12345;
	FILE *f;
	struct cu_error err = {0};

	check_tempdir(m->dir, sizeof(m->dir), "mount-cache");
	ck_assert_ptr_nonnull(m->bytes = malloc(MEDIA_SIZE));
	for (size_t i = 0; i < MEDIA_SIZE; i++) {
		x = x * 1103515245U + 12345U;
		m->bytes[i] = (uint8_t)(x >> 16);
	}
	snprintf(m->path, sizeof(m->path), "%s/media.001", m->dir);
	ck_assert_ptr_nonnull(f = fopen(m->path, "wb"));
	ck_assert_uint_eq(fwrite(m->bytes, 1, MEDIA_SIZE, f), MEDIA_SIZE);
	fclose(f);
	ck_assert_int_eq(evidence_open(&m->e, m->path, NULL, &err), CU_OK);
	ck_assert_uint_eq(evidence_media_size(m->e), MEDIA_SIZE);
	m->chunk = evidence_chunk_size(m->e);
	ck_assert_uint_lt(m->chunk * 64, MEDIA_SIZE); /* the bound below holds a fraction */
}

static void medium_free(struct medium *m)
{
	evidence_close(m->e);
	unlink(m->path);
	rmdir(m->dir);
	free(m->bytes);
}

/* What a reply gathers: the bytes of its pieces, in order. */
struct gathered {
	uint8_t *buf;
	size_t cap, len;
	int calls;
};

static int gather(void *ctx, const struct iovec *iov, int n)
{
	struct gathered *g = ctx;

	g->calls++;
	for (int i = 0; i < n; i++) {
		if (g->len + iov[i].iov_len > g->cap)
			return -1;
		memcpy(g->buf + g->len, iov[i].iov_base, iov[i].iov_len);
		g->len += iov[i].iov_len;
	}
	return 0;
}

/* One request [off, off + len) served and held to the media. */
static bool serve_matches(struct mount_cache *c, const struct medium *m, size_t len, uint64_t off)
{
	struct gathered g = {.cap = len};
	bool ok;

	if (!(g.buf = malloc(len ? len : 1)))
		return false;
	ok = mount_cache_serve(c, len, off, gather, &g) == 0 && g.calls == 1 && g.len == len &&
	     !memcmp(g.buf, m->bytes + off, len);
	free(g.buf);
	return ok;
}

static struct mount_cache *cache_open(struct medium *m, size_t chunks, unsigned readers)
{
	struct mount_cache_config cfg = {
	    .cache_bytes = chunks * m->chunk, .ahead_bytes = 8 * m->chunk, .readers = readers};
	struct mount_cache *c = NULL;
	struct cu_error err = {0};

	ck_assert_int_eq(mount_cache_new(&c, m->e, &cfg, &err), CU_OK);
	ck_assert_int_eq(mount_cache_start(c, &err), CU_OK);
	return c;
}

static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A random request within the media: a few bytes up to a few chunks, anywhere. */
static void random_request(uint64_t *s, uint64_t chunk, size_t *len, uint64_t *off)
{
	*off = next_random(s) % MEDIA_SIZE;
	*len = (size_t)(1 + next_random(s) % (3 * chunk));
	if (*off + *len > MEDIA_SIZE)
		*len = (size_t)(MEDIA_SIZE - *off);
}

START_TEST(test_mount_cache_random)
{
	struct medium m;
	struct mount_cache *c;
	uint64_t s = 0x9E3779B97F4A7C15ULL;

	medium_make(&m);
	c = cache_open(&m, MOUNT_CACHE_MIN_CHUNKS, 2);
	/* edges: the first byte, a chunk's last and next, the short last chunk, the last byte */
	ck_assert(serve_matches(c, &m, 1, 0));
	ck_assert(serve_matches(c, &m, 2, m.chunk - 1));
	ck_assert(serve_matches(c, &m, (size_t)m.chunk, m.chunk));
	ck_assert(serve_matches(c, &m, 1536, MEDIA_SIZE - 1536));
	ck_assert(serve_matches(c, &m, 1, MEDIA_SIZE - 1));
	for (int i = 0; i < 3000; i++) {
		size_t len;
		uint64_t off;

		random_request(&s, m.chunk, &len, &off);
		ck_assert_msg(serve_matches(c, &m, len, off), "request %d: %zu bytes at %llu", i,
		              len, (unsigned long long)off);
	}
	/* a request larger than the whole cache: entries past the bound, given back after */
	ck_assert(serve_matches(c, &m, (size_t)(40 * m.chunk), 3 * m.chunk + 17));
	ck_assert(serve_matches(c, &m, MEDIA_SIZE, 0));
	for (int i = 0; i < 500; i++) {
		size_t len;
		uint64_t off;

		random_request(&s, m.chunk, &len, &off);
		ck_assert(serve_matches(c, &m, len, off));
	}
	mount_cache_free(c);
	medium_free(&m);
}
END_TEST

struct reader_job {
	struct mount_cache *c;
	const struct medium *m;
	uint64_t seed;
	bool sequential;
	int failures;
};

static void *reader_run(void *arg)
{
	struct reader_job *j = arg;

	for (int pass = 0; j->sequential && pass < 3; pass++) /* read-ahead, while others read */
		for (uint64_t off = 0; off < MEDIA_SIZE; off += 128 * 1024) {
			size_t len =
			    (size_t)(MEDIA_SIZE - off < 128 * 1024 ? MEDIA_SIZE - off : 128 * 1024);

			j->failures += !serve_matches(j->c, j->m, len, off);
		}
	for (int i = 0; !j->sequential && i < 1500; i++) {
		size_t len;
		uint64_t off;

		random_request(&j->seed, j->m->chunk, &len, &off);
		j->failures += !serve_matches(j->c, j->m, len, off);
	}
	return NULL;
}

START_TEST(test_mount_cache_threads)
{
	struct medium m;
	struct reader_job jobs[5];
	pthread_t t[5];
	struct mount_cache *c;

	medium_make(&m);
	c = cache_open(&m, 24, 3);
	for (int i = 0; i < 5; i++) {
		jobs[i] = (struct reader_job){
		    .c = c, .m = &m, .seed = 77 + (uint64_t)i * 1000, .sequential = i == 0};
		ck_assert_int_eq(pthread_create(&t[i], NULL, reader_run, &jobs[i]), 0);
	}
	for (int i = 0; i < 5; i++) {
		pthread_join(t[i], NULL);
		ck_assert_msg(jobs[i].failures == 0, "reader %d: %d requests did not match", i,
		              jobs[i].failures);
	}
	mount_cache_free(c);
	medium_free(&m);
}
END_TEST

int main(void)
{
	TCase *tc = tcase_create("mount_cache");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_mount_cache_random);
	tcase_add_test(tc, test_mount_cache_threads);
	return check_run("mount_cache", tc);
}
