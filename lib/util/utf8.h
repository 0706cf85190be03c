/* UTF-8 validation shared by manifest, record and path checks. */
#ifndef DECLASS_UTF8_H
#define DECLASS_UTF8_H

#include <stddef.h>

/*
 * Return 1 if s[0..len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF), else 0 and, if bad_at is not NULL, the offset
 * of the first bad byte.
 */
int dc_utf8_valid(const char *s, size_t len, size_t *bad_at);

#include <stdint.h>

/* Incremental validation, for data read in chunks. */
typedef struct dc_utf8_state {
	unsigned need;        /* continuation bytes still expected */
	unsigned char lo, hi; /* allowed range of the next one */
	uint64_t pos;         /* bytes fed so far */
} dc_utf8_state;

#define DC_UTF8_STATE_INIT       \
	{                        \
		0, 0x80, 0xBF, 0 \
	}

/* Feed a chunk: 1 if still valid, else 0 and *bad_at = offset in the stream. */
int dc_utf8_feed(dc_utf8_state *st, const void *data, size_t len, uint64_t *bad_at);

/* 1 if the stream did not end inside a sequence. */
int dc_utf8_end(const dc_utf8_state *st);
#endif
