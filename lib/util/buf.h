/*
 * A growable byte string, after git's strbuf.
 *
 * Invariants: `ptr` is never NULL (an empty buffer points at a static "")
 * and is always NUL-terminated at `len`, so it can be used as a C string
 * when it holds no NULs.  dc_buf_detach() hands the memory to the caller
 * (free() it) and leaves the buffer empty.  On allocation failure the add
 * functions return DECLASS_ENOMEM and leave the buffer unchanged.
 */
#ifndef DECLASS_BUF_H
#define DECLASS_BUF_H

#include <stddef.h>

#include "error.h"

typedef struct dc_buf {
	char *ptr;
	size_t len;
	size_t alloc;
} dc_buf;

extern char dc_buf_empty[];
#define DC_BUF_INIT                \
	{                          \
		dc_buf_empty, 0, 0 \
	}

int dc_buf_grow(dc_buf *b, size_t extra);
int dc_buf_add(dc_buf *b, const void *data, size_t len);
int dc_buf_adds(dc_buf *b, const char *s);
int dc_buf_addch(dc_buf *b, char c);
int dc_buf_addf(dc_buf *b, const char *fmt, ...) DC_PRINTF(2, 3);
void dc_buf_truncate(dc_buf *b, size_t len);

/* Append `item` to the "; "-separated list in b, unless it is there already. */
int dc_buf_add_item(dc_buf *b, const char *item);
char *dc_buf_detach(dc_buf *b);

/*
 * Append the whole file at `path` (at most `max` bytes) to b.  Errors
 * (DECLASS_EINPUT) name it as "<what> 'path'": "cannot open markers 'x'".
 */
int dc_buf_read_file(dc_buf *b, const char *path, size_t max, const char *what);
void dc_buf_free(dc_buf *b);

/* The value of the hex digit c (either case), or -1: for %xx, #xx, _xHHHH_. */
static inline int dc_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
