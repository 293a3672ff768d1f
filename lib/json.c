/*
 * json.c - the streaming JSON writer.
 */
#include "lib/json.h"

#include <inttypes.h>

#include <stdlib.h>

#include "lib/hash.h"
#include "lib/path.h"
#include "lib/ranges.h"
#include "lib/text.h"

void cu_json_init(struct cu_json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->need_comma[0] = false;
	j->after_key = false;
}

/* Writes the separator a new value needs at the current depth. */
static void json_value_prefix(struct cu_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		fputc(',', j->out);
	j->need_comma[j->depth] = true;
}

static void json_open(struct cu_json *j, char c)
{
	json_value_prefix(j);
	fputc(c, j->out);
	if (j->depth + 1 < CU_JSON_DEPTH_MAX)
		j->depth++;
	j->need_comma[j->depth] = false;
}

static void json_close(struct cu_json *j, char c)
{
	fputc(c, j->out);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		fputc('\n', j->out);
}

void cu_json_object_begin(struct cu_json *j)
{
	json_open(j, '{');
}

void cu_json_object_end(struct cu_json *j)
{
	json_close(j, '}');
}

void cu_json_array_begin(struct cu_json *j)
{
	json_open(j, '[');
}

void cu_json_array_end(struct cu_json *j)
{
	json_close(j, ']');
}

static void json_escaped(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	while (*p) {
		uint32_t cp;
		size_t n = cu_utf8_decode((const char *)p, &cp);

		if (n == 0) {
			fputs("\\ufffd", out);
			p++;
		} else if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p++);
		} else if (*p < 0x20) {
			fprintf(out, "\\u%04x", *p++);
		} else {
			fwrite(p, 1, n, out);
			p += n;
		}
	}
	fputc('"', out);
}

void cu_json_key(struct cu_json *j, const char *key)
{
	json_value_prefix(j);
	json_escaped(j->out, key);
	fputc(':', j->out);
	j->after_key = true;
}

void cu_json_string(struct cu_json *j, const char *s)
{
	if (!s) {
		cu_json_null(j);
		return;
	}
	json_value_prefix(j);
	json_escaped(j->out, s);
}

void cu_json_u64(struct cu_json *j, uint64_t v)
{
	json_value_prefix(j);
	fprintf(j->out, "%" PRIu64, v);
}

void cu_json_double(struct cu_json *j, double v)
{
	json_value_prefix(j);
	fprintf(j->out, "%.3f", v);
}

void cu_json_bool(struct cu_json *j, bool v)
{
	json_value_prefix(j);
	fputs(v ? "true" : "false", j->out);
}

void cu_json_null(struct cu_json *j)
{
	json_value_prefix(j);
	fputs("null", j->out);
}

void cu_json_path(struct cu_json *j, const char *path)
{
	char *text = path ? cu_path_escape(path) : NULL;

	cu_json_string(j, text ? text : path ? "" : NULL);
	free(text);
}

void cu_json_digests(struct cu_json *j, const char *key, const struct cu_digests *d)
{
	char hex[2 * CU_HASH_MAX_SIZE + 1];

	cu_json_key(j, key);
	cu_json_object_begin(j);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		cu_json_key(j, cu_hash_name(a));
		if (!d->have[a]) {
			cu_json_null(j);
			continue;
		}
		cu_hex(hex, cu_digests_get(d, a), cu_hash_size(a));
		cu_json_string(j, hex);
	}
	cu_json_object_end(j);
}

void cu_json_ranges(struct cu_json *j, const char *key, const struct cu_range *v, size_t n)
{
	cu_json_key(j, key);
	cu_json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		cu_json_array_begin(j);
		cu_json_u64(j, v[i].first);
		cu_json_u64(j, v[i].count);
		cu_json_array_end(j);
	}
	cu_json_array_end(j);
}

void cu_json_file(struct cu_json *j, const char *name, uint64_t size)
{
	cu_json_object_begin(j);
	cu_json_key(j, "name");
	cu_json_path(j, name);
	cu_json_pair_u64(j, "size", size);
	cu_json_object_end(j);
}

void cu_json_pair_string(struct cu_json *j, const char *key, const char *s)
{
	cu_json_key(j, key);
	cu_json_string(j, s);
}

void cu_json_pair_u64(struct cu_json *j, const char *key, uint64_t v)
{
	cu_json_key(j, key);
	cu_json_u64(j, v);
}

void cu_json_pair_bool(struct cu_json *j, const char *key, bool v)
{
	cu_json_key(j, key);
	cu_json_bool(j, v);
}
