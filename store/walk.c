/* Walking the record folders of a release, and those two releases differ in. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int commit_tree(git_tree **out, store *s, const store_oid *commit)
{
	git_commit *c = NULL;
	git_oid id;
	int error = 0;

	*out = NULL;
	if (!commit)
		return 0;
	store_oid_to_git(&id, commit);
	if (git_commit_lookup(&c, s->repo, &id) < 0 || git_commit_tree(out, c) < 0)
		error = store_git_error(DECLASS_EARCHIVE, "cannot read commit tree");
	git_commit_free(c);
	return error;
}

typedef struct walk {
	store *s;
	int (*cb)(void *ctx, const char *path);
	void *ctx;
	dc_buf path;
	int error;
} walk;

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	walk *w = payload;
	git_tree *t = NULL;

	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return 0;
	if (git_tree_lookup(&t, w->s->repo, git_tree_entry_id(e)) < 0) {
		w->error = store_git_error(DECLASS_EARCHIVE, "cannot read folder");
		return -1;
	}
	if (!git_tree_entry_byname(t, "meta.json")) {
		git_tree_free(t);
		return 0; /* an intermediate folder: go down */
	}
	git_tree_free(t);
	dc_buf_truncate(&w->path, 0);
	if ((w->error = dc_buf_addf(&w->path, "records/%s%s", root, git_tree_entry_name(e))) < 0 ||
	    (w->error = w->cb(w->ctx, w->path.ptr)) != 0)
		return -1;
	return 1; /* a record: skip its files */
}

int store_walk_records(store *s, const store_oid *commit, int (*cb)(void *ctx, const char *path),
                       void *ctx)
{
	git_tree *root = NULL, *records = NULL;
	git_tree_entry *e = NULL;
	walk w = { s, cb, ctx, DC_BUF_INIT, 0 };
	int error;

	if ((error = commit_tree(&root, s, commit)) < 0)
		goto done;
	if (git_tree_entry_bypath(&e, root, "records") < 0) {
		error = 0; /* no records */
		goto done;
	}
	if (git_tree_lookup(&records, s->repo, git_tree_entry_id(e)) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot read records folder");
		goto done;
	}
	if (git_tree_walk(records, GIT_TREEWALK_PRE, walk_cb, &w) < 0 && !w.error)
		w.error = store_git_error(DECLASS_EARCHIVE, "cannot walk records");
	error = w.error;
done:
	dc_buf_free(&w.path);
	git_tree_entry_free(e);
	git_tree_free(records);
	git_tree_free(root);
	return error;
}

int store_changed_records(store *s, const store_oid *from, const store_oid *to,
                          int (*cb)(void *ctx, const char *path), void *ctx)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	char *spec[] = { "records/" };
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	dc_buf last = DC_BUF_INIT;
	size_t i, n;
	int error;

	opts.pathspec.strings = spec;
	opts.pathspec.count = 1;
	if ((error = commit_tree(&a, s, from)) < 0 || (error = commit_tree(&b, s, to)) < 0)
		goto done;
	if (git_diff_tree_to_tree(&diff, s->repo, a, b, &opts) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot compare releases");
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !error; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
		const char *slash = strrchr(path, '/');
		size_t len = slash ? (size_t)(slash - path) : strlen(path);

		/* Deltas come in path order: a record's files are consecutive. */
		if (last.len == len && !memcmp(last.ptr, path, len))
			continue;
		dc_buf_truncate(&last, 0);
		if ((error = dc_buf_add(&last, path, len)) == 0)
			error = cb(ctx, last.ptr);
	}
done:
	dc_buf_free(&last);
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	return error;
}
