/*
 * tsa_http.c - the one HTTP exchange RFC 3161 needs: POST a TimeStampReq
 * as application/timestamp-query, take back a TimeStampResp.
 *
 * libcurl does the HTTP and the TLS (with the system's CA certificates for
 * https; the stamp itself is checked against --tsa-ca, tsa.c).  The
 * exchange is bounded: HTTP and HTTPS only, no redirects, 10 s to connect,
 * 30 s in all, and an answer of at most TSA_STAMP_MAX bytes; anything but
 * "200" with the right content type is refused.
 *
 * libcurl is loaded (dlopen) only when a TSA is asked for: linked, its
 * thirty-odd libraries (Kerberos, LDAP, SSH, HTTP/2...) were mapped at
 * every start of every command and cost some 5 MiB of resident memory,
 * the acquisition's peak included.  Its ABI (soname libcurl.so.4) has not
 * changed since 2006; Debian's GnuTLS build, libcurl-gnutls.so.4, offers
 * the same functions and is taken when the OpenSSL one is missing.  The
 * functions' types come from <curl/curl.h>, so a mismatch fails the build.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/tsa.h"

static const char *const curl_sonames[] = {"libcurl.so.4", "libcurl-gnutls.so.4"};

struct tsa_http {
	void *lib;
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_global_cleanup) *global_cleanup;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
	bool started; /* global_init succeeded */
};

struct http_body {
	uint8_t *data;
	size_t len;
	bool too_long;
};

static size_t body_take(char *data, size_t size, size_t n, void *ctx)
{
	struct http_body *b = ctx;
	size_t len = size * n;
	uint8_t *grown;

	if (len > TSA_STAMP_MAX - b->len) {
		b->too_long = true;
		return 0; /* libcurl stops with a write error */
	}
	if (!(grown = realloc(b->data, b->len + len + 1)))
		return 0;
	memcpy(grown + b->len, data, len);
	b->data = grown;
	b->len += len;
	return len;
}

static void http_options(const struct tsa_http *c, CURL *h, const char *url, const uint8_t *req,
                         size_t req_len, struct curl_slist *headers, struct http_body *body)
{
	c->easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	c->easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	c->easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	c->easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	c->easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	c->easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	c->easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	c->easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)req);
	c->easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)req_len);
	c->easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	c->easy_setopt(h, CURLOPT_USERAGENT, "custos");
	c->easy_setopt(h, CURLOPT_WRITEFUNCTION, body_take);
	c->easy_setopt(h, CURLOPT_WRITEDATA, body);
}

/* What came back must be a 200 with a TimeStampResp. */
static int http_judge(const struct tsa_http *c, CURL *h, CURLcode res, const struct http_body *body,
                      const char *url, struct cu_error *err)
{
	long status = 0;
	char *type = NULL;

	if (body->too_long)
		return cu_error_set(err, CU_EFAIL,
		                    "the TSA %s answered with more than %u bytes: not a time-stamp",
		                    url, TSA_STAMP_MAX);
	if (res != CURLE_OK)
		return cu_error_set(err, CU_EFAIL, "the TSA %s cannot be reached: %s", url,
		                    c->easy_strerror(res));
	c->easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	c->easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type);
	if (status != 200)
		return cu_error_set(err, CU_EFAIL, "the TSA %s answered HTTP %ld, not a time-stamp",
		                    url, status);
	if (!type || strncasecmp(type, "application/timestamp-reply", 27))
		return cu_error_set(err, CU_EFAIL,
		                    "the TSA %s answered with content type '%.60s', not "
		                    "application/timestamp-reply",
		                    url, type ? type : "none");
	return CU_OK;
}

/* Each function by name; false when one is missing. */
static bool http_bind(struct tsa_http *c)
{
#define HTTP_BIND(field, name) (c->field = (__typeof__(c->field))dlsym(c->lib, name)) != NULL
	return HTTP_BIND(global_init, "curl_global_init") &&
	       HTTP_BIND(global_cleanup, "curl_global_cleanup") &&
	       HTTP_BIND(easy_init, "curl_easy_init") &&
	       HTTP_BIND(easy_setopt, "curl_easy_setopt") &&
	       HTTP_BIND(easy_perform, "curl_easy_perform") &&
	       HTTP_BIND(easy_getinfo, "curl_easy_getinfo") &&
	       HTTP_BIND(easy_cleanup, "curl_easy_cleanup") &&
	       HTTP_BIND(easy_strerror, "curl_easy_strerror") &&
	       HTTP_BIND(slist_append, "curl_slist_append") &&
	       HTTP_BIND(slist_free_all, "curl_slist_free_all");
#undef HTTP_BIND
}

int tsa_http_open(struct tsa_http **out, struct cu_error *err)
{
	struct tsa_http *c = calloc(1, sizeof(*c));
	char why[256] = "";

	*out = NULL;
	if (!c)
		return cu_error_set(err, CU_EFAIL, "out of memory");
	for (size_t i = 0; !c->lib && i < sizeof(curl_sonames) / sizeof(curl_sonames[0]); i++)
		if (!(c->lib = dlopen(curl_sonames[i], RTLD_NOW | RTLD_LOCAL)) && !why[0])
			snprintf(why, sizeof(why), "%s", dlerror()); /* the next dlopen reuses it */
	if (!c->lib) {
		free(c);
		return cu_error_set(err, CU_EFAIL,
		                    "a TSA needs libcurl (%s), which cannot be loaded: %s; install "
		                    "Debian's libcurl4",
		                    curl_sonames[0], why);
	}
	if (!http_bind(c) || c->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		tsa_http_close(c);
		return cu_error_set(err, CU_EFAIL, "cannot start libcurl");
	}
	c->started = true;
	*out = c;
	return CU_OK;
}

void tsa_http_close(struct tsa_http *c)
{
	if (!c)
		return;
	if (c->started)
		c->global_cleanup();
	dlclose(c->lib);
	free(c);
}

int tsa_http_post(const struct tsa_http *c, const char *url, const uint8_t *req, size_t req_len,
                  uint8_t **resp, size_t *resp_len, struct cu_error *err)
{
	struct http_body body = {0};
	struct curl_slist *headers = NULL, *more;
	CURL *h = c->easy_init();
	CURLcode res;
	int rc;

	*resp = NULL;
	*resp_len = 0;
	if (!h)
		return cu_error_set(err, CU_EFAIL, "cannot start libcurl");
	headers = c->slist_append(NULL, "Content-Type: application/timestamp-query");
	more = headers ? c->slist_append(headers, "Accept: application/timestamp-reply") : NULL;
	if (!more) {
		c->slist_free_all(headers);
		c->easy_cleanup(h);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	http_options(c, h, url, req, req_len, headers, &body);
	res = c->easy_perform(h);
	rc = http_judge(c, h, res, &body, url, err);
	c->slist_free_all(headers);
	c->easy_cleanup(h);
	if (rc) {
		free(body.data);
		return rc;
	}
	*resp = body.data;
	*resp_len = body.len;
	return CU_OK;
}
