/*
 * ata_probe.h - asking a drive, through SG_IO and ATA PASS-THROUGH (16),
 * for IDENTIFY DEVICE, READ NATIVE MAX ADDRESS and DEVICE CONFIGURATION
 * IDENTIFY.  Only commands that read are ever sent: custos never sets a
 * maximum address or changes a configuration overlay.
 */
#ifndef CUSTOS_SOURCE_ATA_PROBE_H
#define CUSTOS_SOURCE_ATA_PROBE_H

#include "source/ata.h"

/* Fills `out`; out->answered is false when the device does not speak ATA. */
void ata_probe(int fd, struct ata_hidden *out);

#endif
