/*
 * Writing objects into the quarantine: streamed blobs, flat folders and
 * edits to a whole tree.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/grow.h"
#include "internal.h"

/*
 * A loose object is a file, and a file takes whole 4 KiB blocks: one that
 * fits in a block stored (zlib header and trailer, block headers and
 * "blob <size>" included) saves no space deflated, only time.  A pack
 * (git gc) deflates it anew anyway.
 */
#define SMALL_BLOB 4000

struct store_blob {
	git_odb_stream *stream;
};

int store_blob_open(store_blob **out, store_writer *wr, uint64_t size, int compress)
{
	store_blob *w;
	git_odb *odb = wr ? (compress && size > SMALL_BLOB ? wr->text : wr->raw) : NULL;

	*out = NULL;
	if (!odb)
		return dc_error_set(DECLASS_ERROR, "no tranche being written");
	if (!(w = calloc(1, sizeof(*w))))
		return dc_error_oom();
	if (git_odb_open_wstream(&w->stream, odb, (git_object_size_t)size, GIT_OBJECT_BLOB) < 0) {
		free(w);
		return store_git_error(DECLASS_ERROR, "cannot open blob stream");
	}
	*out = w;
	return 0;
}

/*
 * libgit2 sets no message when write(2) fails under a loose object stream
 * (a full disk, a file size limit): then errno says why, and the message
 * libgit2 still holds is an earlier call's.  Call with both cleared first.
 */
static int stream_error(const char *what)
{
	const git_error *g = git_error_last();

	if ((!g || !g->message) && errno)
		return dc_error_sys(DECLASS_EARCHIVE, "%s into the archive", what);
	return store_git_error(DECLASS_ERROR, what);
}

int store_blob_write(store_blob *w, const void *data, size_t len)
{
	git_error_clear();
	errno = 0;
	if (git_odb_stream_write(w->stream, data, len) < 0)
		return stream_error("cannot write blob");
	return 0;
}

int store_blob_finish(store_blob *w, store_oid *out)
{
	git_oid id;
	int error = 0;

	git_error_clear();
	errno = 0;
	if (git_odb_stream_finalize_write(&id, w->stream) < 0)
		error = stream_error("cannot finish blob");
	else
		store_oid_from_git(out, &id);
	store_blob_abort(w);
	return error;
}

void store_blob_abort(store_blob *w)
{
	if (!w)
		return;
	git_odb_stream_free(w->stream);
	free(w);
}

int store_blob_buf(store *s, const void *data, size_t len, store_oid *out)
{
	store_blob *w;
	int error;

	if ((error = store_blob_open(&w, s->writer, len, 1)) < 0)
		return error;
	if ((error = store_blob_write(w, data, len)) < 0) {
		store_blob_abort(w);
		return error;
	}
	return store_blob_finish(w, out);
}

struct store_dir {
	git_treebuilder *tb;
};

int store_dir_new(store_dir **out, store *s)
{
	store_dir *d;

	*out = NULL;
	if (!(d = calloc(1, sizeof(*d))))
		return dc_error_oom();
	if (git_treebuilder_new(&d->tb, s->repo, NULL) < 0) {
		free(d);
		return store_git_error(DECLASS_ERROR, "cannot build folder");
	}
	*out = d;
	return 0;
}

int store_dir_add(store_dir *d, const char *name, const store_oid *blob)
{
	git_oid id;

	store_oid_to_git(&id, blob);
	if (git_treebuilder_insert(NULL, d->tb, name, &id, GIT_FILEMODE_BLOB) < 0)
		return store_git_error(DECLASS_EINPUT, "cannot add file to folder");
	return 0;
}

int store_dir_write(store_dir *d, store_oid *out)
{
	git_oid id;

	if (git_treebuilder_write(&id, d->tb) < 0)
		return store_git_error(DECLASS_ERROR, "cannot write folder");
	store_oid_from_git(out, &id);
	return 0;
}

void store_dir_free(store_dir *d)
{
	if (!d)
		return;
	git_treebuilder_free(d->tb);
	free(d);
}

struct store_tree_edit {
	store *s;
	git_tree *base;
	git_tree_update *ups;
	size_t n, alloc;
	dc_arena paths; /* the updates' paths: one per record of a release */
};

int store_tree_edit_new(store_tree_edit **out, store *s, const store_oid *base)
{
	store_tree_edit *e;
	git_commit *c = NULL;
	git_oid id;
	int error = 0;

	*out = NULL;
	if (!(e = calloc(1, sizeof(*e))))
		return dc_error_oom();
	e->s = s;
	if (base) {
		store_oid_to_git(&id, base);
		if (git_commit_lookup(&c, s->repo, &id) < 0 || git_commit_tree(&e->base, c) < 0)
			error = store_git_error(DECLASS_EARCHIVE, "cannot read tip tree");
		git_commit_free(c);
	}
	if (error < 0)
		store_tree_edit_free(e);
	else
		*out = e;
	return error;
}

int store_tree_edit_put(store_tree_edit *e, const char *path, const store_oid *oid, int is_dir)
{
	git_tree_update *u;

	if (dc_grow(&e->ups, &e->alloc, e->n + 1, sizeof(*e->ups)) < 0)
		return DECLASS_ENOMEM;
	u = &e->ups[e->n];
	memset(u, 0, sizeof(*u));
	if (!(u->path = dc_arena_strndup(&e->paths, path, strlen(path))))
		return dc_error_oom();
	u->action = GIT_TREE_UPDATE_UPSERT;
	u->filemode = is_dir ? GIT_FILEMODE_TREE : GIT_FILEMODE_BLOB;
	store_oid_to_git(&u->id, oid);
	e->n++;
	return 0;
}

int store_tree_edit_write(store_tree_edit *e, store_oid *out)
{
	git_oid id;

	if (git_tree_create_updated(&id, e->s->repo, e->base, e->n, e->ups) < 0)
		return store_git_error(DECLASS_ERROR, "cannot write tree");
	store_oid_from_git(out, &id);
	return 0;
}

void store_tree_edit_free(store_tree_edit *e)
{
	if (!e)
		return;
	dc_arena_free(&e->paths);
	free(e->ups);
	git_tree_free(e->base);
	free(e);
}
