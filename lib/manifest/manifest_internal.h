/*
 * What the parts of the manifest parser share; nothing outside lib/manifest
 * sees it (the public API is declass/manifest.h).
 *
 *   manifest.c  the parser: keys, columns, rows, CSV manifests, the public API
 *   cells.c     the packed cell store: a row's cells, repeated ones shared
 *   dates.c     date columns rewritten as ISO 8601
 *   json.c      JSON manifests
 */
#ifndef DECLASS_MANIFEST_INTERNAL_H
#define DECLASS_MANIFEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"
#include "declass/manifest.h"
#include "util/error.h"

/* Limits against hostile input; real manifests are far below them. */
#define MANIFEST_MAX_FILE        ((size_t)512 << 20)
#define MANIFEST_MAX_CELL        ((size_t)64 << 10)
#define MANIFEST_MAX_ROW         ((size_t)1 << 20)
#define MANIFEST_MAX_COLUMNS     1024
#define MANIFEST_MAX_KEYS        4096 /* distinct keys of a JSON manifest */
#define MANIFEST_MAX_ROWS        ((size_t)2000000)
#define MANIFEST_MAX_FIELDS      ((size_t)32000000)
#define MANIFEST_MAX_JSON_VALUES ((size_t)32000000)

/* Room for the YYYY-MM-DD, and its NUL, that dc_manifest_fix_dates() writes over a date. */
#define ISO_SLOT 11

/* Canonical keys; the order of dc_manifest_key_names. */
enum {
	K_RECORD,
	K_FILE,
	K_RELEASE_DATE,
	K_RELEASE_TYPE,
	K_AGENCY,
	K_DOC_DATE,
	K_DOC_TYPE,
	K_FILE_NUM,
	K_TO,
	K_FROM,
	K_TITLE,
	K_PAGES,
	K_ORIGINATOR,
	K_RECORD_SERIES,
	K_REVIEW_DATE,
	K_COMMENTS,
	K_PAGES_RELEASED,
	K_URL,
	K_COUNT,
	K_OTHER = -1, /* a header we do not know: it is its own key */
	K_NONE = -2,  /* an empty header */
};

/*
 * The canonical keys' names.  A field's key is one of these pointers (or
 * its column's header), so that a key can be told by comparing pointers.
 */
extern const char *const dc_manifest_key_names[K_COUNT];

/* The keys of the date columns; mcol.date indexes them. */
#define NDATE_KEYS 3
extern const int dc_manifest_date_keys[NDATE_KEYS];

/*
 * A column: what its cells are called.  CSV: one per named header cell,
 * and one more when the record column holds file names (2025) and so
 * names "file" cells too.  JSON: one per distinct key.
 */
typedef struct mcol {
	const char *key;     /* canonical key, or the header (trimmed in CSV) */
	const char *header;  /* as published */
	signed char k;       /* K_* */
	signed char date;    /* index in dc_manifest_date_keys, or -1 */
	unsigned char files; /* JSON "files": raw and value are the row's file */
	uint32_t shared;     /* while parsing: its bodies in m->shared, */
	uint32_t hits;       /* and its cells that found one there */
} mcol;

struct declass_manifest {
	const char *format;
	declass_manifest_row *rows;
	size_t nrows, rows_alloc;
	mcol *cols;
	size_t ncols, cols_alloc;
	size_t ncells;       /* cells of all rows, for MANIFEST_MAX_FIELDS */
	const char **shared; /* bodies that several cells share */
	size_t nshared, shared_alloc;
	dc_arena arena;
};

/* State while parsing one manifest. */
typedef struct parser {
	declass_manifest *m;
	const char *unit;   /* "line" (CSV) or "row" (JSON), for messages */
	dc_buf label;       /* "manifest '<name>'" */
	dc_buf cells;       /* the row being read, packed */
	size_t ncells;      /* and its number of cells */
	const char **files; /* the file names of the row being read */
	size_t nfiles, files_alloc;
	dc_buf norm;                /* a header, normalised */
	uint32_t *keys;             /* JSON: columns by key as written (column + 1), */
	size_t keys_size;           /* open addressing, a power of 2 slots */
	size_t files_as_file;       /* CSV: column + 1 for the record column's file names */
	struct share {              /* for each m->shared: */
		uint32_t col, hash; /* its column and the hash of its raw cell */
	} * share;
	uint32_t *share_slots; /* m->shared by column and raw cell (index + 1), */
	size_t share_size;     /* open addressing, a power of 2 slots */
} parser;

/* ---- the parser (manifest.c) --------------------------------------------- */

/* n bytes, or a copy of s[0..n) and a NUL, in the manifest's arena; NULL when out of memory. */
void *dc_manifest_alloc(declass_manifest *m, size_t n);
const char *dc_manifest_strndup(declass_manifest *m, const char *s, size_t n);

/* Set DECLASS_EINPUT: "manifest '<name>' line <n>: <message>"; returns it. */
int dc_manifest_row_error(parser *p, size_t line, const char *fmt, ...) DC_PRINTF(3, 4);

/* s[0..len) without its leading and trailing blanks: s[*start..*end). */
void dc_manifest_trim(const char *s, size_t len, size_t *start, size_t *end);

/* The column of JSON key `name`, made at its first sight. */
int dc_manifest_json_column(parser *p, size_t line, const char *name, size_t *out);

/* Add a file name (in the arena) to the row being read. */
int dc_manifest_add_file(parser *p, const char *name);

/* The row being read (its published `cells`, p->files) as manifest rows. */
int dc_manifest_emit_rows(parser *p, size_t line, const char *record, const unsigned char *cells);

/* ---- packed cells (cells.c) ---------------------------------------------- */

/* Pack a cell of column `col` into the row being read: 1 and *off, 0 if blank, or an error. */
int dc_manifest_add_cell(parser *p, size_t col, const char *raw, size_t len, size_t *off);

/* Add the cell of a JSON "files" column. */
int dc_manifest_add_files_cell(parser *p, size_t col);

/* Copy the row being read into the arena; *out is where its cells start. */
int dc_manifest_publish_cells(parser *p, const unsigned char **out);

/* The value of the cell at offset `off` of the cells just published. */
const char *dc_manifest_cell_value(parser *p, const unsigned char *cells, size_t off);

/* Read the cell at `p` of `row` into *out; returns where the next one starts. */
const unsigned char *dc_manifest_read_cell(declass_manifest_field *out, const declass_manifest *m,
                                           const declass_manifest_row *row, const unsigned char *p);

/* ---- dates (dates.c) ----------------------------------------------------- */

/* Rewrite each date column's readable values as ISO 8601, in place. */
void dc_manifest_fix_dates(declass_manifest *m);

/* ---- JSON manifests (json.c) --------------------------------------------- */

/* Read a JSON manifest's rows into p->m. */
int dc_manifest_parse_json(parser *p, const char *data, size_t len);

#endif
