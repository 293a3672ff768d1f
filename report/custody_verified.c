/*
 * custody_verified.c - the "verified" event: what a read-back of the
 * evidence gave, appended to its custody log.
 *
 * `custos verify` appends one after every full verification, and
 * `custos acquire --verify` after its read-back, as a second event after
 * the acquisition record (which is written before the read-back starts, so
 * that an interruption there cannot leave evidence without its record).
 * The event's note says the result and the digests computed; its fragment
 * holds them as the report reads them (event[@action='verified']/
 * verification).
 */
#include "report/custody_verified.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/record_writer.h"

/* The digest of `alg` in hex, or "-" when it was not computed. */
static void verified_hex(char *out, const struct cu_digests *d, int alg)
{
	if (d->have[alg])
		cu_hex(out, cu_digests_get(d, alg), cu_hash_size(alg));
	else
		snprintf(out, 2, "-");
}

/* <NAME ranges="N" listed="M"><range first count/>...</NAME> of the first ranges of `r`. */
static void verified_ranges(xmlTextWriterPtr w, const char *name, const struct cu_ranges *r)
{
	size_t listed = r->n < CUSTODY_VERIFIED_RANGES_MAX ? r->n : CUSTODY_VERIFIED_RANGES_MAX;

	xmlTextWriterStartElement(w, BAD_CAST name);
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "ranges", "%zu", r->n);
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "listed", "%zu", listed);
	for (size_t i = 0; i < listed; i++)
		cu_record_range(w, r->v[i].first, r->v[i].count);
	xmlTextWriterEndElement(w);
}

/* The event's <verification>: the result, the digests, what the detail says. */
static int verified_xml(const char *result, const struct cu_digests *computed,
                        const struct custody_verified_detail *d, char **out, struct cu_error *err)
{
	static const struct cu_ranges none = {0};
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	char hex[2 * CU_HASH_MAX_SIZE + 2];

	if (!w) {
		xmlBufferFree(buf);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	xmlTextWriterStartElementNS(w, NULL, BAD_CAST "verification", BAD_CAST CU_CUSTODY_NS);
	xmlTextWriterWriteAttribute(w, BAD_CAST "result", BAD_CAST result);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		verified_hex(hex, computed, a);
		xmlTextWriterStartElement(w, BAD_CAST "hash");
		xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST cu_hash_name(a));
		xmlTextWriterWriteString(w, BAD_CAST hex);
		xmlTextWriterEndElement(w);
	}
	if (d && d->damaged && d->damaged->n)
		verified_ranges(w, "damaged_sectors", d->damaged);
	if (d && d->window) {
		xmlTextWriterStartElement(w, BAD_CAST "windows");
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "size", "%llu",
		                                  (unsigned long long)d->window);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "count", "%zu", d->windows);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "match", "%zu", d->windows_match);
		verified_ranges(w, "differ", d->windows_bad ? d->windows_bad : &none);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
	xmlFreeTextWriter(w);
	*out = strdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	return *out ? CU_OK : cu_error_set(err, CU_EFAIL, "out of memory");
}

int custody_append_verified(const char *log, const struct custody_binding *binding, const char *by,
                            const char *result, const struct cu_digests *computed,
                            const struct custody_verified_detail *detail, struct custody_seal *seal,
                            struct cu_error *err)
{
	char note[512], md5[33], sha256[65], *xml = NULL;
	struct custody_event ev = {.action = "verified", .by = by, .note = note};
	int rc;

	verified_hex(md5, computed, CU_HASH_MD5);
	verified_hex(sha256, computed, CU_HASH_SHA256);
	snprintf(note, sizeof(note), "result: %s; computed md5 %s, sha256 %s", result, md5, sha256);
	if ((rc = verified_xml(result, computed, detail, &xml, err)))
		return rc;
	ev.xml = xml;
	rc = custody_append(log, &ev, binding, seal, CUSTODY_LOCK_SECONDS, err);
	free(xml);
	return rc;
}
