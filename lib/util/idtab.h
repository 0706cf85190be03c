/*
 * A compact table of fixed-size elements, each beginning with its key: a
 * fixed-size byte string that is already uniformly distributed (a Git
 * object id, a digest), so its first bytes serve as its hash.
 *
 * Elements are stored in chunks that never move, so a pointer to one
 * stays valid while others are added (verify: a hashing thread fills in
 * a blob's element while the walk adds more), and are found through an
 * open-addressing index of positions.  An element costs its size plus 4
 * to 8 bytes of index, with no allocation of its own: a verify of 100,000
 * records keeps a few hundred thousand of them.  Not thread-safe: callers
 * that share a table lock around dc_idtab_add() and dc_idtab_get().
 */
#ifndef DECLASS_LIB_IDTAB_H
#define DECLASS_LIB_IDTAB_H

#include <stddef.h>
#include <stdint.h>

#define DC_IDTAB_CHUNK 8192

typedef struct dc_idtab {
	size_t esize;           /* element size, the key included */
	size_t klen;            /* key size: at least sizeof(size_t) */
	unsigned char **chunks; /* DC_IDTAB_CHUNK elements each */
	size_t nchunks, n;      /* n: elements, in the order they were added */
	uint32_t *index;        /* position + 1; 0 is a free slot */
	size_t cap;             /* slots, a power of two */
} dc_idtab;

/* An empty table of elements of esize bytes whose first klen bytes are the key. */
#define DC_IDTAB_INIT(esize, klen)                   \
	{                                            \
		(esize), (klen), NULL, 0, 0, NULL, 0 \
	}

/* Element i (0 .. t->n - 1), in the order they were added. */
static inline void *dc_idtab_at(const dc_idtab *t, size_t i)
{
	return t->chunks[i / DC_IDTAB_CHUNK] + (i % DC_IDTAB_CHUNK) * t->esize;
}

/* The element whose key is `key` (klen bytes), or NULL. */
void *dc_idtab_get(const dc_idtab *t, const void *key);

/*
 * The element whose key is `key` in *out: 1 if it was added now (zeroed
 * but for its key), 0 if it was there; or DECLASS_ENOMEM.
 */
int dc_idtab_add(dc_idtab *t, const void *key, void **out);

/* Free the elements; the table is empty again, for elements of the same size. */
void dc_idtab_free(dc_idtab *t);

#endif
