/*
 * cmd_verify_print.c - a set's outcome for people (in detail for one set,
 * a line a set for many) and for programs (one JSON object a set, a line
 * each, so that results from many runs, hosts or jobs can be collected).
 *
 * File names and messages (which name files) are printed for people
 * escaped (cu_text_fput): a name found in a directory is data, and cannot
 * move the cursor, clear the screen or begin a line of its own that looks
 * like a verdict.
 */
#include <stdio.h>
#include <string.h>

#include "container/cmd_verify.h"
#include "lib/json.h"
#include "lib/text.h"

static const char *const segment_states[] = {"match", "changed", "missing", "added"};

static void text_ranges(const char *label, const struct cu_ranges *r)
{
	for (size_t i = 0; i < r->n && i < 50; i++)
		printf("  %-8s sectors %llu to %llu\n", label, (unsigned long long)r->v[i].first,
		       (unsigned long long)(r->v[i].first + r->v[i].count - 1));
	if (r->n > 50)
		printf("  %-8s ... %zu ranges in all (--json lists them)\n", label, r->n);
}

static void text_digests(const struct verify_set *v)
{
	char s[2 * CU_HASH_MAX_SIZE + 1], c[2 * CU_HASH_MAX_SIZE + 1];

	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!v->stored.have[a] && v->self_proved && v->computed.have[a]) {
			cu_hex(c, cu_digests_get(&v->computed, a), cu_hash_size(a));
			printf("  %-8s computed %s (the set stores none)\n", cu_hash_name(a), c);
		}
		if (!v->stored.have[a])
			continue;
		cu_hex(s, cu_digests_get(&v->stored, a), cu_hash_size(a));
		cu_hex(c, cu_digests_get(&v->computed, a), cu_hash_size(a));
		if (strcmp(s, c))
			printf("  %-8s MISMATCH stored %s computed %s\n", cu_hash_name(a), s, c);
		else
			printf("  %-8s match    %s\n", cu_hash_name(a), s);
	}
}

/* "  LABEL    TEXT\n", TEXT escaped. */
static void text_line(const char *label, const char *text)
{
	printf("  %-8s ", label);
	cu_text_fput(text, stdout);
	putchar('\n');
}

static void text_source(const struct verify_set *v)
{
	if (!v->source)
		return;
	fputs("  source   ", stdout);
	cu_text_fput(v->source, stdout);
	if (v->source_size_differs)
		printf(" holds %llu bytes; the evidence holds %llu: NOT the medium imaged\n",
		       (unsigned long long)v->source_size, (unsigned long long)v->media_size);
	else
		printf(": %s\n", v->source_mismatches ? "DIFFERS from the evidence"
		                                      : "the same as the evidence");
}

static void text_segments(const struct verify_set *v)
{
	char hex[65];

	for (size_t i = 0; i < v->n_segments; i++) {
		const struct verify_segment *s = &v->segments[i];

		cu_hex(hex, s->sha256, 32);
		printf("  %-8s ", segment_states[s->state]);
		cu_text_fput(s->path, stdout);
		printf("%s%s\n", s->hashed ? " sha256 " : "", s->hashed ? hex : "");
	}
}

void verify_print_detail(const struct verify_set *v, const struct verify_args *a)
{
	fputs("custos verify: ", stdout);
	cu_text_fput(v->evidence, stdout);
	putchar('\n');
	if (a->mode == VERIFY_SEGMENTS) {
		text_segments(v);
	} else if (v->media_size) {
		printf("  media    %llu bytes in sectors of %u bytes\n",
		       (unsigned long long)v->media_size, v->bytes_per_sector);
		if (v->self_proved)
			text_line("proof", v->self_proof);
		if (v->digests_outside && !v->self_proved && !v->aff4)
			text_line("record", v->digests_from[0]
			                        ? v->digests_from
			                        : "none: no custody log records the digests");
		text_digests(v);
	}
	if (v->chain[0])
		text_line("DAMAGED", v->chain);
	text_ranges("DAMAGED", &v->damaged);
	if (v->failure[0])
		text_line("DAMAGED", v->failure);
	text_ranges("unread", &v->read_errors);
	if (v->read_errors.n)
		printf("           (sectors the acquisition could not read, %s)\n",
		       v->aff4 ? "the repeated UNREADABLEDATA of aff4:UnreadableData in the volume"
		               : "zero-filled then");
	text_source(v);
	verify_windows_print(v);
	verify_parity_print(v);
	if (a->mode == VERIFY_ENROLL && v->custody == 1)
		printf("  enrolled: a new custody log records the set and its segment hashes\n");
	printf("custos verify: %s\n", verify_verdict_name(v->verdict));
}

void verify_print_line(const struct verify_set *v)
{
	/* the message names the set itself, mostly: not twice */
	bool named = !strncmp(v->msg, v->evidence, strlen(v->evidence));

	printf("%-13s ", verify_verdict_name(v->verdict));
	cu_text_fput(named ? "" : v->evidence, stdout);
	fputs(v->msg[0] && !named ? ": " : "", stdout);
	cu_text_fput(v->msg, stdout);
	putchar('\n');
}

static void json_segments(struct cu_json *j, const struct verify_set *v, bool detail)
{
	char hex[65];

	cu_json_key(j, "segments");
	cu_json_array_begin(j);
	for (size_t i = 0; i < v->n_segments; i++) {
		const struct verify_segment *s = &v->segments[i];

		if (!detail) {
			cu_json_file(j, s->path, s->size);
			continue;
		}
		cu_json_object_begin(j);
		cu_json_key(j, "name");
		cu_json_path(j, s->path);
		cu_json_pair_u64(j, "size", s->size);
		cu_hex(hex, s->sha256, 32);
		cu_json_pair_string(j, "sha256", s->hashed ? hex : NULL);
		cu_hex(hex, s->recorded_sha256, 32);
		cu_json_pair_string(j, "recorded_sha256", s->recorded ? hex : NULL);
		cu_json_pair_string(j, "result", segment_states[s->state]);
		cu_json_object_end(j);
	}
	cu_json_array_end(j);
}

static void json_source(struct cu_json *j, const struct verify_set *v)
{
	cu_json_key(j, "source");
	if (!v->source) {
		cu_json_null(j);
		return;
	}
	cu_json_object_begin(j);
	cu_json_key(j, "path");
	cu_json_path(j, v->source);
	cu_json_pair_u64(j, "size", v->source_size);
	cu_json_digests(j, "computed", &v->source_computed);
	cu_json_pair_string(j, "result", v->source_mismatches ? "mismatch" : "match");
	cu_json_object_end(j);
}

void verify_print_json(const struct verify_set *v, const struct verify_args *a)
{
	static const char *const modes[] = {"full", "segments", "enroll"};
	struct cu_json j;

	cu_json_init(&j, stdout);
	cu_json_object_begin(&j);
	cu_json_key(&j, "evidence");
	cu_json_path(&j, v->evidence);
	cu_json_pair_string(&j, "mode", modes[a->mode]);
	cu_json_pair_string(&j, "result", verify_verdict_name(v->verdict));
	cu_json_pair_string(&j, "message", v->msg[0] ? v->msg : NULL);
	cu_json_pair_u64(&j, "media_size", v->media_size);
	cu_json_pair_u64(&j, "bytes_per_sector", v->bytes_per_sector);
	cu_json_digests(&j, "stored", &v->stored);
	cu_json_key(&j, "stored_in"); /* the set itself, or the record that holds its digests */
	if (!v->digests_outside)
		cu_json_string(&j, "evidence");
	else if (v->digests_from[0])
		cu_json_path(&j, v->digests_from);
	else
		cu_json_null(&j);
	cu_json_digests(&j, "computed", &v->computed);
	cu_json_pair_bool(&j, "self_proved", v->self_proved);
	cu_json_pair_string(&j, "self_proof", v->self_proved ? v->self_proof : NULL);
	cu_json_ranges(&j, "damaged_sectors", v->damaged.v, v->damaged.n);
	cu_json_ranges(&j, "read_errors", v->read_errors.v, v->read_errors.n);
	json_source(&j, v);
	verify_windows_json(&j, v);
	verify_parity_json(&j, v);
	json_segments(&j, v, a->mode != VERIFY_FULL);
	cu_json_key(&j, "custody_appended");
	if (v->custody < 0)
		cu_json_null(&j);
	else
		cu_json_bool(&j, v->custody == 1);
	cu_json_object_end(&j);
	fflush(stdout);
}
