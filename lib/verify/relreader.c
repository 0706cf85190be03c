/*
 * releases/<ID>.json, read line by line (verify_relreader_run): for the
 * archive check (lib/verify/archive.c) and the index of loose files
 * (lib/verify/files.c).
 *
 * releases/<ID>.json can list hundreds of thousands of files, so it is
 * not parsed whole.  declass writes it one field a line and one compact
 * files entry a line (lib/archive/relfile.c):
 *
 *   {
 *     "bytes": 13907,
 *     "files": [
 *       {"kind":"released","path":"records/...","record":"...",...},
 *       {...}
 *     ],
 *     "format": 1,
 *     ...
 *   }
 *
 * A first pass streams the blob (checking that it hashes to its id),
 * computes its SHA-256 and checks that every line has that shape; a second
 * pass parses each line on its own.  A file of any other shape (written
 * by an older declass, or by hand) is parsed whole, as before.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/jsonutil.h"
#include "util/utf8.h"
#include "verify_internal.h"

#define RJ_LINE_MAX (64 * 1024)

enum { RJ_OPEN, RJ_HEAD, RJ_FILES, RJ_END, RJ_BAD };
enum { RJ_NONE, RJ_COMMA, RJ_NOCOMMA }; /* how the previous element ended */

static void relentry_from_json(relentry *e, const json_t *f)
{
	const json_t *size = json_object_get(f, "size");

	memset(e, 0, sizeof(*e));
	e->kind = dc_json_str(f, "kind");
	e->path = dc_json_str(f, "path");
	e->record = dc_json_str(f, "record");
	e->sha256 = dc_json_str(f, "sha256");
	e->has_size = verify_json_uint(size, &e->size);
}

/*
 * Parse an entry line of the form ingest writes, {"key":"string"|integer,
 * ...}, with no escapes, control characters or other values, into e,
 * NUL-terminating the strings in place (line is a copy).  0 if it is not
 * of that form: then jansson parses it, and says what is wrong if anything
 * is.  What this accepts jansson accepts alike: it only saves the cost of
 * a JSON object per entry.
 */
static int fast_entry(relentry *e, char *line, size_t len)
{
	char *c = line, *end = line + len, *key, *val;
	const char **slot, *keys[16];
	size_t nkeys = 0, k;

	memset(e, 0, sizeof(*e));
	if (c == end || *c++ != '{')
		return 0;
	for (;;) {
		if (c == end || *c++ != '"')
			return 0;
		key = c;
		while (c < end && *c != '"' && *c != '\\' && (unsigned char)*c >= 0x20)
			c++;
		if (c + 1 >= end || *c != '"' || c[1] != ':')
			return 0;
		*c = '\0';
		c += 2;
		if (nkeys == sizeof(keys) / sizeof(*keys))
			return 0;
		for (k = 0; k < nkeys; k++)
			if (!strcmp(keys[k], key))
				return 0; /* a duplicate key: jansson says so */
		keys[nkeys++] = key;
		slot = !strcmp(key, "kind")     ? &e->kind
		       : !strcmp(key, "path")   ? &e->path
		       : !strcmp(key, "record") ? &e->record
		       : !strcmp(key, "sha256") ? &e->sha256
		                                : NULL;
		if (c < end && *c == '"') {
			val = ++c;
			while (c < end && *c != '"' && *c != '\\' && (unsigned char)*c >= 0x20)
				c++;
			if (c == end || *c != '"' || !dc_utf8_valid(val, (size_t)(c - val), NULL) ||
			    !dc_utf8_valid(key, strlen(key), NULL))
				return 0;
			*c++ = '\0';
			if (!strcmp(key, "size"))
				return 0; /* not a number: jansson's reading decides */
			if (slot)
				*slot = val;
		} else if (c < end && isdigit((unsigned char)*c)) {
			uint64_t n = 0;

			if (*c == '0' && c + 1 < end && isdigit((unsigned char)c[1]))
				return 0;
			for (; c < end && isdigit((unsigned char)*c); c++) {
				if (n > ((uint64_t)LLONG_MAX - (uint64_t)(*c - '0')) / 10)
					return 0;
				n = n * 10 + (uint64_t)(*c - '0');
			}
			if (c < end && (*c == '.' || *c == 'e' || *c == 'E'))
				return 0;
			if (slot)
				return 0;
			if (!strcmp(key, "size")) {
				e->has_size = 1;
				e->size = n;
			}
		} else {
			return 0;
		}
		if (c < end && *c == ',') {
			c++;
			continue;
		}
		return c + 1 == end && *c == '}';
	}
}

typedef struct rjpass {
	relreader *rr;
	const char *what;  /* its path, for messages */
	declass_sha256 *h; /* first pass: the bytes' SHA-256 */
	int parse;         /* second pass: parse the lines */
	dc_buf line, copy;
	int state, prev;
	size_t lineno, index;
} rjpass;

static int line_is(const char *l, size_t len, const char *s)
{
	return len == strlen(s) && !memcmp(l, s, len);
}

/* First pass: is line l of the shape declass writes? */
static void rj_shape(rjpass *p, const char *l, size_t len)
{
	int comma = len && l[len - 1] == ',';

	switch (p->state) {
	case RJ_OPEN:
		p->state = line_is(l, len, "{") ? RJ_HEAD : RJ_BAD;
		p->prev = RJ_NONE;
		break;
	case RJ_HEAD:
		if (line_is(l, len, "}"))
			p->state = p->prev == RJ_COMMA ? RJ_BAD : RJ_END;
		else if (p->prev == RJ_NOCOMMA)
			p->state = RJ_BAD;
		else if (line_is(l, len, "  \"files\": [")) {
			p->state = RJ_FILES;
			p->prev = RJ_NONE;
		} else if (len > 3 && !memcmp(l, "  \"", 3))
			p->prev = comma ? RJ_COMMA : RJ_NOCOMMA;
		else
			p->state = RJ_BAD;
		break;
	case RJ_FILES:
		if (line_is(l, len, "  ]") || line_is(l, len, "  ],")) {
			p->state = p->prev == RJ_COMMA ? RJ_BAD : RJ_HEAD;
			p->prev = comma ? RJ_COMMA : RJ_NOCOMMA;
		} else if (len > 5 && !memcmp(l, "    {", 5) && l[len - 1 - comma] == '}' &&
		           p->prev != RJ_NOCOMMA) {
			p->prev = comma ? RJ_COMMA : RJ_NOCOMMA;
		} else {
			p->state = RJ_BAD;
		}
		break;
	default:
		p->state = RJ_BAD;
	}
}

static void rj_invalid(rjpass *p, const char *fmt, ...) DC_PRINTF(2, 3);

static void rj_invalid(rjpass *p, const char *fmt, ...)
{
	dc_buf b = DC_BUF_INIT;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!p->rr->invalid &&
	    dc_buf_addf(&b, "%s: invalid JSON at line %zu: %s", p->what, p->lineno, msg) == 0)
		p->rr->invalid = dc_buf_detach(&b);
	dc_buf_free(&b);
	p->state = RJ_BAD;
}

/* Top-level fields on one line: merge them into hdr; a files list's entries go on. */
static int rj_fields(rjpass *p, json_t *o)
{
	relreader *rr = p->rr;
	const char *key;
	json_t *val, *f;
	size_t i;
	int error;

	json_object_foreach(o, key, val)
	{
		if (json_object_get(rr->hdr, key)) {
			rj_invalid(p, "duplicate object key");
			return 0;
		}
		if (!strcmp(key, "files") && json_is_array(val)) {
			rr->has_files = 1;
			json_array_foreach(val, i, f)
			{
				relentry re;

				relentry_from_json(&re, f);
				if ((error = rr->entry(rr->ctx, &re, p->index++)) < 0)
					return error;
			}
			val = json_true(); /* the entries are done with */
		} else {
			json_incref(val);
		}
		if (json_object_set_new(rr->hdr, key, val) < 0)
			return dc_error_oom();
	}
	return 0;
}

/* Second pass: one line of the shape rj_shape() accepted. */
static int rj_parse(rjpass *p, const char *l, size_t len)
{
	relreader *rr = p->rr;
	json_error_t err;
	json_t *o;
	int comma = len && l[len - 1] == ',', error = 0;

	switch (p->state) {
	case RJ_OPEN:
		p->state = RJ_HEAD;
		return 0;
	case RJ_HEAD:
		if (line_is(l, len, "}")) {
			p->state = RJ_END;
			return 0;
		}
		if (line_is(l, len, "  \"files\": [")) {
			if (json_object_get(rr->hdr, "files")) {
				rj_invalid(p, "duplicate object key");
				return 0;
			}
			if (json_object_set_new(rr->hdr, "files", json_true()) < 0)
				return dc_error_oom();
			rr->has_files = 1;
			p->state = RJ_FILES;
			return 0;
		}
		{
			/* "key": value[,] is an object's member: parse it as one. */
			dc_buf b = DC_BUF_INIT;

			if ((error = dc_buf_addch(&b, '{')) < 0 ||
			    (error = dc_buf_add(&b, l, len - (size_t)comma)) < 0 ||
			    (error = dc_buf_addch(&b, '}')) < 0) {
				dc_buf_free(&b);
				return error;
			}
			o = json_loadb(b.ptr, b.len, JSON_REJECT_DUPLICATES, &err);
			dc_buf_free(&b);
		}
		if (!o) {
			rj_invalid(p, "%s", err.text);
			return 0;
		}
		error = rj_fields(p, o);
		json_decref(o);
		return error;
	case RJ_FILES:
		if (line_is(l, len, "  ]") || line_is(l, len, "  ],")) {
			p->state = RJ_HEAD;
			return 0;
		}
		{
			relentry re;

			/* The common case without a JSON object: see fast_entry(). */
			dc_buf_truncate(&p->copy, 0);
			if ((error = dc_buf_add(&p->copy, l, len - (size_t)comma)) < 0)
				return error;
			if (fast_entry(&re, p->copy.ptr, p->copy.len))
				return rr->entry(rr->ctx, &re, p->index++);
			if (!(o = json_loadb(l, len - (size_t)comma, JSON_REJECT_DUPLICATES,
			                     &err))) {
				rj_invalid(p, "%s", err.text);
				return 0;
			}
			relentry_from_json(&re, o);
			error = rr->entry(rr->ctx, &re, p->index++);
			json_decref(o);
			return error;
		}
	default:
		return 0;
	}
}

static int rj_line(rjpass *p, const char *l, size_t len)
{
	p->lineno++;
	if (p->state == RJ_BAD)
		return 0;
	if (!p->parse) {
		rj_shape(p, l, len);
		return 0;
	}
	return rj_parse(p, l, len);
}

/* Lines out of the streamed bytes (a line is at most RJ_LINE_MAX). */
static int rj_feed(void *ctx, const void *data, size_t len)
{
	rjpass *p = ctx;
	const char *c = data, *end = c + len, *nl;
	int error;

	if (p->h && (error = declass_sha256_update(p->h, data, len)) < 0)
		return error;
	while (c < end && p->state != RJ_BAD) {
		size_t n;

		nl = memchr(c, '\n', (size_t)(end - c));
		n = (size_t)((nl ? nl : end) - c);
		if (p->line.len + n > RJ_LINE_MAX) {
			p->state = RJ_BAD; /* not the line form: parsed whole */
			break;
		}
		if (!nl) {
			if ((error = dc_buf_add(&p->line, c, n)) < 0)
				return error;
			break;
		}
		if (p->line.len) {
			if ((error = dc_buf_add(&p->line, c, n)) < 0)
				return error;
			error = rj_line(p, p->line.ptr, p->line.len);
			dc_buf_truncate(&p->line, 0);
		} else {
			error = rj_line(p, c, n);
		}
		if (error < 0)
			return error;
		c = nl + 1;
	}
	/* The second pass stops at the first fault (positive: stopped here). */
	return p->parse && p->state == RJ_BAD ? 1 : 0;
}

/* The last line, if it has no newline; then whether the whole was read. */
static int rj_end(rjpass *p)
{
	int error = 0;

	if (p->line.len && p->state != RJ_BAD)
		error = rj_line(p, p->line.ptr, p->line.len);
	dc_buf_truncate(&p->line, 0);
	return error;
}

void verify_relreader_clear(relreader *rr)
{
	json_decref(rr->hdr);
	free(rr->invalid);
	rr->hdr = NULL;
	rr->invalid = NULL;
}

/*
 * Read the releases/<ID>.json blob `oid` (at `what`): its SHA-256, its
 * top-level fields in rr->hdr, each files entry to rr->entry.  A failed
 * read (DECLASS_ENOTFOUND, DECLASS_EARCHIVE) is returned with nothing
 * passed on; JSON that is not valid sets rr->invalid (entries before the
 * fault may have been passed on).  Memory: one line at a time, unless the
 * file is not in the line form.
 */
int verify_relreader_run(relreader *rr, store *s, store_blob_reader *br, const store_oid *oid,
                         const char *what)
{
	rjpass p;
	dc_buf data = DC_BUF_INIT;
	json_t *j = NULL, *f;
	uint64_t size;
	size_t i;
	int error;

	memset(&p, 0, sizeof(p));
	p.rr = rr;
	p.what = what;
	p.line = (dc_buf)DC_BUF_INIT;
	p.copy = (dc_buf)DC_BUF_INIT;
	rr->has_files = 0;
	if (!(rr->hdr = json_object()))
		return dc_error_oom();
	if ((error = declass_sha256_new(&p.h)) < 0)
		goto done;
	if ((error = store_blob_stream_with(br, s, oid, rj_feed, &p, &size)) < 0 ||
	    (error = rj_end(&p)) < 0 || (error = declass_sha256_final(p.h, rr->sha256)) < 0)
		goto done;
	rr->line_form = p.state == RJ_END;
	if (rr->line_form) {
		declass_sha256_free(p.h);
		p.h = NULL;
		p.parse = 1;
		p.state = RJ_OPEN;
		p.lineno = 0;
		error = store_blob_stream_with(br, s, oid, rj_feed, &p, &size);
		if (error == 0)
			error = rj_end(&p);
		if (error > 0)
			error = 0; /* stopped at invalid JSON */
		goto done;
	}
	/* Not the line form: parse it whole. */
	if ((error = store_blob_read(s, oid, &data)) < 0)
		goto done;
	if (dc_json_parse(&j, &data, what) < 0) {
		if (declass_error_code() == DECLASS_ENOMEM) {
			error = DECLASS_ENOMEM;
			goto done;
		}
		if (!(rr->invalid = strdup(declass_error_last())))
			error = dc_error_oom();
		goto done;
	}
	dc_buf_free(&data);
	json_decref(rr->hdr);
	rr->hdr = j;
	if (json_is_object(j) && json_is_array(json_object_get(j, "files"))) {
		rr->has_files = 1;
		json_array_foreach(json_object_get(j, "files"), i, f)
		{
			relentry re;

			relentry_from_json(&re, f);
			if ((error = rr->entry(rr->ctx, &re, i)) < 0)
				goto done;
		}
	}
done:
	declass_sha256_free(p.h);
	dc_buf_free(&p.line);
	dc_buf_free(&p.copy);
	dc_buf_free(&data);
	return error;
}
