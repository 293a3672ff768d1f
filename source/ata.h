/*
 * ata.h - what an ATA drive says of itself and of its hidden areas.
 *
 * A Host Protected Area (HPA) hides the sectors between the size the drive
 * reports (IDENTIFY DEVICE) and its native size (READ NATIVE MAX ADDRESS);
 * a Device Configuration Overlay (DCO) can hide more beyond that (DEVICE
 * CONFIGURATION IDENTIFY).  custos reports all three sizes and changes
 * nothing on the drive.  The parsers here are pure: they read the replies
 * as the drive gives them (512-byte data blocks, or the ATA status return
 * descriptor of a SCSI sense buffer), so they are tested with recorded
 * replies; ata_probe.c sends the commands.
 */
#ifndef CUSTOS_SOURCE_ATA_H
#define CUSTOS_SOURCE_ATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ata_identity {
	char model[41];
	char serial[21];
	char firmware[9];
	bool lba48;
	bool hpa_supported;
	bool dco_supported;
	uint64_t sectors; /* user-addressable: what the drive reports now */
};

/* What an acquisition records of a drive's hidden areas. */
struct ata_hidden {
	bool answered; /* the drive answered IDENTIFY DEVICE */
	struct ata_identity id;
	uint64_t native_sectors; /* READ NATIVE MAX ADDRESS + 1; 0 when unknown */
	uint64_t dco_sectors;    /* DCO maximum LBA + 1; 0 when unknown */
};

/* Parses IDENTIFY DEVICE data; false if the block is not a valid reply. */
bool ata_identify_parse(const uint8_t data[512], struct ata_identity *out);

/* Parses DEVICE CONFIGURATION IDENTIFY data into the real maximum LBA. */
bool ata_dco_parse(const uint8_t data[512], uint64_t *max_lba);

/*
 * Reads the LBA registers from descriptor-format sense data (the ATA Status
 * Return descriptor, 0x09).  `lba48` chooses 48-bit registers; otherwise
 * bits 27:24 come from the device register.
 */
bool ata_sense_lba(const uint8_t *sense, size_t len, bool lba48, uint64_t *lba);

/* Whether a Host Protected Area / Device Configuration Overlay hides sectors. */
bool ata_hidden_hpa(const struct ata_hidden *h);
bool ata_hidden_dco(const struct ata_hidden *h);

#endif
