/* Opening and creating archives; the list of releases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "declass/text.h"
#include "util/date.h"
#include "util/jsonutil.h"
#include "sign.h"
#include "store/verify.h"

int declass_archive_init(const char *path)
{
	return store_init(path);
}

int declass_archive_open(declass_archive **out, const char *path, unsigned flags, int lock_wait_ms)
{
	declass_archive *a;
	int error;

	*out = NULL;
	if (!(a = calloc(1, sizeof(*a))))
		return dc_error_oom();
	a->writable = !!(flags & DECLASS_OPEN_WRITE);
	declass_limits_resolve(&a->limits, NULL);
	if ((error = store_open(&a->s, path, a->writable, lock_wait_ms)) < 0) {
		free(a);
		return error;
	}
	*out = a;
	return 0;
}

void declass_archive_set_limits(declass_archive *a, const declass_limits *limits)
{
	declass_limits_resolve(&a->limits, limits);
}

void declass_archive_free(declass_archive *a)
{
	if (!a)
		return;
	dc_archive_forget_history(a);
	declass_lexicon_free(a->lexicon);
	store_free(a->s);
	free(a);
}

int dc_commit_release_id(store *s, const store_oid *commit, dc_buf *id)
{
	dc_buf msg = DC_BUF_INIT;
	int error;

	if ((error = store_commit_message(s, commit, &msg, NULL)) == 0)
		error = store_trailer(msg.ptr, "Release-Id", id);
	if (error == DECLASS_ENOTFOUND) {
		char hex[STORE_OID_HEX];

		store_oid_fmt(hex, commit);
		error = dc_error_set(DECLASS_EARCHIVE, "commit %s on the branch has no Release-Id",
		                     hex);
	}
	dc_buf_free(&msg);
	return error;
}

int dc_message_kind(const char *message, dc_commit_kind *out)
{
	dc_buf v = DC_BUF_INIT;
	int error = store_trailer(message, "Release-Id", &v);

	*out = DC_COMMIT_RELEASE;
	if (error == DECLASS_ENOTFOUND) {
		*out = DC_COMMIT_REVISION;
		error = store_trailer(message, "Text-Revision", &v);
	}
	if (error == DECLASS_ENOTFOUND) {
		*out = DC_COMMIT_OTHER;
		error = 0;
	}
	dc_buf_free(&v);
	return error;
}

int dc_history_load(dc_history *h, store *s)
{
	dc_buf msg = DC_BUF_INIT;
	size_t i;
	int error;

	memset(h, 0, sizeof(*h));
	if ((error = store_history(s, &h->commits, &h->n)) < 0)
		return error;
	if (h->n && !(h->kinds = calloc(h->n, sizeof(*h->kinds))))
		error = dc_error_oom();
	for (i = 0; i < h->n && !error; i++) {
		dc_buf_truncate(&msg, 0);
		if ((error = store_commit_message(s, &h->commits[i], &msg, NULL)) == 0)
			error = dc_message_kind(msg.ptr, &h->kinds[i]);
	}
	dc_buf_free(&msg);
	if (error < 0)
		dc_history_free(h);
	return error;
}

int dc_archive_history(const dc_history **out, declass_archive *a)
{
	int error;

	*out = NULL;
	if (!a->hist) {
		if (!(a->hist = calloc(1, sizeof(*a->hist))))
			return dc_error_oom();
		if ((error = dc_history_load(a->hist, a->s)) < 0) {
			free(a->hist);
			a->hist = NULL;
			return error;
		}
	}
	*out = a->hist;
	return 0;
}

void dc_archive_forget_history(declass_archive *a)
{
	if (a->hist) {
		dc_history_free(a->hist);
		free(a->hist);
		a->hist = NULL;
	}
}

void dc_history_free(dc_history *h)
{
	free(h->commits);
	free(h->kinds);
	memset(h, 0, sizeof(*h));
}

long dc_history_find(const dc_history *h, const store_oid *commit)
{
	size_t i;

	for (i = h->n; i-- > 0;)
		if (store_oid_equal(&h->commits[i], commit))
			return (long)i;
	return -1;
}

long dc_history_last_release(const dc_history *h)
{
	size_t i;

	for (i = h->n; i-- > 0;)
		if (h->kinds[i] == DC_COMMIT_RELEASE)
			return (long)i;
	return -1;
}

int dc_trailer_dup(char **out, const char *message, const char *key)
{
	dc_buf b = DC_BUF_INIT;
	int error = store_trailer(message, key, &b);

	*out = NULL;
	if (error == DECLASS_ENOTFOUND)
		return 0;
	if (error == 0)
		*out = dc_buf_detach(&b);
	dc_buf_free(&b);
	return error;
}

int dc_release_json_path(dc_buf *out, const char *id)
{
	return dc_buf_addf(out, "releases/%s.json", id);
}

/*
 * A release as its commit describes it: the trailers carry everything the
 * list needs, so no release manifest (a line per file) is read.
 */
static int release_from_commit(declass_release *r, store *s, const store_oid *commit)
{
	dc_buf msg = DC_BUF_INIT, counts = DC_BUF_INIT;
	char hex[STORE_OID_HEX], at[21];
	unsigned long long records = 0, files = 0, bytes = 0;
	int64_t when;
	int error;

	if ((error = store_commit_message(s, commit, &msg, &when)) < 0 ||
	    (error = dc_trailer_dup(&r->id, msg.ptr, "Release-Id")) < 0 ||
	    (error = dc_trailer_dup(&r->date, msg.ptr, "Release-Date")) < 0 ||
	    (error = dc_trailer_dup(&r->title, msg.ptr, "Release-Title")) < 0 ||
	    (error = dc_trailer_dup(&r->source, msg.ptr, "Source")) < 0 ||
	    (error = dc_trailer_dup(&r->ingested_by, msg.ptr, "Ingested-By")) < 0 ||
	    (error = dc_trailer_dup(&r->tool_version, msg.ptr, "Tool-Version")) < 0 ||
	    (error = dc_trailer_dup(&r->manifest_sha256, msg.ptr, "Manifest-SHA256")) < 0)
		goto done;
	store_oid_fmt(hex, commit);
	if (!r->id || !r->date) {
		error = dc_error_set(DECLASS_EARCHIVE,
		                     "commit %s on the branch has no Release-Id or Release-Date",
		                     hex);
		goto done;
	}
	if (store_trailer(msg.ptr, "Release-Counts", &counts) == 0 &&
	    sscanf(counts.ptr, "%llu records, %llu files, %llu bytes", &records, &files, &bytes) ==
	            3) {
		r->records = (size_t)records;
		r->files = (size_t)files;
		r->bytes = (uint64_t)bytes;
	}
	dc_time_iso(at, when);
	if (!(r->commit = strdup(hex)) || !(r->ingested_at = strdup(at)))
		error = dc_error_oom();
done:
	dc_buf_free(&msg);
	dc_buf_free(&counts);
	return error;
}

/*
 * Who signed release r: its tag's signature lines, checked over the
 * release's statement (docs/SIGNING.md); no trust is decided here.  A tag
 * that cannot be read counts as unsigned: `declass verify` reports it.
 */
static int release_signer(declass_release *r, store *s, const store_tag_ref *refs, size_t nrefs,
                          const store_oid *commit)
{
	dc_buf name = DC_BUF_INIT, msg = DC_BUF_INIT, sha = DC_BUF_INIT;
	dc_tag_sigs sigs = { 0 };
	store_oid target;
	size_t i;
	int type = 0, ttype = 0, error = 0;

	for (i = 0; i < nrefs; i++)
		if (!refs[i].symbolic && !strcmp(refs[i].name, r->id))
			break;
	if (i == nrefs ||
	    store_object_read(s, &refs[i].target, &type, &target, &ttype, &name, &msg) < 0 ||
	    type != STORE_OBJ_TAG || !store_oid_equal(&target, commit))
		goto done;
	/* The commit's trailer: verify checks it against releases/<ID>.json. */
	dc_buf_truncate(&name, 0);
	if (store_commit_message(s, commit, &name, NULL) < 0 ||
	    store_trailer(name.ptr, "Release-JSON-SHA256", &sha) < 0)
		goto done;
	if ((error = dc_tag_sigs_check(&sigs, msg.ptr, r->commit, r->id, r->date, sha.ptr)) < 0)
		goto done;
	r->bad_signature = sigs.altered;
	for (i = 0; i < sigs.n; i++) {
		if (!sigs.v[i].valid)
			r->bad_signature = 1;
		else if (!r->signed_by && !sigs.altered && !(r->signed_by = strdup(sigs.v[i].fp)))
			error = dc_error_oom();
	}
done:
	dc_tag_sigs_free(&sigs);
	dc_buf_free(&name);
	dc_buf_free(&msg);
	dc_buf_free(&sha);
	return error;
}

int declass_archive_releases(declass_release **out, size_t *n, declass_archive *a)
{
	declass_release *list = NULL;
	store_oid *commits = NULL;
	store_tag_ref *refs = NULL;
	const dc_history *h;
	size_t count = 0, nrefs = 0, i;
	int error;

	*out = NULL;
	*n = 0;
	if ((error = dc_archive_history(&h, a)) < 0)
		return error;
	/* Text revisions are not releases: the list has the release commits. */
	if (h->n &&
	    (!(list = calloc(h->n, sizeof(*list))) || !(commits = calloc(h->n, sizeof(*commits)))))
		error = dc_error_oom();
	for (i = 0; i < h->n && !error; i++)
		if (h->kinds[i] != DC_COMMIT_REVISION)
			commits[count++] = h->commits[i];
	for (i = 0; i < count && !error; i++)
		error = release_from_commit(&list[i], a->s, &commits[i]);
	if (!error && count)
		error = store_tag_refs(a->s, &refs, &nrefs);
	for (i = 0; i < count && !error; i++)
		error = release_signer(&list[i], a->s, refs, nrefs, &commits[i]);
	store_tag_refs_free(refs, nrefs);
	if (error < 0) {
		declass_releases_free(list, count);
	} else {
		*out = list;
		*n = count;
	}
	free(commits);
	return error;
}

void declass_releases_free(declass_release *list, size_t n)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < n; i++) {
		free(list[i].id);
		free(list[i].date);
		free(list[i].title);
		free(list[i].source);
		free(list[i].commit);
		free(list[i].ingested_at);
		free(list[i].ingested_by);
		free(list[i].tool_version);
		free(list[i].manifest_sha256);
		free(list[i].signed_by);
	}
	free(list);
}

static int revision_from_commit(declass_revision *r, store *s, const store_oid *commit)
{
	dc_buf msg = DC_BUF_INIT, counts = DC_BUF_INIT;
	char hex[STORE_OID_HEX], at[21];
	unsigned long long records = 0, files = 0;
	int64_t when;
	int error;

	if ((error = store_commit_message(s, commit, &msg, &when)) < 0 ||
	    (error = dc_trailer_dup(&r->after, msg.ptr, "Text-Revision")) < 0 ||
	    (error = dc_trailer_dup(&r->by, msg.ptr, "Revised-By")) < 0 ||
	    (error = dc_trailer_dup(&r->scope, msg.ptr, "Revision-Scope")) < 0 ||
	    (error = dc_trailer_dup(&r->extractor, msg.ptr, "Extractor")) < 0 ||
	    (error = dc_trailer_dup(&r->tool_version, msg.ptr, "Tool-Version")) < 0)
		goto done;
	if (store_trailer(msg.ptr, "Revision-Counts", &counts) == 0 &&
	    sscanf(counts.ptr, "%llu records, %llu files", &records, &files) == 2) {
		r->records = (size_t)records;
		r->files = (size_t)files;
	}
	store_oid_fmt(hex, commit);
	dc_time_iso(at, when);
	if (!(r->commit = strdup(hex)) || !(r->at = strdup(at)))
		error = dc_error_oom();
done:
	dc_buf_free(&msg);
	dc_buf_free(&counts);
	return error;
}

int declass_archive_revisions(declass_revision **out, size_t *n, declass_archive *a)
{
	declass_revision *list = NULL;
	const dc_history *h;
	size_t count = 0, i;
	int error;

	*out = NULL;
	*n = 0;
	if ((error = dc_archive_history(&h, a)) < 0)
		return error;
	if (h->n && !(list = calloc(h->n, sizeof(*list))))
		error = dc_error_oom();
	for (i = 0; i < h->n && !error; i++)
		if (h->kinds[i] == DC_COMMIT_REVISION)
			error = revision_from_commit(&list[count++], a->s, &h->commits[i]);
	if (error < 0) {
		declass_revisions_free(list, count);
		return error;
	}
	*out = list;
	*n = count;
	return 0;
}

void declass_revisions_free(declass_revision *list, size_t n)
{
	size_t i;

	for (i = 0; list && i < n; i++) {
		free(list[i].commit);
		free(list[i].after);
		free(list[i].at);
		free(list[i].by);
		free(list[i].scope);
		free(list[i].extractor);
		free(list[i].tool_version);
	}
	free(list);
}
