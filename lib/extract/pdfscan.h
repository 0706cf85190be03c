/*
 * How much a PDF's streams hold once decoded, measured before poppler
 * parses the file (lib/extract/pdfscan.c).  poppler cannot be stopped
 * inside a page: a 1.2 MB file whose content stream inflates to 400 MB
 * kept it busy for minutes at 500 MB of memory.  The scan decodes each
 * stream that is not an image with the filters poppler would use, counts
 * the bytes and throws them away, and stops at the limit: its own cost is
 * bounded by the limit and the file's size.
 */
#ifndef DECLASS_PDFSCAN_H
#define DECLASS_PDFSCAN_H

#include <stddef.h>
#include <stdint.h>

typedef struct dc_pdf_scan {
	uint64_t content; /* bytes the streams decode to, images aside (as far
	                     as the scan went) */
	int encrypted;    /* the file has an /Encrypt dictionary: its streams
	                     are ciphertext, their size unknown */
	int over;         /* content went over the limit, or a stream that is
	                     not an image uses a filter the scan cannot
	                     measure (an image codec, an indirect or unknown
	                     name); `why` says which */
	char why[200];
} dc_pdf_scan;

/*
 * Scan the PDF at `path` for the decoded size of its streams, stopping
 * once it exceeds `limit`.  Returns 0 (the answer in *out), or
 * DECLASS_EINPUT when the file cannot be read (the message, "cannot open
 * it: ...", is for the caller to prefix with the file's name).  Streams are found by their `obj << ... >> stream`
 * headers, so objects inside object streams (never streams themselves)
 * and damaged cross-reference tables do not hide one.
 */
int dc_pdf_scan_content(dc_pdf_scan *out, const char *path, uint64_t limit);

/* The same over the bytes data[0..len) (the fuzzer's entry). */
int dc_pdf_scan_buffer(dc_pdf_scan *out, const unsigned char *data, size_t len, uint64_t limit);

#endif
