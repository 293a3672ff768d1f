/*
 * le.h - little-endian integers in byte buffers, as EWF lays them out.
 *
 * Byte by byte, so that any alignment and any host order work; compilers
 * turn these into single loads and stores.
 */
#ifndef CUSTOS_LIB_LE_H
#define CUSTOS_LIB_LE_H

#include <stdint.h>

static inline void cu_le16_put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void cu_le32_put(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void cu_le64_put(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint16_t cu_le16_get(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t cu_le32_get(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t cu_le64_get(const uint8_t *p)
{
	return (uint64_t)cu_le32_get(p) | (uint64_t)cu_le32_get(p + 4) << 32;
}

#endif
