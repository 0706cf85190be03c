/* The internal side of the lexicon (lexicon.c): lookups by folded key. */
#ifndef DECLASS_LEXICON_H
#define DECLASS_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "declass/text.h"
#include "tokenize.h"

/* 64-bit FNV-1a of a folded key, never 0: how the lexicon holds keys. */
uint64_t dc_key_hash64(const char *key, size_t len);

/* qsort() order of such hashes (uint64_t), ascending. */
int dc_key_hash_cmp(const void *a, const void *b);

/*
 * 1 if the folded key is a word of the English list or of the collection
 * vocabulary (found in two records or more).  0 with a NULL lexicon.
 */
int dc_lexicon_known(const declass_lexicon *lex, const char *key, size_t len);

/*
 * The hash of the line made of tokens [from, to) of t (their keys joined
 * by spaces), as the vocabulary counts lines; *key_bytes (if not NULL)
 * gets the length of their keys.
 */
uint64_t dc_line_hash(const dc_tokens *t, size_t from, size_t to, size_t *key_bytes);

/* Records of the collection whose text holds that line (0 if under two). */
uint32_t dc_lexicon_line_df(const declass_lexicon *lex, uint64_t line_hash);

#endif
