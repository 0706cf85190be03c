/*
 * HTML reports: a page per record (metadata, releases, the text coloured by
 * the release that made each passage public, the diff of each release) and
 * a page per release (what it added and changed, words released per agency,
 * the records with the most newly released text).
 *
 * Built on the public history and text API only.  A page is assembled in
 * memory (its size is a few times the record's text) and written at once.
 * Everything that comes from the archive is untrusted: it goes through
 * dc_report_esc(), which also turns invalid UTF-8 and control characters
 * into U+FFFD.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/grow.h"
#include "declass/history.h"
#include "declass/report.h"
#include "report_internal.h"
#include "util/jsonutil.h"
#include "util/utf8.h"

void dc_report_add(page *p, const char *s, size_t n)
{
	if (!p->error && dc_buf_add(&p->b, s, n) < 0)
		p->error = DECLASS_ENOMEM;
}

void dc_report_puts(page *p, const char *s)
{
	dc_report_add(p, s, strlen(s));
}

void dc_report_printf(page *p, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(small)) {
		if (!p->error)
			p->error = dc_error_set(DECLASS_ERROR, "report: formatted text too long");
		return;
	}
	dc_report_add(p, small, (size_t)n);
}

/*
 * Escape s[0..n) for HTML text or attribute values.  In ESC_DOC mode (a
 * record's text in <pre>) a form feed, which separates the texts of a
 * record's files, becomes a visible rule; elsewhere it is a space.
 */
void dc_report_esc_mode(page *p, const char *s, size_t n, int mode)
{
	static const char repl[] = "\xEF\xBF\xBD"; /* U+FFFD */
	size_t i = 0, run = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		const char *out = NULL;
		size_t len = 1;

		if (c >= 0x80) {
			len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
			if (len == 1 || i + len > n || !dc_utf8_valid(s + i, len, NULL)) {
				out = repl;
				len = 1;
			}
		} else if (c == '&') {
			out = "&amp;";
		} else if (c == '<') {
			out = "&lt;";
		} else if (c == '>') {
			out = "&gt;";
		} else if (c == '"') {
			out = "&quot;";
		} else if (c == '\'') {
			out = "&#39;";
		} else if (c == '\f') {
			out = mode == ESC_DOC ? "<span class=\"ff\" title=\"next file\"></span>"
			                      : " ";
		} else if (c == '\r') {
			out = "";
		} else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
			out = repl;
		}
		if (out) {
			dc_report_add(p, s + i - run, run);
			run = 0;
			dc_report_puts(p, out);
		} else {
			run += len;
		}
		i += len;
	}
	dc_report_add(p, s + n - run, run);
}

void dc_report_esc(page *p, const char *s)
{
	if (s)
		dc_report_esc_mode(p, s, strlen(s), ESC_TEXT);
}

static const char css[] =
        ":root{--ink:#1c2127;--muted:#5d6670;--rule:#dcd8cf;--paper:#f8f6f1;--card:#fff;"
        "--accent:#8a3b12;--sans:system-ui,-apple-system,\"Segoe UI\",\"DejaVu Sans\",Roboto,"
        "\"Helvetica Neue\",Arial,sans-serif;--mono:\"DejaVu Sans Mono\",ui-monospace,Menlo,"
        "Consolas,\"Liberation Mono\",monospace}\n"
        "*{box-sizing:border-box}\n"
        "html{background:var(--paper)}\n"
        "body{margin:0;color:var(--ink);font:17px/1.55 Charter,\"Bitstream Charter\",Georgia,"
        "\"DejaVu Serif\",\"Times New Roman\",serif}\n"
        "main{max-width:62rem;margin:0 auto;padding:2.6rem 1.6rem 4rem}\n"
        "a{color:var(--accent)}\n"
        "nav{font:.85rem var(--sans);margin-bottom:1.4rem}\n"
        ".kicker{font:600 .74rem/1.2 var(--sans);letter-spacing:.14em;text-transform:uppercase;"
        "color:var(--accent);margin:0}\n"
        "h1{font-size:2.3rem;line-height:1.15;font-weight:normal;margin:.35rem 0 .4rem;"
        "letter-spacing:-.01em}\n"
        "p.title{font-size:1.2rem;font-style:italic;color:#3a4148;margin:0 0 "
        "1.2rem;max-width:48rem}\n"
        "h2{font:650 .78rem/1.2 var(--sans);letter-spacing:.12em;text-transform:uppercase;"
        "color:var(--muted);border-bottom:1px solid "
        "var(--rule);padding-bottom:.45rem;margin:2.6rem 0 1rem}\n"
        "h3{font:600 1rem var(--sans);margin:1.8rem 0 .3rem}\n"
        "p.note{font:.9rem/1.5 var(--sans);color:var(--muted);margin:.2rem 0 .9rem}\n"
        "dl.meta{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:.3rem "
        "1.4rem;"
        "margin:0;font:.92rem/1.45 var(--sans)}\n"
        "@media (max-width:44rem){dl.meta{grid-template-columns:max-content 1fr}}\n"
        "dl.meta dt{color:var(--muted)}\n"
        "dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
        "table{border-collapse:collapse;width:100%;font:.9rem/1.4 "
        "var(--sans);background:var(--card);"
        "border:1px solid var(--rule);border-radius:8px;overflow:hidden}\n"
        "th{font-weight:600;color:var(--muted);background:#f1eee7;font-size:.78rem;"
        "text-transform:uppercase;letter-spacing:.06em}\n"
        "th,td{text-align:left;padding:.5rem .75rem;border-bottom:1px solid "
        "#ebe7df;vertical-align:top}\n"
        "tr:last-child td{border-bottom:none}\n"
        "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
        "td.files{font:.78rem/1.5 var(--mono);color:var(--muted);overflow-wrap:anywhere}\n"
        ".nowrap{white-space:nowrap}\n"
        ".swatch{display:inline-block;width:.95rem;height:.95rem;border-radius:3px;"
        "vertical-align:-.12rem;margin-right:.5rem;border:1px solid rgba(0,0,0,.18)}\n"
        ".type{display:inline-block;font-size:.78rem;padding:.05rem .45rem;border-radius:1rem;"
        "background:#ece8df;color:#444}\n"
        ".legend{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;font:.85rem var(--sans);"
        "color:var(--muted);margin:.2rem 0 .8rem;padding:0;list-style:none}\n"
        "pre.doc{font:.84rem/1.7 var(--mono);white-space:pre-wrap;overflow-wrap:anywhere;"
        "background:var(--card);border:1px solid var(--rule);border-radius:8px;"
        "padding:1.4rem 1.7rem;margin:0;box-shadow:0 1px 3px rgba(60,50,30,.06)}\n"
        "mark,ins{color:inherit;text-decoration:none;border-radius:3px;padding:.05em .1em}\n"
        "mark.c0{background:none;padding:0}\n"
        ".c0{background:#fff}.c1{background:#fde68a}.c2{background:#a7f3d0}.c3{background:#bfdbfe}"
        ".c4{background:#fbcfe8}.c5{background:#ddd6fe}.c6{background:#fed7aa}.c7{background:#"
        "a5f3fc}\n"
        "ins{box-shadow:inset 0 -2px 0 rgba(0,0,0,.25)}\n"
        "del.withheld{background:#fecaca;color:#7f1d1d;text-decoration:line-through;"
        "text-decoration-color:#b91c1c;border-radius:3px}\n"
        ".marker{background:#2b2f33;color:#e8e8e8;border-radius:2px;text-decoration:none;"
        "padding:0 .15em}\n"
        ".marker.solid{color:#2b2f33}\n"
        "del.marker{opacity:.5;text-decoration:line-through;text-decoration-color:#e8e8e8}\n"
        ".swatch.marker{background:#2b2f33}\n"
        ".boiler{color:#8b939b}\n"
        ".ff{display:block;border-top:1px dashed #b9b2a5;margin:.8rem 0}\n"
        ".gap{display:block;color:#a29a8c;text-align:center;letter-spacing:.3em;user-select:none}\n"
        ".stat{font:.88rem var(--sans);color:var(--muted);margin:.1rem 0 .6rem}\n"
        ".plus{color:#166534;font-weight:600}.minus{color:#991b1b;font-weight:600}\n"
        ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.8rem;"
        "margin:1.4rem 0}\n"
        ".card{background:var(--card);border:1px solid var(--rule);border-radius:8px;padding:.8rem "
        "1rem}\n"
        ".card b{display:block;font:600 1.6rem/1.2 var(--sans);font-variant-numeric:tabular-nums}\n"
        ".card span{font:.8rem var(--sans);color:var(--muted)}\n"
        ".bar{height:.55rem;border-radius:1rem;background:#d97706;min-width:2px}\n"
        "footer{margin-top:3rem;padding-top:1rem;border-top:1px solid var(--rule);"
        "font:.8rem/1.5 var(--sans);color:var(--muted)}\n"
        "code{font:.85em var(--mono)}\n"
        "@media print{html{background:#fff}pre.doc{box-shadow:none}}\n";

/*
 * Page head.  The policy forbids every fetch and every script: even if
 * escaping failed somewhere, injected markup could not run or call out.
 */
void dc_report_head(page *p, const char *title_a, const char *title_b)
{
	dc_report_puts(
	        p,
	        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	        "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	        "<meta name=\"generator\" content=\"declass ");
	dc_report_esc(p, declass_version());
	dc_report_puts(p, "\">\n<title>");
	dc_report_esc(p, title_a);
	if (title_b) {
		dc_report_puts(p, " \xE2\x80\x94 ");
		dc_report_esc(p, title_b);
	}
	dc_report_puts(p, "</title>\n<style>\n");
	dc_report_puts(p, css);
	dc_report_puts(p, "</style>\n</head>\n<body>\n<main>\n");
}

void dc_report_foot(page *p, const char *what)
{
	dc_report_puts(p, "<footer>");
	dc_report_puts(p, what);
	dc_report_puts(p, " Written by declass ");
	dc_report_esc(p, declass_version());
	dc_report_puts(
	        p, " from the archive's release commits. Released and withheld words come from a "
	           "word diff that tolerates OCR misreadings, re-flowed lines and release stamps; "
	           "see docs/DIFF.md.</footer>\n</main>\n</body>\n</html>\n");
}

/* The caller's text options with the archive's lexicon, as the diff and blame use. */
int dc_report_with_lexicon(declass_text_opts *out, declass_archive *a, const declass_text_opts *in)
{
	declass_text_opts def = DECLASS_TEXT_OPTS_INIT;

	*out = in ? *in : def;
	return out->lexicon ? 0 : declass_archive_lexicon(&out->lexicon, a, NULL, NULL);
}

void dc_report_size_text(page *p, uint64_t n)
{
	if (n < 1000)
		dc_report_printf(p, "%llu B", (unsigned long long)n);
	else if (n < 1000000)
		dc_report_printf(p, "%.1f kB", (double)n / 1e3);
	else if (n < 1000000000)
		dc_report_printf(p, "%.1f MB", (double)n / 1e6);
	else
		dc_report_printf(p, "%.1f GB", (double)n / 1e9);
}

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
	dc_report_puts(p, "<a href=\"");
	dc_report_esc(p, s);
	dc_report_puts(p, "\" rel=\"noreferrer noopener\">");
	dc_report_esc(p, s);
	dc_report_puts(p, "</a>");
}

/* ---- release page ------------------------------------------------------- */

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
	char *old = NULL;
	size_t olen = 0, n = 0, i;
	rec_row *row;
	int error = 0, added = 0;

	if ((error = dc_grow(&r->rows, &r->alloc, r->n + 1, sizeof(*r->rows))) < 0)
		return error;
	row = &r->rows[r->n];
	memset(row, 0, sizeof(*row));
	if (prev) {
		error = declass_record_text(&old, &olen, r->a, record, prev);
		if (error == DECLASS_ENOTFOUND)
			added = 1, error = 0;
	} else {
		added = 1;
	}
	if (error < 0 ||
	    (error = declass_record_diff_words(&rd, r->a, record, added ? NULL : prev, id,
	                                       &r->topts)) < 0 ||
	    (error = declass_record_log(&v, &n, r->a, record)) < 0)
		goto done;
	w = rd->d;
	/* The version as of the release: the newest one not after it. */
	for (i = n; i-- > 1;)
		if (!strcmp(v[i].release, id))
			break;
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
	free(old);
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
		dc_report_puts(p, "</td><td>");
		dc_report_esc(p, row->agency);
		dc_report_puts(p, "</td><td>");
		if (row->type) {
			dc_report_puts(p, "<span class=\"type\">");
			dc_report_esc(p, row->type);
			dc_report_puts(p, "</span>");
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
	dc_report_puts(p, "<header>\n<p class=\"kicker\">Release</p>\n<h1>");
	dc_report_esc(p, rel->id);
	dc_report_puts(p, "</h1>\n");
	if (rel->title) {
		dc_report_puts(p, "<p class=\"title\">");
		dc_report_esc(p, rel->title);
		dc_report_puts(p, "</p>\n");
	}
	dc_report_puts(p, "</header>\n<dl class=\"meta\">\n<dt>Date</dt><dd>");
	dc_report_esc(p, rel->date);
	dc_report_puts(p, "</dd>\n");
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
	dc_report_puts(p, "</dd>\n<dt>Commit</dt><dd><code>");
	dc_report_esc(p, rel->commit);
	dc_report_puts(p, "</code></dd>\n");
	if (rel->manifest_sha256) {
		dc_report_puts(p, "<dt>Manifest SHA-256</dt><dd><code>");
		dc_report_esc(p, rel->manifest_sha256);
		dc_report_puts(p, "</code></dd>\n");
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

/* ---- output ------------------------------------------------------------ */

static int write_out(page *p, FILE *out)
{
	if (p->error)
		return p->error;
	if (fwrite(p->b.ptr, 1, p->b.len, out) != p->b.len || fflush(out) == EOF || ferror(out))
		return dc_error_sys(DECLASS_ERROR, "cannot write the report");
	return 0;
}

int declass_report_record(declass_archive *a, const char *record, const declass_report_opts *opts,
                          FILE *out)
{
	declass_report_opts o = DECLASS_REPORT_OPTS_INIT;
	page p = { DC_BUF_INIT, 0 };
	int error;

	if (opts)
		o = *opts;
	if ((error = dc_report_record_page(&p, a, record, &o)) == 0)
		error = write_out(&p, out);
	dc_buf_free(&p.b);
	return error;
}

int declass_report_release(declass_archive *a, const char *release, const declass_report_opts *opts,
                           FILE *out)
{
	declass_report_opts o = DECLASS_REPORT_OPTS_INIT;
	page p = { DC_BUF_INIT, 0 };
	release_data r;
	int error;

	if (opts)
		o = *opts;
	if ((error = dc_report_release_data_load(&r, a, release, o.text)) == 0 &&
	    (error = dc_report_release_page(&p, &r, &o)) == 0)
		error = write_out(&p, out);
	dc_report_release_data_free(&r);
	dc_buf_free(&p.b);
	return error;
}

int declass_report_file_name(char **out, const char *record)
{
	static const char hex[] = "0123456789ABCDEF";
	dc_buf b = DC_BUF_INIT;
	size_t i;
	int error = 0;

	for (i = 0; record[i] && !error; i++) {
		unsigned char c = (unsigned char)record[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || (c == '.' && i))
			error = dc_buf_addch(&b, (char)c);
		else if ((error = dc_buf_addch(&b, '~')) == 0 &&
		         (error = dc_buf_addch(&b, hex[c >> 4])) == 0)
			error = dc_buf_addch(&b, hex[c & 15]);
	}
	if (!error)
		error = dc_buf_adds(&b, ".html");
	if (error < 0) {
		dc_buf_free(&b);
		*out = NULL;
		return error;
	}
	*out = dc_buf_detach(&b);
	return 0;
}

/* Write the page to dir/name through a temporary file and a rename. */
static int write_file(const char *dir, const char *name, const page *p)
{
	dc_buf tmp = DC_BUF_INIT, path = DC_BUF_INIT;
	int fd = -1, error;
	size_t done = 0;

	if ((error = dc_buf_addf(&path, "%s/%s", dir, name)) < 0 ||
	    (error = dc_buf_addf(&tmp, "%s/.%s.XXXXXX", dir, name)) < 0)
		goto done;
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		error = dc_error_sys(DECLASS_ERROR, "cannot create a file in '%s'", dir);
		goto done;
	}
	while (done < p->b.len) {
		ssize_t n = write(fd, p->b.ptr + done, p->b.len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = dc_error_sys(DECLASS_ERROR, "cannot write '%s'", path.ptr);
			goto done;
		}
		done += (size_t)n;
	}
	if (fchmod(fd, 0644) < 0 || close(fd) < 0) {
		fd = -1;
		error = dc_error_sys(DECLASS_ERROR, "cannot write '%s'", path.ptr);
		goto done;
	}
	fd = -1;
	if (rename(tmp.ptr, path.ptr) < 0)
		error = dc_error_sys(DECLASS_ERROR, "cannot write '%s'", path.ptr);
done:
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp.len)
		unlink(tmp.ptr);
	dc_buf_free(&tmp);
	dc_buf_free(&path);
	return error;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return dc_error_sys(DECLASS_ERROR, "cannot create folder '%s'", path);
	return 0;
}

int declass_report_dir(declass_archive *a, const char *release, const char *dir,
                       const declass_report_opts *opts, declass_report_progress_cb progress,
                       void *progress_ctx)
{
	declass_report_opts o = DECLASS_REPORT_OPTS_INIT;
	dc_buf sub = DC_BUF_INIT, name = DC_BUF_INIT, back = DC_BUF_INIT, label = DC_BUF_INIT;
	page p = { DC_BUF_INIT, 0 };
	release_data r;
	size_t i;
	int error;

	if (opts)
		o = *opts;
	o.record_href = "records/";
	if ((error = dc_report_release_data_load(&r, a, release, o.text)) < 0 ||
	    (error = make_dir(dir)) < 0 || (error = dc_buf_addf(&sub, "%s/records", dir)) < 0 ||
	    (error = make_dir(sub.ptr)) < 0 ||
	    (error = dc_buf_addf(&name, "release-%s.html", release)) < 0 ||
	    (error = dc_buf_addf(&back, "../release-%s.html", release)) < 0 ||
	    (error = dc_buf_addf(&label, "release %s", release)) < 0 ||
	    (error = dc_report_release_page(&p, &r, &o)) < 0)
		goto done;
	/* Record pages first, so the release page's links never dangle. */
	o.back_href = back.ptr;
	o.back_label = label.ptr;
	for (i = 0; i < r.n; i++) {
		page rp = { DC_BUF_INIT, 0 };
		char *file = NULL;

		if (progress)
			progress(progress_ctx, i, r.n + 1);
		if ((error = declass_report_file_name(&file, r.rows[i].record)) == 0 &&
		    (error = dc_report_record_page(&rp, a, r.rows[i].record, &o)) == 0)
			error = write_file(sub.ptr, file, &rp);
		free(file);
		dc_buf_free(&rp.b);
		if (error < 0)
			goto done;
	}
	if ((error = write_file(dir, name.ptr, &p)) == 0 && progress)
		progress(progress_ctx, r.n + 1, r.n + 1);
done:
	dc_report_release_data_free(&r);
	dc_buf_free(&p.b);
	dc_buf_free(&sub);
	dc_buf_free(&name);
	dc_buf_free(&back);
	dc_buf_free(&label);
	return error;
}
