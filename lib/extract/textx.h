/*
 * The text extracted from one released PDF (lib/extract/pdftext.c) and stored as
 * a blob: what `declass ingest` does for a PDF that came without NAME.txt,
 * and `declass reextract` does again for a PDF already archived.  Both
 * describe it in meta.json the same way (docs/FORMAT.md).
 */
#ifndef DECLASS_LIB_TEXTX_H
#define DECLASS_LIB_TEXTX_H

#include <jansson.h>

#include "declass/hash.h"
#include "declass/pdftext.h"
#include "store/store.h"

typedef struct dc_textx {
	int extracted; /* text was found and stored */
	store_oid blob;
	char sha256[DECLASS_SHA256_HEX];
	uint64_t size;
	char *extractor; /* "poppler 22.12.0 + tesseract ...", or NULL */
	size_t pages, ocr_pages, missing_pages;
	char *note;                        /* why text is missing or partial, or NULL */
	declass_pdf_incomplete incomplete; /* why the text is not the whole
	                                      PDF's (a limit, a library that
	                                      could not be loaded), or 0 */
} dc_textx;

/*
 * Extract the text of the PDF at `path` within the limits of `po` and
 * store it through `w`.  *out is the caller's (dc_textx_free()).  A PDF
 * that poppler cannot read, or that this process cannot read because
 * poppler cannot be loaded, is not an error: *out then has no text and a
 * note saying why, naming the file as `name` (NULL: path), and in the
 * second case `incomplete` (DECLASS_PDF_NO_READER), for a later
 * `reextract`.  Errors: out of memory, or the store.
 */
int dc_textx_extract(dc_textx **out, const char *path, const char *name, store_writer *w,
                     const declass_pdf_text_options *po);
void dc_textx_free(dc_textx *x);

/* Set the limits of `po` from an archive's (ingest's and reextract's). */
void dc_pdf_text_limits(declass_pdf_text_options *po, const declass_limits *l);

/* meta.json's "text_extraction" of a released file; NULL when out of memory. */
json_t *dc_textx_json(const dc_textx *x);

/*
 * One part of meta.json's text.parts: the released file `base` and its
 * text (source "extracted", "sidecar", "released" or "third-party", the
 * provider for the latter, x for the first).  NULL when out of memory.
 */
json_t *dc_text_part_json(const char *base, const char *source, const char *sha256, uint64_t size,
                          const char *provider, const dc_textx *x);

#endif
