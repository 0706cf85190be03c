/*
 * Phrase search over a record's text, for `declass grep`: the phrase's
 * words in order, whatever whitespace, line breaks, hyphenated line
 * breaks or punctuation separate them in the text, with the word diff's
 * normalisation and OCR tolerance so that a re-OCR'd text still matches.
 * Boilerplate (stamps, footers) is skipped as if absent, so a phrase can
 * run across a page break; a redaction marker never matches a word.
 */
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

void declass_matches_free(declass_matches *m)
{
	if (!m)
		return;
	free(m->v);
	free(m);
}

static int push(declass_matches *m, size_t *alloc, size_t start, size_t end, int exact)
{
	declass_match *v;

	if (m->n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 8;
		if (!(v = realloc(m->v, *alloc * sizeof(*v))))
			return dc_error_oom();
		m->v = v;
	}
	m->v[m->n].start = start;
	m->v[m->n].end = end;
	m->v[m->n].exact = exact;
	m->n++;
	return 0;
}

/* 2: equal keys, 1: within tolerance, 0: no. */
static int word_match(const dc_tokens *a, size_t i, const dc_tokens *b, size_t j, double tol)
{
	const dc_token *x = &a->v[i], *y = &b->v[j];

	if (x->kind != DC_TOK_WORD || y->kind != DC_TOK_WORD)
		return 0;
	if (x->hash == y->hash && x->key_len == y->key_len &&
	    !memcmp(dc_token_key(a, i), dc_token_key(b, j), x->key_len))
		return 2;
	return dc_keys_near(dc_token_key(a, i), x->key_len, dc_token_key(b, j), y->key_len, tol);
}

int declass_text_find(declass_matches **out, const char *text, size_t len, const char *phrase,
                      size_t phrase_len, const declass_text_opts *opts)
{
	declass_text_opts def = DECLASS_TEXT_OPTS_INIT;
	dc_tokens pt = DC_TOKENS_INIT, tt = DC_TOKENS_INIT;
	declass_matches *m = NULL;
	size_t *idx = NULL, nidx = 0, alloc = 0, s, k, i;
	unsigned int mode;
	double tol;
	int error, r, exact;

	*out = NULL;
	if (!opts)
		opts = &def;
	mode = opts->ignore_case ? DC_TOKENIZE_FOLD : 0;
	tol = opts->tolerance > 0 ? opts->tolerance : 0;
	if (!(m = calloc(1, sizeof(*m)))) {
		error = dc_error_oom();
		goto done;
	}
	if ((error = dc_tokenize(&pt, phrase, phrase ? phrase_len : 0, NULL,
	                         mode | DC_TOKENIZE_NOMARKERS)) < 0)
		goto done;
	if (!pt.n) {
		error = dc_error_set(DECLASS_EINPUT, "search phrase '%.*s' has no words",
		                     (int)(phrase_len > 80 ? 80 : phrase_len),
		                     phrase ? phrase : "");
		goto done;
	}
	if ((error = dc_tokenize(&tt, text, text ? len : 0, opts->markers, mode)) < 0)
		goto done;
	if (!(idx = malloc((tt.n + 1) * sizeof(*idx)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < tt.n; i++)
		if (tt.v[i].kind != DC_TOK_BOILER)
			idx[nidx++] = i;

	for (s = 0; s + pt.n <= nidx;) {
		exact = 1;
		for (k = 0; k < pt.n; k++) {
			if (!(r = word_match(&pt, k, &tt, idx[s + k], tol)))
				break;
			if (r != 2)
				exact = 0;
		}
		if (k < pt.n) {
			s++;
			continue;
		}
		if ((error = push(m, &alloc, tt.v[idx[s]].start, tt.v[idx[s + pt.n - 1]].end,
		                  exact)) < 0)
			goto done;
		s += pt.n;
	}
	*out = m;
	m = NULL;
done:
	free(idx);
	dc_tokens_free(&pt);
	dc_tokens_free(&tt);
	declass_matches_free(m);
	return error;
}
