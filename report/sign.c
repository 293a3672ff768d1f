/*
 * sign.c - CMS_sign and CMS_verify, with one error line from OpenSSL.
 */
#include "report/sign.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/pem.h> /* before cms.h, whose PEM functions its macros declare */
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <unistd.h>

static int openssl_fail(struct cu_error *err, int code, const char *what)
{
	char reason[256] = "";
	unsigned long e = ERR_get_error();

	if (e)
		ERR_error_string_n(e, reason, sizeof(reason));
	ERR_clear_error();
	return cu_error_set(err, code, "%s%s%s", what, reason[0] ? ": " : "", reason);
}

static void *read_pem(const char *path, int key, struct cu_error *err)
{
	FILE *f = fopen(path, "r");
	void *v;

	if (!f) {
		cu_error_errno(err, CU_EUSAGE, errno, "cannot open %s", path);
		return NULL;
	}
	v = key ? (void *)PEM_read_PrivateKey(f, NULL, NULL, NULL)
	        : (void *)PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!v)
		openssl_fail(err, CU_EUSAGE,
		             key ? "not a PEM private key" : "not a PEM certificate");
	return v;
}

int sign_detached(const char *key_pem, const char *cert_pem, const void *data, size_t len,
                  const char *sig_path, struct cu_error *err)
{
	EVP_PKEY *key = read_pem(key_pem, 1, err);
	X509 *cert = key ? read_pem(cert_pem, 0, err) : NULL;
	BIO *in = cert ? BIO_new_mem_buf(data, (int)len) : NULL, *out = NULL;
	CMS_ContentInfo *cms = NULL;
	int fd, rc = key && cert ? CU_OK : CU_EUSAGE;

	if (!rc && !in)
		rc = cu_error_set(err, CU_EFAIL, "out of memory");
	if (!rc && !(cms = CMS_sign(cert, key, NULL, in, CMS_DETACHED | CMS_BINARY)))
		rc = openssl_fail(err, CU_EUSAGE, "cannot sign with this key and certificate");
	if (!rc) {
		fd = open(sig_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
		if (fd < 0)
			rc = cu_error_errno(err, errno == EEXIST ? CU_EUSAGE : CU_EFAIL, errno,
			                    "cannot create %s", sig_path);
		else if (!(out = BIO_new_fd(fd, BIO_CLOSE)) || !PEM_write_bio_CMS(out, cms) ||
		         BIO_flush(out) != 1 || fsync(fd) != 0)
			rc = openssl_fail(err, CU_EFAIL, "cannot write the signature");
		if (fd >= 0 && !out)
			close(fd);
		if (rc && fd >= 0)
			unlink(sig_path);
	}
	BIO_free(out);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

int sign_check(const char *path, const char *sig_path, const char *ca_pem, struct cu_error *err)
{
	X509 *ca = read_pem(ca_pem, 0, err);
	X509_STORE *store = ca ? X509_STORE_new() : NULL;
	BIO *sig = store ? BIO_new_file(sig_path, "r") : NULL;
	BIO *content = sig ? BIO_new_file(path, "rb") : NULL;
	CMS_ContentInfo *cms = content ? PEM_read_bio_CMS(sig, NULL, NULL, NULL) : NULL;
	int rc = CU_OK;

	if (!ca)
		rc = CU_EUSAGE;
	else if (!store || !X509_STORE_add_cert(store, ca))
		rc = openssl_fail(err, CU_EFAIL, "cannot use the CA certificate");
	else if (!sig || !content)
		rc = cu_error_set(err, CU_EUSAGE, "cannot open %s or %s", sig_path, path);
	else if (!cms)
		rc = openssl_fail(err, CU_EUSAGE, "not a PEM CMS signature");
	else if (CMS_verify(cms, NULL, store, content, NULL, CMS_BINARY) != 1)
		rc = openssl_fail(err, CU_EFAIL, "the signature does NOT verify");
	CMS_ContentInfo_free(cms);
	BIO_free(content);
	BIO_free(sig);
	X509_STORE_free(store);
	X509_free(ca);
	return rc;
}
