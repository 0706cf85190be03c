/*
 * Release signatures inside lib/ (not public): the statement a signature
 * covers, the signature line of a tag message, and checking the lines a
 * tag message carries.  docs/SIGNING.md is the contract.
 */
#ifndef DECLASS_LIB_SIGN_H
#define DECLASS_LIB_SIGN_H

#include "util/buf.h"
#include "declass/sign.h"

/* "Declass-Signature: " begins each signature line of a tag message. */
#define DC_SIG_TRAILER "Declass-Signature"

/*
 * Append the statement a release signature covers:
 *
 *     declass-release-statement v1\n
 *     commit <40 hex>\n
 *     release <id>\n
 *     date <YYYY-MM-DD>\n
 *     release-json-sha256 <64 hex>\n
 */
int dc_release_statement(dc_buf *out, const char *commit_hex, const char *id, const char *date,
                         const char *json_sha256);

/*
 * The release tag's message as ingest writes it, before any signature:
 * "Release <id> (<date>)\n\nRelease-JSON-SHA256: <hex>\n".
 */
int dc_release_tag_message(dc_buf *out, const char *id, const char *date, const char *json_sha256);

/*
 * Sign the statement of a release with `k` (which must hold its private
 * half) and append the line
 * "Declass-Signature: ed25519 <base64 public key> <base64 signature>\n"
 * to the tag message `msg`.
 */
int dc_sign_release(dc_buf *msg, const declass_key *k, const char *commit_hex, const char *id,
                    const char *date, const char *json_sha256);

/*
 * Append the statement a text revision's signature covers (the revision
 * is a commit with no tag: the signature sits in its message, so it
 * covers what the commit id would, but for the signature itself):
 *
 *     declass-revision-statement v1\n
 *     tree <40 hex>\n
 *     parent <40 hex>\n
 *     message-sha256 <64 hex of the message above the signatures>\n
 */
int dc_revision_statement(dc_buf *out, const char *tree_hex, const char *parent_hex,
                          const char *message, size_t message_len);

/* Sign a text revision's commit message `msg` (complete but for its
 * signatures) and append the signature line to it. */
int dc_sign_revision(dc_buf *msg, const declass_key *k, const char *tree_hex,
                     const char *parent_hex);

/* One signature line found in a tag message. */
typedef struct dc_tag_sig {
	char fp[DECLASS_KEY_FP_HEX]; /* the signer's fingerprint; "" if malformed */
	int valid;                   /* verifies over the release's statement */
	int malformed;               /* the line could not be parsed */
} dc_tag_sig;

typedef struct dc_tag_sigs {
	dc_tag_sig *v; /* in the order of the message; free with dc_tag_sigs_free() */
	size_t n;
	int altered; /* signed, but the message above the signatures is not the
	                    canonical one for this release (or lines follow them) */
} dc_tag_sigs;

/*
 * Examine the signature lines of a release tag's message against the
 * release's facts (as its commit states them).  A message without any is
 * n == 0.  Returns 0, or DECLASS_ENOMEM / DECLASS_ERROR.
 */
int dc_tag_sigs_check(dc_tag_sigs *out, const char *tag_message, const char *commit_hex,
                      const char *id, const char *date, const char *json_sha256);
/* The same for a text revision's commit message; `altered`: lines after the signatures. */
int dc_revision_sigs_check(dc_tag_sigs *out, const char *message, const char *tree_hex,
                           const char *parent_hex);
void dc_tag_sigs_free(dc_tag_sigs *s);

#endif
