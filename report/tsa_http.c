/*
 * tsa_http.c - the one HTTP exchange RFC 3161 needs: POST a TimeStampReq
 * as application/timestamp-query, take back a TimeStampResp.
 *
 * libcurl does the HTTP and the TLS (with the system's CA certificates for
 * https; the stamp itself is checked against --tsa-ca, tsa.c).  The
 * exchange is bounded: HTTP and HTTPS only, no redirects, 10 s to connect,
 * 30 s in all, and an answer of at most TSA_STAMP_MAX bytes; anything but
 * "200" with the right content type is refused.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/tsa.h"

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

static void http_options(CURL *h, const char *url, const uint8_t *req, size_t req_len,
                         struct curl_slist *headers, struct http_body *body)
{
	curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)req);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)req_len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "custos");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, body_take);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, body);
}

/* What came back must be a 200 with a TimeStampResp. */
static int http_judge(CURL *h, CURLcode res, const struct http_body *body, const char *url,
                      struct cu_error *err)
{
	long status = 0;
	char *type = NULL;

	if (body->too_long)
		return cu_error_set(err, CU_EFAIL,
		                    "the TSA %s answered with more than %u bytes: not a time-stamp",
		                    url, TSA_STAMP_MAX);
	if (res != CURLE_OK)
		return cu_error_set(err, CU_EFAIL, "the TSA %s cannot be reached: %s", url,
		                    curl_easy_strerror(res));
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &type);
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

int tsa_http_init(struct cu_error *err)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK
	           ? CU_OK
	           : cu_error_set(err, CU_EFAIL, "cannot start libcurl");
}

int tsa_http_post(const char *url, const uint8_t *req, size_t req_len, uint8_t **resp,
                  size_t *resp_len, struct cu_error *err)
{
	struct http_body body = {0};
	struct curl_slist *headers = NULL, *more;
	CURL *h = curl_easy_init();
	CURLcode res;
	int rc;

	*resp = NULL;
	*resp_len = 0;
	if (!h)
		return cu_error_set(err, CU_EFAIL, "cannot start libcurl");
	headers = curl_slist_append(NULL, "Content-Type: application/timestamp-query");
	more = headers ? curl_slist_append(headers, "Accept: application/timestamp-reply") : NULL;
	if (!more) {
		curl_slist_free_all(headers);
		curl_easy_cleanup(h);
		return cu_error_set(err, CU_EFAIL, "out of memory");
	}
	http_options(h, url, req, req_len, headers, &body);
	res = curl_easy_perform(h);
	rc = http_judge(h, res, &body, url, err);
	curl_slist_free_all(headers);
	curl_easy_cleanup(h);
	if (rc) {
		free(body.data);
		return rc;
	}
	*resp = body.data;
	*resp_len = body.len;
	return CU_OK;
}
