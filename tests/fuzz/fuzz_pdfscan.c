/*
 * The PDF content scan (lib/extract/pdfscan.c): what a PDF's streams decode
 * to, before poppler reads the file.  The first byte picks the limit (2 to
 * 2^24 bytes), the rest is the file.  No crash, and an answer within the
 * limit unless it says it is over.
 */
#include <stdint.h>
#include <string.h>

#include "extract/pdfscan.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dc_pdf_scan s;
	uint64_t limit;

	if (size < 1)
		return 0;
	limit = (uint64_t)1 << (1 + data[0] % 24);
	CHECK(dc_pdf_scan_buffer(&s, data + 1, size - 1, limit) == 0);
	CHECK(s.over || s.content <= limit);
	CHECK(!s.over || s.content > limit || s.why[0]);
	CHECK(!s.encrypted || !s.over);
	return 0;
}
