/* Opening and creating archives; the list of releases. */
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "jsonutil.h"

int declass_archive_init(const char *path)
{
	return store_init(path);
}

int declass_archive_open(declass_archive **out, const char *path, unsigned flags,
                         int lock_wait_ms)
{
	declass_archive *a;
	int error;

	*out = NULL;
	if (!(a = calloc(1, sizeof(*a))))
		return dc_error_oom();
	a->writable = !!(flags & DECLASS_OPEN_WRITE);
	if ((error = store_open(&a->s, path, a->writable, lock_wait_ms)) < 0) {
		free(a);
		return error;
	}
	*out = a;
	return 0;
}

void declass_archive_free(declass_archive *a)
{
	if (!a)
		return;
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
		error = dc_error_set(DECLASS_EARCHIVE, "commit %s on the branch has no Release-Id", hex);
	}
	dc_buf_free(&msg);
	return error;
}

int dc_release_json_path(dc_buf *out, const char *id)
{
	return dc_buf_addf(out, "releases/%s.json", id);
}

static int release_from_json(declass_release *r, const json_t *j)
{
	const json_t *m = json_object_get(j, "manifest"), *f;
	size_t i;
	int error = 0;

	r->id = dc_json_strdup(j, "id", &error);
	r->date = dc_json_strdup(j, "date", &error);
	r->title = dc_json_strdup(j, "title", &error);
	r->source = dc_json_strdup(j, "source", &error);
	r->ingested_at = dc_json_strdup(j, "ingested_at", &error);
	r->ingested_by = dc_json_strdup(j, "ingested_by", &error);
	r->tool_version = dc_json_strdup(j, "tool_version", &error);
	r->manifest_sha256 = json_is_object(m) ? dc_json_strdup(m, "sha256", &error) : NULL;
	r->records = (size_t)json_integer_value(json_object_get(j, "records"));
	json_array_foreach(json_object_get(j, "files"), i, f)
		if (!strcmp(dc_json_str(f, "kind") ? dc_json_str(f, "kind") : "", "released"))
			r->files++;
	r->bytes = (uint64_t)json_integer_value(json_object_get(j, "bytes"));
	if (!error && (!r->id || !r->date))
		error = dc_error_set(DECLASS_EARCHIVE, "release file without id or date");
	return error;
}

int declass_archive_releases(declass_release **out, size_t *n, declass_archive *a)
{
	dc_buf id = DC_BUF_INIT, path = DC_BUF_INIT, data = DC_BUF_INIT;
	declass_release *list = NULL;
	store_oid *commits = NULL;
	size_t count = 0, i;
	json_t *j = NULL;
	int error;

	*out = NULL;
	*n = 0;
	if ((error = store_history(a->s, &commits, &count)) < 0)
		return error;
	if (count && !(list = calloc(count, sizeof(*list)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < count; i++) {
		char hex[STORE_OID_HEX];

		dc_buf_truncate(&id, 0);
		dc_buf_truncate(&path, 0);
		dc_buf_truncate(&data, 0);
		if ((error = dc_commit_release_id(a->s, &commits[i], &id)) < 0 ||
		    (error = dc_release_json_path(&path, id.ptr)) < 0 ||
		    (error = store_read_file(a->s, &commits[i], path.ptr, &data, NULL)) < 0 ||
		    (error = dc_json_parse(&j, &data, path.ptr)) < 0)
			goto done;
		error = release_from_json(&list[i], j);
		json_decref(j);
		j = NULL;
		if (error < 0)
			goto done;
		store_oid_fmt(hex, &commits[i]);
		if (!(list[i].commit = strdup(hex))) {
			error = dc_error_oom();
			goto done;
		}
	}
done:
	if (error == DECLASS_ENOTFOUND)
		error = dc_error_set(DECLASS_EARCHIVE, "release commit without its %s", path.ptr);
	if (error < 0) {
		declass_releases_free(list, count);
	} else {
		*out = list;
		*n = count;
	}
	free(commits);
	dc_buf_free(&id);
	dc_buf_free(&path);
	dc_buf_free(&data);
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
	}
	free(list);
}
