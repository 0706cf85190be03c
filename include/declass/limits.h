/*
 * Limits on what one input may cost: the bytes of one record's text, and
 * the pages, seconds and decoded content of one PDF.  Each has a default
 * that no real NARA release reaches (the table in docs/RELIABILITY.md,
 * "Limits", says what each protects and what happens at it) and can be
 * raised: by the command's options, by declass_archive_set_limits() for
 * what an archive handle reads and writes, by declass_pdf_text_options
 * for one extraction.
 */
#ifndef DECLASS_LIMITS_H
#define DECLASS_LIMITS_H

#include "declass/archive.h"

/*
 * One record's text (text.txt), in bytes: 32 MiB.  The longest real
 * record, 2,598 pages, makes about 8 MB of OCR text.
 */
#define DECLASS_LIMIT_TEXT ((uint64_t)32 << 20)
/* Pages read of one PDF: 5,000 (the longest real one has 2,598). */
#define DECLASS_LIMIT_PDF_PAGES 5000u
/* Seconds of work on one page (its OCR): 300 (a real scan takes 1-3). */
#define DECLASS_LIMIT_PDF_PAGE_SECONDS 300.0
/* Seconds of work on one PDF: 4 hours (2,598 pages OCRed at 3 s a page
 * on one core take 2.2). */
#define DECLASS_LIMIT_PDF_SECONDS 14400.0
/*
 * Bytes a PDF's streams decode to, images aside (page contents, forms,
 * fonts): 256 MiB.  Scans hold a few hundred bytes of them a page.
 */
#define DECLASS_LIMIT_PDF_CONTENT ((uint64_t)256 << 20)

typedef struct declass_limits {
	uint64_t text;           /* DECLASS_LIMIT_TEXT */
	unsigned int pdf_pages;  /* DECLASS_LIMIT_PDF_PAGES */
	double pdf_page_seconds; /* DECLASS_LIMIT_PDF_PAGE_SECONDS */
	double pdf_seconds;      /* DECLASS_LIMIT_PDF_SECONDS */
	uint64_t pdf_content;    /* DECLASS_LIMIT_PDF_CONTENT */
} declass_limits;

/* A field left 0 is that limit's default; UINT64_MAX, UINT_MAX or
 * INFINITY lift it. */
#define DECLASS_LIMITS_INIT   \
	{                     \
		0, 0, 0, 0, 0 \
	}

/* `in` (NULL: all defaults) with every field left 0 set to its default. */
void declass_limits_resolve(declass_limits *out, const declass_limits *in);

/*
 * The limits that the handle applies from now on: to the texts it reads
 * (a text over `text` is refused with DECLASS_ELIMIT, and left out of the
 * vocabulary), and to what declass_ingest() and declass_reextract() write
 * and extract.  A copy is kept.
 */
void declass_archive_set_limits(declass_archive *a, const declass_limits *limits);

#endif
