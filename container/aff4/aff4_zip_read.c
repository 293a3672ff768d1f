/*
 * aff4_zip_read.c - the end records, the central directory and the local
 * headers of a ZIP or ZIP64 volume, each field checked before it is used.
 *
 * Record layouts (PKWARE's APPNOTE; FORMAT.md section 1): the end record
 * (22 bytes and a comment) must end the file exactly; a ZIP64 locator
 * (20 bytes) right before it names the ZIP64 end record (56 bytes or more),
 * whose counts, size and offset replace the end record's.  Central
 * directory entries are 46 bytes, then the name, the extra fields and a
 * comment; the ZIP64 extra field (id 1) holds, in order, the uncompressed
 * size, the compressed size, the local header's offset and the disk, each
 * only where the 32-bit (16-bit) field is saturated.  Local headers are 30
 * bytes, then the name and extra fields: the member's bytes follow.
 *
 * Sums are done in 64 bits after checking each term against what remains,
 * so that no offset wraps around.  The members, sorted by where they lie,
 * must not overlap and must end before the central directory; sorted by
 * name, they are found by binary search.
 */
#include "container/aff4/aff4_zip_read.h"

#include <errno.h>
#include <libdeflate.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/le.h"

#define SIG_LOCAL      0x04034b50U
#define SIG_CENTRAL    0x02014b50U
#define SIG_END64      0x06064b50U
#define SIG_LOCATOR64  0x07064b50U
#define SIG_END        0x06054b50U
#define END_LEN        22U
#define LOCATOR_LEN    20U
#define END64_LEN      56U
#define CENTRAL_LEN    46U
#define LOCAL_LEN      30U
#define COMMENT_MAX    0xFFFFU
#define FLAG_ENCRYPTED 0x0001U
#define FLAG_STRONG    0x0040U
#define MAX16          0xFFFFU
#define MAX32          0xFFFFFFFFULL

struct aff4_zip_read {
	int fd;
	uint64_t size;
	char *comment;
	struct aff4_zip_entry *v;
	char *names; /* every name, NUL-terminated, one after another */
	size_t n;
};

/* Where the central directory is, as the end records say. */
struct zip_end {
	uint64_t entries, cd_size, cd_offset;
	uint64_t limit; /* where the central directory must end: the first end record */
};

int aff4_zip_read_at(const struct aff4_zip_read *z, void *buf, size_t len, uint64_t offset,
                     struct cu_error *err)
{
	size_t done = 0;

	if (offset > z->size || len > z->size - offset)
		return cu_error_set(err, CU_EFAIL, "AFF4 volume: a read past its end (byte %llu)",
		                    (unsigned long long)offset);
	while (done < len) {
		ssize_t n = pread(z->fd, (uint8_t *)buf + done, len - done, (off_t)(offset + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? cu_error_errno(err, CU_EFAIL, errno,
			                              "AFF4 volume: cannot read byte %llu",
			                              (unsigned long long)(offset + done))
			             : cu_error_set(err, CU_EFAIL,
			                            "AFF4 volume: it ends at byte %llu, short of "
			                            "what it held when opened",
			                            (unsigned long long)(offset + done));
		done += (size_t)n;
	}
	return CU_OK;
}

static int zip_bad(struct cu_error *err, const char *what)
{
	return cu_error_set(err, CU_EUSAGE, "not a ZIP volume custos can read: %s", what);
}

/* The end record: the last 22 bytes with a comment that ends the file exactly. */
static int zip_find_end(struct aff4_zip_read *z, uint64_t *at, uint8_t rec[END_LEN],
                        struct cu_error *err)
{
	size_t tail = z->size < END_LEN + COMMENT_MAX ? (size_t)z->size : END_LEN + COMMENT_MAX;
	uint8_t *buf;
	int rc;

	if (z->size < END_LEN)
		return zip_bad(err, "too short for an end record");
	if (!(buf = malloc(tail)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if ((rc = aff4_zip_read_at(z, buf, tail, z->size - tail, err))) {
		free(buf);
		return rc;
	}
	for (size_t p = tail - END_LEN + 1; p-- > 0;) {
		if (cu_le32_get(buf + p) != SIG_END ||
		    p + END_LEN + cu_le16_get(buf + p + 20) != tail)
			continue;
		memcpy(rec, buf + p, END_LEN);
		*at = z->size - tail + p;
		z->comment = strndup((const char *)buf + p + END_LEN, cu_le16_get(buf + p + 20));
		free(buf);
		return z->comment ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");
	}
	free(buf);
	return zip_bad(err, "no end of central directory record at its end");
}

/* The ZIP64 end record the locator before `end_at` names. */
static int zip_read_end64(struct aff4_zip_read *z, uint64_t end_at, struct zip_end *e,
                          struct cu_error *err)
{
	uint8_t loc[LOCATOR_LEN], rec[END64_LEN];
	uint64_t at;
	int rc;

	if ((rc = aff4_zip_read_at(z, loc, LOCATOR_LEN, end_at - LOCATOR_LEN, err)))
		return rc;
	at = cu_le64_get(loc + 8);
	if (cu_le32_get(loc + 4) != 0 || cu_le32_get(loc + 16) != 1)
		return zip_bad(err, "a multi-disk archive (split or spanned ZIP)");
	if (at > end_at - LOCATOR_LEN || end_at - LOCATOR_LEN - at < END64_LEN)
		return zip_bad(err, "the ZIP64 end record lies outside the volume");
	if ((rc = aff4_zip_read_at(z, rec, END64_LEN, at, err)))
		return rc;
	if (cu_le32_get(rec) != SIG_END64)
		return zip_bad(err, "no ZIP64 end record where its locator points");
	if (cu_le32_get(rec + 16) != 0 || cu_le32_get(rec + 20) != 0 ||
	    cu_le64_get(rec + 24) != cu_le64_get(rec + 32))
		return zip_bad(err, "a multi-disk archive (split or spanned ZIP)");
	e->entries = cu_le64_get(rec + 32);
	e->cd_size = cu_le64_get(rec + 40);
	e->cd_offset = cu_le64_get(rec + 48);
	e->limit = at;
	return CU_OK;
}

static int zip_read_ends(struct aff4_zip_read *z, struct zip_end *e, struct cu_error *err)
{
	uint8_t rec[END_LEN] = {0}, sig[4] = {0};
	uint64_t at = 0;
	bool saturated;
	int rc;

	if ((rc = zip_find_end(z, &at, rec, err)))
		return rc;
	saturated = cu_le16_get(rec + 8) == MAX16 || cu_le16_get(rec + 10) == MAX16 ||
	            cu_le32_get(rec + 12) == MAX32 || cu_le32_get(rec + 16) == MAX32;
	if (at >= LOCATOR_LEN && (rc = aff4_zip_read_at(z, sig, 4, at - LOCATOR_LEN, err)))
		return rc;
	if (at >= LOCATOR_LEN && cu_le32_get(sig) == SIG_LOCATOR64) {
		if ((rc = zip_read_end64(z, at, e, err)))
			return rc;
	} else if (saturated) {
		return zip_bad(err, "ZIP64 values without a ZIP64 end record");
	} else {
		if (cu_le16_get(rec + 4) != 0 || cu_le16_get(rec + 6) != 0 ||
		    cu_le16_get(rec + 8) != cu_le16_get(rec + 10))
			return zip_bad(err, "a multi-disk archive (split or spanned ZIP)");
		e->entries = cu_le16_get(rec + 10);
		e->cd_size = cu_le32_get(rec + 12);
		e->cd_offset = cu_le32_get(rec + 16);
		e->limit = at;
	}
	if (e->entries == 0)
		return zip_bad(err, "it holds no member");
	if (e->entries > AFF4_ZIP_MEMBERS_MAX)
		return zip_bad(err, "more members than custos reads (1048576)");
	if (e->cd_size > AFF4_ZIP_CENTRAL_MAX)
		return zip_bad(err, "a central directory larger than custos reads (128 MiB)");
	if (e->cd_offset > e->limit || e->cd_size > e->limit - e->cd_offset)
		return zip_bad(err, "the central directory lies outside the volume");
	return CU_OK;
}

/* The ZIP64 extra field of a central entry: the saturated values, in order. */
static int zip_extra64(const uint8_t *x, size_t len, struct aff4_zip_entry *m, bool disk_saturated,
                       struct cu_error *err)
{
	bool want[3] = {m->usize == MAX32, m->size == MAX32, m->header == MAX32};
	uint64_t *slot[3] = {&m->usize, &m->size, &m->header};

	while (len >= 4) {
		uint16_t id = cu_le16_get(x), n = cu_le16_get(x + 2);
		size_t at = 0;

		if ((size_t)n > len - 4)
			return zip_bad(err, "an extra field runs past its entry");
		for (int i = 0; id == 0x0001 && i < 3; i++) {
			if (!want[i])
				continue;
			if (at + 8 > n)
				return zip_bad(err, "a ZIP64 extra field too short for its values");
			*slot[i] = cu_le64_get(x + 4 + at);
			want[i] = false;
			at += 8;
		}
		if (id == 0x0001 && disk_saturated && (at + 4 > n || cu_le32_get(x + 4 + at) != 0))
			return zip_bad(err, "a member on another disk");
		x += 4 + (size_t)n;
		len -= 4 + (size_t)n;
	}
	return CU_OK;
}

/* One central directory entry at `p` (`left` bytes there); *used its length. */
static int zip_central_entry(const uint8_t *p, size_t left, struct aff4_zip_entry *m,
                             size_t *name_len, size_t *used, struct cu_error *err)
{
	size_t n, x, c;
	uint16_t flags;

	if (left < CENTRAL_LEN || cu_le32_get(p) != SIG_CENTRAL)
		return zip_bad(err, "a central directory entry is cut short or has no signature");
	n = cu_le16_get(p + 28), x = cu_le16_get(p + 30), c = cu_le16_get(p + 32);
	if (n + x + c > left - CENTRAL_LEN)
		return zip_bad(err, "a central directory entry runs past the directory");
	if (n == 0 || n > AFF4_ZIP_NAME_MAX || memchr(p + CENTRAL_LEN, 0, n))
		return zip_bad(err, "a member name empty, too long (over 1024 bytes) or with NUL");
	flags = cu_le16_get(p + 8);
	if (flags & (FLAG_ENCRYPTED | FLAG_STRONG))
		return zip_bad(err, "an encrypted member");
	*m = (struct aff4_zip_entry){.method = cu_le16_get(p + 10),
	                             .size = cu_le32_get(p + 20),
	                             .usize = cu_le32_get(p + 24),
	                             .header = cu_le32_get(p + 42)};
	if (cu_le16_get(p + 34) != 0 && cu_le16_get(p + 34) != MAX16)
		return zip_bad(err, "a member on another disk");
	*name_len = n;
	*used = CENTRAL_LEN + n + x + c;
	return zip_extra64(p + CENTRAL_LEN + n, x, m, cu_le16_get(p + 34) == MAX16, err);
}

/* Where the member's bytes begin, through its local header; they must end before `limit`. */
static int zip_local(struct aff4_zip_read *z, struct aff4_zip_entry *m, uint64_t limit,
                     struct cu_error *err)
{
	uint8_t h[LOCAL_LEN + AFF4_ZIP_NAME_MAX];
	size_t n;
	int rc;

	if (m->header > limit || limit - m->header < LOCAL_LEN)
		return zip_bad(err, "a member's local header lies outside the volume");
	if ((rc = aff4_zip_read_at(z, h, LOCAL_LEN, m->header, err)))
		return rc;
	n = cu_le16_get(h + 26);
	if (cu_le32_get(h) != SIG_LOCAL || n != strlen(m->name) || cu_le16_get(h + 8) != m->method)
		return zip_bad(err, "a local header that does not match its central entry");
	m->data = m->header + LOCAL_LEN + n + cu_le16_get(h + 28);
	if (m->data > limit || m->size > limit - m->data)
		return zip_bad(err, "a member runs past the central directory");
	if ((rc = aff4_zip_read_at(z, h + LOCAL_LEN, n, m->header + LOCAL_LEN, err)))
		return rc;
	if (memcmp(h + LOCAL_LEN, m->name, n))
		return zip_bad(err, "a local header that does not match its central entry");
	if (m->method == 0 && m->size != m->usize)
		return zip_bad(err, "a stored member whose two sizes differ");
	return CU_OK;
}

static int zip_parse_central(struct aff4_zip_read *z, const uint8_t *cd, const struct zip_end *e,
                             struct cu_error *err)
{
	size_t at = 0, names = 0;
	int rc;

	if (!(z->v = calloc((size_t)e->entries, sizeof(*z->v))) ||
	    !(z->names = malloc((size_t)e->cd_size + 1)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; i < e->entries; i++) {
		size_t n = 0, used = 0;

		if ((rc = zip_central_entry(cd + at, (size_t)e->cd_size - at, &z->v[i], &n, &used,
		                            err)))
			return rc;
		memcpy(z->names + names, cd + at + CENTRAL_LEN, n);
		z->names[names + n] = '\0';
		z->v[i].name = z->names + names;
		names += n + 1;
		at += used;
		z->n++;
	}
	if (at != e->cd_size)
		return zip_bad(err, "the central directory's size disagrees with its entries");
	return CU_OK;
}

static int zip_by_header(const void *a, const void *b)
{
	const struct aff4_zip_entry *x = a, *y = b;

	return x->header < y->header ? -1 : x->header > y->header;
}

static int zip_by_name(const void *a, const void *b)
{
	return strcmp(((const struct aff4_zip_entry *)a)->name,
	              ((const struct aff4_zip_entry *)b)->name);
}

/* Members in place order: none may overlap the next; then in name order, none twice. */
static int zip_check_layout(struct aff4_zip_read *z, const struct zip_end *e, struct cu_error *err)
{
	int rc;

	for (size_t i = 0; i < z->n; i++)
		if ((rc = zip_local(z, &z->v[i], e->cd_offset, err)))
			return rc;
	qsort(z->v, z->n, sizeof(*z->v), zip_by_header);
	for (size_t i = 1; i < z->n; i++)
		if (z->v[i - 1].data + z->v[i - 1].size > z->v[i].header)
			return zip_bad(err, "two members overlap");
	qsort(z->v, z->n, sizeof(*z->v), zip_by_name);
	for (size_t i = 1; i < z->n; i++)
		if (!strcmp(z->v[i - 1].name, z->v[i].name))
			return zip_bad(err, "two members of the same name");
	return CU_OK;
}

int aff4_zip_read_open(struct aff4_zip_read **out, int fd, uint64_t size, struct cu_error *err)
{
	struct aff4_zip_read *z = calloc(1, sizeof(*z));
	struct zip_end e = {0};
	uint8_t *cd = NULL;
	int rc;

	if (!z)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	z->fd = fd;
	z->size = size;
	rc = zip_read_ends(z, &e, err);
	if (!rc && !(cd = malloc((size_t)e.cd_size + 1)))
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (!rc)
		rc = aff4_zip_read_at(z, cd, (size_t)e.cd_size, e.cd_offset, err);
	if (!rc)
		rc = zip_parse_central(z, cd, &e, err);
	if (!rc)
		rc = zip_check_layout(z, &e, err);
	free(cd);
	if (rc) {
		aff4_zip_read_free(z);
		return rc;
	}
	*out = z;
	return CU_OK;
}

const char *aff4_zip_read_comment(const struct aff4_zip_read *z)
{
	return z->comment;
}

const struct aff4_zip_entry *aff4_zip_read_find(const struct aff4_zip_read *z, const char *name)
{
	struct aff4_zip_entry key = {.name = name};

	return bsearch(&key, z->v, z->n, sizeof(*z->v), zip_by_name);
}

int aff4_zip_read_stored(const struct aff4_zip_read *z, const char *name, uint64_t *offset,
                         uint64_t *size, struct cu_error *err)
{
	const struct aff4_zip_entry *m = aff4_zip_read_find(z, name);

	if (!m)
		return cu_error_set(err, CU_EFAIL, "AFF4 volume: no member %s", name);
	if (m->method != 0)
		return cu_error_set(err, CU_EFAIL,
		                    "AFF4 volume: member %s is compressed (method %u); stream "
		                    "data must be stored",
		                    name, m->method);
	*offset = m->data;
	*size = m->size;
	return CU_OK;
}

/* A deflated member into `out` (`usize` bytes exactly). */
static int zip_inflate(const uint8_t *in, size_t len, uint8_t *out, size_t usize, const char *name,
                       struct cu_error *err)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	size_t got = 0;
	enum libdeflate_result r;

	if (!d)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	r = libdeflate_deflate_decompress(d, in, len, out, usize, &got);
	libdeflate_free_decompressor(d);
	if (r != LIBDEFLATE_SUCCESS || got != usize)
		return cu_error_set(err, CU_EFAIL, "AFF4 volume: member %s does not inflate", name);
	return CU_OK;
}

int aff4_zip_read_load(const struct aff4_zip_read *z, const char *name, size_t cap, uint8_t **data,
                       size_t *len, struct cu_error *err)
{
	const struct aff4_zip_entry *m = aff4_zip_read_find(z, name);
	uint8_t *raw = NULL, *out = NULL;
	int rc;

	if (!m)
		return cu_error_set(err, CU_EFAIL, "AFF4 volume: no member %s", name);
	if ((m->method != 0 && m->method != 8) || m->usize > cap || m->size > cap)
		return cu_error_set(
		    err, CU_EFAIL,
		    "AFF4 volume: member %s is too large (over %zu bytes) or packed "
		    "with method %u",
		    name, cap, m->method);
	if (!(raw = malloc((size_t)m->size + 1)) || !(out = malloc((size_t)m->usize + 1))) {
		free(raw);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	rc = aff4_zip_read_at(z, raw, (size_t)m->size, m->data, err);
	if (!rc && m->method == 8)
		rc = zip_inflate(raw, (size_t)m->size, out, (size_t)m->usize, name, err);
	else if (!rc)
		memcpy(out, raw, (size_t)m->size);
	free(raw);
	if (rc) {
		free(out);
		return rc;
	}
	out[m->usize] = 0;
	*data = out;
	*len = (size_t)m->usize;
	return CU_OK;
}

void aff4_zip_read_free(struct aff4_zip_read *z)
{
	if (!z)
		return;
	free(z->comment);
	free(z->v);
	free(z->names);
	free(z);
}
