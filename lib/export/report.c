/*
 * HTML reports: a page per record (metadata, releases, the text coloured by
 * the release that made each passage public, the diff of each release) and
 * a page per release (what it added and changed, words released per agency,
 * the records with the most newly released text).  This file writes and
 * escapes pages and holds the public API; the pages are report_record.c and
 * report_release.c.
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
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "declass/history.h"
#include "declass/record.h"
#include "declass/report.h"
#include "report_internal.h"
#include "util/jsonutil.h"
#include "util/output.h"
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

void dc_report_wrap(page *p, const char *before, const char *s, const char *after)
{
	dc_report_puts(p, before);
	dc_report_esc(p, s);
	dc_report_puts(p, after);
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
	return declass_record_name(out, record, '~', ".html");
}

/* Write the page to dir/name as a named output (declass/output.h). */
static int write_file(const char *dir, const char *name, const page *p)
{
	dc_buf path = DC_BUF_INIT;
	declass_output *out = NULL;
	int error;

	if ((error = dc_buf_addf(&path, "%s/%s", dir, name)) < 0 ||
	    (error = declass_output_open(&out, path.ptr)) < 0)
		goto done;
	if (dc_write_all(declass_output_fd(out), p->b.ptr, p->b.len) < 0) {
		error = dc_error_sys(DECLASS_ERROR, "cannot write '%s'", path.ptr);
		declass_output_abort(out);
		goto done;
	}
	error = declass_output_commit(out);
done:
	dc_buf_free(&path);
	return error;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
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
