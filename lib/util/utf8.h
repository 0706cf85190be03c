/*
 * UTF-8 validation and decoding shared by manifest, record and path
 * checks, and which characters are hidden (controls, format characters).
 */
#ifndef DECLASS_UTF8_H
#define DECLASS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Return 1 if s[0..len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF), else 0 and, if bad_at is not NULL, the offset
 * of the first bad byte.
 */
int dc_utf8_valid(const char *s, size_t len, size_t *bad_at);

/*
 * Decode the character at s[0..len) (len > 0): its length in bytes (1 to
 * 4) with the code point in *cp, or 0 if the bytes there are not
 * well-formed UTF-8 (then *cp is the first byte).
 */
size_t dc_utf8_decode(const char *s, size_t len, uint32_t *cp);

/*
 * 1 if code point cp shows nothing of itself or acts on the text around
 * it: controls (C0, DEL, C1), format characters (Unicode category Cf:
 * bidi embeddings, overrides, isolates and marks, zero-width spaces and
 * joiners, the byte order mark...), the line and paragraph separators,
 * the other default-ignorable code points (variation selectors, fillers,
 * tags) and noncharacters.  One rule for what record ids refuse and what
 * output for people escapes (docs/MANIFEST.md, docs/RELIABILITY.md).
 */
int dc_utf8_hidden(uint32_t cp);

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
