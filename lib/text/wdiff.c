/*
 * Word diff of two versions of a record's text, built to tell released
 * text from OCR variance (docs/DIFF.md has the whole story):
 *
 *  1. tokenise both sides (tokenize.c): normalised keys, original offsets,
 *     lines, markers and boilerplate as single tokens;
 *  2. diff the keys of word and marker tokens, one per line, with libgit2
 *     (store_diff_lines: Myers or patience);
 *  3. inside each changed hunk, align old and new tokens again allowing
 *     near-identical keys (edit distance within the tolerance): those
 *     pairs are OCR noise, not changes;
 *  4. the evidence pass (evidence.c) classes what is still unmatched by
 *     what the other text shows at its place: a marker, a gap in a line
 *     whose other words match, junk, other legible words, nothing;
 *  5. coalesce tokens into spans.
 *
 * Boilerplate (stamps, DocId, cover sheets) never enters the diff, so a
 * new release stamp cannot shift the alignment.
 */
#include <stdlib.h>
#include <string.h>

#include "store/linediff.h"
#include "wdiff.h"

/* Most cells one hunk's alignment table may have before it is cut up. */
#define ALIGN_MAX_CELLS (1u << 20)

const char *declass_span_class_name(declass_span_class cls)
{
	static const char *const names[DECLASS_SPAN__COUNT] = {
		"same",        "released", "withheld",  "noise",   "moved",
		"boilerplate", "marker",   "uncertain", "dropout",
	};

	return (unsigned)cls < DECLASS_SPAN__COUNT ? names[cls] : "unknown";
}

const char *declass_evidence_name(declass_evidence e)
{
	static const char *const names[DECLASS_EVIDENCE__COUNT] = {
		"none", "marker", "gap", "junk", "edge", "block", "new-text", "version", "recurs",
	};

	return (unsigned)e < DECLASS_EVIDENCE__COUNT ? names[e] : "unknown";
}

static void side_free(struct dc_side *s)
{
	free(s->d);
	free(s->match);
	free(s->hunk);
	free(s->cls);
	free(s->mark);
	free(s->ev);
	free(s->conf);
}

static void wd_free(struct dc_wd *w)
{
	side_free(&w->o);
	side_free(&w->n);
	free(w->hunks);
}

static int side_init(struct dc_side *s, const dc_tokens *t)
{
	size_t i, k = 0;

	s->t = t;
	for (i = 0; i < t->n; i++)
		if (t->v[i].kind != DC_TOK_BOILER)
			k++;
	/* One extra so that no allocation is of size 0. */
	if (!(s->d = malloc((k + 1) * sizeof(*s->d))) ||
	    !(s->match = malloc((k + 1) * sizeof(*s->match))) ||
	    !(s->hunk = malloc((k + 1) * sizeof(*s->hunk))) || !(s->cls = malloc(k + 1)) ||
	    !(s->mark = malloc((k + 1) * sizeof(*s->mark))) || !(s->ev = calloc(k + 1, 1)) ||
	    !(s->conf = calloc(k + 1, sizeof(*s->conf))))
		return dc_error_oom();
	for (i = 0; i < t->n; i++)
		if (t->v[i].kind != DC_TOK_BOILER)
			s->d[s->nd++] = i;
	for (i = 0; i < k; i++) {
		s->match[i] = DC_NONE;
		s->hunk[i] = DC_NONE;
		s->cls[i] = DC_CLS_UNSET;
		s->mark[i] = DC_NONE;
	}
	return 0;
}

/* The token-per-line buffer libgit2 diffs. */
static int lines_of(dc_buf *out, const struct dc_side *s)
{
	size_t i;
	int error;

	for (i = 0; i < s->nd; i++) {
		if ((error = dc_buf_add(out, dc_dkey(s, i), dc_dtok(s, i)->key_len)) < 0 ||
		    (error = dc_buf_addch(out, '\n')) < 0)
			return error;
	}
	return 0;
}

static int on_hunk(void *ctx, size_t os, size_t oc, size_t ns, size_t nc)
{
	struct dc_wd *w = ctx;
	struct dc_hunk *v;

	if (w->nhunks == w->ahunks) {
		w->ahunks = w->ahunks ? w->ahunks * 2 : 16;
		if (!(v = realloc(w->hunks, w->ahunks * sizeof(*v))))
			return dc_error_oom();
		w->hunks = v;
	}
	w->hunks[w->nhunks].os = os;
	w->hunks[w->nhunks].oc = oc;
	w->hunks[w->nhunks].ns = ns;
	w->hunks[w->nhunks].nc = nc;
	w->nhunks++;
	return 0;
}

static void pair(struct dc_wd *w, size_t i, size_t j, uint8_t cls)
{
	w->o.match[i] = j;
	w->n.match[j] = i;
	w->o.cls[i] = cls;
	w->n.cls[j] = cls;
}

/* 3: same key, 2: near-identical words, 0: no match. */
static uint8_t score(const struct dc_wd *w, size_t i, size_t j)
{
	const dc_token *a = dc_dtok(&w->o, i), *b = dc_dtok(&w->n, j);

	if (a->kind == DC_TOK_MARKER || b->kind == DC_TOK_MARKER)
		return a->kind == b->kind ? 3 : 0;
	if (a->hash == b->hash && a->key_len == b->key_len &&
	    !memcmp(dc_dkey(&w->o, i), dc_dkey(&w->n, j), a->key_len))
		return 3;
	if (dc_keys_near(dc_dkey(&w->o, i), a->key_len, dc_dkey(&w->n, j), b->key_len,
	                 w->opts->tolerance))
		return 2;
	return 0;
}

/*
 * Best monotone pairing of old [oa, oa+on) with new [na, na+nn) by score
 * (an LCS where near-identical words count a little less than equal ones).
 */
static int align_block(struct dc_wd *w, size_t oa, size_t on, size_t na, size_t nn)
{
	uint32_t *dp = NULL, diag;
	uint8_t *sc = NULL, s;
	size_t i, j, W = nn + 1;
	int error = 0;

	if (!on || !nn)
		return 0;
	if (!(dp = malloc((on + 1) * W * sizeof(*dp))) || !(sc = malloc(on * nn))) {
		error = dc_error_oom();
		goto done;
	}
	for (j = 0; j <= nn; j++)
		dp[j] = 0;
	for (i = 1; i <= on; i++) {
		dp[i * W] = 0;
		for (j = 1; j <= nn; j++) {
			uint32_t best = dp[(i - 1) * W + j];
			if (dp[i * W + j - 1] > best)
				best = dp[i * W + j - 1];
			s = score(w, oa + i - 1, na + j - 1);
			sc[(i - 1) * nn + j - 1] = s;
			if (s && (diag = dp[(i - 1) * W + j - 1] + s) > best)
				best = diag;
			dp[i * W + j] = best;
		}
	}
	for (i = on, j = nn; i > 0 && j > 0;) {
		s = sc[(i - 1) * nn + j - 1];
		if (s && dp[i * W + j] == dp[(i - 1) * W + j - 1] + s) {
			uint8_t cls = s == 3 ? DECLASS_SPAN_SAME : DECLASS_SPAN_NOISE;
			if (dc_dtok(&w->o, oa + i - 1)->kind == DC_TOK_MARKER)
				cls = DECLASS_SPAN_MARKER;
			pair(w, oa + i - 1, na + j - 1, cls);
			i--;
			j--;
		} else if (dp[i * W + j] == dp[(i - 1) * W + j]) {
			i--;
		} else {
			j--;
		}
	}
done:
	free(dp);
	free(sc);
	return error;
}

/* Align a hunk; one too big for a table is cut into proportional blocks. */
static int align_hunk(struct dc_wd *w, const struct dc_hunk *h)
{
	size_t k = 1, p, o0, o1, n0, n1;
	int error;

	while ((h->oc / k + 1) * (h->nc / k + 1) > ALIGN_MAX_CELLS)
		k *= 2;
	for (p = 0; p < k; p++) {
		o0 = h->oc * p / k;
		o1 = h->oc * (p + 1) / k;
		n0 = h->nc * p / k;
		n1 = h->nc * (p + 1) / k;
		if ((error = align_block(w, h->os + o0, o1 - o0, h->ns + n0, n1 - n0)) < 0)
			return error;
	}
	return 0;
}

/* Diff and classify; fills w. */
static int wd_run(struct dc_wd *w, const dc_tokens *oldt, const dc_tokens *newt)
{
	dc_buf a = DC_BUF_INIT, b = DC_BUF_INIT;
	size_t h, i, j, po = 0, pn = 0;
	int error;

	if ((error = side_init(&w->o, oldt)) < 0 || (error = side_init(&w->n, newt)) < 0 ||
	    (error = lines_of(&a, &w->o)) < 0 || (error = lines_of(&b, &w->n)) < 0)
		goto done;
	if ((error = store_diff_lines(a.ptr, a.len, b.ptr, b.len, w->opts->patience, on_hunk, w)) <
	    0)
		goto done;

	for (h = 0; h <= w->nhunks; h++) {
		size_t os = h < w->nhunks ? w->hunks[h].os : w->o.nd;
		size_t ns = h < w->nhunks ? w->hunks[h].ns : w->n.nd;
		/* Between hunks the diff found equal keys, in step. */
		for (i = po, j = pn; i < os && j < ns; i++, j++)
			pair(w, i, j,
			     dc_dtok(&w->o, i)->kind == DC_TOK_MARKER ? DECLASS_SPAN_MARKER
			                                              : DECLASS_SPAN_SAME);
		if (h == w->nhunks)
			break;
		for (i = 0; i < w->hunks[h].oc; i++)
			w->o.hunk[w->hunks[h].os + i] = h;
		for (j = 0; j < w->hunks[h].nc; j++)
			w->n.hunk[w->hunks[h].ns + j] = h;
		if ((error = align_hunk(w, &w->hunks[h])) < 0)
			goto done;
		po = w->hunks[h].os + w->hunks[h].oc;
		pn = w->hunks[h].ns + w->hunks[h].nc;
	}

	error = dc_evidence_classify(w);
done:
	dc_buf_free(&a);
	dc_buf_free(&b);
	return error;
}

static void opts_fill(declass_text_opts *o, const declass_text_opts *in)
{
	declass_text_opts def = DECLASS_TEXT_OPTS_INIT;

	*o = in ? *in : def;
	if (!(o->tolerance >= 0))
		o->tolerance = 0; /* NaN or negative */
	if (o->tolerance > 1)
		o->tolerance = 1;
	if (!o->min_words)
		o->min_words = 1;
	if (!(o->min_confidence >= 0))
		o->min_confidence = 0;
	if (o->min_confidence > 1)
		o->min_confidence = 1;
}

int dc_wdiff_new_classes(uint8_t **out, const dc_tokens *oldt, const dc_tokens *newt,
                         const declass_text_opts *opts)
{
	struct dc_wd w;
	declass_text_opts o;
	uint8_t *cls = NULL;
	size_t i, j = 0;
	int error;

	*out = NULL;
	memset(&w, 0, sizeof(w));
	opts_fill(&o, opts);
	w.opts = &o;
	if ((error = wd_run(&w, oldt, newt)) < 0)
		goto done;
	if (!newt->n)
		goto done;
	if (!(cls = malloc(newt->n))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < newt->n; i++) {
		if (newt->v[i].kind == DC_TOK_BOILER)
			cls[i] = DECLASS_SPAN_BOILERPLATE;
		else
			cls[i] = w.n.cls[j++];
	}
	*out = cls;
done:
	wd_free(&w);
	return error;
}

/* Building the spans. */
struct builder {
	declass_wdiff *d;
	size_t alloc;
	int open;          /* the last span may still grow */
	size_t ocur, ncur; /* end of the last token emitted per side */
};

/* What a token brings to its span beyond its class. */
struct why {
	const dc_token *marker; /* the marker a released/withheld span replaced */
	uint8_t ev;
	float conf;
};

static int emit(struct builder *bd, uint8_t cls, const dc_token *ot, const dc_token *nt,
                struct why y)
{
	declass_wdiff *d = bd->d;
	declass_span *sp, *v;

	if (cls >= DECLASS_SPAN__COUNT)
		return 0; /* a consumed marker: shown with its released span */
	sp = bd->open ? &d->spans[d->nspans - 1] : NULL;
	if (!sp || sp->cls != (declass_span_class)cls || (y.marker && sp->has_marker) ||
	    sp->evidence != (declass_evidence)y.ev) {
		if (d->nspans == bd->alloc) {
			bd->alloc = bd->alloc ? bd->alloc * 2 : 64;
			if (!(v = realloc(d->spans, bd->alloc * sizeof(*v))))
				return dc_error_oom();
			d->spans = v;
		}
		sp = &d->spans[d->nspans++];
		memset(sp, 0, sizeof(*sp));
		sp->cls = (declass_span_class)cls;
		sp->old_start = sp->old_end = bd->ocur;
		sp->new_start = sp->new_end = bd->ncur;
		sp->evidence = (declass_evidence)y.ev;
		sp->confidence = y.conf;
		d->totals[cls].spans++;
		bd->open = 1;
	}
	if (y.conf < sp->confidence)
		sp->confidence = y.conf;
	if (ot) {
		if (!sp->old_words)
			sp->old_start = ot->start;
		sp->old_end = ot->end;
		sp->old_words++;
		d->totals[cls].old_words++;
		bd->ocur = ot->end;
	}
	if (nt) {
		if (!sp->new_words)
			sp->new_start = nt->start;
		sp->new_end = nt->end;
		sp->new_words++;
		d->totals[cls].new_words++;
		bd->ncur = nt->end;
	}
	if (y.marker) {
		sp->has_marker = 1;
		sp->marker_start = y.marker->start;
		sp->marker_end = y.marker->end;
	}
	return 0;
}

static struct why why_of(const struct dc_side *s, const struct dc_side *other, size_t i)
{
	struct why y;

	y.marker = s->mark[i] != DC_NONE ? &other->t->v[s->mark[i]] : NULL;
	y.ev = s->ev[i];
	y.conf = s->conf[i];
	return y;
}

/* Emit the boilerplate tokens of one side up to (not including) full index `to`. */
static int flush_boiler(struct builder *bd, const dc_tokens *t, size_t *next, size_t to, int is_new)
{
	int error;

	for (; *next < to; (*next)++) {
		if (t->v[*next].kind != DC_TOK_BOILER)
			continue;
		struct why none = { NULL, 0, 0 };

		if ((error = emit(bd, DECLASS_SPAN_BOILERPLATE, is_new ? NULL : &t->v[*next],
		                  is_new ? &t->v[*next] : NULL, none)) < 0)
			return error;
	}
	return 0;
}

static int build_spans(declass_wdiff *d, const struct dc_wd *w)
{
	const struct dc_side *o = &w->o, *n = &w->n;
	struct builder bd = { d, 0, 0, 0, 0 };
	size_t i = 0, j = 0, onext = 0, nnext = 0;
	int error;

	while (i < o->nd || j < n->nd) {
		if (i < o->nd && j < n->nd && o->match[i] == j) {
			if ((error = flush_boiler(&bd, o->t, &onext, o->d[i], 0)) < 0 ||
			    (error = flush_boiler(&bd, n->t, &nnext, n->d[j], 1)) < 0 ||
			    (error = emit(&bd, o->cls[i], dc_dtok(o, i), dc_dtok(n, j),
			                  why_of(o, n, i))) < 0)
				return error;
			onext = o->d[i++] + 1;
			nnext = n->d[j++] + 1;
		} else if (i < o->nd && o->match[i] == DC_NONE) {
			if ((error = flush_boiler(&bd, o->t, &onext, o->d[i], 0)) < 0 ||
			    (error = emit(&bd, o->cls[i], dc_dtok(o, i), NULL, why_of(o, n, i))) <
			            0)
				return error;
			onext = o->d[i++] + 1;
		} else {
			/* Pairing is monotone, so this is an unmatched new token. */
			if ((error = flush_boiler(&bd, n->t, &nnext, n->d[j], 1)) < 0 ||
			    (error = emit(&bd, n->cls[j], NULL, dc_dtok(n, j), why_of(n, o, j))) <
			            0)
				return error;
			nnext = n->d[j++] + 1;
		}
	}
	if ((error = flush_boiler(&bd, o->t, &onext, o->t->n, 0)) < 0 ||
	    (error = flush_boiler(&bd, n->t, &nnext, n->t->n, 1)) < 0)
		return error;
	return 0;
}

int declass_diff_words(declass_wdiff **out, const char *old_text, size_t old_len,
                       const char *new_text, size_t new_len, const declass_text_opts *opts)
{
	dc_tokens ot = DC_TOKENS_INIT, nt = DC_TOKENS_INIT;
	declass_wdiff *d = NULL;
	declass_text_opts o;
	struct dc_wd w;
	int error;

	*out = NULL;
	memset(&w, 0, sizeof(w));
	opts_fill(&o, opts);
	w.opts = &o;
	if (!(d = calloc(1, sizeof(*d)))) {
		error = dc_error_oom();
		goto done;
	}
	if ((error = dc_tokenize(&ot, old_text, old_text ? old_len : 0, o.markers,
	                         DC_TOKENIZE_FOLD)) < 0 ||
	    (error = dc_tokenize(&nt, new_text, new_text ? new_len : 0, o.markers,
	                         DC_TOKENIZE_FOLD)) < 0 ||
	    (error = wd_run(&w, &ot, &nt)) < 0 || (error = build_spans(d, &w)) < 0)
		goto done;
	*out = d;
	d = NULL;
done:
	wd_free(&w);
	dc_tokens_free(&ot);
	dc_tokens_free(&nt);
	declass_wdiff_free(d);
	return error;
}

void declass_wdiff_free(declass_wdiff *d)
{
	if (!d)
		return;
	free(d->spans);
	free(d);
}
