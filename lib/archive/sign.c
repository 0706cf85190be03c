/*
 * Signed releases: Ed25519 keys (OpenSSL EVP), the canonical statement of
 * a release, and the `Declass-Signature:` lines of release tag messages.
 * docs/SIGNING.md gives the exact bytes and why they are not Git's own
 * gpgsig or SSH signatures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "declass/hash.h"
#include "sign.h"
#include "util/grow.h"

#define PUB_LEN 32
#define SIG_LEN 64
#define PUB_B64 44 /* base64 of 32 bytes, padded */
#define SIG_B64 88 /* base64 of 64 bytes, padded */

struct declass_key {
	EVP_PKEY *pkey;
	int priv;
	unsigned char pub[PUB_LEN];
	char fp[DECLASS_KEY_FP_HEX];
};

/* OpenSSL's reason for the last failure, and a clean queue. */
static const char *ssl_reason(void)
{
	static _Thread_local char buf[256];
	unsigned long e = ERR_peek_last_error();

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "unknown error");
	ERR_clear_error();
	return buf;
}

/* A passphrase callback that refuses: never prompt on the terminal. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf, (void)size, (void)rwflag, (void)u;
	return -1;
}

static int fingerprint(char out[DECLASS_KEY_FP_HEX], const unsigned char pub[PUB_LEN])
{
	return declass_sha256_buf(out, pub, PUB_LEN);
}

int declass_key_load(declass_key **out, const char *path)
{
	declass_key *k = NULL;
	BIO *bio = NULL;
	size_t len = PUB_LEN;
	int error = 0;

	*out = NULL;
	if (!(k = calloc(1, sizeof(*k))))
		return dc_error_oom();
	if (!(bio = BIO_new_file(path, "r"))) {
		ERR_clear_error();
		error = dc_error_sys(DECLASS_EINPUT, "cannot read key '%s'", path);
		goto done;
	}
	if ((k->pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL))) {
		k->priv = 1;
	} else {
		ERR_clear_error();
		if (BIO_reset(bio) != 0 ||
		    !(k->pkey = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL))) {
			ERR_clear_error();
			error = dc_error_set(
			        DECLASS_EINPUT,
			        "'%s' is not a PEM Ed25519 key (or it is encrypted); make one "
			        "with 'openssl genpkey -algorithm ed25519 -out KEY.pem'",
			        path);
			goto done;
		}
	}
	if (EVP_PKEY_get_id(k->pkey) != EVP_PKEY_ED25519) {
		error = dc_error_set(DECLASS_EINPUT, "key '%s' is not an Ed25519 key", path);
		goto done;
	}
	if (EVP_PKEY_get_raw_public_key(k->pkey, k->pub, &len) != 1 || len != PUB_LEN) {
		error = dc_error_set(DECLASS_EINPUT, "key '%s': cannot read its public key: %s",
		                     path, ssl_reason());
		goto done;
	}
	error = fingerprint(k->fp, k->pub);
done:
	BIO_free(bio);
	if (error < 0)
		declass_key_free(k);
	else
		*out = k;
	return error;
}

void declass_key_free(declass_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

const char *declass_key_fingerprint(const declass_key *k)
{
	return k->fp;
}

int declass_key_can_sign(const declass_key *k)
{
	return k->priv;
}

int dc_release_statement(dc_buf *out, const char *commit_hex, const char *id, const char *date,
                         const char *json_sha256)
{
	return dc_buf_addf(out,
	                   "declass-release-statement v1\n"
	                   "commit %s\n"
	                   "release %s\n"
	                   "date %s\n"
	                   "release-json-sha256 %s\n",
	                   commit_hex, id, date, json_sha256);
}

int dc_release_tag_message(dc_buf *out, const char *id, const char *date, const char *json_sha256)
{
	return dc_buf_addf(out, "Release %s (%s)\n\nRelease-JSON-SHA256: %s\n", id, date,
	                   json_sha256);
}

int dc_revision_statement(dc_buf *out, const char *tree_hex, const char *parent_hex,
                          const char *message, size_t message_len)
{
	char hex[DECLASS_SHA256_HEX];
	int error;

	if ((error = declass_sha256_buf(hex, message, message_len)) < 0)
		return error;
	return dc_buf_addf(out,
	                   "declass-revision-statement v1\n"
	                   "tree %s\n"
	                   "parent %s\n"
	                   "message-sha256 %s\n",
	                   tree_hex, parent_hex, hex);
}

/* Sign stmt with k and append the signature line to msg; `what` names it in errors. */
static int sign_statement(dc_buf *msg, const declass_key *k, const dc_buf *stmt, const char *what)
{
	EVP_MD_CTX *md = NULL;
	unsigned char sig[SIG_LEN];
	char pub64[PUB_B64 + 1], sig64[SIG_B64 + 1];
	size_t siglen = sizeof(sig);
	int error;

	if (!k->priv)
		return dc_error_set(DECLASS_EINPUT, "key %.16s... is a public key: it cannot sign",
		                    k->fp);
	if (!(md = EVP_MD_CTX_new()))
		return dc_error_oom();
	/* Ed25519 signs the message itself (no digest parameter). */
	if (EVP_DigestSignInit(md, NULL, NULL, NULL, k->pkey) != 1 ||
	    EVP_DigestSign(md, sig, &siglen, (const unsigned char *)stmt->ptr, stmt->len) != 1 ||
	    siglen != SIG_LEN) {
		error = dc_error_set(DECLASS_ERROR, "cannot sign %s: %s", what, ssl_reason());
		goto done;
	}
	EVP_EncodeBlock((unsigned char *)pub64, k->pub, PUB_LEN);
	EVP_EncodeBlock((unsigned char *)sig64, sig, SIG_LEN);
	error = dc_buf_addf(msg, DC_SIG_TRAILER ": ed25519 %s %s\n", pub64, sig64);
done:
	EVP_MD_CTX_free(md);
	return error;
}

int dc_sign_release(dc_buf *msg, const declass_key *k, const char *commit_hex, const char *id,
                    const char *date, const char *json_sha256)
{
	dc_buf stmt = DC_BUF_INIT, what = DC_BUF_INIT;
	int error;

	if ((error = dc_release_statement(&stmt, commit_hex, id, date, json_sha256)) == 0 &&
	    (error = dc_buf_addf(&what, "release '%s'", id)) == 0)
		error = sign_statement(msg, k, &stmt, what.ptr);
	dc_buf_free(&stmt);
	dc_buf_free(&what);
	return error;
}

int dc_sign_revision(dc_buf *msg, const declass_key *k, const char *tree_hex,
                     const char *parent_hex)
{
	dc_buf stmt = DC_BUF_INIT;
	int error;

	if ((error = dc_revision_statement(&stmt, tree_hex, parent_hex, msg->ptr, msg->len)) == 0)
		error = sign_statement(msg, k, &stmt, "the text revision");
	dc_buf_free(&stmt);
	return error;
}

/*
 * Decode exactly `n` bytes from canonical padded base64 of length `len`:
 * what decodes must re-encode to the same text, so one signature has one
 * spelling.  Returns 1 if it did, 0 if not.
 */
static int b64_exact(unsigned char *out, size_t n, const char *s, size_t len)
{
	unsigned char raw[SIG_B64], again[SIG_B64 + 1];
	size_t i;

	if (len != 4 * ((n + 2) / 3) || len > SIG_B64)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || (c == '=' && i >= len - 2)))
			return 0;
	}
	if (EVP_DecodeBlock(raw, (const unsigned char *)s, (int)len) < (int)n)
		return 0;
	EVP_EncodeBlock(again, raw, (int)n);
	if (memcmp(again, s, len) != 0)
		return 0;
	memcpy(out, raw, n);
	return 1;
}

/* Parse and check one line (without its newline) after "Declass-Signature: ". */
static void check_line(dc_tag_sig *sig, const char *line, size_t len, const dc_buf *stmt)
{
	unsigned char pub[PUB_LEN], raw[SIG_LEN];
	EVP_PKEY *pk = NULL;
	EVP_MD_CTX *md = NULL;

	memset(sig, 0, sizeof(*sig));
	sig->malformed = 1;
	if (len != 8 + PUB_B64 + 1 + SIG_B64 || memcmp(line, "ed25519 ", 8) ||
	    line[8 + PUB_B64] != ' ' || !b64_exact(pub, PUB_LEN, line + 8, PUB_B64) ||
	    !b64_exact(raw, SIG_LEN, line + 8 + PUB_B64 + 1, SIG_B64) ||
	    fingerprint(sig->fp, pub) < 0)
		return;
	sig->malformed = 0;
	if ((pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, PUB_LEN)) &&
	    (md = EVP_MD_CTX_new()) && EVP_DigestVerifyInit(md, NULL, NULL, NULL, pk) == 1)
		sig->valid = EVP_DigestVerify(md, raw, SIG_LEN, (const unsigned char *)stmt->ptr,
		                              stmt->len) == 1;
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(pk);
}

/* Where a message's signature block begins: its first line that starts
 * with the trailer; NULL if none does. */
static const char *sig_block(const char *message)
{
	const char *p, *nl;

	for (p = message; *p; p = nl + 1) {
		if (!strncmp(p, DC_SIG_TRAILER ": ", sizeof(DC_SIG_TRAILER) + 1))
			return p;
		if (!(nl = strchr(p, '\n')))
			break;
	}
	return NULL;
}

/*
 * The signature lines from `first` (sig_block(); NULL: none) to the end
 * of the message, each checked against stmt.
 */
static int sigs_parse(dc_tag_sigs *out, const char *first, const dc_buf *stmt)
{
	static const char prefix[] = DC_SIG_TRAILER ": ";
	const size_t plen = sizeof(prefix) - 1;
	const char *p, *nl;
	size_t alloc = 0;
	int error;

	for (p = first ? first : ""; *p; p = nl + 1) {
		if (!(nl = strchr(p, '\n')) || strncmp(p, prefix, plen)) {
			/* Anything after the signatures, or a last line without newline. */
			out->altered = 1;
			break;
		}
		if ((error = dc_grow(&out->v, &alloc, out->n + 1, sizeof(*out->v))) < 0)
			return error;
		check_line(&out->v[out->n++], p + plen, (size_t)(nl - p) - plen, stmt);
	}
	return 0;
}

int dc_tag_sigs_check(dc_tag_sigs *out, const char *tag_message, const char *commit_hex,
                      const char *id, const char *date, const char *json_sha256)
{
	dc_buf stmt = DC_BUF_INIT, canon = DC_BUF_INIT;
	const char *first = sig_block(tag_message);
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = dc_release_statement(&stmt, commit_hex, id, date, json_sha256)) < 0 ||
	    (error = dc_release_tag_message(&canon, id, date, json_sha256)) < 0 ||
	    (error = sigs_parse(out, first, &stmt)) < 0)
		goto done;
	if (first && ((size_t)(first - tag_message) != canon.len ||
	              memcmp(tag_message, canon.ptr, canon.len) != 0))
		out->altered = 1;
done:
	if (error < 0)
		dc_tag_sigs_free(out);
	dc_buf_free(&stmt);
	dc_buf_free(&canon);
	return error;
}

int dc_revision_sigs_check(dc_tag_sigs *out, const char *message, const char *tree_hex,
                           const char *parent_hex)
{
	dc_buf stmt = DC_BUF_INIT;
	const char *first = sig_block(message);
	int error;

	memset(out, 0, sizeof(*out));
	/* The statement covers the message above the signatures. */
	if ((error = dc_revision_statement(&stmt, tree_hex, parent_hex, message,
	                                   first ? (size_t)(first - message) : strlen(message))) <
	            0 ||
	    (error = sigs_parse(out, first, &stmt)) < 0)
		dc_tag_sigs_free(out);
	dc_buf_free(&stmt);
	return error;
}

void dc_tag_sigs_free(dc_tag_sigs *s)
{
	if (!s)
		return;
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
