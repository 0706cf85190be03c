/*
 * What the two halves of BagIt bags share; nothing outside lib/export sees
 * it (the public API is declass/bag.h).
 *
 *   bag.c         a release exported as a bag (declass_bag_export), and the digests
 *   bag_verify.c  a bag validated (declass_bag_verify)
 */
#ifndef DECLASS_BAG_INTERNAL_H
#define DECLASS_BAG_INTERNAL_H

#include <stddef.h>

#include <openssl/evp.h>

#define MAX_ALGS 4

/* The algorithms a bag's manifests may name, by index: "md5", "sha1", "sha256", "sha512". */
extern const char *const dc_bag_alg_names[MAX_ALGS];

/* Several digests of one stream, fed once. */
typedef struct digests {
	EVP_MD_CTX *ctx[MAX_ALGS];
	unsigned used; /* bit i: dc_bag_alg_names[i] */
} digests;

/* The digest of algorithm i. */
const EVP_MD *dc_bag_alg_md(int i);

/* The index of the algorithm called name[0..len), or -1. */
int dc_bag_alg_index(const char *name, size_t len);

/* Start the digests of the algorithms in `used` (bit i: algorithm i); free with _free(). */
int dc_bag_digests_init(digests *d, unsigned used);
int dc_bag_digests_update(digests *d, const void *data, size_t len);
void dc_bag_digests_free(digests *d);

/* Hex digests into hex[i] (129 bytes each) for the algorithms in use. */
int dc_bag_digests_final(digests *d, char hex[MAX_ALGS][129]);

#endif
