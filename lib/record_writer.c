/*
 * record_writer.c - elements both the acquisition record and the
 * enrollment record write, so that the report reads them the same way.
 *
 * The tool element names the machine that made the record as uname(2)
 * gives it: once as one line (host) and once field by field (system), so
 * that the report and DFXML take the acquisition's host from its record,
 * never from the machine a report is later made on.  Each value is written
 * escaped as a path is (lib/path.h): a host name is bytes, not text.
 */
#include "lib/record_writer.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/utsname.h>

#include "lib/path.h"
#include "lib/version.h"

void cu_record_text(xmlTextWriterPtr w, const char *name, const char *value)
{
	if (value && value[0])
		xmlTextWriterWriteElement(w, BAD_CAST name, BAD_CAST value);
}

void cu_record_number(xmlTextWriterPtr w, const char *name, uint64_t v)
{
	xmlTextWriterWriteFormatElement(w, BAD_CAST name, "%llu", (unsigned long long)v);
}

void cu_record_range(xmlTextWriterPtr w, uint64_t first, uint64_t count)
{
	xmlTextWriterStartElement(w, BAD_CAST "range");
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "first", "%llu", (unsigned long long)first);
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "count", "%llu", (unsigned long long)count);
	xmlTextWriterEndElement(w);
}

void cu_record_digests(xmlTextWriterPtr w, const char *name, const struct cu_digests *d)
{
	char hex[2 * CU_HASH_MAX_SIZE + 1];

	xmlTextWriterStartElement(w, BAD_CAST name);
	for (int a = 0; a < CU_HASH_COUNT; a++) {
		if (!d->have[a])
			continue;
		cu_hex(hex, cu_digests_get(d, a), cu_hash_size(a));
		xmlTextWriterStartElement(w, BAD_CAST "hash");
		xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST cu_hash_name(a));
		xmlTextWriterWriteString(w, BAD_CAST hex);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
}

void cu_record_windows(xmlTextWriterPtr w, const struct cu_piecewise *p)
{
	char hex[2 * CU_HASH_MAX_SIZE + 1];

	if (!p->window)
		return;
	xmlTextWriterStartElement(w, BAD_CAST "hash_windows");
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "size", "%llu",
	                                  (unsigned long long)p->window);
	xmlTextWriterWriteFormatAttribute(w, BAD_CAST "count", "%zu", p->n);
	for (size_t i = 0; i < p->n; i++) {
		uint64_t offset, len;

		cu_piecewise_span(p, i, &offset, &len);
		xmlTextWriterStartElement(w, BAD_CAST "window");
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "offset", "%llu",
		                                  (unsigned long long)offset);
		xmlTextWriterWriteFormatAttribute(w, BAD_CAST "length", "%llu",
		                                  (unsigned long long)len);
		for (int a = 0; a < CU_HASH_COUNT; a++) {
			if (!p->have[a])
				continue;
			cu_hex(hex, p->digest[a] + i * cu_hash_size(a), cu_hash_size(a));
			xmlTextWriterWriteAttribute(w, BAD_CAST cu_hash_name(a), BAD_CAST hex);
		}
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
}

/* <name>value</name>, the value escaped as a path is (a host name is bytes). */
static void record_bytes(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *text = cu_path_escape(value);

	cu_record_text(w, name, text); /* nothing when out of memory */
	free(text);
}

/* <system><nodename/><sysname/><release/><version/><machine/></system>: uname(2). */
static void record_system(xmlTextWriterPtr w, const struct utsname *u)
{
	xmlTextWriterStartElement(w, BAD_CAST "system");
	record_bytes(w, "nodename", u->nodename);
	record_bytes(w, "sysname", u->sysname);
	record_bytes(w, "release", u->release);
	record_bytes(w, "version", u->version);
	record_bytes(w, "machine", u->machine);
	xmlTextWriterEndElement(w);
}

void cu_record_tool(xmlTextWriterPtr w)
{
	struct cu_version v[CU_VERSIONS_MAX];
	size_t n = cu_versions(v, CU_VERSIONS_MAX);
	struct utsname u;
	bool named = uname(&u) == 0;
	char host[sizeof(u.nodename) + sizeof(u.sysname) + sizeof(u.release) + sizeof(u.machine)] =
	    "";

	if (named)
		snprintf(host, sizeof(host), "%s %s %s %s", u.nodename, u.sysname, u.release,
		         u.machine);
	xmlTextWriterStartElement(w, BAD_CAST "tool");
	cu_record_text(w, "name", "custos");
	cu_record_text(w, "version", CUSTOS_VERSION);
	if (named) {
		record_bytes(w, "host", host);
		record_system(w, &u);
	}
	for (size_t i = 1; i < n; i++) { /* v[0] is custos */
		xmlTextWriterStartElement(w, BAD_CAST "library");
		xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST v[i].name);
		xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST v[i].version);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
}
