/*
 * fuzz_rsparity.c - the parser of custos' Reed-Solomon parity files
 * (container/parity/rs.h) on arbitrary bytes.
 *
 * The input is a flag byte, the parity file's size (8 bytes, little-endian;
 * a real file's must be A + m*S) and its first bytes, the header and table.
 * With the flag's low bit set, the header's CRC-64 is made right before
 * parsing, so that mutations reach the table's parser rather than stopping
 * at the checksum; without it, the input is parsed as it is.
 */
#include <isa-l/crc64.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "container/parity/rs.h"
#include "lib/le.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rs_layout *l = NULL;
	uint64_t file_size = 0, need = 0;
	uint8_t *buf;
	size_t len;

	if (size < 9)
		return 0;
	file_size = cu_le64_get(data + 1);
	len = size - 9;
	if (!(buf = malloc(len ? len : 1)))
		return 0;
	memcpy(buf, data + 9, len);
	if ((data[0] & 1) && len >= RS_HEADER_SIZE) {
		uint64_t t = cu_le64_get(buf + 48);

		if (t <= len - RS_HEADER_SIZE)
			cu_le64_put(buf + 56, crc64_ecma_refl(crc64_ecma_refl(0, buf, 56),
			                                      buf + RS_HEADER_SIZE, t));
	}
	if (!rs_layout_parse(buf, len, file_size, &l, &need, NULL) && l) {
		/* what the parser accepted holds together */
		uint64_t sum = 0;

		for (uint32_t f = 0; f < l->n_files; f++)
			sum += l->files[f].size;
		if (sum != l->stream || l->parity_off + (uint64_t)l->m * l->shard != file_size ||
		    l->n_pieces > RS_PIECES_MAX)
			abort();
	}
	rs_layout_free(l);
	free(buf);
	return 0;
}
