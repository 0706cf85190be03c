/*
 * HTML reports for people who would rather look than read: one page per
 * record (its metadata, its releases, its text coloured by the release that
 * made each passage public, and what each release changed) and one page
 * per release (records new or changed, words released per agency, the
 * records with the most newly released text).
 *
 * Pages are self-contained: inline CSS, no scripts, no fonts, images or
 * anything else fetched from a network, and a Content-Security-Policy that
 * forbids them.  Every piece of archive text (record text, titles, manifest
 * fields, release titles) is untrusted and escaped; a source URL becomes a
 * link only when it is http(s).  Output is deterministic: the same archive
 * gives the same bytes (no generation time).  docs/REPORT.md describes the
 * pages.
 */
#ifndef DECLASS_REPORT_H
#define DECLASS_REPORT_H

#include <stdio.h>

#include "declass/archive.h"
#include "declass/text.h"

/* Options of the report functions.  Start from DECLASS_REPORT_OPTS_INIT. */
typedef struct declass_report_opts {
	/* Diff and blame tolerances and markers; NULL for the defaults. */
	const declass_text_opts *text;
	/*
	 * Release page: link each record to record_href followed by its page's
	 * file name (declass_report_file_name()), e.g. "records/".  NULL: no
	 * links.
	 */
	const char *record_href;
	/* Record page: a link back to this address (the release page); NULL: none. */
	const char *back_href;
	const char *back_label; /* the link's text (default "release page") */
	/* Release page: how many records the "most released" table lists (0: 50). */
	size_t top;
} declass_report_opts;

#define DECLASS_REPORT_OPTS_INIT          \
	{                                 \
		NULL, NULL, NULL, NULL, 0 \
	}

/*
 * Write the page of `record` (all its versions) to `out`.  opts may be
 * NULL.  DECLASS_ENOTFOUND for a record the archive does not hold;
 * DECLASS_ERROR if `out` could not be written.  Cost: one word diff per
 * pair of consecutive versions and one blame (n - 1 diffs).
 */
int declass_report_record(declass_archive *a, const char *record, const declass_report_opts *opts,
                          FILE *out);

/*
 * Write the page of release `release` to `out`: the records it added or
 * changed (against the release before it), diffed.  Cost: one word diff
 * per record in the tranche.
 */
int declass_report_release(declass_archive *a, const char *release, const declass_report_opts *opts,
                           FILE *out);

/*
 * The file name of a record's page, "104-10004-10143.html": bytes outside
 * [A-Za-z0-9_.-], and a leading '.', become ~XX, so the name is safe in a
 * folder and in a link; a name over 255 bytes is shortened as
 * declass_record_name() says (declass_record_name(out, record, '~',
 * ".html")).  Caller frees.
 */
int declass_report_file_name(char **out, const char *record);

/* Progress of declass_report_dir(): pages written of total. */
typedef void (*declass_report_progress_cb)(void *ctx, size_t done, size_t total);

/*
 * Write a folder of pages for `release`: DIR/release-<ID>.html and
 * DIR/records/<name>.html for every record the release added or changed,
 * linked to each other.  DIR is created if missing; each page is written
 * to a temporary file and renamed into place, so a page is never half
 * written.  progress may be NULL.
 */
int declass_report_dir(declass_archive *a, const char *release, const char *dir,
                       const declass_report_opts *opts, declass_report_progress_cb progress,
                       void *progress_ctx);

#endif
