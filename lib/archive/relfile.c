/* releases/<ID>.json written line by line through a temporary file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "relfile.h"

struct dc_relfile {
	FILE *tmp;
	uint64_t bytes; /* written to tmp */
	size_t n;
	declass_sha256 *digest;
};

int dc_relfile_new(dc_relfile **out)
{
	dc_relfile *r;
	int error;

	*out = NULL;
	if (!(r = calloc(1, sizeof(*r))))
		return dc_error_oom();
	if (!(r->tmp = tmpfile())) {
		free(r);
		return dc_error_sys(DECLASS_ERROR, "cannot create a temporary file");
	}
	if ((error = declass_sha256_new(&r->digest)) < 0) {
		dc_relfile_free(r);
		return error;
	}
	*out = r;
	return 0;
}

void dc_relfile_free(dc_relfile *r)
{
	if (!r)
		return;
	if (r->tmp)
		fclose(r->tmp);
	declass_sha256_free(r->digest);
	free(r);
}

/* The compact, sorted form of one entry: what is written and digested. */
static char *entry_text(const json_t *e)
{
	return json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
}

static int digest_entry(declass_sha256 *h, const char *text)
{
	int error = declass_sha256_update(h, text, strlen(text));

	return error ? error : declass_sha256_update(h, "\n", 1);
}

int dc_relfile_add(dc_relfile *r, const char *record, const char *path, const char *kind,
                   const char *sha256, uint64_t size, const char *source)
{
	json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:I}", "record", record, "path", path, "kind",
	                      kind, "sha256", sha256, "size", (json_int_t)size);
	char *text;
	int error;

	if (!e || (source && json_object_set_new(e, "source", json_string(source)) < 0) ||
	    !(text = entry_text(e))) {
		json_decref(e);
		return dc_error_oom();
	}
	json_decref(e);
	if (fprintf(r->tmp, "%s    %s", r->n ? ",\n" : "", text) < 0) {
		free(text);
		return dc_error_sys(DECLASS_ERROR, "cannot write a temporary file");
	}
	r->bytes += (r->n ? 2 : 0) + 4 + strlen(text);
	r->n++;
	error = digest_entry(r->digest, text);
	free(text);
	return error;
}

int dc_relfile_files_digest(dc_relfile *r, char hex[DECLASS_SHA256_HEX])
{
	return declass_sha256_final(r->digest, hex);
}

int dc_relfile_digest_of(const json_t *release, char hex[DECLASS_SHA256_HEX])
{
	const json_t *e;
	declass_sha256 *h = NULL;
	size_t i;
	int error;

	if ((error = declass_sha256_new(&h)) < 0)
		return error;
	json_array_foreach(json_object_get(release, "files"), i, e)
	{
		char *text = entry_text(e);

		if (!text) {
			error = dc_error_oom();
			break;
		}
		error = digest_entry(h, text);
		free(text);
		if (error)
			break;
	}
	if (!error)
		error = declass_sha256_final(h, hex);
	declass_sha256_free(h);
	return error;
}

int dc_relfile_finish(dc_relfile *r, const json_t *fields, store_writer *w, store_oid *blob,
                      char sha256[DECLASS_SHA256_HEX])
{
	dc_buf head = DC_BUF_INIT, tail = DC_BUF_INIT, *cur = &head;
	const char **keys = NULL;
	declass_sha256 *h = NULL;
	store_blob *b = NULL;
	const char *key;
	json_t *v;
	size_t nkeys = 0, i, k;
	char chunk[65536];
	int error = 0;

	/* Keys in sorted order, "files" among them. */
	if (!(keys = calloc(json_object_size(fields) + 1, sizeof(*keys))))
		return dc_error_oom();
	json_object_foreach((json_t *)fields, key, v) keys[nkeys++] = key;
	keys[nkeys++] = "files";
	for (i = 1; i < nkeys; i++)
		for (k = i; k > 0 && strcmp(keys[k - 1], keys[k]) > 0; k--) {
			const char *t = keys[k];

			keys[k] = keys[k - 1];
			keys[k - 1] = t;
		}
	error = dc_buf_adds(&head, "{\n");
	for (i = 0; i < nkeys && !error; i++) {
		char *value;

		if (!strcmp(keys[i], "files")) {
			error = dc_buf_addf(cur, "  \"files\": [%s", r->n ? "\n" : "");
			cur = &tail;
			if (!error)
				error = dc_buf_addf(cur, "%s]%s\n", r->n ? "\n  " : "",
				                    i + 1 < nkeys ? "," : "");
			continue;
		}
		if (!(value = json_dumps(json_object_get(fields, keys[i]),
		                         JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY))) {
			error = dc_error_oom();
			break;
		}
		error = dc_buf_addf(cur, "  \"%s\": %s%s\n", keys[i], value,
		                    i + 1 < nkeys ? "," : "");
		free(value);
	}
	if (!error)
		error = dc_buf_adds(&tail, "}\n");
	if (error < 0)
		goto done;
	if (fflush(r->tmp) != 0 || fseek(r->tmp, 0, SEEK_SET) != 0) {
		error = dc_error_sys(DECLASS_ERROR, "cannot read a temporary file");
		goto done;
	}
	if ((error = declass_sha256_new(&h)) < 0 ||
	    (error = store_blob_open(&b, w, head.len + r->bytes + tail.len, 1)) < 0 ||
	    (error = store_blob_write(b, head.ptr, head.len)) < 0 ||
	    (error = declass_sha256_update(h, head.ptr, head.len)) < 0)
		goto done;
	for (;;) {
		size_t n = fread(chunk, 1, sizeof(chunk), r->tmp);

		if (n == 0)
			break;
		if ((error = store_blob_write(b, chunk, n)) < 0 ||
		    (error = declass_sha256_update(h, chunk, n)) < 0)
			goto done;
	}
	if (ferror(r->tmp)) {
		error = dc_error_sys(DECLASS_ERROR, "cannot read a temporary file");
		goto done;
	}
	if ((error = store_blob_write(b, tail.ptr, tail.len)) < 0 ||
	    (error = declass_sha256_update(h, tail.ptr, tail.len)) < 0 ||
	    (error = declass_sha256_final(h, sha256)) < 0)
		goto done;
	error = store_blob_finish(b, blob);
	b = NULL;
done:
	store_blob_abort(b);
	declass_sha256_free(h);
	dc_buf_free(&head);
	dc_buf_free(&tail);
	free(keys);
	return error;
}
