/* Small jansson helpers used across lib/ (not public). */
#ifndef DECLASS_JSONUTIL_H
#define DECLASS_JSONUTIL_H

#include <jansson.h>

#include "buf.h"

/* Serialise v as the archive stores JSON: sorted keys, 2-space indent,
 * UTF-8, trailing newline.  Appends to out. */
int dc_json_dump(dc_buf *out, const json_t *v);

/* Parse the JSON in buf; `what` names it in the error message. */
int dc_json_parse(json_t **out, const dc_buf *buf, const char *what);

/* The string member key of obj, or NULL. */
const char *dc_json_str(const json_t *obj, const char *key);

/* strdup of dc_json_str, or NULL when absent; sets *error on OOM. */
char *dc_json_strdup(const json_t *obj, const char *key, int *error);

#endif
