/*
 * Unit tests of the .xlsx reader (lib/manifest/xlsx.c) and of manifests read from
 * .xlsx (lib/manifest/manifest.c).
 *
 * Every NARA workbook in shared/data/jfk/manifests/ must give the same CSV,
 * byte for byte, as its twin in manifests-csv/ (made from it by another
 * tool), and the same manifest rows.  The other tests build small
 * workbooks with libzip at run time: inline strings, sparse rows and
 * cells, a zip bomb, a missing sheet, a DTD, and more.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "util/buf.h"
#include "declass/manifest.h"
#include "manifest_fields.h"
#include "manifest/xlsx.h"

#ifndef DECLASS_SHARED
#define DECLASS_SHARED "../shared"
#endif

/* --- helpers --------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	dc_buf b = DC_BUF_INIT;
	char chunk[65536];
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(dc_buf_add(&b, chunk, n), 0);
	fclose(f);
	*len = b.len;
	return dc_buf_detach(&b);
}

typedef struct {
	const char *name;
	const char *data; /* NUL-terminated; NULL: leave the part out */
} xpart;

static const char workbook[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                               "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
                               "2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/"
                               "officeDocument/2006/relationships\"><sheets>"
                               "<sheet name=\"Manifest\" sheetId=\"1\" r:id=\"rId7\"/>"
                               "<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId8\"/>"
                               "</sheets></workbook>";

static const char rels[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                           "relationships\">"
                           "<Relationship Id=\"rId8\" Type=\"http://schemas.openxmlformats.org/"
                           "officeDocument/2006/relationships/worksheet\" "
                           "Target=\"worksheets/other.xml\"/>"
                           "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/"
                           "officeDocument/2006/relationships/worksheet\" "
                           "Target=\"/xl/worksheets/first.xml\"/>"
                           "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/"
                           "officeDocument/2006/relationships/sharedStrings\" "
                           "Target=\"strings.xml\"/>"
                           "</Relationships>";

#define SHEET_HEAD                                                            \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                        \
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/" \
	"2006/main\"><dimension ref=\"A1:C3\"/><sheetData>"
#define SHEET_TAIL "</sheetData></worksheet>"

#define STRINGS_HEAD                                                         \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                       \
	"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/" \
	"main\">"

/* Write a zip of `parts` (to the end, or a NULL name) at `path`. */
static void write_zip(const char *path, const xpart *parts)
{
	zip_t *z;
	int err = 0;

	unlink(path);
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (; parts->name; parts++) {
		zip_source_t *s;

		if (!parts->data)
			continue;
		s = zip_source_buffer(z, parts->data, strlen(parts->data), 0);
		assert_non_null(s);
		assert_true(zip_file_add(z, parts->name, s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
}

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_xlsx_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * Convert a workbook made of the standard parts plus `sheet` and `strings`
 * (NULL: none); returns the error code and the CSV in *csv.
 */
static int convert_max(dc_buf *csv, const char *sheet, const char *strings, size_t max_part)
{
	char path[128];
	const xpart parts[] = {
		{ "[Content_Types].xml", "<Types/>" },
		{ "xl/workbook.xml", workbook },
		{ "xl/_rels/workbook.xml.rels", rels },
		{ "xl/worksheets/first.xml", sheet },
		{ "xl/worksheets/other.xml",
		  SHEET_HEAD "<row r=\"1\"><c r=\"A1\" "
		             "t=\"inlineStr\"><is><t>wrong sheet</t></is></c></row>" SHEET_TAIL },
		{ "xl/strings.xml", strings },
		{ NULL, NULL },
	};
	size_t len;
	char *data;
	int error;

	snprintf(path, sizeof(path), "%s/book.xlsx", tmpdir);
	write_zip(path, parts);
	data = slurp(path, &len);
	assert_true(dc_xlsx_is_zip(data, len));
	*csv = (dc_buf)DC_BUF_INIT;
	error = dc_xlsx_to_csv_max(csv, "manifest 'book.xlsx'", data, len, max_part);
	free(data);
	return error;
}

static void expect_csv(const char *sheet, const char *strings, const char *expected)
{
	dc_buf csv;
	int error = convert_max(&csv, sheet, strings, DC_XLSX_MAX_PART);

	if (error < 0)
		print_error("unexpected error: %s\n", declass_error_last());
	assert_int_equal(error, 0);
	assert_string_equal(csv.ptr, expected);
	dc_buf_free(&csv);
}

/* Conversion fails with DECLASS_EINPUT and a message holding `what`. */
static void expect_error_max(const char *sheet, const char *strings, size_t max_part,
                             const char *what)
{
	dc_buf csv;
	int error = convert_max(&csv, sheet, strings, max_part);

	dc_buf_free(&csv);
	assert_int_equal(error, DECLASS_EINPUT);
	if (!strstr(declass_error_last(), what))
		print_error("message '%s' lacks '%s'\n", declass_error_last(), what);
	assert_non_null(strstr(declass_error_last(), what));
	assert_non_null(strstr(declass_error_last(), "manifest 'book.xlsx'"));
}

static void expect_error(const char *sheet, const char *strings, const char *what)
{
	expect_error_max(sheet, strings, DC_XLSX_MAX_PART, what);
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* --- NARA's workbooks ----------------------------------------------------- */

/* Compare the manifests from `xlsx` and its CSV twin `csv`, row by row. */
static void compare_twins(const char *xlsx, const char *csv)
{
	declass_manifest *a = NULL, *b = NULL;
	dc_buf out = DC_BUF_INIT;
	size_t xlen, clen, i, j, fields = 0;
	char *xdata = slurp(xlsx, &xlen), *cdata = slurp(csv, &clen);

	/* the CSV text itself */
	assert_int_equal(dc_xlsx_to_csv(&out, "x", xdata, xlen), 0);
	if (out.len != clen || memcmp(out.ptr, cdata, clen))
		print_error("%s: CSV differs from %s\n", xlsx, csv);
	assert_int_equal(out.len, clen);
	assert_memory_equal(out.ptr, cdata, clen);

	/* and the manifests read from each */
	if (declass_manifest_load(&a, xlsx) < 0 || declass_manifest_load(&b, csv) < 0)
		print_error("%s\n", declass_error_last());
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(declass_manifest_format(a), "xlsx");
	assert_string_equal(declass_manifest_format(b), "csv");
	assert_int_equal(declass_manifest_count(a), declass_manifest_count(b));
	for (i = 0; i < declass_manifest_count(a); i++) {
		const declass_manifest_row *ra = declass_manifest_row_at(a, i);
		const declass_manifest_row *rb = declass_manifest_row_at(b, i);
		declass_manifest_field fa, fb;
		size_t pa, pb;

		assert_int_equal(ra->line, rb->line);
		assert_string_equal(ra->record, rb->record);
		assert_true(same(ra->file, rb->file));
		assert_true(same(ra->release_date, rb->release_date));
		assert_true(same(ra->release_type, rb->release_type));
		assert_int_equal(ra->nfields, rb->nfields);
		for (j = pa = pb = 0; j < ra->nfields; j++) {
			assert_true(declass_manifest_field_next(&fa, a, ra, &pa));
			assert_true(declass_manifest_field_next(&fb, b, rb, &pb));
			assert_string_equal(fa.key, fb.key);
			assert_string_equal(fa.value, fb.value);
			assert_string_equal(fa.raw, fb.raw);
			assert_string_equal(fa.header, fb.header);
		}
		assert_false(declass_manifest_field_next(&fa, a, ra, &pa));
		fields += ra->nfields;
	}
	print_message("%s: %zu rows, %zu fields, %zu bytes of CSV: same as "
	              "its CSV twin\n",
	              strrchr(xlsx, '/') + 1, declass_manifest_count(a), fields, out.len);
	declass_manifest_free(a);
	declass_manifest_free(b);
	dc_buf_free(&out);
	free(xdata);
	free(cdata);
}

static void test_xlsx__nara_manifests(void **state)
{
	const char *dir = DECLASS_SHARED "/data/jfk/manifests";
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	(void)state;
	if (!(d = opendir(dir))) {
		print_message("skipped: no %s (shared data missing)\n", dir);
		skip();
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char xlsx[4096], csv[4096];

		if (len < 6 || strcmp(e->d_name + len - 5, ".xlsx"))
			continue;
		snprintf(xlsx, sizeof(xlsx), "%s/%s", dir, e->d_name);
		snprintf(csv, sizeof(csv), "%s/data/jfk/manifests-csv/%.*s.csv", DECLASS_SHARED,
		         (int)(len - 5), e->d_name);
		if (access(csv, R_OK) != 0) {
			print_message("%s: no CSV twin, not compared\n", e->d_name);
			continue;
		}
		compare_twins(xlsx, csv);
		n++;
	}
	closedir(d);
	assert_true(n >= 1);
}

/* Spot checks that the twins agree for the right reasons. */
static void test_xlsx__nara_2021_rows(void **state)
{
	char path[4096];
	declass_manifest *m = NULL;
	const declass_manifest_row *row;

	(void)state;
	snprintf(path, sizeof(path),
	         "%s/data/jfk/manifests/national-archives-"
	         "jfk-assassination-records-2021-release.xlsx",
	         DECLASS_SHARED);
	if (access(path, R_OK) != 0) {
		print_message("skipped: no %s (shared data missing)\n", path);
		skip();
	}
	assert_int_equal(declass_manifest_load(&m, path), 0);
	assert_int_equal(declass_manifest_count(m), 1491);
	row = declass_manifest_row_at(m, 0);
	assert_string_equal(row->record, "104-10001-10008");
	assert_string_equal(row->file, "DOCID-32206291.pdf");
	/* stored as the serial number 44545 */
	assert_string_equal(row->release_date, "2021-12-15");
	assert_string_equal(row_field_must(m, row, 2).raw, "44545");
	assert_string_equal(row_value(m, row, "doc_date"), "1964-03-26");
	declass_manifest_free(m);
}

/* --- hand-made workbooks -------------------------------------------------- */

static void test_xlsx__cell_types(void **state)
{
	(void)state;
	expect_csv(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
	                      "<c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>"
	                      "<c r=\"D1\" t=\"s\"><v>3</v></c></row>"
	                      "<row r=\"2\"><c r=\"A2\"><v>44545</v></c>"
	                      "<c r=\"B2\" s=\"3\"><v>2.5</v></c>"
	                      "<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"b\"><v>0</v></c>"
	                      "<c r=\"E2\" t=\"str\"><f>A1&amp;B1</f><v>x,y</v></c>"
	                      "<c r=\"F2\" t=\"e\"><v>#N/A</v></c>"
	                      "<c r=\"G2\" t=\"n\"><v>-1.5E-3</v></c></row>" SHEET_TAIL,
	           STRINGS_HEAD "<si><t>Record Num</t></si>"
	                        /* rich text: runs joined, the phonetic run left out */
	                        "<si><r><rPr><b/></rPr><t>File </t></r><r><t>Name</t></r>"
	                        "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
	                        "<si><t xml:space=\"preserve\"> a \"quoted\" cell </t></si>"
	                        "<si><t>line_x000D_\nbreak &amp; _x005F_x</t></si>"
	                        "</sst>",
	           "Record Num,File Name,\" a \"\"quoted\"\" cell \","
	           "\"line\r\nbreak & _x\"\n"
	           "44545,2.5,TRUE,FALSE,\"x,y\",#N/A,-1.5E-3\n");
}

static void test_xlsx__inline_strings(void **state)
{
	(void)state;
	/* no shared strings part at all */
	expect_csv(SHEET_HEAD
	           "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Record</t></is>"
	           "</c><c r=\"B1\" t=\"inlineStr\"><is><r><t>File</t></r>"
	           "<r><rPr/><t xml:space=\"preserve\"> Name</t></r></is></c></row>"
	           "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>104-10004-10143"
	           "</t></is></c><c r=\"B2\" t=\"inlineStr\"><is><t><![CDATA[a.pdf]]>"
	           "</t></is></c><c r=\"C2\" t=\"inlineStr\"><is><t/></is></c></row>" SHEET_TAIL,
	           NULL, "Record,File Name\n104-10004-10143,a.pdf,\n");
}

static void test_xlsx__sparse(void **state)
{
	(void)state;
	/* rows 2 and 4 absent, cells B1, A3, C3 absent; a cell without r */
	expect_csv(SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"C1\"><v>3</v></c>"
	                      "<c><v>4</v></c></row>"
	                      "<row r=\"3\"><c r=\"B3\"><v>5</v></c><c r=\"D3\" s=\"1\"/></row>"
	                      "<row r=\"5\" spans=\"1:3\"/>"
	                      "<row><c r=\"AB6\"><v>6</v></c></row>" SHEET_TAIL,
	           NULL,
	           "1,,3,4\n\n,5,,\n\n\n"
	           ",,,,,,,,,,,,,,,,,,,,,,,,,,,6\n");
}

static void test_xlsx__manifest(void **state)
{
	char path[128];
	const xpart parts[] = {
		{ "xl/workbook.xml", workbook },
		{ "xl/_rels/workbook.xml.rels", rels },
		{ "xl/worksheets/first.xml", SHEET_HEAD
		  "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
		  "<c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>"
		  "<c r=\"D1\" s=\"1\"/></row>"
		  "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>3</v></c>"
		  "<c r=\"B3\" t=\"s\"><v>4</v></c><c r=\"C3\"><v>45043</v></c></row>" SHEET_TAIL },
		{ "xl/strings.xml",
		  STRINGS_HEAD "<si><t>Record Num</t></si><si><t>File Name</t></si>"
		               "<si><t>NARA Release Date</t></si><si><t>104-10003-10001</t></si>"
		               "<si><t>2023/104-10003-10001.pdf</t></si></sst>" },
		{ NULL, NULL },
	};
	declass_manifest *m = NULL;
	const declass_manifest_row *row;

	(void)state;
	snprintf(path, sizeof(path), "%s/manifest.xlsx", tmpdir);
	write_zip(path, parts);
	if (declass_manifest_load(&m, path) < 0)
		print_error("%s\n", declass_error_last());
	assert_non_null(m);
	assert_string_equal(declass_manifest_format(m), "xlsx");
	assert_int_equal(declass_manifest_count(m), 1);
	row = declass_manifest_row_at(m, 0);
	assert_int_equal(row->line, 3); /* the sheet's row */
	assert_string_equal(row->record, "104-10003-10001");
	assert_string_equal(row->file, "2023/104-10003-10001.pdf");
	assert_string_equal(row->release_date, "2023-04-27");
	declass_manifest_free(m);
}

/* A zip_source that makes `size` bytes of XML on the fly: a sheet whose
 * text is one long run of blanks. */
typedef struct {
	zip_uint64_t size, pos;
} bomb;

static const char bomb_head[] = SHEET_HEAD "<row r=\"1\"><c r=\"A1\" "
                                           "t=\"inlineStr\"><is><t>";

static zip_int64_t bomb_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	bomb *b = ud;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		b->pos = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t n = b->size - b->pos < len ? b->size - b->pos : len;
		zip_uint64_t i;
		char *p = data;

		for (i = 0; i < n; i++) {
			zip_uint64_t at = b->pos + i;

			p[i] = at < sizeof(bomb_head) - 1 ? bomb_head[at] : ' ';
		}
		b->pos += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;

		zip_stat_init(st);
		st->size = b->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return 2 * sizeof(int);
	case ZIP_SOURCE_FREE:
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
		                                      ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		                                      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		return -1;
	}
}

/* Write book.xlsx whose sheet is a bomb of `size` bytes; returns its bytes. */
static char *write_bomb(zip_uint64_t size, size_t *len)
{
	char path[128];
	bomb b = { size, 0 };
	zip_source_t *s;
	zip_int64_t i;
	zip_t *z;
	int err = 0;

	snprintf(path, sizeof(path), "%s/book.xlsx", tmpdir);
	unlink(path);
	assert_non_null(z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err));
	assert_non_null(s = zip_source_buffer(z, workbook, strlen(workbook), 0));
	assert_true(zip_file_add(z, "xl/workbook.xml", s, 0) >= 0);
	assert_non_null(s = zip_source_buffer(z, rels, strlen(rels), 0));
	assert_true(zip_file_add(z, "xl/_rels/workbook.xml.rels", s, 0) >= 0);
	assert_non_null(s = zip_source_function(z, bomb_cb, &b));
	assert_true((i = zip_file_add(z, "xl/worksheets/first.xml", s, 0)) >= 0);
	assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_DEFLATE, 9), 0);
	assert_int_equal(zip_close(z), 0);
	return slurp(path, len);
}

static void test_xlsx__zip_bomb(void **state)
{
	dc_buf csv = DC_BUF_INIT;
	size_t len;
	char *data;

	(void)state;
	/* 300 MiB of XML in a few hundred KB: refused from the zip directory */
	data = write_bomb((zip_uint64_t)300 << 20, &len);
	print_message("a 300 MiB sheet packed into %zu bytes\n", len);
	assert_true(len < ((size_t)2 << 20));
	assert_int_equal(dc_xlsx_to_csv(&csv, "manifest 'bomb.xlsx'", data, len), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "over the limit"));
	assert_non_null(strstr(declass_error_last(), "xl/worksheets/first.xml"));
	dc_buf_free(&csv);
	free(data);
}

/*
 * A bomb whose zip directory lies about its size: stopped while unpacking,
 * at the cap (lowered to 1 MiB here, for a 4 MiB part claiming 100 bytes).
 */
static void test_xlsx__zip_bomb_lying_size(void **state)
{
	dc_buf csv = DC_BUF_INIT;
	size_t len, i, patched = 0;
	char *data;

	(void)state;
	data = write_bomb((zip_uint64_t)4 << 20, &len);
	/* the uncompressed size sits at offset 22 of a local header and 24 of
	 * a central one */
	for (i = 0; i + 46 < len; i++) {
		size_t at;

		if (!memcmp(data + i, "PK\003\004", 4))
			at = i + 22;
		else if (!memcmp(data + i, "PK\001\002", 4))
			at = i + 24;
		else
			continue;
		if (((unsigned char)data[at] | (unsigned char)data[at + 1] << 8 |
		     (unsigned long)(unsigned char)data[at + 2] << 16 |
		     (unsigned long)(unsigned char)data[at + 3] << 24) == 4u << 20) {
			memcpy(data + at, "\144\0\0\0", 4);
			patched++;
		}
	}
	assert_int_equal(patched, 2);
	assert_int_equal(
	        dc_xlsx_to_csv_max(&csv, "manifest 'bomb.xlsx'", data, len, (size_t)1 << 20),
	        DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "more than 1 MiB"));
	dc_buf_free(&csv);
	free(data);
}

static void test_xlsx__missing_sheet(void **state)
{
	char path[128];
	const xpart parts[] = {
		{ "xl/workbook.xml", workbook },
		{ "xl/_rels/workbook.xml.rels", rels },
		{ NULL, NULL },
	};
	declass_manifest *m = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/nosheet.xlsx", tmpdir);
	write_zip(path, parts);
	assert_int_equal(declass_manifest_load(&m, path), DECLASS_EINPUT);
	assert_null(m);
	assert_non_null(strstr(declass_error_last(), "sheet 'Manifest': its "
	                                             "part 'xl/worksheets/first.xml' is missing"));
	assert_non_null(strstr(declass_error_last(), "nosheet.xlsx'"));
}

static void test_xlsx__no_sheets(void **state)
{
	char path[128];
	const xpart parts[] = {
		{ "xl/workbook.xml", "<workbook><sheets/></workbook>" },
		{ "xl/_rels/workbook.xml.rels", rels },
		{ NULL, NULL },
	};
	declass_manifest *m = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/empty.xlsx", tmpdir);
	write_zip(path, parts);
	assert_int_equal(declass_manifest_load(&m, path), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "the workbook has no sheet"));
}

static void test_xlsx__not_a_workbook(void **state)
{
	char path[128];
	const xpart parts[] = {
		{ "hello.txt", "hello" },
		{ NULL, NULL },
	};
	declass_manifest *m = NULL;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/plain.zip", tmpdir);
	write_zip(path, parts);
	assert_int_equal(declass_manifest_load(&m, path), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "not an xlsx workbook"));
	/* ZIP magic, then garbage */
	snprintf(path, sizeof(path), "%s/broken.xlsx", tmpdir);
	assert_non_null(f = fopen(path, "wb"));
	fputs("PK\003\004 this is not a zip file", f);
	fclose(f);
	assert_int_equal(declass_manifest_load(&m, path), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "not a readable xlsx"));
}

static void test_xlsx__no_relationship(void **state)
{
	char path[128];
	const xpart parts[] = {
		{ "xl/workbook.xml", workbook },
		{ "xl/_rels/workbook.xml.rels", "<Relationships/>" },
		{ NULL, NULL },
	};
	declass_manifest *m = NULL;

	(void)state;
	snprintf(path, sizeof(path), "%s/norel.xlsx", tmpdir);
	write_zip(path, parts);
	assert_int_equal(declass_manifest_load(&m, path), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "no relationship 'rId7'"));
}

static void test_xlsx__dtd_refused(void **state)
{
	(void)state;
	/* billion laughs, cut short: no DTD is accepted at all */
	expect_error("<?xml version=\"1.0\"?>\n"
	             "<!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\">"
	             "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	             "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
	             "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" "
	             "t=\"inlineStr\"><is><t>&c;</t></is></c></row>"
	             "</sheetData></worksheet>",
	             NULL, "has a DTD");
	/* an external entity */
	expect_error("<?xml version=\"1.0\"?>\n"
	             "<!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	             "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" "
	             "t=\"inlineStr\"><is><t>&x;</t></is></c></row>"
	             "</sheetData></worksheet>",
	             NULL, "has a DTD");
}

static void test_xlsx__bad_sheets(void **state)
{
	(void)state;
	expect_error(SHEET_HEAD "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c>"
	                        "</row>" SHEET_TAIL,
	             STRINGS_HEAD "<si><t>only one</t></si></sst>",
	             "cell 'A1': shared string '5' out of range (1 strings)");
	expect_error(SHEET_HEAD "<row r=\"2\"/><row r=\"1\"/>" SHEET_TAIL, NULL,
	             "rows out of order");
	expect_error(SHEET_HEAD "<row r=\"1\"><c r=\"B1\"/><c r=\"A1\"/></row>" SHEET_TAIL, NULL,
	             "cell 'A1' out of place");
	expect_error(SHEET_HEAD "<row r=\"1\"><c r=\"A2\"/></row>" SHEET_TAIL, NULL,
	             "cell 'A2' out of place (row 1)");
	expect_error(SHEET_HEAD "<row r=\"1\"><c r=\"XFE1\"/></row>" SHEET_TAIL, NULL,
	             "bad cell reference 'XFE1'");
	expect_error(SHEET_HEAD "<row r=\"1048577\"/>" SHEET_TAIL, NULL,
	             "a row number out of range");
	expect_error(SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</c></row>" SHEET_TAIL, NULL,
	             "part 'xl/worksheets/first.xml' line 2");
	expect_error(SHEET_HEAD "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>" SHEET_TAIL,
	             "<sst><si><t>x</si></sst>", "part 'xl/strings.xml' line 1");
	/* a huge strings part, over the (lowered) cap */
	expect_error_max(SHEET_HEAD SHEET_TAIL,
	                 STRINGS_HEAD "<si><t>0123456789012345678901234567890"
	                              "123456789</t></si></sst>",
	                 64, "over the limit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xlsx__nara_manifests),
		cmocka_unit_test(test_xlsx__nara_2021_rows),
		cmocka_unit_test(test_xlsx__cell_types),
		cmocka_unit_test(test_xlsx__inline_strings),
		cmocka_unit_test(test_xlsx__sparse),
		cmocka_unit_test(test_xlsx__manifest),
		cmocka_unit_test(test_xlsx__zip_bomb),
		cmocka_unit_test(test_xlsx__zip_bomb_lying_size),
		cmocka_unit_test(test_xlsx__missing_sheet),
		cmocka_unit_test(test_xlsx__no_sheets),
		cmocka_unit_test(test_xlsx__not_a_workbook),
		cmocka_unit_test(test_xlsx__no_relationship),
		cmocka_unit_test(test_xlsx__dtd_refused),
		cmocka_unit_test(test_xlsx__bad_sheets),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
