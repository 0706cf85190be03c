/*
 * Mirrors: push, pull and clone (declass/remote.h).  A pull fetches into a
 * staging repository (store/remote.h), checks that the remote continues
 * this archive's history without rewriting any release it holds, builds
 * there the archive as it would be, verifies it whole, and only then
 * moves the branch and creates the new tags.  A clone is an init and a
 * pull.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "declass/remote.h"
#include "util/jsonutil.h"
#include "util/output.h"
#include "store/remote.h" /* store/remote.h */

typedef struct pull {
	store *s; /* the archive */
	store_stage *st;
	store *view; /* the staging repository */
	const declass_remote_opts *o;
	declass_pull_result *out;
	store_oid ltip, rtip;
	int has_ltip, has_rtip;
	store_oid *lhist, *rhist; /* oldest first */
	size_t nl, nr;
	store_tag_ref *rtags;
	size_t nrtags;
	char **names; /* tags to create */
	store_oid *targets;
	size_t ntags;
} pull;

static void transfer_progress(void *ctx, size_t done, size_t total, uint64_t bytes)
{
	const declass_remote_opts *o = ctx;
	declass_progress p = { "fetch", done, total, bytes, 0 };

	o->progress(o->progress_ctx, &p);
}

static void push_progress(void *ctx, size_t done, size_t total, uint64_t bytes)
{
	const declass_remote_opts *o = ctx;
	declass_progress p = { "push", done, total, bytes, 0 };

	o->progress(o->progress_ctx, &p);
}

/* A release id as ingest allows it (it becomes a ref and a file name). */
static int valid_id(const char *id)
{
	size_t i, len = strlen(id);

	if (len == 0 || len > 64 || strstr(id, "..") || id[len - 1] == '.' ||
	    (len >= 5 && !strcmp(id + len - 5, ".lock")))
		return 0;
	for (i = 0; i < len; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (i > 0 && (c == '.' || c == '_' || c == '-'))))
			return 0;
	}
	return 1;
}

/* The remote's tip must hold a DECLASS.json this declass reads. */
static int check_declass(pull *p, const char *url)
{
	dc_buf data = DC_BUF_INIT;
	json_t *j = NULL;
	const char *format;
	int error = store_read_file(p->view, &p->rtip, "DECLASS.json", &data, NULL);

	if (error == DECLASS_ENOTFOUND) {
		error = dc_error_set(
		        DECLASS_EINPUT,
		        "'%s' is not a declass archive: the tip of its main branch has no "
		        "DECLASS.json",
		        url);
		goto done;
	}
	if (error < 0 || (error = dc_json_parse(&j, &data, "DECLASS.json")) < 0)
		goto done;
	format = dc_json_str(j, "format");
	if (!format || strcmp(format, "declass")) {
		error = dc_error_set(DECLASS_EINPUT,
		                     "'%s' is not a declass archive: its DECLASS.json "
		                     "does not name the declass format",
		                     url);
		goto done;
	}
	if (json_integer_value(json_object_get(j, "version")) > DECLASS_FORMAT_VERSION) {
		error = dc_error_set(DECLASS_EINPUT,
		                     "'%s' holds archive format %lld; this declass reads up to %d "
		                     "(upgrade declass)",
		                     url,
		                     (long long)json_integer_value(json_object_get(j, "version")),
		                     DECLASS_FORMAT_VERSION);
		goto done;
	}
done:
	json_decref(j);
	dc_buf_free(&data);
	return error;
}

/* The release id of a commit for a message, or "a commit that is no release". */
static void label(char *buf, size_t cap, store *s, const store_oid *commit)
{
	dc_buf id = DC_BUF_INIT;
	char hex[STORE_OID_HEX];

	store_oid_fmt(hex, commit);
	if (dc_commit_release_id(s, commit, &id) == 0)
		snprintf(buf, cap, "release %s (commit %.12s)", id.ptr, hex);
	else
		snprintf(buf, cap, "commit %.12s, no release", hex);
	dc_buf_free(&id);
}

/*
 * Fast-forward only: the remote's history must begin with ours.  Sets
 * out->remote_behind when ours begins with the remote's instead.
 */
static int check_history(pull *p, const char *url)
{
	char ours[256], theirs[256];
	dc_buf id = DC_BUF_INIT;
	size_t i;
	int error;

	if ((error = store_history(p->s, &p->lhist, &p->nl)) < 0 ||
	    (error = store_first_parents(p->view, &p->rtip, &p->rhist, &p->nr)) < 0)
		return error;
	for (i = 0; i < p->nl && i < p->nr; i++)
		if (!store_oid_equal(&p->lhist[i], &p->rhist[i]))
			break;
	if (i == p->nl)
		return 0;
	if (i == p->nr) {
		p->out->remote_behind = 1;
		return 0;
	}
	error = dc_commit_release_id(p->s, &p->lhist[i], &id);
	label(ours, sizeof(ours), p->s, &p->lhist[i]);
	label(theirs, sizeof(theirs), p->view, &p->rhist[i]);
	error = dc_error_set(DECLASS_ECONFLICT,
	                     "'%s' rewrote release %s: where this archive has %s, it has %s.  An "
	                     "archived release is never rewritten, so nothing was pulled; find out "
	                     "why the remote differs ('declass verify' there) before trusting it",
	                     url, error == 0 ? id.ptr : "(unknown)", ours, theirs);
	dc_buf_free(&id);
	return error;
}

static int on_remote_branch(const pull *p, const store_oid *commit)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (store_oid_equal(&p->rhist[i], commit))
			return 1;
	return 0;
}

/* The commit a tag ref names (through an annotated tag), or 0 if none. */
static int peel(store *s, const store_tag_ref *t, store_oid *commit, int *ok)
{
	int type = 0, ttype = 0, error;

	*ok = 0;
	if (t->symbolic)
		return 0;
	if ((error = store_object_read(s, &t->target, &type, commit, &ttype, NULL, NULL)) < 0)
		return error;
	if (type == STORE_OBJ_COMMIT)
		*commit = t->target;
	*ok = type == STORE_OBJ_COMMIT || (type == STORE_OBJ_TAG && ttype == STORE_OBJ_COMMIT);
	return 0;
}

/*
 * Each remote release tag: one we have must name our commit (our tag
 * object is kept); one we lack is created if it names a release commit of
 * that id on the remote's branch.  Others (stray tags) are left out.
 */
static int check_tags(pull *p, const char *url)
{
	store_tag_ref *ours = NULL;
	dc_buf id = DC_BUF_INIT;
	size_t nours = 0, i, j;
	int error;

	if ((error = store_tag_refs(p->s, &ours, &nours)) < 0)
		return error;
	if (p->nrtags && (!(p->names = calloc(p->nrtags, sizeof(*p->names))) ||
	                  !(p->targets = calloc(p->nrtags, sizeof(*p->targets))))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < p->nrtags; i++) {
		const store_tag_ref *t = &p->rtags[i];
		store_oid commit, mine;
		char a[STORE_OID_HEX], b[STORE_OID_HEX];
		int ok, mine_ok;

		if (!valid_id(t->name))
			continue;
		if ((error = peel(p->view, t, &commit, &ok)) < 0) {
			dc_error_prefix("'%s': tag release/%s", url, t->name);
			goto done;
		}
		if (!ok)
			continue;
		for (j = 0; j < nours; j++)
			if (!strcmp(ours[j].name, t->name))
				break;
		if (j < nours) {
			if ((error = peel(p->s, &ours[j], &mine, &mine_ok)) < 0)
				goto done;
			if (mine_ok && !store_oid_equal(&mine, &commit)) {
				store_oid_fmt(a, &commit);
				store_oid_fmt(b, &mine);
				error = dc_error_set(
				        DECLASS_ECONFLICT,
				        "'%s' rewrote release %s: its tag release/%s names commit "
				        "%.12s, this archive's names %.12s.  An archived release "
				        "is never rewritten, so nothing was pulled",
				        url, t->name, t->name, a, b);
				goto done;
			}
			if (!store_oid_equal(&ours[j].target, &t->target))
				p->out->tags_kept++;
			continue;
		}
		if (!on_remote_branch(p, &commit))
			continue;
		dc_buf_truncate(&id, 0);
		if ((error = dc_commit_release_id(p->view, &commit, &id)) < 0)
			goto done;
		if (strcmp(id.ptr, t->name)) {
			store_oid_fmt(a, &commit);
			error = dc_error_set(
			        DECLASS_ECONFLICT,
			        "'%s' has a tag release/%s on commit %.12s, which is release "
			        "%s: refusing a release under another's name",
			        url, t->name, a, id.ptr);
			goto done;
		}
		if (!(p->names[p->ntags] = strdup(t->name))) {
			error = dc_error_oom();
			goto done;
		}
		p->targets[p->ntags++] = t->target;
	}
done:
	store_tag_refs_free(ours, nours);
	dc_buf_free(&id);
	return error;
}

/* Verify the staged archive whole: the state the archive would be in. */
static int verify_stage(pull *p)
{
	declass_archive view = { .s = p->view };
	declass_verify_opts none = { 0 };
	int error;

	declass_limits_resolve(&view.limits, NULL);
	error = declass_verify_archive(&p->out->counts, &view,
	                               p->o && p->o->verify ? p->o->verify : &none);

	dc_archive_forget_history(&view);
	return error;
}

static int record_releases(pull *p)
{
	dc_buf id = DC_BUF_INIT;
	dc_commit_kind kind;
	size_t i;
	int error = 0;

	if (p->nr > p->nl && !(p->out->releases = calloc(p->nr - p->nl, sizeof(char *))))
		return dc_error_oom();
	for (i = p->nl; i < p->nr && !error; i++) {
		dc_buf_truncate(&id, 0);
		/* A text revision has no Release-Id: it is no new release. */
		if ((error = store_commit_message(p->view, &p->rhist[i], &id, NULL)) < 0 ||
		    (error = dc_message_kind(id.ptr, &kind)) < 0 || kind == DC_COMMIT_REVISION)
			continue;
		dc_buf_truncate(&id, 0);
		if ((error = dc_commit_release_id(p->view, &p->rhist[i], &id)) == 0 &&
		    !(p->out->releases[p->out->nreleases++] = strdup(id.ptr)))
			error = dc_error_oom();
	}
	dc_buf_free(&id);
	return error;
}

static void pull_free(pull *p)
{
	size_t i;

	for (i = 0; i < p->ntags; i++)
		free(p->names[i]);
	free(p->names);
	free(p->targets);
	free(p->lhist);
	free(p->rhist);
	store_tag_refs_free(p->rtags, p->nrtags);
	store_stage_free(p->st);
}

/* Pull `remote` into the archive `s`, open for writing. */
static int pull_into(store *s, const char *remote, const declass_remote_opts *o,
                     declass_pull_result *out)
{
	pull p = { 0 };
	dc_buf url = DC_BUF_INIT;
	int error;

	p.s = s;
	p.o = o;
	p.out = out;
	if ((error = store_remote_url(s, remote, &url)) < 0)
		goto done;
	snprintf(out->url, sizeof(out->url), "%s", url.ptr);
	error = store_tip(s, &p.ltip);
	if (error < 0 && error != DECLASS_ENOTFOUND)
		goto done;
	p.has_ltip = error == 0;
	if (p.has_ltip)
		store_oid_fmt(out->from, &p.ltip);
	if ((error = store_stage_new(&p.st, s)) < 0)
		goto done;
	p.view = store_stage_store(p.st);
	if ((error = store_stage_fetch(p.st, url.ptr, o && o->progress ? transfer_progress : NULL,
	                               (void *)o, &p.rtip, &p.has_rtip, &p.rtags, &p.nrtags)) < 0)
		goto done;
	if (!p.has_rtip) {
		error = dc_error_set(
		        DECLASS_EINPUT,
		        "'%s' has no branch main: it is not a declass archive, or it holds "
		        "no release yet",
		        url.ptr);
		goto done;
	}
	if ((error = check_declass(&p, url.ptr)) < 0 || (error = check_history(&p, url.ptr)) < 0)
		goto done;
	if (out->remote_behind) {
		memcpy(out->to, out->from, sizeof(out->to));
		goto done;
	}
	if ((error = check_tags(&p, url.ptr)) < 0)
		goto done;
	store_oid_fmt(out->to, &p.rtip);
	if (p.nr == p.nl && p.ntags == 0) {
		out->up_to_date = 1;
		goto done;
	}
	if ((error = store_stage_set(p.st, &p.rtip, p.names, p.targets, p.ntags)) < 0 ||
	    (error = verify_stage(&p)) < 0)
		goto done;
	if (out->counts.problems) {
		out->refused = 1;
		memcpy(out->to, out->from, sizeof(out->to));
		goto done;
	}
	if ((error = record_releases(&p)) < 0 ||
	    (error = store_stage_apply(p.st, p.has_ltip ? &p.ltip : NULL, &p.rtip, p.names,
	                               p.targets, p.ntags)) < 0)
		goto done;
	out->tags_added = p.ntags;
done:
	pull_free(&p);
	dc_buf_free(&url);
	return error;
}

void declass_pull_result_free(declass_pull_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nreleases; i++)
		free(r->releases[i]);
	free(r->releases);
	r->releases = NULL;
	r->nreleases = 0;
}

int declass_pull(declass_pull_result *out, declass_archive *a, const char *remote,
                 const declass_remote_opts *opts)
{
	int error;

	memset(out, 0, sizeof(*out));
	if (!a->writable)
		return dc_error_set(DECLASS_ERROR, "archive not opened for writing");
	error = pull_into(a->s, remote, opts, out);
	/* The branch may have moved: readers' kept history is stale. */
	dc_archive_forget_history(a);
	if (error < 0)
		declass_pull_result_free(out);
	return error;
}

/*
 * Clone into a new folder beside `path` and rename it onto `path` only once
 * the clone is whole and verified: a clone killed at any point leaves
 * `path` as it was (absent, or an empty folder) and a PATH.partial-PID-N
 * folder beside it, never an archive that looks finished.
 */
int declass_clone(declass_pull_result *out, const char *url, const char *path,
                  const declass_remote_opts *opts)
{
	declass_archive *a = NULL;
	dc_buf tmp = DC_BUF_INIT;
	char abs[PATH_MAX], real[PATH_MAX];
	const char *origin = url;
	struct stat st;
	int fd, made = 0, error;

	memset(out, 0, sizeof(*out));
	/* A symlink to an empty folder: the clone goes where it points. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && realpath(path, real))
		path = real;
	if ((error = store_init_check(path)) < 0)
		return error;
	/* A local path is recorded whole, so the clone can pull from anywhere. */
	if (strstr(url, "://") == NULL && realpath(url, abs))
		origin = abs;
	if ((error = dc_make_parents(path)) < 0 ||
	    (error = dc_create_beside(&tmp, path, 1, &fd)) < 0)
		goto done;
	made = 1;
	if ((error = declass_archive_init(tmp.ptr)) < 0 ||
	    (error = declass_archive_open(&a, tmp.ptr, DECLASS_OPEN_WRITE, 0)) < 0 ||
	    (error = pull_into(a->s, origin, opts, out)) < 0)
		goto done;
	if (out->refused)
		goto done;
	if (out->remote_behind || !out->to[0]) {
		error = dc_error_set(DECLASS_EINPUT, "'%s' holds no release to clone", url);
		goto done;
	}
	if ((error = store_remote_add(a->s, "origin", origin)) < 0)
		goto done;
	declass_archive_free(a);
	a = NULL;
	/* Onto an empty folder or nothing; anything that appeared meanwhile stays. */
	if (rename(tmp.ptr, path) < 0) {
		error = dc_error_sys(DECLASS_ECONFLICT, "cannot move the clone from '%s' to '%s'",
		                     tmp.ptr, path);
		goto done;
	}
	made = 0;
done:
	declass_archive_free(a);
	if (made)
		dc_remove_tree(tmp.ptr);
	if (error < 0)
		declass_pull_result_free(out);
	dc_buf_free(&tmp);
	return error;
}

int declass_push(declass_push_result *out, declass_archive *a, const char *remote,
                 const declass_remote_opts *opts)
{
	dc_buf url = DC_BUF_INIT;
	store_oid tip;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = store_tip(a->s, &tip)) < 0) {
		if (error == DECLASS_ENOTFOUND)
			error = dc_error_set(DECLASS_EINPUT,
			                     "the archive holds no release: nothing to push");
		return error;
	}
	store_oid_fmt(out->tip, &tip);
	if ((error = store_remote_url(a->s, remote, &url)) < 0)
		goto done;
	snprintf(out->url, sizeof(out->url), "%s", url.ptr);
	error = store_push(a->s, remote, opts && opts->progress ? push_progress : NULL,
	                   (void *)opts, &out->refs);
done:
	dc_buf_free(&url);
	return error;
}
