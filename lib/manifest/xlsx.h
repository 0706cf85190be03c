/*
 * .xlsx workbooks (Office Open XML spreadsheets: NARA publishes its release
 * manifests that way) turned into CSV text, so that the manifest parser has
 * one path for both.  Only the first worksheet is read.
 *
 * Cells come out as stored in the sheet, not as Excel would display them:
 * numbers, and dates (which a spreadsheet stores as numbers: 44545 is
 * 2021-12-15), are the stored digits; shared and inline strings are their
 * text; booleans are TRUE or FALSE.  Rows and columns keep their places:
 * a row or a cell missing from the sheet is an empty line or an empty
 * cell, so CSV line n is sheet row n unless a cell above holds a line
 * break, and a line ends at its row's last cell element (an empty one
 * counts).  That is how shared/data/jfk/manifests-csv/ was made, and the
 * output is byte for byte the same.  The CSV is RFC 4180 with ',' and LF;
 * a cell is quoted when it holds ',', '"', CR or LF.
 *
 * The input is untrusted: each part is unpacked with a size cap (a zip
 * bomb stops at the cap, whatever the zip's directory claims), XML
 * documents may not carry a DTD (so no entity expansion and no external
 * entities) and nothing is fetched from the network.
 */
#ifndef DECLASS_XLSX_H
#define DECLASS_XLSX_H

#include <stddef.h>

#include "util/buf.h"

/* Largest part (sheet, shared strings...) unpacked, and largest CSV made. */
#define DC_XLSX_MAX_PART ((size_t)256 << 20)
#define DC_XLSX_MAX_CSV  ((size_t)256 << 20)

/* Does data start like a ZIP file (an .xlsx workbook is one)? */
int dc_xlsx_is_zip(const char *data, size_t len);

/*
 * Append the first worksheet of the workbook data[0..len) to `out` as CSV.
 * `label` (e.g. "manifest 'x.xlsx'") starts every error message.  Fails
 * with DECLASS_EINPUT and a message for anything but a readable workbook
 * (not a zip, no worksheet, a part over the cap, malformed XML, a DTD, a
 * cell out of place, a shared string out of range), DECLASS_ENOMEM when
 * memory runs out; `out` may then hold part of the text.
 */
int dc_xlsx_to_csv(dc_buf *out, const char *label, const char *data, size_t len);

/* The same with another cap on each part's unpacked size (for tests). */
int dc_xlsx_to_csv_max(dc_buf *out, const char *label, const char *data, size_t len,
                       size_t max_part);

#endif
