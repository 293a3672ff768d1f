/*
 * rs.c - Reed-Solomon parity made, checked and used (rs.h), with ISA-L's
 * erasure code (ec_encode_data, gf_invert_matrix) and CRC-64.
 *
 * All three are one walk over the pieces: a piece is the same P bytes of
 * every shard, the unit of a check and of a decode.  A pool of threads
 * takes the pieces from a queue (lib/queue.h); each works through its
 * piece in slices of RS_SLICE bytes of every shard, so that its buffers
 * stay (k + m) slices whatever the size of the set.
 *   - make: read the k data slices, code the m parity slices, write them,
 *     and keep the CRC-64 of every piece for the table, written last;
 *   - check: read each shard's piece and compare its CRC-64 with the
 *     table: a piece that differs, or that cannot be read, is erased;
 *   - rebuild: for a piece with erased data, invert the code on k pieces
 *     that are whole, recompute the erased ones, hold them to their CRC-64,
 *     and write every byte that belongs to a file being rebuilt.
 * The set's files are read through the links of `base_dir` (opened once,
 * so that a file replaced by its rebuilt copy is still read as it was).
 */
#include <errno.h>
#include <fcntl.h>
#include <isa-l/crc64.h>
#include <isa-l/erasure_code.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container/parity/rs.h"
#include "lib/input_file.h"
#include "lib/path.h"
#include "lib/queue.h"

#define RS_SLICE       (128U << 10)
#define RS_PIECE_FLOOR (64U << 10)

enum rs_walk { RS_MAKE, RS_CHECK, RS_REBUILD };

struct rs_set {
	struct rs_layout *l;
	int *fds;              /* each file of the set; -1: missing */
	uint64_t *sizes;       /* as they are now */
	int *out;              /* rebuild: the new file, or -1 */
	int parity_fd;         /* the parity file */
	unsigned char *code;   /* the (k + m) x k code: identity above, Cauchy below */
	unsigned char *tables; /* ec_init_tables of the parity rows */
	bool *erased;          /* (k + m) x n_pieces */
	enum rs_walk walk;
	struct cu_queue *queue;
};

struct rs_worker {
	struct rs_set *s;
	pthread_t thread;
	uint8_t **rows;
	unsigned char *dtables, *matrix, *inverse;
	int rc;
	struct cu_error err;
};

/* All `len` bytes at `at`, read (or, with `out`, written); false when they cannot be. */
static bool io_full(int fd, uint8_t *buf, size_t len, uint64_t at, bool out)
{
	while (len) {
		ssize_t n = out ? pwrite(fd, buf, len, (off_t)at) : pread(fd, buf, len, (off_t)at);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
		at += (uint64_t)n;
	}
	return true;
}

static bool read_full(int fd, uint8_t *buf, size_t len, uint64_t at)
{
	return io_full(fd, buf, len, at, false);
}

static bool write_full(int fd, const uint8_t *buf, size_t len, uint64_t at)
{
	return io_full(fd, (uint8_t *)buf, len, at, true);
}

/* The file that holds stream offset x (the last one starting at or before it). */
static uint32_t file_at(const struct rs_layout *l, uint64_t x)
{
	uint32_t lo = 0, hi = l->n_files - 1;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo + 1) / 2;

		if (l->files[mid].start <= x)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* Stream bytes [x, x + len) into buf (zeros past its end); false when one cannot be read. */
static bool stream_read(const struct rs_set *s, uint64_t x, uint8_t *buf, size_t len)
{
	const struct rs_layout *l = s->l;
	size_t done = 0;

	if (x >= l->stream) {
		memset(buf, 0, len);
		return true;
	}
	if (len > l->stream - x) {
		memset(buf + (l->stream - x), 0, len - (size_t)(l->stream - x));
		len = (size_t)(l->stream - x);
	}
	for (uint32_t f = file_at(l, x); done < len && f < l->n_files; f++) {
		const struct rs_file *rf = &l->files[f];
		uint64_t in = x + done - rf->start;
		size_t n;

		if (in >= rf->size)
			continue;
		n = len - done < rf->size - in ? len - done : (size_t)(rf->size - in);
		if (s->fds[f] < 0 || in + n > s->sizes[f] ||
		    !read_full(s->fds[f], buf + done, n, in))
			return false;
		done += n;
	}
	return done == len;
}

/* Writes what of stream bytes [x, x + len) belongs to a file being rebuilt. */
static bool stream_write_rebuilt(const struct rs_set *s, uint64_t x, const uint8_t *buf, size_t len)
{
	const struct rs_layout *l = s->l;

	if (x >= l->stream)
		return true;
	if (len > l->stream - x)
		len = (size_t)(l->stream - x);
	for (uint32_t f = file_at(l, x); f < l->n_files && l->files[f].start < x + len; f++) {
		const struct rs_file *rf = &l->files[f];
		uint64_t from = x > rf->start ? x : rf->start;
		uint64_t to = x + len < rf->start + rf->size ? x + len : rf->start + rf->size;

		if (s->out[f] >= 0 && from < to &&
		    !write_full(s->out[f], buf + (from - x), (size_t)(to - from), from - rf->start))
			return false;
	}
	return true;
}

/* One row's slice: a data shard's from the stream, a parity shard's from the parity file. */
static bool row_read(const struct rs_set *s, uint32_t r, uint64_t off, uint8_t *buf, size_t len)
{
	const struct rs_layout *l = s->l;

	return r < l->k ? stream_read(s, (uint64_t)r * l->shard + off, buf, len)
	                : read_full(s->parity_fd, buf, len,
	                            l->parity_off + (uint64_t)(r - l->k) * l->shard + off);
}

static void piece_bounds(const struct rs_layout *l, uint64_t q, uint64_t *start, uint64_t *end)
{
	*start = q * l->piece;
	*end = *start + l->piece < l->shard ? *start + l->piece : l->shard;
}

static int piece_make(struct rs_worker *w, uint64_t q)
{
	const struct rs_layout *l = w->s->l;
	uint32_t rows = l->k + l->m;
	uint64_t crc[256] = {0}, start, end;

	piece_bounds(l, q, &start, &end);
	for (uint64_t off = start; off < end; off += RS_SLICE) {
		size_t len = end - off < RS_SLICE ? (size_t)(end - off) : RS_SLICE;

		for (uint32_t i = 0; i < l->k; i++)
			if (!stream_read(w->s, (uint64_t)i * l->shard + off, w->rows[i], len))
				return cu_error_set(&w->err, CU_EFAIL,
				                    "a file of the set cannot be read whole");
		ec_encode_data((int)len, (int)l->k, (int)l->m, w->s->tables, w->rows,
		               w->rows + l->k);
		for (uint32_t r = 0; r < rows; r++)
			crc[r] = crc64_ecma_refl(crc[r], w->rows[r], len);
		for (uint32_t p = 0; p < l->m; p++)
			if (!write_full(w->s->parity_fd, w->rows[l->k + p], len,
			                l->parity_off + (uint64_t)p * l->shard + off))
				return cu_error_errno(&w->err, CU_EFAIL, errno,
				                      "cannot write the parity file");
	}
	for (uint32_t r = 0; r < rows; r++)
		l->checks[(uint64_t)r * l->n_pieces + q] = crc[r];
	return CU_OK;
}

static int piece_check(struct rs_worker *w, uint64_t q)
{
	const struct rs_layout *l = w->s->l;
	uint64_t start, end;

	piece_bounds(l, q, &start, &end);
	for (uint32_t r = 0; r < l->k + l->m; r++) {
		uint64_t crc = 0;
		bool whole = true;

		for (uint64_t off = start; whole && off < end; off += RS_SLICE) {
			size_t len = end - off < RS_SLICE ? (size_t)(end - off) : RS_SLICE;

			if ((whole = row_read(w->s, r, off, w->rows[0], len)))
				crc = crc64_ecma_refl(crc, w->rows[0], len);
		}
		w->s->erased[(uint64_t)r * l->n_pieces + q] =
		    !whole || crc != l->checks[(uint64_t)r * l->n_pieces + q];
	}
	return CU_OK;
}

/*
 * The rows that rebuild piece q: surv[] the first k whole ones, lost[] its
 * erased data rows; w->dtables the code that makes the lost from the
 * surviving (the inverse of the survivors' rows of the code).
 */
static int piece_plan(struct rs_worker *w, uint64_t q, uint32_t *surv, uint32_t *lost,
                      uint32_t *n_lost)
{
	const struct rs_layout *l = w->s->l;
	uint32_t n = 0, k = l->k;

	*n_lost = 0;
	for (uint32_t r = 0; r < k + l->m; r++) {
		bool erased = w->s->erased[(uint64_t)r * l->n_pieces + q];

		if (erased && r < k)
			lost[(*n_lost)++] = r;
		else if (!erased && n < k)
			surv[n++] = r;
	}
	if (!*n_lost)
		return CU_OK;
	if (n < k)
		return cu_error_set(&w->err, CU_EFAIL, "too few whole pieces to rebuild from");
	for (uint32_t i = 0; i < k; i++)
		memcpy(w->matrix + i * k, w->s->code + surv[i] * k, k);
	if (gf_invert_matrix(w->matrix, w->inverse, (int)k) != 0)
		return cu_error_set(&w->err, CU_EFAIL, "the parity's code cannot be inverted");
	for (uint32_t e = 0; e < *n_lost; e++)
		memcpy(w->matrix + e * k, w->inverse + lost[e] * k, k);
	ec_init_tables((int)k, (int)*n_lost, w->matrix, w->dtables);
	return CU_OK;
}

/* Whether a file being rebuilt lies in the data of piece q. */
static bool piece_touches_rebuilt(const struct rs_set *s, uint64_t q)
{
	const struct rs_layout *l = s->l;
	uint64_t start, end;

	piece_bounds(l, q, &start, &end);
	for (uint32_t i = 0; i < l->k; i++) {
		uint64_t x = (uint64_t)i * l->shard + start, y = (uint64_t)i * l->shard + end;

		for (uint32_t f = x < l->stream ? file_at(l, x) : l->n_files;
		     f < l->n_files && l->files[f].start < y; f++)
			if (s->out[f] >= 0 && l->files[f].start + l->files[f].size > x)
				return true;
	}
	return false;
}

static int piece_rebuild(struct rs_worker *w, uint64_t q)
{
	const struct rs_layout *l = w->s->l;
	uint32_t surv[255], lost[255], n_lost;
	uint8_t *in[255], *out[255];
	uint64_t crc[255] = {0}, start, end;
	int rc;

	if ((rc = piece_plan(w, q, surv, lost, &n_lost)))
		return rc;
	if (!n_lost && !piece_touches_rebuilt(w->s, q))
		return CU_OK;
	for (uint32_t i = 0; i < l->k; i++)
		in[i] = w->rows[surv[i]];
	for (uint32_t e = 0; e < n_lost; e++)
		out[e] = w->rows[lost[e]];
	piece_bounds(l, q, &start, &end);
	for (uint64_t off = start; off < end; off += RS_SLICE) {
		size_t len = end - off < RS_SLICE ? (size_t)(end - off) : RS_SLICE;

		for (uint32_t i = 0; i < l->k; i++)
			if (!row_read(w->s, surv[i], off, in[i], len))
				return cu_error_set(&w->err, CU_EFAIL,
				                    "a file changed while it was being repaired");
		if (n_lost)
			ec_encode_data((int)len, (int)l->k, (int)n_lost, w->dtables, in, out);
		for (uint32_t e = 0; e < n_lost; e++)
			crc[e] = crc64_ecma_refl(crc[e], out[e], len);
		for (uint32_t i = 0; i < l->k; i++)
			if (!stream_write_rebuilt(w->s, (uint64_t)i * l->shard + off, w->rows[i],
			                          len))
				return cu_error_errno(&w->err, CU_EFAIL, errno,
				                      "cannot write a rebuilt file");
	}
	for (uint32_t e = 0; e < n_lost; e++)
		if (crc[e] != l->checks[(uint64_t)lost[e] * l->n_pieces + q])
			return cu_error_set(&w->err, CU_EFAIL,
			                    "the rebuilt data does not match its check: the parity "
			                    "cannot restore it");
	return CU_OK;
}

static void *worker_main(void *arg)
{
	struct rs_worker *w = arg;
	uint64_t *q;

	while ((q = cu_queue_pop(w->s->queue))) {
		if (w->rc)
			continue; /* drain */
		w->rc = w->s->walk == RS_MAKE    ? piece_make(w, *q)
		        : w->s->walk == RS_CHECK ? piece_check(w, *q)
		                                 : piece_rebuild(w, *q);
	}
	return NULL;
}

static void worker_free(struct rs_worker *w, uint32_t rows)
{
	for (uint32_t r = 0; w->rows && r < rows; r++)
		free(w->rows[r]);
	free(w->rows);
	free(w->dtables);
	free(w->matrix);
	free(w->inverse);
}

static int worker_alloc(struct rs_worker *w, struct rs_set *s)
{
	uint32_t k = s->l->k, rows = k + s->l->m;
	bool ok = (w->rows = calloc(rows, sizeof(*w->rows))) && (w->matrix = malloc(k * k)) &&
	          (w->inverse = malloc(k * k)) && (w->dtables = malloc(32U * k * s->l->m));

	for (uint32_t r = 0; ok && r < rows; r++)
		ok = (w->rows[r] = malloc(RS_SLICE)) != NULL;
	w->s = s;
	return ok ? CU_OK : cu_error_set(&w->err, CU_EFAIL, "out of memory");
}

/* The walk over every piece, on `threads` threads; the first failure is the result. */
static int rs_walk_all(struct rs_set *s, enum rs_walk walk, unsigned threads, struct cu_error *err)
{
	uint64_t n = s->l->n_pieces, *ids = malloc(n * sizeof(*ids));
	unsigned nw = threads < 1 ? 1 : threads > n ? (unsigned)n : threads, started = 0;
	struct rs_worker *w = calloc(nw, sizeof(*w));
	int rc = ids && w ? cu_queue_new(&s->queue, (size_t)n, err)
	                  : cu_error_set(err, CU_EFAIL, "out of memory");

	s->walk = walk;
	for (unsigned i = 0; !rc && i < nw; i++)
		if ((rc = worker_alloc(&w[i], s)))
			*err = w[i].err;
	for (uint64_t q = 0; !rc && q < n; q++) {
		ids[q] = q;
		cu_queue_push(s->queue, &ids[q]);
	}
	if (!rc)
		cu_queue_close(s->queue);
	for (; !rc && started < nw; started++)
		if (pthread_create(&w[started].thread, NULL, worker_main, &w[started]))
			rc = cu_error_set(err, CU_EFAIL, "cannot start a thread");
	if (rc && s->queue)
		cu_queue_close(s->queue);
	for (unsigned i = 0; i < started; i++) {
		pthread_join(w[i].thread, NULL);
		if (!rc && w[i].rc) {
			rc = w[i].rc;
			*err = w[i].err;
		}
	}
	for (unsigned i = 0; w && i < nw; i++)
		worker_free(&w[i], s->l->k + s->l->m);
	if (s->queue)
		cu_queue_free(s->queue);
	s->queue = NULL;
	free(w);
	free(ids);
	return rc;
}

static int set_code(struct rs_set *s, struct cu_error *err)
{
	uint32_t k = s->l->k, m = s->l->m;

	if (!(s->code = malloc((size_t)(k + m) * k)) || !(s->tables = malloc(32U * k * m)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	gf_gen_cauchy1_matrix(s->code, (int)(k + m), (int)k);
	ec_init_tables((int)k, (int)m, s->code + (size_t)k * k, s->tables);
	return CU_OK;
}

static void set_close(struct rs_set *s)
{
	for (uint32_t f = 0; s->l && f < s->l->n_files; f++) {
		if (s->fds && s->fds[f] >= 0)
			close(s->fds[f]);
		if (s->out && s->out[f] >= 0)
			close(s->out[f]);
	}
	if (s->parity_fd >= 0)
		close(s->parity_fd);
	free(s->fds);
	free(s->out);
	free(s->sizes);
	free(s->code);
	free(s->tables);
	free(s->erased);
	rs_layout_free(s->l);
	memset(s, 0, sizeof(*s));
	s->parity_fd = -1;
}

/* Opens `path` (lib/input_file.h: a regular file, never blocking on a FIFO) and gives its size. */
static int open_sized(const char *path, const char *what, int *fd, uint64_t *size,
                      struct cu_error *err)
{
	struct stat st;
	int rc = cu_input_open(path, what, fd, err);

	if (!rc && fstat(*fd, &st) != 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot examine %s %s", what, path);
	*size = rc ? 0 : (uint64_t)st.st_size;
	return rc;
}

/* A file of the set under `dir`, or *fd -1 when it is missing. */
static int open_member(const char *dir, const char *name, int *fd, uint64_t *size,
                       struct cu_error *err)
{
	char path[4096];
	struct stat st;
	int rc = cu_path_build(path, sizeof(path), err, "%s/%s", dir, name);

	*size = 0;
	if (rc || (stat(path, &st) != 0 && errno == ENOENT))
		return rc;
	return open_sized(path, "the file of the set", fd, size, err);
}

/* The parity file `index` read and checked; the set's files under `base_dir` opened. */
static int set_open(struct rs_set *s, const char *index, const char *base_dir, struct cu_error *err)
{
	uint8_t *buf = NULL;
	uint64_t need = RS_HEADER_SIZE, have = 0, size;
	int rc;

	memset(s, 0, sizeof(*s));
	s->parity_fd = -1;
	if ((rc = open_sized(index, "the parity file", &s->parity_fd, &size, err)))
		return rc;
	/* the header first, then as much as it says the table takes */
	while (!rc && !s->l) {
		uint8_t *grown = need > have ? realloc(buf, need) : NULL;

		if (!grown) {
			rc =
			    cu_error_set(err, CU_EFAIL, "the parity file %s cannot be read", index);
			break;
		}
		buf = grown;
		if (need > size || !read_full(s->parity_fd, buf + have, need - have, have)) {
			rc = cu_error_set(err, CU_EFAIL, "the parity file %s is cut short", index);
			break;
		}
		have = need;
		rc = rs_layout_parse(buf, have, size, &s->l, &need, err);
	}
	free(buf);
	if (rc)
		return rc;
	if (!(s->fds = malloc(s->l->n_files * sizeof(*s->fds))) ||
	    !(s->sizes = calloc(s->l->n_files, sizeof(*s->sizes))) ||
	    !(s->out = malloc(s->l->n_files * sizeof(*s->out))) ||
	    !(s->erased = calloc((size_t)(s->l->k + s->l->m) * s->l->n_pieces, sizeof(bool))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (uint32_t f = 0; f < s->l->n_files; f++)
		s->fds[f] = s->out[f] = -1;
	for (uint32_t f = 0; !rc && f < s->l->n_files; f++)
		rc = open_member(base_dir, s->l->files[f].name, &s->fds[f], &s->sizes[f], err);
	return rc ? rc : set_code(s, err);
}

/* m parity shards for `percent`: six where the code allows (one pass of ISA-L), k from them. */
static void choose_shards(unsigned percent, uint32_t *k, uint32_t *m)
{
	for (*m = RS_M_MAX; *m > 1; (*m)--)
		if ((*k = 100U * *m / percent) >= 1 && *k + *m <= 255)
			return;
	*k = 100U / percent < 254 ? 100U / percent : 254;
	*k = *k ? *k : 1;
}

static int make_layout(struct rs_set *s, const char *const *paths, size_t n, unsigned percent,
                       struct cu_error *err)
{
	struct rs_layout *l = calloc(1, sizeof(*l));
	uint64_t floor_piece;

	if (!n || n > 65535) {
		free(l);
		return cu_error_set(err, CU_EFAIL, "a set of %zu files cannot be given parity", n);
	}
	if (!(s->l = l) || !(l->files = calloc(n, sizeof(*l->files))) ||
	    !(s->fds = malloc(n * sizeof(*s->fds))) || !(s->sizes = calloc(n, sizeof(*s->sizes))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t f = 0; f < n; f++)
		s->fds[f] = -1;
	l->n_files = (uint32_t)n;
	for (size_t f = 0; f < n; f++) {
		const char *slash = strrchr(paths[f], '/');
		int rc;

		if (!(l->files[f].name = strdup(slash ? slash + 1 : paths[f])))
			return cu_error_set(err, CU_EFAIL, "out of memory");
		if (strlen(l->files[f].name) > 255)
			return cu_error_set(err, CU_EUSAGE, "%s: a name too long for the parity",
			                    paths[f]);
		if ((rc = open_sized(paths[f], "the file of the set", &s->fds[f], &s->sizes[f],
		                     err)))
			return rc;
		l->files[f].start = l->stream;
		l->files[f].size = s->sizes[f];
		if (l->stream + l->files[f].size < l->stream)
			return cu_error_set(err, CU_EFAIL, "the set is too large");
		l->stream += l->files[f].size;
	}
	if (!l->stream)
		return cu_error_set(err, CU_EFAIL, "the set is empty");
	choose_shards(percent, &l->k, &l->m);
	l->shard = rs_shard_size(l->stream, l->k);
	floor_piece = (l->shard / RS_PIECES_MAX + 4096) / 4096 * 4096;
	l->piece = floor_piece > RS_PIECE_FLOOR ? floor_piece : RS_PIECE_FLOOR;
	l->piece = l->piece < l->shard ? l->piece : l->shard;
	l->n_pieces = l->shard / l->piece + (l->shard % l->piece != 0);
	if (!(l->checks = calloc((size_t)(l->k + l->m) * l->n_pieces, sizeof(*l->checks))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	l->parity_off = (RS_HEADER_SIZE + rs_table_size(l) + 4095) / 4096 * 4096;
	return rs_table_size(l) > RS_TABLE_MAX
	           ? cu_error_set(err, CU_EFAIL, "the set has too many files for its parity")
	           : set_code(s, err);
}

int rs_create(const char *index, const char *const *paths, size_t n, unsigned percent,
              unsigned threads, struct cu_error *err)
{
	struct rs_set s = {.parity_fd = -1};
	uint8_t *head = NULL;
	size_t head_len = 0;
	int rc;

	if (!percent || percent > 100)
		return cu_error_set(err, CU_EUSAGE, "parity of %u%% cannot be made", percent);
	if (!(rc = make_layout(&s, paths, n, percent, err)) &&
	    (s.parity_fd =
	         open(index, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot make %s", index);
	if (!rc && ftruncate(s.parity_fd, (off_t)(s.l->parity_off + (uint64_t)s.l->m * s.l->shard)))
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot make %s", index);
	if (!rc)
		rc = rs_walk_all(&s, RS_MAKE, threads, err);
	if (!rc)
		rc = rs_layout_encode(s.l, &head, &head_len, err);
	if (!rc && (!write_full(s.parity_fd, head, head_len, 0) || fsync(s.parity_fd)))
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot write %s", index);
	free(head);
	if (rc && s.parity_fd >= 0)
		unlink(index);
	set_close(&s);
	return rc;
}

/* The check of every piece, and the verdict. */
static int set_judge(struct rs_set *s, unsigned threads, struct parity_check *out,
                     struct cu_error *err)
{
	const struct rs_layout *l;
	uint32_t worst = 0;
	bool sizes = true;
	int rc = rs_walk_all(s, RS_CHECK, threads, err);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	l = s->l;
	for (uint64_t q = 0; q < l->n_pieces; q++) {
		uint32_t e = 0;

		for (uint32_t r = 0; r < l->k + l->m; r++)
			e += s->erased[(uint64_t)r * l->n_pieces + q];
		worst = e > worst ? e : worst;
	}
	for (uint32_t f = 0; f < l->n_files; f++)
		sizes = sizes && s->fds[f] >= 0 && s->sizes[f] == l->files[f].size;
	out->state = worst > l->m          ? PARITY_NOT_REPAIRABLE
	             : worst == 0 && sizes ? PARITY_INTACT
	                                   : PARITY_REPAIRABLE;
	out->blocks_needed = worst > l->m ? worst - l->m : 0;
	return CU_OK;
}

int rs_verify(const char *index, const char *base_dir, unsigned threads, struct parity_check *out,
              struct cu_error *err)
{
	struct rs_set s;
	int rc = set_open(&s, index, base_dir, err);

	if (!rc)
		rc = set_judge(&s, threads, out, err);
	set_close(&s);
	return rc;
}

/* The files to rebuild: missing, of another size, or with a byte in an erased piece. */
static void mark_rebuilt(struct rs_set *s, bool *rebuild)
{
	const struct rs_layout *l = s->l;

	for (uint32_t f = 0; f < l->n_files; f++)
		rebuild[f] = s->fds[f] < 0 || s->sizes[f] != l->files[f].size;
	for (uint32_t i = 0; i < l->k; i++)
		for (uint64_t q = 0; q < l->n_pieces; q++) {
			uint64_t start, end, x, y;

			if (!s->erased[(uint64_t)i * l->n_pieces + q])
				continue;
			piece_bounds(l, q, &start, &end);
			x = (uint64_t)i * l->shard + start;
			y = (uint64_t)i * l->shard + end;
			for (uint32_t f = x < l->stream ? file_at(l, x) : l->n_files;
			     f < l->n_files && l->files[f].start < y; f++)
				if (l->files[f].start + l->files[f].size > x)
					rebuild[f] = true;
		}
}

/* Whether the rebuilt file f is the file that was there, byte for byte. */
static bool same_as_before(const struct rs_set *s, uint32_t f)
{
	uint8_t a[65536], b[65536];
	uint64_t size = s->l->files[f].size;

	if (s->fds[f] < 0 || s->sizes[f] != size)
		return false;
	for (uint64_t at = 0; at < size; at += sizeof(a)) {
		size_t n = size - at < sizeof(a) ? (size_t)(size - at) : sizeof(a);

		if (!read_full(s->fds[f], a, n, at) || !read_full(s->out[f], b, n, at) ||
		    memcmp(a, b, n))
			return false;
	}
	return true;
}

/* Each file to rebuild as a new file in place of its link under `base_dir`. */
static int open_rebuilt(struct rs_set *s, int dir, const bool *rebuild, struct cu_error *err)
{
	for (uint32_t f = 0; f < s->l->n_files; f++) {
		const char *name = s->l->files[f].name;

		if (!rebuild[f])
			continue;
		if (unlinkat(dir, name, 0) != 0 && errno != ENOENT)
			return cu_error_errno(err, CU_EFAIL, errno, "cannot replace the link %s",
			                      name);
		if ((s->out[f] = openat(dir, name,
		                        O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) <
		        0 ||
		    ftruncate(s->out[f], (off_t)s->l->files[f].size) != 0)
			return cu_error_errno(err, CU_EFAIL, errno, "cannot write %s", name);
	}
	return CU_OK;
}

int rs_repair(const char *index, const char *base_dir, unsigned threads, struct parity_check *out,
              struct cu_error *err)
{
	struct rs_set s;
	bool *rebuild = NULL;
	int dir = -1, rc = set_open(&s, index, base_dir, err);

	if (!rc)
		rc = set_judge(&s, threads, out, err);
	if (rc || out->state != PARITY_REPAIRABLE) {
		set_close(&s);
		return rc;
	}
	if (!(rebuild = calloc(s.l->n_files, sizeof(*rebuild))))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	else if ((dir = open(base_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		rc = cu_error_errno(err, CU_EFAIL, errno, "cannot open %s", base_dir);
	if (!rc) {
		mark_rebuilt(&s, rebuild);
		rc = open_rebuilt(&s, dir, rebuild, err);
	}
	if (!rc)
		rc = rs_walk_all(&s, RS_REBUILD, threads, err);
	for (uint32_t f = 0; !rc && f < s.l->n_files; f++) {
		if (s.out[f] < 0)
			continue;
		if (fsync(s.out[f]) != 0)
			rc = cu_error_errno(err, CU_EFAIL, errno, "cannot write %s",
			                    s.l->files[f].name);
		else if (same_as_before(&s,
		                        f)) /* whole after all: its piece held another's damage */
			unlinkat(dir, s.l->files[f].name, 0);
	}
	if (!rc)
		out->state = PARITY_INTACT;
	if (dir >= 0)
		close(dir);
	free(rebuild);
	set_close(&s);
	return rc;
}
