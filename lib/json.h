/*
 * json.h - a small streaming JSON writer for the machine-readable summaries.
 *
 * custos only ever emits JSON (the summaries of acquire, verify and info), so
 * a writer of a few calls is all it needs: values are written as they come,
 * commas and nesting are tracked here, and strings are escaped per RFC 8259
 * (invalid UTF-8 bytes become U+FFFD so the output is always valid JSON).
 */
#ifndef CUSTOS_LIB_JSON_H
#define CUSTOS_LIB_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#define CU_JSON_DEPTH_MAX 16

struct cu_json {
	FILE *out;
	int depth;
	bool need_comma[CU_JSON_DEPTH_MAX];
	bool after_key;
};

void cu_json_init(struct cu_json *j, FILE *out);
void cu_json_object_begin(struct cu_json *j);
void cu_json_object_end(struct cu_json *j);
void cu_json_array_begin(struct cu_json *j);
void cu_json_array_end(struct cu_json *j);
void cu_json_key(struct cu_json *j, const char *key);
void cu_json_string(struct cu_json *j, const char *s); /* NULL writes null */
void cu_json_u64(struct cu_json *j, uint64_t v);
void cu_json_double(struct cu_json *j, double v);
void cu_json_bool(struct cu_json *j, bool v);
void cu_json_null(struct cu_json *j);

/* "key": value, for the common kinds of value (NULL strings write null). */
void cu_json_pair_string(struct cu_json *j, const char *key, const char *s);
void cu_json_pair_u64(struct cu_json *j, const char *key, uint64_t v);
void cu_json_pair_bool(struct cu_json *j, const char *key, bool v);

/* A path in its lossless escaped form (path.h); NULL writes null. */
void cu_json_path(struct cu_json *j, const char *path);

/* The fragments several outputs share. */
struct cu_digests;
struct cu_range;
/* "key": {"md5": hex or null, "sha1": ..., "sha256": ...} */
void cu_json_digests(struct cu_json *j, const char *key, const struct cu_digests *d);
/* "key": [[first, count], ...] */
void cu_json_ranges(struct cu_json *j, const char *key, const struct cu_range *v, size_t n);
/* {"name": path, "size": n} */
void cu_json_file(struct cu_json *j, const char *name, uint64_t size);

#endif
