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

typedef struct declass_manifest_field {
	const char *key;    /* canonical key ("agency", "doc_date", ...), or
	                      the original header for columns we do not know */
	const char *value;  /* as published, trimmed; dates in ISO 8601 when
	                      they could be read (see raw for the original) */
	const char *raw;    /* the cell exactly as published */
	const char *header; /* the column header as published */
} declass_manifest_field;

typedef struct declass_manifest_row {
	size_t line;                          /* CSV: 1-based line where the row starts;
	                             JSON: 1-based index in the row array */
	const char *record;                   /* record id; never NULL or empty */
	const char *file;                     /* file path as listed (may hold '/'), or
	                             NULL when the manifest names no file */
	const char *release_date;             /* ISO YYYY-MM-DD, or NULL */
	const char *release_type;             /* "Formerly Withheld" ("In Part",
	                             "Redact"...), or NULL */
	size_t nfields;                       /* every non-empty cell of the row, in */
	const declass_manifest_field *fields; /* column order */
} declass_manifest_row;

/*
 * Parse the manifest at `path`: an .xlsx workbook's first sheet when it is
 * a ZIP file, JSON when it starts with '[' or '{' (after an optional BOM and
 * blanks), CSV otherwise.  Fails with DECLASS_EINPUT and
 * a message naming the file and line for malformed input: invalid UTF-8, a
 * NUL byte, an unterminated quote, a row wider than the header, duplicate
 * headers, no record column, a row without a record id, a bad record id, a
 * file name that is absolute or has "..", a backslash or a NUL, no rows.
 * The result is the caller's; free it with declass_manifest_free().
 */
int declass_manifest_load(declass_manifest **out, const char *path);

/* The same, from memory; `name` is used in messages. */
int declass_manifest_parse(declass_manifest **out, const char *name, const char *data, size_t len);

size_t declass_manifest_count(const declass_manifest *m);

/* Row i (0-based); owned by the manifest. */
const declass_manifest_row *declass_manifest_row_at(const declass_manifest *m, size_t i);

/* "csv", "json" or "xlsx". */
const char *declass_manifest_format(const declass_manifest *m);

void declass_manifest_free(declass_manifest *m);

#endif
