/*
 * Tokens of a record's text, for the word diff, blame and phrase search:
 * each token keeps its byte range in the original text and a normalised
 * key (case, accents and common OCR confusions folded, punctuation
 * dropped, hyphenated line breaks joined) that is what gets compared.
 * Also the internal side of the marker pattern set (markers.c).
 */
#ifndef DECLASS_TOKENIZE_H
#define DECLASS_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "declass/text.h"

enum dc_tok_kind {
	DC_TOK_WORD = 0,
	DC_TOK_MARKER, /* a redaction marker, one token however long */
	DC_TOK_BOILER, /* release stamp, DocId, footer: never diffed */
	DC_TOK_BLOCK,  /* markers.c only: the start of a boilerplate block */
};

/* Token flags. */
#define DC_TOK_CONTENT 0x01 /* 3+ letters with a vowel, not a stop word */
#define DC_TOK_JUNK    0x02 /* fewer than 2 letters, or mostly non-letters */
#define DC_TOK_NUMBER  0x04 /* 2+ digits and nothing else ("13", "1963") */

typedef struct dc_token {
	size_t start, end; /* bytes of the original text */
	size_t key;        /* offset of the key in dc_tokens.keys */
	uint32_t key_len;
	uint32_t hash; /* FNV-1a of the key */
	uint32_t line; /* 0-based line of the original text the token starts on */
	uint8_t kind;  /* enum dc_tok_kind */
	uint8_t flags; /* DC_TOK_* */
} dc_token;

typedef struct dc_tokens {
	dc_token *v;
	size_t n, alloc;
	dc_buf keys;      /* keys, each NUL-terminated */
	const char *text; /* the original text (borrowed: the caller's) */
	size_t len;
} dc_tokens;

#define DC_TOKENS_INIT                           \
	{                                        \
		NULL, 0, 0, DC_BUF_INIT, NULL, 0 \
	}

/* Tokeniser modes. */
#define DC_TOKENIZE_FOLD      0x01 /* fold case, accents, OCR confusions */
#define DC_TOKENIZE_NOMARKERS 0x02 /* do not scan for markers/boilerplate */

/*
 * Split text[0..len) into tokens (see the file comment).  `m` NULL means
 * the built-in pattern set.  The tokens keep a pointer to `text`, which
 * must outlive them.  On error the tokens are freed.
 */
int dc_tokenize(dc_tokens *out, const char *text, size_t len, const declass_markers *m,
                unsigned int mode);
void dc_tokens_free(dc_tokens *t);

static inline const char *dc_token_key(const dc_tokens *t, size_t i)
{
	return t->keys.ptr + t->v[i].key;
}

/*
 * 1 if keys a and b are equal or near-identical: edit distance at most
 * tolerance * max(alen, blen) (bytes).  Keys over 64 bytes must be equal.
 */
int dc_keys_near(const char *a, size_t alen, const char *b, size_t blen, double tolerance);

uint32_t dc_hash(const char *s, size_t len);

/* A marker or boilerplate match in a text. */
typedef struct dc_mark {
	size_t start, end;
	uint8_t kind; /* DC_TOK_MARKER or DC_TOK_BOILER */
} dc_mark;

/*
 * All matches of the set's patterns in text[0..len), sorted by start and
 * not overlapping (an earlier match wins, then a longer one).  *out is the
 * caller's (free()); NULL with *nout 0 when there are none.
 */
int dc_markers_scan(dc_mark **out, size_t *nout, const declass_markers *m, const char *text,
                    size_t len);

#endif
