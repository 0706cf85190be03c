/* Small jansson helpers: the archive's canonical JSON form. */
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"

static int dump_cb(const char *data, size_t len, void *ctx)
{
	return dc_buf_add(ctx, data, len) < 0 ? -1 : 0;
}

int dc_json_dump(dc_buf *out, const json_t *v)
{
	if (json_dump_callback(v, dump_cb, out, JSON_SORT_KEYS | JSON_INDENT(2)) < 0)
		return dc_error_oom();
	return dc_buf_addch(out, '\n');
}

int dc_json_parse(json_t **out, const dc_buf *buf, const char *what)
{
	json_error_t err;

	*out = json_loadb(buf->ptr, buf->len, JSON_REJECT_DUPLICATES, &err);
	if (!*out)
		return dc_error_set(DECLASS_EARCHIVE, "%s: invalid JSON at line %d: %s", what,
		                    err.line, err.text);
	return 0;
}

const char *dc_json_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

char *dc_json_strdup(const json_t *obj, const char *key, int *error)
{
	const char *s = dc_json_str(obj, key);
	char *copy;

	if (!s)
		return NULL;
	if (!(copy = strdup(s)))
		*error = dc_error_oom();
	return copy;
}
