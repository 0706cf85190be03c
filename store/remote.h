/*
 * Remotes for the Git backend: push the branch and the release tags to a
 * Git remote, and bring a remote's into a staging repository where lib
 * can check and verify them before anything reaches the archive.
 *
 * The staging repository is a bare repository in
 * <archive>/declass-incoming/pull-XXXXXX/ that borrows the archive's
 * objects (objects/info/alternates) and receives the fetched pack in its
 * own objects/: a quarantine, as for an ingest.  It starts with copies of
 * the archive's branch and release tags, so a fetch negotiates only what
 * is new.  store_stage_apply() is the one step that changes the archive:
 * it hard-links the fetched objects in, syncs, moves the branch with a
 * compare-and-swap and creates the new tags.  Freeing the stage removes
 * it; a writer that died leaves it for the next writer to remove.
 */
#ifndef DECLASS_STORE_REMOTE_H
#define DECLASS_STORE_REMOTE_H

#include "store.h"
#include "verify.h" /* store_tag_ref */

typedef struct store_stage store_stage;

/*
 * Transfer progress: objects received (fetch) or sent (push) of total,
 * and bytes.  Called often; keep it cheap.
 */
typedef void (*store_transfer_cb)(void *ctx, size_t done, size_t total, uint64_t bytes);

/*
 * The URL of `remote`: a remote of that name configured in the archive
 * (remote.<name>.url), else `remote` itself (a path or URL).  Appended to
 * out.
 */
int store_remote_url(store *s, const char *remote, dc_buf *out);

/* Configure remote `name` with `url` in the archive (clone's "origin"). */
int store_remote_add(store *s, const char *name, const char *url);

/*
 * Push refs/heads/main and every refs/tags/release/<id> to `remote` (a
 * configured name, a path or a URL), never forced.  DECLASS_ECONFLICT,
 * naming the ref, when the remote's branch is not an ancestor of ours or
 * it holds one of our tags with another value; DECLASS_EARCHIVE when the
 * remote cannot be reached.  *pushed is the number of refs sent.
 */
int store_push(store *s, const char *remote, store_transfer_cb progress, void *ctx, size_t *pushed);

/*
 * A new staging repository for the archive `s`, which must be open for
 * writing.  Free it with store_stage_free().
 */
int store_stage_new(store_stage **out, store *s);
void store_stage_free(store_stage *st);

/* A read-only store handle on the staging repository (owned by st). */
store *store_stage_store(store_stage *st);

/*
 * Fetch the objects of `url`'s refs/heads/main and refs/tags/release/<id>
 * into the stage, moving no ref.  *has_tip says whether the remote has the branch
 * (*tip its commit); *tags (the caller's: store_tag_refs_free()) are the
 * remote's release tags as it advertised them (name after "release/",
 * target the tag object or commit).
 */
int store_stage_fetch(store_stage *st, const char *url, store_transfer_cb progress, void *ctx,
                      store_oid *tip, int *has_tip, store_tag_ref **tags, size_t *ntags);

/*
 * Point the stage's refs/heads/main at tip and create its
 * refs/tags/release/<names[i]> at tags[i]: the state to verify.
 */
int store_stage_set(store_stage *st, const store_oid *tip, char *const *names,
                    const store_oid *tags, size_t n);

/*
 * Make the staged state the archive's: link the fetched objects into
 * objects/, sync, move refs/heads/main from old_tip (NULL: no branch yet)
 * to new_tip with a compare-and-swap (DECLASS_ECONFLICT if it moved),
 * sync, create the tags (never replacing one), sync.
 */
int store_stage_apply(store_stage *st, const store_oid *old_tip, const store_oid *new_tip,
                      char *const *names, const store_oid *tags, size_t n);

/*
 * The first-parent history ending at `tip`, oldest first.  *out is the
 * caller's (free()).
 */
int store_first_parents(store *s, const store_oid *tip, store_oid **out, size_t *n);

#endif
