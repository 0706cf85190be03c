/*
 * JSON manifests (docs/MANIFEST.md): an array of row objects, or
 * {"rows": [...]}, each key a column (see dc_manifest_json_column()) and
 * "files": [...] standing for one row per file.  Their rows go through the
 * same steps as a CSV manifest's (see manifest.c).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "declass/manifest.h"
#include "manifest_internal.h"
#include "util/error.h"

/*
 * Read the "files" array of row `line` into p->files, and give the row one
 * cell of column `col` for it (see "packed cells").
 */
static int read_files(parser *p, size_t line, size_t col, json_t *files)
{
	size_t i, a, b;
	json_t *v;
	int error;

	if (!json_is_array(files))
		return dc_manifest_row_error(p, line, "'files' must be an array of file names");
	json_array_foreach(files, i, v)
	{
		const char *s = json_string_value(v), *name;

		if (!s)
			return dc_manifest_row_error(p, line, "'files' item %zu is not a string",
			                             i + 1);
		if (strlen(s) != json_string_length(v))
			return dc_manifest_row_error(p, line, "'files' item %zu holds a NUL byte",
			                             i + 1);
		dc_manifest_trim(s, strlen(s), &a, &b);
		if (a == b)
			return dc_manifest_row_error(p, line, "'files' item %zu is empty", i + 1);
		if (!(name = dc_manifest_strndup(p->m, s + a, b - a)))
			return dc_error_oom();
		if ((error = dc_manifest_add_file(p, name)) < 0)
			return error;
	}
	return json_array_size(files) ? dc_manifest_add_files_cell(p, col) : 0;
}

static int read_object(parser *p, size_t line, json_t *obj)
{
	size_t file = (size_t)-1, rec = (size_t)-1, off;
	const unsigned char *cells;
	unsigned long seen = 0;
	int error, added;
	void *it;

	dc_buf_truncate(&p->cells, 0);
	p->ncells = p->nfiles = 0;
	if (!json_is_object(obj))
		return dc_manifest_row_error(p, line, "not an object");
	if (json_object_size(obj) > MANIFEST_MAX_COLUMNS)
		return dc_manifest_row_error(p, line, "%zu keys (at most %d)",
		                             json_object_size(obj), MANIFEST_MAX_COLUMNS);
	for (it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
		const char *name = json_object_iter_key(it), *s;
		json_t *v = json_object_iter_value(it);
		const mcol *c;
		char num[32];
		size_t col = 0;
		int k;

		if (strlen(name) != json_object_iter_key_len(it))
			return dc_manifest_row_error(p, line, "a key holds a NUL byte");
		if ((error = dc_manifest_json_column(p, line, name, &col)) < 0)
			return error;
		c = &p->m->cols[col];
		k = c->k;
		if (k >= 0 && (seen & (1UL << k)))
			return dc_manifest_row_error(p, line,
			                             "key '%s' says the same as an "
			                             "earlier key ('%s')",
			                             name, dc_manifest_key_names[k]);
		if (k >= 0)
			seen |= 1UL << k;
		if (c->files) {
			if ((error = read_files(p, line, col, v)) < 0)
				return error;
			continue;
		}
		if (json_is_null(v))
			continue;
		if (json_is_integer(v) && (k == K_PAGES || k == K_PAGES_RELEASED)) {
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			s = num;
		} else if (json_is_string(v)) {
			s = json_string_value(v);
			if (strlen(s) != json_string_length(v))
				return dc_manifest_row_error(p, line, "'%s' holds a NUL byte",
				                             name);
		} else {
			return dc_manifest_row_error(
			        p, line, "'%s' must be a string%s", name,
			        k == K_PAGES || k == K_PAGES_RELEASED ? " or an integer" : "");
		}
		if ((added = dc_manifest_add_cell(p, col, s, strlen(s), &off)) < 0)
			return added;
		if (added && k == K_RECORD)
			rec = off;
		else if (added && k == K_FILE)
			file = off;
	}
	if (rec == (size_t)-1)
		return dc_manifest_row_error(p, line, "no record id");
	if ((error = dc_manifest_publish_cells(p, &cells)) < 0)
		return error;
	if (file != (size_t)-1 &&
	    (error = dc_manifest_add_file(p, dc_manifest_cell_value(p, cells, file))) < 0)
		return error;
	return dc_manifest_emit_rows(p, line, dc_manifest_cell_value(p, cells, rec), cells);
}

int dc_manifest_parse_json(parser *p, const char *data, size_t len)
{
	json_error_t jerr;
	json_t *root, *rows, *v;
	size_t i, values = 1;
	int error = 0;

	/*
	 * jansson builds the whole document before we see a row, at some tens
	 * of bytes per value: bound the values first.  Every value but the
	 * first follows a ',', '[' or ':'; counting those in strings too only
	 * overestimates.
	 */
	for (i = 0; i < len; i++)
		values += data[i] == ',' || data[i] == '[' || data[i] == ':';
	if (values > MANIFEST_MAX_JSON_VALUES)
		return dc_error_set(DECLASS_EINPUT, "%s: more than %zu JSON values", p->label.ptr,
		                    MANIFEST_MAX_JSON_VALUES);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!root)
		return dc_error_set(DECLASS_EINPUT, "%s line %d: %s", p->label.ptr,
		                    jerr.line > 0 ? jerr.line : 1, jerr.text);
	rows = json_is_object(root) ? json_object_get(root, "rows") : root;
	if (!json_is_array(rows)) {
		error = dc_error_set(DECLASS_EINPUT,
		                     "%s line 1: expected an array of rows or "
		                     "{\"rows\": [...]}",
		                     p->label.ptr);
		goto done;
	}
	json_array_foreach(rows, i, v)
	{
		if ((error = read_object(p, i + 1, v)) < 0)
			goto done;
	}
done:
	json_decref(root);
	return error;
}
