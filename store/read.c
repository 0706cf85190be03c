/* Reading an archive: tips, tags, history, files at a release. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "internal.h"

int store_tip(store *s, store_oid *out)
{
	git_oid id;
	int error = git_reference_name_to_id(&id, s->repo, STORE_BRANCH);

	if (error == GIT_ENOTFOUND)
		return dc_error_set(DECLASS_ENOTFOUND, "the archive holds no release yet");
	if (error < 0)
		return store_git_error(DECLASS_EARCHIVE, "cannot read " STORE_BRANCH);
	store_oid_from_git(out, &id);
	return 0;
}

int store_release_commit(store *s, const char *id, store_oid *out)
{
	git_object *obj = NULL, *peeled = NULL;
	char name[600];
	int error;

	snprintf(name, sizeof(name), STORE_TAG_PREFIX "%s", id);
	error = git_revparse_single(&obj, s->repo, name);
	if (error == GIT_ENOTFOUND || error == GIT_EINVALIDSPEC || error == GIT_EAMBIGUOUS)
		return dc_error_set(DECLASS_ENOTFOUND, "no release '%s' in the archive", id);
	if (error < 0)
		return store_git_error(DECLASS_EARCHIVE, "cannot read release tag");
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_object_free(obj);
		return store_git_error(DECLASS_EARCHIVE, "release tag does not point at a commit");
	}
	store_oid_from_git(out, git_object_id(peeled));
	git_object_free(peeled);
	git_object_free(obj);
	return 0;
}

int store_history(store *s, store_oid **out, size_t *n)
{
	git_revwalk *walk = NULL;
	store_oid *list = NULL;
	size_t len = 0, alloc = 0;
	git_oid id;
	int error;

	*out = NULL;
	*n = 0;
	if (git_revwalk_new(&walk, s->repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0)
		return store_git_error(DECLASS_ERROR, "cannot walk history");
	git_revwalk_simplify_first_parent(walk);
	error = git_reference_name_to_id(&id, s->repo, STORE_BRANCH);
	if (error == GIT_ENOTFOUND) {
		git_revwalk_free(walk);
		return 0;
	}
	if (error < 0 || git_revwalk_push(walk, &id) < 0) {
		git_revwalk_free(walk);
		return store_git_error(DECLASS_EARCHIVE, "cannot walk history");
	}
	while ((error = git_revwalk_next(&id, walk)) == 0) {
		if (dc_grow(&list, &alloc, len + 1, sizeof(*list)) < 0) {
			free(list);
			git_revwalk_free(walk);
			return DECLASS_ENOMEM;
		}
		store_oid_from_git(&list[len++], &id);
	}
	git_revwalk_free(walk);
	if (error != GIT_ITEROVER) {
		free(list);
		return store_git_error(DECLASS_EARCHIVE, "cannot walk history");
	}
	*out = list;
	*n = len;
	return 0;
}

int store_commit_message(store *s, const store_oid *commit, dc_buf *msg, int64_t *when)
{
	git_commit *c = NULL;
	git_oid id;
	int error;

	store_oid_to_git(&id, commit);
	if (git_commit_lookup(&c, s->repo, &id) < 0)
		return store_git_error(DECLASS_EARCHIVE, "cannot read commit");
	error = msg ? dc_buf_adds(msg, git_commit_message(c)) : 0;
	if (when)
		*when = (int64_t)git_commit_time(c);
	git_commit_free(c);
	return error;
}

int store_trailer(const char *message, const char *key, dc_buf *out)
{
	git_message_trailer_array arr = { 0 };
	const char *found = NULL;
	size_t i;
	int error;

	if (git_message_trailers(&arr, message) < 0)
		return store_git_error(DECLASS_EARCHIVE, "cannot parse commit trailers");
	for (i = 0; i < arr.count; i++)
		if (strcmp(arr.trailers[i].key, key) == 0)
			found = arr.trailers[i].value;
	error = found ? dc_buf_adds(out, found)
	              : dc_error_set(DECLASS_ENOTFOUND, "no '%s' trailer", key);
	git_message_trailer_array_free(&arr);
	return error;
}

static int entry_at(git_tree_entry **out, git_tree **tree, store *s, const store_oid *commit,
                    const char *path)
{
	git_commit *c = NULL;
	git_oid id;
	int error;

	*tree = NULL;
	store_oid_to_git(&id, commit);
	if (git_commit_lookup(&c, s->repo, &id) < 0 || git_commit_tree(tree, c) < 0) {
		git_commit_free(c);
		return store_git_error(DECLASS_EARCHIVE, "cannot read commit tree");
	}
	git_commit_free(c);
	error = git_tree_entry_bypath(out, *tree, path);
	if (error == GIT_ENOTFOUND)
		return dc_error_set(DECLASS_ENOTFOUND, "no '%s' in the archive", path);
	if (error < 0)
		return store_git_error(DECLASS_EARCHIVE, "cannot read tree");
	return 0;
}

int store_path_oid(store *s, const store_oid *commit, const char *path, store_oid *out)
{
	git_tree_entry *e = NULL;
	git_tree *t = NULL;
	int error = entry_at(&e, &t, s, commit, path);

	if (error == 0)
		store_oid_from_git(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(t);
	return error;
}

int store_read_blob(store *s, const store_oid *oid, dc_buf *out)
{
	git_blob *b = NULL;
	git_oid id;
	int error;

	store_oid_to_git(&id, oid);
	if (git_blob_lookup(&b, s->repo, &id) < 0)
		return store_git_error(DECLASS_EARCHIVE, "cannot read blob");
	error = dc_buf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return error;
}

int store_read_file(store *s, const store_oid *commit, const char *path, dc_buf *out,
                    store_oid *oid)
{
	git_tree_entry *e = NULL;
	git_tree *t = NULL;
	git_blob *b = NULL;
	int error;

	if ((error = entry_at(&e, &t, s, commit, path)) < 0)
		goto done;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		error = dc_error_set(DECLASS_ENOTFOUND, "'%s' is not a file", path);
		goto done;
	}
	if (git_blob_lookup(&b, s->repo, git_tree_entry_id(e)) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot read blob");
		goto done;
	}
	if (oid)
		store_oid_from_git(oid, git_tree_entry_id(e));
	error = dc_buf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
done:
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(t);
	return error;
}

int store_list_dir(store *s, const store_oid *commit, const char *path,
                   int (*cb)(void *ctx, const char *name, int is_dir, const store_oid *oid),
                   void *ctx)
{
	git_tree_entry *e = NULL;
	git_tree *t = NULL, *dir = NULL;
	size_t i, n;
	int error;

	if ((error = entry_at(&e, &t, s, commit, path)) < 0)
		goto done;
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		error = dc_error_set(DECLASS_ENOTFOUND, "'%s' is not a folder", path);
		goto done;
	}
	if (git_tree_lookup(&dir, s->repo, git_tree_entry_id(e)) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot read folder");
		goto done;
	}
	n = git_tree_entrycount(dir);
	for (i = 0; i < n && !error; i++) {
		const git_tree_entry *x = git_tree_entry_byindex(dir, i);
		store_oid oid;

		store_oid_from_git(&oid, git_tree_entry_id(x));
		error = cb(ctx, git_tree_entry_name(x), git_tree_entry_type(x) == GIT_OBJECT_TREE,
		           &oid);
	}
done:
	git_tree_free(dir);
	git_tree_entry_free(e);
	git_tree_free(t);
	return error;
}
