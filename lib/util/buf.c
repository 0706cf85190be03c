/* A growable byte string: see buf.h for its invariants. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

char dc_buf_empty[1];

int dc_buf_grow(dc_buf *b, size_t extra)
{
	size_t want, alloc;
	char *p;

	if (extra > (size_t)-1 - b->len - 1)
		return dc_error_oom();
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return 0;
	alloc = b->alloc ? b->alloc : 64;
	while (alloc < want)
		alloc = alloc > (size_t)-1 / 2 ? want : alloc * 2;
	p = realloc(b->alloc ? b->ptr : NULL, alloc);
	if (!p)
		return dc_error_oom();
	if (!b->alloc)
		p[0] = '\0';
	b->ptr = p;
	b->alloc = alloc;
	return 0;
}

int dc_buf_add(dc_buf *b, const void *data, size_t len)
{
	if (dc_buf_grow(b, len) < 0)
		return DECLASS_ENOMEM;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int dc_buf_adds(dc_buf *b, const char *s)
{
	return dc_buf_add(b, s, strlen(s));
}

int dc_buf_addch(dc_buf *b, char c)
{
	return dc_buf_add(b, &c, 1);
}

int dc_buf_addf(dc_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return dc_error_set(DECLASS_ERROR, "bad format string");
	if (dc_buf_grow(b, (size_t)n) < 0)
		return DECLASS_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void dc_buf_truncate(dc_buf *b, size_t len)
{
	if (len < b->len && b->alloc) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

char *dc_buf_detach(dc_buf *b)
{
	char *p = b->alloc ? b->ptr : calloc(1, 1);

	b->ptr = dc_buf_empty;
	b->len = b->alloc = 0;
	return p;
}

void dc_buf_free(dc_buf *b)
{
	if (b->alloc)
		free(b->ptr);
	b->ptr = dc_buf_empty;
	b->len = b->alloc = 0;
}

int dc_buf_add_item(dc_buf *b, const char *item)
{
	const char *list = b->len ? b->ptr : NULL;
	size_t n = strlen(item);

	while (list && *list) {
		const char *end = strstr(list, "; ");
		size_t len = end ? (size_t)(end - list) : strlen(list);

		if (len == n && !strncmp(list, item, n))
			return 0;
		list = end ? end + 2 : NULL;
	}
	return dc_buf_addf(b, "%s%s", b->len ? "; " : "", item);
}

int dc_buf_read_file(dc_buf *b, const char *path, size_t max, const char *what)
{
	FILE *f;
	char chunk[16384];
	size_t n, start = b->len;
	int error = 0;

	if (!(f = fopen(path, "rb")))
		return dc_error_sys(DECLASS_EINPUT, "cannot open %s '%s'", what, path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len - start + n > max) {
			error = dc_error_set(DECLASS_EINPUT, "%s '%s': larger than %zu bytes", what,
			                     path, max);
			break;
		}
		if ((error = dc_buf_add(b, chunk, n)) < 0)
			break;
	}
	if (!error && ferror(f))
		error = dc_error_sys(DECLASS_EINPUT, "cannot read %s '%s'", what, path);
	fclose(f);
	return error;
}
