/*
 * Opening, creating and locking archives, and the all-or-nothing commit of
 * a tranche (quarantine, migrate, sync, compare-and-swap).
 */
#define _GNU_SOURCE 1 /* syncfs */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "rawloose.h"

#define FORMAT_KEY  "declass.formatVersion"
#define GC_AUTO_KEY "gc.auto"
#define INCOMING    "declass-incoming"

void store_oid_fmt(char out[STORE_OID_HEX], const store_oid *oid)
{
	git_oid g;

	store_oid_to_git(&g, oid);
	git_oid_tostr(out, STORE_OID_HEX, &g);
}

int store_oid_equal(const store_oid *a, const store_oid *b)
{
	return memcmp(a->id, b->id, sizeof(a->id)) == 0;
}

int store_config_init(git_repository *repo, const char *what)
{
	git_config *cfg = NULL;
	int error = 0;

	/* gc.auto is a number to Git; "false" makes git gc refuse the archive. */
	if (git_repository_config(&cfg, repo) < 0 ||
	    git_config_set_int32(cfg, FORMAT_KEY, DECLASS_FORMAT_VERSION) < 0 ||
	    git_config_set_int32(cfg, GC_AUTO_KEY, 0) < 0)
		error = store_git_error(DECLASS_EARCHIVE, what);
	git_config_free(cfg);
	return error;
}

int store_init_check(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int empty;

	if (stat(path, &st) < 0)
		return 0;
	d = S_ISDIR(st.st_mode) ? opendir(path) : NULL;
	empty = d != NULL;
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	if (d)
		closedir(d);
	if (!empty)
		return dc_error_set(DECLASS_ECONFLICT,
		                    "'%s' already exists and is not an empty directory", path);
	return 0;
}

int store_init(const char *path)
{
	git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
	git_repository *repo = NULL;
	int error;

	git_libgit2_init();
	if ((error = store_init_check(path)) < 0)
		goto done;
	opts.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH |
	             GIT_REPOSITORY_INIT_NO_REINIT;
	opts.initial_head = "main";
	opts.description = "declass archive of documents released in tranches";
	if (git_repository_init_ext(&repo, path, &opts) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot create archive");
		goto done;
	}
	error = store_config_init(repo, "cannot configure archive");
done:
	git_repository_free(repo);
	git_libgit2_shutdown();
	return error;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int rm_tree(const char *path)
{
	if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return dc_error_sys(DECLASS_EARCHIVE, "cannot remove '%s'", path);
	return 0;
}

static int take_lock(store *s, int wait_ms)
{
	char path[4096];
	int waited = 0;

	snprintf(path, sizeof(path), "%sdeclass.lock", s->gitdir);
	s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (s->lock_fd < 0)
		return dc_error_sys(DECLASS_EARCHIVE, "cannot open lock '%s'", path);
	/* flock dies with its process, so a killed writer leaves no stale lock. */
	while (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		struct timespec ts = { 0, 50 * 1000000L };

		if (errno != EWOULDBLOCK && errno != EINTR)
			return dc_error_sys(DECLASS_EARCHIVE, "cannot lock '%s'", path);
		if (waited >= wait_ms)
			return dc_error_set(DECLASS_ELOCKED,
			                    "archive is locked by another writer (%s); try again "
			                    "when it has finished",
			                    path);
		nanosleep(&ts, NULL);
		waited += 50;
	}
	return 0;
}

/*
 * Remove the ref lock files a killed writer left: libgit2 writes a ref to
 * <ref>.lock and renames it, and a lock left behind would make every later
 * update of that ref fail.  Only a declass writer, holding declass.lock as
 * we do now, writes these refs, so any such file is stale.
 */
static int rm_stale_ref_locks(store *s)
{
	static const char *const fixed[] = { "refs/heads/main.lock", "packed-refs.lock" };
	char path[4096];
	struct dirent *de;
	DIR *d;
	size_t i, len;
	int error = 0;

	for (i = 0; i < sizeof(fixed) / sizeof(*fixed); i++) {
		snprintf(path, sizeof(path), "%s%s", s->gitdir, fixed[i]);
		if (unlink(path) < 0 && errno != ENOENT)
			return dc_error_sys(DECLASS_EARCHIVE, "cannot remove stale lock '%s'",
			                    path);
	}
	snprintf(path, sizeof(path), "%s" STORE_TAG_PREFIX, s->gitdir);
	if (!(d = opendir(path)))
		return errno == ENOENT ? 0
		                       : dc_error_sys(DECLASS_EARCHIVE, "cannot read '%s'", path);
	while (!error && (de = readdir(d))) {
		len = strlen(de->d_name);
		if (len <= 5 || strcmp(de->d_name + len - 5, ".lock"))
			continue;
		snprintf(path, sizeof(path), "%s" STORE_TAG_PREFIX "%s", s->gitdir, de->d_name);
		if (unlink(path) < 0 && errno != ENOENT)
			error = dc_error_sys(DECLASS_EARCHIVE, "cannot remove stale lock '%s'",
			                     path);
	}
	closedir(d);
	return error;
}

/*
 * Archives made by earlier declass say gc.auto = false, which Git cannot
 * read as a number: git gc and git maintenance refuse them.  A writer,
 * holding declass.lock, sets any such value in the archive's own config
 * to 0, as init now writes it; a number (the owner's choice) is kept, and
 * so is a config without gc.auto.  Readers change nothing.
 */
static int mend_gc_auto(store *s)
{
	git_config *cfg = NULL, *local = NULL;
	git_config_entry *e = NULL;
	int32_t n;
	int error = 0, found;

	if (git_repository_config(&cfg, s->repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot read the archive's config");
		goto done;
	}
	found = git_config_get_entry(&e, local, GC_AUTO_KEY);
	if (found == GIT_ENOTFOUND ||
	    (found == 0 && e->value && git_config_parse_int32(&n, e->value) == 0))
		goto done;
	/* Every gc.auto line: libgit2 will not set a key that appears twice. */
	if ((found == 0 && git_config_delete_multivar(local, GC_AUTO_KEY, ".*") < 0) ||
	    git_config_set_int32(local, GC_AUTO_KEY, 0) < 0)
		error = store_git_error(DECLASS_EARCHIVE,
		                        "cannot set gc.auto to 0 in the archive's config");
done:
	git_config_entry_free(e);
	git_config_free(local);
	git_config_free(cfg);
	return error;
}

/*
 * The archive's format version (declass.formatVersion): missing means not
 * a declass archive; a value that is no number, or below 1 (no declass
 * ever wrote one), a damaged config.  Either way the archive is not used.
 */
static int format_version(int32_t *out, const git_config *cfg, const char *path)
{
	const char *raw = NULL;
	int error = git_config_get_int32(out, cfg, FORMAT_KEY);

	if (error == GIT_ENOTFOUND)
		return dc_error_set(DECLASS_EARCHIVE,
		                    "'%s' is a Git repository but not a declass archive (no %s)",
		                    path, FORMAT_KEY);
	if (error < 0) {
		git_config_get_string(&raw, cfg, FORMAT_KEY);
		return dc_error_set(DECLASS_EARCHIVE,
		                    "archive '%s': %s '%s' is not a format version (a whole "
		                    "number from 1); is its config damaged?",
		                    path, FORMAT_KEY, raw ? raw : "");
	}
	if (*out < 1)
		return dc_error_set(DECLASS_EARCHIVE,
		                    "archive '%s' has format %d, which no declass writes (formats "
		                    "start at 1); is its config damaged?",
		                    path, (int)*out);
	return 0;
}

int store_open(store **out, const char *path, int write, int lock_wait_ms)
{
	git_config *cfg = NULL;
	store *s;
	int32_t version = 0;
	int error;
	size_t len;

	*out = NULL;
	git_libgit2_init();
	/* libgit2 caches up to 256 MB of objects by default: keep memory small. */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(16 << 20));
	if (!(s = calloc(1, sizeof(*s)))) {
		git_libgit2_shutdown();
		return dc_error_oom();
	}
	s->lock_fd = -1;
	if (git_repository_open_ext(&s->repo, path,
	                            GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE,
	                            NULL) < 0 ||
	    !git_repository_is_bare(s->repo)) {
		error = dc_error_set(
		        DECLASS_EARCHIVE,
		        "'%s' is not a declass archive (create one with 'declass init')", path);
		goto done;
	}
	if (git_repository_config_snapshot(&cfg, s->repo) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot read the archive's config");
		goto done;
	}
	if ((error = format_version(&version, cfg, path)) < 0)
		goto done;
	if (version > DECLASS_FORMAT_VERSION) {
		error = dc_error_set(
		        DECLASS_EARCHIVE,
		        "archive '%s' has format %d; this declass reads up to %d (upgrade declass)",
		        path, (int)version, DECLASS_FORMAT_VERSION);
		goto done;
	}
	len = strlen(git_repository_path(s->repo));
	if (!(s->gitdir = malloc(len + 2))) {
		error = dc_error_oom();
		goto done;
	}
	memcpy(s->gitdir, git_repository_path(s->repo), len + 1);
	if (len && s->gitdir[len - 1] != '/')
		strcat(s->gitdir, "/");
	if (write) {
		char incoming[4096];

		if ((error = take_lock(s, lock_wait_ms)) < 0)
			goto done;
		snprintf(incoming, sizeof(incoming), "%s" INCOMING, s->gitdir);
		if ((error = rm_tree(incoming)) < 0 || (error = rm_stale_ref_locks(s)) < 0 ||
		    (error = mend_gc_auto(s)) < 0)
			goto done;
	}
	error = 0;
done:
	git_config_free(cfg);
	if (error < 0)
		store_free(s);
	else
		*out = s;
	return error;
}

void store_free(store *s)
{
	if (!s)
		return;
	store_abort(s);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	git_repository_free(s->repo);
	free(s->gitdir);
	free(s);
	git_libgit2_shutdown();
}

static int quarantine_odb(git_odb **out, const char *dir, int level)
{
	git_odb_backend *be = NULL;

	if (git_odb_new(out) < 0)
		return store_git_error(DECLASS_ERROR, "cannot create object database");
	/* No per-object fsync: store_commit_release() syncs the filesystem once. */
	if (git_odb_backend_loose(&be, dir, level, 0, 0, 0) < 0 ||
	    git_odb_add_backend(*out, be, 1) < 0) {
		if (be)
			be->free(be);
		git_odb_free(*out);
		*out = NULL;
		return store_git_error(DECLASS_ERROR, "cannot open quarantine");
	}
	return 0;
}

static int raw_odb(git_odb **out, const char *dir)
{
	git_odb_backend *be = NULL;
	int error;

	if (git_odb_new(out) < 0)
		return store_git_error(DECLASS_ERROR, "cannot create object database");
	if ((error = store_rawloose_new(&be, dir)) < 0 || git_odb_add_backend(*out, be, 1) < 0) {
		if (be)
			be->free(be);
		git_odb_free(*out);
		*out = NULL;
		return error < 0 ? error : store_git_error(DECLASS_ERROR, "cannot open quarantine");
	}
	return 0;
}

int store_writer_new(store_writer **out, store *s)
{
	store_writer *w;
	int error;

	*out = NULL;
	if (!s->quarantine)
		return dc_error_set(DECLASS_ERROR, "no tranche being written");
	if (!(w = calloc(1, sizeof(*w))))
		return dc_error_oom();
	/* Already-compressed data is stored, not deflated again (rawloose.c). */
	if ((error = raw_odb(&w->raw, s->quarantine)) < 0 ||
	    (error = quarantine_odb(&w->text, s->quarantine, -1)) < 0) {
		store_writer_free(w);
		return error;
	}
	*out = w;
	return 0;
}

void store_writer_free(store_writer *w)
{
	if (!w)
		return;
	git_odb_free(w->raw);
	git_odb_free(w->text);
	free(w);
}

store_writer *store_main_writer(store *s)
{
	return s->writer;
}

int store_begin(store *s)
{
	git_odb_backend *be = NULL;
	git_odb *odb = NULL;
	char tmpl[4096];
	int error;

	if (s->lock_fd < 0)
		return dc_error_set(DECLASS_ERROR, "archive not opened for writing");
	if (s->quarantine)
		return 0;
	snprintf(tmpl, sizeof(tmpl), "%s" INCOMING, s->gitdir);
	if (mkdir(tmpl, 0755) < 0 && errno != EEXIST)
		return dc_error_sys(DECLASS_EARCHIVE, "cannot create '%s'", tmpl);
	snprintf(tmpl, sizeof(tmpl), "%s" INCOMING "/tranche-XXXXXX", s->gitdir);
	if (!mkdtemp(tmpl))
		return dc_error_sys(DECLASS_EARCHIVE, "cannot create quarantine in '%s'",
		                    s->gitdir);
	if (!(s->quarantine = strdup(tmpl)))
		return dc_error_oom();
	if ((error = store_writer_new(&s->writer, s)) < 0)
		goto fail;
	/*
	 * The repository's own database reads the quarantine too, and writes
	 * trees and commits there: a backend of higher priority than the
	 * default ones (1 and 2) is asked first.
	 */
	if (git_repository_odb(&odb, s->repo) < 0 ||
	    git_odb_backend_loose(&be, s->quarantine, -1, 0, 0, 0) < 0 ||
	    git_odb_add_backend(odb, be, 100) < 0) {
		if (be)
			be->free(be);
		error = store_git_error(DECLASS_ERROR, "cannot open quarantine");
		goto fail;
	}
	git_odb_free(odb);
	return 0;
fail:
	git_odb_free(odb);
	store_abort(s);
	return error;
}

void store_abort(store *s)
{
	store_writer_free(s->writer);
	s->writer = NULL;
	if (s->quarantine) {
		rm_tree(s->quarantine);
		free(s->quarantine);
		s->quarantine = NULL;
		/*
		 * The repository's odb still lists the quarantine backend; a new
		 * handle drops it so later reads don't see a removed directory.
		 */
		git_repository_free(s->repo);
		s->repo = NULL;
		if (git_repository_open_ext(
		            &s->repo, s->gitdir,
		            GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, NULL) < 0)
			s->repo = NULL;
	}
}

int store_move_files(const char *from, const char *to, const char *sub, const char *suffix)
{
	char src[4096], dst[4096];
	size_t slen = suffix ? strlen(suffix) : 0;
	struct dirent *de;
	DIR *d;
	int error = 0;

	snprintf(src, sizeof(src), "%s/%s", from, sub);
	if (!(d = opendir(src)))
		return errno == ENOENT ? 0
		                       : dc_error_sys(DECLASS_EARCHIVE, "cannot read '%s'", src);
	snprintf(dst, sizeof(dst), "%s/%s", to, sub);
	if (mkdir(dst, 0755) < 0 && errno != EEXIST)
		error = dc_error_sys(DECLASS_EARCHIVE, "cannot create '%s'", dst);
	while (!error && (de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' ||
		    (suffix && (len < slen || strcmp(de->d_name + len - slen, suffix))))
			continue;
		snprintf(src, sizeof(src), "%s/%s/%s", from, sub, de->d_name);
		snprintf(dst, sizeof(dst), "%s/%s/%s", to, sub, de->d_name);
		/* A rename, not a link: the source folder goes next, unlinked. */
		if (rename(src, dst) < 0)
			error = dc_error_sys(DECLASS_EARCHIVE, "cannot move '%s' into the archive",
			                     src);
	}
	closedir(d);
	return error;
}

/* Move every object of the quarantine into objects/. */
static int migrate(store *s)
{
	char objects[4096];
	struct dirent *de;
	DIR *top;
	int error = 0;

	if (!(top = opendir(s->quarantine)))
		return dc_error_sys(DECLASS_EARCHIVE, "cannot read '%s'", s->quarantine);
	snprintf(objects, sizeof(objects), "%sobjects", s->gitdir);
	while (!error && (de = readdir(top)))
		if (strlen(de->d_name) == 2 && isxdigit((unsigned char)de->d_name[0]) &&
		    isxdigit((unsigned char)de->d_name[1]))
			error = store_move_files(s->quarantine, objects, de->d_name, NULL);
	closedir(top);
	return error;
}

static int sync_archive(store *s)
{
	int fd = open(s->gitdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || syncfs(fd) < 0) {
		int e = dc_error_sys(DECLASS_EARCHIVE, "cannot sync '%s'", s->gitdir);

		if (fd >= 0)
			close(fd);
		return e;
	}
	close(fd);
	return 0;
}

static int make_sig(git_signature **out, const char *name, const char *email, int64_t when)
{
	if (git_signature_new(out, name, email, (git_time_t)when, 0) < 0)
		return store_git_error(DECLASS_EINPUT, "bad author");
	return 0;
}

int store_commit_release(store *s, const store_new_release *rc, store_oid *commit_out)
{
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_object *commit_obj = NULL;
	git_reference *ref = NULL;
	git_oid tree_id, parent_id, commit_id, tag_id;
	const git_commit *parents[1];
	dc_buf tag_message = DC_BUF_INIT;
	char tagref[1024];
	int error;

	if (!s->quarantine)
		return dc_error_set(DECLASS_ERROR, "no tranche being written");
	if ((error = make_sig(&sig, rc->name, rc->email, rc->when)) < 0)
		goto done;
	store_oid_to_git(&tree_id, rc->tree);
	if (git_tree_lookup(&tree, s->repo, &tree_id) < 0) {
		error = store_git_error(DECLASS_ERROR, "cannot read new tree");
		goto done;
	}
	if (rc->parent) {
		store_oid_to_git(&parent_id, rc->parent);
		if (git_commit_lookup(&parent, s->repo, &parent_id) < 0) {
			error = store_git_error(DECLASS_EARCHIVE, "cannot read tip commit");
			goto done;
		}
		parents[0] = parent;
	}
	if (git_commit_create(&commit_id, s->repo, NULL, sig, sig, "UTF-8", rc->message, tree,
	                      rc->parent ? 1 : 0, parents) < 0 ||
	    git_object_lookup(&commit_obj, s->repo, &commit_id, GIT_OBJECT_COMMIT) < 0) {
		error = store_git_error(DECLASS_ERROR, "cannot write release commit");
		goto done;
	}
	if (rc->tag && (error = dc_buf_adds(&tag_message, rc->tag_message)) < 0)
		goto done;
	if (rc->tag && rc->tag_hook) {
		store_oid commit;

		store_oid_from_git(&commit, &commit_id);
		if ((error = rc->tag_hook(rc->tag_hook_ctx, &commit, &tag_message)) < 0)
			goto done;
	}
	if (rc->tag && git_tag_annotation_create(&tag_id, s->repo, rc->tag, commit_obj, sig,
	                                         tag_message.ptr) < 0) {
		error = store_git_error(DECLASS_ERROR, "cannot write release tag");
		goto done;
	}
	/* Objects first, durably; only then may a ref point at them. */
	if ((error = migrate(s)) < 0 || (error = sync_archive(s)) < 0)
		goto done;
	if ((error = git_reference_create_matching(
	             &ref, s->repo, STORE_BRANCH, &commit_id, rc->parent ? 1 : 0,
	             rc->parent ? &parent_id : NULL, rc->tag ? rc->tag : "text revision")) < 0) {
		if (error == GIT_EMODIFIED || error == GIT_EEXISTS)
			error = store_git_error(DECLASS_ECONFLICT,
			                        "cannot move " STORE_BRANCH
			                        " (did another writer change the archive?)");
		else
			error = store_git_error(DECLASS_EARCHIVE, "cannot move " STORE_BRANCH);
		goto done;
	}
	git_reference_free(ref);
	ref = NULL;
	/*
	 * The branch durably first: a tag must never name a release that a
	 * power cut could take off the branch.
	 */
	if ((error = sync_archive(s)) < 0)
		goto done;
	if (!rc->tag)
		goto tagged;
	snprintf(tagref, sizeof(tagref), "refs/tags/%s", rc->tag);
	if (git_reference_create(&ref, s->repo, tagref, &tag_id, 0, rc->tag) < 0) {
		error = store_git_error(DECLASS_EARCHIVE,
		                        "release is on the branch but its tag could "
		                        "not be created (the next ingest creates it)");
		goto done;
	}
	if ((error = sync_archive(s)) < 0)
		goto done;
tagged:
	store_oid_from_git(commit_out, &commit_id);
done:
	dc_buf_free(&tag_message);
	git_reference_free(ref);
	git_object_free(commit_obj);
	git_commit_free(parent);
	git_tree_free(tree);
	git_signature_free(sig);
	store_abort(s);
	return error;
}

int store_repair_tag(store *s, const char *release_id, const char *message, const char *name,
                     const char *email, int64_t when)
{
	git_signature *sig = NULL;
	git_object *obj = NULL;
	git_reference *ref = NULL;
	git_oid tip, tag_id;
	char tag[512], tagref[600];
	int error;

	snprintf(tag, sizeof(tag), "release/%s", release_id);
	snprintf(tagref, sizeof(tagref), "refs/tags/%s", tag);
	if (git_reference_name_to_id(&tip, s->repo, STORE_BRANCH) < 0)
		return 0;
	if (git_reference_lookup(&ref, s->repo, tagref) == 0) {
		git_reference_free(ref);
		return 0;
	}
	if ((error = make_sig(&sig, name, email, when)) < 0)
		goto done;
	if (git_object_lookup(&obj, s->repo, &tip, GIT_OBJECT_COMMIT) < 0 ||
	    git_tag_annotation_create(&tag_id, s->repo, tag, obj, sig, message) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot repair tag");
		goto done;
	}
	/* As in store_commit_release(): the object durably before the ref. */
	if ((error = sync_archive(s)) < 0)
		goto done;
	if (git_reference_create(&ref, s->repo, tagref, &tag_id, 0, tag) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot repair tag");
		goto done;
	}
	if ((error = sync_archive(s)) < 0)
		goto done;
	error = 1;
done:
	git_reference_free(ref);
	git_object_free(obj);
	git_signature_free(sig);
	return error;
}
