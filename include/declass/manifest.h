/*
 * Release manifests: the list of records and files a tranche contains, as
 * NARA publishes it (spreadsheet exported to CSV, ';' or ',' separated) or
 * as a JSON document.  See docs/MANIFEST.md for the accepted shapes.
 *
 * A manifest is a list of rows; a row names one record and, usually, one
 * file of it.  A record with several files has several rows; a file that
 * serves several records appears in several rows.
 */
#ifndef DECLASS_MANIFEST_H
#define DECLASS_MANIFEST_H

#include "declass/declass.h"

typedef struct declass_manifest declass_manifest;

/*
 * One non-empty cell of a row, as declass_manifest_field_next() reads it.
 * The strings belong to the manifest: valid until declass_manifest_free(),
 * and the same pointers each time the field is read.
 */
typedef struct declass_manifest_field {
	const char *key;    /* canonical key ("agency", "doc_date", ...), or
	                      the original header for columns we do not know */
	const char *value;  /* as published, trimmed; dates in ISO 8601 when
	                      they could be read (see raw for the original) */
	const char *raw;    /* the cell exactly as published */
	const char *header; /* the column header as published */
} declass_manifest_field;

typedef struct declass_manifest_row {
	size_t line;              /* CSV: 1-based line where the row starts;
	                             JSON: 1-based index in the row array */
	const char *record;       /* record id; never NULL or empty */
	const char *file;         /* file path as listed (may hold '/'), or
	                             NULL when the manifest names no file */
	const char *release_date; /* ISO YYYY-MM-DD, or NULL */
	const char *release_type; /* "Formerly Withheld" ("In Part",
	                             "Redact"...), or NULL */
	size_t nfields;           /* its fields: every non-empty cell, in column
	                             order; see declass_manifest_field_next() */
	const void *cells;        /* private: the fields, packed */
} declass_manifest_row;

/*
 * Parse the manifest at `path`: an .xlsx workbook's first sheet when it is
 * a ZIP file, JSON when it starts with '[' or '{' (after an optional BOM and
 * blanks), CSV otherwise.  Fails with DECLASS_EINPUT and
 * a message naming the file and line for malformed input: invalid UTF-8, a
 * NUL byte, an unterminated quote, a row wider than the header, duplicate
 * headers, no record column, a row without a record id, a bad record id, a
 * file name that is absolute or has "..", a backslash or a NUL, no rows,
 * more than 4096 distinct keys in a JSON manifest.
 * The result is the caller's; free it with declass_manifest_free().
 */
int declass_manifest_load(declass_manifest **out, const char *path);

/* The same, from memory; `name` is used in messages. */
int declass_manifest_parse(declass_manifest **out, const char *name, const char *data, size_t len);

size_t declass_manifest_count(const declass_manifest *m);

/* Row i (0-based); owned by the manifest. */
const declass_manifest_row *declass_manifest_row_at(const declass_manifest *m, size_t i);

/*
 * Read the fields of `row` (a row of `m`) one after the other, in column
 * order: set *pos to 0 to start, and pass it back as the call left it (it
 * is a position in the row's packed cells, not a field index).  Sets *out
 * to the next field and returns 1, or returns 0 after the last.  Each call
 * costs time in the length of that one cell, so reading a whole row is
 * linear in its size; there is no cheaper way to field i than reading the
 * i before it.  Fields of several rows may be read at once, each with its
 * own *pos, from any number of threads.
 *
 *	declass_manifest_field f;
 *	size_t pos = 0;
 *
 *	while (declass_manifest_field_next(&f, m, row, &pos))
 *		printf("%s: %s\n", f.key, f.value);
 */
int declass_manifest_field_next(declass_manifest_field *out, const declass_manifest *m,
                                const declass_manifest_row *row, size_t *pos);

/* "csv", "json" or "xlsx". */
const char *declass_manifest_format(const declass_manifest *m);

void declass_manifest_free(declass_manifest *m);

#endif
