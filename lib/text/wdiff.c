/*
 * Word diff of two versions of a record's text, built to tell released
 * text from OCR variance (docs/DIFF.md has the whole story):
 *
 *  1. tokenise both sides (tokenize.c): normalised keys, original offsets,
 *     markers and boilerplate as single tokens;
 *  2. diff the keys of word and marker tokens, one per line, with libgit2
 *     (store_diff_lines: Myers or patience);
 *  3. inside each changed hunk, align old and new tokens again allowing
 *     near-identical keys (edit distance within the tolerance): those
 *     pairs are OCR noise, not changes;
 *  4. cut what is still unmatched into runs, and the runs into segments
 *     at places where two or more of their words DO occur, unmatched,
 *     on the other side (moved text); a segment with at least min_words
 *     content words found nowhere unmatched on the other side is released
 *     (new side) or withheld (old side), one word suffices where a
 *     redaction marker gave way; the rest is moved or noise.
 *
 * Boilerplate (stamps, DocId, footers) never enters the diff, so a new
 * release stamp cannot shift the alignment.
 */
#include <stdlib.h>
#include <string.h>

#include "store/linediff.h"
#include "wdiff.h"

#define NONE ((size_t)-1)

/* Per-token classes beyond the public ones. */
#define CLS_CONSUMED 0xFE /* a marker shown as part of a released span */
#define CLS_UNSET    0xFF

/* Most cells one hunk's alignment table may have before it is cut up. */
#define ALIGN_MAX_CELLS (1u << 20)

/* Longest chain a fuzzy bag lookup walks: keeps worst cases linear. */
#define BAG_MAX_PROBE 64

const char *declass_span_class_name(declass_span_class cls)
{
	static const char *const names[DECLASS_SPAN__COUNT] = {
		"same", "released", "withheld", "noise", "moved", "boilerplate", "marker",
	};

	return (unsigned)cls < DECLASS_SPAN__COUNT ? names[cls] : "unknown";
}

/* One side of the diff. */
struct side {
	const dc_tokens *t;
	size_t *d; /* full token index of each diffable token */
	size_t nd;
	size_t *match; /* per diffable token: matched index on the other side */
	size_t *hunk;  /* per diffable token: hunk number, NONE outside */
	uint8_t *cls;  /* per diffable token */
	size_t *mark;  /* per diffable token: full index of the other side's
			 * marker this segment replaced, NONE if none */
};

struct hunk {
	size_t os, oc, ns, nc;
};

/* A multiset of keys with fuzzy lookup: exact, and same 2-byte prefix or
 * suffix within the tolerance, which catches almost every OCR misreading. */
struct bag {
	size_t *head; /* per bucket: first entry, NONE if empty */
	size_t *next; /* per entry */
	size_t *tok;  /* per entry: full token index */
	uint32_t *h;  /* per entry: salted hash */
	size_t n, mask;
};

struct wd {
	const declass_text_opts *opts;
	struct side o, n;
	struct hunk *hunks;
	size_t nhunks, ahunks;
	struct bag obag, nbag;
};

static void side_free(struct side *s)
{
	free(s->d);
	free(s->match);
	free(s->hunk);
	free(s->cls);
	free(s->mark);
}

static void bag_free(struct bag *b)
{
	free(b->head);
	free(b->next);
	free(b->tok);
	free(b->h);
}

static void wd_free(struct wd *w)
{
	side_free(&w->o);
	side_free(&w->n);
	free(w->hunks);
	bag_free(&w->obag);
	bag_free(&w->nbag);
}

static int side_init(struct side *s, const dc_tokens *t)
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
	    !(s->mark = malloc((k + 1) * sizeof(*s->mark))))
		return dc_error_oom();
	for (i = 0; i < t->n; i++)
		if (t->v[i].kind != DC_TOK_BOILER)
			s->d[s->nd++] = i;
	for (i = 0; i < k; i++) {
		s->match[i] = NONE;
		s->hunk[i] = NONE;
		s->cls[i] = CLS_UNSET;
		s->mark[i] = NONE;
	}
	return 0;
}

static const dc_token *dtok(const struct side *s, size_t i)
{
	return &s->t->v[s->d[i]];
}

static const char *dkey(const struct side *s, size_t i)
{
	return dc_token_key(s->t, s->d[i]);
}

/* The token-per-line buffer libgit2 diffs. */
static int lines_of(dc_buf *out, const struct side *s)
{
	size_t i;
	int error;

	for (i = 0; i < s->nd; i++) {
		if ((error = dc_buf_add(out, dkey(s, i), dtok(s, i)->key_len)) < 0 ||
		    (error = dc_buf_addch(out, '\n')) < 0)
			return error;
	}
	return 0;
}

static int on_hunk(void *ctx, size_t os, size_t oc, size_t ns, size_t nc)
{
	struct wd *w = ctx;
	struct hunk *v;

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

static void pair(struct wd *w, size_t i, size_t j, uint8_t cls)
{
	w->o.match[i] = j;
	w->n.match[j] = i;
	w->o.cls[i] = cls;
	w->n.cls[j] = cls;
}

/* 3: same key, 2: near-identical words, 0: no match. */
static uint8_t score(const struct wd *w, size_t i, size_t j)
{
	const dc_token *a = dtok(&w->o, i), *b = dtok(&w->n, j);

	if (a->kind == DC_TOK_MARKER || b->kind == DC_TOK_MARKER)
		return a->kind == b->kind ? 3 : 0;
	if (a->hash == b->hash && a->key_len == b->key_len &&
	    !memcmp(dkey(&w->o, i), dkey(&w->n, j), a->key_len))
		return 3;
	if (dc_keys_near(dkey(&w->o, i), a->key_len, dkey(&w->n, j), b->key_len,
	                 w->opts->tolerance))
		return 2;
	return 0;
}

/*
 * Best monotone pairing of old [oa, oa+on) with new [na, na+nn) by score
 * (an LCS where near-identical words count a little less than equal ones).
 */
static int align_block(struct wd *w, size_t oa, size_t on, size_t na, size_t nn)
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
			if (dtok(&w->o, oa + i - 1)->kind == DC_TOK_MARKER)
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
static int align_hunk(struct wd *w, const struct hunk *h)
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

static uint32_t salted(uint32_t h, uint32_t salt)
{
	h ^= salt * 0x9E3779B9u;
	h ^= h >> 16;
	h *= 0x85EBCA6Bu;
	h ^= h >> 13;
	return h;
}

static void key_ends(const char *k, size_t len, uint32_t *pre, uint32_t *suf)
{
	size_t m = len < 2 ? len : 2;

	*pre = salted(dc_hash(k, m), 1);
	*suf = salted(dc_hash(k + len - m, m), 2);
}

static void bag_put(struct bag *b, uint32_t h, size_t tok)
{
	size_t e = b->n++, slot = h & b->mask;

	b->h[e] = h;
	b->tok[e] = tok;
	b->next[e] = b->head[slot];
	b->head[slot] = e;
}

/* The bag of the unmatched content words of one side. */
static int bag_build(struct bag *b, const struct side *s)
{
	size_t i, count = 0, buckets = 16;
	const dc_token *t;
	uint32_t pre, suf;

	for (i = 0; i < s->nd; i++)
		if (s->match[i] == NONE && (dtok(s, i)->flags & DC_TOK_CONTENT))
			count++;
	while (buckets < count * 3 * 2)
		buckets *= 2;
	if (!(b->head = malloc(buckets * sizeof(*b->head))) ||
	    !(b->next = malloc((count * 3 + 1) * sizeof(*b->next))) ||
	    !(b->tok = malloc((count * 3 + 1) * sizeof(*b->tok))) ||
	    !(b->h = malloc((count * 3 + 1) * sizeof(*b->h))))
		return dc_error_oom();
	b->mask = buckets - 1;
	for (i = 0; i < buckets; i++)
		b->head[i] = NONE;
	for (i = 0; i < s->nd; i++) {
		t = dtok(s, i);
		if (s->match[i] != NONE || !(t->flags & DC_TOK_CONTENT))
			continue;
		key_ends(dkey(s, i), t->key_len, &pre, &suf);
		bag_put(b, t->hash, s->d[i]);
		bag_put(b, pre, s->d[i]);
		bag_put(b, suf, s->d[i]);
	}
	return 0;
}

static int bag_probe(const struct bag *b, const dc_tokens *bt, uint32_t h, const char *key,
                     size_t len, double tol)
{
	size_t e, walked = 0;
	const dc_token *t;

	for (e = b->head[h & b->mask]; e != NONE && walked < BAG_MAX_PROBE;
	     e = b->next[e], walked++) {
		if (b->h[e] != h)
			continue;
		t = &bt->v[b->tok[e]];
		if (dc_keys_near(dc_token_key(bt, b->tok[e]), t->key_len, key, len, tol))
			return 1;
	}
	return 0;
}

/* Is the word (or a near-identical one) among the bag's words? */
static int bag_has(const struct bag *b, const dc_tokens *bt, const char *key, size_t len,
                   uint32_t hash, double tol)
{
	uint32_t pre, suf;

	if (!b->n)
		return 0;
	if (bag_probe(b, bt, hash, key, len, 0))
		return 1;
	key_ends(key, len, &pre, &suf);
	return bag_probe(b, bt, pre, key, len, tol) || bag_probe(b, bt, suf, key, len, tol);
}

enum { ST_NOVEL, ST_FOUND, ST_OTHER, ST_MARKER };

/*
 * The first marker on the other side of hunk h that no segment has taken
 * yet, as a diffable index there; NONE if none.
 */
static size_t free_marker(struct side *other, const struct hunk *h, int other_is_old)
{
	size_t s = other_is_old ? h->os : h->ns;
	size_t c = other_is_old ? h->oc : h->nc, i;

	for (i = s; i < s + c; i++)
		if (other->match[i] == NONE && dtok(other, i)->kind == DC_TOK_MARKER &&
		    other->cls[i] != CLS_CONSUMED)
			return i;
	return NONE;
}

/* Decide the segment [a, b) of side s; st[] holds the token states. */
static void decide_segment(struct wd *w, struct side *s, struct side *other, int s_is_new,
                           const uint8_t *st, size_t a, size_t b)
{
	size_t i, novel = 0, first, last, m = NONE;
	uint8_t changed = s_is_new ? DECLASS_SPAN_RELEASED : DECLASS_SPAN_WITHHELD;
	int released;

	for (i = a; i < b; i++) {
		novel += st[i - a] == ST_NOVEL;
		if (s->cls[i] == CLS_CONSUMED)
			continue; /* a marker already shown with released text */
		s->cls[i] = st[i - a] == ST_MARKER ? DECLASS_SPAN_MARKER : DECLASS_SPAN_NOISE;
	}
	if (!novel)
		return;
	if (s->hunk[a] != NONE)
		m = free_marker(other, &w->hunks[s->hunk[a]], s_is_new);
	released = novel >= w->opts->min_words || (m != NONE && novel >= 1);
	if (!released)
		return;

	/*
	 * Leading and trailing junk ("|", "ee", "4") stays noise; numbers
	 * ("Department 13", "28 September") go with the words they border.
	 */
	for (first = a;
	     first < b && (dtok(s, first)->flags & (DC_TOK_JUNK | DC_TOK_NUMBER)) == DC_TOK_JUNK &&
	     st[first - a] != ST_NOVEL;
	     first++)
		;
	for (last = b; last > first &&
	               (dtok(s, last - 1)->flags & (DC_TOK_JUNK | DC_TOK_NUMBER)) == DC_TOK_JUNK &&
	               st[last - 1 - a] != ST_NOVEL;
	     last--)
		;
	for (i = first; i < last; i++)
		if (st[i - a] != ST_MARKER && s->cls[i] != CLS_CONSUMED)
			s->cls[i] = changed;
	if (m != NONE && first < last) {
		other->cls[m] = CLS_CONSUMED;
		s->mark[first] = other->d[m];
	}
}

/* A token of a block of moved words: small words move with their text. */
static uint8_t block_class(const struct side *s, size_t i, uint8_t state)
{
	if (state == ST_MARKER)
		return DECLASS_SPAN_MARKER;
	if (state == ST_FOUND || !(dtok(s, i)->flags & DC_TOK_JUNK))
		return DECLASS_SPAN_MOVED;
	return DECLASS_SPAN_NOISE;
}

/*
 * Classify the unmatched runs of side s against the bag of the other
 * side's unmatched words.  s_is_new: s is the newer text.
 */
static int classify_runs(struct wd *w, struct side *s, struct side *other,
                         const struct bag *other_bag, int s_is_new)
{
	uint8_t *st = NULL;
	size_t i, a, b, seg, blk, found, markers, k;
	const dc_token *t;
	int error = 0;

	if (!(st = malloc(s->nd + 1)))
		return dc_error_oom();
	for (i = 0; i < s->nd;) {
		if (s->match[i] != NONE) {
			i++;
			continue;
		}
		for (a = i; i < s->nd && s->match[i] == NONE; i++) {
			t = dtok(s, i);
			if (t->kind == DC_TOK_MARKER)
				st[i - a] = ST_MARKER;
			else if (!(t->flags & DC_TOK_CONTENT))
				st[i - a] = ST_OTHER;
			else if (bag_has(other_bag, other->t, dkey(s, i), t->key_len, t->hash,
			                 w->opts->tolerance))
				st[i - a] = ST_FOUND;
			else
				st[i - a] = ST_NOVEL;
		}
		b = i;

		/* Segments end at blocks holding 2+ found words or a marker. */
		for (seg = a, k = a; k < b;) {
			if (st[k - a] == ST_NOVEL) {
				k++;
				continue;
			}
			found = markers = 0;
			for (blk = k; k < b && st[k - a] != ST_NOVEL; k++) {
				found += st[k - a] == ST_FOUND;
				markers += st[k - a] == ST_MARKER;
			}
			if (found >= 2 || markers) {
				decide_segment(w, s, other, s_is_new, st + (seg - a), seg, blk);
				for (; blk < k; blk++)
					if (s->cls[blk] != CLS_CONSUMED)
						s->cls[blk] = block_class(s, blk, st[blk - a]);
				seg = k;
			}
		}
		if (seg < b)
			decide_segment(w, s, other, s_is_new, st + (seg - a), seg, b);
	}
	free(st);
	return error;
}

/* Diff and classify; fills w. */
static int wd_run(struct wd *w, const dc_tokens *oldt, const dc_tokens *newt)
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
			     dtok(&w->o, i)->kind == DC_TOK_MARKER ? DECLASS_SPAN_MARKER
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

	if ((error = bag_build(&w->obag, &w->o)) < 0 || (error = bag_build(&w->nbag, &w->n)) < 0 ||
	    (error = classify_runs(w, &w->n, &w->o, &w->obag, 1)) < 0 ||
	    (error = classify_runs(w, &w->o, &w->n, &w->nbag, 0)) < 0)
		goto done;
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
}

int dc_wdiff_new_classes(uint8_t **out, const dc_tokens *oldt, const dc_tokens *newt,
                         const declass_text_opts *opts)
{
	struct wd w;
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

static int emit(struct builder *bd, uint8_t cls, const dc_token *ot, const dc_token *nt,
                const dc_token *marker)
{
	declass_wdiff *d = bd->d;
	declass_span *sp, *v;

	if (cls >= DECLASS_SPAN__COUNT)
		return 0; /* a consumed marker: shown with its released span */
	sp = bd->open ? &d->spans[d->nspans - 1] : NULL;
	if (!sp || sp->cls != (declass_span_class)cls || (marker && sp->has_marker)) {
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
		d->totals[cls].spans++;
		bd->open = 1;
	}
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
	if (marker) {
		sp->has_marker = 1;
		sp->marker_start = marker->start;
		sp->marker_end = marker->end;
	}
	return 0;
}

/* Emit the boilerplate tokens of one side up to (not including) full index `to`. */
static int flush_boiler(struct builder *bd, const dc_tokens *t, size_t *next, size_t to, int is_new)
{
	int error;

	for (; *next < to; (*next)++) {
		if (t->v[*next].kind != DC_TOK_BOILER)
			continue;
		if ((error = emit(bd, DECLASS_SPAN_BOILERPLATE, is_new ? NULL : &t->v[*next],
		                  is_new ? &t->v[*next] : NULL, NULL)) < 0)
			return error;
	}
	return 0;
}

static int build_spans(declass_wdiff *d, const struct wd *w)
{
	const struct side *o = &w->o, *n = &w->n;
	struct builder bd = { d, 0, 0, 0, 0 };
	size_t i = 0, j = 0, onext = 0, nnext = 0;
	const dc_token *marker;
	int error;

	while (i < o->nd || j < n->nd) {
		if (i < o->nd && j < n->nd && o->match[i] == j) {
			if ((error = flush_boiler(&bd, o->t, &onext, o->d[i], 0)) < 0 ||
			    (error = flush_boiler(&bd, n->t, &nnext, n->d[j], 1)) < 0 ||
			    (error = emit(&bd, o->cls[i], dtok(o, i), dtok(n, j), NULL)) < 0)
				return error;
			onext = o->d[i++] + 1;
			nnext = n->d[j++] + 1;
		} else if (i < o->nd && o->match[i] == NONE) {
			marker = o->mark[i] != NONE ? &n->t->v[o->mark[i]] : NULL;
			if ((error = flush_boiler(&bd, o->t, &onext, o->d[i], 0)) < 0 ||
			    (error = emit(&bd, o->cls[i], dtok(o, i), NULL, marker)) < 0)
				return error;
			onext = o->d[i++] + 1;
		} else {
			/* Pairing is monotone, so this is an unmatched new token. */
			marker = n->mark[j] != NONE ? &o->t->v[n->mark[j]] : NULL;
			if ((error = flush_boiler(&bd, n->t, &nnext, n->d[j], 1)) < 0 ||
			    (error = emit(&bd, n->cls[j], NULL, dtok(n, j), marker)) < 0)
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
	struct wd w;
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
