/*
 * An RFC 4180 CSV reader over a buffer in memory: see csv.h.  Runs of plain
 * bytes are copied with one memchr/memcpy each rather than byte by byte, so
 * reading a manifest costs about one pass over it.
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "util/grow.h"

void dc_csv_init(dc_csv *r, const char *label, const char *data, size_t len, char sep,
                 size_t max_cell, size_t max_row)
{
	memset(r, 0, sizeof(*r));
	r->label = label;
	r->data = data;
	r->len = len;
	r->sep = sep;
	r->line = 1;
	r->row_line = 1;
	r->max_cell = max_cell;
	r->max_row = max_row;
	r->cells = (dc_buf)DC_BUF_INIT;
}

void dc_csv_free(dc_csv *r)
{
	dc_buf_free(&r->cells);
	free(r->offs);
	r->offs = NULL;
	r->ncells = r->offs_alloc = 0;
}

const char *dc_csv_cell(const dc_csv *r, size_t i)
{
	return r->cells.ptr + r->offs[i];
}

size_t dc_csv_cell_len(const dc_csv *r, size_t i)
{
	return r->offs[i + 1] - r->offs[i] - 1;
}

/* Record that a cell starts at the end of the scratch buffer. */
static int start_cell(dc_csv *r)
{
	if (dc_grow(&r->offs, &r->offs_alloc, r->ncells + 2, sizeof(*r->offs)) < 0)
		return DECLASS_ENOMEM;
	r->offs[r->ncells++] = r->cells.len;
	return 0;
}

/*
 * Append data[from..to) to the current cell, within the limits; the limits
 * are checked before copying, so a hostile cell never gets buffered.
 * `quote_line` is the line of the cell's opening quote, or 0.
 */
static int add_span(dc_csv *r, size_t row_start, size_t from, size_t to, size_t quote_line)
{
	size_t cell_len = r->cells.len - r->offs[r->ncells - 1];

	if (to - from > r->max_cell - cell_len) {
		if (quote_line)
			return dc_error_set(DECLASS_EINPUT,
			                    "%s line %zu: cell %zu longer than %zu bytes "
			                    "(is the quote opened there closed?)",
			                    r->label, quote_line, r->ncells, r->max_cell);
		return dc_error_set(DECLASS_EINPUT, "%s line %zu: cell %zu longer than %zu bytes",
		                    r->label, r->line, r->ncells, r->max_cell);
	}
	if (to - row_start > r->max_row)
		return dc_error_set(DECLASS_EINPUT, "%s line %zu: row longer than %zu bytes",
		                    r->label, r->row_line, r->max_row);
	return dc_buf_add(&r->cells, r->data + from, to - from);
}

/* Count the line ends in data[from..to); a CRLF is one. */
static size_t count_lines(const char *data, size_t from, size_t to)
{
	size_t n = 0, i;

	for (i = from; i < to; i++) {
		if (data[i] == '\n')
			n++;
		else if (data[i] == '\r' && (i + 1 >= to || data[i + 1] != '\n'))
			n++;
	}
	return n;
}

/* Read a quoted cell's content; r->pos is just past the opening quote. */
static int read_quoted(dc_csv *r, size_t row_start)
{
	size_t open_line = r->line;
	int error;

	for (;;) {
		const char *q = memchr(r->data + r->pos, '"', r->len - r->pos);
		size_t end;

		if (!q)
			return dc_error_set(DECLASS_EINPUT,
			                    "%s line %zu: unterminated quote in cell %zu", r->label,
			                    open_line, r->ncells);
		end = (size_t)(q - r->data);
		if ((error = add_span(r, row_start, r->pos, end, open_line)) < 0)
			return error;
		r->line += count_lines(r->data, r->pos, end);
		if (end + 1 < r->len && r->data[end + 1] == '"') {
			/* a doubled quote stands for one */
			if ((error = add_span(r, row_start, end, end + 1, open_line)) < 0)
				return error;
			r->pos = end + 2;
			continue;
		}
		r->pos = end + 1;
		return 0;
	}
}

/* Read unquoted text up to the separator, a line end or the end. */
static int read_plain(dc_csv *r, size_t row_start)
{
	size_t i = r->pos;

	while (i < r->len) {
		char c = r->data[i];

		if (c == r->sep || c == '\n' || c == '\r')
			break;
		i++;
	}
	if (i > r->pos) {
		int error = add_span(r, row_start, r->pos, i, 0);

		if (error < 0)
			return error;
	}
	r->pos = i;
	return 0;
}

int dc_csv_next(dc_csv *r)
{
	size_t row_start = r->pos;
	int error;

	dc_buf_truncate(&r->cells, 0);
	r->ncells = 0;
	if (r->pos >= r->len)
		return 0;
	r->row_line = r->line;
	for (;;) {
		if ((error = start_cell(r)) < 0)
			return error;
		if (r->pos < r->len && r->data[r->pos] == '"') {
			r->pos++;
			if ((error = read_quoted(r, row_start)) < 0)
				return error;
		}
		/* Text after a closing quote is kept, as spreadsheets do. */
		if ((error = read_plain(r, row_start)) < 0)
			return error;
		if ((error = dc_buf_addch(&r->cells, '\0')) < 0)
			return error;
		if (r->pos >= r->len)
			break;
		if (r->data[r->pos] == r->sep) {
			r->pos++;
			/* Empty cells add no span: bound their number here. */
			if (r->pos - row_start > r->max_row)
				return dc_error_set(DECLASS_EINPUT,
				                    "%s line %zu: row longer than %zu bytes",
				                    r->label, r->row_line, r->max_row);
			continue;
		}
		/* a line end */
		if (r->data[r->pos] == '\r' && r->pos + 1 < r->len && r->data[r->pos + 1] == '\n')
			r->pos++;
		r->pos++;
		r->line++;
		break;
	}
	r->offs[r->ncells] = r->cells.len;
	return 1;
}

char dc_csv_sniff(const char *data, size_t len)
{
	size_t comma = 0, semi = 0, tab = 0, i;
	int quoted = 0;

	for (i = 0; i < len; i++) {
		char c = data[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == ',')
			comma++;
		else if (c == ';')
			semi++;
		else if (c == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}
