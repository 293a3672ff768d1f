/*
 * rs_layout.c - the header and table of a Reed-Solomon parity file
 * (rs.h), made and parsed; docs/parity-rs.md gives the layout.
 *
 * The header is 4096 bytes: the magic "CUSTOSRS", the version (1), k, m,
 * the count of files, S, P, L, the table's length and a CRC-64 of the
 * header's first 56 bytes and the table; the rest is zeros.  The table is
 * the files (a 16-bit length, the name, a 64-bit size each), then the
 * CRC-64 of every piece of every shard, data shards first.  The parity
 * shards follow at the next multiple of 4096.  Every integer is
 * little-endian.  Parsing checks each field against the bounds the layout
 * sets, and S against the one value k and L give it, before any of it is
 * used.
 */
#include <isa-l/crc64.h>
#include <stdlib.h>
#include <string.h>

#include "container/parity/rs.h"
#include "lib/le.h"

#define RS_MAGIC       "CUSTOSRS"
#define RS_VERSION     1U
#define RS_HEADER_USED 64U

uint64_t rs_shard_size(uint64_t stream, uint32_t k)
{
	uint64_t per = stream / k + (stream % k != 0);

	return (per + 4095) / 4096 * 4096;
}

uint64_t rs_table_size(const struct rs_layout *l)
{
	uint64_t n = (uint64_t)(l->k + l->m) * l->n_pieces * 8;

	for (uint32_t i = 0; i < l->n_files; i++)
		n += 2 + strlen(l->files[i].name) + 8;
	return n;
}

void rs_layout_free(struct rs_layout *l)
{
	if (!l)
		return;
	for (uint32_t i = 0; l->files && i < l->n_files; i++)
		free(l->files[i].name);
	free(l->files);
	free(l->checks);
	free(l);
}

/* The header's fields, each within the layout's bounds. */
static int parse_header(const uint8_t *h, uint64_t file_size, struct rs_layout *l,
                        uint64_t *table_len, struct cu_error *err)
{
	const char *bad = NULL;

	l->k = cu_le32_get(h + 12);
	l->m = cu_le32_get(h + 16);
	l->n_files = cu_le32_get(h + 20);
	l->shard = cu_le64_get(h + 24);
	l->piece = cu_le64_get(h + 32);
	l->stream = cu_le64_get(h + 40);
	*table_len = cu_le64_get(h + 48);
	if (memcmp(h, RS_MAGIC, 8))
		bad = "is not a custos Reed-Solomon parity file";
	else if (cu_le32_get(h + 8) != RS_VERSION)
		bad = "is of a version this custos does not know";
	else if (!l->k || !l->m || l->k + (uint64_t)l->m > 255)
		bad = "gives impossible shard counts";
	else if (!l->n_files || l->n_files > 65535)
		bad = "gives an impossible count of files";
	else if (!l->stream || l->shard != rs_shard_size(l->stream, l->k))
		bad = "gives a shard size that does not fit its files";
	else if (!l->piece || l->piece % 4096 || l->piece > l->shard ||
	         (l->n_pieces = l->shard / l->piece + (l->shard % l->piece != 0)) > RS_PIECES_MAX)
		bad = "gives an impossible piece size";
	else if (*table_len > RS_TABLE_MAX)
		bad = "gives a table too large";
	for (size_t i = RS_HEADER_USED; !bad && i < RS_HEADER_SIZE; i++)
		if (h[i])
			bad = "has bytes where its header has none";
	if (!bad) {
		l->parity_off = (RS_HEADER_SIZE + *table_len + 4095) / 4096 * 4096;
		if (file_size < l->parity_off || l->shard > (file_size - l->parity_off) / l->m ||
		    l->parity_off + l->m * l->shard != file_size)
			bad = "is not the size its header gives";
	}
	return bad ? cu_error_set(err, CU_EFAIL, "the parity file %s", bad) : CU_OK;
}

/* The file list and the checks, from `t` (`len` bytes, the whole table). */
static int parse_table(const uint8_t *t, uint64_t len, struct rs_layout *l, struct cu_error *err)
{
	uint64_t at = 0, start = 0;
	size_t checks = (size_t)(l->k + l->m) * (size_t)l->n_pieces;

	if (!(l->files = calloc(l->n_files, sizeof(*l->files))) ||
	    !(l->checks = malloc(checks * sizeof(*l->checks))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (uint32_t i = 0; i < l->n_files; i++) {
		size_t n;

		if (len - at < 2 || (n = cu_le16_get(t + at), len - at - 2 < n + 8))
			return cu_error_set(err, CU_EFAIL, "the parity file's table is cut short");
		if (!n || n > 255 || memchr(t + at + 2, '/', n) || memchr(t + at + 2, 0, n) ||
		    (n == 1 && t[at + 2] == '.') || (n == 2 && !memcmp(t + at + 2, "..", 2)))
			return cu_error_set(err, CU_EFAIL,
			                    "the parity file names a file that is not a file name");
		if (!(l->files[i].name = strndup((const char *)t + at + 2, n)))
			return cu_error_set(err, CU_EFAIL, "out of memory");
		l->files[i].size = cu_le64_get(t + at + 2 + n);
		l->files[i].start = start;
		if (l->files[i].size > l->stream - start)
			return cu_error_set(err, CU_EFAIL,
			                    "the parity file's files are larger than its stream");
		start += l->files[i].size;
		at += 2 + n + 8;
	}
	if (start != l->stream || len - at != checks * 8)
		return cu_error_set(err, CU_EFAIL, "the parity file's table does not add up");
	for (size_t i = 0; i < checks; i++)
		l->checks[i] = cu_le64_get(t + at + 8 * i);
	return CU_OK;
}

int rs_layout_parse(const uint8_t *buf, size_t len, uint64_t file_size, struct rs_layout **out,
                    uint64_t *need, struct cu_error *err)
{
	struct rs_layout *l;
	uint64_t table_len;
	int rc;

	*out = NULL;
	*need = RS_HEADER_SIZE;
	if (len < RS_HEADER_SIZE)
		return file_size < RS_HEADER_SIZE
		           ? cu_error_set(err, CU_EFAIL, "the parity file is cut short")
		           : CU_OK;
	if (!(l = calloc(1, sizeof(*l))))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	if ((rc = parse_header(buf, file_size, l, &table_len, err))) {
		rs_layout_free(l);
		return rc;
	}
	*need = RS_HEADER_SIZE + table_len;
	if (len < *need) {
		rs_layout_free(l);
		return CU_OK;
	}
	if (crc64_ecma_refl(crc64_ecma_refl(0, buf, 56), buf + RS_HEADER_SIZE, table_len) !=
	    cu_le64_get(buf + 56)) {
		rs_layout_free(l);
		return cu_error_set(err, CU_EFAIL, "the parity file's header or table is damaged");
	}
	if ((rc = parse_table(buf + RS_HEADER_SIZE, table_len, l, err))) {
		rs_layout_free(l);
		return rc;
	}
	*out = l;
	return CU_OK;
}

int rs_layout_encode(const struct rs_layout *l, uint8_t **out, size_t *len, struct cu_error *err)
{
	uint64_t table = rs_table_size(l), at = RS_HEADER_SIZE;
	size_t checks = (size_t)(l->k + l->m) * (size_t)l->n_pieces;
	uint8_t *b;

	if (table > RS_TABLE_MAX)
		return cu_error_set(err, CU_EFAIL,
		                    "the set has too many files for its parity table");
	if (!(b = calloc(1, RS_HEADER_SIZE + table)))
		return cu_error_set(err, CU_EFAIL, "out of memory");
	memcpy(b, RS_MAGIC, 8);
	cu_le32_put(b + 8, RS_VERSION);
	cu_le32_put(b + 12, l->k);
	cu_le32_put(b + 16, l->m);
	cu_le32_put(b + 20, l->n_files);
	cu_le64_put(b + 24, l->shard);
	cu_le64_put(b + 32, l->piece);
	cu_le64_put(b + 40, l->stream);
	cu_le64_put(b + 48, table);
	for (uint32_t i = 0; i < l->n_files; i++) {
		size_t n = strlen(l->files[i].name);

		cu_le16_put(b + at, (uint16_t)n);
		memcpy(b + at + 2, l->files[i].name, n);
		cu_le64_put(b + at + 2 + n, l->files[i].size);
		at += 2 + n + 8;
	}
	for (size_t i = 0; i < checks; i++, at += 8)
		cu_le64_put(b + at, l->checks[i]);
	cu_le64_put(b + 56, crc64_ecma_refl(crc64_ecma_refl(0, b, 56), b + RS_HEADER_SIZE, table));
	*out = b;
	*len = RS_HEADER_SIZE + table;
	return CU_OK;
}
