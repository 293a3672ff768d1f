/*
 * aff4_image_scan.c - the media of an AFF4 image read whole, in order:
 * one planner, a pool of checkers, ordered digests (the shape of ewf_scan).
 *
 * The planner walks the map in media order and cuts the media into blocks
 * of up to 1 MiB, each a list of pieces (aff4_image_block.c); any checker
 * takes a block, reads, unpacks and checks each chunk of it against its
 * block hashes, and fills the block's media (a chunk that fails is zeros,
 * its media sectors damaged).  The calling thread puts blocks back
 * in order, hands them to the sink and to one thread per digest
 * (lib/digest_fan.h); a block returns to the free queue when every digest
 * is done with it.  Every hand-off goes through lib/queue.h; memory is the
 * fixed pool of blocks, whatever the media's size.
 *
 * After the media: each BlockHashes hash (the SHA-512 of an algorithm's
 * members in bevy order), the map hashes and the blockMapHash are
 * recomputed and compared with what the Turtle states; a mismatch damages
 * the sectors that hash protects (a stream's: those mapped onto it; the
 * map's and the blockMapHash: all).  When every chunk read had a block
 * hash, every one matched, and the BlockHashes and map hashes and the
 * blockMapHash were stated and recompute equal, the volume proved its
 * media itself: out->self_proved.
 */
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container/aff4/aff4_image_int.h"
#include "lib/digest_fan.h"
#include "lib/interrupt.h"
#include "lib/queue.h"

#define SCAN_BLOCK        (1U << 20)
#define SCAN_CHECKERS_MAX 16U

struct scan_block {
	uint64_t index;
	struct aff4_block blk;
	struct cu_digest_item item;
};

struct scan {
	struct aff4_image *im;
	size_t n_blocks;
	struct scan_block *pool;
	struct cu_queue *free_q, *check_q, *done_q;
	struct cu_digest_fan *fan;
	struct aff4_planner planner;
	pthread_mutex_t lock;
	atomic_bool failed;
	struct cu_error err;
	atomic_uint checkers; /* still running: the last one out closes done_q */
};

static void scan_fail(struct scan *s, const struct cu_error *err)
{
	pthread_mutex_lock(&s->lock);
	if (!atomic_load(&s->failed)) {
		s->err = *err;
		atomic_store(&s->failed, true);
	}
	pthread_mutex_unlock(&s->lock);
	cu_queue_close(s->done_q);
}

static void scan_release(void *ctx, void *block)
{
	struct scan *s = ctx;

	cu_queue_push(s->free_q, block);
}

/* ---- the planner ---- */

static void *planner_main(void *arg)
{
	struct scan *s = arg;
	uint64_t pos = 0, i = 0;
	struct scan_block *b;

	cu_thread_give_way();
	while (pos < s->im->media_size && !atomic_load(&s->failed)) {
		if (!(b = cu_queue_pop(s->free_q)))
			break;
		b->index = i++;
		aff4_plan_block(&s->planner, &b->blk, &pos, SCAN_BLOCK);
		if (!cu_queue_push(s->check_q, b)) {
			cu_queue_push(s->free_q, b);
			break;
		}
	}
	aff4_planner_done(&s->planner);
	cu_queue_close(s->check_q);
	return NULL;
}

/* ---- the checkers ---- */

struct checker {
	struct scan *s;
	struct aff4_checker c;
};

static void *checker_main(void *arg)
{
	struct checker *c = arg;
	struct scan_block *b;
	struct cu_error err;

	cu_thread_give_way();
	while ((b = cu_queue_pop(c->s->check_q))) {
		if (!atomic_load(&c->s->failed) && aff4_check_block(&c->c, &b->blk, &err))
			scan_fail(c->s, &err);
		if (!cu_queue_push(c->s->done_q, b))
			cu_queue_push(c->s->free_q, b);
	}
	if (atomic_fetch_sub(&c->s->checkers, 1) == 1)
		cu_queue_close(c->s->done_q); /* every block is through: the sequence ends */
	return NULL;
}

/* ---- the calling thread: blocks back in order ---- */

static int sequence_block(struct scan *s, struct scan_block *b, evidence_media_sink sink, void *ctx,
                          struct evidence_scan_result *out, bool *unproved, struct cu_error *err)
{
	int rc = CU_OK;

	for (size_t i = 0; i < b->blk.damaged.n && !rc; i++) {
		rc = cu_ranges_extend(&out->damaged, b->blk.damaged.v[i].first,
		                      b->blk.damaged.v[i].count, err);
	}
	if (b->blk.what[0] && !out->failure[0])
		snprintf(out->failure, sizeof(out->failure), "%s", b->blk.what);
	*unproved |= b->blk.unproved;
	if (!rc && sink)
		rc = sink(ctx, b->blk.media, b->blk.len, err);
	if (!rc)
		rc = cu_interrupt_check(NULL, err);
	b->item.data = b->blk.media;
	b->item.len = b->blk.len;
	b->item.block = b;
	cu_digest_fan_push(s->fan, &b->item);
	return rc;
}

static int scan_sequence(struct scan *s, evidence_media_sink sink, void *ctx,
                         struct evidence_scan_result *out, bool *unproved, struct cu_error *err)
{
	struct scan_block **window = calloc(s->n_blocks, sizeof(*window));
	uint64_t next = 0;
	int rc = window ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");

	while (!rc) {
		struct scan_block *b = cu_queue_pop(s->done_q);

		if (!b)
			break; /* every block done, or a thread failed */
		window[b->index % s->n_blocks] = b;
		while (!rc && (b = window[next % s->n_blocks]) && b->index == next) {
			window[next % s->n_blocks] = NULL;
			rc = sequence_block(s, b, sink, ctx, out, unproved, err);
			next++;
		}
	}
	free(window);
	return rc;
}

/* ---- the volume's own hashes, after the media ---- */

struct self_check {
	bool stated_all; /* every hash that must be there is */
	bool equal;      /* every one stated recomputes equal */
	unsigned bh_count;
	char names[128]; /* the block-hash algorithms, for people */
};

static const char *a4n(const char *local, char buf[128])
{
	snprintf(buf, 128, AFF4_NS "%s", local);
	return buf;
}

/*
 * The value of `p` on `s` typed aff4:SHA512 or aff4:SHA256 (`block_map`:
 * aff4:blockMapHashSHA512 or 256), and its size (0: none).
 */
static size_t stated_digest(const struct aff4_image *im, const char *s, const char *p,
                            bool block_map, uint8_t out[64])
{
	const char *const types[2][2] = {
	    {AFF4_NS "SHA512", AFF4_NS "SHA256"},
	    {AFF4_NS "blockMapHashSHA512", AFF4_NS "blockMapHashSHA256"}};
	size_t n = aff4_rdf_count(im->rdf);

	for (size_t i = aff4_rdf_next(im->rdf, s, p, 0); i < n;
	     i = aff4_rdf_next(im->rdf, s, p, i + 1)) {
		const struct aff4_triple *t = aff4_rdf_triple(im->rdf, i);
		size_t size = !t->datatype                                ? 0
		              : !strcmp(t->datatype, types[block_map][0]) ? 64
		              : !strcmp(t->datatype, types[block_map][1]) ? 32
		                                                          : 0;

		if (size && cu_unhex(out, size, t->o))
			return size;
	}
	return 0;
}

/* SHA-512 and SHA-256 of every bevy's `.blockHash.<alg>` member of `st`, in bevy order. */
static int members_hash(const struct aff4_image *im, const struct aff4_in_stream *st, int a,
                        uint8_t h512[64], uint8_t h256[32], struct cu_error *err)
{
	EVP_MD_CTX *x = EVP_MD_CTX_new(), *y = EVP_MD_CTX_new();
	int rc = x && y && EVP_DigestInit_ex(x, EVP_sha512(), NULL) == 1 &&
	                 EVP_DigestInit_ex(y, EVP_sha256(), NULL) == 1
	             ? CU_OK
	             : cu_error_set(err, CU_EFAIL, "out of memory");

	for (uint64_t b = 0; b < st->bevies && !rc; b++) {
		char *name = aff4_bevy_member(st, b, ""), *full = NULL;
		uint8_t *data = NULL;
		size_t len = 0;

		if (!name || asprintf(&full, "%s.blockHash.%s", name, aff4_bh_name(a)) < 0)
			full = NULL;
		rc = full ? aff4_zip_read_load(im->zip, full, 64 * (size_t)st->per_bevy, &data,
		                               &len, err)
		          : cu_error_set(err, CU_EFAIL, "out of memory");
		if (!rc &&
		    (EVP_DigestUpdate(x, data, len) != 1 || EVP_DigestUpdate(y, data, len) != 1))
			rc = cu_error_set(err, CU_EFAIL, "a hash failed");
		free(data);
		free(name);
		free(full);
	}
	if (!rc &&
	    (EVP_DigestFinal_ex(x, h512, NULL) != 1 || EVP_DigestFinal_ex(y, h256, NULL) != 1))
		rc = cu_error_set(err, CU_EFAIL, "a hash failed");
	EVP_MD_CTX_free(x);
	EVP_MD_CTX_free(y);
	return rc;
}

/* Compares one stated hash (if any) with its SHA-512 and SHA-256 forms; false: it differs. */
static bool compare_stated(const struct aff4_image *im, const char *s, const char *p,
                           const uint8_t *h512, const uint8_t *h256, bool *stated)
{
	uint8_t v[64];
	size_t n = stated_digest(im, s, p, false, v);

	*stated = n != 0;
	return !n || !memcmp(v, n == 64 ? h512 : h256, n);
}

static int ranges_union(struct cu_ranges *a, const struct cu_ranges *b, struct cu_error *err);

/* The damage a hash that differs causes: all of the media, or what maps onto a stream. */
static int damage_all(const struct aff4_image *im, struct cu_ranges *bad, long stream,
                      struct cu_error *err)
{
	uint64_t bps = im->sector_size;
	struct cu_ranges r = {0};
	int rc = CU_OK;

	if (stream < 0 && im->media_size)
		rc = cu_ranges_add(&r, 0, (im->media_size + bps - 1) / bps, err);
	for (size_t i = 0; stream >= 0 && i < im->n_runs && !rc; i++) {
		const struct aff4_run *x = &im->runs[i];
		uint64_t first = x->media / bps, last = (x->media + x->len - 1) / bps + 1;

		if (im->targets[x->target].kind != AFF4_TARGET_STREAM ||
		    im->targets[x->target].stream != (size_t)stream)
			continue;
		rc = cu_ranges_extend(&r, first, last - first, err);
	}
	if (!rc)
		rc = ranges_union(bad, &r, err);
	cu_ranges_free(&r);
	return rc;
}

struct bmh_parts {
	EVP_MD_CTX *h512, *h256; /* the blockMapHash being made, both ways */
};

static void self_fail(struct evidence_scan_result *out, const char *what)
{
	if (!out->failure[0])
		snprintf(out->failure, sizeof(out->failure), "%s", what);
}

/* Each stream's BlockHashes hashes: recomputed, compared, fed to the blockMapHash. */
static int self_block_hashes(const struct aff4_image *im, struct bmh_parts *bmh,
                             struct self_check *sc, struct cu_ranges *bad,
                             struct evidence_scan_result *out, struct cu_error *err)
{
	uint8_t h512[64], h256[32];
	char what[CU_ERROR_MSG_MAX], subject[4200], b[128];
	int rc = CU_OK;

	for (size_t i = 0; i < im->n_streams && !rc; i++) {
		const struct aff4_in_stream *st = &im->streams[i];
		bool stated, any = false;

		for (int a = 0; a < AFF4_BH_COUNT && !rc; a++) {
			if (st->bh_partial[a]) {
				sc->stated_all = false;
				snprintf(what, sizeof(what),
				         "stream %s: its %s block hashes are missing or cut short "
				         "in some bevies",
				         st->uri, aff4_bh_name(a));
				self_fail(out, what);
			}
			if (!st->bh[a] || (rc = members_hash(im, st, a, h512, h256, err)))
				continue;
			any = true;
			EVP_DigestUpdate(bmh->h512, h512, 64);
			EVP_DigestUpdate(bmh->h256, h256, 32);
			snprintf(subject, sizeof(subject), "%s/blockhash.%s", st->uri,
			         aff4_bh_name(a));
			if (!compare_stated(im, subject, a4n("hash", b), h512, h256, &stated)) {
				sc->equal = false;
				snprintf(what, sizeof(what),
				         "stream %s: the hash of its %s block hashes (BlockHashes) "
				         "differs from the one stated",
				         st->uri, aff4_bh_name(a));
				self_fail(out, what);
				rc = damage_all(im, bad, (long)i, err);
			}
			sc->stated_all &= stated;
			if (i == 0 && sc->bh_count++ < 5)
				snprintf(sc->names + strlen(sc->names),
				         sizeof(sc->names) - strlen(sc->names), "%s%s",
				         sc->names[0] ? ", " : "", aff4_bh_name(a));
		}
		sc->stated_all &= any;
	}
	return rc;
}

/* The map's hashes, then the blockMapHash (on the image and on the map). */
static int self_map_hashes(const struct aff4_image *im, struct bmh_parts *bmh,
                           struct self_check *sc, struct cu_ranges *bad,
                           struct evidence_scan_result *out, struct cu_error *err)
{
	static const char *const props[4] = {"mapPointHash", "mapIdxHash", "mapPathHash",
	                                     "mapHash"};
	const struct aff4_map_sums *m = &im->sums;
	uint8_t f512[64], f256[32], v[64];
	char b[128], what[CU_ERROR_MSG_MAX];
	bool stated, ok = true;
	size_t n;

	for (int k = 0; k < 4; k++) {
		if (k == 2 && !m->has_path)
			continue;
		if (!compare_stated(im, im->map, a4n(props[k], b), m->h512[k], m->h256[k],
		                    &stated)) {
			snprintf(what, sizeof(what), "the map's %s differs from the one stated",
			         props[k]);
			self_fail(out, what);
			ok = false;
		}
		if (k != 2)
			sc->stated_all &= stated;
	}
	for (int k = 0; k < 3; k++)
		if (k != 2 || m->has_path) {
			EVP_DigestUpdate(bmh->h512, m->h512[k], 64);
			EVP_DigestUpdate(bmh->h256, m->h256[k], 32);
		}
	if (EVP_DigestFinal_ex(bmh->h512, f512, NULL) != 1 ||
	    EVP_DigestFinal_ex(bmh->h256, f256, NULL) != 1)
		return cu_error_set(err, CU_EFAIL, "a hash failed");
	n = stated_digest(im, im->image, a4n("hash", b), true, v);
	if (!n || memcmp(v, n == 64 ? f512 : f256, n)) {
		self_fail(out, n ? "the image's blockMapHash differs from the one recomputed"
		                 : "the image states no blockMapHash");
		ok &= !n;
		sc->stated_all = false;
	}
	if (!compare_stated(im, im->map, a4n("blockMapHash", b), f512, f256, &stated)) {
		self_fail(out, "the map's blockMapHash differs from the one recomputed");
		ok = false;
	}
	sc->equal &= ok;
	return ok ? CU_OK : damage_all(im, bad, -1, err);
}

/* Union of two ordered lists of sectors into `a`. */
static int ranges_union(struct cu_ranges *a, const struct cu_ranges *b, struct cu_error *err)
{
	struct cu_ranges u = {0};
	size_t i = 0, j = 0;
	uint64_t end = 0;
	int rc = CU_OK;

	while (!rc && (i < a->n || j < b->n)) {
		const struct cu_range *r = j >= b->n || (i < a->n && a->v[i].first <= b->v[j].first)
		                               ? &a->v[i++]
		                               : &b->v[j++];
		uint64_t first = r->first < end ? end : r->first, last = r->first + r->count;

		if (last > first)
			rc = cu_ranges_add(&u, first, last - first, err);
		end = last > end ? last : end;
	}
	if (rc) {
		cu_ranges_free(&u);
		return rc;
	}
	cu_ranges_free(a);
	*a = u;
	return CU_OK;
}

static int scan_self_check(struct scan *s, bool unproved, struct evidence_scan_result *out,
                           struct cu_error *err)
{
	struct self_check sc = {.stated_all = true, .equal = true};
	struct bmh_parts bmh = {EVP_MD_CTX_new(), EVP_MD_CTX_new()};
	struct cu_ranges bad = {0};
	int rc = bmh.h512 && bmh.h256 && EVP_DigestInit_ex(bmh.h512, EVP_sha512(), NULL) == 1 &&
	                 EVP_DigestInit_ex(bmh.h256, EVP_sha256(), NULL) == 1
	             ? CU_OK
	             : cu_error_set(err, CU_EFAIL, "out of memory");

	if (!rc)
		rc = self_block_hashes(s->im, &bmh, &sc, &bad, out, err);
	if (!rc)
		rc = self_map_hashes(s->im, &bmh, &sc, &bad, out, err);
	if (!rc)
		rc = ranges_union(&out->damaged, &bad, err);
	EVP_MD_CTX_free(bmh.h512);
	EVP_MD_CTX_free(bmh.h256);
	cu_ranges_free(&bad);
	out->self_proved = !rc && sc.stated_all && sc.equal && !unproved && !out->damaged.n;
	if (out->self_proved)
		snprintf(
		    out->self_proof, sizeof(out->self_proof),
		    "the volume's own hashes: every chunk's %s block hashes, their "
		    "BlockHashes hashes, the map's hashes and the blockMapHash recompute equal",
		    sc.names);
	return rc;
}

/* ---- setup and teardown ---- */

static int scan_setup(struct scan *s, unsigned checkers, struct cu_error *err)
{
	int rc;

	s->n_blocks = 2 * (size_t)checkers + 6;
	pthread_mutex_init(&s->lock, NULL);
	if ((rc = cu_queue_new(&s->free_q, s->n_blocks, err)) ||
	    (rc = cu_queue_new(&s->check_q, s->n_blocks, err)) ||
	    (rc = cu_queue_new(&s->done_q, s->n_blocks, err)))
		return rc;
	s->pool = calloc(s->n_blocks, sizeof(*s->pool));
	if (!s->pool)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	aff4_planner_init(&s->planner, s->im);
	for (size_t i = 0; i < s->n_blocks; i++) {
		s->pool[i].blk.media = malloc(SCAN_BLOCK);
		s->pool[i].blk.pieces = malloc(AFF4_BLOCK_PIECES * sizeof(struct aff4_piece));
		if (!s->pool[i].blk.media || !s->pool[i].blk.pieces)
			return cu_error_set(err, CU_EFAIL, "out of memory for scan blocks");
		cu_queue_push(s->free_q, &s->pool[i]);
	}
	return CU_OK;
}

static void scan_teardown(struct scan *s)
{
	for (size_t i = 0; s->pool && i < s->n_blocks; i++) {
		free(s->pool[i].blk.media);
		free(s->pool[i].blk.pieces);
		cu_ranges_free(&s->pool[i].blk.damaged);
	}
	free(s->pool);
	cu_queue_free(s->free_q);
	cu_queue_free(s->check_q);
	cu_queue_free(s->done_q);
	pthread_mutex_destroy(&s->lock);
}

struct scan_threads {
	pthread_t planner, checkers[SCAN_CHECKERS_MAX];
	struct checker c[SCAN_CHECKERS_MAX];
	bool planner_started;
	unsigned n;
};

static int checker_init(struct checker *c, struct scan *s)
{
	c->s = s;
	return aff4_checker_init(&c->c, s->im);
}

static void checker_free(struct checker *c)
{
	aff4_checker_free(&c->c);
}

static int scan_start(struct scan *s, struct scan_threads *t, unsigned checkers,
                      const bool want[CU_HASH_COUNT], struct cu_error *err)
{
	int rc;

	if ((rc = cu_digest_fan_new(&s->fan, want, s->n_blocks, scan_release, s, err)))
		return rc;
	atomic_store(&s->checkers, checkers);
	for (; t->n < checkers; t->n++) {
		if (checker_init(&t->c[t->n], s)) {
			checker_free(&t->c[t->n]);
			return cu_error_set(err, CU_EFAIL, "out of memory for a checker");
		}
		if (pthread_create(&t->checkers[t->n], NULL, checker_main, &t->c[t->n])) {
			checker_free(&t->c[t->n]);
			atomic_store(&s->checkers,
			             t->n); /* none of them has ended: check_q is open */
			return cu_error_set(err, CU_EFAIL, "cannot start a checker thread");
		}
	}
	if (pthread_create(&t->planner, NULL, planner_main, s))
		return cu_error_set(err, CU_EFAIL, "cannot start the planner thread");
	t->planner_started = true;
	return CU_OK;
}

static int scan_finish(struct scan *s, struct scan_threads *t, struct evidence_scan_result *out,
                       int rc, struct cu_error *err)
{
	cu_queue_close(s->free_q);
	if (t->planner_started)
		pthread_join(t->planner, NULL);
	cu_queue_close(s->check_q);
	for (unsigned i = 0; i < t->n; i++) {
		pthread_join(t->checkers[i], NULL);
		checker_free(&t->c[i]);
	}
	cu_queue_close(s->done_q);
	if (!rc && atomic_load(&s->failed)) {
		if (err)
			*err = s->err;
		rc = s->err.code ? s->err.code : CU_EFAIL;
	}
	if (s->fan) {
		struct cu_error fan_err;
		int fan_rc = cu_digest_fan_end(s->fan, !rc, &out->computed, &fan_err);

		if (!rc && fan_rc) {
			if (err)
				*err = fan_err;
			rc = fan_rc;
		}
	}
	return rc;
}

int aff4_image_scan(struct aff4_image *im, unsigned threads, const bool want[CU_HASH_COUNT],
                    evidence_media_sink sink, void *ctx, struct evidence_scan_result *out,
                    struct cu_error *err)
{
	struct scan s = {.im = im};
	struct scan_threads t = {0};
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned checkers = threads ? threads : cpus > 0 ? (unsigned)cpus : 1;
	bool unproved = false;
	int rc;

	memset(out, 0, sizeof(*out));
	checkers = checkers > SCAN_CHECKERS_MAX ? SCAN_CHECKERS_MAX : checkers;
	rc = scan_setup(&s, checkers, err);
	if (!rc)
		rc = scan_start(&s, &t, checkers, want, err);
	if (!rc)
		rc = scan_sequence(&s, sink, ctx, out, &unproved, err);
	rc = scan_finish(&s, &t, out, rc, err);
	if (!rc)
		rc = scan_self_check(&s, unproved, out, err);
	scan_teardown(&s);
	return rc;
}
