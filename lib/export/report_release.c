/*
 * The HTML page of a release (see report.c): its fields, the totals of
 * the records it added or changed (each diffed against the release
 * before), the words released per agency, and the records with the most
 * newly released text.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/grow.h"
#include "declass/history.h"
#include "report_internal.h"

static int is_http_url(const char *s)
{
	size_t i;

	if (strncasecmp(s, "http://", 7) && strncasecmp(s, "https://", 8))
		return 0;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7F)
			return 0;
	return 1;
}

/* A link when url is http(s), else the text escaped. */
static void url(page *p, const char *s)
{
	if (!is_http_url(s)) {
		dc_report_esc(p, s);
		return;
	}
	dc_report_wrap(p, "<a href=\"", s, "\" rel=\"noreferrer noopener\">");
	dc_report_esc(p, s);
	dc_report_puts(p, "</a>");
}

void dc_report_release_data_free(release_data *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->rows[i].record);
		free(r->rows[i].agency);
		free(r->rows[i].title);
		free(r->rows[i].type);
		free(r->rows[i].pages);
	}
	free(r->rows);
	declass_releases_free(r->rel, r->nrel);
}

static int dup_or_null(char **out, const char *s)
{
	*out = NULL;
	if (s && !(*out = strdup(s)))
		return dc_error_oom();
	return 0;
}

static int collect_one(void *ctx, const char *record)
{
	release_data *r = ctx;
	const char *id = r->rel[r->at].id, *prev = r->at ? r->rel[r->at - 1].id : NULL;
	declass_record_version *v = NULL;
	declass_record_diff *rd = NULL;
	const declass_wdiff *w;
	size_t n = 0;
	long i;
	rec_row *row;
	int error = 0, added = 0;

	if ((error = dc_grow(&r->rows, &r->alloc, r->n + 1, sizeof(*r->rows))) < 0)
		return error;
	row = &r->rows[r->n];
	memset(row, 0, sizeof(*row));
	/* Added: the record was not in the archive as of the release before. */
	added = !prev;
	error = declass_record_diff_words(&rd, r->a, record, prev, id, &r->topts);
	if (error == DECLASS_ENOTFOUND && prev) {
		added = 1;
		error = declass_record_diff_words(&rd, r->a, record, NULL, id, &r->topts);
	}
	if (error < 0 || (error = declass_record_log(&v, &n, r->a, record)) < 0 ||
	    (error = declass_record_version_as_of(&i, r->a, v, n, id)) < 0)
		goto done;
	w = rd->d;
	if (i < 0) /* not met: the record is in the release */
		i = 0;
	if ((error = dup_or_null(&row->record, record)) < 0 ||
	    (error = dup_or_null(&row->agency, v[i].agency)) < 0 ||
	    (error = dup_or_null(&row->title, v[i].title)) < 0 ||
	    (error = dup_or_null(&row->type, v[i].release_type)) < 0 ||
	    (error = dup_or_null(&row->pages, v[i].pages)) < 0)
		goto done;
	row->added = added;
	row->released = w->totals[DECLASS_SPAN_RELEASED].new_words;
	row->withheld = w->totals[DECLASS_SPAN_WITHHELD].old_words;
	r->n++;
done:
	if (error < 0) {
		free(row->record);
		free(row->agency);
		free(row->title);
		free(row->type);
		free(row->pages);
	}
	declass_versions_free(v, n);
	declass_record_diff_free(rd);
	return error;
}

/* The release, the one before it, and a row per record it added or changed. */
int dc_report_release_data_load(release_data *r, declass_archive *a, const char *release,
                                const declass_text_opts *topts)
{
	int error;

	memset(r, 0, sizeof(*r));
	r->a = a;
	if ((error = dc_report_with_lexicon(&r->topts, a, topts)) < 0 ||
	    (error = declass_archive_releases(&r->rel, &r->nrel, a)) < 0)
		return error;
	for (r->at = 0; r->at < r->nrel && strcmp(r->rel[r->at].id, release); r->at++)
		;
	if (r->at == r->nrel)
		return dc_error_set(DECLASS_ENOTFOUND, "no release '%s' in the archive", release);
	if (r->at == 0)
		return declass_records_each(a, release, collect_one, r);
	return declass_records_changed(a, r->rel[r->at - 1].id, release, collect_one, r);
}

static int cmp_released(const void *x, const void *y)
{
	const rec_row *a = x, *b = y;

	if (a->released != b->released)
		return a->released > b->released ? -1 : 1;
	return strcmp(a->record, b->record);
}

typedef struct agency_row {
	const char *name;
	size_t records, released, withheld;
} agency_row;

static int cmp_agency(const void *x, const void *y)
{
	const agency_row *a = x, *b = y;

	if (a->released != b->released)
		return a->released > b->released ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void card(page *p, size_t n, const char *what)
{
	dc_report_printf(p, "<div class=\"card\"><b>%zu</b><span>%s</span></div>\n", n, what);
}

static void agencies(page *p, const release_data *r)
{
	agency_row *rows = calloc(r->n + 1, sizeof(*rows));
	size_t n = 0, i, k, max = 0;

	if (!rows) {
		p->error = dc_error_oom();
		return;
	}
	for (i = 0; i < r->n; i++) {
		const char *name = r->rows[i].agency ? r->rows[i].agency : "(not given)";

		for (k = 0; k < n && strcmp(rows[k].name, name); k++)
			;
		if (k == n)
			rows[n++].name = name;
		rows[k].records++;
		rows[k].released += r->rows[i].released;
		rows[k].withheld += r->rows[i].withheld;
	}
	qsort(rows, n, sizeof(*rows), cmp_agency);
	for (i = 0; i < n; i++)
		if (rows[i].released > max)
			max = rows[i].released;
	dc_report_puts(
	        p,
	        "<h2>Words released per agency</h2>\n<table class=\"agencies\">\n<thead><tr>"
	        "<th>Agency</th><th class=\"num\">Records</th><th class=\"num\">Words released</th>"
	        "<th style=\"width:40%\"></th><th "
	        "class=\"num\">Withheld</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		dc_report_puts(p, "<tr><td>");
		dc_report_esc(p, rows[i].name);
		dc_report_printf(
		        p,
		        "</td><td class=\"num\">%zu</td><td class=\"num\"><span class=\"plus\">%zu"
		        "</span></td><td><div class=\"bar\" style=\"width:%.1f%%\"></div></td>"
		        "<td class=\"num\">%zu</td></tr>\n",
		        rows[i].records, rows[i].released,
		        max ? 100.0 * (double)rows[i].released / (double)max : 0.0,
		        rows[i].withheld);
	}
	dc_report_puts(p, "</tbody>\n</table>\n");
	free(rows);
}

static void record_link_open(page *p, const declass_report_opts *o, const char *record)
{
	char *name = NULL;

	if (!o->record_href)
		return;
	if (declass_report_file_name(&name, record) < 0) {
		p->error = DECLASS_ENOMEM;
		return;
	}
	dc_report_puts(p, "<a href=\"");
	dc_report_esc(p, o->record_href);
	dc_report_esc(p, name);
	dc_report_puts(p, "\">");
	free(name);
}

static void top_records(page *p, release_data *r, const declass_report_opts *o)
{
	size_t top = o->top ? o->top : 50, i;

	if (r->n)
		qsort(r->rows, r->n, sizeof(*r->rows), cmp_released);
	dc_report_printf(p, "<h2>Records with the most newly released text</h2>\n");
	if (r->n > top)
		dc_report_printf(p, "<p class=\"note\">The first %zu of %zu records.</p>\n", top,
		                 r->n);
	dc_report_puts(
	        p, "<table class=\"records\">\n<thead><tr><th class=\"num\">#</th><th>Record</th>"
	           "<th>Title</th><th>Agency</th><th>Type</th><th class=\"num\">Released</th>"
	           "<th class=\"num\">Withheld</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < r->n && i < top; i++) {
		const rec_row *row = &r->rows[i];

		dc_report_printf(p, "<tr><td class=\"num\">%zu</td><td class=\"nowrap\">", i + 1);
		record_link_open(p, o, row->record);
		dc_report_esc(p, row->record);
		if (o->record_href)
			dc_report_puts(p, "</a>");
		dc_report_printf(p, "%s</td><td>",
		                 row->added ? " <span class=\"type\">new</span>" : "");
		dc_report_esc(p, row->title);
		dc_report_wrap(p, "</td><td>", row->agency, "</td><td>");
		if (row->type) {
			dc_report_wrap(p, "<span class=\"type\">", row->type, "</span>");
		}
		dc_report_printf(p,
		                 "</td><td class=\"num\"><span class=\"plus\">+%zu</span></td>"
		                 "<td class=\"num\">%s%zu%s</td></tr>\n",
		                 row->released,
		                 row->withheld ? "<span class=\"minus\">\xE2\x88\x92" : "",
		                 row->withheld, row->withheld ? "</span>" : "");
	}
	dc_report_puts(p, "</tbody>\n</table>\n");
}

int dc_report_release_page(page *p, release_data *r, const declass_report_opts *o)
{
	const declass_release *rel = &r->rel[r->at];
	size_t added = 0, released = 0, withheld = 0, i;

	for (i = 0; i < r->n; i++) {
		added += r->rows[i].added;
		released += r->rows[i].released;
		withheld += r->rows[i].withheld;
	}
	dc_report_head(p, "Release", rel->id);
	dc_report_wrap(p, "<header>\n<p class=\"kicker\">Release</p>\n<h1>", rel->id, "</h1>\n");
	if (rel->title) {
		dc_report_wrap(p, "<p class=\"title\">", rel->title, "</p>\n");
	}
	dc_report_wrap(p, "</header>\n<dl class=\"meta\">\n<dt>Date</dt><dd>", rel->date,
	               "</dd>\n");
	if (rel->source) {
		dc_report_puts(p, "<dt>Source</dt><dd>");
		url(p, rel->source);
		dc_report_puts(p, "</dd>\n");
	}
	dc_report_puts(p, "<dt>Compared with</dt><dd>");
	if (r->at)
		dc_report_esc(p, r->rel[r->at - 1].id);
	else
		dc_report_puts(p, "nothing (the first release in the archive)");
	dc_report_printf(p, "</dd>\n<dt>Files</dt><dd>%zu, ", rel->files);
	dc_report_size_text(p, rel->bytes);
	dc_report_puts(p, "</dd>\n<dt>Ingested</dt><dd>");
	dc_report_esc(p, rel->ingested_at);
	if (rel->ingested_by) {
		dc_report_puts(p, " by ");
		dc_report_esc(p, rel->ingested_by);
	}
	dc_report_wrap(p, "</dd>\n<dt>Commit</dt><dd><code>", rel->commit, "</code></dd>\n");
	if (rel->manifest_sha256) {
		dc_report_wrap(p, "<dt>Manifest SHA-256</dt><dd><code>", rel->manifest_sha256,
		               "</code></dd>\n");
	}
	dc_report_puts(p, "</dl>\n<div class=\"cards\">\n");
	card(p, r->n, "records new or changed");
	card(p, added, "new records");
	card(p, r->n - added, "changed records");
	card(p, released, "words released");
	card(p, withheld, "words withheld");
	dc_report_puts(p, "</div>\n");
	agencies(p, r);
	top_records(p, r, o);
	{
		page f = { DC_BUF_INIT, 0 };

		dc_report_puts(&f, "Release ");
		dc_report_esc(&f, rel->id);
		dc_report_puts(&f, ", commit <code>");
		dc_report_esc(&f, rel->commit);
		dc_report_puts(&f, "</code>.");
		if (!f.error)
			dc_report_foot(p, f.b.ptr);
		else
			p->error = f.error;
		dc_buf_free(&f.b);
	}
	return p->error;
}
