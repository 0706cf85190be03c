/*
 * Re-extraction: the text of records already archived, read again from
 * their released PDFs with the extractor this build has (a newer poppler,
 * Tesseract, or OCR where there was none), written as one *text revision*
 * commit that changes text.txt and the text in meta.json only, never a
 * released file or its SHA-256.  See docs/TEXT-EXTRACTION.md.
 */
#ifndef DECLASS_REEXTRACT_H
#define DECLASS_REEXTRACT_H

#include "declass/archive.h"
#include "declass/ingest.h"
#include "declass/pdftext.h"

typedef struct declass_reextract_opts {
	const char *release;        /* only records whose newest version came
	                                 from this release; NULL: every record */
	const char *const *records; /* only these records; NULL: all */
	size_t nrecords;
	declass_ocr_mode ocr; /* as for ingest (AUTO) */
	int force;            /* also files already read by the tools
	                                 this build has, with no page missing */
	const char *sign_key; /* optional: PEM Ed25519 private key that signs the
	                         text revision (docs/SIGNING.md) */
	void (*progress)(void *ctx, const declass_progress *p);
	void *progress_ctx;
} declass_reextract_opts;

typedef struct declass_reextract_result {
	char commit[41];      /* the text revision's commit, "" when nothing changed */
	size_t records;       /* records looked at */
	size_t files;         /* PDFs read again */
	size_t current;       /* PDFs left alone: already read by these tools */
	size_t kept;          /* texts supplied with the release (NAME.txt,
	                         released or third-party text) kept as they are */
	size_t changed;       /* records whose text (or its description) changed */
	size_t worse;         /* PDFs whose new text would have had more pages
	                         without text: their old text is kept */
	size_t pages_ocr;     /* pages read by OCR */
	size_t pages_missing; /* pages still without text */
	size_t incomplete;    /* PDFs whose new text is still not all they hold
	                         (a limit, a library that could not be loaded) */
	char note[512];       /* why pages were left without text, or "" */
} declass_reextract_result;

/*
 * Re-extract the text of the archive's records (opened with
 * DECLASS_OPEN_WRITE) as opts says, and commit what changed as one text
 * revision; nothing is written when nothing changed.  All or nothing, as
 * an ingest, within the archive's limits (declass_archive_set_limits()):
 * a text that a limit stopped, or that a missing library left out, is
 * read again, and one that the limits would now cut short is kept.
 * Errors: DECLASS_EINPUT (unknown release or record, no PDF support in
 * this build or poppler cannot be loaded), DECLASS_ELIMIT (a record's
 * text over the limit on one text), DECLASS_EARCHIVE (a released file
 * does not hash to its recorded SHA-256: run declass verify).
 */
int declass_reextract(declass_archive *a, const declass_reextract_opts *opts,
                      declass_reextract_result *out);

#endif
