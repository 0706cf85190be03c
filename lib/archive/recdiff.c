/*
 * A record's diff between two releases as the commands show it: the text
 * engine (lib/text/) given what only the archive knows.
 *
 *  - the record's files: meta.json lists the parts its text is made of
 *    (name and size, joined by form feeds), so the parts are diffed
 *    pair by pair (declass_diff_parts);
 *  - the lexicon of the whole archive (vocab.c);
 *  - the record's other versions: released words that an older version
 *    already showed, withheld words that a later version shows again, are
 *    one OCR run's dropout (declass_wdiff_refine).  One more diff per
 *    version looked at, and only when there is something to check.
 */
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "declass/history.h"
#include "util/jsonutil.h"

/* A version's text, split into its files' parts. */
struct vtext {
	char *text;
	size_t len;
	declass_text_part *parts;
	size_t nparts;
	json_t *meta;
};

static void vtext_free(struct vtext *v)
{
	free(v->text);
	free(v->parts);
	json_decref(v->meta);
	memset(v, 0, sizeof(*v));
}

/*
 * The parts of the text, from meta.json's text.parts (file, size): their
 * sizes and the form feeds between them must make up the whole text, or
 * the text is one part (a text revision's joined extraction, an older
 * archive).  The names point into v->meta.
 */
static int split_parts(struct vtext *v)
{
	json_t *parts = json_object_get(json_object_get(v->meta, "text"), "parts"), *p;
	size_t n = json_array_size(parts), i, at = 0;

	if (!(v->parts = calloc(n ? n : 1, sizeof(*v->parts))))
		return dc_error_oom();
	for (i = 0; i < n; i++) {
		json_int_t size;

		p = json_array_get(parts, i);
		size = json_integer_value(json_object_get(p, "size"));
		if (size < 0 || (uint64_t)size > v->len - at || (i && v->text[at - 1] != '\f'))
			break;
		v->parts[i].name = json_string_value(json_object_get(p, "file"));
		v->parts[i].start = at;
		v->parts[i].end = at + (size_t)size;
		at += (size_t)size + 1;
	}
	if (n > 1 && i == n && at == v->len + 1) {
		v->nparts = n;
		return 0;
	}
	v->parts[0].name = NULL;
	v->parts[0].start = 0;
	v->parts[0].end = v->len;
	v->nparts = v->len ? 1 : 0;
	return 0;
}

static int vtext_load(struct vtext *v, declass_archive *a, const char *record, const char *release)
{
	char *meta = NULL;
	size_t mlen;
	json_error_t jerr;
	int error;

	memset(v, 0, sizeof(*v));
	if (!release) {
		if (!(v->text = strdup("")))
			return dc_error_oom();
		return 0;
	}
	if ((error = declass_record_text(&v->text, &v->len, a, record, release)) < 0 ||
	    (error = declass_record_meta(&meta, &mlen, a, record, release)) < 0)
		goto done;
	/* Parts are an aid to the diff: a meta.json that does not parse leaves one. */
	v->meta = json_loadb(meta, mlen, 0, &jerr);
	error = split_parts(v);
done:
	free(meta);
	return error;
}

/*
 * Is there a release (older: words an older version may already show) or
 * a withholding (a later version may show again) to check?  Uncertain
 * words are not looked at: they count neither way, and checking them
 * would cost a diff for nearly every record.
 */
static int has_news(const declass_wdiff *d, int older)
{
	return older ? d->totals[DECLASS_SPAN_RELEASED].spans > 0
	             : d->totals[DECLASS_SPAN_WITHHELD].spans > 0;
}

/*
 * Diff version `release` against the side `same` that d shares with it
 * (the newer text when `older`, else the older) and let it refine d.
 */
static int refine(declass_wdiff *d, declass_archive *a, const char *record, const char *release,
                  const struct vtext *same, int older, const declass_text_opts *opts)
{
	declass_wdiff *other = NULL;
	struct vtext x;
	int error;

	if ((error = vtext_load(&x, a, record, release)) == 0) {
		error = older ? declass_diff_parts(&other, x.text, x.parts, x.nparts, same->text,
		                                   same->parts, same->nparts, opts)
		              : declass_diff_parts(&other, same->text, same->parts, same->nparts,
		                                   x.text, x.parts, x.nparts, opts);
		if (error == 0)
			error = declass_wdiff_refine(d, other, older);
	}
	declass_wdiff_free(other);
	vtext_free(&x);
	return error;
}

int declass_record_diff_words(declass_record_diff **out, declass_archive *a, const char *record,
                              const char *from, const char *to, const declass_text_opts *in)
{
	declass_record_version *v = NULL;
	declass_record_diff *rd = NULL;
	struct vtext o, n;
	declass_text_opts opts = DECLASS_TEXT_OPTS_INIT;
	size_t nv = 0;
	long fi = -1, ti = -1, k;
	int error;

	*out = NULL;
	memset(&o, 0, sizeof(o));
	memset(&n, 0, sizeof(n));
	if (in)
		opts = *in;
	if (!opts.lexicon && (error = declass_archive_lexicon(&opts.lexicon, a, NULL, NULL)) < 0)
		return error;
	if (!(rd = calloc(1, sizeof(*rd))))
		return dc_error_oom();
	if ((error = vtext_load(&o, a, record, from)) < 0 ||
	    (error = vtext_load(&n, a, record, to)) < 0 ||
	    (error = declass_diff_parts(&rd->d, o.text, o.parts, o.nparts, n.text, n.parts,
	                                n.nparts, &opts)) < 0)
		goto done;

	/* The other versions, nearest first, while there is news to check. */
	if ((has_news(rd->d, 1) || has_news(rd->d, 0)) &&
	    ((error = declass_record_log(&v, &nv, a, record)) < 0 ||
	     (from && (error = declass_record_version_as_of(&fi, a, v, nv, from)) < 0) ||
	     (error = declass_record_version_as_of(&ti, a, v, nv, to)) < 0))
		goto done;
	for (k = fi - 1; k >= 0 && has_news(rd->d, 1); k--)
		if (v[k].has_text &&
		    (error = refine(rd->d, a, record, v[k].release, &n, 1, &opts)) < 0)
			goto done;
	for (k = ti + 1; ti >= 0 && (size_t)k < nv && has_news(rd->d, 0); k++)
		if (v[k].has_text &&
		    (error = refine(rd->d, a, record, v[k].release, &o, 0, &opts)) < 0)
			goto done;

	rd->old_text = o.text;
	rd->old_len = o.len;
	rd->new_text = n.text;
	rd->new_len = n.len;
	o.text = n.text = NULL;
	*out = rd;
	rd = NULL;
done:
	vtext_free(&o);
	vtext_free(&n);
	declass_versions_free(v, nv);
	declass_record_diff_free(rd);
	return error;
}

void declass_record_diff_free(declass_record_diff *rd)
{
	if (!rd)
		return;
	free(rd->old_text);
	free(rd->new_text);
	declass_wdiff_free(rd->d);
	free(rd);
}
