/*
 * Ed25519 keys for signed releases.  A release is signed by appending a
 * `Declass-Signature:` line to its annotated tag's message, over a
 * canonical statement of the release (commit id, release id, date,
 * SHA-256 of releases/<ID>.json); docs/SIGNING.md gives the exact bytes.
 *
 * Keys are the PEM files OpenSSL writes:
 *
 *     openssl genpkey -algorithm ed25519 -out archivist.pem
 *     openssl pkey -in archivist.pem -pubout -out archivist.pub.pem
 *
 * A key's fingerprint is the lower-case hex SHA-256 of its raw 32-byte
 * public key (64 characters).
 */
#ifndef DECLASS_SIGN_H
#define DECLASS_SIGN_H

#include "declass/declass.h"

/* Hex fingerprint plus NUL. */
#define DECLASS_KEY_FP_HEX 65

typedef struct declass_key declass_key;

/*
 * Load an Ed25519 key from a PEM file: a private key (it can sign, and
 * its public half verifies) or a public key (it only verifies).  An
 * encrypted private key is refused (DECLASS_EINPUT), as is any other key
 * type.  *out is the caller's: free it with declass_key_free().
 */
int declass_key_load(declass_key **out, const char *path);
void declass_key_free(declass_key *k);

/* The key's fingerprint (hex SHA-256 of the raw public key); valid while k is. */
const char *declass_key_fingerprint(const declass_key *k);

/* 1 if the key holds its private half and can sign, else 0. */
int declass_key_can_sign(const declass_key *k);

#endif
