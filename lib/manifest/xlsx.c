/*
 * .xlsx to CSV (see xlsx.h): libzip opens the workbook in memory, and
 * libxml2's streaming reader walks each XML part as it is unpacked, so a
 * part is never held whole.  The steps:
 *
 *   xl/workbook.xml             the first <sheet>'s r:id
 *   xl/_rels/workbook.xml.rels  that id's target, and the shared strings'
 *   shared strings              every <si> as one string, rich-text runs
 *                               joined, phonetic runs (<rPh>) left out
 *   the sheet                   each <row> a line, each <c> a cell, in one
 *                               pass, so memory is the shared strings plus
 *                               the CSV
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/grow.h"
#include "xlsx.h"

/* Excel's own limits: XFD columns, 1,048,576 rows. */
#define XLSX_MAX_COLUMNS 16384
#define XLSX_MAX_ROWS    1048576
#define XLSX_MAX_STRINGS ((size_t)16 << 20)

#define WORKBOOK      "xl/workbook.xml"
#define WORKBOOK_RELS "xl/_rels/workbook.xml.rels"

typedef struct xlsx {
	const char *label;
	zip_t *zip;
	size_t max_part;
	dc_buf strings;  /* the shared strings, back to back */
	size_t *offs;    /* string i is strings.ptr[offs[i] .. offs[i + 1]) */
	size_t nstrings; /* offs holds nstrings + 1 entries */
	size_t offs_alloc;
} xlsx;

/* One XML part being read. */
typedef struct part {
	xlsx *x;
	const char *name;
	zip_file_t *file;
	xmlTextReaderPtr reader;
	size_t unpacked;
	int over; /* unpacked more than x->max_part */
	int zip_failed;
	int dtd;      /* found "<!DOCTYPE" before the root element */
	int prolog;   /* still before the root element */
	int match;    /* bytes of "<!DOCTYPE" matched so far */
	int xml_line; /* the first XML error, if any */
	char xml_msg[200];
} part;

/* --- reading parts ------------------------------------------------------ */

/*
 * Look for a DTD in the prolog, before libxml2 parses it: its checks
 * against entity bombs would stop one, but with a message that hides the
 * cause, and no xlsx part has a DTD anyway.
 */
static void scan_prolog(part *p, const char *buf, size_t len)
{
	static const char doctype[] = "<!DOCTYPE";
	size_t i;

	for (i = 0; i < len && p->prolog && !p->dtd; i++) {
		char c = buf[i];

		if (c == doctype[p->match]) {
			p->dtd = ++p->match == sizeof(doctype) - 1;
		} else if (p->match == 1 && c != '?') {
			p->prolog = 0; /* "<x": the root element */
		} else {
			p->match = c == '<';
		}
	}
}

static int part_read(void *ctx, char *buf, int len)
{
	part *p = ctx;
	zip_int64_t n = zip_fread(p->file, buf, (zip_uint64_t)len);

	if (n < 0) {
		p->zip_failed = 1;
		return -1;
	}
	p->unpacked += (size_t)n;
	if (p->unpacked > p->x->max_part) {
		p->over = 1;
		return -1;
	}
	scan_prolog(p, buf, (size_t)n);
	return p->dtd ? -1 : (int)n;
}

#if LIBXML_VERSION >= 21200
static void part_xml_error(void *ctx, const xmlError *e)
#else
static void part_xml_error(void *ctx, xmlErrorPtr e)
#endif
{
	part *p = ctx;
	size_t n;

	if (e->level < XML_ERR_ERROR || p->xml_msg[0])
		return;
	p->xml_line = e->line;
	snprintf(p->xml_msg, sizeof(p->xml_msg), "%s", e->message ? e->message : "malformed XML");
	n = strlen(p->xml_msg);
	while (n > 0 && (p->xml_msg[n - 1] == '\n' || p->xml_msg[n - 1] == ' '))
		p->xml_msg[--n] = '\0';
}

static void part_close(part *p)
{
	if (p->reader)
		xmlFreeTextReader(p->reader);
	if (p->file)
		zip_fclose(p->file);
	p->reader = NULL;
	p->file = NULL;
}

/*
 * Open part `name` for reading.  Returns DECLASS_ENOTFOUND, without a
 * message, when the workbook has no such part.
 */
static int part_open(part *p, xlsx *x, const char *name)
{
	zip_stat_t st;
	zip_int64_t i;

	memset(p, 0, sizeof(*p));
	p->x = x;
	p->name = name;
	p->prolog = 1;
	if ((i = zip_name_locate(x->zip, name, 0)) < 0)
		return DECLASS_ENOTFOUND;
	if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
	    st.size > x->max_part)
		return dc_error_set(DECLASS_EINPUT,
		                    "%s: part '%s' unpacks to %llu bytes, over the "
		                    "limit of %zu MiB (a zip bomb?)",
		                    x->label, name, (unsigned long long)st.size, x->max_part >> 20);
	if (!(p->file = zip_fopen_index(x->zip, (zip_uint64_t)i, 0)))
		return dc_error_set(DECLASS_EINPUT, "%s: cannot unpack part '%s': %s", x->label,
		                    name, zip_strerror(x->zip));
	/*
	 * No XML_PARSE_NOENT, DTDLOAD or DTDATTR: entities stay unexpanded
	 * and no DTD is fetched; part_next() refuses a DTD outright.
	 */
	p->reader =
	        xmlReaderForIO(part_read, NULL, p, name, NULL, XML_PARSE_NONET | XML_PARSE_COMPACT);
	if (!p->reader) {
		part_close(p);
		return dc_error_oom();
	}
	xmlTextReaderSetStructuredErrorHandler(p->reader, part_xml_error, p);
	return 0;
}

static int dtd_error(part *p)
{
	return dc_error_set(DECLASS_EINPUT,
	                    "%s: part '%s' has a DTD, which no "
	                    "xlsx part has; refusing it",
	                    p->x->label, p->name);
}

static int part_fail(part *p)
{
	const char *label = p->x->label;

	if (p->over)
		return dc_error_set(DECLASS_EINPUT,
		                    "%s: part '%s' unpacks to more than %zu MiB, "
		                    "over the limit (a zip bomb?)",
		                    label, p->name, p->x->max_part >> 20);
	if (p->zip_failed)
		return dc_error_set(DECLASS_EINPUT, "%s: cannot unpack part '%s': %s", label,
		                    p->name, zip_file_strerror(p->file));
	if (p->dtd)
		return dtd_error(p);
	if (p->xml_msg[0])
		return dc_error_set(DECLASS_EINPUT, "%s: part '%s' line %d: %s", label, p->name,
		                    p->xml_line, p->xml_msg);
	return dc_error_set(DECLASS_EINPUT, "%s: part '%s': malformed XML", label, p->name);
}

/* Step to the next node: 1, 0 at the end, or an error. */
static int part_next(part *p)
{
	int rc = xmlTextReaderRead(p->reader);

	if (rc < 0 || (rc == 1 && p->xml_msg[0]))
		return part_fail(p);
	if (rc == 1 && xmlTextReaderNodeType(p->reader) == XML_READER_TYPE_DOCUMENT_TYPE)
		return dtd_error(p);
	return rc;
}

static const char *node_name(part *p)
{
	return (const char *)xmlTextReaderConstLocalName(p->reader);
}

static int is_start(part *p, const char *name)
{
	return xmlTextReaderNodeType(p->reader) == XML_READER_TYPE_ELEMENT &&
	       !strcmp(node_name(p), name);
}

static int is_end(part *p, const char *name)
{
	return xmlTextReaderNodeType(p->reader) == XML_READER_TYPE_END_ELEMENT &&
	       !strcmp(node_name(p), name);
}

static int is_empty(part *p)
{
	return xmlTextReaderIsEmptyElement(p->reader) == 1;
}

/* Is the node text inside an element (text, CDATA or whitespace)? */
static int is_text(part *p)
{
	switch (xmlTextReaderNodeType(p->reader)) {
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		return 1;
	default:
		return 0;
	}
}

static int add_text(part *p, dc_buf *b)
{
	const char *s = (const char *)xmlTextReaderConstValue(p->reader);

	return s ? dc_buf_adds(b, s) : 0;
}

/* The attribute `name` (no namespace), or NULL; free() it. */
static char *attr(part *p, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(p->reader, (const xmlChar *)name);
	char *copy;

	if (!v)
		return NULL;
	copy = strdup((const char *)v);
	xmlFree(v);
	return copy;
}

/* The value of the attribute with local name `name` in any namespace
 * ("r:id" under either of the two relationship namespaces), or NULL. */
static char *attr_ns(part *p, const char *name)
{
	char *found = NULL;

	if (xmlTextReaderMoveToFirstAttribute(p->reader) != 1)
		return NULL;
	do {
		if (xmlTextReaderConstNamespaceUri(p->reader) && !strcmp(node_name(p), name)) {
			found = strdup((const char *)xmlTextReaderConstValue(p->reader));
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(p->reader) == 1);
	xmlTextReaderMoveToElement(p->reader);
	return found;
}

/* --- strings ------------------------------------------------------------ */

/*
 * Undo the _xHHHH_ escapes of OOXML strings (ST_Xstring: "_x000D_" is a
 * CR, "_x005F_" a '_') in b->ptr[from..], in place: a UTF-8 character is
 * never longer than its escape.  _x0000_ and surrogates stay as written.
 */
static void unescape(dc_buf *b, size_t from)
{
	char *s = b->ptr + from, *end = b->ptr + b->len, *w = s;

	while (s < end) {
		unsigned cp = 0;
		int i, ok = end - s >= 7 && s[0] == '_' && s[1] == 'x' && s[6] == '_';

		for (i = 2; ok && i < 6; i++) {
			int h = dc_hexval(s[i]);

			ok = h >= 0;
			cp = cp * 16 + (unsigned)(ok ? h : 0);
		}
		if (!ok || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			*w++ = *s++;
			continue;
		}
		s += 7;
		if (cp < 0x80) {
			*w++ = (char)cp;
		} else if (cp < 0x800) {
			*w++ = (char)(0xC0 | (cp >> 6));
			*w++ = (char)(0x80 | (cp & 0x3F));
		} else {
			*w++ = (char)(0xE0 | (cp >> 12));
			*w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
			*w++ = (char)(0x80 | (cp & 0x3F));
		}
	}
	dc_buf_truncate(b, (size_t)(w - b->ptr));
}

/* Close the string begun at x->offs[x->nstrings]. */
static int end_string(xlsx *x)
{
	if (dc_grow(&x->offs, &x->offs_alloc, x->nstrings + 2, sizeof(*x->offs)) < 0)
		return DECLASS_ENOMEM;
	unescape(&x->strings, x->offs[x->nstrings]);
	x->offs[++x->nstrings] = x->strings.len;
	return 0;
}

/* Read the shared strings part, if the workbook has one. */
static int read_strings(xlsx *x, const char *name)
{
	part p;
	int rc, depth_rph = 0, in_t = 0, in_si = 0;

	if (!(x->offs = malloc(1024 * sizeof(*x->offs))))
		return dc_error_oom();
	x->offs_alloc = 1024;
	x->offs[0] = 0;
	/* None, or none where the workbook says: a cell that wants one says so. */
	if (!name || (rc = part_open(&p, x, name)) == DECLASS_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	while ((rc = part_next(&p)) == 1) {
		if (is_start(&p, "si")) {
			if (x->nstrings >= XLSX_MAX_STRINGS) {
				rc = dc_error_set(DECLASS_EINPUT,
				                  "%s: more than %zu shared "
				                  "strings",
				                  x->label, XLSX_MAX_STRINGS);
				goto done;
			}
			in_si = !is_empty(&p);
			if (!in_si && (rc = end_string(x)) < 0)
				goto done;
		} else if (is_end(&p, "si")) {
			in_si = 0;
			if ((rc = end_string(x)) < 0)
				goto done;
		} else if (!in_si) {
			continue;
		} else if (is_start(&p, "rPh") && !is_empty(&p)) {
			depth_rph++;
		} else if (is_end(&p, "rPh")) {
			depth_rph--;
		} else if (is_start(&p, "t")) {
			in_t = !depth_rph && !is_empty(&p);
		} else if (is_end(&p, "t")) {
			in_t = 0;
		} else if (in_t && is_text(&p) && (rc = add_text(&p, &x->strings)) < 0) {
			goto done;
		}
	}
done:
	part_close(&p);
	return rc < 0 ? rc : 0;
}

/* --- workbook ------------------------------------------------------------- */

/* Resolve a relationship target against xl/ ("/xl/x" is from the root). */
static char *resolve(const char *target)
{
	dc_buf b = DC_BUF_INIT;

	if (target[0] == '/') {
		if (dc_buf_adds(&b, target + 1) < 0)
			return NULL;
	} else if (dc_buf_addf(&b, "xl/%s", target) < 0) {
		return NULL;
	}
	return dc_buf_detach(&b);
}

/* The first sheet's name and relationship id, from xl/workbook.xml. */
static int first_sheet(xlsx *x, char **name, char **rid)
{
	part p;
	int rc;

	*name = *rid = NULL;
	if ((rc = part_open(&p, x, WORKBOOK)) == DECLASS_ENOTFOUND)
		return dc_error_set(DECLASS_EINPUT,
		                    "%s: a zip file but not an "
		                    "xlsx workbook (no %s)",
		                    x->label, WORKBOOK);
	if (rc < 0)
		return rc;
	while ((rc = part_next(&p)) == 1) {
		if (!is_start(&p, "sheet"))
			continue;
		*name = attr(&p, "name");
		*rid = attr_ns(&p, "id");
		if (!*rid) {
			rc = dc_error_set(DECLASS_EINPUT,
			                  "%s: %s: sheet '%s' has no "
			                  "r:id",
			                  x->label, WORKBOOK, *name ? *name : "");
			goto done;
		}
		if (!*name && !(*name = strdup(""))) {
			rc = dc_error_oom();
			goto done;
		}
		break;
	}
	if (rc == 0)
		rc = dc_error_set(DECLASS_EINPUT, "%s: the workbook has no sheet", x->label);
done:
	part_close(&p);
	return rc < 0 ? rc : 0;
}

/*
 * From xl/_rels/workbook.xml.rels: the part of relationship `rid`, and the
 * shared strings part (NULL if none).
 */
static int find_parts(xlsx *x, const char *sheet, const char *rid, char **sheet_part,
                      char **strings_part)
{
	part p;
	int rc;

	*sheet_part = *strings_part = NULL;
	if ((rc = part_open(&p, x, WORKBOOK_RELS)) == DECLASS_ENOTFOUND)
		return dc_error_set(DECLASS_EINPUT, "%s: the workbook has no %s", x->label,
		                    WORKBOOK_RELS);
	if (rc < 0)
		return rc;
	while ((rc = part_next(&p)) == 1) {
		char *id, *type, *target, **slot = NULL;
		size_t tl;

		if (!is_start(&p, "Relationship"))
			continue;
		id = attr(&p, "Id");
		type = attr(&p, "Type");
		target = attr(&p, "Target");
		tl = type ? strlen(type) : 0;
		if (id && !strcmp(id, rid))
			slot = sheet_part;
		else if (tl >= 14 && !strcmp(type + tl - 14, "/sharedStrings"))
			slot = strings_part;
		if (slot && target && !*slot && !(*slot = resolve(target)))
			rc = dc_error_oom();
		free(id);
		free(type);
		free(target);
		if (rc < 0)
			goto done;
	}
	if (rc == 0 && !*sheet_part)
		rc = dc_error_set(DECLASS_EINPUT,
		                  "%s: sheet '%s': no relationship "
		                  "'%s' in %s",
		                  x->label, sheet, rid, WORKBOOK_RELS);
done:
	part_close(&p);
	if (rc < 0) {
		free(*sheet_part);
		free(*strings_part);
		*sheet_part = *strings_part = NULL;
		return rc;
	}
	return 0;
}

/* --- the sheet ------------------------------------------------------------ */

typedef struct sheet {
	xlsx *x;
	part p;
	dc_buf *out;
	size_t row; /* current row, 1-based; 0 before the first */
	size_t col; /* columns written in the current row */
	int in_row;
	char ref[24];    /* the current cell's reference, for messages */
	size_t cell_col; /* its column, 0-based */
	char *type;      /* its t attribute, or NULL */
	dc_buf value;    /* its <v> or <is> text */
	int in_v, in_t, depth_rph;
} sheet;

/*
 * Read a cell reference such as "AB12": its 0-based column and its row.
 * Returns 0 or -1 when it is not a reference within Excel's limits.
 */
static int parse_ref(const char *s, size_t *col, size_t *row)
{
	size_t c = 0, r = 0, n = 0;

	while (*s >= 'A' && *s <= 'Z' && n < 3) {
		c = c * 26 + (size_t)(*s++ - 'A' + 1);
		n++;
	}
	if (n == 0 || c > XLSX_MAX_COLUMNS || *s < '1' || *s > '9')
		return -1;
	for (n = 0; *s >= '0' && *s <= '9' && n < 8; n++)
		r = r * 10 + (size_t)(*s++ - '0');
	if (*s || r > XLSX_MAX_ROWS)
		return -1;
	*col = c - 1;
	*row = r;
	return 0;
}

static int sheet_error(sheet *sh, const char *what)
{
	return dc_error_set(DECLASS_EINPUT, "%s: part '%s' line %d: %s", sh->x->label, sh->p.name,
	                    xmlTextReaderGetParserLineNumber(sh->p.reader), what);
}

static int write_cell(dc_buf *out, const char *s, size_t len)
{
	int error;
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			break;
	if (i == len)
		return dc_buf_add(out, s, len);
	if ((error = dc_buf_addch(out, '"')) < 0)
		return error;
	for (i = 0; i < len; i++)
		if ((s[i] == '"' && (error = dc_buf_addch(out, '"')) < 0) ||
		    (error = dc_buf_addch(out, s[i])) < 0)
			return error;
	return dc_buf_addch(out, '"');
}

/* Write empty cells up to column `upto` (exclusive) of the current row. */
static int pad(sheet *sh, size_t upto)
{
	int error;

	for (; sh->col < upto; sh->col++)
		if (sh->col > 0 && (error = dc_buf_addch(sh->out, ',')) < 0)
			return error;
	return 0;
}

static int check_size(sheet *sh)
{
	if (sh->out->len > DC_XLSX_MAX_CSV)
		return dc_error_set(DECLASS_EINPUT,
		                    "%s: the sheet makes more than "
		                    "%zu MiB of CSV",
		                    sh->x->label, DC_XLSX_MAX_CSV >> 20);
	return 0;
}

static int end_row(sheet *sh)
{
	int error;

	sh->in_row = 0;
	if ((error = dc_buf_addch(sh->out, '\n')) < 0)
		return error;
	return check_size(sh);
}

/* Start row `r` (0: the row after the current one), with empty lines for
 * any rows skipped. */
static int start_row(sheet *sh, const char *r)
{
	size_t n = sh->row + 1;
	int error;

	if (r) {
		char *end;
		unsigned long v = strtoul(r, &end, 10);

		if (*end || r[0] < '1' || r[0] > '9' || v > XLSX_MAX_ROWS)
			return sheet_error(sh, "a row number out of range");
		if (v <= sh->row)
			return sheet_error(sh, "rows out of order");
		n = v;
	}
	while (sh->row + 1 < n) {
		sh->row++;
		sh->col = 0;
		if ((error = end_row(sh)) < 0)
			return error;
	}
	sh->row = n;
	sh->col = 0;
	sh->in_row = 1;
	return 0;
}

static int start_cell(sheet *sh)
{
	char *r = attr(&sh->p, "r");
	size_t col = sh->col, row = sh->row;
	int error = 0;

	free(sh->type);
	sh->type = attr(&sh->p, "t");
	dc_buf_truncate(&sh->value, 0);
	sh->in_v = sh->in_t = sh->depth_rph = 0;
	if (!sh->in_row) {
		error = sheet_error(sh, "a cell outside a row");
		goto done;
	}
	if (r) {
		if (parse_ref(r, &col, &row) < 0) {
			char what[80];

			snprintf(what, sizeof(what), "bad cell reference '%.20s'", r);
			error = sheet_error(sh, what);
			goto done;
		}
		if (row != sh->row || col < sh->col) {
			char what[80];

			snprintf(what, sizeof(what),
			         "cell '%.20s' out of place "
			         "(row %zu)",
			         r, sh->row);
			error = sheet_error(sh, what);
			goto done;
		}
	} else if (col >= XLSX_MAX_COLUMNS) {
		error = sheet_error(sh, "more than 16384 cells in a row");
		goto done;
	}
	sh->cell_col = col;
	snprintf(sh->ref, sizeof(sh->ref), "%s", r ? r : "");
done:
	free(r);
	return error;
}

/* The text of the current cell as stored, into sh->value. */
static int cell_text(sheet *sh)
{
	const char *t = sh->type;
	char what[96];

	if (t && !strcmp(t, "s")) {
		char *end;
		unsigned long long i = strtoull(sh->value.ptr, &end, 10);
		size_t a, b;

		if (!sh->value.len || *end || sh->value.ptr[0] == '-' || i >= sh->x->nstrings) {
			snprintf(what, sizeof(what),
			         "cell '%s': shared string '%.20s' "
			         "out of range (%zu strings)",
			         sh->ref, sh->value.ptr, sh->x->nstrings);
			return sheet_error(sh, what);
		}
		a = sh->x->offs[i];
		b = sh->x->offs[i + 1];
		dc_buf_truncate(&sh->value, 0);
		return dc_buf_add(&sh->value, sh->x->strings.ptr + a, b - a);
	}
	if (t && !strcmp(t, "b")) {
		if (!strcmp(sh->value.ptr, "1") || !strcmp(sh->value.ptr, "0")) {
			int yes = sh->value.ptr[0] == '1';

			dc_buf_truncate(&sh->value, 0);
			return dc_buf_adds(&sh->value, yes ? "TRUE" : "FALSE");
		}
		return 0;
	}
	if (t && (!strcmp(t, "inlineStr") || !strcmp(t, "str")))
		unescape(&sh->value, 0);
	/* numbers ("n" or none), errors ("e"), ISO dates ("d"): as stored */
	return 0;
}

static int end_cell(sheet *sh)
{
	int error;

	if ((error = cell_text(sh)) < 0 || (error = pad(sh, sh->cell_col)) < 0 ||
	    (sh->cell_col > 0 && (error = dc_buf_addch(sh->out, ',')) < 0) ||
	    (error = write_cell(sh->out, sh->value.ptr, sh->value.len)) < 0)
		return error;
	sh->col = sh->cell_col + 1;
	return check_size(sh);
}

/* One node inside <sheetData>. */
static int sheet_node(sheet *sh)
{
	part *p = &sh->p;
	int error;

	if (is_start(p, "row")) {
		char *r = attr(p, "r");

		error = start_row(sh, r);
		free(r);
		if (error < 0 || !is_empty(p))
			return error;
		return end_row(sh);
	}
	if (is_end(p, "row"))
		return end_row(sh);
	if (is_start(p, "c")) {
		if ((error = start_cell(sh)) < 0 || !is_empty(p))
			return error;
		return end_cell(sh);
	}
	if (is_end(p, "c"))
		return end_cell(sh);
	if (is_start(p, "v"))
		sh->in_v = !is_empty(p);
	else if (is_end(p, "v"))
		sh->in_v = 0;
	else if (is_start(p, "rPh") && !is_empty(p))
		sh->depth_rph++;
	else if (is_end(p, "rPh"))
		sh->depth_rph--;
	else if (is_start(p, "t"))
		sh->in_t = !sh->depth_rph && !is_empty(p);
	else if (is_end(p, "t"))
		sh->in_t = 0;
	else if ((sh->in_v || sh->in_t) && is_text(p))
		return add_text(p, &sh->value);
	return 0;
}

static int write_sheet(xlsx *x, dc_buf *out, const char *name, const char *title)
{
	sheet sh;
	int rc, in_data = 0;

	memset(&sh, 0, sizeof(sh));
	sh.x = x;
	sh.out = out;
	sh.value = (dc_buf)DC_BUF_INIT;
	if ((rc = part_open(&sh.p, x, name)) == DECLASS_ENOTFOUND) {
		rc = dc_error_set(DECLASS_EINPUT,
		                  "%s: sheet '%s': its part '%s' "
		                  "is missing from the workbook",
		                  x->label, title, name);
		goto done;
	}
	if (rc < 0)
		goto done;
	while ((rc = part_next(&sh.p)) == 1) {
		if (is_start(&sh.p, "sheetData"))
			in_data = !is_empty(&sh.p);
		else if (is_end(&sh.p, "sheetData"))
			in_data = 0;
		else if (in_data && (rc = sheet_node(&sh)) < 0)
			break;
	}
done:
	part_close(&sh.p);
	free(sh.type);
	dc_buf_free(&sh.value);
	return rc < 0 ? rc : 0;
}

/* --- entry points --------------------------------------------------------- */

int dc_xlsx_is_zip(const char *data, size_t len)
{
	return len >= 4 && !memcmp(data, "PK\003\004", 4);
}

int dc_xlsx_to_csv_max(dc_buf *out, const char *label, const char *data, size_t len,
                       size_t max_part)
{
	xlsx x;
	zip_source_t *src = NULL;
	zip_error_t zerr;
	char *title = NULL, *rid = NULL, *sheet_part = NULL, *strings_part = NULL;
	int error;

	assert(out && label && (data || !len));
	memset(&x, 0, sizeof(x));
	x.label = label;
	x.max_part = max_part;
	x.strings = (dc_buf)DC_BUF_INIT;
	xmlInitParser();
	zip_error_init(&zerr);
	if (!(src = zip_source_buffer_create(data, len, 0, &zerr)) ||
	    !(x.zip = zip_open_from_source(src, ZIP_RDONLY, &zerr))) {
		error = dc_error_set(DECLASS_EINPUT,
		                     "%s: not a readable xlsx "
		                     "workbook: %s",
		                     label, zip_error_strerror(&zerr));
		goto done;
	}
	src = NULL; /* the archive owns it now */
	if ((error = first_sheet(&x, &title, &rid)) < 0 ||
	    (error = find_parts(&x, title, rid, &sheet_part, &strings_part)) < 0 ||
	    (error = read_strings(&x, strings_part)) < 0)
		goto done;
	error = write_sheet(&x, out, sheet_part, title);
done:
	if (x.zip)
		zip_discard(x.zip);
	zip_source_free(src);
	zip_error_fini(&zerr);
	free(title);
	free(rid);
	free(sheet_part);
	free(strings_part);
	free(x.offs);
	dc_buf_free(&x.strings);
	return error;
}

int dc_xlsx_to_csv(dc_buf *out, const char *label, const char *data, size_t len)
{
	return dc_xlsx_to_csv_max(out, label, data, len, DC_XLSX_MAX_PART);
}
