/*
 * Object integrity for `declass verify`: strict reads of commits, tags and
 * trees, blobs streamed with their Git id recomputed, and the release tag
 * refs.  Kept apart from store.h because only lib/verify/ needs it.
 *
 * Every read here checks that the object exists, inflates, and hashes to
 * its id.  Errors: DECLASS_ENOTFOUND for an object that is not in the
 * archive, DECLASS_EARCHIVE for one that cannot be read or does not hash
 * to its id (the message says which), DECLASS_ENOMEM.
 */
#ifndef DECLASS_STORE_VERIFY_H
#define DECLASS_STORE_VERIFY_H

#include <stdint.h>

#include "store.h"

/* Git object types, as libgit2 numbers them. */
enum {
	STORE_OBJ_COMMIT = 1,
	STORE_OBJ_TREE = 2,
	STORE_OBJ_BLOB = 3,
	STORE_OBJ_TAG = 4,
};

/* Tree entry modes. */
#define STORE_MODE_TREE      0040000
#define STORE_MODE_BLOB      0100644
#define STORE_MODE_BLOB_EXEC 0100755
#define STORE_MODE_LINK      0120000
#define STORE_MODE_COMMIT    0160000

/*
 * Make libgit2 check, on every read, that an object hashes to its id
 * (GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION), and not cache trees, which a
 * verify reads once each (process-wide).  Call it with an archive open.
 */
int store_verify_strict(void);

/*
 * A second read-only handle on the archive `s` is open on, for another
 * thread (libgit2 objects are not shared between threads).  Free it with
 * store_free().
 */
int store_reopen(store **out, store *s);

/* The commit `id`: its tree, first parent, number of parents, message. */
int store_commit_read(store *s, const store_oid *id, store_oid *tree, store_oid *parent,
                      size_t *nparents, dc_buf *message);

/* One ref below refs/tags/release/. */
typedef struct store_tag_ref {
	char *name;       /* the part after "refs/tags/release/" */
	store_oid target; /* what the ref points at (tag object or commit) */
	int symbolic;     /* a symbolic ref: target is unset */
} store_tag_ref;

/* Every release tag ref, by name.  Free with store_tag_refs_free(). */
int store_tag_refs(store *s, store_tag_ref **out, size_t *n);
void store_tag_refs_free(store_tag_ref *refs, size_t n);

/*
 * What makes Git's own commands (git show, log, diff, blame) read other
 * objects than the archive's commits and trees name, which declass
 * (libgit2 1.5) does not follow: each ref below refs/replace/, loose or
 * packed, and the files info/grafts and shallow.  cb gets the ref's name
 * ("refs/replace/<id>") or the file's path below the archive, and for a
 * replace ref what it points at (NULL for a symbolic ref or a file).  A
 * non-zero return from cb stops the listing and is returned.
 */
int store_git_overrides(store *s, int (*cb)(void *ctx, const char *name, const store_oid *by),
                        void *ctx);

/*
 * The object `id` read strictly: its type (STORE_OBJ_*); for an annotated
 * tag also its target, the target's type, its name and message (appended
 * to `name` and `message`, which may be NULL).
 */
int store_object_read(store *s, const store_oid *id, int *type, store_oid *tag_target,
                      int *tag_target_type, dc_buf *name, dc_buf *message);

/*
 * Call cb for each entry of the tree `id`, in Git's order, with the entry's
 * name, mode (STORE_MODE_*) and id.  A non-zero return from cb stops the
 * walk and is returned.
 */
int store_tree_each(store *s, const store_oid *id,
                    int (*cb)(void *ctx, const char *name, unsigned mode, const store_oid *oid),
                    void *ctx);

/* The whole blob `id`, appended to out (for small blobs: JSON). */
int store_blob_read(store *s, const store_oid *id, dc_buf *out);

/*
 * Stream the blob `id` to cb in pieces and check that it hashes to its id
 * and has the size its header says; *size is that size.  A loose object is
 * read from its file and inflated here in fixed-size pieces (libgit2 1.5's
 * loose read stream spins forever on a truncated file); a packed one is
 * read whole by libgit2 (1.5 has no read stream for packs), so memory is
 * then the blob's size.  A non-zero return from cb stops and is returned.
 */
int store_blob_stream(store *s, const store_oid *id,
                      int (*cb)(void *ctx, const void *data, size_t len), void *ctx,
                      uint64_t *size);

/*
 * A reader of blobs for one thread: fixed buffers (512 kB), inflate state
 * and digests set up once and reused by every read through it.  Free it
 * with store_blob_reader_free() (NULL is fine).
 */
typedef struct store_blob_reader store_blob_reader;

int store_blob_reader_new(store_blob_reader **out);
void store_blob_reader_free(store_blob_reader *rd);

/* store_blob_stream() with rd's buffers. */
int store_blob_stream_with(store_blob_reader *rd, store *s, const store_oid *id,
                           int (*cb)(void *ctx, const void *data, size_t len), void *ctx,
                           uint64_t *size);

/* The blob `id` read as store_blob_stream() does: its SHA-256 (raw) and size. */
int store_blob_sha256(store_blob_reader *rd, store *s, const store_oid *id,
                      unsigned char sha256[32], uint64_t *size);

#endif
