/*
 * ata.c - parsing ATA replies (IDENTIFY DEVICE, DEVICE CONFIGURATION
 * IDENTIFY, and the registers returned in sense data).
 *
 * IDENTIFY data is 256 little-endian words.  Strings hold two characters a
 * word, high byte first.  Word 255 may carry an integrity check: 0xA5 in its
 * low byte and, in its high byte, the value that makes all 512 bytes sum to
 * zero modulo 256.  The DCO reply uses the same check.
 */
#include "source/ata.h"

#include <string.h>

static uint16_t word(const uint8_t *d, int i)
{
	return (uint16_t)(d[2 * i] | d[2 * i + 1] << 8);
}

static bool integrity_ok(const uint8_t data[512])
{
	uint8_t sum = 0;

	if (data[510] != 0xa5)
		return true; /* no integrity word: nothing to check */
	for (int i = 0; i < 512; i++)
		sum = (uint8_t)(sum + data[i]);
	return sum == 0;
}

/* Copies words [first, last] as an ATA string, trimmed of spaces and NULs. */
static void ata_string(char *out, const uint8_t *d, int first, int last)
{
	int n = 0;

	for (int i = first; i <= last; i++) {
		out[n++] = (char)(word(d, i) >> 8);
		out[n++] = (char)(word(d, i) & 0xff);
	}
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
		out[--n] = '\0';
	for (int i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || (unsigned char)out[i] > 0x7e)
			out[i] = '?';
	while (out[0] == ' ')
		memmove(out, out + 1, strlen(out));
}

bool ata_identify_parse(const uint8_t data[512], struct ata_identity *out)
{
	uint16_t w83 = word(data, 83);

	memset(out, 0, sizeof(*out));
	if (!integrity_ok(data) || (word(data, 0) & 0x8000)) /* bit 15: not an ATA device */
		return false;
	ata_string(out->serial, data, 10, 19);
	ata_string(out->firmware, data, 23, 26);
	ata_string(out->model, data, 27, 46);
	/* words 82/83 are valid when bits 15:14 of 83 read 01 */
	if ((w83 & 0xc000) == 0x4000) {
		out->lba48 = w83 & 0x0400;
		out->dco_supported = w83 & 0x0800;
		out->hpa_supported = word(data, 82) & 0x0400;
	}
	if (out->lba48)
		out->sectors = (uint64_t)word(data, 100) | (uint64_t)word(data, 101) << 16 |
		               (uint64_t)word(data, 102) << 32 | (uint64_t)word(data, 103) << 48;
	else
		out->sectors = (uint64_t)word(data, 60) | (uint64_t)word(data, 61) << 16;
	return out->sectors > 0;
}

bool ata_dco_parse(const uint8_t data[512], uint64_t *max_lba)
{
	if (!integrity_ok(data) || word(data, 0) == 0)
		return false;
	*max_lba = (uint64_t)word(data, 3) | (uint64_t)word(data, 4) << 16 |
	           (uint64_t)word(data, 5) << 32 | (uint64_t)word(data, 6) << 48;
	return *max_lba > 0;
}

bool ata_sense_lba(const uint8_t *sense, size_t len, bool lba48, uint64_t *lba)
{
	size_t i = 8, end;

	if (len < 8 || ((sense[0] & 0x7f) != 0x72 && (sense[0] & 0x7f) != 0x73))
		return false;
	end = 8 + (size_t)sense[7];
	if (end > len)
		end = len;
	while (i + 14 <= end) {
		const uint8_t *d = sense + i;

		if (d[0] == 0x09 && d[1] >= 0x0c) {
			*lba = (uint64_t)d[7] | (uint64_t)d[9] << 8 | (uint64_t)d[11] << 16;
			if (lba48)
				*lba |= (uint64_t)d[6] << 24 | (uint64_t)d[8] << 32 |
				        (uint64_t)d[10] << 40;
			else
				*lba |= (uint64_t)(d[12] & 0x0f) << 24;
			return true;
		}
		i += 2 + (size_t)d[1];
	}
	return false;
}

bool ata_hidden_hpa(const struct ata_hidden *h)
{
	return h->answered && h->native_sectors > h->id.sectors;
}

bool ata_hidden_dco(const struct ata_hidden *h)
{
	uint64_t native = h->native_sectors ? h->native_sectors : h->id.sectors;

	return h->answered && h->dco_sectors > native;
}
