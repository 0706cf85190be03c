/*
 * What the parts of the HTML reports share; nothing outside lib/export sees
 * it (the public API is declass/report.h).
 *
 *   report.c          pages written and escaped, the head and foot, the public API
 *   report_record.c   the page of a record: metadata, releases, blamed text, diffs
 *   report_release.c  the page of a release: totals, agencies, top records
 */
#ifndef DECLASS_REPORT_INTERNAL_H
#define DECLASS_REPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/error.h"
#include "declass/report.h"

/* A page being written: a buffer with a sticky error. */
typedef struct page {
	dc_buf b;
	int error;
} page;

enum { ESC_TEXT, ESC_DOC };

/* ---- pages (report.c) ----------------------------------------------------- */

/* Append s[0..n), a string, or printf's output (at most 255 bytes) to the page. */
void dc_report_add(page *p, const char *s, size_t n);
void dc_report_puts(page *p, const char *s);
void dc_report_printf(page *p, const char *fmt, ...) DC_PRINTF(2, 3);

/* Append s[0..n), or s (NULL: nothing), escaped for HTML text or attributes. */
void dc_report_esc_mode(page *p, const char *s, size_t n, int mode);
void dc_report_esc(page *p, const char *s);
/* before, s escaped, after: the markup around one value. */
void dc_report_wrap(page *p, const char *before, const char *s, const char *after);

/* The page's head (title "title_a — title_b") and foot (`what`, then the common note). */
void dc_report_head(page *p, const char *title_a, const char *title_b);
void dc_report_foot(page *p, const char *what);

/* A size in bytes as people read it: "512 B", "1.5 MB". */
void dc_report_size_text(page *p, uint64_t n);

/* The caller's text options (in may be NULL) with the archive's lexicon. */
int dc_report_with_lexicon(declass_text_opts *out, declass_archive *a, const declass_text_opts *in);

/* ---- the record page (report_record.c) ------------------------------------ */

/* Write the page of `record` into p. */
int dc_report_record_page(page *p, declass_archive *a, const char *record,
                          const declass_report_opts *o);

/* ---- the release page (report_release.c) ---------------------------------- */

/* A record the release added or changed. */
typedef struct rec_row {
	char *record;
	char *agency, *title, *type, *pages;
	int added;
	size_t released, withheld;
} rec_row;

/* A release and the records it added or changed. */
typedef struct release_data {
	declass_release *rel;
	size_t nrel, at; /* rel[at] is the release */
	rec_row *rows;
	size_t n, alloc;
	declass_archive *a;
	declass_text_opts topts;
} release_data;

/* Load r (free it with dc_report_release_data_free(), even on error). */
int dc_report_release_data_load(release_data *r, declass_archive *a, const char *release,
                                const declass_text_opts *topts);
void dc_report_release_data_free(release_data *r);

/* Write the page of release r into p (sorts r's rows). */
int dc_report_release_page(page *p, release_data *r, const declass_report_opts *o);

#endif
