/*
 * evidence.c - choosing a set's backend by its content, and handing every
 * call to that backend's table of functions.
 *
 * The file named is opened as hostile input (a regular file only, never
 * blocking on a FIFO) and its first bytes are shown to each backend in
 * turn (EWF, AFF4, raw); the first that claims them opens the set.  Raw
 * claims anything, so it comes last.
 */
#include "container/evidence.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/input_file.h"

struct evidence {
	const struct evidence_ops *ops;
	void *state;
};

static const struct evidence_ops *const backends[] = {&evidence_ewf_ops, &evidence_aff4_ops,
                                                      &evidence_raw_ops};

/* The first bytes of `path` (fewer when it is shorter). */
static int evidence_head(const char *path, uint8_t head[16], size_t *n, struct cu_error *err)
{
	struct stat st;
	ssize_t got;
	int fd, rc;

	if (stat(path, &st) != 0)
		return cu_error_errno(err, CU_EUSAGE, errno, "cannot open the evidence %s", path);
	if ((rc = cu_input_open(path, "the evidence", &fd, err)))
		return rc;
	do
		got = pread(fd, head, 16, 0);
	while (got < 0 && errno == EINTR);
	close(fd);
	if (got < 0)
		return cu_error_errno(err, CU_EFAIL, errno, "%s: cannot read the evidence", path);
	*n = (size_t)got;
	return CU_OK;
}

int evidence_open(struct evidence **out, const char *path, const struct evidence_records *records,
                  struct cu_error *err)
{
	struct evidence *e;
	uint8_t head[16];
	size_t n = 0, i = 0;
	int rc = evidence_head(path, head, &n, err);

	if (rc)
		return rc;
	while (i + 1 < sizeof(backends) / sizeof(backends[0]) && !backends[i]->claims(head, n))
		i++;
	if (!(e = calloc(1, sizeof(*e))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	e->ops = backends[i];
	if ((rc = e->ops->open(&e->state, path, records, err))) {
		free(e);
		return rc;
	}
	*out = e;
	return CU_OK;
}

void evidence_close(struct evidence *e)
{
	if (!e)
		return;
	e->ops->close(e->state);
	free(e);
}

uint64_t evidence_media_size(const struct evidence *e)
{
	return e->ops->media_size(e->state);
}

uint32_t evidence_bytes_per_sector(const struct evidence *e)
{
	return e->ops->bytes_per_sector(e->state);
}

uint32_t evidence_chunk_size(const struct evidence *e)
{
	return e->ops->chunk_size(e->state);
}

void evidence_facts(const struct evidence *e, struct evidence_facts *f)
{
	memset(f, 0, sizeof(*f));
	e->ops->facts(e->state, f);
}

void evidence_stored_digests(const struct evidence *e, struct cu_digests *d)
{
	e->ops->stored_digests(e->state, d);
}

int evidence_read_errors(const struct evidence *e, struct cu_ranges *out, struct cu_error *err)
{
	return e->ops->read_errors(e->state, out, err);
}

size_t evidence_file_count(const struct evidence *e)
{
	return e->ops->file_count(e->state);
}

const char *evidence_file_name(const struct evidence *e, size_t i)
{
	return e->ops->file_name(e->state, i);
}

int evidence_chain_check(const struct evidence *e, char *problem, size_t cap)
{
	return e->ops->chain_check(e->state, problem, cap);
}

int evidence_header_value(const struct evidence *e, const char *id, char **out,
                          struct cu_error *err)
{
	return e->ops->header_value(e->state, id, out, err);
}

int evidence_dates(const struct evidence *e, struct evidence_dates *out, struct cu_error *err)
{
	return e->ops->dates(e->state, out, err);
}

void evidence_dates_free(struct evidence_dates *d)
{
	free(d->acquired);
	free(d->system);
	d->acquired = d->system = NULL;
}

int evidence_scan(struct evidence *e, unsigned threads, const bool want[CU_HASH_COUNT],
                  evidence_media_sink sink, void *ctx, struct evidence_scan_result *out,
                  struct cu_error *err)
{
	memset(out, 0, sizeof(*out));
	return e->ops->scan(e->state, threads, want, sink, ctx, out, err);
}

struct evidence_cursor {
	struct evidence *e;
	void *state;
};

uint64_t evidence_chunk_count(const struct evidence *e)
{
	uint64_t cs = evidence_chunk_size(e);

	return cs ? (evidence_media_size(e) + cs - 1) / cs : 0;
}

int evidence_cursor_open(struct evidence *e, struct evidence_cursor **out, struct cu_error *err)
{
	struct evidence_cursor *c = calloc(1, sizeof(*c));
	int rc;

	if (!c)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	c->e = e;
	if ((rc = e->ops->cursor_open(e->state, &c->state, err))) {
		free(c);
		return rc;
	}
	*out = c;
	return CU_OK;
}

int evidence_cursor_read(struct evidence_cursor *cur, struct evidence_chunk *c,
                         struct cu_error *err)
{
	uint64_t cs = evidence_chunk_size(cur->e), size = evidence_media_size(cur->e);

	if (c->index >= evidence_chunk_count(cur->e))
		return cu_error_set(err, CU_EFAIL, "chunk %llu lies beyond the media",
		                    (unsigned long long)c->index);
	c->media_off = c->index * cs;
	c->len = (size_t)(size - c->media_off < cs ? size - c->media_off : cs);
	c->why[0] = '\0';
	cu_ranges_clear(&c->damaged);
	return cur->e->ops->cursor_read(cur->state, c, err);
}

void evidence_cursor_close(struct evidence_cursor *cur)
{
	if (!cur)
		return;
	cur->e->ops->cursor_close(cur->state);
	free(cur);
}
