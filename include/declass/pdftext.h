/*
 * The text of a PDF, page by page: the PDF's own text layer (poppler), and
 * OCR (Tesseract) for scanned pages that have none.  Ingest uses it for a
 * record's text.txt when no NAME.txt sidecar came with NAME.pdf.
 *
 * Pages are joined with a form feed ('\f', as pdftotext does), so that a
 * diff can say "page 3".  The result names the extractor and its version
 * ("poppler 22.12.0 + tesseract 5.3.0 (eng, 300 dpi)"): a record re-read
 * by another engine must be told apart from a record released again with
 * new text, so the caller keeps that string beside the text (meta.json).
 *
 * OCR is slow (a second or more a page) and optional at run time: without
 * Tesseract's data for the language, pages without a text layer come back
 * empty and marked DECLASS_PDF_PAGE_MISSING, and the result's `message`
 * says why; extraction does not fail.  See docs/TEXT-EXTRACTION.md.
 */
#ifndef DECLASS_PDFTEXT_H
#define DECLASS_PDFTEXT_H

#include "declass/declass.h"
#include "declass/limits.h"

typedef enum declass_ocr_mode {
	DECLASS_OCR_AUTO = 0, /* OCR the pages that have no text layer */
	DECLASS_OCR_ALWAYS,   /* OCR every page; a text layer is used only
	                         where OCR cannot run */
	DECLASS_OCR_NEVER,    /* the text layer only */
} declass_ocr_mode;

/* How a page's text was obtained. */
typedef enum declass_pdf_page_source {
	DECLASS_PDF_PAGE_TEXT = 0, /* the PDF's text layer */
	DECLASS_PDF_PAGE_OCR,      /* OCR of the page rendered as an image */
	DECLASS_PDF_PAGE_MISSING,  /* no text layer, and no OCR: not wanted
	                              (DECLASS_OCR_NEVER), not available, or
	                              failed on this page; the text is empty */
} declass_pdf_page_source;

typedef struct declass_pdf_text_options {
	unsigned int version; /* DECLASS_PDF_TEXT_OPTIONS_VERSION */
	declass_ocr_mode ocr;
	const char *ocr_lang; /* Tesseract language(s), "eng" when NULL;
	                           "eng+fra" for several */
	const char *tessdata; /* the folder of <lang>.traineddata; NULL:
	                           $TESSDATA_PREFIX, then the usual places */
	unsigned int dpi;     /* rendering for OCR; 0: 300 */
	unsigned int threads; /* pages OCRed at once; 0: 2 */
	/*
	 * Limits (declass/limits.h; 0: the default, UINT_MAX, INFINITY or
	 * UINT64_MAX: none).  A PDF over one still gives the text read until
	 * then, with `incomplete` saying which limit stopped it.
	 */
	unsigned int max_pages;  /* read only the first max_pages */
	double max_page_seconds; /* a page's rendering and OCR; then the
	                            page is left without text */
	double max_seconds;      /* the whole PDF; then the pages left are
	                            left without text */
	uint64_t max_content;    /* what the PDF's streams decode to, images
	                            aside (measured before poppler reads it);
	                            over it, nothing is read */
	uint64_t max_text;       /* the text: pages that would take it past
	                            this are dropped */
} declass_pdf_text_options;

#define DECLASS_PDF_TEXT_OPTIONS_VERSION 2
#define DECLASS_PDF_TEXT_OPTIONS_INIT                                                             \
	{                                                                                         \
		DECLASS_PDF_TEXT_OPTIONS_VERSION, DECLASS_OCR_AUTO, NULL, NULL, 0, 0, 0, 0, 0, 0, \
		        0                                                                         \
	}

/*
 * Why a text is not all the PDF holds (a text made with DECLASS_OCR_NEVER
 * is complete: its missing pages were not asked for).
 */
typedef enum declass_pdf_incomplete {
	DECLASS_PDF_COMPLETE = 0,
	DECLASS_PDF_MAX_PAGES,        /* more pages than max_pages */
	DECLASS_PDF_MAX_PAGE_SECONDS, /* a page's OCR ran out of time */
	DECLASS_PDF_MAX_SECONDS,      /* the PDF ran out of time */
	DECLASS_PDF_MAX_CONTENT,      /* its streams decode to over max_content,
	                                 or cannot be measured: not read */
	DECLASS_PDF_MAX_TEXT,         /* the text reached max_text */
	DECLASS_PDF_NO_READER,        /* poppler cannot be loaded: not read */
	DECLASS_PDF_NO_OCR,           /* pages wanted OCR, and Tesseract or its
	                                 data could not be loaded */
	DECLASS_PDF_OCR_FAILED,       /* OCR failed on pages (out of memory...) */
} declass_pdf_incomplete;

/*
 * The name meta.json gives a reason ("max-pages", "max-page-seconds",
 * "max-pdf-seconds", "max-pdf-content", "max-text", "no-pdf-reader",
 * "no-ocr", "ocr-failed"), NULL for DECLASS_PDF_COMPLETE; static.
 */
const char *declass_pdf_incomplete_name(declass_pdf_incomplete why);

typedef struct declass_pdf_page {
	size_t offset; /* where the page starts in text */
	size_t len;    /* its bytes, '\f' excluded */
	declass_pdf_page_source source;
} declass_pdf_page;

typedef struct declass_pdf_text {
	char *text; /* UTF-8, NUL-terminated; pages joined by
	                            '\f' (none after the last); each non-empty
	                            page ends with '\n' */
	size_t len;
	size_t npages;       /* pages in the text (see max_pages, max_text) */
	size_t npages_total; /* pages in the PDF */
	declass_pdf_page *pages;
	size_t npages_ocr;                 /* pages whose text is OCR */
	size_t npages_missing;             /* pages marked DECLASS_PDF_PAGE_MISSING */
	char *extractor;                   /* "poppler 22.12.0", or with OCR
	                            "poppler 22.12.0 + tesseract 5.3.0 (eng,
	                            300 dpi)" */
	char *message;                     /* NULL, or why some pages have no text, for
	                            the caller to print: "2 of 3 pages have no
	                            text layer and were not OCRed: ..." */
	declass_pdf_incomplete incomplete; /* the first reason the text is
	                                      not the whole PDF's; `message`
	                                      names the limit or the library */
} declass_pdf_text;

/*
 * Extract the text of the PDF file at `path`.  `opts` may be NULL for the
 * defaults.  Its work is bounded by the options' limits; OCR is stopped
 * inside a page at the time limits, poppler's own work between pages (its
 * content measured first: max_content).  With DECLASS_OCR_AUTO or _ALWAYS, the pages to OCR are
 * rendered one at a time per thread at `dpi` (never all at once) and
 * read by `threads` threads, each with its own Tesseract instance.
 * Thread-safe: several files may be read at once (then threads = 1 each
 * is the sensible choice).
 *
 * Fails with DECLASS_EINPUT when the file cannot be read as a PDF (or is
 * encrypted), DECLASS_ERROR when this build has no PDF support (see
 * declass_pdf_text_supported()).  Missing OCR data is not a failure (see
 * above).  The result is the caller's, freed with declass_pdf_text_free().
 */
int declass_pdf_text_extract(declass_pdf_text **out, const char *path,
                             const declass_pdf_text_options *opts);

void declass_pdf_text_free(declass_pdf_text *t);

/* 1 when this build reads PDFs and poppler-glib could be loaded (it is
 * loaded on first use: docs/TEXT-EXTRACTION.md), 0 otherwise: then
 * declass_error_last() says why. */
int declass_pdf_text_supported(void);

/*
 * Can pages be OCRed in `lang` (NULL: "eng") with the data in `tessdata`
 * (NULL: $TESSDATA_PREFIX, then the usual places)?  Returns 0 when they
 * can, or DECLASS_ENOTFOUND with a message saying what is missing (this
 * build has no Tesseract, or no <lang>.traineddata where it looked, and
 * what to install).  Cheap: looks for files, loads nothing.
 */
int declass_pdf_text_ocr_check(const char *lang, const char *tessdata);

/*
 * Was a text described by `extractor` (declass_pdf_text.extractor, as
 * kept in meta.json) made by the poppler, and Tesseract if it OCRed, that
 * this process runs?  Then extracting it again gives the same text.  The
 * language and resolution are not compared.
 */
int declass_pdf_text_extractor_current(const char *extractor);

/* The versions of poppler and Tesseract in use ("22.12.0", "5.3.0"), or
 * NULL for what this build lacks; static strings. */
const char *declass_pdf_text_poppler_version(void);
const char *declass_pdf_text_tesseract_version(void);

#endif
