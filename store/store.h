/*
 * The Git backend of libdeclass: the only code that includes <git2.h>.
 *
 * An archive is a bare repository marked with `declass.formatVersion` in
 * its config.  Writers take a lock (flock on <git-dir>/declass.lock) and
 * write every object of a tranche into a quarantine directory first; only
 * store_commit_release() moves them into objects/, syncs, and then moves
 * the branch with one compare-and-swap, then creates the tag.  An abort,
 * an error or a crash before that leaves objects/ and refs/ untouched.
 *
 * Object ids cross this interface as store_oid (raw SHA-1 bytes); strings
 * returned through dc_buf are the caller's.
 */
#ifndef DECLASS_STORE_H
#define DECLASS_STORE_H

#include <stdint.h>

#include "util/buf.h"

#define STORE_BRANCH     "refs/heads/main"
#define STORE_TAG_PREFIX "refs/tags/release/"

typedef struct store store;
typedef struct store_blob store_blob;
typedef struct store_dir store_dir;
typedef struct store_tree_edit store_tree_edit;
typedef struct store_writer store_writer;

typedef struct store_oid {
	unsigned char id[20];
} store_oid;

#define STORE_OID_HEX 41
void store_oid_fmt(char out[STORE_OID_HEX], const store_oid *oid);
int store_oid_equal(const store_oid *a, const store_oid *b);

/* Create a new, empty archive at path (fails if one exists there). */
int store_init(const char *path);

/*
 * Is `path` free for a new archive: absent, or an empty folder?  0, or
 * DECLASS_ECONFLICT naming it.
 */
int store_init_check(const char *path);

/*
 * Open the archive at path.  With `write`, take the writer lock, waiting
 * up to `lock_wait_ms` (DECLASS_ELOCKED after that), and remove the
 * quarantine left by a writer that died.  Free with store_free().
 */
int store_open(store **out, const char *path, int write, int lock_wait_ms);
void store_free(store *s);

/*
 * The repository's folder, with a trailing '/' (static, the store's): for
 * files lib keeps beside the repository, such as derived data.
 */
const char *store_gitdir(const store *s);

/* The commit the branch points at; DECLASS_ENOTFOUND before any release. */
int store_tip(store *s, store_oid *out);

/* The commit tagged release/<id>; DECLASS_ENOTFOUND if there is none. */
int store_release_commit(store *s, const char *id, store_oid *out);

/*
 * The commits on the branch, oldest first (first-parent walk).  *out is
 * the caller's (free()).
 */
int store_history(store *s, store_oid **out, size_t *n);

/* The commit's message and time (seconds since the epoch). */
int store_commit_message(store *s, const store_oid *commit, dc_buf *msg, int64_t *when);

/* The value of the last trailer `key` in the message, or ENOTFOUND. */
int store_trailer(const char *message, const char *key, dc_buf *out);

/*
 * Append the blob at `path` in the commit's tree to `out`.
 * DECLASS_ENOTFOUND if the path is absent.  oid may be NULL.
 */
int store_read_file(store *s, const store_oid *commit, const char *path, dc_buf *out,
                    store_oid *oid);

/* Append the blob `oid` to `out` (also sees objects in the quarantine). */
int store_read_blob(store *s, const store_oid *oid, dc_buf *out);

/* The id of the entry at path (blob or tree), or DECLASS_ENOTFOUND. */
int store_path_oid(store *s, const store_oid *commit, const char *path, store_oid *out);

/*
 * Call cb for each entry of the folder at path, in name order.  A non-zero
 * return from cb stops the walk and is returned.
 */
int store_list_dir(store *s, const store_oid *commit, const char *path,
                   int (*cb)(void *ctx, const char *name, int is_dir, const store_oid *oid),
                   void *ctx);

/*
 * Call cb for each record folder (a folder under records/ holding
 * meta.json) of the commit's tree, in path order, with its path
 * ("records/104/10004/10143").  A non-zero return from cb stops the walk
 * and is returned.
 */
int store_walk_records(store *s, const store_oid *commit, int (*cb)(void *ctx, const char *path),
                       void *ctx);

/*
 * Call cb once for each record folder that differs between the trees of
 * `from` (NULL: none) and `to`, in path order.
 */
int store_changed_records(store *s, const store_oid *from, const store_oid *to,
                          int (*cb)(void *ctx, const char *path), void *ctx);

/* Writing a tranche: begin, write objects, then commit or abort. */
int store_begin(store *s);
void store_abort(store *s);

/*
 * A blob writer for one more thread: libgit2 objects must not be used by
 * two threads at once, so each thread that writes blobs has its own.
 * Only between store_begin() and the commit or abort; free it before.
 */
int store_writer_new(store_writer **out, store *s);
void store_writer_free(store_writer *w);

/* The calling (main) thread's writer, valid after store_begin(). */
store_writer *store_main_writer(store *s);

/*
 * A blob of exactly `size` bytes, written in pieces.  `compress` is 0 for
 * data already compressed (PDF, images), which is stored with the least
 * deflate effort; so is a blob too small to take less than one file-system
 * block once deflated.  store_blob_finish() and store_blob_abort() free it.
 */
int store_blob_open(store_blob **out, store_writer *w, uint64_t size, int compress);
int store_blob_write(store_blob *w, const void *data, size_t len);
int store_blob_finish(store_blob *w, store_oid *out);
void store_blob_abort(store_blob *w);
int store_blob_buf(store *s, const void *data, size_t len, store_oid *out);

/* A flat folder of blobs. */
int store_dir_new(store_dir **out, store *s);
int store_dir_add(store_dir *d, const char *name, const store_oid *blob);
int store_dir_write(store_dir *d, store_oid *out);
void store_dir_free(store_dir *d);

/* Edits to the tree of `base` (NULL: an empty tree), applied at write. */
int store_tree_edit_new(store_tree_edit **out, store *s, const store_oid *base);
int store_tree_edit_put(store_tree_edit *e, const char *path, const store_oid *oid, int is_dir);
int store_tree_edit_write(store_tree_edit *e, store_oid *out);
void store_tree_edit_free(store_tree_edit *e);

typedef struct store_new_release {
	const store_oid *tree;
	const store_oid *parent; /* expected branch tip; NULL for the first */
	const char *message;
	const char *tag; /* "release/<id>"; NULL: no tag (a text revision) */
	const char *tag_message;
	const char *name, *email; /* author, committer and tagger */
	int64_t when;             /* seconds since the epoch, UTC */
	/*
	 * Called once the commit is written and before the tag object is:
	 * may append to the tag message (lib signs the new commit id here).
	 * A negative return aborts the release.  NULL: no hook.
	 */
	int (*tag_hook)(void *ctx, const store_oid *commit, dc_buf *tag_message);
	void *tag_hook_ctx;
} store_new_release;

/*
 * Write the commit and the annotated tag, move the quarantined objects into
 * the repository and sync them, then move the branch from `parent` to the
 * commit (compare-and-swap: DECLASS_ECONFLICT if it moved meanwhile), then
 * create the tag ref (unless rc->tag is NULL).
 */
int store_commit_release(store *s, const store_new_release *rc, store_oid *commit_out);

/*
 * If the branch tip carries a Release-Id with no tag (a writer died
 * between moving the branch and tagging), create the tag.  Returns 1 if
 * it repaired something, 0 if not.
 */
int store_repair_tag(store *s, const char *release_id, const char *message, const char *name,
                     const char *email, int64_t when);

/* The version of the libgit2 declass runs on, "1.5.1" (static). */
const char *store_libgit2_version(void);

/* The size of blob `id`, from its header (the blob is not read). */
int store_blob_size(store *s, const store_oid *id, uint64_t *out);

#endif
