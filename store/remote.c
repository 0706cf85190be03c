/*
 * Push, and fetch into a staging repository, through libgit2's remotes:
 * local paths, file://, ssh:// and https:// (credentials from ssh-agent
 * or $DECLASS_GIT_USERNAME / $DECLASS_GIT_PASSWORD; see docs/MIRROR.md).
 * store/remote.h says what each step may change.
 */
#define _GNU_SOURCE 1 /* syncfs */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/grow.h"
#include "internal.h"
#include "remote.h"

#define INCOMING       "declass-incoming"
#define STAGE_REMOTE   "refs/declass/remote/"
#define MAX_AUTH_TRIES 3

struct store_stage {
	store *s;    /* the archive */
	store *view; /* the staging repository */
	char *dir;   /* its path, with trailing '/' */
};

/* ---- small helpers ----------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || syncfs(fd) < 0) {
		int e = dc_error_sys(DECLASS_EARCHIVE, "cannot sync '%s'", dir);

		if (fd >= 0)
			close(fd);
		return e;
	}
	close(fd);
	return 0;
}

typedef struct transfer {
	store_transfer_cb cb;
	void *ctx;
	int tries;          /* credential attempts */
	char rejected[512]; /* push: the first ref the remote refused, and why */
} transfer;

/*
 * Credentials for ssh and https remotes: ssh-agent for SSH keys; a user
 * name and password (or token) from the environment for https.  A few
 * tries, then give up rather than loop.
 */
static int credentials(git_credential **out, const char *url, const char *user_from_url,
                       unsigned int allowed, void *payload)
{
	transfer *t = payload;
	const char *user = getenv("DECLASS_GIT_USERNAME"), *pass = getenv("DECLASS_GIT_PASSWORD");

	(void)url;
	if (++t->tries > MAX_AUTH_TRIES) {
		git_error_set_str(GIT_ERROR_NET, "authentication failed");
		return GIT_EAUTH;
	}
	if (allowed & GIT_CREDENTIAL_SSH_KEY)
		return git_credential_ssh_key_from_agent(out,
		                                         user_from_url ? user_from_url : "git");
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		if (!user || !*user)
			user = user_from_url;
		if (user && pass)
			return git_credential_userpass_plaintext_new(out, user, pass);
		git_error_set_str(GIT_ERROR_NET,
		                  "the remote asks for a user name and password: set "
		                  "DECLASS_GIT_USERNAME and DECLASS_GIT_PASSWORD (a token)");
		return GIT_EAUTH;
	}
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user_from_url ? user_from_url : "git");
	return GIT_PASSTHROUGH;
}

static int fetch_progress(const git_indexer_progress *p, void *payload)
{
	transfer *t = payload;

	if (t->cb)
		t->cb(t->ctx, p->received_objects, p->total_objects, p->received_bytes);
	return 0;
}

static int push_progress(unsigned int current, unsigned int total, size_t bytes, void *payload)
{
	transfer *t = payload;

	if (t->cb)
		t->cb(t->ctx, current, total, bytes);
	return 0;
}

static int push_update(const char *refname, const char *status, void *payload)
{
	transfer *t = payload;

	if (status && !t->rejected[0])
		snprintf(t->rejected, sizeof(t->rejected), "%s (%s)", refname, status);
	return 0;
}

/*
 * The URL of a remote configured by name, else the argument itself.  Read
 * from the config rather than by git_remote_lookup(): libgit2 1.5 leaks a
 * pcre2 match block per config entry when it applies url.*.insteadOf.
 */
static int resolve_url(git_repository *repo, const char *remote, dc_buf *out)
{
	git_config *cfg = NULL;
	git_buf url = GIT_BUF_INIT;
	char key[512];
	int error;

	snprintf(key, sizeof(key), "remote.%s.url", remote);
	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_string_buf(&url, cfg, key) == 0)
		error = dc_buf_adds(out, url.ptr);
	else
		error = dc_buf_adds(out, remote);
	git_buf_dispose(&url);
	git_config_free(cfg);
	return error;
}

/* An in-memory remote for a URL (no insteadOf rewriting: see resolve_url). */
static int open_url(git_remote **out, git_repository *repo, const char *url)
{
	git_remote_create_options o = GIT_REMOTE_CREATE_OPTIONS_INIT;

	o.repository = repo;
	o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(out, url, &o) < 0)
		return store_git_error(DECLASS_EINPUT, "bad remote");
	return 0;
}

/* A local path (or file:// URL) rather than a network remote? */
static int is_local(const char *url)
{
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');

	if (!strncmp(url, "file://", 7))
		return 1;
	/* "host:path" and "scheme://" are remote; "./a:b" or "/a:b" are paths. */
	return !colon || (slash && slash < colon);
}

static int remote_error(const char *what, const char *url)
{
	const git_error *e = git_error_last();

	return dc_error_set(DECLASS_EARCHIVE, "cannot %s '%s': %s", what, url,
	                    e && e->message ? e->message : "unknown error");
}

/* ---- remotes in the archive's config ------------------------------------ */

int store_remote_url(store *s, const char *remote, dc_buf *out)
{
	return resolve_url(s->repo, remote, out);
}

int store_remote_add(store *s, const char *name, const char *url)
{
	git_config *cfg = NULL;
	char key[512], spec[512];
	int error = 0;

	/* The fetch refspec is what a plain `git fetch` there would use; pull does not. */
	snprintf(spec, sizeof(spec), "+" STORE_BRANCH ":refs/remotes/%s/main", name);
	if (git_repository_config(&cfg, s->repo) < 0)
		error = -1;
	snprintf(key, sizeof(key), "remote.%s.url", name);
	if (!error)
		error = git_config_set_string(cfg, key, url);
	snprintf(key, sizeof(key), "remote.%s.fetch", name);
	if (!error)
		error = git_config_set_string(cfg, key, spec);
	git_config_free(cfg);
	return error < 0 ? store_git_error(DECLASS_EARCHIVE, "cannot record the remote") : 0;
}

/* ---- push -------------------------------------------------------------- */

int store_push(store *s, const char *remote, store_transfer_cb progress, void *ctx, size_t *pushed)
{
	git_push_options po = GIT_PUSH_OPTIONS_INIT;
	git_strarray specs = { NULL, 0 };
	store_tag_ref *tags = NULL;
	git_remote *r = NULL;
	dc_buf url = DC_BUF_INIT;
	transfer t = { progress, ctx, 0, "" };
	size_t ntags = 0, i;
	int error;

	*pushed = 0;
	if ((error = store_tag_refs(s, &tags, &ntags)) < 0)
		goto done;
	if (!(specs.strings = calloc(ntags + 1, sizeof(char *)))) {
		error = dc_error_oom();
		goto done;
	}
	if (!(specs.strings[specs.count++] = strdup(STORE_BRANCH ":" STORE_BRANCH))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < ntags; i++) {
		size_t len = 2 * (strlen(STORE_TAG_PREFIX) + strlen(tags[i].name)) + 2;

		if (tags[i].symbolic)
			continue;
		if (!(specs.strings[specs.count] = malloc(len))) {
			error = dc_error_oom();
			goto done;
		}
		snprintf(specs.strings[specs.count++], len,
		         STORE_TAG_PREFIX "%s:" STORE_TAG_PREFIX "%s", tags[i].name, tags[i].name);
	}
	if ((error = resolve_url(s->repo, remote, &url)) < 0 ||
	    (error = open_url(&r, s->repo, url.ptr)) < 0)
		goto done;
	if (is_local(url.ptr) &&
	    access(strncmp(url.ptr, "file://", 7) ? url.ptr : url.ptr + 7, F_OK) < 0) {
		error = dc_error_set(DECLASS_EINPUT,
		                     "'%s' is neither a remote configured in the archive nor a "
		                     "repository (create one with 'git init --bare')",
		                     remote);
		goto done;
	}
	po.callbacks.credentials = credentials;
	po.callbacks.push_transfer_progress = push_progress;
	po.callbacks.push_update_reference = push_update;
	po.callbacks.payload = &t;
	if ((error = git_remote_push(r, &specs, &po)) < 0) {
		if (error == GIT_ENONFASTFORWARD)
			error = dc_error_set(
			        DECLASS_ECONFLICT,
			        "'%s' holds a branch or release tag that this archive's does "
			        "not continue (it has releases this archive lacks, or other "
			        "ones): 'declass pull' from it first, or find out why they differ",
			        remote);
		else
			error = remote_error("push to", remote);
		goto done;
	}
	if (t.rejected[0]) {
		error = dc_error_set(DECLASS_ECONFLICT, "'%s' refused %s; nothing was forced",
		                     remote, t.rejected);
		goto done;
	}
	*pushed = specs.count;
	error = 0;
done:
	git_remote_free(r);
	dc_buf_free(&url);
	git_strarray_dispose(&specs);
	store_tag_refs_free(tags, ntags);
	return error;
}

/* ---- the staging repository --------------------------------------------- */

static int set_ref(git_repository *repo, const char *name, const store_oid *oid)
{
	git_reference *ref = NULL;
	git_oid id;

	store_oid_to_git(&id, oid);
	if (git_reference_create(&ref, repo, name, &id, 1, "declass stage") < 0)
		return store_git_error(DECLASS_EARCHIVE,
		                       "cannot set a ref in the staging repository");
	git_reference_free(ref);
	return 0;
}

/* Copy the archive's branch and tags, under their names and for negotiation. */
static int stage_copy_refs(store_stage *st)
{
	store_tag_ref *tags = NULL;
	store_oid tip;
	char name[1024];
	size_t n = 0, i;
	int error = store_tip(st->s, &tip);

	if (error == 0)
		error = set_ref(st->view->repo, STORE_BRANCH, &tip);
	if (error == 0)
		error = set_ref(st->view->repo, STAGE_REMOTE "main", &tip);
	if (error == DECLASS_ENOTFOUND)
		error = 0;
	if (error < 0 || (error = store_tag_refs(st->s, &tags, &n)) < 0)
		return error;
	for (i = 0; i < n && !error; i++) {
		if (tags[i].symbolic)
			continue;
		snprintf(name, sizeof(name), STORE_TAG_PREFIX "%s", tags[i].name);
		if ((error = set_ref(st->view->repo, name, &tags[i].target)) == 0) {
			snprintf(name, sizeof(name), STAGE_REMOTE "tags/%s", tags[i].name);
			error = set_ref(st->view->repo, name, &tags[i].target);
		}
	}
	store_tag_refs_free(tags, n);
	return error;
}

int store_stage_new(store_stage **out, store *s)
{
	git_repository_init_options io = GIT_REPOSITORY_INIT_OPTIONS_INIT;
	git_repository *repo = NULL;
	store_stage *st = NULL;
	char path[PATH_MAX], objects[PATH_MAX];
	FILE *f = NULL;
	int error;

	*out = NULL;
	if (s->lock_fd < 0)
		return dc_error_set(DECLASS_ERROR, "archive not opened for writing");
	if (!(st = calloc(1, sizeof(*st))))
		return dc_error_oom();
	st->s = s;
	snprintf(path, sizeof(path), "%s" INCOMING, s->gitdir);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		error = dc_error_sys(DECLASS_EARCHIVE, "cannot create '%s'", path);
		goto done;
	}
	snprintf(path, sizeof(path), "%s" INCOMING "/pull-XXXXXX", s->gitdir);
	if (!mkdtemp(path)) {
		error = dc_error_sys(DECLASS_EARCHIVE, "cannot create a staging folder in '%s'",
		                     s->gitdir);
		goto done;
	}
	if (!(st->dir = malloc(strlen(path) + 2))) {
		error = dc_error_oom();
		goto done;
	}
	sprintf(st->dir, "%s/", path);
	io.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_NO_REINIT;
	io.initial_head = "main";
	if (git_repository_init_ext(&repo, path, &io) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot create the staging repository");
		goto done;
	}
	if ((error = store_config_init(repo, "cannot create the staging repository")) < 0)
		goto done;
	/* Borrow the archive's objects: the stage holds only what is fetched. */
	if (!realpath(s->gitdir, objects)) {
		error = dc_error_sys(DECLASS_EARCHIVE, "cannot resolve '%s'", s->gitdir);
		goto done;
	}
	snprintf(path, sizeof(path), "%sobjects/info/alternates", st->dir);
	if (!(f = fopen(path, "w")) || fprintf(f, "%s/objects\n", objects) < 0 || fclose(f) != 0) {
		f = NULL;
		error = dc_error_sys(DECLASS_EARCHIVE, "cannot write '%s'", path);
		goto done;
	}
	f = NULL;
	if ((error = store_open(&st->view, st->dir, 0, 0)) < 0 || (error = stage_copy_refs(st)) < 0)
		goto done;
	error = 0;
done:
	if (f)
		fclose(f);
	git_repository_free(repo);
	if (error < 0)
		store_stage_free(st);
	else
		*out = st;
	return error;
}

void store_stage_free(store_stage *st)
{
	if (!st)
		return;
	store_free(st->view);
	if (st->dir)
		nftw(st->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(st->dir);
	free(st);
}

store *store_stage_store(store_stage *st)
{
	return st->view;
}

static int add_tag(store_tag_ref **list, size_t *n, size_t *alloc, const char *name,
                   const git_oid *oid)
{
	if (dc_grow(list, alloc, *n + 1, sizeof(**list)) < 0)
		return DECLASS_ENOMEM;
	memset(&(*list)[*n], 0, sizeof(**list));
	if (!((*list)[*n].name = strdup(name)))
		return dc_error_oom();
	store_oid_from_git(&(*list)[(*n)++].target, oid);
	return 0;
}

int store_stage_fetch(store_stage *st, const char *url, store_transfer_cb progress, void *ctx,
                      store_oid *tip, int *has_tip, store_tag_ref **tags, size_t *ntags)
{
	static char *refspecs[] = {
		"+" STORE_BRANCH ":" STAGE_REMOTE "main",
		"+" STORE_TAG_PREFIX "*:" STAGE_REMOTE "tags/*",
	};
	const git_strarray specs = { refspecs, 2 };
	git_fetch_options fo = GIT_FETCH_OPTIONS_INIT;
	git_remote_callbacks cb = GIT_REMOTE_CALLBACKS_INIT;
	const git_remote_head **heads = NULL;
	store_tag_ref *list = NULL;
	git_remote *r = NULL;
	transfer t = { progress, ctx, 0, "" };
	size_t nheads = 0, n = 0, alloc = 0, i, plen = strlen(STORE_TAG_PREFIX);
	int error;

	*has_tip = 0;
	*tags = NULL;
	*ntags = 0;
	cb.credentials = credentials;
	cb.transfer_progress = fetch_progress;
	cb.payload = &t;
	if ((error = open_url(&r, st->view->repo, url)) < 0)
		goto done;
	if ((error = git_remote_connect(r, GIT_DIRECTION_FETCH, &cb, NULL, NULL)) < 0 ||
	    (error = git_remote_ls(&heads, &nheads, r)) < 0) {
		/* A path that holds no repository is bad input, not a broken archive. */
		if (is_local(url))
			error = dc_error_set(DECLASS_EINPUT, "'%s' is not a Git repository", url);
		else
			error = remote_error("read from", url);
		goto done;
	}
	/* What the remote advertises is what is checked: copy it now. */
	for (i = 0; i < nheads; i++) {
		const char *name = heads[i]->name;
		size_t len = strlen(name);

		if (!strcmp(name, STORE_BRANCH)) {
			store_oid_from_git(tip, &heads[i]->oid);
			*has_tip = 1;
		} else if (!strncmp(name, STORE_TAG_PREFIX, plen) &&
		           !(len > 3 && !strcmp(name + len - 3, "^{}"))) {
			if ((error = add_tag(&list, &n, &alloc, name + plen, &heads[i]->oid)) < 0)
				goto done;
		}
	}
	fo.callbacks = cb;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.prune = GIT_FETCH_NO_PRUNE;
	fo.update_fetchhead = 0;
	if (*has_tip && git_remote_download(r, &specs, &fo) < 0) {
		error = remote_error("fetch from", url);
		goto done;
	}
	error = 0;
done:
	if (r)
		git_remote_disconnect(r);
	git_remote_free(r);
	if (error < 0) {
		store_tag_refs_free(list, n);
	} else {
		*tags = list;
		*ntags = n;
	}
	return error;
}

int store_stage_set(store_stage *st, const store_oid *tip, char *const *names,
                    const store_oid *tags, size_t n)
{
	char name[1024];
	size_t i;
	int error = set_ref(st->view->repo, STORE_BRANCH, tip);

	for (i = 0; i < n && !error; i++) {
		snprintf(name, sizeof(name), STORE_TAG_PREFIX "%s", names[i]);
		error = set_ref(st->view->repo, name, &tags[i]);
	}
	return error;
}

/* Every object the fetch wrote: loose ones, then packs before their indexes. */
static int migrate(store_stage *st)
{
	char dir[PATH_MAX], to[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int error = 0;

	snprintf(dir, sizeof(dir), "%sobjects", st->dir);
	snprintf(to, sizeof(to), "%sobjects", st->s->gitdir);
	if (!(d = opendir(dir)))
		return dc_error_sys(DECLASS_EARCHIVE, "cannot read '%s'", dir);
	while (!error && (de = readdir(d)))
		if (strlen(de->d_name) == 2 && de->d_name[0] != '.')
			error = store_move_files(dir, to, de->d_name, NULL);
	closedir(d);
	if (!error)
		error = store_move_files(dir, to, "pack", ".pack");
	if (!error)
		error = store_move_files(dir, to, "pack", ".rev");
	if (!error)
		error = store_move_files(dir, to, "pack", ".idx");
	return error;
}

int store_stage_apply(store_stage *st, const store_oid *old_tip, const store_oid *new_tip,
                      char *const *names, const store_oid *tags, size_t n)
{
	git_repository *repo = st->s->repo;
	git_reference *ref = NULL;
	git_oid from, to, id;
	char name[1024];
	size_t i;
	int error;

	/* Objects first, durably; only then may a ref point at them. */
	if ((error = migrate(st)) < 0 || (error = sync_dir(st->s->gitdir)) < 0)
		return error;
	/* The archive's odb has not seen the new packs yet. */
	{
		git_odb *odb = NULL;

		if (git_repository_odb(&odb, repo) < 0 || git_odb_refresh(odb) < 0) {
			git_odb_free(odb);
			return store_git_error(DECLASS_EARCHIVE, "cannot read the fetched objects");
		}
		git_odb_free(odb);
	}
	store_oid_to_git(&to, new_tip);
	if (old_tip)
		store_oid_to_git(&from, old_tip);
	if (!old_tip || !store_oid_equal(old_tip, new_tip)) {
		if ((error = git_reference_create_matching(&ref, repo, STORE_BRANCH, &to,
		                                           old_tip ? 1 : 0, old_tip ? &from : NULL,
		                                           "declass pull")) < 0) {
			if (error == GIT_EMODIFIED || error == GIT_EEXISTS)
				return store_git_error(DECLASS_ECONFLICT,
				                       "cannot move " STORE_BRANCH
				                       " (did another writer change the archive?)");
			return store_git_error(DECLASS_EARCHIVE, "cannot move " STORE_BRANCH);
		}
		git_reference_free(ref);
		ref = NULL;
		/* The branch durably first, as in store_commit_release(). */
		if ((error = sync_dir(st->s->gitdir)) < 0)
			return error;
	}
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), STORE_TAG_PREFIX "%s", names[i]);
		store_oid_to_git(&id, &tags[i]);
		if (git_reference_create(&ref, repo, name, &id, 0, "declass pull") < 0)
			return store_git_error(
			        DECLASS_EARCHIVE,
			        "the releases are on the branch but a "
			        "tag could not be created (pull again to create it)");
		git_reference_free(ref);
		ref = NULL;
	}
	return n ? sync_dir(st->s->gitdir) : 0;
}

/* ---- history from any commit ------------------------------------------- */

int store_first_parents(store *s, const store_oid *tip, store_oid **out, size_t *n)
{
	store_oid *list = NULL;
	size_t len = 0, alloc = 0, i;
	git_commit *c = NULL, *parent = NULL;
	git_oid id;
	int error = 0;

	*out = NULL;
	*n = 0;
	store_oid_to_git(&id, tip);
	if (git_commit_lookup(&c, s->repo, &id) < 0)
		return store_git_error(DECLASS_EARCHIVE, "cannot read commit");
	for (;;) {
		if ((error = dc_grow(&list, &alloc, len + 1, sizeof(*list))) < 0)
			goto done;
		store_oid_from_git(&list[len++], git_commit_id(c));
		if (git_commit_parentcount(c) == 0)
			break;
		if (git_commit_parent(&parent, c, 0) < 0) {
			error = store_git_error(DECLASS_EARCHIVE, "cannot read the history");
			goto done;
		}
		git_commit_free(c);
		c = parent;
		parent = NULL;
	}
	/* Oldest first. */
	for (i = 0; i < len / 2; i++) {
		store_oid t = list[i];

		list[i] = list[len - 1 - i];
		list[len - 1 - i] = t;
	}
done:
	git_commit_free(c);
	if (error < 0) {
		free(list);
	} else {
		*out = list;
		*n = len;
	}
	return error;
}
