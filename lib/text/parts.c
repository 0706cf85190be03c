/*
 * A record's text is its files' texts joined (docs/FORMAT.md), and files
 * come and go between releases: 2022 may hold two copies of a document
 * that 2023 holds once, or a scan split in two.  Where both versions have
 * several files, the parts are paired across them by file name, then by
 * the words they share, and each pair is diffed on its own: a part with no
 * partner that another part holds anyway (a second copy) is moved, not
 * withheld or released; a part that is simply gone is dropout; a new one,
 * uncertain.  Where one side has a single file, the whole texts are
 * diffed: its words then find their place in whichever file holds them.
 *
 * Also here: the record's other versions as evidence (declass_wdiff_refine),
 * and the totals of a diff counted again after either.
 */
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "util/grow.h"
#include "wdiff.h"

/* Two parts are the same document if this share of the smaller's words is in the other. */
#define SAME_DOCUMENT 0.5
/* Unnamed parts pair when they share this much. */
#define PAIR_MIN 0.3

/* Confidence of the words of a file no older version of the record has. */
#define NEW_FILE_CONFIDENCE 0.4f

struct keyset {
	uint64_t *v; /* sorted, distinct */
	size_t n;
};

static int keyset_of(struct keyset *ks, const char *text, size_t len)
{
	dc_tokens t = DC_TOKENS_INIT;
	size_t i, k = 0;
	int error;

	ks->v = NULL;
	ks->n = 0;
	if ((error = dc_tokenize(&t, text, len, NULL, DC_TOKENIZE_FOLD | DC_TOKENIZE_NOMARKERS)) <
	    0)
		return error;
	if (t.n && !(ks->v = malloc(t.n * sizeof(*ks->v)))) {
		dc_tokens_free(&t);
		return dc_error_oom();
	}
	for (i = 0; i < t.n; i++)
		if (t.v[i].flags & DC_TOK_CONTENT)
			ks->v[k++] = dc_key_hash64(dc_token_key(&t, i), t.v[i].key_len);
	if (k) /* ks->v is NULL for a text without tokens */
		qsort(ks->v, k, sizeof(*ks->v), dc_key_hash_cmp);
	for (i = 0, ks->n = 0; i < k; i++)
		if (!ks->n || ks->v[ks->n - 1] != ks->v[i])
			ks->v[ks->n++] = ks->v[i];
	dc_tokens_free(&t);
	return 0;
}

/* Share of the smaller set's words that the other holds. */
static double containment(const struct keyset *a, const struct keyset *b)
{
	size_t i = 0, j = 0, both = 0, small = a->n < b->n ? a->n : b->n;

	if (!small)
		return 0;
	while (i < a->n && j < b->n) {
		if (a->v[i] < b->v[j])
			i++;
		else if (a->v[i] > b->v[j])
			j++;
		else {
			both++;
			i++;
			j++;
		}
	}
	return (double)both / (double)small;
}

/* Do two of the n parts hold the same document (a second copy)? */
static int has_copies(const struct keyset *ks, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (containment(&ks[i], &ks[j]) >= SAME_DOCUMENT)
				return 1;
	return 0;
}

/* A file name without its folder and extension, for pairing. */
static size_t stem(const char *name, const char **out)
{
	const char *s = strrchr(name, '/'), *dot;

	s = s ? s + 1 : name;
	dot = strrchr(s, '.');
	*out = s;
	return dot ? (size_t)(dot - s) : strlen(s);
}

static int same_name(const declass_text_part *a, const declass_text_part *b)
{
	const char *x, *y;
	size_t nx, ny;

	if (!a->name || !b->name)
		return 0;
	nx = stem(a->name, &x);
	ny = stem(b->name, &y);
	return nx == ny && !strncasecmp(x, y, nx);
}

/* Append d's spans, offsets shifted, to out (its totals follow). */
static int append(declass_wdiff *out, size_t *alloc, const declass_wdiff *d, size_t oshift,
                  size_t nshift)
{
	size_t i;
	int c, error;

	if ((error = dc_grow(&out->spans, alloc, out->nspans + d->nspans, sizeof(*out->spans))) < 0)
		return error;
	for (i = 0; i < d->nspans; i++) {
		declass_span s = d->spans[i];

		s.old_start += oshift;
		s.old_end += oshift;
		s.new_start += nshift;
		s.new_end += nshift;
		if (s.has_marker) {
			size_t shift = s.cls == DECLASS_SPAN_RELEASED ? oshift : nshift;
			s.marker_start += shift;
			s.marker_end += shift;
		}
		out->spans[out->nspans++] = s;
	}
	for (c = 0; c < DECLASS_SPAN__COUNT; c++) {
		out->totals[c].spans += d->totals[c].spans;
		out->totals[c].old_words += d->totals[c].old_words;
		out->totals[c].new_words += d->totals[c].new_words;
	}
	return 0;
}

void dc_wdiff_recount(declass_wdiff *d)
{
	size_t i;

	memset(d->totals, 0, sizeof(d->totals));
	for (i = 0; i < d->nspans; i++) {
		declass_span_total *t = &d->totals[d->spans[i].cls];

		t->spans++;
		t->old_words += d->spans[i].old_words;
		t->new_words += d->spans[i].new_words;
	}
}

/* Class every span of d that is not boilerplate as cls. */
static void reclass(declass_wdiff *d, declass_span_class cls, declass_evidence ev, float conf)
{
	size_t i;

	for (i = 0; i < d->nspans; i++) {
		if (d->spans[i].cls == DECLASS_SPAN_BOILERPLATE)
			continue;
		d->spans[i].cls = cls;
		d->spans[i].evidence = ev;
		d->spans[i].confidence = conf;
		d->spans[i].has_marker = 0;
	}
	dc_wdiff_recount(d);
}

/* The most of part ks's words that any of the n other parts holds. */
static double best_containment(const struct keyset *ks, const struct keyset *others, size_t n)
{
	double best = 0, c;
	size_t k;

	for (k = 0; k < n; k++)
		if ((c = containment(ks, &others[k])) > best)
			best = c;
	return best;
}

/*
 * Old part i, which no new part pairs with: a copy of what the newer text
 * holds, or of an earlier old part, is moved; else dropout.
 */
static int emit_old(declass_wdiff *res, size_t *alloc, const char *old_text,
                    const declass_text_part *op, size_t i, const struct keyset *oks,
                    const struct keyset *nks, size_t nn, size_t at, const declass_text_opts *opts)
{
	declass_wdiff *d = NULL;
	int error;

	if ((error = declass_diff_words(&d, old_text + op[i].start, op[i].end - op[i].start, "", 0,
	                                opts)) < 0)
		return error;
	if (best_containment(&oks[i], nks, nn) >= SAME_DOCUMENT ||
	    best_containment(&oks[i], oks, i) >= SAME_DOCUMENT)
		reclass(d, DECLASS_SPAN_MOVED, DECLASS_EVIDENCE_NONE, 0);
	error = append(res, alloc, d, op[i].start, at);
	declass_wdiff_free(d);
	return error;
}

/*
 * New part j: diffed with its partner; without one, a copy of an old part
 * or of another new one is moved, else uncertain.
 */
static int emit_new(declass_wdiff *res, size_t *alloc, const char *old_text,
                    const declass_text_part *op, size_t on, const struct keyset *oks,
                    const char *new_text, const declass_text_part *np, const struct keyset *nks,
                    size_t nn, const size_t *npair, size_t j, const declass_text_opts *opts)
{
	declass_wdiff *d = NULL;
	size_t i = npair[j];
	int error;

	if (i != DC_NONE) {
		if ((error = declass_diff_words(&d, old_text + op[i].start, op[i].end - op[i].start,
		                                new_text + np[j].start, np[j].end - np[j].start,
		                                opts)) < 0)
			return error;
		error = append(res, alloc, d, op[i].start, np[j].start);
	} else {
		if ((error = declass_diff_words(&d, "", 0, new_text + np[j].start,
		                                np[j].end - np[j].start, opts)) < 0)
			return error;
		if (best_containment(&nks[j], oks, on) >= SAME_DOCUMENT ||
		    best_containment(&nks[j], nks, j) >= SAME_DOCUMENT ||
		    best_containment(&nks[j], nks + j + 1, nn - j - 1) >= SAME_DOCUMENT)
			reclass(d, DECLASS_SPAN_MOVED, DECLASS_EVIDENCE_NONE, 0);
		else
			reclass(d, DECLASS_SPAN_UNCERTAIN, DECLASS_EVIDENCE_NEW_TEXT,
			        NEW_FILE_CONFIDENCE);
		error = append(res, alloc, d, 0, np[j].start);
	}
	declass_wdiff_free(d);
	return error;
}

int declass_diff_parts(declass_wdiff **out, const char *old_text, const declass_text_part *op,
                       size_t on, const char *new_text, const declass_text_part *np, size_t nn,
                       const declass_text_opts *opts)
{
	struct keyset *oks = NULL, *nks = NULL;
	size_t *opair = NULL, *npair = NULL, i, j, alloc = 0;
	int paired;
	declass_wdiff *res = NULL, *d = NULL;
	int error = 0;

	*out = NULL;
	if (!(res = calloc(1, sizeof(*res))) || !(oks = calloc(on + 1, sizeof(*oks))) ||
	    !(nks = calloc(nn + 1, sizeof(*nks))) || !(opair = malloc((on + 1) * sizeof(*opair))) ||
	    !(npair = malloc((nn + 1) * sizeof(*npair)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < on; i++)
		opair[i] = DC_NONE;
	for (j = 0; j < nn; j++)
		npair[j] = DC_NONE;
	for (i = 0; (on > 1 || nn > 1) && i < on; i++)
		if ((error = keyset_of(&oks[i], old_text + op[i].start, op[i].end - op[i].start)) <
		    0)
			goto done;
	for (j = 0; (on > 1 || nn > 1) && j < nn; j++)
		if ((error = keyset_of(&nks[j], new_text + np[j].start, np[j].end - np[j].start)) <
		    0)
			goto done;
	/*
	 * Files are paired where both sides have several, or where one side
	 * holds copies of one document: the others are then moved.  Else (a
	 * scan split into files) the whole texts are one document.
	 */
	paired = on && nn && ((on > 1 && nn > 1) || has_copies(oks, on) || has_copies(nks, nn));
	if (!paired) {
		/*
		 * One file on a side: the plain diff of the whole texts.  A scan
		 * split into two files is one document, and a second copy that
		 * a later release dropped has no counterpart: dropout, never
		 * withheld.
		 */
		size_t a = on ? op[0].start : 0, al = on ? op[on - 1].end - a : 0;
		size_t b = nn ? np[0].start : 0, bl = nn ? np[nn - 1].end - b : 0;

		if ((error = declass_diff_words(&d, old_text + a, al, new_text + b, bl, opts)) < 0)
			goto done;
		for (i = 0; i < d->nspans; i++) {
			declass_span *sp = &d->spans[i];

			sp->old_start += a;
			sp->old_end += a;
			sp->new_start += b;
			sp->new_end += b;
			if (sp->has_marker) {
				size_t shift = sp->cls == DECLASS_SPAN_RELEASED ? a : b;
				sp->marker_start += shift;
				sp->marker_end += shift;
			}
		}
		*out = d;
		d = NULL;
		goto done;
	}

	/* Same file name first, then the most words in common, greedily. */
	for (j = 0; j < nn; j++)
		for (i = 0; i < on; i++)
			if (opair[i] == DC_NONE && npair[j] == DC_NONE &&
			    same_name(&op[i], &np[j])) {
				opair[i] = j;
				npair[j] = i;
			}
	for (;;) {
		double best = PAIR_MIN, c;
		size_t bi = DC_NONE, bj = DC_NONE;

		for (i = 0; i < on; i++)
			for (j = 0; opair[i] == DC_NONE && j < nn; j++)
				if (npair[j] == DC_NONE &&
				    (c = containment(&oks[i], &nks[j])) >= best) {
					best = c;
					bi = i;
					bj = j;
				}
		if (bi == DC_NONE)
			break;
		opair[bi] = bj;
		npair[bj] = bi;
	}

	/*
	 * In the newer text's order; an old part with no partner goes after
	 * the new part paired with the old part before it (first if none).
	 */
	for (j = 0; j <= nn; j++) {
		if (j > 0 && (error = emit_new(res, &alloc, old_text, op, on, oks, new_text, np,
		                               nks, nn, npair, j - 1, opts)) < 0)
			goto done;
		for (i = 0; i < on; i++) {
			size_t k = i, after = DC_NONE;

			if (opair[i] != DC_NONE)
				continue;
			while (k-- > 0)
				if (opair[k] != DC_NONE) {
					after = opair[k];
					break;
				}
			if (j == 0 ? after != DC_NONE : after != j - 1)
				continue;
			if ((error = emit_old(res, &alloc, old_text, op, i, oks, nks, nn,
			                      j == 0 ? (nn ? np[0].start : 0) : np[j - 1].end,
			                      opts)) < 0)
				goto done;
		}
	}
	*out = res;
	res = NULL;
done:
	declass_wdiff_free(d);
	declass_wdiff_free(res);
	for (i = 0; oks && i < on; i++)
		free(oks[i].v);
	for (j = 0; nks && j < nn; j++)
		free(nks[j].v);
	free(oks);
	free(nks);
	free(opair);
	free(npair);
	return error;
}

/* One side of a diff's spans, sorted by where they start there. */
struct side_index {
	struct piece {
		size_t start, end, words;
		int present; /* same, moved, marker, boilerplate */
	} * v;
	size_t n;
};

static int cmp_piece(const void *pa, const void *pb)
{
	const struct piece *a = pa, *b = pb;

	return a->start < b->start ? -1 : a->start > b->start;
}

/*
 * Present in both texts, as they are or elsewhere: same, moved, marker,
 * boilerplate; not noise, which may be a misreading of another word, or junk.
 */
static int present(declass_span_class c)
{
	return c == DECLASS_SPAN_SAME || c == DECLASS_SPAN_MOVED || c == DECLASS_SPAN_MARKER ||
	       c == DECLASS_SPAN_BOILERPLATE;
}

static int index_side(struct side_index *x, const declass_wdiff *d, int new_side)
{
	size_t i;

	x->n = 0;
	if (!(x->v = malloc((d->nspans + 1) * sizeof(*x->v))))
		return dc_error_oom();
	for (i = 0; i < d->nspans; i++) {
		const declass_span *s = &d->spans[i];
		struct piece *p = &x->v[x->n];

		p->start = new_side ? s->new_start : s->old_start;
		p->end = new_side ? s->new_end : s->old_end;
		p->words = new_side ? s->new_words : s->old_words;
		p->present = present(s->cls);
		if (p->words && p->end > p->start)
			x->n++;
	}
	qsort(x->v, x->n, sizeof(*x->v), cmp_piece);
	return 0;
}

/*
 * Share of the words in bytes [start, end) of the indexed side that are
 * present in both texts, prorated for spans that straddle the range.
 * Spans of one side do not overlap, so those overlapping the range follow
 * the last one starting before it.
 */
static double present_share(const struct side_index *x, size_t start, size_t end)
{
	double yes = 0, all = 0;
	size_t lo = 0, hi = x->n, mid, i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (x->v[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo ? lo - 1 : 0; i < x->n && x->v[i].start < end; i++) {
		const struct piece *p = &x->v[i];
		size_t a = p->start > start ? p->start : start, b = p->end < end ? p->end : end;
		double w;

		if (b <= a)
			continue;
		w = (double)p->words * (double)(b - a) / (double)(p->end - p->start);
		all += w;
		if (p->present)
			yes += w;
	}
	return all > 0 ? yes / all : 0;
}

int declass_wdiff_refine(declass_wdiff *d, const declass_wdiff *other, int other_is_older)
{
	struct side_index x;
	size_t i;
	int changed = 0, error;

	if ((error = index_side(&x, other, other_is_older)) < 0)
		return error;
	for (i = 0; i < d->nspans; i++) {
		declass_span *s = &d->spans[i];
		int news = other_is_older
		                   ? s->cls == DECLASS_SPAN_RELEASED ||
		                             (s->cls == DECLASS_SPAN_UNCERTAIN && s->new_words)
		                   : s->cls == DECLASS_SPAN_WITHHELD ||
		                             (s->cls == DECLASS_SPAN_UNCERTAIN && s->old_words);

		/* A marker at the place says the words were hidden there: a
		 * re-redaction lifted again, or a withholding, not dropout. */
		if (!news || s->has_marker || s->evidence == DECLASS_EVIDENCE_MARKER ||
		    present_share(&x, other_is_older ? s->new_start : s->old_start,
		                  other_is_older ? s->new_end : s->old_end) < 0.5)
			continue;
		s->cls = DECLASS_SPAN_DROPOUT;
		s->evidence = DECLASS_EVIDENCE_VERSION;
		s->has_marker = 0;
		changed = 1;
	}
	free(x.v);
	if (changed)
		dc_wdiff_recount(d);
	return 0;
}
