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
	const char *ocr_lang;   /* Tesseract language(s), "eng" when NULL;
	                           "eng+fra" for several */
	const char *tessdata;   /* the folder of <lang>.traineddata; NULL:
	                           $TESSDATA_PREFIX, then the usual places */
	unsigned int dpi;       /* rendering for OCR; 0: 300 */
	unsigned int threads;   /* pages OCRed at once; 0: 2 */
	unsigned int max_pages; /* read only the first max_pages; 0: all */
} declass_pdf_text_options;

#define DECLASS_PDF_TEXT_OPTIONS_VERSION 1
#define DECLASS_PDF_TEXT_OPTIONS_INIT                                                   \
	{                                                                               \
		DECLASS_PDF_TEXT_OPTIONS_VERSION, DECLASS_OCR_AUTO, NULL, NULL, 0, 0, 0 \
	}

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
	size_t npages;       /* pages read (see max_pages) */
	size_t npages_total; /* pages in the PDF */
	declass_pdf_page *pages;
	size_t npages_ocr;     /* pages whose text is OCR */
	size_t npages_missing; /* pages marked DECLASS_PDF_PAGE_MISSING */
	char *extractor;       /* "poppler 22.12.0", or with OCR
	                            "poppler 22.12.0 + tesseract 5.3.0 (eng,
	                            300 dpi)" */
	char *message;         /* NULL, or why some pages have no text, for
	                            the caller to print: "2 of 3 pages have no
	                            text layer and were not OCRed: ..." */
} declass_pdf_text;

/*
 * Extract the text of the PDF file at `path`.  `opts` may be NULL for the
 * defaults.  With DECLASS_OCR_AUTO or _ALWAYS, the pages to OCR are
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
 * loaded on first use: docs/TEXT-EXTRACTION.md), 0 otherwise. */
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
