/*
 * input_file.h - opening what custos reads as hostile until checked.
 *
 * Only regular files are evidence, custody logs, resume files, maps, keys
 * and certificates.  Opening a FIFO for reading would wait for a writer
 * forever, and a device or a directory is not what was meant, so every
 * such file is opened without blocking (O_NONBLOCK), checked with fstat,
 * and refused with CU_EUSAGE and one line unless it is a regular file.
 * Paths that another library opens (libewf opens segments itself) are
 * checked with stat first.
 */
#ifndef CUSTOS_LIB_INPUT_FILE_H
#define CUSTOS_LIB_INPUT_FILE_H

#include <stddef.h>
#include <sys/stat.h>

#include "lib/error.h"

/* "a FIFO", "a directory", ... for a file mode. */
const char *cu_file_kind(mode_t mode);

/* Opens a regular file for reading, never blocking; `what` names it ("the custody log"). */
int cu_input_open(const char *path, const char *what, int *fd, struct cu_error *err);

/*
 * Reads a whole regular file of at most `max` bytes into a malloc'ed buffer,
 * NUL-terminated; *len gets its length.
 */
int cu_input_read(const char *path, const char *what, size_t max, char **data, size_t *len,
                  struct cu_error *err);

/* Refuses (CU_EUSAGE) a path that exists but is not a regular file; ENOENT passes. */
int cu_input_check_regular(const char *path, const char *what, struct cu_error *err);

#endif
