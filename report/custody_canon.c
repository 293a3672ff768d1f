/*
 * custody_canon.c - canonical forms, hashes and the binding of the log.
 */
#include "report/custody_canon.h"

#include <libxml/c14n.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "lib/hash.h"

void custody_canon_sha256(const void *data, size_t len, char out[65])
{
	struct cu_digests d = {0};
	struct cu_hash *h = NULL;

	out[0] = '\0';
	if (!cu_hash_new(&h, CU_HASH_SHA256, NULL) && !cu_hash_update(h, data, len, NULL) &&
	    !cu_hash_final(h, &d, NULL))
		cu_hex(out, d.sha256, 32);
	cu_hash_free(h);
}

void custody_canon_binding(const struct custody_binding *b, char out[65])
{
	char text[512], guid[33], hex[CU_HASH_COUNT][2 * CU_HASH_MAX_SIZE + 1];

	cu_hex(guid, b->guid, 16);
	for (int a = 0; a < CU_HASH_COUNT; a++)
		if (b->digests.have[a])
			cu_hex(hex[a], cu_digests_get(&b->digests, a), cu_hash_size(a));
		else
			strcpy(hex[a], "-");
	snprintf(text, sizeof(text),
	         "custos-custody-binding-2\nguid=%s\nmd5=%s\nsha1=%s\nsha256=%s\n", guid, hex[0],
	         hex[1], hex[2]);
	custody_canon_sha256(text, strlen(text), out);
}

xmlNodePtr custody_canon_child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !xmlStrcmp(c->name, BAD_CAST name) && c->ns &&
		    !xmlStrcmp(c->ns->href, BAD_CAST CU_CUSTODY_NS))
			return c;
	return NULL;
}

/* Takes the child `name` of `parent` out, when it has one. */
static void drop_child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr c = parent ? custody_canon_child(parent, name) : NULL;

	if (c) {
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

int custody_canon_form(xmlNodePtr ev, enum custody_canon which, xmlChar **out, size_t *len,
                       struct cu_error *err)
{
	xmlDocPtr alone = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr copy = alone ? xmlDocCopyNode(ev, alone, 1) : NULL;
	int n;

	if (!copy) {
		xmlFreeDoc(alone);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	xmlDocSetRootElement(alone, copy);
	if (which == CUSTODY_CANON_SIGNED) {
		drop_child(copy, "signature");
		drop_child(copy, "timestamp");
	} else if (which == CUSTODY_CANON_STAMPED) {
		drop_child(custody_canon_child(copy, "timestamp"), "token");
	}
	xmlReconciliateNs(alone, copy);
	n = xmlC14NDocDumpMemory(alone, NULL, XML_C14N_1_0, NULL, 0, out);
	xmlFreeDoc(alone);
	if (n < 0)
		return cu_error_set(err, CU_EFAIL, "cannot put a custody event in canonical form");
	*len = (size_t)n;
	return CU_OK;
}

int custody_canon_hash(xmlNodePtr ev, char out[65], struct cu_error *err)
{
	xmlChar *form = NULL;
	size_t len = 0;
	int rc = custody_canon_form(ev, CUSTODY_CANON_WHOLE, &form, &len, err);

	if (!rc)
		custody_canon_sha256(form, len, out);
	xmlFree(form);
	return rc;
}

char *custody_canon_base64(const uint8_t *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	if (out)
		EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

long custody_canon_unbase64(const char *text, size_t max, uint8_t **out)
{
	size_t len = strlen(text), pad = 0;
	int n;

	*out = NULL;
	if (len == 0 || len % 4 || len > max)
		return -1;
	pad = (text[len - 1] == '=') + (text[len - 2] == '=');
	if (!(*out = malloc(len / 4 * 3)))
		return -1;
	n = EVP_DecodeBlock(*out, (const unsigned char *)text, (int)len);
	if (n < 0 || (size_t)n < pad) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return n - (long)pad;
}
