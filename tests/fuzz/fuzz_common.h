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

/*
 * The bytes as a real file named `name` (for readers that find a set by its
 * file names), in a directory of this process's own: under /dev/shm where
 * it can be written, else under TMPDIR (or /tmp).  Its path goes into
 * `path` (`cap` bytes).  A file that cannot be written aborts the run with
 * a line saying why: a fuzzer that cannot place its input tests nothing,
 * and must not look as if it passed.
 */
void fuzz_named_file(const uint8_t *data, size_t size, const char *name, char *path, size_t cap);

/*
 * The CA that CUSTOS_FUZZ_TSA_CA names (tools/fuzz makes one, and seeds
 * stamps that chain to it), loaded once; NULL when the variable is not
 * set.  A CA that is named but cannot be loaded aborts the run.
 */
struct tsa_trust *fuzz_tsa_trust(void);

#endif
