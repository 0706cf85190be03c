/*
 * Release manifests: NARA's spreadsheets exported to CSV, and our JSON form,
 * read into one list of rows (see declass/manifest.h; docs/MANIFEST.md
 * describes the accepted shapes for users).
 *
 * Both forms go through the same steps.  Cells become fields whose keys come
 * from the header table below, so that "Record Num" (2017) and "Record
 * Number" (2021) are both "record".  Each source row then becomes one row
 * per file it names, with its record id checked or derived from the file
 * name.  Once every row is in, the date columns are rewritten as ISO 8601:
 * only then can a column's day/month order be decided from all its values.
 * This file holds those steps, the CSV form and the public API; the cells,
 * the dates and the JSON form are cells.c, dates.c and json.c.
 *
 * A large manifest (100,000 rows) stays in memory while its tranche is
 * ingested, so it is held compactly: all its strings in a few large arena
 * blocks, freed together, and each row's cells packed one after the other
 * in the arena (see cells.c) rather than as an array of pointers;
 * declass_manifest_field_next() reads them back.
 */
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/arena.h"
#include "util/buf.h"
#include "csv.h"
#include "util/date.h"
#include "declass/manifest.h"
#include "manifest_internal.h"
#include "declass/record.h"
#include "util/error.h"
#include "util/grow.h"
#include "util/utf8.h"
#include "xlsx.h"

/* Rows are many: keep them small (see cells.c). */
_Static_assert(sizeof(declass_manifest_row) <= 56, "declass_manifest_row grew");

const char *const dc_manifest_key_names[K_COUNT] = {
	"record",     "file",          "release_date", "release_type", "agency",         "doc_date",
	"doc_type",   "file_num",      "to",           "from",         "title",          "pages",
	"originator", "record_series", "review_date",  "comments",     "pages_released", "url",
};

/*
 * Header names, as normalise() leaves them (lowercase, '_' and runs of
 * blanks as one space), and the key each stands for.  The variants are
 * those of NARA's 2017-2023 spreadsheets and of URL lists; docs/MANIFEST.md
 * has the same table.
 */
static const struct {
	const char *name;
	int key;
} aliases[] = {
	{ "record", K_RECORD },
	{ "record num", K_RECORD },
	{ "record number", K_RECORD },
	{ "record no", K_RECORD },
	{ "record id", K_RECORD },
	{ "file", K_FILE },
	{ "file name", K_FILE },
	{ "filename", K_FILE },
	{ "file title", K_FILE }, /* 2021: holds the file name */
	{ "release date", K_RELEASE_DATE },
	{ "nara release date", K_RELEASE_DATE },
	{ "release type", K_RELEASE_TYPE },
	{ "formerly withheld", K_RELEASE_TYPE },
	{ "agency", K_AGENCY },
	{ "doc date", K_DOC_DATE },
	{ "document date", K_DOC_DATE },
	{ "doc type", K_DOC_TYPE },
	{ "document type", K_DOC_TYPE },
	{ "file num", K_FILE_NUM },
	{ "file number", K_FILE_NUM },
	{ "to", K_TO },
	{ "to name", K_TO },
	{ "from", K_FROM },
	{ "from name", K_FROM },
	{ "title", K_TITLE },
	{ "pages", K_PAGES },
	{ "num pages", K_PAGES },
	{ "original document pages", K_PAGES },
	{ "originator", K_ORIGINATOR },
	{ "record series", K_RECORD_SERIES },
	{ "review date", K_REVIEW_DATE },
	{ "comments", K_COMMENTS },
	{ "comment", K_COMMENTS },
	{ "pages released", K_PAGES_RELEASED },
	{ "document pages in pdf", K_PAGES_RELEASED },
	{ "url", K_URL },
};

const int dc_manifest_date_keys[NDATE_KEYS] = { K_RELEASE_DATE, K_DOC_DATE, K_REVIEW_DATE };

/* --- arena ------------------------------------------------------------ */

void *dc_manifest_alloc(declass_manifest *m, size_t n)
{
	return dc_arena_alloc(&m->arena, n);
}

const char *dc_manifest_strndup(declass_manifest *m, const char *s, size_t n)
{
	return dc_arena_strndup(&m->arena, s, n);
}

/* --- messages ----------------------------------------------------------- */

/* Set DECLASS_EINPUT: "manifest '<name>' line <n>: <message>". */
int DC_PRINTF(3, 4) dc_manifest_row_error(parser *p, size_t line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return dc_error_set(DECLASS_EINPUT, "%s %s %zu: %s", p->label.ptr, p->unit, line, msg);
}

/* The 1-based line of byte `off`; CRLF, LF and a lone CR each end a line. */
static size_t line_of(const char *data, size_t off)
{
	size_t line = 1, i;

	for (i = 0; i < off; i++) {
		if (data[i] == '\n')
			line++;
		else if (data[i] == '\r' && (i + 1 >= off || data[i + 1] != '\n'))
			line++;
	}
	return line;
}

/* --- keys ----------------------------------------------------------------- */

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void dc_manifest_trim(const char *s, size_t len, size_t *start, size_t *end)
{
	size_t a = 0, b = len;

	while (a < b && is_blank((unsigned char)s[a]))
		a++;
	while (b > a && is_blank((unsigned char)s[b - 1]))
		b--;
	*start = a;
	*end = b;
}

/* Lowercase, '_', blanks and no-break spaces as one space, trimmed. */
static int normalise(dc_buf *out, const char *s)
{
	int space = 0, error = 0;

	dc_buf_truncate(out, 0);
	while (*s && !error) {
		unsigned char c = (unsigned char)*s;
		size_t step = 1;

		if (c == 0xC2 && (unsigned char)s[1] == 0xA0)
			step = 2;
		if (step == 2 || c == '_' || is_blank(c)) {
			space = 1;
		} else {
			if (space && out->len)
				error = dc_buf_addch(out, ' ');
			space = 0;
			if (!error)
				error = dc_buf_addch(out, (char)tolower(c));
		}
		s += step;
	}
	return error;
}

static int lookup_key(const char *norm)
{
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(aliases[i].name, norm))
			return aliases[i].key;
	return K_OTHER;
}

/* --- columns -------------------------------------------------------------- */

/* Add a column (see mcol) and set *out to its index. */
static int add_column(parser *p, int k, const char *key, const char *header, int files, size_t *out)
{
	declass_manifest *m = p->m;
	mcol *c;
	size_t d;

	if (dc_grow(&m->cols, &m->cols_alloc, m->ncols + 1, sizeof(*m->cols)) < 0)
		return DECLASS_ENOMEM;
	c = &m->cols[m->ncols];
	c->key = key;
	c->header = header;
	c->k = (signed char)k;
	c->date = -1;
	for (d = 0; d < NDATE_KEYS; d++)
		if (k == dc_manifest_date_keys[d])
			c->date = (signed char)d;
	c->files = (unsigned char)files;
	c->shared = c->hits = 0;
	*out = m->ncols++;
	return 0;
}

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of p->keys that holds JSON key `name`, or the empty one where it would go. */
static uint32_t *key_slot(parser *p, const char *name)
{
	size_t mask = p->keys_size - 1, i = hash_str(name) & mask;

	while (p->keys[i] && strcmp(p->m->cols[p->keys[i] - 1].header, name))
		i = (i + 1) & mask;
	return &p->keys[i];
}

/*
 * The column of JSON key `name` in row `line`, made at its first sight: a
 * JSON manifest's keys are its columns, each stored once however many
 * rows name it.
 */
int dc_manifest_json_column(parser *p, size_t line, const char *name, size_t *out)
{
	declass_manifest *m = p->m;
	const char *header;
	uint32_t *slot;
	int k, files, error;

	if (2 * (m->ncols + 1) > p->keys_size) {
		size_t n = p->keys_size ? p->keys_size * 2 : 64, i;
		uint32_t *old = p->keys;

		if (!(p->keys = calloc(n, sizeof(*p->keys)))) {
			p->keys = old;
			return dc_error_oom();
		}
		free(old);
		p->keys_size = n;
		for (i = 0; i < m->ncols; i++)
			*key_slot(p, m->cols[i].header) = (uint32_t)i + 1;
	}
	slot = key_slot(p, name);
	if (*slot) {
		*out = *slot - 1;
		return 0;
	}
	if (m->ncols >= MANIFEST_MAX_KEYS)
		return dc_manifest_row_error(p, line,
		                             "key '%s': more than %d distinct keys in all rows",
		                             name, MANIFEST_MAX_KEYS);
	if ((error = normalise(&p->norm, name)) < 0)
		return error;
	/* "files": ["a.pdf", "b.pdf"] stands for one row per file. */
	files = !strcmp(p->norm.ptr, "files");
	k = files ? K_FILE : lookup_key(p->norm.ptr);
	if (!(header = dc_manifest_strndup(m, name, strlen(name))))
		return dc_error_oom();
	if ((error = add_column(p, k, k >= 0 ? dc_manifest_key_names[k] : header, header, files,
	                        out)) < 0)
		return error;
	*slot = (uint32_t)*out + 1;
	return 0;
}

/* --- rows ----------------------------------------------------------------- */

int dc_manifest_add_file(parser *p, const char *name)
{
	if (dc_grow(&p->files, &p->files_alloc, p->nfiles + 1, sizeof(*p->files)) < 0)
		return DECLASS_ENOMEM;
	p->files[p->nfiles++] = name;
	return 0;
}

/*
 * Split a file cell at ';' (the 2017 manifest lists a tape's PDF and WAV
 * as "104-10534-10001.pdf; 104-10534-10001.wav") into p->files.
 */
static int split_files(parser *p, const char *cell)
{
	const char *s = cell;

	if (!strchr(cell, ';'))
		return dc_manifest_add_file(p, cell);
	while (*s) {
		const char *e = strchr(s, ';'), *name;
		size_t len = e ? (size_t)(e - s) : strlen(s), a, b;
		int error;

		dc_manifest_trim(s, len, &a, &b);
		if (a < b) {
			if (!(name = dc_manifest_strndup(p->m, s + a, b - a)))
				return dc_error_oom();
			if ((error = dc_manifest_add_file(p, name)) < 0)
				return error;
		}
		s += len + (e ? 1 : 0);
	}
	return 0;
}

/* Does s[0..len) end in a file extension: '.', a letter, then up to 4
 * letters or digits ("x.pdf", "y (C06932208).PDF", "z.mp3"; not "180.10")? */
static int has_extension(const char *s, size_t len)
{
	const char *end = s + len, *dot = end, *e;

	while (dot > s && dot[-1] != '.')
		dot--;
	if (dot <= s + 1 || dot == end || !isalpha((unsigned char)*dot) || end - dot > 5)
		return 0;
	for (e = dot; e < end; e++)
		if (!isalnum((unsigned char)*e))
			return 0;
	return 1;
}

/* A file name must be a plain relative path: no way out of its folder. */
static int check_file(parser *p, size_t line, const char *name)
{
	const char *s, *comp = name;

	if (name[0] == '/')
		return dc_manifest_row_error(p, line, "file name '%s' is absolute", name);
	for (s = name; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\')
			return dc_manifest_row_error(p, line, "file name '%s' holds a backslash",
			                             name);
		if (c < 0x20 || c == 0x7f)
			return dc_manifest_row_error(
			        p, line, "file name '%.*s...' holds a control character",
			        (int)(s - name), name);
	}
	for (;;) {
		const char *e = strchr(comp, '/');
		size_t len = e ? (size_t)(e - comp) : strlen(comp);

		if (len == 0)
			return dc_manifest_row_error(
			        p, line, "file name '%s' has an empty path component", name);
		if ((len == 1 && comp[0] == '.') || (len == 2 && comp[0] == '.' && comp[1] == '.'))
			return dc_manifest_row_error(p, line,
			                             "file name '%s' has a '%.*s' component", name,
			                             (int)len, comp);
		if (!e)
			return 0;
		comp = e + 1;
	}
}

/*
 * Turn the row being read (its published `cells`, p->files) into manifest
 * rows: one per file, or one without a file.  `record` is the row's record
 * id, or NULL to derive it from each file name.
 */
int dc_manifest_emit_rows(parser *p, size_t line, const char *record, const unsigned char *cells)
{
	declass_manifest *m = p->m;
	size_t n = p->nfiles ? p->nfiles : 1, i;
	int error;

	if (record && (error = declass_record_check(record)) < 0) {
		dc_error_prefix("%s %s %zu", p->label.ptr, p->unit, line);
		return error;
	}
	for (i = 0; i < n; i++) {
		const char *file = p->nfiles ? p->files[i] : NULL;
		const char *id = record;
		declass_manifest_row *row;

		if (file && (error = check_file(p, line, file)) < 0)
			return error;
		if (!id) {
			char *derived;

			if ((error = declass_record_from_filename(&derived, file)) < 0) {
				dc_error_prefix("%s %s %zu", p->label.ptr, p->unit, line);
				return error;
			}
			id = dc_manifest_strndup(m, derived, strlen(derived));
			free(derived);
			if (!id)
				return dc_error_oom();
		}
		if (m->nrows >= MANIFEST_MAX_ROWS)
			return dc_manifest_row_error(p, line, "more than %zu rows",
			                             MANIFEST_MAX_ROWS);
		if (m->ncells + p->ncells > MANIFEST_MAX_FIELDS)
			return dc_manifest_row_error(p, line, "more than %zu cells in all",
			                             MANIFEST_MAX_FIELDS);
		if ((error = dc_grow(&m->rows, &m->rows_alloc, m->nrows + 1, sizeof(*m->rows))) < 0)
			return error;
		row = &m->rows[m->nrows++];
		memset(row, 0, sizeof(*row));
		row->line = line;
		row->record = id;
		row->file = file;
		row->nfields = p->ncells;
		row->cells = cells;
		m->ncells += p->ncells;
	}
	return 0;
}

/* --- finish --------------------------------------------------------------- */

/* `ptr` cut to n items of `size` bytes, or as it was if realloc fails. */
static void *shrink(void *ptr, size_t n, size_t size)
{
	void *q = n ? realloc(ptr, n * size) : NULL;

	return q ? q : ptr;
}

/* Is s exactly YYYY-MM-DD and a real date, as dc_manifest_fix_dates writes them? */
static int is_iso_date(const char *s)
{
	int y, mo, d;

	return dc_date_parse_iso(s, &y, &mo, &d) == 0;
}

/*
 * Once every row is in: the dates, each row's release date and type, and
 * the arrays cut to size (large ones are mapped memory, which shrinking
 * returns to the system).
 */
static int finish(parser *p)
{
	declass_manifest *m = p->m;
	size_t i;

	if (m->nrows == 0)
		return dc_error_set(DECLASS_EINPUT, "%s: no rows", p->label.ptr);
	dc_manifest_fix_dates(m);
	for (i = 0; i < m->nrows; i++) {
		declass_manifest_row *row = &m->rows[i];
		declass_manifest_field f;
		size_t pos = 0;

		while (declass_manifest_field_next(&f, m, row, &pos)) {
			if (f.key == dc_manifest_key_names[K_RELEASE_DATE] && is_iso_date(f.value))
				row->release_date = f.value;
			else if (f.key == dc_manifest_key_names[K_RELEASE_TYPE])
				row->release_type = f.value;
		}
	}
	m->rows = shrink(m->rows, m->nrows, sizeof(*m->rows));
	m->cols = shrink(m->cols, m->ncols, sizeof(*m->cols));
	m->shared = shrink(m->shared, m->nshared, sizeof(*m->shared));
	m->rows_alloc = m->nrows;
	m->cols_alloc = m->ncols;
	m->shared_alloc = m->nshared;
	return 0;
}

/* --- CSV ------------------------------------------------------------------ */

typedef struct column {
	const char *header; /* as published */
	const char *key;    /* canonical key, or the trimmed header */
	const char *norm;   /* normalised header, to find duplicates */
	int k;              /* K_* */
	size_t col;         /* its mcol, unless k is K_NONE */
} column;

static int row_is_blank(const dc_csv *r)
{
	size_t i, a, b;

	for (i = 0; i < r->ncells; i++) {
		dc_manifest_trim(dc_csv_cell(r, i), dc_csv_cell_len(r, i), &a, &b);
		if (a < b)
			return 0;
	}
	return 1;
}

static int read_header(parser *p, const dc_csv *r, column **out, size_t *ncols, int *rec_col,
                       int *file_col)
{
	dc_buf norm = DC_BUF_INIT;
	column *cols = NULL;
	size_t n = r->ncells, i, j, a, b;
	int error = 0;

	*out = NULL;
	*rec_col = *file_col = -1;
	while (n > 0) {
		dc_manifest_trim(dc_csv_cell(r, n - 1), dc_csv_cell_len(r, n - 1), &a, &b);
		if (a < b)
			break;
		n--;
	}
	if (n > MANIFEST_MAX_COLUMNS) {
		error = dc_manifest_row_error(p, r->row_line, "%zu columns (at most %d)", n,
		                              MANIFEST_MAX_COLUMNS);
		goto done;
	}
	if (!(cols = calloc(n ? n : 1, sizeof(*cols)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < n; i++) {
		const char *cell = dc_csv_cell(r, i);
		size_t len = dc_csv_cell_len(r, i);

		dc_manifest_trim(cell, len, &a, &b);
		cols[i].header = dc_manifest_strndup(p->m, cell, len);
		cols[i].k = K_NONE;
		if (!cols[i].header) {
			error = dc_error_oom();
			goto done;
		}
		if (a == b)
			continue;
		if ((error = normalise(&norm, cell)) < 0)
			goto done;
		cols[i].k = lookup_key(norm.ptr);
		cols[i].norm = dc_manifest_strndup(p->m, norm.ptr, norm.len);
		cols[i].key = cols[i].k >= 0 ? dc_manifest_key_names[cols[i].k]
		                             : dc_manifest_strndup(p->m, cell + a, b - a);
		if (!cols[i].norm || !cols[i].key) {
			error = dc_error_oom();
			goto done;
		}
		for (j = 0; j < i; j++) {
			if (cols[j].k == K_NONE)
				continue;
			if (cols[j].k >= 0 ? cols[j].k == cols[i].k
			                   : !strcmp(cols[j].norm, cols[i].norm)) {
				error = dc_manifest_row_error(p, r->row_line,
				                              "duplicate column: '%s' (column %zu) "
				                              "means the same as '%s' (column %zu)",
				                              cols[i].header, i + 1, cols[j].header,
				                              j + 1);
				goto done;
			}
		}
		if ((error = add_column(p, cols[i].k, cols[i].key, cols[i].header, 0,
		                        &cols[i].col)) < 0)
			goto done;
		if (cols[i].k == K_RECORD)
			*rec_col = (int)i;
		else if (cols[i].k == K_FILE)
			*file_col = (int)i;
	}
	if (*rec_col < 0 && *file_col < 0) {
		error = dc_manifest_row_error(p, r->row_line,
		                              "no record column (and no file column to derive "
		                              "record ids from); expected a header such as "
		                              "'Record Num' or 'File Name'");
		goto done;
	}
	*out = cols;
	*ncols = n;
	cols = NULL;
done:
	free(cols);
	dc_buf_free(&norm);
	return error;
}

/*
 * The column for file names in the record column (2025): "file" cells
 * under the record column's header.
 */
static int files_as_file(parser *p, const column *rec, size_t *out)
{
	int error;

	if (!p->files_as_file) {
		if ((error = add_column(p, K_FILE, dc_manifest_key_names[K_FILE], rec->header, 0,
		                        out)) < 0)
			return error;
		p->files_as_file = *out + 1;
	}
	*out = p->files_as_file - 1;
	return 0;
}

/* Read one non-blank data row into manifest rows. */
static int read_row(parser *p, const dc_csv *r, const column *cols, size_t ncols, int rec_col,
                    int file_col)
{
	size_t rec = (size_t)-1, file = (size_t)-1, i, a, b, off;
	const unsigned char *cells;
	const char *record = NULL;
	int error, added, record_is_file = 0;

	dc_buf_truncate(&p->cells, 0);
	p->ncells = p->nfiles = 0;
	for (i = 0; i < r->ncells; i++) {
		const char *cell = dc_csv_cell(r, i);
		size_t len = dc_csv_cell_len(r, i), col;

		dc_manifest_trim(cell, len, &a, &b);
		if (i >= ncols || cols[i].k == K_NONE) {
			if (a == b)
				continue;
			if (i >= ncols)
				return dc_manifest_row_error(
				        p, r->row_line,
				        "row wider than the header: cell %zu '%.40s' "
				        "is past its %zu columns",
				        i + 1, cell + a, ncols);
			return dc_manifest_row_error(p, r->row_line,
			                             "cell %zu '%.40s' is under an empty header",
			                             i + 1, cell + a);
		}
		col = cols[i].col;
		if ((int)i == rec_col && file_col < 0 && has_extension(cell + a, b - a)) {
			/* 2025: the record column lists file names */
			record_is_file = 1;
			if ((error = files_as_file(p, &cols[i], &col)) < 0)
				return error;
		}
		if ((added = dc_manifest_add_cell(p, col, cell, len, &off)) < 0)
			return added;
		if (added && (int)i == rec_col)
			rec = off;
		else if (added && (int)i == file_col)
			file = off;
	}
	if (rec_col >= 0 && rec == (size_t)-1)
		return dc_manifest_row_error(p, r->row_line, "no record id");
	if ((error = dc_manifest_publish_cells(p, &cells)) < 0)
		return error;
	if (record_is_file)
		file = rec;
	else if (rec_col >= 0)
		record = dc_manifest_cell_value(p, cells, rec);
	if (file != (size_t)-1 &&
	    (error = split_files(p, dc_manifest_cell_value(p, cells, file))) < 0)
		return error;
	if (!record && p->nfiles == 0)
		return dc_manifest_row_error(p, r->row_line, "no file name");
	return dc_manifest_emit_rows(p, r->row_line, record, cells);
}

static int parse_csv(parser *p, const char *data, size_t len)
{
	dc_csv r;
	column *cols = NULL;
	size_t ncols = 0;
	size_t header_line;
	int rec_col, file_col, rc;

	dc_csv_init(&r, p->label.ptr, data, len,
	            dc_csv_sniff(data, len < MANIFEST_MAX_ROW ? len : MANIFEST_MAX_ROW),
	            MANIFEST_MAX_CELL, MANIFEST_MAX_ROW);
	while ((rc = dc_csv_next(&r)) == 1 && row_is_blank(&r))
		;
	if (rc < 0)
		goto done;
	if (rc == 0) {
		rc = dc_manifest_row_error(p, r.line, "no header and no rows");
		goto done;
	}
	header_line = r.row_line;
	if ((rc = read_header(p, &r, &cols, &ncols, &rec_col, &file_col)) < 0)
		goto done;
	while ((rc = dc_csv_next(&r)) == 1) {
		if (row_is_blank(&r))
			continue;
		if ((rc = read_row(p, &r, cols, ncols, rec_col, file_col)) < 0)
			goto done;
	}
	if (rc < 0)
		goto done;
	if (p->m->nrows == 0)
		rc = dc_manifest_row_error(p, header_line, "a header but no rows");
done:
	free(cols);
	dc_csv_free(&r);
	return rc < 0 ? rc : 0;
}

/* --- public API ----------------------------------------------------------- */

int declass_manifest_parse(declass_manifest **out, const char *name, const char *data, size_t len)
{
	parser p;
	const char *nul;
	size_t bad, i;
	int error;

	assert(out && name && (data || !len));
	*out = NULL;
	if (!data)
		data = "";
	memset(&p, 0, sizeof(p));
	p.unit = "line";
	p.label = (dc_buf)DC_BUF_INIT;
	p.cells = (dc_buf)DC_BUF_INIT;
	p.norm = (dc_buf)DC_BUF_INIT;
	if ((error = dc_buf_addf(&p.label, "manifest '%s'", name)) < 0)
		return error;
	if (len > MANIFEST_MAX_FILE) {
		error = dc_error_set(DECLASS_EINPUT, "%s: %zu bytes, over the limit of %zu MiB",
		                     p.label.ptr, len, MANIFEST_MAX_FILE >> 20);
		goto done;
	}
	if (len >= 2 && ((data[0] == '\xff' && data[1] == '\xfe') ||
	                 (data[0] == '\xfe' && data[1] == '\xff'))) {
		error = dc_manifest_row_error(&p, 1, "UTF-16 text; export the manifest as UTF-8");
		goto done;
	}
	if ((nul = memchr(data, '\0', len))) {
		error = dc_manifest_row_error(&p, line_of(data, (size_t)(nul - data)), "NUL byte");
		goto done;
	}
	if (!dc_utf8_valid(data, len, &bad)) {
		error = dc_manifest_row_error(&p, line_of(data, bad),
		                              "invalid UTF-8 (byte %zu of the file)", bad + 1);
		goto done;
	}
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
		data += 3;
		len -= 3;
	}
	if (!(p.m = calloc(1, sizeof(*p.m)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < len && is_blank((unsigned char)data[i]); i++)
		;
	if (i < len && (data[i] == '[' || data[i] == '{')) {
		p.m->format = "json";
		p.unit = "row";
		error = dc_manifest_parse_json(&p, data, len);
	} else {
		p.m->format = "csv";
		error = parse_csv(&p, data, len);
	}
	if (error < 0 || (error = finish(&p)) < 0)
		goto done;
	*out = p.m;
	p.m = NULL;
done:
	declass_manifest_free(p.m);
	dc_buf_free(&p.cells);
	free(p.files);
	dc_buf_free(&p.norm);
	free(p.keys);
	free(p.share);
	free(p.share_slots);
	dc_buf_free(&p.label);
	return error;
}

/* An .xlsx workbook: its first sheet as CSV (lib/manifest/xlsx.c), parsed as such. */
static int parse_xlsx(declass_manifest **out, const char *name, const char *data, size_t len)
{
	dc_buf label = DC_BUF_INIT, csv = DC_BUF_INIT;
	int error;

	if ((error = dc_buf_addf(&label, "manifest '%s'", name)) < 0 ||
	    (error = dc_xlsx_to_csv(&csv, label.ptr, data, len)) < 0 ||
	    (error = declass_manifest_parse(out, name, csv.ptr, csv.len)) < 0)
		goto done;
	(*out)->format = "xlsx";
done:
	dc_buf_free(&label);
	dc_buf_free(&csv);
	return error;
}

int declass_manifest_load(declass_manifest **out, const char *path)
{
	dc_buf data = DC_BUF_INIT;
	struct stat st;
	FILE *f;
	int error = 0;

	*out = NULL;
	if (!(f = fopen(path, "rb")))
		return dc_error_sys(DECLASS_EINPUT, "cannot open manifest '%s'", path);
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		if ((unsigned long long)st.st_size > MANIFEST_MAX_FILE) {
			error = dc_error_set(DECLASS_EINPUT,
			                     "manifest '%s': %lld bytes, over the limit "
			                     "of %zu MiB",
			                     path, (long long)st.st_size, MANIFEST_MAX_FILE >> 20);
			goto done;
		}
		if ((error = dc_buf_grow(&data, (size_t)st.st_size + 1)) < 0)
			goto done;
	}
	for (;;) {
		size_t n;

		if ((error = dc_buf_grow(&data, 65536)) < 0)
			goto done;
		n = fread(data.ptr + data.len, 1, 65536, f);
		data.len += n;
		data.ptr[data.len] = '\0';
		if (data.len > MANIFEST_MAX_FILE) {
			error = dc_error_set(DECLASS_EINPUT,
			                     "manifest '%s': over the limit of %zu MiB", path,
			                     MANIFEST_MAX_FILE >> 20);
			goto done;
		}
		if (n < 65536)
			break;
	}
	if (ferror(f)) {
		error = dc_error_sys(DECLASS_EINPUT, "cannot read manifest '%s'", path);
		goto done;
	}
	if (dc_xlsx_is_zip(data.ptr, data.len))
		error = parse_xlsx(out, path, data.ptr, data.len);
	else
		error = declass_manifest_parse(out, path, data.ptr, data.len);
done:
	fclose(f);
	dc_buf_free(&data);
	return error;
}

size_t declass_manifest_count(const declass_manifest *m)
{
	assert(m);
	return m->nrows;
}

const declass_manifest_row *declass_manifest_row_at(const declass_manifest *m, size_t i)
{
	assert(m);
	return i < m->nrows ? &m->rows[i] : NULL;
}

int declass_manifest_field_next(declass_manifest_field *out, const declass_manifest *m,
                                const declass_manifest_row *row, size_t *pos)
{
	const unsigned char *p;

	assert(out && m && row && pos);
	if (!row->cells)
		return 0;
	p = (const unsigned char *)row->cells + *pos;
	if (!*p)
		return 0;
	*pos = (size_t)(dc_manifest_read_cell(out, m, row, p) - (const unsigned char *)row->cells);
	return 1;
}

const char *declass_manifest_format(const declass_manifest *m)
{
	assert(m);
	return m->format;
}

void declass_manifest_free(declass_manifest *m)
{
	if (!m)
		return;
	dc_arena_free(&m->arena);
	free(m->rows);
	free(m->cols);
	free(m->shared);
	free(m);
}
