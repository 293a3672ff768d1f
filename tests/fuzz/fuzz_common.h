/*
 * fuzz_common.h - what the libFuzzer targets share: turning the fuzzer's
 * bytes into a file custos can open by name.
 *
 * Most of custos' parsers read files, as hostile input, through the same
 * checked opens as in use.  A memfd holds the bytes, and /proc/self/fd/N
 * names it: no disk, no cleanup, and the exact code path of a real file.
 */
#ifndef CUSTOS_FUZZ_COMMON_H
#define CUSTOS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/* A memfd holding the bytes; its name into `path` (64 bytes); -1 on failure. */
int fuzz_memfd(const uint8_t *data, size_t size, char path[64]);

#endif
