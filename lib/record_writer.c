/*
 * record_writer.c - elements both the acquisition record and the
 * enrollment record write, so that the report reads them the same way.
 */
#include "lib/record_writer.h"

#include <stdio.h>
#include <sys/utsname.h>

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

void cu_record_tool(xmlTextWriterPtr w)
{
	struct cu_version v[CU_VERSIONS_MAX];
	size_t n = cu_versions(v, CU_VERSIONS_MAX);
	struct utsname u;
	char host[300] = "";

	if (uname(&u) == 0)
		snprintf(host, sizeof(host), "%s %s %s %s", u.nodename, u.sysname, u.release,
		         u.machine);
	xmlTextWriterStartElement(w, BAD_CAST "tool");
	cu_record_text(w, "name", "custos");
	cu_record_text(w, "version", CUSTOS_VERSION);
	cu_record_text(w, "host", host);
	for (size_t i = 1; i < n; i++) { /* v[0] is custos */
		xmlTextWriterStartElement(w, BAD_CAST "library");
		xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST v[i].name);
		xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST v[i].version);
		xmlTextWriterEndElement(w);
	}
	xmlTextWriterEndElement(w);
}
