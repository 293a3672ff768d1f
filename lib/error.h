/*
 * error.h - errors as codes with a message.
 *
 * Library code in custos never prints and never exits: a function that can
 * fail takes a `struct cu_error *` and returns one of the codes below, having
 * written one line (no trailing newline) that says what failed and why.  The
 * command that called it prints that line and turns the code into the exit
 * status documented in the README.
 */
#ifndef CUSTOS_LIB_ERROR_H
#define CUSTOS_LIB_ERROR_H

#include <stddef.h>

enum cu_status {
	CU_OK = 0,
	CU_EFAIL = 1,    /* the job failed: I/O, resources, damaged data */
	CU_EUSAGE = 2,   /* wrong options or unusable input */
	CU_EPARTIAL = 3, /* done, but some sectors could not be read */
	CU_ECOPY = 4     /* done, but one of several copies failed (acquire -o ... -o) */
};

#define CU_ERROR_MSG_MAX 512

struct cu_error {
	int code;
	char msg[CU_ERROR_MSG_MAX];
};

/* Records `code` and a printf-style message; returns `code`. */
int cu_error_set(struct cu_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As cu_error_set, with ": " and strerror(errnum) appended. */
int cu_error_errno(struct cu_error *err, int code, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Puts a printf-style prefix before the message already in `err`; returns its code. */
int cu_error_prefix(struct cu_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends a printf-style suffix to the message already in `err`; returns its code. */
int cu_error_suffix(struct cu_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
