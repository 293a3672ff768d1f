/*
 * version.h - custos's version, and the versions of the libraries it runs
 * with: the tool environment a court report lists.
 *
 * CUSTOS_VERSION and CUSTOS_DATE are the one place the release is named
 * (CMakeLists.txt reads them for the package).  The libraries' versions are
 * asked of the libraries themselves at run time where they can tell
 * (libewf, OpenSSL, libxml2, libxslt, zlib), so that the report names what
 * really ran, not what custos was compiled against; libdeflate can only
 * tell the version it was compiled with.
 */
#ifndef CUSTOS_LIB_VERSION_H
#define CUSTOS_LIB_VERSION_H

#include <stddef.h>

#define CUSTOS_VERSION "0.1" /* "custos 0.1" fits the 11 characters EnCase reads */
#define CUSTOS_DATE    "2026-11-26"

struct cu_version {
	const char *name; /* "libewf" */
	char version[64]; /* "20140813" */
};

#define CU_VERSIONS_MAX 8

/* custos and every library it runs with, custos first; returns how many. */
size_t cu_versions(struct cu_version *out, size_t cap);

#endif
