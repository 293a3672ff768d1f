/*
 * summary.c - the human and JSON summaries of an acquisition.
 *
 * The JSON object has a fixed set of keys: a field that does not apply is
 * null, never missing, so that programs reading it need no guesswork.  In
 * the text, file names are escaped (cu_text_fput).
 */
#include "acquire/summary.h"

#include <inttypes.h>

#include "lib/json.h"
#include "lib/parse.h"
#include "lib/text.h"
#include "lib/timeutil.h"

static const char *const outcome_names[] = {"complete", "complete_with_errors", "failed"};
static const char *const check_names[] = {NULL, "match", "mismatch"};

static double summary_rate(const struct acq_result *r)
{
	return r->seconds > 0 ? (double)r->source.size / r->seconds : 0.0;
}

static void json_text_or_null(struct cu_json *j, const char *key, const char *text)
{
	cu_json_key(j, key);
	cu_json_string(j, text && text[0] ? text : NULL);
}

static void json_sectors_or_null(struct cu_json *j, const char *key, uint64_t sectors)
{
	cu_json_key(j, key);
	if (sectors)
		cu_json_u64(j, sectors);
	else
		cu_json_null(j);
}

/* null when the drive does not answer ATA; sizes in sectors, null when unknown. */
void acq_summary_json_hidden(struct cu_json *j, const struct ata_hidden *h)
{
	if (!h->answered) {
		cu_json_null(j);
		return;
	}
	cu_json_object_begin(j);
	json_sectors_or_null(j, "reported_sectors", h->id.sectors);
	json_sectors_or_null(j, "native_sectors", h->native_sectors);
	json_sectors_or_null(j, "dco_sectors", h->dco_sectors);
	cu_json_pair_bool(j, "hpa", ata_hidden_hpa(h));
	cu_json_pair_bool(j, "dco", ata_hidden_dco(h));
	cu_json_object_end(j);
}

static void json_source(struct cu_json *j, const struct acq_result *r)
{
	const struct source_info *s = &r->source;
	const struct source_device_info *id = &s->identity;

	cu_json_object_begin(j);
	cu_json_key(j, "path");
	cu_json_path(j, s->path);
	cu_json_pair_string(j, "type", source_type_name(s));
	cu_json_pair_u64(j, "size", s->size);
	cu_json_pair_u64(j, "total_size", s->total_size);
	cu_json_pair_u64(j, "offset", s->offset);
	cu_json_pair_u64(j, "bytes_per_sector", r->bytes_per_sector);
	cu_json_key(j, "logical_bytes_per_sector");
	if (s->logical_sector)
		cu_json_u64(j, s->logical_sector);
	else
		cu_json_null(j);
	cu_json_key(j, "physical_bytes_per_sector");
	if (s->physical_sector)
		cu_json_u64(j, s->physical_sector);
	else
		cu_json_null(j);
	json_text_or_null(j, "vendor", id->vendor);
	json_text_or_null(j, "model", id->model);
	json_text_or_null(j, "serial", id->serial);
	json_text_or_null(j, "firmware", id->firmware);
	cu_json_key(j, "removable");
	if (s->is_device && id->removable >= 0)
		cu_json_bool(j, id->removable == 1);
	else
		cu_json_null(j);
	cu_json_key(j, "hidden_areas");
	acq_summary_json_hidden(j, &s->ata);
	cu_json_pair_bool(j, "write_blocked", s->write_blocked);
	cu_json_pair_bool(j, "direct_io", s->direct_io);
	cu_json_object_end(j);
}

/* Whether an E01 copy is written: the media is then whole sectors. */
static bool summary_any_e01(const struct acq_options *o)
{
	for (size_t i = 0; i < o->n_targets; i++)
		if (o->targets[i].format == ACQ_FORMAT_E01)
			return true;
	return o->format == ACQ_FORMAT_E01;
}

static void json_media(struct cu_json *j, const struct acq_options *o, const struct acq_result *r)
{
	cu_json_object_begin(j);
	cu_json_pair_string(j, "format",
	                    summary_any_e01(o)             ? "e01"
	                    : o->format == ACQ_FORMAT_AFF4 ? "aff4"
	                                                   : "raw");
	cu_json_pair_u64(j, "size", r->media_size);
	cu_json_pair_u64(j, "sectors", r->sector_count);
	cu_json_pair_u64(j, "bytes_per_sector", r->bytes_per_sector);
	cu_json_pair_u64(j, "chunk_sectors", r->chunk_sectors);
	cu_json_pair_u64(j, "padding_bytes", r->media_size - r->source.size);
	cu_json_pair_string(j, "compression", acq_compression_names[o->compression]);
	cu_json_pair_string(j, "media_type", acq_media_type_name(r->media_type));
	cu_json_pair_bool(j, "physical", r->media_flags == ACQ_MEDIA_PHYSICAL);
	cu_json_pair_bool(j, "header_transliterated", r->header_transliterated);
	cu_json_object_end(j);
}

static void json_rescue(struct cu_json *j, const struct acq_rescue_info *x)
{
	cu_json_key(j, "rescue");
	if (!x->used) {
		cu_json_null(j);
		return;
	}
	cu_json_object_begin(j);
	cu_json_pair_string(j, "engine", x->engine);
	cu_json_pair_string(j, "command_line", x->command_line);
	cu_json_key(j, "mapfile");
	cu_json_path(j, x->mapfile);
	cu_json_pair_u64(j, "rescued_bytes", x->rescued);
	cu_json_pair_u64(j, "unreadable_bytes", x->unreadable);
	cu_json_object_end(j);
}

static void json_list(struct cu_json *j, const struct acq_result *r)
{
	cu_json_ranges(j, "read_errors", r->read_errors, r->n_read_errors);
	cu_json_pair_u64(j, "read_errors_beyond_e01", r->errors_beyond_e01);
	cu_json_key(j, "failed_reads"); /* --rescue: GNU ddrescue read, and does not count */
	if (r->rescue.used)
		cu_json_null(j);
	else
		cu_json_u64(j, r->failed_reads);
	json_rescue(j, &r->rescue);
	cu_json_key(j, "slow_regions");
	cu_json_array_begin(j);
	for (size_t i = 0; i < r->slow.n; i++) {
		cu_json_array_begin(j);
		cu_json_u64(j, r->slow.v[i].first / r->bytes_per_sector);
		cu_json_u64(j,
		            (r->slow.v[i].count + r->bytes_per_sector - 1) / r->bytes_per_sector);
		cu_json_double(j, r->slow.v[i].seconds);
		cu_json_array_end(j);
	}
	cu_json_array_end(j);
}

static void json_segments(struct cu_json *j, const struct acq_copy *c)
{
	cu_json_key(j, "segments");
	cu_json_array_begin(j);
	for (size_t i = 0; c && i < c->n_segments; i++)
		cu_json_file(j, c->segments[i].name, c->segments[i].size);
	cu_json_array_end(j);
}

/* Every destination: where, what, whether complete (and why not), its read-back, its files. */
static void json_copies(struct cu_json *j, const struct acq_result *r)
{
	cu_json_key(j, "copies");
	cu_json_array_begin(j);
	for (size_t i = 0; i < r->n_copies; i++) {
		const struct acq_copy *c = &r->copies[i];

		cu_json_object_begin(j);
		cu_json_key(j, "path");
		cu_json_path(j, c->path);
		cu_json_pair_string(j, "kind", c->kind);
		cu_json_pair_bool(j, "complete", c->complete);
		cu_json_key(j, "error");
		if (c->complete)
			cu_json_null(j);
		else
			cu_json_string(j, c->error);
		cu_json_pair_string(j, "verification", check_names[c->evidence_check]);
		json_segments(j, c);
		cu_json_object_end(j);
	}
	cu_json_array_end(j);
}

void acq_summary_json(FILE *out, const struct acq_options *o, const struct acq_result *r)
{
	struct cu_json j;
	char started[CU_ISO8601_SIZE], finished[CU_ISO8601_SIZE];

	cu_time_iso8601(started, r->started);
	cu_time_iso8601(finished, r->finished);
	cu_json_init(&j, out);
	cu_json_object_begin(&j);
	cu_json_pair_string(&j, "result", outcome_names[r->outcome]);
	cu_json_key(&j, "source");
	json_source(&j, r);
	cu_json_key(&j, "media");
	json_media(&j, o, r);
	cu_json_digests(&j, "hashes", &r->media);
	cu_json_digests(&j, "source_hashes", &r->source_exact);
	cu_json_key(&j, "hash_windows");
	if (r->windows.window) {
		cu_json_object_begin(&j);
		cu_json_pair_u64(&j, "size", r->windows.window);
		cu_json_pair_u64(&j, "count", r->windows.n);
		cu_json_object_end(&j);
	} else {
		cu_json_null(&j);
	}
	cu_json_key(&j, "verification");
	cu_json_object_begin(&j);
	cu_json_pair_string(&j, "evidence", check_names[r->evidence_check]);
	cu_json_pair_string(&j, "source", check_names[r->source_check]);
	cu_json_object_end(&j);
	json_list(&j, r);
	json_segments(&j, acq_result_first_complete(r)); /* the first complete copy's */
	json_copies(&j, r);
	cu_json_pair_string(&j, "started", started);
	cu_json_pair_string(&j, "finished", finished);
	cu_json_key(&j, "seconds");
	cu_json_double(&j, r->seconds);
	cu_json_pair_u64(&j, "bytes_per_second", (uint64_t)summary_rate(r));
	cu_json_object_end(&j);
}

static void text_digests(FILE *out, const char *label, const struct cu_digests *d)
{
	char hex[2 * CU_HASH_MAX_SIZE + 1];

	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!d->have[a])
			continue;
		cu_hex(hex, cu_digests_get(d, a), cu_hash_size(a));
		fprintf(out, "  %s%-7s %s\n", label, cu_hash_name(a), hex);
	}
}

static void text_errors(FILE *out, const struct acq_options *o, const struct acq_result *r)
{
	uint64_t sectors = 0;

	for (size_t i = 0; i < r->n_read_errors; i++)
		sectors += r->read_errors[i].count;
	if (r->rescue.used) {
		fprintf(out,
		        "  rescue   %s: %" PRIu64 " bytes rescued, %" PRIu64
		        " unreadable; its map is ",
		        r->rescue.engine, r->rescue.rescued, r->rescue.unreadable);
		cu_text_fput(r->rescue.mapfile, out);
		fputc('\n', out);
	}
	if (!r->n_read_errors)
		fprintf(out, "  errors   none: every sector was read\n");
	else
		fprintf(out, "  errors   %" PRIu64 " unreadable sectors in %zu ranges, %s:\n",
		        sectors, r->n_read_errors,
		        o->format == ACQ_FORMAT_AFF4 ? "mapped to aff4:UnreadableData"
		                                     : "zero-filled");
	for (size_t i = 0; i < r->n_read_errors && i < 20; i++)
		fprintf(out, "           sectors %" PRIu64 " to %" PRIu64 "\n",
		        r->read_errors[i].first,
		        r->read_errors[i].first + r->read_errors[i].count - 1);
	if (r->errors_beyond_e01)
		fprintf(out,
		        "  NOTE     %" PRIu64
		        " unreadable sectors lie past sector 2^32, which the E01\n"
		        "           error table cannot number: they are listed here and in --json "
		        "only\n",
		        r->errors_beyond_e01);
	if (r->n_read_errors > 20)
		fprintf(out, "           ... (all of them in --json and in the E01 error table)\n");
	for (size_t i = 0; i < r->slow.n; i++)
		fprintf(out, "  slow     bytes %" PRIu64 " to %" PRIu64 " took %.1f s\n",
		        r->source.offset + r->slow.v[i].first,
		        r->source.offset + r->slow.v[i].first + r->slow.v[i].count,
		        r->slow.v[i].seconds);
}

/* A copy: with several, a line of its own (complete or not, its read-back); then its files. */
static void text_copy(FILE *out, const struct acq_result *r, const struct acq_copy *c)
{
	if (r->n_copies > 1) {
		fprintf(out, "  copy     %s ", c->kind);
		cu_text_fput(c->path, out);
		fputs(c->complete ? ": complete" : ": FAILED, removed: ", out);
		if (!c->complete)
			cu_text_fput(c->error, out);
		if (c->evidence_check)
			fprintf(out, ", read back: %s",
			        c->evidence_check == ACQ_CHECK_MATCH ? "digests match"
			                                             : "MISMATCH");
		fputc('\n', out);
	}
	for (size_t i = 0; i < c->n_segments; i++) {
		fputs("  segment  ", out);
		cu_text_fput(c->segments[i].name, out);
		fprintf(out, " (%" PRIu64 " bytes)\n", c->segments[i].size);
	}
}

void acq_summary_text(FILE *out, const struct acq_options *o, const struct acq_result *r)
{
	char size[64], rate[64];

	cu_format_size(size, sizeof(size), r->source.size);
	cu_format_size(rate, sizeof(rate), (uint64_t)summary_rate(r));
	fprintf(out, "custos %s: %s\n", o->converted ? "convert" : "acquire",
	        outcome_names[r->outcome]);
	fputs("  source   ", out);
	cu_text_fput(r->source.is_stream && !o->converted ? "standard input (a stream)"
	                                                  : r->source.path,
	             out);
	fprintf(out, ", %s%s\n", size,
	        r->source.is_device ? (r->source.write_blocked ? ", set read-only while acquired"
	                                                       : ", NOT write-blocked")
	                            : "");
	if (r->source.identity.model[0] || r->source.identity.serial[0])
		fprintf(out, "  device   %s %s, serial %s, firmware %s\n",
		        r->source.identity.vendor, r->source.identity.model,
		        r->source.identity.serial[0] ? r->source.identity.serial : "?",
		        r->source.identity.firmware[0] ? r->source.identity.firmware : "?");
	if (ata_hidden_hpa(&r->source.ata) || ata_hidden_dco(&r->source.ata))
		fprintf(out,
		        "  HIDDEN   the drive reports %" PRIu64 " sectors; native %" PRIu64
		        ", configuration overlay %" PRIu64
		        " (HPA %s, DCO %s); nothing was changed\n",
		        r->source.ata.id.sectors, r->source.ata.native_sectors,
		        r->source.ata.dco_sectors, ata_hidden_hpa(&r->source.ata) ? "yes" : "no",
		        ata_hidden_dco(&r->source.ata) ? "yes" : "no");
	if (r->source.size != r->source.total_size)
		fprintf(out, "  range    bytes %" PRIu64 " to %" PRIu64 " of %" PRIu64 "\n",
		        r->source.offset, r->source.offset + r->source.size, r->source.total_size);
	if (o->format == ACQ_FORMAT_AFF4)
		fprintf(out,
		        "  media    AFF4, %" PRIu64 " bytes (%" PRIu64
		        " sectors of %u bytes), chunks of 32 KiB, %s, SHA-256 block hashes\n",
		        r->media_size, r->sector_count, r->bytes_per_sector,
		        acq_compression_names[o->compression]);
	else if (!summary_any_e01(o))
		fprintf(out, "  media    raw image of %" PRIu64 " bytes\n", r->media_size);
	else
		fprintf(out,
		        "  media    E01, %" PRIu64
		        " sectors of %u bytes, chunks of %u sectors, %s\n",
		        r->sector_count, r->bytes_per_sector, r->chunk_sectors,
		        acq_compression_names[o->compression]);
	if (r->media_size != r->source.size)
		fprintf(out, "  padding  %" PRIu64 " zero bytes complete the last sector\n",
		        r->media_size - r->source.size);
	text_digests(out, "", &r->media);
	if (r->media_size != r->source.size)
		text_digests(out, "source ", &r->source_exact);
	if (r->windows.window)
		fprintf(out,
		        "  windows  %zu, each the digests of %" PRIu64
		        " bytes (--hash-window), in the custody log\n",
		        r->windows.n, r->windows.window);
	text_errors(out, o, r);
	if (r->n_copies == 1 && r->evidence_check)
		fprintf(out, "  verified evidence read back: %s\n",
		        r->evidence_check == ACQ_CHECK_MATCH ? "digests match" : "MISMATCH");
	if (r->source_check)
		fprintf(out, "  verified source read again: %s\n",
		        r->source_check == ACQ_CHECK_MATCH ? "digests match" : "MISMATCH");
	for (size_t i = 0; i < r->n_copies; i++)
		text_copy(out, r, &r->copies[i]);
	fprintf(out, "  time     %.1f s, %s/s\n", r->seconds, rate);
}
