/*
 * A record through the releases: its versions (the releases that changed
 * its folder) and its files as of any release.  Cost is one path lookup
 * per release, independent of the number of records in the archive.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "util/date.h"
#include "declass/history.h"
#include "declass/record.h"
#include "util/jsonutil.h"
#include "util/limit.h"

/* The commit of release `release`, or of the tip when NULL. */
static int release_commit(declass_archive *a, const char *release, store_oid *out)
{
	if (release)
		return store_release_commit(a->s, release, out);
	return store_tip(a->s, out);
}

/*
 * The commit that holds the newest text of the record at `path` as of the
 * release commit `*commit`: later text revisions count, up to the first
 * later release that brought the record again.  One path lookup per later
 * release, whatever the number of records.
 */
static int newest_text(declass_archive *a, const char *path, store_oid *commit)
{
	const dc_history *h;
	store_oid before, after;
	long i;
	size_t k;
	int error;

	if ((error = dc_archive_history(&h, a)) < 0)
		return error;
	if ((i = dc_history_find(h, commit)) < 0)
		return 0;
	for (k = (size_t)i + 1; k < h->n; k++) {
		if (h->kinds[k] == DC_COMMIT_RELEASE) {
			if ((error = store_path_oid(a->s, &h->commits[k - 1], path, &before)) < 0 ||
			    (error = store_path_oid(a->s, &h->commits[k], path, &after)) < 0)
				return error;
			if (!store_oid_equal(&before, &after))
				break;
		}
		*commit = h->commits[k];
	}
	return 0;
}

/* The record's folder as of a release: its path and the commit. */
static int locate(declass_archive *a, const char *record, const char *release, char **path,
                  store_oid *commit)
{
	store_oid oid;
	int error;

	*path = NULL;
	if ((error = declass_record_path(path, record)) < 0 ||
	    (error = release_commit(a, release, commit)) < 0)
		goto done;
	error = store_path_oid(a->s, commit, *path, &oid);
	if (error == DECLASS_ENOTFOUND) {
		if (release)
			error = dc_error_set(DECLASS_ENOTFOUND,
			                     "record %s is not in the archive as of release %s",
			                     record, release);
		else
			error = dc_error_set(DECLASS_ENOTFOUND, "record %s is not in the archive",
			                     record);
	}
	if (!error && release)
		error = newest_text(a, *path, commit);
done:
	if (error < 0) {
		free(*path);
		*path = NULL;
	}
	return error;
}

static int read_in(dc_buf *out, declass_archive *a, const char *record, const char *release,
                   const char *name, int missing_ok)
{
	dc_buf file = DC_BUF_INIT;
	store_oid commit;
	char *path = NULL;
	int error;

	if ((error = locate(a, record, release, &path, &commit)) < 0)
		return error;
	if ((error = dc_buf_addf(&file, "%s/%s", path, name)) == 0)
		error = store_read_file(a->s, &commit, file.ptr, out, NULL);
	if (error == DECLASS_ENOTFOUND && missing_ok)
		error = 0;
	else if (error == DECLASS_ENOTFOUND)
		error = dc_error_set(DECLASS_ENOTFOUND, "record %s has no file '%s'%s%s", record,
		                     name, release ? " as of release " : "",
		                     release ? release : "");
	dc_buf_free(&file);
	free(path);
	return error;
}

int declass_record_text(char **out, size_t *len, declass_archive *a, const char *record,
                        const char *release)
{
	dc_buf b = DC_BUF_INIT, file = DC_BUF_INIT;
	store_oid commit, oid;
	uint64_t size;
	char *path = NULL;
	int error;

	*out = NULL;
	*len = 0;
	if ((error = locate(a, record, release, &path, &commit)) < 0 ||
	    (error = dc_buf_addf(&file, "%s/text.txt", path)) < 0)
		goto done;
	error = store_path_oid(a->s, &commit, file.ptr, &oid);
	if (error == 0) {
		/* the size first: a text over the limit is not read (a reader's
		 * memory is some ten times the text's) */
		if ((error = store_blob_size(a->s, &oid, &size)) < 0)
			goto done;
		if (size > a->limits.text) {
			error = dc_limit_text_error(
			        size, a->limits.text, "record %s: its text%s%s is", record,
			        release ? " as of release " : "", release ? release : "");
			goto done;
		}
		if ((error = store_read_blob(a->s, &oid, &b)) < 0)
			goto done;
	} else if (error != DECLASS_ENOTFOUND) {
		goto done;
	}
	/* no text.txt: an empty text */
	error = 0;
	*len = b.len;
	if (!(*out = dc_buf_detach(&b)))
		error = dc_error_oom();
done:
	dc_buf_free(&b);
	dc_buf_free(&file);
	free(path);
	return error;
}

int declass_record_meta(char **out, size_t *len, declass_archive *a, const char *record,
                        const char *release)
{
	dc_buf b = DC_BUF_INIT;
	int error;

	*out = NULL;
	*len = 0;
	if ((error = read_in(&b, a, record, release, "meta.json", 0)) < 0) {
		dc_buf_free(&b);
		return error;
	}
	*len = b.len;
	*out = dc_buf_detach(&b);
	return 0;
}

typedef struct pick {
	const char *want;
	dc_buf names;
	size_t n;
	char *found;
} pick;

static int pick_cb(void *ctx, const char *name, int is_dir, const store_oid *oid)
{
	pick *p = ctx;

	(void)oid;
	if (is_dir || !strcmp(name, "meta.json") || !strcmp(name, "text.txt"))
		return 0;
	p->n++;
	if (dc_buf_addf(&p->names, "%s'%s'", p->names.len ? ", " : "", name) < 0)
		return DECLASS_ENOMEM;
	if ((!p->want || !strcmp(p->want, name)) && !p->found && !(p->found = strdup(name)))
		return dc_error_oom();
	return 0;
}

int declass_record_raw(declass_archive *a, const char *record, const char *release,
                       const char *name, int fd)
{
	pick p = { name, DC_BUF_INIT, 0, NULL };
	dc_buf data = DC_BUF_INIT;
	store_oid commit;
	char *path = NULL;
	size_t done = 0;
	int error;

	if ((error = locate(a, record, release, &path, &commit)) < 0 ||
	    (error = store_list_dir(a->s, &commit, path, pick_cb, &p)) < 0)
		goto done;
	if (!p.found || (!name && p.n > 1)) {
		error = dc_error_set(name ? DECLASS_ENOTFOUND : DECLASS_EINPUT,
		                     "record %s has %s%s%s; its files: %s", record,
		                     name ? "no file '" : "several files", name ? name : "",
		                     name ? "'" : "", p.names.ptr);
		goto done;
	}
	dc_buf_free(&p.names);
	if ((error = dc_buf_addf(&p.names, "%s/%s", path, p.found)) < 0 ||
	    (error = store_read_file(a->s, &commit, p.names.ptr, &data, NULL)) < 0)
		goto done;
	while (done < data.len) {
		ssize_t n = write(fd, data.ptr + done, data.len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = dc_error_sys(DECLASS_ERROR, "cannot write '%s'", p.found);
			goto done;
		}
		done += (size_t)n;
	}
done:
	dc_buf_free(&data);
	dc_buf_free(&p.names);
	free(p.found);
	free(path);
	return error;
}

static char *dup_str(const json_t *o, const char *key, int *error)
{
	const json_t *v = json_object_get(o, key);

	if (json_is_integer(v)) {
		char num[32];
		char *s;

		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
		if (!(s = strdup(num)))
			*error = dc_error_oom();
		return s;
	}
	return dc_json_strdup(o, key, error);
}

static int version_from_meta(declass_record_version *v, const json_t *meta)
{
	const json_t *fields = json_object_get(meta, "fields"),
	             *files = json_object_get(meta, "files");
	const json_t *text = json_object_get(meta, "text"), *f;
	const char *name;
	int error = 0;
	size_t i = 0;

	v->release_type = dc_json_strdup(meta, "release_type", &error);
	v->pages = dup_str(fields, "pages", &error);
	v->agency = dc_json_strdup(fields, "agency", &error);
	if (!v->agency)
		v->agency = dc_json_strdup(fields, "originator", &error);
	v->title = dc_json_strdup(fields, "title", &error);
	v->has_text = json_is_object(text);
	v->text_size = (uint64_t)json_integer_value(json_object_get(text, "size"));
	if (json_object_size(files) &&
	    !(v->files = calloc(json_object_size(files), sizeof(*v->files))))
		return dc_error_oom();
	json_object_foreach((json_t *)files, name, f)
	{
		declass_file_info *fi = &v->files[i++];
		const char *sha = dc_json_str(f, "sha256");

		if (!(fi->name = strdup(name)))
			return dc_error_oom();
		snprintf(fi->sha256, sizeof(fi->sha256), "%s", sha ? sha : "");
		fi->size = (uint64_t)json_integer_value(json_object_get(f, "size"));
		v->nfiles = i;
	}
	return error;
}

/*
 * Where the text of a version came from, from meta.json's text.parts:
 * each extractor, "sidecar", "released" or "third-party: <provider>",
 * once each, "; "-joined.  NULL without a text.
 */
static int text_provenance(char **out, const json_t *meta)
{
	const json_t *parts = json_object_get(json_object_get(meta, "text"), "parts"), *p;
	dc_buf b = DC_BUF_INIT, one = DC_BUF_INIT;
	size_t i;
	int error = 0;

	*out = NULL;
	json_array_foreach(parts, i, p)
	{
		const char *src = dc_json_str(p, "source"), *ex = dc_json_str(p, "extractor"),
		           *prov = dc_json_str(p, "provider");

		dc_buf_truncate(&one, 0);
		if (src && !strcmp(src, "extracted") && ex)
			error = dc_buf_adds(&one, ex);
		else if (src && !strcmp(src, "third-party") && prov)
			error = dc_buf_addf(&one, "third-party: %s", prov);
		else
			error = dc_buf_adds(&one, src ? src : "unknown");
		if (error < 0)
			break;
		if ((error = dc_buf_add_item(&b, one.ptr)) < 0)
			break;
	}
	if (!error && b.len)
		*out = dc_buf_detach(&b);
	dc_buf_free(&b);
	dc_buf_free(&one);
	return error;
}

/* Read the record's meta.json at `commit`. */
static int meta_at(json_t **out, declass_archive *a, const store_oid *commit, const char *path,
                   dc_buf *data)
{
	int error;

	*out = NULL;
	dc_buf_truncate(data, 0);
	if ((error = store_read_file(a->s, commit, path, data, NULL)) < 0)
		return error;
	return dc_json_parse(out, data, path);
}

/* A text revision re-extracted version v's text: what it says now. */
static int revise_version(declass_record_version *v, const json_t *meta, declass_archive *a,
                          const store_oid *commit)
{
	const json_t *text = json_object_get(meta, "text");
	char hex[STORE_OID_HEX], at[21];
	int64_t when;
	int error;

	if ((error = store_commit_message(a->s, commit, NULL, &when)) < 0)
		return error;
	store_oid_fmt(hex, commit);
	dc_time_iso(at, when);
	free(v->text_commit);
	free(v->text_revised_at);
	free(v->text_extractor);
	v->text_extractor = NULL;
	v->text_revisions++;
	v->has_text = json_is_object(text);
	v->text_size = (uint64_t)json_integer_value(json_object_get(text, "size"));
	if (!(v->text_commit = strdup(hex)) || !(v->text_revised_at = strdup(at)))
		return dc_error_oom();
	return text_provenance(&v->text_extractor, meta);
}

int declass_record_log(declass_record_version **out, size_t *n, declass_archive *a,
                       const char *record)
{
	dc_buf meta_path = DC_BUF_INIT, data = DC_BUF_INIT, id = DC_BUF_INIT, msg = DC_BUF_INIT,
	       date = DC_BUF_INIT;
	declass_record_version *list = NULL;
	const dc_history *h = NULL;
	store_oid prev, cur;
	size_t count = 0, i;
	json_t *meta = NULL;
	char *path = NULL, hex[STORE_OID_HEX];
	int have_prev = 0, error;

	*out = NULL;
	*n = 0;
	if ((error = declass_record_path(&path, record)) < 0 ||
	    (error = dc_buf_addf(&meta_path, "%s/meta.json", path)) < 0 ||
	    (error = dc_archive_history(&h, a)) < 0)
		goto done;
	if (h->n && !(list = calloc(h->n, sizeof(*list)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < h->n; i++) {
		declass_record_version *v;

		error = store_path_oid(a->s, &h->commits[i], path, &cur);
		if (error == DECLASS_ENOTFOUND)
			continue;
		if (error < 0)
			goto done;
		if (have_prev && store_oid_equal(&prev, &cur))
			continue;
		prev = cur;
		have_prev = 1;
		json_decref(meta);
		if ((error = meta_at(&meta, a, &h->commits[i], meta_path.ptr, &data)) < 0)
			goto done;
		if (h->kinds[i] == DC_COMMIT_REVISION && count) {
			if ((error = revise_version(&list[count - 1], meta, a, &h->commits[i])) < 0)
				goto done;
			continue;
		}
		v = &list[count++];
		dc_buf_truncate(&id, 0);
		dc_buf_truncate(&msg, 0);
		dc_buf_truncate(&date, 0);
		if ((error = version_from_meta(v, meta)) < 0 ||
		    (error = text_provenance(&v->text_extractor, meta)) < 0 ||
		    (error = store_commit_message(a->s, &h->commits[i], &msg, NULL)) < 0 ||
		    (error = store_trailer(msg.ptr, "Release-Id", &id)) < 0 ||
		    (error = store_trailer(msg.ptr, "Release-Date", &date)) < 0)
			goto done;
		store_oid_fmt(hex, &h->commits[i]);
		if (!(v->release = strdup(id.ptr)) || !(v->date = strdup(date.ptr)) ||
		    !(v->commit = strdup(hex))) {
			error = dc_error_oom();
			goto done;
		}
	}
	error = 0;
	if (count == 0)
		error = dc_error_set(DECLASS_ENOTFOUND, "record %s is not in the archive", record);
done:
	if (error == DECLASS_ENOTFOUND && count)
		error = dc_error_set(DECLASS_EARCHIVE,
		                     "release commit without Release-Id or meta.json");
	json_decref(meta);
	if (error < 0) {
		declass_versions_free(list, h ? h->n : 0);
	} else {
		*out = list;
		*n = count;
	}
	free(path);
	dc_buf_free(&meta_path);
	dc_buf_free(&data);
	dc_buf_free(&id);
	dc_buf_free(&msg);
	dc_buf_free(&date);
	return error;
}

int declass_record_version_as_of(long *out, declass_archive *a, const declass_record_version *v,
                                 size_t n, const char *release)
{
	const dc_history *h;
	char hex[STORE_OID_HEX];
	store_oid commit;
	long at, i;
	size_t k;
	int error;

	*out = -1;
	if ((error = dc_archive_history(&h, a)) < 0 ||
	    (error = store_release_commit(a->s, release, &commit)) < 0)
		return error;
	/* The history in order up to the release; a version's commit is in it. */
	at = dc_history_find(h, &commit);
	for (i = 0; i <= at; i++) {
		store_oid_fmt(hex, &h->commits[i]);
		for (k = 0; k < n; k++)
			if (!strcmp(v[k].commit, hex))
				*out = (long)k;
	}
	return 0;
}

void declass_versions_free(declass_record_version *v, size_t n)
{
	size_t i, k;

	if (!v)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].release);
		free(v[i].date);
		free(v[i].commit);
		free(v[i].release_type);
		free(v[i].pages);
		free(v[i].agency);
		free(v[i].title);
		free(v[i].text_commit);
		free(v[i].text_revised_at);
		free(v[i].text_extractor);
		for (k = 0; k < v[i].nfiles; k++)
			free(v[i].files[k].name);
		free(v[i].files);
	}
	free(v);
}

typedef struct each {
	int (*cb)(void *ctx, const char *record);
	void *ctx;
} each;

static int each_cb(void *ctx, const char *path)
{
	each *e = ctx;
	char *id = NULL;
	int error;

	if ((error = declass_record_from_path(&id, path)) < 0)
		return dc_error_set(DECLASS_EARCHIVE, "unexpected folder '%s' in the archive",
		                    path);
	error = e->cb(e->ctx, id);
	free(id);
	return error;
}

int declass_records_each(declass_archive *a, const char *release,
                         int (*cb)(void *ctx, const char *record), void *ctx)
{
	each e = { cb, ctx };
	store_oid commit;
	int error;

	if ((error = release_commit(a, release, &commit)) < 0)
		return error == DECLASS_ENOTFOUND && !release ? 0 : error;
	return store_walk_records(a->s, &commit, each_cb, &e);
}

/* Release-changed records only: a text revision alone is no change. */
typedef struct changed {
	declass_archive *a;
	const store_oid *from, *to;
	each e;
	dc_buf path, data;
} changed;

static int meta_release(char **out, changed *c, const store_oid *commit)
{
	json_t *meta = NULL;
	int error;

	*out = NULL;
	error = meta_at(&meta, c->a, commit, c->path.ptr, &c->data);
	if (error == DECLASS_ENOTFOUND)
		return 0;
	if (error == 0)
		*out = dc_json_strdup(meta, "release", &error);
	json_decref(meta);
	return error;
}

static int changed_cb(void *ctx, const char *path)
{
	changed *c = ctx;
	char *x = NULL, *y = NULL;
	int error;

	dc_buf_truncate(&c->path, 0);
	if ((error = dc_buf_addf(&c->path, "%s/meta.json", path)) < 0 ||
	    (error = meta_release(&x, c, c->from)) < 0 || (error = meta_release(&y, c, c->to)) < 0)
		goto done;
	if (!x || !y || strcmp(x, y))
		error = each_cb(&c->e, path);
done:
	free(x);
	free(y);
	return error;
}

int declass_records_changed(declass_archive *a, const char *from, const char *to,
                            int (*cb)(void *ctx, const char *record), void *ctx)
{
	changed c = { a, NULL, NULL, { cb, ctx }, DC_BUF_INIT, DC_BUF_INIT };
	const dc_history *h;
	store_oid x, y;
	long i, j;
	int error;

	if ((error = store_release_commit(a->s, from, &x)) < 0 ||
	    (error = store_release_commit(a->s, to, &y)) < 0 ||
	    (error = dc_archive_history(&h, a)) < 0)
		return error;
	/* Checked before the first call of cb, so that nothing half is printed. */
	i = dc_history_find(h, &x);
	j = dc_history_find(h, &y);
	if (i >= 0 && j >= 0 && i > j)
		return dc_error_set(DECLASS_EINPUT,
		                    "release %s (FROM) is newer than release %s (TO); give the "
		                    "older release first",
		                    from, to);
	c.from = &x;
	c.to = &y;
	error = store_changed_records(a->s, &x, &y, changed_cb, &c);
	dc_buf_free(&c.path);
	dc_buf_free(&c.data);
	return error;
}
