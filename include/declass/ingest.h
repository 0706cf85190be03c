/*
 * Ingest: one release tranche (a folder of released files and optionally
 * its manifest) becomes one commit and one tag, all or nothing.
 */
#ifndef DECLASS_INGEST_H
#define DECLASS_INGEST_H

#include "declass/archive.h"
#include "declass/pdftext.h"

typedef struct declass_progress {
	const char *phase; /* "scan"; "hash": files read and stored, and
	                      their records' folders made, a batch at a
	                      time; "commit": the tree, commit and tag */
	size_t files_done, files_total;
	uint64_t bytes_done, bytes_total;
} declass_progress;

typedef struct declass_ingest_opts {
	const char *release_id;    /* required: [A-Za-z0-9][A-Za-z0-9._-]* */
	const char *date;          /* required: YYYY-MM-DD */
	const char *title;         /* optional, one line */
	const char *source;        /* optional, one line (URL) */
	const char *manifest;      /* optional path of a CSV or JSON manifest */
	const char *dir;           /* required: folder of released files */
	int allow_unlisted;        /* with a manifest: ignore files it does not list */
	int no_extract;            /* do not extract text from PDFs without NAME.txt */
	int text_only;             /* DIR holds texts of the records (.txt, .md)
	                           published by a third party, not released files */
	const char *text_provider; /* with text_only: who published the texts */
	declass_ocr_mode ocr;      /* OCR of pages without a text layer (AUTO) */
	const char *sign_key;      /* optional: PEM Ed25519 private key that signs the
	                           release tag (docs/SIGNING.md) */
	void (*progress)(void *ctx, const declass_progress *p);
	void *progress_ctx;
} declass_ingest_opts;

typedef struct declass_ingest_result {
	int noop; /* the release was there already, identical */
	size_t records, files;
	uint64_t bytes;
	char commit[41];          /* hex id of the release commit */
	size_t extracted;         /* PDFs whose text was extracted */
	size_t pages_ocr;         /* pages of those read by OCR */
	size_t pages_missing;     /* pages left without text (no layer, no OCR) */
	size_t incomplete;        /* PDFs whose text is not all they hold: a limit
	                             stopped it, or poppler or Tesseract could not
	                             be loaded (meta.json: "incomplete") */
	char note[512];           /* why pages were left without text (first an
	                             incomplete PDF's reason), or "" */
	size_t rows_without_text; /* text_only: manifest rows with no text */
	size_t texts_empty;       /* text_only: empty texts (OCR found nothing), left out */
	size_t hidden;            /* files and folders of DIR whose names start with '.',
	                             left out (a hidden folder counts once) */
	char hidden_first[512];   /* the first of them (path below DIR; cut to fit), or "" */
} declass_ingest_result;

/*
 * Ingest a tranche into an archive opened with DECLASS_OPEN_WRITE.  Input
 * is checked before anything is written; on any error the archive is left
 * exactly as it was.  The archive's limits apply (declass/limits.h,
 * declass_archive_set_limits()): a text over the limit on one text is
 * refused, a PDF over a limit is archived with the text read until then.
 * Errors: DECLASS_EINPUT (bad options, manifest or files; the message
 * names the file, line or record), DECLASS_ELIMIT (a text over the
 * limit), DECLASS_ECONFLICT (release id already archived with other
 * content), DECLASS_EARCHIVE.
 */
int declass_ingest(declass_archive *a, const declass_ingest_opts *opts, declass_ingest_result *out);

#endif
