/*
 * Internal side of the word diff: the state shared by the alignment
 * (wdiff.c) and the evidence pass (evidence.c), and the per-token classes
 * blame wants rather than coalesced spans.
 */
#ifndef DECLASS_WDIFF_H
#define DECLASS_WDIFF_H

#include <stdint.h>

#include "tokenize.h"

#define DC_NONE ((size_t)-1)

/* Per-token classes beyond the public ones. */
#define DC_CLS_CONSUMED 0xFE /* a marker shown as part of a released span */
#define DC_CLS_UNSET    0xFF

/*
 * One side of the diff.  Boilerplate never enters it: the arrays are per
 * *diffable* token (d[i] is its index among all tokens).
 */
struct dc_side {
	const dc_tokens *t;
	size_t *d;
	size_t nd;
	size_t *match; /* matched index on the other side, DC_NONE if none */
	size_t *hunk;  /* hunk number, DC_NONE outside hunks */
	uint8_t *cls;  /* declass_span_class, or DC_CLS_* */
	size_t *mark;  /* full index of the other side's marker this span
			* replaced (set on its first token), DC_NONE if none */
	uint8_t *ev;   /* declass_evidence of released/withheld/uncertain */
	float *conf;   /* their confidence */
};

struct dc_hunk {
	size_t os, oc, ns, nc;
};

struct dc_wd {
	const declass_text_opts *opts;
	struct dc_side o, n;
	struct dc_hunk *hunks;
	size_t nhunks, ahunks;
};

static inline const dc_token *dc_dtok(const struct dc_side *s, size_t i)
{
	return &s->t->v[s->d[i]];
}

static inline const char *dc_dkey(const struct dc_side *s, size_t i)
{
	return dc_token_key(s->t, s->d[i]);
}

/*
 * The evidence pass (evidence.c): class every token the alignment left
 * unmatched, on both sides, by what the other text shows at its place.
 */
int dc_evidence_classify(struct dc_wd *w);

/*
 * Diff old -> new tokens (both made by dc_tokenize in FOLD mode) and give
 * the class (declass_span_class) of each token of `newt` in *out, an array
 * of newt->n bytes that is the caller's (free()).  NULL if newt->n is 0.
 */
/* Count d's totals again from its spans. */
void dc_wdiff_recount(declass_wdiff *d);

int dc_wdiff_new_classes(uint8_t **out, const dc_tokens *oldt, const dc_tokens *newt,
                         const declass_text_opts *opts);

#endif
