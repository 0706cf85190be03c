/*
 * The evidence pass of the word diff: what the words that the alignment
 * left unmatched are.  A difference between two OCR texts is not evidence
 * of a release: two engines read the same page differently.  What is, is
 * what the other text shows at the same place (docs/DIFF.md, "Evidence"):
 *
 *  - a redaction marker (MARKER);
 *  - nothing, inside a line whose words around match (GAP): "Acting Chief
 *    of Station, : 6 March" / "Acting Chief of Station, Stockholm 6 March";
 *  - unreadable junk such as a redaction box reads as, "||||", "ee" (JUNK);
 *  - nothing, at the start or end of such a line (EDGE: weaker, lines are
 *    cut off by scans and margins are read into them);
 *  - nothing, for whole lines between lines that match (BLOCK: weak, one
 *    OCR run often drops faint lines, letterheads and cover sheets);
 *  - other legible words: the same text read differently, or different
 *    text; no evidence either way (noise).
 *
 * Words the other side has at that place in another reading (a local
 * alignment of characters finds them) are re-read, not new.  Words
 * found unmatched elsewhere in the other text are moved.  What is left
 * must be real words (the lexicon, or the shape of a word) to count, and
 * gets a confidence from its evidence and its words; below the caller's
 * threshold it is uncertain.  Text that only the older side has and that
 * sits where the newer shows nothing but line breaks is OCR dropout, never
 * withheld: re-redaction is rare, lost lines are common.
 */
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "wdiff.h"

/* Longest chain a fuzzy bag lookup walks: keeps worst cases linear. */
#define BAG_MAX_PROBE 64

/* Tokens either side of a slot whose reading tells how clean the place is. */
#define LOCAL_WINDOW 30

/*
 * Records whose texts must hold a line for it to be page furniture: more
 * than the few copies of one document that NARA files under several
 * record numbers.
 */
#define FURNITURE_RECORDS 10

/* Tokens a line of running text holds on average, at least. */
#define PROSE_WORDS 5

/*
 * recurring(): the lines a word must be uncertain on, and the share of the
 * newer text's words the older must pair (a reading of the whole page).
 */
#define RECUR_LINES   3
#define RECUR_COVERED 0.25f

/* Bytes of the other side's text the re-read check looks at. */
#define REREAD_WINDOW 1024

/* A multiset of keys with fuzzy lookup: exact, and same 2-byte prefix or
 * suffix within the tolerance, which catches almost every OCR misreading. */
struct bag {
	size_t *head; /* per bucket: first entry, DC_NONE if empty */
	size_t *next; /* per entry */
	size_t *tok;  /* per entry: full token index */
	uint32_t *h;  /* per entry: salted hash */
	size_t n, mask;
};

static void bag_free(struct bag *b)
{
	free(b->head);
	free(b->next);
	free(b->tok);
	free(b->h);
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
static int bag_build(struct bag *b, const struct dc_side *s)
{
	size_t i, count = 0, buckets = 16;
	const dc_token *t;
	uint32_t pre, suf;

	for (i = 0; i < s->nd; i++)
		if (s->match[i] == DC_NONE && (dc_dtok(s, i)->flags & DC_TOK_CONTENT))
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
		b->head[i] = DC_NONE;
	for (i = 0; i < s->nd; i++) {
		t = dc_dtok(s, i);
		if (s->match[i] != DC_NONE || !(t->flags & DC_TOK_CONTENT))
			continue;
		key_ends(dc_dkey(s, i), t->key_len, &pre, &suf);
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

	for (e = b->head[h & b->mask]; e != DC_NONE && walked < BAG_MAX_PROBE;
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

/* What a raw token looks like, from its bytes in the original text. */
struct shape {
	unsigned letters, vowels, digits, distinct;
	unsigned ascii;          /* ASCII letters among the letters */
	unsigned max_consonants; /* longest run of ASCII consonants */
	unsigned max_repeat;     /* longest run of one letter */
};

static struct shape shape_of(const dc_tokens *t, const dc_token *k)
{
	const unsigned char *p = (const unsigned char *)t->text + k->start;
	const unsigned char *e = (const unsigned char *)t->text + k->end;
	struct shape s = { 0, 0, 0, 0, 0, 0, 0 };
	unsigned seen[26] = { 0 }, cons = 0, rep = 0;
	int last = -1, c;

	for (; p < e; p++) {
		if (*p >= 0x80) {
			/* Letters of other scripts and accented ones: a letter, a vowel. */
			if ((*p & 0xC0) != 0x80) {
				s.letters++;
				s.vowels++;
				s.distinct = s.distinct < 26 ? s.distinct + 1 : 26;
			}
			cons = 0;
			last = -1;
			continue;
		}
		c = *p | 0x20;
		if (*p >= '0' && *p <= '9') {
			s.digits++;
			cons = 0;
			last = -1;
			continue;
		}
		if (c < 'a' || c > 'z')
			continue; /* apostrophes, dots, hyphens inside a token */
		s.letters++;
		s.ascii++;
		if (!seen[c - 'a']++)
			s.distinct++;
		if (strchr("aeiouy", c)) {
			s.vowels++;
			cons = 0;
		} else if (++cons > s.max_consonants) {
			s.max_consonants = cons;
		}
		rep = c == last ? rep + 1 : 1;
		if (rep > s.max_repeat)
			s.max_repeat = rep;
		last = c;
	}
	return s;
}

/* Text someone could have read: three letters, a vowel, two different letters. */
static int legible(const dc_tokens *t, const dc_token *k)
{
	struct shape s = shape_of(t, k);

	return s.letters >= 3 && s.vowels && s.distinct >= 2;
}

/*
 * How much a token looks like a real word, 0 to 1: a word of the lexicon
 * 1, a number 0.7, a word-shaped unknown 0.6 (1 without a lexicon to
 * ask), an unknown word in another script 0.3, junk 0.
 */
static float wordness(const struct dc_wd *w, const struct dc_side *s, size_t i)
{
	const dc_token *k = dc_dtok(s, i);
	struct shape sh;

	if (k->flags & DC_TOK_NUMBER)
		return 0.7f;
	sh = shape_of(s->t, k);
	/*
	 * An English collection: a word in another script is more often OCR
	 * junk (Apple Vision reads smudges as Cyrillic), however often it
	 * recurs, than a name written in it.
	 */
	if (w->opts->lexicon && sh.ascii < sh.letters)
		return sh.letters >= 3 ? 0.3f : 0.0f;
	if (w->opts->lexicon && dc_lexicon_known(w->opts->lexicon, dc_dkey(s, i), k->key_len))
		return 1.0f;
	if (sh.letters < 3 || !sh.vowels || sh.distinct < 2 || sh.digits || sh.max_consonants > 4 ||
	    sh.max_repeat > 2 || sh.vowels * 6 < sh.letters)
		return 0.0f;
	return w->opts->lexicon ? 0.6f : 1.0f;
}

/*
 * Best local alignment of a[0..alen) inside b[0..blen) (match +2,
 * mismatch and gaps -1), over 2 * alen: 1 when a occurs in b as it is,
 * about 0.5 when half its letters do, in order.  row holds blen + 1.
 */
static double local_sim(const char *a, size_t alen, const char *b, size_t blen, int *row)
{
	size_t i, j;
	int best = 0, diag, up, v;

	if (!alen || !blen)
		return 0;
	for (j = 0; j <= blen; j++)
		row[j] = 0;
	for (i = 1; i <= alen; i++) {
		diag = 0;
		for (j = 1; j <= blen; j++) {
			up = row[j];
			v = diag + (a[i - 1] == b[j - 1] ? 2 : -1);
			if (up - 1 > v)
				v = up - 1;
			if (row[j - 1] - 1 > v)
				v = row[j - 1] - 1;
			if (v < 0)
				v = 0;
			row[j] = v;
			if (v > best)
				best = v;
			diag = up;
		}
	}
	return (double)best / (double)(2 * alen);
}

/* The line a token ends on: a word hyphenated across lines ends on the next. */
static uint32_t end_line(const struct dc_side *s, size_t i)
{
	const dc_token *k = dc_dtok(s, i);
	const char *p = s->t->text + k->start, *e = s->t->text + k->end;
	uint32_t line = k->line;

	while ((p = memchr(p, '\n', (size_t)(e - p)))) {
		line++;
		p++;
	}
	return line;
}

/* Token states within a run. */
enum { ST_NOVEL, ST_FOUND, ST_OTHER, ST_MARKER, ST_REREAD, ST_JUNK, ST_FURNITURE };

struct pass {
	struct dc_wd *w;
	struct dc_side *s, *t; /* classing the runs of s, against t */
	int s_is_new;
	struct bag tbag;    /* t's unmatched content words */
	size_t *prev_m;     /* per s token: nearest matched s token at or before it */
	size_t *next_m;     /* ... at or after it */
	uint8_t *line_m;    /* per s line: holds a matched token */
	uint8_t *st;        /* per s token: state, while its run is classed */
	float *wn;          /* per s token: wordness */
	int *row;           /* local_sim's row */
	float clean;        /* how well the two texts agree: 0 to 1 */
	float whole;        /* the same, counting what t lost (cleanliness()) */
	uint32_t furn_line; /* furniture(): the last line asked about, plus one */
	int furn;           /* and its answer */
	uint8_t *t_junky;   /* per line of t: mostly junk ("Pie oe eo"), so that
			   * its word-like tokens read no text either */
	dc_buf near;        /* keys of the other side near a run */
};

/* What the other side holds in [lo, hi) on the lines of its anchors. */
struct slot {
	size_t lo, hi;   /* t tokens */
	size_t marker;   /* first marker not yet claimed, DC_NONE */
	size_t legible;  /* legible words */
	size_t boxy;     /* junk a redaction box reads as */
	uint32_t l1, l2; /* the anchor lines, or UINT32_MAX */
	uint32_t x1, x2; /* whole lines: the anchors' lines, which belong to
			    * the parts of the run on those lines, or UINT32_MAX */
};

static int on_anchor_line(const struct slot *o, const dc_token *k)
{
	if (o->l1 == UINT32_MAX && o->l2 == UINT32_MAX)
		return k->line != o->x1 && k->line != o->x2;
	return k->line == o->l1 || k->line == o->l2;
}

static void slot_scan(struct pass *p, struct slot *o)
{
	const struct dc_side *t = p->t;
	const dc_token *k;
	size_t i;

	o->marker = DC_NONE;
	o->legible = o->boxy = 0;
	for (i = o->lo; i < o->hi; i++) {
		k = dc_dtok(t, i);
		if (!on_anchor_line(o, k))
			continue;
		if (k->kind == DC_TOK_MARKER) {
			if (o->marker == DC_NONE && t->cls[i] != DC_CLS_CONSUMED)
				o->marker = i;
		} else if (legible(t->t, k) && !p->t_junky[k->line]) {
			o->legible++;
		} else {
			o->boxy++;
		}
	}
}

/* The keys of the slot's tokens, space-separated, at most REREAD_WINDOW bytes. */
static int slot_text(struct pass *p, const struct slot *o)
{
	const struct dc_side *t = p->t;
	size_t i;
	int error;

	dc_buf_truncate(&p->near, 0);
	for (i = o->lo; i < o->hi && p->near.len < REREAD_WINDOW; i++) {
		size_t n = dc_dtok(t, i)->key_len;

		if (!on_anchor_line(o, dc_dtok(t, i)))
			continue;
		if (n > REREAD_WINDOW - p->near.len)
			n = REREAD_WINDOW - p->near.len;
		if ((error = dc_buf_add(&p->near, dc_dkey(t, i), n)) < 0 ||
		    (error = dc_buf_addch(&p->near, ' ')) < 0)
			return error;
	}
	return 0;
}

/*
 * The base confidence of an evidence, for a release (new side) or a
 * withholding, given how well the two texts agree where they overlap
 * (`clean`, 0 to 1): a word missing from a line is strong evidence between
 * two clean readings of a page, and weak between two noisy ones, which
 * lose words all the time.  Withholding asks for more: re-redaction is
 * rare, OCR dropout is not.
 */
static float base_confidence(declass_evidence ev, int is_new, int block, float clean)
{
	switch (ev) {
	case DECLASS_EVIDENCE_MARKER:
		return block ? 0.9f : 0.95f;
	case DECLASS_EVIDENCE_GAP:
		return is_new ? 0.42f + 0.53f * clean : 0.3f + 0.35f * clean;
	case DECLASS_EVIDENCE_JUNK:
		if (block)
			return is_new ? 0.15f + 0.45f * clean : 0.15f + 0.2f * clean;
		return is_new ? 0.2f + 0.45f * clean : 0.25f + 0.25f * clean;
	case DECLASS_EVIDENCE_EDGE:
		return is_new ? 0.4f + 0.3f * clean : 0.15f + 0.2f * clean;
	case DECLASS_EVIDENCE_BLOCK:
		return 0.15f + 0.55f * clean;
	case DECLASS_EVIDENCE_NEW_TEXT:
		return 1.0f;
	default:
		return 0.0f;
	}
}

/*
 * Is the junk in the slot the first letters of the run's first word: a
 * word half read ("the i of familiarizing" for "the idea of"), not a
 * redaction box?
 */
static int fragment(struct pass *p, const struct slot *o, size_t a, size_t b)
{
	const struct dc_side *t = p->t;
	const char *key;
	size_t i, j, len;

	for (j = a; j < b && p->st[j] != ST_NOVEL; j++)
		;
	if (j == b)
		return 0;
	key = dc_dkey(p->s, j);
	len = dc_dtok(p->s, j)->key_len;
	for (i = o->lo; i < o->hi; i++) {
		const dc_token *k = dc_dtok(t, i);

		if (on_anchor_line(o, k) && k->kind == DC_TOK_WORD && k->key_len < len &&
		    !memcmp(dc_dkey(t, i), key, k->key_len))
			return 1;
	}
	return 0;
}

/*
 * Is token i's line page furniture: a line that the texts of several
 * other records hold word for word (a form label, a letterhead, "SIGNAL
 * CENTER USE ONLY")?  What many records show was public, whatever one
 * OCR run of this one missed.  Lines holding a marker or boilerplate are
 * not looked up (the vocabulary counts their words, not the patterns').
 */
static int furniture(struct pass *p, size_t i)
{
	const dc_tokens *t = p->s->t;
	size_t k = p->s->d[i], lo, hi, bytes;
	uint32_t line = t->v[k].line;

	if (!p->w->opts->lexicon)
		return 0;
	/* The words of a line are asked about one after the other. */
	if (p->furn_line == line + 1)
		return p->furn;
	p->furn_line = line + 1;
	p->furn = 0;
	for (lo = k; lo > 0 && t->v[lo - 1].line == line; lo--)
		;
	for (hi = k + 1; hi < t->n && t->v[hi].line == line; hi++)
		;
	/* One word alone on a line ("Thai", "Washington:") is no form label. */
	if (hi - lo < 2)
		return 0;
	for (k = lo; k < hi; k++)
		if (t->v[k].kind != DC_TOK_WORD)
			return 0;
	p->furn = dc_lexicon_line_df(p->w->opts->lexicon, dc_line_hash(t, lo, hi, &bytes)) >=
	                  FURNITURE_RECORDS &&
	          bytes >= 6;
	return p->furn;
}

/*
 * How cleanly the other side reads around the slot: its words in a window
 * of LOCAL_WINDOW tokens on either side that are paired exactly.  A form
 * that one engine garbled is no place to trust a gap in.
 */
static float local_clean(const struct pass *p, const struct slot *o)
{
	const struct dc_side *t = p->t;
	size_t lo = o->lo > LOCAL_WINDOW ? o->lo - LOCAL_WINDOW : 0;
	size_t hi = o->hi + LOCAL_WINDOW < t->nd ? o->hi + LOCAL_WINDOW : t->nd, i, same = 0,
	       all = 0;
	float r;

	for (i = lo; i < hi; i++) {
		if (dc_dtok(t, i)->kind != DC_TOK_WORD || (i >= o->lo && i < o->hi))
			continue;
		all++;
		same += t->match[i] != DC_NONE && t->cls[i] == DECLASS_SPAN_SAME;
	}
	if (!all)
		return p->clean;
	r = ((float)same / (float)all - 0.4f) / 0.5f;
	return r < 0 ? 0 : r > 1 ? 1 : r;
}

/*
 * Is s[a, b) running text: lines of PROSE_WORDS tokens or more on
 * average, not a column of short lines (a distribution list, a form)?
 */
static int prose(const struct dc_side *s, size_t a, size_t b)
{
	size_t i, lines = 0;
	uint32_t line = UINT32_MAX;

	for (i = a; i < b; i++)
		if (dc_dtok(s, i)->line != line) {
			line = dc_dtok(s, i)->line;
			lines++;
		}
	return lines && b - a >= lines * PROSE_WORDS;
}

/*
 * Class the run s[a, b): whole lines if `block`, else part of one line.
 * The other side's tokens at its place are those between the partners of
 * the matched tokens around it.
 */
static int class_run(struct pass *p, size_t a, size_t b, size_t pm, size_t nm, int in_left,
                     int in_right)
{
	struct dc_side *s = p->s, *t = p->t;
	const declass_text_opts *opts = p->w->opts;
	size_t novel = 0, found = 0, reread = 0, first, last, i, junk = 0, candidates = 0;
	float quality, wordy, clean;
	int block = !in_left && !in_right, strong, keep;
	declass_evidence ev;
	struct slot o;
	float conf, sum = 0;
	uint8_t changed;
	int error;

	o.lo = pm == DC_NONE ? 0 : s->match[pm] + 1;
	o.hi = nm == DC_NONE ? t->nd : s->match[nm];
	o.l1 = in_left ? end_line(t, s->match[pm]) : UINT32_MAX;
	o.l2 = in_right ? dc_dtok(t, s->match[nm])->line : UINT32_MAX;
	if (in_left && !in_right)
		o.l2 = o.l1;
	if (in_right && !in_left)
		o.l1 = o.l2;
	o.x1 = block && pm != DC_NONE ? end_line(t, s->match[pm]) : UINT32_MAX;
	o.x2 = block && nm != DC_NONE ? dc_dtok(t, s->match[nm])->line : UINT32_MAX;
	slot_scan(p, &o);

	/* States: markers, moved words, re-read words, junk, novel words. */
	if ((error = slot_text(p, &o)) < 0)
		return error;
	for (i = a; i < b; i++) {
		const dc_token *k = dc_dtok(s, i);

		p->wn[i] = 0;
		if (k->kind == DC_TOK_MARKER) {
			p->st[i] = ST_MARKER;
			continue;
		}
		if (k->key_len >= 3 && k->key_len <= 64 && p->near.len &&
		    local_sim(dc_dkey(s, i), k->key_len, p->near.ptr, p->near.len, p->row) >= 0.5) {
			p->st[i] = ST_REREAD;
			reread++;
			continue;
		}
		p->wn[i] = wordness(p->w, s, i);
		if (!(k->flags & DC_TOK_CONTENT))
			p->st[i] = ST_OTHER;
		else if (p->wn[i] <= 0)
			p->st[i] = ST_JUNK;
		else
			p->st[i] = ST_NOVEL;
	}

	/* The evidence at this place. */
	for (i = a; i < b; i++)
		candidates += p->st[i] == ST_NOVEL;
	if (!t->nd)
		ev = DECLASS_EVIDENCE_NEW_TEXT;
	else if (o.marker != DC_NONE)
		ev = DECLASS_EVIDENCE_MARKER;
	else if (o.legible > reread && (o.legible - reread) * 10 >= candidates * 3)
		ev = DECLASS_EVIDENCE_NONE; /* other words were there, about as many */
	else if (o.boxy && !fragment(p, &o, a, b))
		ev = DECLASS_EVIDENCE_JUNK;
	else if (o.boxy)
		ev = DECLASS_EVIDENCE_NONE; /* a word half read */
	else if (block)
		ev = DECLASS_EVIDENCE_BLOCK;
	else if (in_left && in_right)
		ev = DECLASS_EVIDENCE_GAP;
	else if (in_left || in_right)
		ev = DECLASS_EVIDENCE_EDGE;
	else
		ev = DECLASS_EVIDENCE_BLOCK;

	/*
	 * A word found unmatched elsewhere on the other side was moved, unless
	 * the place itself says it was hidden there: one word does not move
	 * out of a line whose other words stay.  Nor is a passage moved when
	 * most of its words are found nowhere: the few that are ("CIA",
	 * "Station") are words it shares with the rest of the record, and go
	 * with it.  (Looked up only where there is evidence: a run with none
	 * is noise or moved alike.)
	 */
	for (i = a; i < b && ev != DECLASS_EVIDENCE_NONE; i++) {
		const dc_token *k = dc_dtok(s, i);

		if (p->st[i] == ST_NOVEL &&
		    bag_has(&p->tbag, t->t, dc_dkey(s, i), k->key_len, k->hash, opts->tolerance)) {
			p->st[i] = ST_FOUND;
			found++;
		}
	}
	strong = !block && (ev == DECLASS_EVIDENCE_MARKER || ev == DECLASS_EVIDENCE_GAP ||
	                    ev == DECLASS_EVIDENCE_JUNK);
	keep = (strong && found < 2) || (candidates >= 4 && found * 3 <= candidates);
	for (i = a; i < b; i++) {
		if (p->st[i] == ST_FOUND && keep)
			p->st[i] = ST_NOVEL;
		if (p->st[i] == ST_NOVEL && ev != DECLASS_EVIDENCE_MARKER &&
		    ev != DECLASS_EVIDENCE_NEW_TEXT && furniture(p, i))
			p->st[i] = ST_FURNITURE;
		if (p->st[i] == ST_NOVEL) {
			novel++;
			sum += p->wn[i];
		}
	}

	/* Everything but the changed words: markers, moved, noise.  Small
	 * words move with the moved words around them. */
	for (i = a; i < b; i++) {
		if (s->cls[i] == DC_CLS_CONSUMED)
			continue;
		switch (p->st[i]) {
		case ST_MARKER:
			s->cls[i] = DECLASS_SPAN_MARKER;
			break;
		case ST_FOUND:
			s->cls[i] = DECLASS_SPAN_MOVED;
			break;
		case ST_OTHER:
			s->cls[i] = found >= 2 && !(dc_dtok(s, i)->flags & DC_TOK_JUNK)
			                    ? DECLASS_SPAN_MOVED
			                    : DECLASS_SPAN_NOISE;
			break;
		case ST_FURNITURE:
			s->cls[i] = DECLASS_SPAN_BOILERPLATE;
			break;
		default:
			s->cls[i] = DECLASS_SPAN_NOISE;
			break;
		}
	}
	if (!novel || ev == DECLASS_EVIDENCE_NONE)
		return 0;

	/* The changed words: novel ones, and what lies between them. */
	for (first = a; p->st[first] != ST_NOVEL; first++)
		;
	for (last = b; p->st[last - 1] != ST_NOVEL; last--)
		;
	/*
	 * Small words and numbers bordering them go with them ("with Valeriy",
	 * "Department 13", "28 September"); junk ("|", "ee") stays noise.
	 */
	while (first > a && p->st[first - 1] == ST_OTHER &&
	       (dc_dtok(s, first - 1)->flags & (DC_TOK_JUNK | DC_TOK_NUMBER)) != DC_TOK_JUNK)
		first--;
	while (last < b && p->st[last] == ST_OTHER &&
	       (dc_dtok(s, last)->flags & (DC_TOK_JUNK | DC_TOK_NUMBER)) != DC_TOK_JUNK)
		last++;

	/*
	 * Words among junk are junk that happens to spell a word ("DON" in
	 * "IIIA IIA PORE DON DISS ERT"): the share of the run's tokens that are
	 * words weighs on the confidence.
	 */
	for (i = a; i < b; i++)
		if (p->st[i] == ST_JUNK ||
		    (p->st[i] == ST_OTHER && (dc_dtok(s, i)->flags & DC_TOK_JUNK)))
			junk++;
	quality = (float)(b - a - junk) / (float)(b - a);
	/*
	 * How much the words look like words weighs on the confidence, less
	 * where a marker says outright that something was hidden there: an
	 * unknown name that replaced "[REDACTED]" is a release.
	 */
	wordy = sum / (float)novel;
	if (ev == DECLASS_EVIDENCE_MARKER)
		wordy = 0.5f + 0.5f * wordy;
	/*
	 * How clean the texts read here.  A passage of six words or more, all
	 * real, is itself a clean reading, whatever junk the other side made
	 * of its place, and the longer, the cleaner ("Mr. Robert Fulton (CIA)
	 * was" in a paragraph that a 2018 scan cut off): 0.8 at six words, 0.9
	 * from 26.  Not where the other side holds lines of its own (p->whole
	 * under 0.5), unless the passage is running text: there six real
	 * words on short lines are as often a column that reading lost (a
	 * distribution list, a form's fields) as a hidden one.
	 */
	clean = (p->clean + local_clean(p, &o)) / 2;
	if (novel >= 6 && sum >= 0.95f * (float)novel && (p->whole >= 0.5f || prose(s, a, b))) {
		float floor = 0.8f + 0.1f * (novel >= 26 ? 1.0f : (float)(novel - 6) / 20.0f);

		if (clean < floor)
			clean = floor;
	}
	conf = base_confidence(ev, p->s_is_new, block, clean) * wordy *
	       (quality < 0.7f ? quality / 0.7f : 1.0f);
	/*
	 * Whole lines alone: a paragraph that a clean reading lacks was more
	 * likely hidden than lost, a word or two alone on a line (a stamp, a
	 * form's field, handwriting) more likely lost.
	 */
	if (ev == DECLASS_EVIDENCE_BLOCK || (block && ev == DECLASS_EVIDENCE_JUNK))
		conf *= 0.5f + 0.5f * (novel >= 6 ? 1.0f : (float)novel / 6.0f);
	/* One short word at a line's edge is as often a stray mark read as one ("rat"). */
	if (ev == DECLASS_EVIDENCE_EDGE && novel == 1 && dc_dtok(s, first)->key_len <= 3)
		conf *= 0.6f;
	if (p->s_is_new)
		changed = conf >= opts->min_confidence && novel >= opts->min_words
		                  ? DECLASS_SPAN_RELEASED
		                  : DECLASS_SPAN_UNCERTAIN;
	else if (ev == DECLASS_EVIDENCE_BLOCK || ev == DECLASS_EVIDENCE_NEW_TEXT)
		changed = DECLASS_SPAN_DROPOUT;
	else
		changed = conf >= opts->min_confidence && novel >= opts->min_words
		                  ? DECLASS_SPAN_WITHHELD
		                  : DECLASS_SPAN_UNCERTAIN;
	for (i = first; i < last; i++) {
		if (p->st[i] == ST_MARKER || s->cls[i] == DC_CLS_CONSUMED)
			continue;
		if (p->st[i] == ST_FOUND || p->st[i] == ST_REREAD || p->st[i] == ST_JUNK)
			continue; /* stays moved or noise inside the span */
		s->cls[i] = changed;
		s->ev[i] = (uint8_t)ev;
		s->conf[i] = conf;
	}
	if (ev == DECLASS_EVIDENCE_MARKER && changed != DECLASS_SPAN_UNCERTAIN) {
		t->cls[o.marker] = DC_CLS_CONSUMED;
		s->mark[first] = t->d[o.marker];
	}
	return 0;
}

/*
 * Lines of t that are mostly junk: two tokens in five or more that no one
 * could have read ("i felis oe destroyed", "Phebe aby Wore ee").  What a
 * redaction box or a smudge becomes is such a line, word-like pieces and all.
 */
static int junky_lines(struct pass *p)
{
	const dc_tokens *t = p->t->t;
	size_t nlines = t->n ? (size_t)t->v[t->n - 1].line + 1 : 0, a, k, boxy;

	if (!(p->t_junky = calloc(nlines + 1, 1)))
		return dc_error_oom();
	for (a = 0; a < t->n; a = k) {
		boxy = 0;
		for (k = a; k < t->n && t->v[k].line == t->v[a].line; k++)
			boxy += t->v[k].kind == DC_TOK_WORD && !legible(t, &t->v[k]);
		p->t_junky[t->v[a].line] = k - a >= 3 && boxy * 5 >= (k - a) * 2;
	}
	return 0;
}

/* Class every unmatched token of side s, against t. */
static int class_side(struct pass *p)
{
	struct dc_side *s = p->s;
	size_t i, a, nlines = 0, last;
	uint32_t line;

	int error = 0;

	if (!s->nd)
		return 0;
	nlines = (size_t)dc_dtok(s, s->nd - 1)->line + 1;
	if (!(p->prev_m = malloc(s->nd * sizeof(*p->prev_m))) ||
	    !(p->next_m = malloc(s->nd * sizeof(*p->next_m))) || !(p->line_m = calloc(nlines, 1)) ||
	    !(p->st = malloc(s->nd)) || !(p->wn = malloc(s->nd * sizeof(*p->wn))) ||
	    !(p->row = malloc((REREAD_WINDOW + 2) * sizeof(*p->row))))
		return dc_error_oom();
	for (i = 0, last = DC_NONE; i < s->nd; i++) {
		if (s->match[i] != DC_NONE) {
			last = i;
			p->line_m[dc_dtok(s, i)->line] = 1;
		}
		p->prev_m[i] = last;
	}
	for (i = s->nd, last = DC_NONE; i-- > 0;) {
		if (s->match[i] != DC_NONE)
			last = i;
		p->next_m[i] = last;
	}
	if ((error = bag_build(&p->tbag, p->t)) < 0 || (error = junky_lines(p)) < 0)
		return error;

	for (i = 0; i < s->nd && !error;) {
		size_t b, pm, nm, head_end, tail_start;
		int head, tail;

		if (s->match[i] != DC_NONE) {
			i++;
			continue;
		}
		/*
		 * A maximal unmatched run: the part on the line of the matched
		 * word before it (head), the part on the line of the one after
		 * it (tail), and whole lines in between.  Head and tail with
		 * nothing between are one place in the running text.
		 */
		for (a = i; i < s->nd && s->match[i] == DC_NONE; i++)
			;
		b = i;
		pm = a ? p->prev_m[a - 1] : DC_NONE;
		nm = b < s->nd ? b : DC_NONE;
		head = pm != DC_NONE && end_line(s, pm) == dc_dtok(s, a)->line;
		tail = nm != DC_NONE && dc_dtok(s, nm)->line == dc_dtok(s, b - 1)->line;
		line = dc_dtok(s, a)->line;
		for (head_end = a; head && head_end < b && dc_dtok(s, head_end)->line == line;
		     head_end++)
			;
		line = dc_dtok(s, b - 1)->line;
		for (tail_start = b;
		     tail && tail_start > head_end && dc_dtok(s, tail_start - 1)->line == line;
		     tail_start--)
			;
		if (head_end == tail_start) {
			error = class_run(p, a, b, pm, nm, head, tail);
			continue;
		}
		if (head && (error = class_run(p, a, head_end, pm, nm, 1, 0)) < 0)
			break;
		if ((error = class_run(p, head_end, tail_start, pm, nm, 0, 0)) < 0)
			break;
		if (tail)
			error = class_run(p, tail_start, b, pm, nm, 0, 1);
	}
	return error;
}

static void pass_free(struct pass *p)
{
	free(p->t_junky);
	free(p->prev_m);
	free(p->next_m);
	free(p->line_m);
	free(p->st);
	free(p->wn);
	free(p->row);
	bag_free(&p->tbag);
	dc_buf_free(&p->near);
	memset(p, 0, sizeof(*p));
}

/*
 * How well two texts agree where they overlap: words paired exactly,
 * against words paired with a misreading.  0 below 50 % exact, 1 from 90 %.
 * With `t`, the legible words of t that nothing pairs with count against
 * it too.  Two readings of one page that differ by what was hidden leave
 * t little of its own; two readings that each dropped and picked up lines
 * (a cover sheet, a column, a margin) leave it much, and there a line
 * missing from t is no evidence of anything.
 */
static float cleanliness(const struct dc_wd *w, const struct dc_side *t)
{
	size_t i, same = 0, noise = 0;
	float agree;

	for (i = 0; i < w->n.nd; i++) {
		if (w->n.match[i] == DC_NONE || dc_dtok(&w->n, i)->kind != DC_TOK_WORD)
			continue;
		if (w->n.cls[i] == DECLASS_SPAN_SAME)
			same++;
		else
			noise++;
	}
	for (i = 0; t && i < t->nd; i++) {
		const dc_token *k = dc_dtok(t, i);

		if (t->match[i] == DC_NONE && k->kind == DC_TOK_WORD && legible(t->t, k))
			noise++;
	}
	agree = (float)same / (float)(same + noise + 1);
	agree = (agree - 0.5f) / 0.4f;
	return agree < 0 ? 0 : agree > 1 ? 1 : agree;
}

/* Is new token i a candidate of recurring(): an uncertain word found inside a line? */
static int recur_candidate(const struct dc_side *s, size_t i)
{
	const dc_token *k = dc_dtok(s, i);

	return s->cls[i] == DECLASS_SPAN_UNCERTAIN && k->kind == DC_TOK_WORD &&
	       (k->flags & DC_TOK_CONTENT) &&
	       (s->ev[i] == DECLASS_EVIDENCE_GAP || s->ev[i] == DECLASS_EVIDENCE_EDGE ||
	        s->ev[i] == DECLASS_EVIDENCE_JUNK);
}

/* The share of s's words that the other text pairs. */
static float covered(const struct dc_side *s)
{
	size_t i, m = 0, all = 0;

	for (i = 0; i < s->nd; i++) {
		if (dc_dtok(s, i)->kind != DC_TOK_WORD)
			continue;
		all++;
		m += s->match[i] != DC_NONE;
	}
	return all ? (float)m / (float)all : 0;
}

/* Does the older text show new token i misread (a key near its key)? */
static int shown_misread(const struct dc_wd *w, size_t i)
{
	const dc_tokens *ot = w->o.t;
	const char *key = dc_dkey(&w->n, i);
	size_t len = dc_dtok(&w->n, i)->key_len, j;

	for (j = 0; j < ot->n; j++)
		if (ot->v[j].kind == DC_TOK_WORD &&
		    dc_keys_near(dc_token_key(ot, j), ot->v[j].key_len, key, len,
		                 w->opts->tolerance))
			return 1;
	return 0;
}

struct recur {
	uint64_t h; /* the key's hash (dc_key_hash64) */
	size_t i;   /* new token */
};

static int recur_cmp(const void *a, const void *b)
{
	const struct recur *x = a, *y = b;

	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * What was hidden at one place of a document was hidden at every place
 * (a country, "UAR", "FRENCH", a name): a word that the older text never
 * shows, not even unpaired, and that is uncertain inside lines of the
 * newer text on RECUR_LINES lines or more, is released there, with the
 * confidence that at least one of those places is right (1 - the product
 * of 1 - each place's), if that reaches --min-confidence.  OCR that lost
 * a paragraph loses its words as blocks, not inside lines that otherwise
 * match.  Only where the older text reads the page (it pairs a quarter of
 * the newer's words or more): a word absent from a scan read in scraps
 * ("Chief" on a form whose older reading kept eight lines) says nothing.
 */
static int recurring(struct dc_wd *w)
{
	struct dc_side *s = &w->n;
	const dc_tokens *ot = w->o.t;
	struct recur *c = NULL;
	uint64_t *old = NULL;
	size_t i, j, k, n = 0, nold = 0, lines;
	uint32_t line;
	float miss;

	for (i = 0; i < s->nd; i++)
		n += recur_candidate(s, i);
	if (n < RECUR_LINES || covered(s) < RECUR_COVERED)
		return 0;
	if (!(c = malloc(n * sizeof(*c))) || !(old = malloc((ot->n + 1) * sizeof(*old)))) {
		free(c);
		return dc_error_oom();
	}
	for (i = 0, k = 0; i < s->nd; i++)
		if (recur_candidate(s, i)) {
			c[k].h = dc_key_hash64(dc_dkey(s, i), dc_dtok(s, i)->key_len);
			c[k++].i = i;
		}
	for (i = 0; i < ot->n; i++)
		if (ot->v[i].kind == DC_TOK_WORD)
			old[nold++] = dc_key_hash64(dc_token_key(ot, i), ot->v[i].key_len);
	qsort(c, n, sizeof(*c), recur_cmp);
	if (nold)
		qsort(old, nold, sizeof(*old), dc_key_hash_cmp);
	for (j = 0; j < n; j = k) {
		miss = 1;
		line = UINT32_MAX;
		for (k = j, lines = 0; k < n && c[k].h == c[j].h; k++) {
			if (dc_dtok(s, c[k].i)->line != line) {
				line = dc_dtok(s, c[k].i)->line;
				lines++;
			}
			miss *= 1 - s->conf[c[k].i];
		}
		if (lines < RECUR_LINES || 1 - miss < w->opts->min_confidence ||
		    (nold && bsearch(&c[j].h, old, nold, sizeof(*old), dc_key_hash_cmp)) ||
		    shown_misread(w, c[j].i))
			continue;
		for (i = j; i < k; i++) {
			s->cls[c[i].i] = DECLASS_SPAN_RELEASED;
			s->ev[c[i].i] = DECLASS_EVIDENCE_RECURS;
			s->conf[c[i].i] = 1 - miss < 0.95f ? 1 - miss : 0.95f;
		}
	}
	free(c);
	free(old);
	return 0;
}

int dc_evidence_classify(struct dc_wd *w)
{
	struct pass p;
	float clean = cleanliness(w, NULL);
	int is_new, error = 0;

	/* Releases first: a marker a release claims is shown with it. */
	for (is_new = 1; is_new >= 0 && !error; is_new--) {
		memset(&p, 0, sizeof(p));
		p.w = w;
		p.s = is_new ? &w->n : &w->o;
		p.t = is_new ? &w->o : &w->n;
		p.s_is_new = is_new;
		p.clean = clean;
		p.whole = cleanliness(w, p.t);
		p.near = (dc_buf)DC_BUF_INIT;
		error = class_side(&p);
		pass_free(&p);
		if (is_new && !error)
			error = recurring(w);
	}
	return error;
}
