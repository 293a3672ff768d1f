/*
 * record_writer.h - the pieces of an acquisition or enrollment record (the
 * first event of a custody log) that both kinds write the same way: text
 * and number elements, digests, and the tool with the libraries it ran
 * with.  They write through a libxml2 text writer, in the record's
 * namespace (CU_CUSTODY_NS), already open.
 */
#ifndef CUSTOS_LIB_RECORD_WRITER_H
#define CUSTOS_LIB_RECORD_WRITER_H

#include <libxml/xmlwriter.h>
#include <stdint.h>

#include "lib/hash.h"
#include "lib/hash_windows.h"

/* <name>value</name>, or nothing when `value` is NULL or empty. */
void cu_record_text(xmlTextWriterPtr w, const char *name, const char *value);

/* <name>v</name>. */
void cu_record_number(xmlTextWriterPtr w, const char *name, uint64_t v);

/* <range first="F" count="C"/>: a run of sectors (or of windows). */
void cu_record_range(xmlTextWriterPtr w, uint64_t first, uint64_t count);

/* <name><hash type="md5">...</hash>...</name>, the digests `d` has. */
void cu_record_digests(xmlTextWriterPtr w, const char *name, const struct cu_digests *d);

/*
 * <hash_windows size=".." count="..">, a <window offset=".." length=".."
 * md5=".." sha256=".."/> for each; nothing when `p` holds no windows.
 */
void cu_record_windows(xmlTextWriterPtr w, const struct cu_piecewise *p);

/*
 * <tool><name>custos</name><version/><host/><system>...</system><library
 * name= version=/>...</tool>: what made the record, where (host: node name,
 * system, release and machine on one line; system: uname(2) field by field,
 * nodename, sysname, release, version, machine), and the libraries it ran
 * with.
 */
void cu_record_tool(xmlTextWriterPtr w);

#endif
