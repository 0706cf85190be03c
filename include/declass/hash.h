/*
 * Streaming SHA-256 (OpenSSL EVP), the archive's fixity hash.
 */
#ifndef DECLASS_HASH_H
#define DECLASS_HASH_H

#include "declass/declass.h"

/* Lower-case hex digest plus NUL. */
#define DECLASS_SHA256_HEX 65

typedef struct declass_sha256 declass_sha256;

/* A new hashing context; the caller frees it with declass_sha256_free(). */
int declass_sha256_new(declass_sha256 **out);
int declass_sha256_update(declass_sha256 *h, const void *data, size_t len);
/* Write the hex digest of everything fed so far; the context is reset. */
int declass_sha256_final(declass_sha256 *h, char hex[DECLASS_SHA256_HEX]);
void declass_sha256_free(declass_sha256 *h);

/* One-shot digest of a buffer. */
int declass_sha256_buf(char hex[DECLASS_SHA256_HEX], const void *data, size_t len);

/*
 * Digest and size of the file at `path`, read once in fixed-size chunks
 * (memory does not grow with the file).  size may be NULL.  Only a
 * regular file is read (symlinks followed): anything else (a FIFO, which
 * could wait forever, /dev/zero, which never ends) is DECLASS_EINPUT,
 * "'path' is not a regular file".
 */
int declass_sha256_file(char hex[DECLASS_SHA256_HEX], uint64_t *size, const char *path);

#endif
