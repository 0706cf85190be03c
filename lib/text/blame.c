/*
 * Blame for record texts: which release first made each span of the newest
 * text public.  Each older version is word-diffed against the newest one
 * (wdiff.c), so the same OCR tolerance, move detection and boilerplate
 * rules apply, and a token counts as present in a version unless that diff
 * calls it released.  A token's version is the oldest one it is present
 * in: text withheld in between and released again keeps its first date.
 */
#include <stdlib.h>
#include <string.h>

#include "wdiff.h"

void declass_blame_free(declass_blame *b)
{
	if (!b)
		return;
	free(b->spans);
	free(b);
}

static declass_span_class blame_class(const dc_token *t)
{
	if (t->kind == DC_TOK_MARKER)
		return DECLASS_SPAN_MARKER;
	if (t->kind == DC_TOK_BOILER)
		return DECLASS_SPAN_BOILERPLATE;
	return DECLASS_SPAN_SAME;
}

/* Spans tiling [0, len): runs of tokens with the same version and class. */
static int build(declass_blame *b, const dc_tokens *t, const size_t *origin, size_t len)
{
	size_t i, n = 0;
	declass_blame_span *sp;

	if (!len)
		return 0;
	if (!(b->spans = calloc(t->n ? t->n : 1, sizeof(*b->spans))))
		return dc_error_oom();
	if (!t->n) {
		b->spans[0].start = 0;
		b->spans[0].end = len;
		b->spans[0].version = 0;
		b->spans[0].cls = DECLASS_SPAN_SAME;
		b->nspans = 1;
		return 0;
	}
	for (i = 0; i < t->n; i++) {
		declass_span_class cls = blame_class(&t->v[i]);
		if (n && b->spans[n - 1].version == origin[i] && b->spans[n - 1].cls == cls)
			continue;
		sp = &b->spans[n];
		sp->start = n ? t->v[i].start : 0;
		sp->version = origin[i];
		sp->cls = cls;
		if (n)
			b->spans[n - 1].end = sp->start;
		n++;
	}
	b->spans[n - 1].end = len;
	b->nspans = n;
	return 0;
}

int declass_blame_text(declass_blame **out, const char *const *texts, const size_t *lens, size_t n,
                       const declass_text_opts *opts)
{
	declass_text_opts def = DECLASS_TEXT_OPTS_INIT;
	dc_tokens nt = DC_TOKENS_INIT, ot = DC_TOKENS_INIT;
	declass_blame *b = NULL;
	size_t *origin = NULL, i, k, last_len;
	const char *last;
	uint8_t *cls = NULL;
	int error;

	*out = NULL;
	if (!n)
		return dc_error_set(DECLASS_EINPUT, "blame: no versions given");
	if (!opts)
		opts = &def;
	last = texts[n - 1];
	last_len = last ? lens[n - 1] : 0;
	if (!(b = calloc(1, sizeof(*b)))) {
		error = dc_error_oom();
		goto done;
	}
	if ((error = dc_tokenize(&nt, last, last_len, opts->markers, DC_TOKENIZE_FOLD)) < 0)
		goto done;
	if (!(origin = malloc((nt.n + 1) * sizeof(*origin)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < nt.n; i++)
		origin[i] = n - 1;

	for (k = n - 1; k-- > 0;) {
		if ((error = dc_tokenize(&ot, texts[k], texts[k] ? lens[k] : 0, opts->markers,
		                         DC_TOKENIZE_FOLD)) < 0 ||
		    (error = dc_wdiff_new_classes(&cls, &ot, &nt, opts)) < 0)
			goto done;
		for (i = 0; i < nt.n; i++)
			if (cls[i] != DECLASS_SPAN_RELEASED)
				origin[i] = k;
		free(cls);
		cls = NULL;
		dc_tokens_free(&ot);
	}
	if ((error = build(b, &nt, origin, last_len)) < 0)
		goto done;
	*out = b;
	b = NULL;
done:
	free(cls);
	free(origin);
	dc_tokens_free(&ot);
	dc_tokens_free(&nt);
	declass_blame_free(b);
	return error;
}
