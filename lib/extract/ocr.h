/*
 * OCR of page images with Tesseract's C API, for lib/extract/pdftext.c.
 *
 * One dc_ocr per thread: a Tesseract instance is not to be shared, and
 * loading a language model costs a few hundred ms, so a thread keeps its
 * instance for all the pages it reads.  Without Tesseract in the build
 * every function fails with DECLASS_ENOTFOUND and says so.
 */
#ifndef DECLASS_OCR_H
#define DECLASS_OCR_H

#include <stddef.h>

typedef struct dc_ocr dc_ocr;

/*
 * Find the folder that holds <lang>.traineddata for each language of
 * `lang` ("eng", "eng+fra"): `tessdata` if given, else $TESSDATA_PREFIX
 * (or its tessdata/ folder), else the places distributions install to.
 * Returns 0 and the folder in *out (free() it), or DECLASS_ENOTFOUND with a
 * message naming what is missing, where it looked, and what to install;
 * DECLASS_EINPUT for a language name that is not one.
 */
int dc_ocr_find_data(char **out, const char *lang, const char *tessdata);

/* Start Tesseract on the data in `datadir`; free with dc_ocr_free(). */
int dc_ocr_new(dc_ocr **out, const char *datadir, const char *lang);

/*
 * Read the text of an 8-bit grey image, `stride` bytes a row, scanned at
 * `dpi` dots per inch.  *out is UTF-8, the caller's (free() it).
 * Recognition stops at `deadline` (dc_clock() seconds; 0: none), and then
 * fails with DECLASS_ELIMIT.  An exception thrown inside Tesseract
 * (std::bad_alloc when memory runs out) fails the page with
 * DECLASS_ENOMEM or DECLASS_ERROR instead of ending the process; the
 * instance is then spent (every later read fails: start a new one).
 */
int dc_ocr_read(char **out, dc_ocr *ocr, const unsigned char *grey, int width, int height,
                int stride, unsigned int dpi, double deadline);

void dc_ocr_free(dc_ocr *ocr);

/* Tesseract's version ("5.3.0"), or NULL without Tesseract. */
const char *dc_ocr_version(void);

#endif
