/*
 * ata_probe.c - the three read-only ATA commands over SG_IO.
 *
 * The CDB is SAT's ATA PASS-THROUGH (16).  Data-in commands use PIO with
 * the transfer length in the sector count field, one 512-byte block; the
 * non-data READ NATIVE MAX ADDRESS sets CK_COND so that the drive's
 * registers, which hold the answer, come back in descriptor sense data.
 * Devices that are not ATA behind a SAT layer (loop devices, NVMe, many USB
 * sticks) simply fail the ioctl, and nothing is reported.
 */
#include "source/ata_probe.h"

#include <scsi/sg.h>
#include <string.h>
#include <sys/ioctl.h>

#define ATA_16          0x85
#define PROTO_NON_DATA  (3 << 1)
#define PROTO_PIO_IN    (4 << 1)
#define EXTEND          0x01
#define T_DIR_IN_BLOCKS 0x0e /* t_dir in, byt_blok, t_length in sector count */
#define CK_COND         0x20
#define SG_TIMEOUT_MS   10000

static int ata_command(int fd, uint8_t cdb[16], uint8_t *data, unsigned len, uint8_t *sense,
                       unsigned sense_len)
{
	struct sg_io_hdr io;

	memset(&io, 0, sizeof(io));
	io.interface_id = 'S';
	io.cmd_len = 16;
	io.cmdp = cdb;
	io.dxfer_direction = data ? SG_DXFER_FROM_DEV : SG_DXFER_NONE;
	io.dxferp = data;
	io.dxfer_len = data ? len : 0;
	io.sbp = sense;
	io.mx_sb_len = (unsigned char)sense_len;
	io.timeout = SG_TIMEOUT_MS;
	if (ioctl(fd, SG_IO, &io) != 0)
		return -1;
	/* a data command must have succeeded; CK_COND answers arrive as sense */
	if (data && (io.status != 0 || io.host_status != 0 || io.driver_status != 0))
		return -1;
	return 0;
}

static bool ata_read_block(int fd, uint8_t command, uint8_t feature, uint8_t out[512])
{
	uint8_t cdb[16] = {ATA_16, PROTO_PIO_IN, T_DIR_IN_BLOCKS}, sense[32];

	cdb[4] = feature;
	cdb[6] = 1; /* one block */
	cdb[13] = 0x40;
	cdb[14] = command;
	memset(out, 0, 512);
	return ata_command(fd, cdb, out, 512, sense, sizeof(sense)) == 0;
}

static bool ata_native_max(int fd, bool lba48, uint64_t *lba)
{
	uint8_t cdb[16] = {ATA_16, PROTO_NON_DATA, CK_COND}, sense[64];

	if (lba48)
		cdb[1] |= EXTEND;
	cdb[13] = 0x40;
	cdb[14] = lba48 ? 0x27 : 0xf8; /* READ NATIVE MAX ADDRESS (EXT) */
	memset(sense, 0, sizeof(sense));
	if (ata_command(fd, cdb, NULL, 0, sense, sizeof(sense)) != 0)
		return false;
	return ata_sense_lba(sense, sizeof(sense), lba48, lba);
}

void ata_probe(int fd, struct ata_hidden *out)
{
	uint8_t block[512];
	uint64_t lba;

	memset(out, 0, sizeof(*out));
	if (!ata_read_block(fd, 0xec, 0, block) || !ata_identify_parse(block, &out->id))
		return;
	out->answered = true;
	if (out->id.hpa_supported && ata_native_max(fd, out->id.lba48, &lba))
		out->native_sectors = lba + 1;
	if (out->id.dco_supported && ata_read_block(fd, 0xb1, 0xc2, block) &&
	    ata_dco_parse(block, &lba))
		out->dco_sectors = lba + 1;
}
