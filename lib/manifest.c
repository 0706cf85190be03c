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
 *
 * The strings of a manifest live in a few large arena blocks, freed
 * together, rather than in one malloc per cell.
 */
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "csv.h"
#include "date.h"
#include "declass/manifest.h"
#include "declass/record.h"
#include "error.h"
#include "utf8.h"
#include "xlsx.h"

/* Limits against hostile input; real manifests are far below them. */
#define MANIFEST_MAX_FILE        ((size_t)512 << 20)
#define MANIFEST_MAX_CELL        ((size_t)64 << 10)
#define MANIFEST_MAX_ROW         ((size_t)1 << 20)
#define MANIFEST_MAX_COLUMNS     1024
#define MANIFEST_MAX_ROWS        ((size_t)2000000)
#define MANIFEST_MAX_FIELDS      ((size_t)32000000)
#define MANIFEST_MAX_JSON_VALUES ((size_t)32000000)

/* Canonical keys; the order of key_names. */
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

static const char *const key_names[K_COUNT] = {
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

static const int date_keys[] = { K_RELEASE_DATE, K_DOC_DATE, K_REVIEW_DATE };

typedef struct mrow {
	declass_manifest_row pub;
	size_t first; /* index of its first field in the manifest's fields */
} mrow;

struct declass_manifest {
	const char *format;
	mrow *rows;
	size_t nrows, rows_alloc;
	declass_manifest_field *fields;
	size_t nfields, fields_alloc;
	dc_arena arena;
};

/* State while parsing one manifest. */
typedef struct parser {
	declass_manifest *m;
	const char *unit;            /* "line" (CSV) or "row" (JSON), for messages */
	dc_buf label;                /* "manifest '<name>'" */
	declass_manifest_field *tmp; /* the fields of the row being read */
	size_t ntmp, tmp_alloc;
	const char **files; /* the file names of the row being read */
	size_t nfiles, files_alloc;
	const char *interned[256]; /* hash table of JSON keys seen, so that */
	                           /* each is stored once, not once a row */
} parser;

/* --- arena ------------------------------------------------------------ */

static void *arena_alloc(declass_manifest *m, size_t n)
{
	return dc_arena_alloc(&m->arena, n);
}

static const char *arena_strndup(declass_manifest *m, const char *s, size_t n)
{
	return dc_arena_strndup(&m->arena, s, n);
}

/* --- messages ----------------------------------------------------------- */

/* Set DECLASS_EINPUT: "manifest '<name>' line <n>: <message>". */
static int DC_PRINTF(3, 4) row_error(parser *p, size_t line, const char *fmt, ...)
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

/* --- cells ---------------------------------------------------------------- */

static void trim(const char *s, size_t len, size_t *start, size_t *end)
{
	size_t a = 0, b = len;

	while (a < b && is_blank((unsigned char)s[a]))
		a++;
	while (b > a && is_blank((unsigned char)s[b - 1]))
		b--;
	*start = a;
	*end = b;
}

/*
 * Add a field to the row being read, storing `raw` in the arena.  `value`
 * is raw trimmed; it shares raw's storage when only leading blanks go.
 * Sets *added to 0 and adds nothing when the trimmed cell is empty.
 */
static int add_field(parser *p, const char *key, const char *header, const char *raw, size_t len,
                     int *added)
{
	declass_manifest_field *f;
	const char *r;
	size_t a, b;

	*added = 0;
	trim(raw, len, &a, &b);
	if (a == b)
		return 0;
	if (p->ntmp == p->tmp_alloc) {
		size_t n = p->tmp_alloc ? p->tmp_alloc * 2 : 32;
		declass_manifest_field *t = realloc(p->tmp, n * sizeof(*t));

		if (!t)
			return dc_error_oom();
		p->tmp = t;
		p->tmp_alloc = n;
	}
	f = &p->tmp[p->ntmp];
	if (!(r = arena_strndup(p->m, raw, len)))
		return dc_error_oom();
	f->key = key;
	f->header = header;
	f->raw = r;
	f->value = b == len ? r + a : arena_strndup(p->m, raw + a, b - a);
	if (!f->value)
		return dc_error_oom();
	p->ntmp++;
	*added = 1;
	return 0;
}

static int add_file(parser *p, const char *name)
{
	if (p->nfiles == p->files_alloc) {
		size_t n = p->files_alloc ? p->files_alloc * 2 : 8;
		const char **f = realloc(p->files, n * sizeof(*f));

		if (!f)
			return dc_error_oom();
		p->files = f;
		p->files_alloc = n;
	}
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
		return add_file(p, cell);
	while (*s) {
		const char *e = strchr(s, ';'), *name;
		size_t len = e ? (size_t)(e - s) : strlen(s), a, b;
		int error;

		trim(s, len, &a, &b);
		if (a < b) {
			if (!(name = arena_strndup(p->m, s + a, b - a)))
				return dc_error_oom();
			if ((error = add_file(p, name)) < 0)
				return error;
		}
		s += len + (e ? 1 : 0);
	}
	return 0;
}

/* Does `s` end in a file extension: '.', a letter, then up to 4 letters or
 * digits ("x.pdf", "y (C06932208).PDF", "z.mp3"; not "180.10")? */
static int has_extension(const char *s)
{
	const char *dot = strrchr(s, '.'), *e;

	if (!dot || dot == s || !isalpha((unsigned char)dot[1]) || strlen(dot + 1) > 5)
		return 0;
	for (e = dot + 1; *e; e++)
		if (!isalnum((unsigned char)*e))
			return 0;
	return 1;
}

/* A file name must be a plain relative path: no way out of its folder. */
static int check_file(parser *p, size_t line, const char *name)
{
	const char *s, *comp = name;

	if (name[0] == '/')
		return row_error(p, line, "file name '%s' is absolute", name);
	for (s = name; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\')
			return row_error(p, line, "file name '%s' holds a backslash", name);
		if (c < 0x20 || c == 0x7f)
			return row_error(p, line, "file name '%.*s...' holds a control character",
			                 (int)(s - name), name);
	}
	for (;;) {
		const char *e = strchr(comp, '/');
		size_t len = e ? (size_t)(e - comp) : strlen(comp);

		if (len == 0)
			return row_error(p, line, "file name '%s' has an empty path component",
			                 name);
		if ((len == 1 && comp[0] == '.') || (len == 2 && comp[0] == '.' && comp[1] == '.'))
			return row_error(p, line, "file name '%s' has a '%.*s' component", name,
			                 (int)len, comp);
		if (!e)
			return 0;
		comp = e + 1;
	}
}

/*
 * Turn the row being read (p->tmp, p->files) into manifest rows: one per
 * file, or one without a file.  `record` is the row's record id, or NULL to
 * derive it from each file name.  The field at `file_field` (if < p->ntmp)
 * gets each file's name as its value, and as its raw cell too when
 * `raw_each`, so that each row's fields describe that row.
 */
static int emit_rows(parser *p, size_t line, const char *record, size_t file_field, int raw_each)
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
		mrow *row;

		if (file && (error = check_file(p, line, file)) < 0)
			return error;
		if (!id) {
			char *derived;

			if ((error = declass_record_from_filename(&derived, file)) < 0) {
				dc_error_prefix("%s %s %zu", p->label.ptr, p->unit, line);
				return error;
			}
			id = arena_strndup(m, derived, strlen(derived));
			free(derived);
			if (!id)
				return dc_error_oom();
		}
		if (m->nrows >= MANIFEST_MAX_ROWS)
			return row_error(p, line, "more than %zu rows", MANIFEST_MAX_ROWS);
		if (m->nfields + p->ntmp > MANIFEST_MAX_FIELDS)
			return row_error(p, line, "more than %zu cells in all",
			                 MANIFEST_MAX_FIELDS);
		if (m->nrows == m->rows_alloc) {
			size_t na = m->rows_alloc ? m->rows_alloc * 2 : 256;
			mrow *r = realloc(m->rows, na * sizeof(*r));

			if (!r)
				return dc_error_oom();
			m->rows = r;
			m->rows_alloc = na;
		}
		if (m->nfields + p->ntmp > m->fields_alloc) {
			size_t na = m->fields_alloc ? m->fields_alloc : 1024;
			declass_manifest_field *f;

			while (na < m->nfields + p->ntmp)
				na *= 2;
			if (!(f = realloc(m->fields, na * sizeof(*f))))
				return dc_error_oom();
			m->fields = f;
			m->fields_alloc = na;
		}
		memcpy(m->fields + m->nfields, p->tmp, p->ntmp * sizeof(*p->tmp));
		if (file && file_field < p->ntmp) {
			m->fields[m->nfields + file_field].value = file;
			if (raw_each)
				m->fields[m->nfields + file_field].raw = file;
		}
		row = &m->rows[m->nrows++];
		memset(row, 0, sizeof(*row));
		row->pub.line = line;
		row->pub.record = id;
		row->pub.file = file;
		row->pub.nfields = p->ntmp;
		row->first = m->nfields;
		m->nfields += p->ntmp;
	}
	return 0;
}

/* --- dates ---------------------------------------------------------------- */

/* Days since 1970-01-01 and back (H. Hinnant's civil calendar algorithms). */
static long days_from_civil(long y, long mo, long d)
{
	long era, yoe, doy, doe;

	y -= mo <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *mo, long *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*mo = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*mo <= 2);
}

/* Read min..max digits at *s. */
static int read_num(const char **s, int min, int max, long *out)
{
	const char *p = *s;
	long v = 0;
	int n = 0;

	while (n < max && isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n < min || isdigit((unsigned char)*p))
		return 0;
	*out = v;
	*s = p;
	return 1;
}

/* Read an English month name or its three-letter abbreviation at *s. */
static int read_month(const char **s, long *out)
{
	static const char *const names[] = { "january",   "february", "march",    "april",
		                             "may",       "june",     "july",     "august",
		                             "september", "october",  "november", "december" };
	const char *p = *s;
	char word[16];
	size_t n = 0, i;

	while (isalpha((unsigned char)*p) && n < sizeof(word) - 1)
		word[n++] = (char)tolower((unsigned char)*p++);
	word[n] = '\0';
	if (n < 3 || isalpha((unsigned char)*p))
		return 0;
	for (i = 0; i < 12; i++) {
		if (!strcmp(word, names[i]) || (n == 3 && !strncmp(word, names[i], 3)) ||
		    (i == 8 && !strcmp(word, "sept"))) {
			*out = (long)i + 1;
			*s = p;
			return 1;
		}
	}
	return 0;
}

static int is_sep(char c)
{
	return c == '/' || c == '-' || c == '.';
}

/* Is s "A/B/YYYY" with 1-2 digit A and B (separator '/', '-' or '.')? */
static int numeric_parts(const char *s, long *a, long *b)
{
	long y;
	char sep;

	if (!read_num(&s, 1, 2, a) || !is_sep(sep = *s++) || !read_num(&s, 1, 2, b) ||
	    *s++ != sep || !read_num(&s, 4, 4, &y))
		return 0;
	return *s == '\0';
}

/*
 * Read a trimmed date cell: an Excel serial number (5 to 7 digits, days
 * since 1899-12-30, any fraction of a day dropped), ISO YYYY-MM-DD (with or
 * without a time), A/B/YYYY with `day_first` choosing the order, or a month
 * name before or after the day ("Aug/18/2017", "15-Dec-2021").  Returns 1
 * and a real calendar date, or 0.
 */
static int parse_date(const char *s, int day_first, long *y, long *mo, long *d)
{
	const char *p = s;
	long a, b, v;
	char sep;

	if (read_num(&p, 5, 7, &v) &&
	    (*p == '\0' || (*p == '.' && isdigit((unsigned char)p[1]) &&
	                    strspn(p + 1, "0123456789") == strlen(p + 1)))) {
		if (v > 2958465) /* 9999-12-31 */
			return 0;
		civil_from_days(days_from_civil(1899, 12, 30) + v, y, mo, d);
		return dc_date_valid((int)*y, (int)*mo, (int)*d);
	}
	p = s;
	if (read_num(&p, 4, 4, y) && *p++ == '-' && read_num(&p, 2, 2, mo) && *p++ == '-' &&
	    read_num(&p, 2, 2, d)) {
		if (*p != '\0' &&
		    ((*p != 'T' && *p != ' ') || strspn(p + 1, "0123456789:.+-Z") != strlen(p + 1)))
			return 0;
		return dc_date_valid((int)*y, (int)*mo, (int)*d);
	}
	if (numeric_parts(s, &a, &b)) {
		*y = strtol(s + strlen(s) - 4, NULL, 10);
		*mo = day_first ? b : a;
		*d = day_first ? a : b;
		return dc_date_valid((int)*y, (int)*mo, (int)*d);
	}
	p = s;
	if (read_month(&p, mo) && is_sep(sep = *p++) && read_num(&p, 1, 2, d) && *p++ == sep &&
	    read_num(&p, 4, 4, y) && *p == '\0')
		return dc_date_valid((int)*y, (int)*mo, (int)*d);
	p = s;
	if (read_num(&p, 1, 2, d) && is_sep(sep = *p++) && read_month(&p, mo) && *p++ == sep &&
	    read_num(&p, 4, 4, y) && *p == '\0')
		return dc_date_valid((int)*y, (int)*mo, (int)*d);
	return 0;
}

/*
 * Rewrite each date column's readable values as ISO 8601.  The order of
 * A/B/YYYY is decided per column: day first when some value has A > 12 and
 * none has B > 12, month first otherwise.  Per column rather than per
 * manifest because the 2017 export has day-first release dates
 * (26/10/2017) beside month-first document dates (06/26/1975).
 */
static int fix_dates(declass_manifest *m)
{
	size_t k, i;

	for (k = 0; k < sizeof(date_keys) / sizeof(date_keys[0]); k++) {
		const char *key = key_names[date_keys[k]];
		size_t day_first_seen = 0, month_first_seen = 0;
		int day_first;

		for (i = 0; i < m->nfields; i++) {
			long a, b;

			if (m->fields[i].key != key || !numeric_parts(m->fields[i].value, &a, &b))
				continue;
			if (a > 12 && a <= 31 && b >= 1 && b <= 12)
				day_first_seen++;
			else if (b > 12 && b <= 31 && a >= 1 && a <= 12)
				month_first_seen++;
		}
		day_first = day_first_seen > 0 && month_first_seen == 0;
		for (i = 0; i < m->nfields; i++) {
			long y, mo, d;
			char *iso;

			if (m->fields[i].key != key ||
			    !parse_date(m->fields[i].value, day_first, &y, &mo, &d))
				continue;
			if (!(iso = arena_alloc(m, 11)))
				return dc_error_oom();
			snprintf(iso, 11, "%04ld-%02ld-%02ld", y, mo, d);
			m->fields[i].value = iso;
		}
	}
	return 0;
}

/* Is s exactly YYYY-MM-DD and a real date, as fix_dates writes them? */
static int is_iso_date(const char *s)
{
	int y, mo, d;

	return dc_date_parse_iso(s, &y, &mo, &d) == 0;
}

/* Point each row at its fields, now that the array will not move. */
static int finish(parser *p)
{
	declass_manifest *m = p->m;
	size_t i, j;
	int error;

	if (m->nrows == 0)
		return dc_error_set(DECLASS_EINPUT, "%s: no rows", p->label.ptr);
	if ((error = fix_dates(m)) < 0)
		return error;
	for (i = 0; i < m->nrows; i++) {
		declass_manifest_row *row = &m->rows[i].pub;

		row->fields = m->fields + m->rows[i].first;
		for (j = 0; j < row->nfields; j++) {
			const declass_manifest_field *f = &row->fields[j];

			if (f->key == key_names[K_RELEASE_DATE] && is_iso_date(f->value))
				row->release_date = f->value;
			else if (f->key == key_names[K_RELEASE_TYPE])
				row->release_type = f->value;
		}
	}
	return 0;
}

/* --- CSV ------------------------------------------------------------------ */

typedef struct column {
	const char *header; /* as published */
	const char *key;    /* canonical key, or the trimmed header */
	const char *norm;   /* normalised header, to find duplicates */
	int k;              /* K_* */
} column;

static int row_is_blank(const dc_csv *r)
{
	size_t i, a, b;

	for (i = 0; i < r->ncells; i++) {
		trim(dc_csv_cell(r, i), dc_csv_cell_len(r, i), &a, &b);
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
		trim(dc_csv_cell(r, n - 1), dc_csv_cell_len(r, n - 1), &a, &b);
		if (a < b)
			break;
		n--;
	}
	if (n > MANIFEST_MAX_COLUMNS) {
		error = row_error(p, r->row_line, "%zu columns (at most %d)", n,
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

		trim(cell, len, &a, &b);
		cols[i].header = arena_strndup(p->m, cell, len);
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
		cols[i].norm = arena_strndup(p->m, norm.ptr, norm.len);
		cols[i].key = cols[i].k >= 0 ? key_names[cols[i].k]
		                             : arena_strndup(p->m, cell + a, b - a);
		if (!cols[i].norm || !cols[i].key) {
			error = dc_error_oom();
			goto done;
		}
		for (j = 0; j < i; j++) {
			if (cols[j].k == K_NONE)
				continue;
			if (cols[j].k >= 0 ? cols[j].k == cols[i].k
			                   : !strcmp(cols[j].norm, cols[i].norm)) {
				error = row_error(p, r->row_line,
				                  "duplicate column: '%s' (column %zu) "
				                  "means the same as '%s' (column %zu)",
				                  cols[i].header, i + 1, cols[j].header, j + 1);
				goto done;
			}
		}
		if (cols[i].k == K_RECORD)
			*rec_col = (int)i;
		else if (cols[i].k == K_FILE)
			*file_col = (int)i;
	}
	if (*rec_col < 0 && *file_col < 0) {
		error = row_error(p, r->row_line,
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

/* Read one non-blank data row into manifest rows. */
static int read_row(parser *p, const dc_csv *r, const column *cols, size_t ncols, int rec_col,
                    int file_col)
{
	size_t rec = (size_t)-1, file = (size_t)-1, i, a, b;
	const char *record = NULL;
	int error, added;

	p->ntmp = p->nfiles = 0;
	for (i = 0; i < r->ncells; i++) {
		const char *cell = dc_csv_cell(r, i);
		size_t len = dc_csv_cell_len(r, i);

		if (i >= ncols || cols[i].k == K_NONE) {
			trim(cell, len, &a, &b);
			if (a == b)
				continue;
			if (i >= ncols)
				return row_error(p, r->row_line,
				                 "row wider than the header: cell %zu '%.40s' "
				                 "is past its %zu columns",
				                 i + 1, cell + a, ncols);
			return row_error(p, r->row_line,
			                 "cell %zu '%.40s' is under an empty header", i + 1,
			                 cell + a);
		}
		if ((error = add_field(p, cols[i].key, cols[i].header, cell, len, &added)) < 0)
			return error;
		if (added && (int)i == rec_col)
			rec = p->ntmp - 1;
		else if (added && (int)i == file_col)
			file = p->ntmp - 1;
	}
	if (rec_col >= 0 && rec == (size_t)-1)
		return row_error(p, r->row_line, "no record id");
	if (rec_col >= 0)
		record = p->tmp[rec].value;
	if (file_col < 0 && record && has_extension(record)) {
		/* 2025: the record column lists file names */
		file = rec;
		p->tmp[rec].key = key_names[K_FILE];
		record = NULL;
	}
	if (file != (size_t)-1 && (error = split_files(p, p->tmp[file].value)) < 0)
		return error;
	if (!record && p->nfiles == 0)
		return row_error(p, r->row_line, "no file name");
	return emit_rows(p, r->row_line, record, file, 0);
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
		rc = row_error(p, r.line, "no header and no rows");
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
		rc = row_error(p, header_line, "a header but no rows");
done:
	free(cols);
	dc_csv_free(&r);
	return rc < 0 ? rc : 0;
}

/* --- JSON ----------------------------------------------------------------- */

/*
 * A JSON key in the arena, stored once per manifest.  The table is small
 * and probed a few slots at most, so that a hostile manifest with millions
 * of distinct keys costs a copy each, not a search of all the others.
 */
static const char *intern(parser *p, const char *s)
{
	const size_t slots = sizeof(p->interned) / sizeof(p->interned[0]);
	const unsigned char *c;
	uint32_t h = 2166136261u; /* FNV-1a */
	const char *copy;
	size_t i;

	for (c = (const unsigned char *)s; *c; c++)
		h = (h ^ *c) * 16777619u;
	for (i = 0; i < 8; i++) {
		const char **slot = &p->interned[(h + i) % slots];

		if (*slot && !strcmp(*slot, s))
			return *slot;
		if (!*slot) {
			if ((*slot = arena_strndup(p->m, s, strlen(s))))
				return *slot;
			return NULL;
		}
	}
	copy = arena_strndup(p->m, s, strlen(s));
	return copy;
}

/* Read the "files" array of row `line` into p->files and its fields. */
static int read_files(parser *p, size_t line, const char *header, json_t *files, size_t *file_field)
{
	size_t i, start = p->ntmp;
	json_t *v;
	int error, added;

	if (!json_is_array(files))
		return row_error(p, line, "'files' must be an array of file names");
	json_array_foreach(files, i, v)
	{
		const char *s = json_string_value(v);

		if (!s)
			return row_error(p, line, "'files' item %zu is not a string", i + 1);
		if (strlen(s) != json_string_length(v))
			return row_error(p, line, "'files' item %zu holds a NUL byte", i + 1);
		/* Keep one "file" field, the first; emit_rows sets it per file. */
		if ((error = add_field(p, key_names[K_FILE], header, s, strlen(s), &added)) < 0)
			return error;
		if (!added)
			return row_error(p, line, "'files' item %zu is empty", i + 1);
		if ((error = add_file(p, p->tmp[p->ntmp - 1].value)) < 0)
			return error;
		if (p->ntmp > start + 1)
			p->ntmp--;
	}
	if (p->ntmp > start)
		*file_field = start;
	return 0;
}

static int read_object(parser *p, size_t line, json_t *obj)
{
	size_t file = (size_t)-1, rec = (size_t)-1;
	unsigned long seen = 0;
	int error, added, has_files = 0;
	dc_buf norm = DC_BUF_INIT;
	void *it;

	p->ntmp = p->nfiles = 0;
	if (!json_is_object(obj))
		return row_error(p, line, "not an object");
	if (json_object_size(obj) > MANIFEST_MAX_COLUMNS)
		return row_error(p, line, "%zu keys (at most %d)", json_object_size(obj),
		                 MANIFEST_MAX_COLUMNS);
	error = 0;
	for (it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
		const char *name = json_object_iter_key(it), *header, *key, *s;
		json_t *v = json_object_iter_value(it);
		char num[32];
		int k, is_files;

		if (strlen(name) != json_object_iter_key_len(it)) {
			error = row_error(p, line, "a key holds a NUL byte");
			goto done;
		}
		if ((error = normalise(&norm, name)) < 0)
			goto done;
		/* "files": ["a.pdf", "b.pdf"] stands for one row per file. */
		is_files = !strcmp(norm.ptr, "files");
		k = is_files ? K_FILE : lookup_key(norm.ptr);
		if (k >= 0 && (seen & (1UL << k))) {
			error = row_error(p, line,
			                  "key '%s' says the same as an "
			                  "earlier key ('%s')",
			                  name, key_names[k]);
			goto done;
		}
		if (k >= 0)
			seen |= 1UL << k;
		if (!(header = intern(p, name))) {
			error = dc_error_oom();
			goto done;
		}
		key = k >= 0 ? key_names[k] : header;
		if (is_files) {
			has_files = 1;
			if ((error = read_files(p, line, header, v, &file)) < 0)
				goto done;
			continue;
		}
		if (json_is_null(v))
			continue;
		if (json_is_integer(v) && (k == K_PAGES || k == K_PAGES_RELEASED)) {
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			s = num;
		} else if (json_is_string(v)) {
			s = json_string_value(v);
			if (strlen(s) != json_string_length(v)) {
				error = row_error(p, line, "'%s' holds a NUL byte", name);
				goto done;
			}
		} else {
			error = row_error(p, line, "'%s' must be a string%s", name,
			                  k == K_PAGES || k == K_PAGES_RELEASED ? " or an integer"
			                                                        : "");
			goto done;
		}
		if ((error = add_field(p, key, header, s, strlen(s), &added)) < 0)
			goto done;
		if (added && k == K_RECORD)
			rec = p->ntmp - 1;
		else if (added && k == K_FILE) {
			file = p->ntmp - 1;
			if ((error = add_file(p, p->tmp[file].value)) < 0)
				goto done;
		}
	}
	if (rec == (size_t)-1)
		error = row_error(p, line, "no record id");
	else
		error = emit_rows(p, line, p->tmp[rec].value, file, has_files);
done:
	dc_buf_free(&norm);
	return error;
}

static int parse_json(parser *p, const char *data, size_t len)
{
	json_error_t jerr;
	json_t *root, *rows, *v;
	size_t i, values = 1;
	int error = 0;

	/*
	 * jansson builds the whole document before we see a row, at some tens
	 * of bytes per value: bound the values first.  Every value but the
	 * first follows a ',', '[' or ':'; counting those in strings too only
	 * overestimates.
	 */
	for (i = 0; i < len; i++)
		values += data[i] == ',' || data[i] == '[' || data[i] == ':';
	if (values > MANIFEST_MAX_JSON_VALUES)
		return dc_error_set(DECLASS_EINPUT, "%s: more than %zu JSON values", p->label.ptr,
		                    MANIFEST_MAX_JSON_VALUES);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!root)
		return dc_error_set(DECLASS_EINPUT, "%s line %d: %s", p->label.ptr,
		                    jerr.line > 0 ? jerr.line : 1, jerr.text);
	rows = json_is_object(root) ? json_object_get(root, "rows") : root;
	if (!json_is_array(rows)) {
		error = dc_error_set(DECLASS_EINPUT,
		                     "%s line 1: expected an array of rows or "
		                     "{\"rows\": [...]}",
		                     p->label.ptr);
		goto done;
	}
	json_array_foreach(rows, i, v)
	{
		if ((error = read_object(p, i + 1, v)) < 0)
			goto done;
	}
done:
	json_decref(root);
	return error;
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
	if ((error = dc_buf_addf(&p.label, "manifest '%s'", name)) < 0)
		return error;
	if (len > MANIFEST_MAX_FILE) {
		error = dc_error_set(DECLASS_EINPUT, "%s: %zu bytes, over the limit of %zu MiB",
		                     p.label.ptr, len, MANIFEST_MAX_FILE >> 20);
		goto done;
	}
	if (len >= 2 && ((data[0] == '\xff' && data[1] == '\xfe') ||
	                 (data[0] == '\xfe' && data[1] == '\xff'))) {
		error = row_error(&p, 1, "UTF-16 text; export the manifest as UTF-8");
		goto done;
	}
	if ((nul = memchr(data, '\0', len))) {
		error = row_error(&p, line_of(data, (size_t)(nul - data)), "NUL byte");
		goto done;
	}
	if (!dc_utf8_valid(data, len, &bad)) {
		error = row_error(&p, line_of(data, bad), "invalid UTF-8 (byte %zu of the file)",
		                  bad + 1);
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
		error = parse_json(&p, data, len);
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
	free(p.tmp);
	free(p.files);
	dc_buf_free(&p.label);
	return error;
}

/* An .xlsx workbook: its first sheet as CSV (lib/xlsx.c), parsed as such. */
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
	return i < m->nrows ? &m->rows[i].pub : NULL;
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
	free(m->fields);
	free(m);
}
