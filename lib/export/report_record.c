/*
 * The HTML page of a record (see report.c): its manifest fields, its
 * releases and their files, its newest text with each passage coloured by
 * the release that first made it public, and what each release changed,
 * as hunks of the word diff.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/buf.h"
#include "declass/history.h"
#include "report_internal.h"

/* Highlight colours for versions after the first; they cycle past seven. */
#define NCOLORS       7
#define CONTEXT_LINES 2

/* The colour class of version i (0 is the oldest: plain). */
static int color_of(size_t i)
{
	return i == 0 ? 0 : (int)((i - 1) % NCOLORS) + 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
}

/* A record's versions with their texts, diffs and blame. */
typedef struct record_data {
	declass_record_version *v;
	size_t n;
	char **texts;
	size_t *lens;
	declass_wdiff **diffs; /* diffs[i]: version i-1 -> i; diffs[0]: "" -> version 0 */
	declass_blame *blame;
	json_t *meta; /* meta.json of the newest version */
} record_data;

static void record_data_free(record_data *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (d->texts)
			free(d->texts[i]);
		if (d->diffs)
			declass_wdiff_free(d->diffs[i]);
	}
	free(d->texts);
	free(d->lens);
	free(d->diffs);
	declass_blame_free(d->blame);
	json_decref(d->meta);
	declass_versions_free(d->v, d->n);
}

static int record_data_load(record_data *d, declass_archive *a, const char *record,
                            const declass_text_opts *in)
{
	declass_record_diff *rd = NULL;
	declass_text_opts opts, *topts = &opts;
	char *meta = NULL;
	size_t mlen = 0, i;
	json_error_t jerr;
	int error;

	memset(d, 0, sizeof(*d));
	if ((error = dc_report_with_lexicon(&opts, a, in)) < 0 ||
	    (error = declass_record_log(&d->v, &d->n, a, record)) < 0)
		return error;
	if (!(d->texts = calloc(d->n, sizeof(*d->texts))) ||
	    !(d->lens = calloc(d->n, sizeof(*d->lens))) ||
	    !(d->diffs = calloc(d->n, sizeof(*d->diffs))))
		return dc_error_oom();
	for (i = 0; i < d->n; i++) {
		if ((error = declass_record_diff_words(&rd, a, record,
		                                       i ? d->v[i - 1].release : NULL,
		                                       d->v[i].release, topts)) < 0)
			return error;
		/* The diff's own copy of the newer text: its offsets are into it. */
		d->texts[i] = rd->new_text;
		d->lens[i] = rd->new_len;
		d->diffs[i] = rd->d;
		rd->new_text = NULL;
		rd->d = NULL;
		declass_record_diff_free(rd);
	}
	if ((error = declass_blame_text(&d->blame, (const char *const *)d->texts, d->lens, d->n,
	                                topts)) < 0 ||
	    (error = declass_record_meta(&meta, &mlen, a, record, d->v[d->n - 1].release)) < 0)
		return error;
	d->meta = json_loadb(meta, mlen, 0, &jerr);
	free(meta);
	if (!d->meta)
		return dc_error_set(DECLASS_EARCHIVE, "record %s: meta.json: %s", record,
		                    jerr.text);
	return 0;
}

/* A manifest field as text: strings as they are, numbers printed. */
static int field_text(char *buf, size_t size, const json_t *v, const char **out)
{
	*out = NULL;
	if (json_is_string(v) && json_string_length(v))
		*out = json_string_value(v);
	else if (json_is_integer(v))
		snprintf(buf, size, "%lld", (long long)json_integer_value(v)), *out = buf;
	else if (json_is_real(v))
		snprintf(buf, size, "%g", json_real_value(v)), *out = buf;
	return *out != NULL;
}

static const struct {
	const char *key, *label;
} known_fields[] = {
	{ "agency", "Agency" },
	{ "originator", "Originator" },
	{ "doc_date", "Document date" },
	{ "doc_type", "Document type" },
	{ "from", "From" },
	{ "to", "To" },
	{ "file_num", "File number" },
	{ "record_series", "Record series" },
	{ "pages", "Pages" },
	{ "pages_released", "Pages released" },
	{ "review_date", "Review date" },
	{ "comments", "Comments" },
};

/* Fields shown elsewhere on the page, or meaningless for one record. */
static int skipped_field(const char *key)
{
	static const char *const skip[] = { "title",        "record",       "file",
		                            "release_date", "release_type", "url" };
	size_t i;

	for (i = 0; i < sizeof(skip) / sizeof(*skip); i++)
		if (!strcmp(key, skip[i]))
			return 1;
	for (i = 0; i < sizeof(known_fields) / sizeof(*known_fields); i++)
		if (!strcmp(key, known_fields[i].key))
			return 1;
	return 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void meta_list(page *p, const record_data *d)
{
	const json_t *fields = json_object_get(d->meta, "fields");
	const char **keys = NULL, *key, *val;
	size_t i, nkeys = 0;
	char buf[64];
	json_t *v;

	dc_report_puts(p, "<dl class=\"meta\">\n");
	for (i = 0; i < sizeof(known_fields) / sizeof(*known_fields); i++)
		if (field_text(buf, sizeof(buf), json_object_get(fields, known_fields[i].key),
		               &val)) {
			dc_report_printf(p, "<dt>%s</dt><dd>", known_fields[i].label);
			dc_report_esc(p, val);
			dc_report_puts(p, "</dd>\n");
		}
	/* Columns we have no name for, as the manifest headed them. */
	if (json_object_size(fields) && !(keys = calloc(json_object_size(fields), sizeof(*keys)))) {
		p->error = dc_error_oom();
		return;
	}
	json_object_foreach((json_t *)fields, key, v) if (!skipped_field(key)) keys[nkeys++] = key;
	if (nkeys)
		qsort(keys, nkeys, sizeof(*keys), cmp_str);
	for (i = 0; i < nkeys; i++)
		if (field_text(buf, sizeof(buf), json_object_get(fields, keys[i]), &val)) {
			dc_report_wrap(p, "<dt>", keys[i], "</dt><dd>");
			dc_report_esc(p, val);
			dc_report_puts(p, "</dd>\n");
		}
	free(keys);
	dc_report_puts(p, "<dt>Versions</dt><dd>");
	dc_report_printf(p, "%zu, ", d->n);
	dc_report_wrap(p, "newest in release ", d->v[d->n - 1].release, "</dd>\n</dl>\n");
}

static void swatch(page *p, size_t version)
{
	dc_report_printf(p, "<span class=\"swatch c%d\"></span>", color_of(version));
}

static void releases_table(page *p, const record_data *d)
{
	size_t i, k;

	dc_report_puts(
	        p,
	        "<table class=\"releases\">\n<thead><tr><th>Release</th><th>Date</th><th>Type</th>"
	        "<th class=\"num\">Pages</th><th class=\"num\">Words released</th>"
	        "<th class=\"num\">Withheld</th><th>Files (SHA-256)</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < d->n; i++) {
		const declass_record_version *v = &d->v[i];
		const declass_span_total *t = d->diffs[i]->totals;

		dc_report_puts(p, "<tr><td class=\"nowrap\">");
		swatch(p, i);
		dc_report_esc(p, v->release);
		dc_report_wrap(p, "</td><td class=\"nowrap\">", v->date, "</td><td>");
		if (v->release_type) {
			dc_report_wrap(p, "<span class=\"type\">", v->release_type, "</span>");
		}
		dc_report_puts(p, "</td><td class=\"num\">");
		dc_report_esc(p, v->pages ? v->pages : "");
		dc_report_printf(p,
		                 "</td><td class=\"num\"><span class=\"plus\">+%zu</span></td>"
		                 "<td class=\"num\">%s%zu%s</td><td class=\"files\">",
		                 t[DECLASS_SPAN_RELEASED].new_words,
		                 t[DECLASS_SPAN_WITHHELD].old_words
		                         ? "<span class=\"minus\">\xE2\x88\x92"
		                         : "",
		                 t[DECLASS_SPAN_WITHHELD].old_words,
		                 t[DECLASS_SPAN_WITHHELD].old_words ? "</span>" : "");
		for (k = 0; k < v->nfiles; k++) {
			if (k)
				dc_report_puts(p, "<br>");
			dc_report_esc(p, v->files[k].name);
			dc_report_puts(p, " \xC2\xB7 ");
			dc_report_size_text(p, v->files[k].size);
			dc_report_wrap(p, "<br><span title=\"SHA-256\">", v->files[k].sha256,
			               "</span>");
		}
		dc_report_puts(p, "</td></tr>\n");
	}
	dc_report_puts(p, "</tbody>\n</table>\n");
}

/* Split [s, s+n) into its blank-trimmed core: *lead blanks, *core bytes. */
static void trim(const char *s, size_t n, size_t *lead, size_t *core)
{
	size_t a = 0, b = n;

	while (a < b && is_blank(s[a]))
		a++;
	while (b > a && is_blank(s[b - 1]))
		b--;
	*lead = a;
	*core = b - a;
}

/* Open tag for text first public in version `ver`. */
static void mark_open(page *p, const char *tag, const record_data *d, size_t ver)
{
	dc_report_printf(p, "<%s class=\"c%d\" data-release=\"", tag, color_of(ver));
	dc_report_esc(p, d->v[ver].release);
	dc_report_wrap(p, "\" title=\"first public in release ", d->v[ver].release, "\">");
}

/*
 * A highlighted run, one element per line, with the blanks around each
 * line's words left outside it (indentation is not highlighted).
 */
static void wrapped(page *p, const char *s, size_t n, const char *open_prefix,
                    void (*open)(page *, const void *), const void *arg, const char *close)
{
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t seg = nl ? (size_t)(nl - (s + i)) + 1 : n - i, lead, core;

		trim(s + i, seg, &lead, &core);
		dc_report_esc_mode(p, s + i, lead, ESC_DOC);
		if (core) {
			if (open)
				open(p, arg);
			else
				dc_report_puts(p, open_prefix);
			dc_report_esc_mode(p, s + i + lead, core, ESC_DOC);
			dc_report_puts(p, close);
		}
		dc_report_esc_mode(p, s + i + lead + core, seg - lead - core, ESC_DOC);
		i += seg;
	}
}

/* A marker made of blocks or X's only shows as a solid bar; words stay legible. */
static const char *marker_class(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'W') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == 'Y' || s[i] == 'Z')
			return "<span class=\"marker\" title=\"redaction marker\">";
	return "<span class=\"marker solid\" title=\"redaction marker\">";
}

typedef struct mark_arg {
	const record_data *d;
	size_t ver;
	const char *tag;
} mark_arg;

static void open_mark(page *p, const void *arg)
{
	const mark_arg *m = arg;

	mark_open(p, m->tag, m->d, m->ver);
}

/* The newest text, each run of spans of one release in one element. */
static void blamed_text(page *p, const record_data *d)
{
	const declass_blame *b = d->blame;
	const char *t = d->texts[d->n - 1];
	size_t i = 0, len = d->lens[d->n - 1];

	dc_report_puts(p, "<pre class=\"doc\" id=\"text\">");
	while (i < b->nspans) {
		const declass_blame_span *s = &b->spans[i];
		size_t j = i + 1, start = s->start, end = s->end;

		while (j < b->nspans && b->spans[j].version == s->version &&
		       b->spans[j].cls == s->cls)
			end = b->spans[j++].end;
		if (end > len)
			end = len;
		if (s->cls == DECLASS_SPAN_MARKER) {
			wrapped(p, t + start, end - start, marker_class(t + start, end - start),
			        NULL, NULL, "</span>");
		} else if (s->cls == DECLASS_SPAN_BOILERPLATE) {
			wrapped(p, t + start, end - start, "<span class=\"boiler\">", NULL, NULL,
			        "</span>");
		} else if (s->version == 0) {
			dc_report_esc_mode(p, t + start, end - start, ESC_DOC);
		} else {
			mark_arg m = { d, s->version, "mark" };

			wrapped(p, t + start, end - start, NULL, open_mark, &m, "</mark>");
		}
		i = j;
	}
	if (!len)
		dc_report_puts(p, "<span class=\"boiler\">(this version has no text)</span>");
	dc_report_puts(p, "</pre>\n");
}

static void legend(page *p, const record_data *d)
{
	size_t i;

	dc_report_puts(p, "<ul class=\"legend\">\n");
	for (i = 0; i < d->n; i++) {
		dc_report_puts(p, "<li>");
		swatch(p, i);
		dc_report_puts(p, i ? "first public in " : "public since ");
		dc_report_esc(p, d->v[i].release);
		dc_report_puts(p, "</li>\n");
	}
	dc_report_puts(p, "<li><span class=\"swatch marker\"></span>still redacted</li>\n</ul>\n");
}

/* ---- diff hunks ---------------------------------------------------------- */

/*
 * The newer text of a diff as HTML lines.  Elements never span a line
 * break (they are closed and reopened), so any subset of lines is
 * well-formed and hunks can be cut from it.
 */
typedef struct lines {
	page html;
	size_t *start;          /* where line i starts in html */
	unsigned char *changed; /* line i shows a change */
	size_t n, alloc;
} lines;

static void line_new(lines *l)
{
	if (l->html.error)
		return;
	if (l->n + 1 >= l->alloc) {
		size_t alloc = l->alloc ? 2 * l->alloc : 64;
		size_t *start = realloc(l->start, alloc * sizeof(*start));
		unsigned char *changed;

		if (start)
			l->start = start;
		changed = start ? realloc(l->changed, alloc) : NULL;
		if (!start || !changed) {
			l->html.error = dc_error_oom();
			return;
		}
		l->changed = changed;
		l->alloc = alloc;
	}
	l->start[l->n] = l->html.b.len;
	l->changed[l->n] = 0;
	l->n++;
}

/* Text in an element (open may be NULL for plain text), split at lines. */
static void emit(lines *l, const char *s, size_t n, const char *open, const char *close, int change)
{
	size_t i = 0;

	if (!l->n)
		line_new(l);
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t seg = nl ? (size_t)(nl - (s + i)) : n - i;

		if (seg) {
			size_t lead, core;

			trim(s + i, seg, &lead, &core);
			dc_report_esc_mode(&l->html, s + i, lead, ESC_DOC);
			if (core) {
				if (open)
					dc_report_puts(&l->html, open);
				dc_report_esc_mode(&l->html, s + i + lead, core, ESC_DOC);
				if (open)
					dc_report_puts(&l->html, close);
				if (change && !l->html.error)
					l->changed[l->n - 1] = 1;
			}
			dc_report_esc_mode(&l->html, s + i + lead + core, seg - lead - core,
			                   ESC_DOC);
		}
		i += seg;
		if (nl) {
			dc_report_add(&l->html, "\n", 1);
			line_new(l);
			i++;
		}
	}
}

static void diff_lines(lines *l, const record_data *d, size_t ver)
{
	const declass_wdiff *w = d->diffs[ver];
	const char *old = d->texts[ver - 1], *new = d->texts[ver];
	size_t pos = 0, i, nlen = d->lens[ver];
	page open = { DC_BUF_INIT, 0 };

	/* Release ids are [A-Za-z0-9._-] (docs/FORMAT.md), escaped all the same. */
	dc_report_printf(&open, "<ins class=\"c%d\" data-release=\"", color_of(ver));
	dc_report_esc(&open, d->v[ver].release);
	dc_report_puts(&open, "\" title=\"released in ");
	dc_report_esc(&open, d->v[ver].release);
	dc_report_puts(&open, "\">");
	if (open.error) {
		l->html.error = open.error;
		return;
	}
	line_new(l);
	for (i = 0; i < w->nspans; i++) {
		const declass_span *s = &w->spans[i];
		const char *ot = old + s->old_start, *nt = new + s->new_start;
		size_t on = s->old_end - s->old_start, nn = s->new_end - s->new_start;

		if (s->new_start > pos)
			emit(l, new + pos, s->new_start - pos, NULL, NULL, 0);
		if (s->new_start >= pos)
			pos = s->new_end;
		switch (s->cls) {
		case DECLASS_SPAN_RELEASED:
			if (s->has_marker) {
				emit(l, old + s->marker_start, s->marker_end - s->marker_start,
				     "<del class=\"marker\" title=\"redaction marker before\">",
				     "</del>", 1);
				emit(l, " ", 1, NULL, NULL, 0);
			}
			emit(l, nt, nn, open.b.ptr, "</ins>", 1);
			break;
		case DECLASS_SPAN_WITHHELD:
			if (!nn && l->html.b.len && !is_blank(l->html.b.ptr[l->html.b.len - 1]))
				emit(l, " ", 1, NULL, NULL, 0);
			emit(l, ot, on, "<del class=\"withheld\" title=\"withheld\">", "</del>", 1);
			if (nn) {
				emit(l, " ", 1, NULL, NULL, 0);
				emit(l, nt, nn, marker_class(nt, nn), "</span>", 1);
			}
			break;
		case DECLASS_SPAN_MARKER:
			emit(l, nt, nn, marker_class(nt, nn), "</span>", 0);
			break;
		case DECLASS_SPAN_BOILERPLATE:
			emit(l, nt, nn, "<span class=\"boiler\">", "</span>", 0);
			break;
		default:
			emit(l, nt, nn, NULL, NULL, 0);
			break;
		}
	}
	if (pos < nlen)
		emit(l, new + pos, nlen - pos, NULL, NULL, 0);
	dc_buf_free(&open.b);
}

static void hunks(page *p, const lines *l)
{
	unsigned char *show;
	size_t i, k;
	int gap = 0, any = 0;

	if (!(show = calloc(l->n + 1, 1))) {
		p->error = dc_error_oom();
		return;
	}
	for (i = 0; i < l->n; i++)
		if (l->changed[i])
			for (k = i > CONTEXT_LINES ? i - CONTEXT_LINES : 0;
			     k <= i + CONTEXT_LINES && k < l->n; k++)
				show[k] = 1;
	dc_report_puts(p, "<pre class=\"doc\">");
	for (i = 0; i < l->n; i++) {
		size_t end = i + 1 < l->n ? l->start[i + 1] : l->html.b.len;

		if (!show[i]) {
			gap = 1;
			continue;
		}
		if (gap && any)
			dc_report_printf(p,
			                 "<span class=\"gap\" title=\"unchanged lines\">\xC2\xB7 "
			                 "\xC2\xB7 \xC2\xB7</span>");
		gap = 0;
		any = 1;
		dc_report_add(p, l->html.b.ptr + l->start[i], end - l->start[i]);
		if (end == l->html.b.len && (end == l->start[i] || l->html.b.ptr[end - 1] != '\n'))
			dc_report_add(p, "\n", 1);
	}
	dc_report_puts(p, "</pre>\n");
	free(show);
}

static void changes(page *p, const record_data *d)
{
	size_t i;

	dc_report_puts(p, "<h2>What each release changed</h2>\n");
	if (d->n < 2) {
		dc_report_puts(
		        p, "<p class=\"note\">This record has one version: all its text was made "
		           "public in "
		           "release ");
		dc_report_esc(p, d->v[0].release);
		dc_report_puts(p, ".</p>\n");
		return;
	}
	dc_report_puts(
	        p,
	        "<p class=\"note\">Lines around each change. Released words are highlighted in the "
	        "colour of their release; where they replaced a redaction marker, the marker is "
	        "shown struck through before them. <del class=\"withheld\">Struck red</del> words "
	        "were withheld again.</p>\n");
	for (i = 1; i < d->n; i++) {
		const declass_span_total *t = d->diffs[i]->totals;
		lines l = { { DC_BUF_INIT, 0 }, NULL, NULL, 0, 0 };

		dc_report_puts(p, "<h3>");
		swatch(p, i);
		dc_report_esc(p, d->v[i - 1].release);
		dc_report_puts(p, " \xE2\x86\x92 ");
		dc_report_esc(p, d->v[i].release);
		if (d->v[i].release_type) {
			dc_report_wrap(p, " <span class=\"type\">", d->v[i].release_type,
			               "</span>");
		}
		dc_report_printf(
		        p,
		        "</h3>\n<p class=\"stat\"><span class=\"plus\">%zu words released</span> "
		        "in %zu passages \xC2\xB7 <span class=\"minus\">%zu withheld</span>",
		        t[DECLASS_SPAN_RELEASED].new_words, t[DECLASS_SPAN_RELEASED].spans,
		        t[DECLASS_SPAN_WITHHELD].old_words);
		if (t[DECLASS_SPAN_NOISE].spans)
			dc_report_printf(p, " \xC2\xB7 %zu OCR differences not counted",
			                 t[DECLASS_SPAN_NOISE].spans);
		dc_report_puts(p, "</p>\n");
		if (!t[DECLASS_SPAN_RELEASED].spans && !t[DECLASS_SPAN_WITHHELD].spans) {
			dc_report_puts(
			        p, "<p class=\"note\">No words were released or withheld: the text "
			           "is the same "
			           "but for OCR differences, or only the files or metadata "
			           "changed.</p>\n");
			continue;
		}
		diff_lines(&l, d, i);
		if (l.html.error)
			p->error = l.html.error;
		else
			hunks(p, &l);
		dc_buf_free(&l.html.b);
		free(l.start);
		free(l.changed);
	}
}

int dc_report_record_page(page *p, declass_archive *a, const char *record,
                          const declass_report_opts *o)
{
	record_data d;
	const char *title;
	int error;

	if ((error = record_data_load(&d, a, record, o->text)) < 0)
		goto done;
	title = d.v[d.n - 1].title;
	dc_report_head(p, record, title);
	if (o->back_href) {
		dc_report_wrap(p, "<nav><a href=\"", o->back_href, "\">\xE2\x86\x90 ");
		dc_report_esc(p, o->back_label ? o->back_label : "release page");
		dc_report_puts(p, "</a></nav>\n");
	}
	dc_report_wrap(p, "<header>\n<p class=\"kicker\">Record</p>\n<h1>", record, "</h1>\n");
	if (title) {
		dc_report_wrap(p, "<p class=\"title\">", title, "</p>\n");
	}
	dc_report_puts(p, "</header>\n");
	meta_list(p, &d);
	dc_report_puts(p, "<h2>Releases</h2>\n");
	releases_table(p, &d);
	dc_report_puts(p, "<h2>Text as of release ");
	dc_report_esc(p, d.v[d.n - 1].release);
	dc_report_puts(
	        p,
	        "</h2>\n<p class=\"note\">Each passage is coloured by the release that first made "
	        "it public, comparing every earlier version: OCR differences and re-flowed lines "
	        "do "
	        "not count as new.</p>\n");
	legend(p, &d);
	blamed_text(p, &d);
	changes(p, &d);
	{
		page f = { DC_BUF_INIT, 0 };

		dc_report_puts(&f, "Record ");
		dc_report_esc(&f, record);
		dc_report_puts(&f, ", newest version from release commit <code>");
		dc_report_esc(&f, d.v[d.n - 1].commit);
		dc_report_puts(&f, "</code>.");
		if (!f.error)
			dc_report_foot(p, f.b.ptr);
		else
			p->error = f.error;
		dc_buf_free(&f.b);
	}
	error = p->error;
done:
	record_data_free(&d);
	return error;
}
