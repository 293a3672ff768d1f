/*
 * convert_feed.c - streaming the old set into the conversion's pipe, the
 * last byte held back until the old set has proven itself.
 *
 * Each piece of media evidence_scan gives is written but its last byte,
 * which waits for the next piece: at the end, one byte is still held, and
 * goes out only when the scan found no damage and every digest the set
 * stores was recomputed equal (an AFF4 volume that stores none: when its
 * own block hashes, map hashes and blockMapHash proved it).  A reader that went away (the acquisition
 * refused, or failed) makes the writes fail with EPIPE (SIGPIPE is ignored
 * by the program) and the scan stop.
 */
#include "acquire/convert/convert_feed.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static int feed_write(struct convert_feed *f, const uint8_t *p, size_t len, struct cu_error *err)
{
	while (len) {
		ssize_t n = write(f->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			f->cut = true;
			return cu_error_errno(err, CU_EFAIL, errno,
			                      "the conversion stopped reading the old set");
		}
		p += n;
		len -= (size_t)n;
	}
	return CU_OK;
}

static int feed_sink(void *ctx, const uint8_t *media, size_t len, struct cu_error *err)
{
	struct convert_feed *f = ctx;
	int rc;

	if (!len)
		return CU_OK;
	if (f->held && (rc = feed_write(f, &f->last, 1, err)))
		return rc;
	if ((rc = feed_write(f, media, len - 1, err)))
		return rc;
	f->last = media[len - 1];
	f->held = true;
	return CU_OK;
}

/* Whether the read proves the set: no damage, every stored digest recomputed equal. */
static bool feed_proven(struct convert_feed *f)
{
	const struct cu_digests *c = &f->scan.computed;
	bool any = false;

	if (f->scan.damaged.n) {
		cu_error_set(&f->err, CU_EFAIL, "the old set is damaged: %s", f->scan.failure);
		return false;
	}
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!f->stored.have[a])
			continue;
		if (!c->have[a] || memcmp(cu_digests_get(c, a), cu_digests_get(&f->stored, a),
		                          cu_hash_size(a)) != 0) {
			cu_error_set(&f->err, CU_EFAIL,
			             "the old set's media does not match its stored %s: nothing is "
			             "converted",
			             cu_hash_name(a));
			return false;
		}
		any = true;
	}
	if (!any && f->scan.self_proved) /* an AFF4 volume without linear digests */
		return true;
	if (!any)
		cu_error_set(&f->err, CU_EUSAGE,
		             "the old set stores no digest, and its own hashes do not prove it: "
		             "a conversion could not be proven");
	return any;
}

static void *feed_main(void *arg)
{
	struct convert_feed *f = arg;

	if (!evidence_scan(f->old, 0, f->want, feed_sink, f, &f->scan, &f->err) &&
	    (f->proven = feed_proven(f)) && f->held && feed_write(f, &f->last, 1, &f->err))
		f->proven = false;
	close(f->fd);
	f->fd = -1;
	return NULL;
}

int convert_feed_start(struct convert_feed *f, struct cu_error *err)
{
	int rc = pthread_create(&f->thread, NULL, feed_main, f);

	if (rc)
		return cu_error_errno(err, CU_EFAIL, rc, "cannot start reading the old set");
	f->started = true;
	return CU_OK;
}

void convert_feed_join(struct convert_feed *f)
{
	if (f->started)
		pthread_join(f->thread, NULL);
	f->started = false;
}

void convert_feed_free(struct convert_feed *f)
{
	convert_feed_join(f);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	cu_ranges_free(&f->scan.damaged);
}
