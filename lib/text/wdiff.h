/*
 * Internal side of the word diff, for blame: the class of every token of
 * the newer text rather than coalesced spans.
 */
#ifndef DECLASS_WDIFF_H
#define DECLASS_WDIFF_H

#include <stdint.h>

#include "tokenize.h"

/*
 * Diff old -> new tokens (both made by dc_tokenize in FOLD mode) and give
 * the class (declass_span_class) of each token of `newt` in *out, an array
 * of newt->n bytes that is the caller's (free()).  NULL if newt->n is 0.
 */
int dc_wdiff_new_classes(uint8_t **out, const dc_tokens *oldt, const dc_tokens *newt,
                         const declass_text_opts *opts);

#endif
