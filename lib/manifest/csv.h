/*
 * An RFC 4180 CSV reader over a buffer in memory, for manifests.
 *
 * It reads one row at a time into a scratch buffer that it reuses, so memory
 * stays at the size of the longest row, which the caller caps.  Beyond RFC
 * 4180 it accepts what spreadsheet exports produce: ';' or tab separators,
 * LF, CRLF or lone CR line ends, and a stray '"' inside an unquoted cell or
 * after a closing quote, which is kept as text.  The caller checks UTF-8 and
 * NUL bytes beforehand; this reader treats the input as bytes.
 */
#ifndef DECLASS_CSV_H
#define DECLASS_CSV_H

#include <stddef.h>

#include "util/buf.h"

typedef struct dc_csv {
	const char *label; /* message prefix, e.g. "manifest 'x.csv'" */
	const char *data;
	size_t len, pos;
	char sep;
	size_t line;     /* 1-based line of the next byte to read */
	size_t row_line; /* 1-based line where the current row starts */
	size_t max_cell; /* longest cell accepted, in bytes */
	size_t max_row;  /* longest row accepted, line ends included */
	dc_buf cells;    /* the current row's cells, each NUL-terminated */
	size_t *offs;    /* where each cell starts in cells.ptr */
	size_t ncells, offs_alloc;
} dc_csv;

/*
 * Start reading data[0..len) (no BOM) with separator `sep`.  `label` is
 * borrowed and starts every error message: "<label> line 7: ...".
 */
void dc_csv_init(dc_csv *r, const char *label, const char *data, size_t len, char sep,
                 size_t max_cell, size_t max_row);

/*
 * Read the next row.  Returns 1 when a row was read, 0 at the end of the
 * input, or DECLASS_EINPUT (unterminated quote, cell or row too long) or
 * DECLASS_ENOMEM with a message.  An empty line is a row of one empty cell.
 */
int dc_csv_next(dc_csv *r);

/* Cell i of the current row (i < r->ncells), NUL-terminated, and its length
 * (a cell may be shorter than its length says only if it holds a NUL). */
const char *dc_csv_cell(const dc_csv *r, size_t i);
size_t dc_csv_cell_len(const dc_csv *r, size_t i);

/*
 * Guess the separator from the first row: whichever of ',', ';' and tab
 * occurs most often outside quotes; ',' on a tie or when none occurs.
 */
char dc_csv_sniff(const char *data, size_t len);

void dc_csv_free(dc_csv *r);

#endif
