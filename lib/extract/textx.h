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
	char *note; /* why text is missing or partial, or NULL */
} dc_textx;

/*
 * Extract the text of the PDF at `path` and store it through `w`.  *out
 * is the caller's (dc_textx_free()).  A PDF that poppler cannot read is
 * not an error: *out then has no text and a note saying why, naming the
 * file as `name` (NULL: path).  Errors: out of memory, or the store.
 */
int dc_textx_extract(dc_textx **out, const char *path, const char *name, store_writer *w,
                     const declass_pdf_text_options *po);
void dc_textx_free(dc_textx *x);

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
