/*
 * version.c - the versions of custos and of the libraries it runs with.
 *
 * Each library is asked at run time where it can say (libewf, OpenSSL,
 * libxml2, libxslt): a court report lists the environment that produced
 * the evidence, which a library upgraded since the build would otherwise
 * misstate.  libdeflate has no such call; its version is the one compiled
 * against, which the package's dependency pins.
 */
#include "lib/version.h"

#include <libdeflate.h>
#include <libewf.h>
#include <libxml/globals.h>
#include <libxslt/xslt.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>

/* libxml2 and libxslt give 21004 for 2.10.4. */
static void dotted(char *out, size_t len, long v)
{
	snprintf(out, len, "%ld.%ld.%ld", v / 10000, v / 100 % 100, v % 100);
}

size_t cu_versions(struct cu_version *out, size_t cap)
{
	size_t n = 0;

	if (cap < 6)
		return 0;
	out[n].name = "custos";
	snprintf(out[n++].version, sizeof(out->version), "%s", CUSTOS_VERSION);
	out[n].name = "libewf";
	snprintf(out[n++].version, sizeof(out->version), "%s", libewf_get_version());
	out[n].name = "OpenSSL";
	snprintf(out[n++].version, sizeof(out->version), "%s",
	         OpenSSL_version(OPENSSL_VERSION_STRING));
	out[n].name = "libxml2";
	dotted(out[n++].version, sizeof(out->version), strtol(xmlParserVersion, NULL, 10));
	out[n].name = "libxslt";
	dotted(out[n++].version, sizeof(out->version), xsltLibxsltVersion);
	out[n].name = "libdeflate";
	snprintf(out[n++].version, sizeof(out->version), "%s", LIBDEFLATE_VERSION_STRING);
	return n;
}
