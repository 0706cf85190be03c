/*
 * Unit tests of the manifest parser (lib/manifest/manifest.c, lib/manifest/csv.c) on small
 * inline inputs: each shape NARA's exports take, the JSON form, and every
 * error manifest.h lists.  test_nara_manifests.c reads the real files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "declass/manifest.h"
#include "manifest_fields.h"

static declass_manifest *parse_named(const char *name, const char *text, size_t len)
{
	declass_manifest *m = NULL;
	int error = declass_manifest_parse(&m, name, text, len);

	if (error < 0)
		print_error("unexpected error: %s\n", declass_error_last());
	assert_int_equal(error, 0);
	assert_non_null(m);
	return m;
}

static declass_manifest *parse(const char *text)
{
	return parse_named("m.csv", text, strlen(text));
}

/*
 * Field i of `row`, or NULL; read with declass_manifest_field_next(), into
 * storage that the next call of field_at() or field() reuses.
 */
static const declass_manifest_field *field_at(const declass_manifest *m,
                                              const declass_manifest_row *row, size_t i)
{
	static declass_manifest_field f;

	return row_field_at(&f, m, row, i) ? &f : NULL;
}

/* The field of `row` with `key`, or NULL; as field_at(). */
static const declass_manifest_field *field(const declass_manifest *m,
                                           const declass_manifest_row *row, const char *key)
{
	static declass_manifest_field f;

	return row_field(&f, m, row, key) ? &f : NULL;
}

/* The value of `key` in row i, or NULL. */
static const char *value(const declass_manifest *m, size_t i, const char *key)
{
	const declass_manifest_row *row = declass_manifest_row_at(m, i);
	const declass_manifest_field *f;

	assert_non_null(row);
	f = field(m, row, key);
	return f ? f->value : NULL;
}

/*
 * Parsing must fail with DECLASS_EINPUT, a message that starts with
 * `where` ("manifest 'm.csv' line 3") and holds `what`.
 */
static void expect_error_len(const char *name, const char *text, size_t len, const char *where,
                             const char *what)
{
	declass_manifest *m = NULL;
	const char *msg;
	int error = declass_manifest_parse(&m, name, text, len);

	msg = declass_error_last();
	if (strncmp(msg, where, strlen(where)) || !strstr(msg, what))
		print_error("message '%s' lacks '%s' or '%s'\n", msg, where, what);
	assert_int_equal(error, DECLASS_EINPUT);
	assert_int_equal(declass_error_code(), DECLASS_EINPUT);
	assert_null(m);
	assert_true(!strncmp(msg, where, strlen(where)));
	assert_non_null(strstr(msg, what));
}

static void expect_error(const char *text, const char *where, const char *what)
{
	expect_error_len("m.csv", text, strlen(text), where, what);
}

static void expect_json_error(const char *text, const char *where, const char *what)
{
	expect_error_len("m.json", text, strlen(text), where, what);
}

/* --- shapes ---------------------------------------------------------------- */

static void test_manifest__nara_2022_row(void **state)
{
	declass_manifest *m =
	        parse("File Name,Record Num,NARA Release Date,Formerly Withheld,Doc Date,"
	              "Doc Type,File Num,To Name,From Name,Title,Num Pages,Originator,"
	              "Record Series,Review Date,Comments,Pages Released,\n"
	              "2022/104-10001-10015.pdf,104-10001-10015,12/15/2022,Redact,"
	              "03/31/1964,PAPER - TEXTUAL DOCUMENT,201-289249,"
	              "\"RANKIN, J. LEE, GEN COUNSEL, WC\",\"RICHARD HELMS, DDP\","
	              "RPTS ON ACTIVITIES & TRAVEL OF THE OSWALDS,14,CIA,JFK,11/18/2022,"
	              "OSW7 : V32 : 20031124-1016188 :,14\n");
	const declass_manifest_row *row;
	const declass_manifest_field *f;

	(void)state;
	assert_string_equal(declass_manifest_format(m), "csv");
	assert_int_equal(declass_manifest_count(m), 1);
	row = declass_manifest_row_at(m, 0);
	assert_int_equal(row->line, 2);
	assert_string_equal(row->record, "104-10001-10015");
	assert_string_equal(row->file, "2022/104-10001-10015.pdf");
	assert_string_equal(row->release_date, "2022-12-15");
	assert_string_equal(row->release_type, "Redact");
	assert_int_equal(row->nfields, 16);
	assert_string_equal(field_at(m, row, 0)->key, "file");
	assert_string_equal(field_at(m, row, 0)->header, "File Name");
	assert_string_equal(field_at(m, row, 1)->key, "record");
	assert_string_equal(value(m, 0, "doc_date"), "1964-03-31");
	assert_string_equal(value(m, 0, "review_date"), "2022-11-18");
	assert_string_equal(value(m, 0, "to"), "RANKIN, J. LEE, GEN COUNSEL, WC");
	assert_string_equal(value(m, 0, "from"), "RICHARD HELMS, DDP");
	assert_string_equal(value(m, 0, "file_num"), "201-289249");
	assert_string_equal(value(m, 0, "doc_type"), "PAPER - TEXTUAL DOCUMENT");
	assert_string_equal(value(m, 0, "pages"), "14");
	assert_string_equal(value(m, 0, "pages_released"), "14");
	assert_string_equal(value(m, 0, "originator"), "CIA");
	assert_string_equal(value(m, 0, "record_series"), "JFK");
	assert_string_equal(value(m, 0, "comments"), "OSW7 : V32 : 20031124-1016188 :");
	f = field(m, row, "release_date");
	assert_string_equal(f->raw, "12/15/2022");
	assert_string_equal(f->header, "NARA Release Date");
	assert_null(declass_manifest_row_at(m, 1));
	declass_manifest_free(m);
}

static void test_manifest__bom(void **state)
{
	declass_manifest *m = parse("\xef\xbb\xbfRecord Num,File Name\n"
	                            "104-10001-10015,a.pdf\n");

	(void)state;
	assert_int_equal(declass_manifest_count(m), 1);
	assert_string_equal(declass_manifest_row_at(m, 0)->record, "104-10001-10015");
	assert_string_equal(field_at(m, declass_manifest_row_at(m, 0), 0)->header, "Record Num");
	declass_manifest_free(m);
}

static void test_manifest__crlf(void **state)
{
	declass_manifest *m = parse("Record Num,File Name,Title\r\n"
	                            "104-10001-10015,a.pdf,ONE\r\n"
	                            "104-10001-10016,b.pdf,TWO\r\n");

	(void)state;
	assert_int_equal(declass_manifest_count(m), 2);
	assert_string_equal(value(m, 0, "title"), "ONE");
	assert_string_equal(field_at(m, declass_manifest_row_at(m, 1), 2)->raw, "TWO");
	assert_string_equal(declass_manifest_row_at(m, 1)->file, "b.pdf");
	assert_int_equal(declass_manifest_row_at(m, 1)->line, 3);
	declass_manifest_free(m);
}

static void test_manifest__lone_cr(void **state)
{
	declass_manifest *m = parse("Record Num,File Name\r"
	                            "104-10001-10015,a.pdf\r"
	                            "104-10001-10016,b.pdf");

	(void)state;
	assert_int_equal(declass_manifest_count(m), 2);
	assert_string_equal(declass_manifest_row_at(m, 1)->file, "b.pdf");
	assert_int_equal(declass_manifest_row_at(m, 1)->line, 3);
	declass_manifest_free(m);
}

static void test_manifest__quoted_commas(void **state)
{
	declass_manifest *m =
	        parse("Record Num,From Name,Title\n"
	              "104-10001-10008,\"WIGREN, LEE H., C/SR/CI/R, CIA\",\"A, B\"\n");

	(void)state;
	assert_string_equal(value(m, 0, "from"), "WIGREN, LEE H., C/SR/CI/R, CIA");
	assert_string_equal(value(m, 0, "title"), "A, B");
	assert_null(declass_manifest_row_at(m, 0)->file);
	declass_manifest_free(m);
}

static void test_manifest__embedded_newlines(void **state)
{
	/* As in the 2022 export: "NSA\nNSA\n..." in an Originator cell. */
	declass_manifest *m = parse("Record Num,Originator,Title\n"
	                            "144-10001-10113,\"NSA\nNSA\r\nNSA\",T1\n"
	                            "144-10001-10115,NSA,T2\n");

	(void)state;
	assert_int_equal(declass_manifest_count(m), 2);
	assert_string_equal(value(m, 0, "originator"), "NSA\nNSA\r\nNSA");
	assert_string_equal(value(m, 0, "title"), "T1");
	assert_int_equal(declass_manifest_row_at(m, 0)->line, 2);
	assert_int_equal(declass_manifest_row_at(m, 1)->line, 5);
	declass_manifest_free(m);
}

static void test_manifest__doubled_quotes(void **state)
{
	declass_manifest *m =
	        parse("Record Num,Title,Comments\n"
	              "104-10002-10008,\"ITEM ENTITLED \"\"LYDIA DIMYTRUK\"\".\",\"\"\"\"\n"
	              "104-10002-10009,5\" REEL,x\"y\"\n");

	(void)state;
	assert_string_equal(value(m, 0, "title"), "ITEM ENTITLED \"LYDIA DIMYTRUK\".");
	assert_string_equal(value(m, 0, "comments"), "\"");
	/* a stray quote in an unquoted cell is text, as spreadsheets write it */
	assert_string_equal(value(m, 1, "title"), "5\" REEL");
	assert_string_equal(value(m, 1, "comments"), "x\"y\"");
	declass_manifest_free(m);
}

static void test_manifest__semicolon_2017(void **state)
{
	/* The 2017 export: ';', day-first release dates beside month-first
	 * document dates, "Aug/18/2017 " review dates, no newline at the end. */
	declass_manifest *m =
	        parse("File Name;Record Num;NARA Release Date;Formerly Withheld;Agency;"
	              "Doc Date;Doc Type;File Num;To Name;From Name;Title;Num Pages;"
	              "Originator;Record Series;Review Date;Comments;Pages Released\n"
	              "DOCID-32105709.pdf;178-10004-10309;26/10/2017;In Part;KISS/SCOW;"
	              "06/05/1975;NOTES;JUNE 1975;;SCOWCROFT, BRENT;P/K 5 JUNE 75;3;WH;"
	              "SCOWCROFT MEMCONS, HANDWRITTEN;Aug/18/2017 ;Participants:  Ford.;4\n"
	              "DOCID-32105718.pdf;178-10004-10300;24/07/2017;In Full;KISS/SCOW;"
	              "06/26/1975;MEMORANDUM;;;;\"GABRIELSON, ROGER; CIA\";3;WH;X;"
	              "Mar/17/2016 ;;");
	const declass_manifest_row *row;

	(void)state;
	assert_int_equal(declass_manifest_count(m), 2);
	row = declass_manifest_row_at(m, 0);
	assert_string_equal(row->record, "178-10004-10309");
	assert_string_equal(row->file, "DOCID-32105709.pdf");
	assert_string_equal(row->release_date, "2017-10-26");
	assert_string_equal(row->release_type, "In Part");
	assert_string_equal(value(m, 0, "agency"), "KISS/SCOW");
	assert_string_equal(value(m, 0, "doc_date"), "1975-06-05");
	assert_string_equal(value(m, 0, "review_date"), "2017-08-18");
	assert_string_equal(field(m, row, "review_date")->raw, "Aug/18/2017 ");
	assert_string_equal(value(m, 0, "from"), "SCOWCROFT, BRENT");
	assert_null(value(m, 0, "to"));
	assert_string_equal(value(m, 1, "doc_date"), "1975-06-26");
	assert_string_equal(declass_manifest_row_at(m, 1)->release_date, "2017-07-24");
	assert_string_equal(value(m, 1, "title"), "GABRIELSON, ROGER; CIA");
	assert_string_equal(value(m, 1, "review_date"), "2016-03-17");
	declass_manifest_free(m);
}

static void test_manifest__several_files_in_a_cell(void **state)
{
	/* 2017: a tape's PDF and WAV in one quoted cell, one row per file. */
	declass_manifest *m =
	        parse("File Name;Record Num;Doc Type\n"
	              "\"104-10534-10001.pdf; 104-10534-10001.wav\";104-10534-10001;TAPE\n"
	              "DOCID-1.pdf ;104-10534-10002;PAPER\n");
	const declass_manifest_row *a, *b;

	(void)state;
	assert_int_equal(declass_manifest_count(m), 3);
	a = declass_manifest_row_at(m, 0);
	b = declass_manifest_row_at(m, 1);
	assert_string_equal(a->file, "104-10534-10001.pdf");
	assert_string_equal(b->file, "104-10534-10001.wav");
	assert_string_equal(a->record, "104-10534-10001");
	assert_string_equal(b->record, "104-10534-10001");
	assert_int_equal(a->line, 2);
	assert_int_equal(b->line, 2);
	assert_string_equal(field(m, b, "file")->value, "104-10534-10001.wav");
	assert_string_equal(field(m, b, "file")->raw, "104-10534-10001.pdf; 104-10534-10001.wav");
	assert_string_equal(field(m, a, "doc_type")->value, "TAPE");
	/* trailing blank trimmed from the file name, kept in raw */
	assert_string_equal(declass_manifest_row_at(m, 2)->file, "DOCID-1.pdf");
	assert_string_equal(field(m, declass_manifest_row_at(m, 2), "file")->raw, "DOCID-1.pdf ");
	declass_manifest_free(m);
}

static void test_manifest__tab_separator(void **state)
{
	declass_manifest *m = parse("Record Num\tFile Name\tTitle\n"
	                            "104-10001-10015\ta.pdf\tA, B; C\n");

	(void)state;
	assert_string_equal(value(m, 0, "title"), "A, B; C");
	assert_string_equal(declass_manifest_row_at(m, 0)->file, "a.pdf");
	declass_manifest_free(m);
}

static void test_manifest__trailing_empty_columns(void **state)
{
	/* 2021: nine empty header cells after the last column, rows to match;
	 * 2022: one empty header cell, rows one cell shorter; and empty cells
	 * past the header are no error. */
	declass_manifest *m = parse("Record Number,File Title,Title,,,,,,,,,\n"
	                            "104-10001-10008,DOCID-32206291.pdf,ITEM,,,,,,,,,\n"
	                            "104-10001-10035,DOCID-32206264.pdf\n"
	                            "104-10001-10036,DOCID-32206265.pdf,T,,,,,,,,,,,,,,\n");

	(void)state;
	assert_int_equal(declass_manifest_count(m), 3);
	assert_int_equal(declass_manifest_row_at(m, 0)->nfields, 3);
	assert_int_equal(declass_manifest_row_at(m, 1)->nfields, 2);
	assert_string_equal(declass_manifest_row_at(m, 2)->file, "DOCID-32206265.pdf");
	declass_manifest_free(m);
}

static void test_manifest__blank_rows(void **state)
{
	declass_manifest *m = parse("\n"
	                            "Record Num,File Name\n"
	                            "104-10001-10015,a.pdf\n"
	                            "\n"
	                            " , \n"
	                            "104-10001-10016,b.pdf\n"
	                            ",\n"
	                            ",,\n"
	                            "\n\n");

	(void)state;
	assert_int_equal(declass_manifest_count(m), 2);
	assert_int_equal(declass_manifest_row_at(m, 0)->line, 3);
	assert_int_equal(declass_manifest_row_at(m, 1)->line, 6);
	declass_manifest_free(m);
}

static void test_manifest__header_variants(void **state)
{
	declass_manifest *m =
	        parse("  record   NUMBER ,FILE_NAME,Document Date,Document Type,"
	              "File Number,To,From,Original Document Pages,Document Pages in PDF,"
	              "release type,Box  Number\n"
	              "104-10001-10015,a.pdf,03/31/1964,MEMO,201-1,X,Y,4,3,Redact,BOX 1\n");
	const declass_manifest_row *row;

	(void)state;
	row = declass_manifest_row_at(m, 0);
	assert_string_equal(row->record, "104-10001-10015");
	assert_string_equal(row->file, "a.pdf");
	assert_string_equal(row->release_type, "Redact");
	assert_null(row->release_date);
	assert_string_equal(value(m, 0, "doc_date"), "1964-03-31");
	assert_string_equal(value(m, 0, "doc_type"), "MEMO");
	assert_string_equal(value(m, 0, "file_num"), "201-1");
	assert_string_equal(value(m, 0, "to"), "X");
	assert_string_equal(value(m, 0, "from"), "Y");
	assert_string_equal(value(m, 0, "pages"), "4");
	assert_string_equal(value(m, 0, "pages_released"), "3");
	/* an unknown header is its own key, as published (trimmed) */
	assert_string_equal(value(m, 0, "Box  Number"), "BOX 1");
	assert_string_equal(field_at(m, row, 0)->header, "  record   NUMBER ");
	declass_manifest_free(m);
}

static void test_manifest__excel_serial_dates(void **state)
{
	/* 2021: serial numbers beside mm/dd/yyyy strings in one column. */
	declass_manifest *m =
	        parse("Record Number,File Title,NARA Release Date,Document Date,Review Date\n"
	              "104-10001-10008,DOCID-32206291.pdf,44545,23462,44323\n"
	              "104-10001-10009,DOCID-32206292.pdf,45043,00/00/1963,44545.5\n"
	              "104-10001-10010,DOCID-32206293.pdf,1963,08/21/1963,2958466\n");

	(void)state;
	assert_string_equal(declass_manifest_row_at(m, 0)->release_date, "2021-12-15");
	assert_string_equal(value(m, 0, "doc_date"), "1964-03-26");
	assert_string_equal(value(m, 0, "review_date"), "2021-05-07");
	assert_string_equal(field(m, declass_manifest_row_at(m, 0), "doc_date")->raw, "23462");
	assert_string_equal(declass_manifest_row_at(m, 1)->release_date, "2023-04-27");
	assert_string_equal(value(m, 1, "doc_date"), "00/00/1963");
	assert_string_equal(value(m, 1, "review_date"), "2021-12-15");
	/* four digits is a year, not a serial; past 9999-12-31 is no date */
	assert_null(declass_manifest_row_at(m, 2)->release_date);
	assert_string_equal(value(m, 2, "release_date"), "1963");
	assert_string_equal(value(m, 2, "doc_date"), "1963-08-21");
	assert_string_equal(value(m, 2, "review_date"), "2958466");
	declass_manifest_free(m);
}

static void test_manifest__day_first_dates(void **state)
{
	declass_manifest *m = parse("Record Num,NARA Release Date\n"
	                            "104-10001-10001,26/10/2017\n"
	                            "104-10001-10002,05/11/2017\n");

	(void)state;
	assert_string_equal(declass_manifest_row_at(m, 0)->release_date, "2017-10-26");
	assert_string_equal(declass_manifest_row_at(m, 1)->release_date, "2017-11-05");
	declass_manifest_free(m);
}

static void test_manifest__month_first_dates(void **state)
{
	/* no value decides: month first */
	declass_manifest *m = parse("Record Num,NARA Release Date\n"
	                            "104-10001-10002,05/11/2017\n"
	                            "104-10001-10003,5/1/2017\n");

	(void)state;
	assert_string_equal(declass_manifest_row_at(m, 0)->release_date, "2017-05-11");
	assert_string_equal(declass_manifest_row_at(m, 1)->release_date, "2017-05-01");
	declass_manifest_free(m);
}

static void test_manifest__date_order_per_column(void **state)
{
	/* 2017: release dates day first, document dates month first, with a few
	 * day-first slips that then stay as published. */
	declass_manifest *m = parse("Record Num;NARA Release Date;Doc Date\n"
	                            "104-10001-10001;26/10/2017;06/26/1975\n"
	                            "104-10001-10002;05/11/2017;13/07/1992\n"
	                            "104-10001-10003;24/07/2017;06/05/1975\n");

	(void)state;
	assert_string_equal(declass_manifest_row_at(m, 1)->release_date, "2017-11-05");
	assert_string_equal(value(m, 0, "doc_date"), "1975-06-26");
	assert_string_equal(value(m, 1, "doc_date"), "13/07/1992");
	assert_string_equal(value(m, 2, "doc_date"), "1975-06-05");
	declass_manifest_free(m);
}

static void test_manifest__dates_must_be_real(void **state)
{
	declass_manifest *m = parse("Record Num,NARA Release Date,Doc Date\n"
	                            "104-10001-10001,02/30/2021,01/01/0000\n"
	                            "104-10001-10002,02/29/2021,00/00/0000\n"
	                            "104-10001-10003,02/29/2020,12/00/63\n"
	                            "104-10001-10004,2021-12-15,11/00/1963\n"
	                            "104-10001-10005,2021-12-15T00:00:00,15-Dec-2021\n"
	                            "104-10001-10006,2000-02-30,Sept/1/2017\n"
	                            "104-10001-10007,soon,  march/3/1964  \n");

	(void)state;
	assert_null(declass_manifest_row_at(m, 0)->release_date);
	assert_string_equal(value(m, 0, "release_date"), "02/30/2021");
	assert_string_equal(value(m, 0, "doc_date"), "01/01/0000");
	assert_null(declass_manifest_row_at(m, 1)->release_date);
	assert_string_equal(value(m, 1, "doc_date"), "00/00/0000");
	assert_string_equal(declass_manifest_row_at(m, 2)->release_date, "2020-02-29");
	assert_string_equal(value(m, 2, "doc_date"), "12/00/63");
	assert_string_equal(declass_manifest_row_at(m, 3)->release_date, "2021-12-15");
	assert_string_equal(value(m, 3, "doc_date"), "11/00/1963");
	assert_string_equal(declass_manifest_row_at(m, 4)->release_date, "2021-12-15");
	assert_string_equal(value(m, 4, "doc_date"), "2021-12-15");
	assert_null(declass_manifest_row_at(m, 5)->release_date);
	assert_string_equal(value(m, 5, "doc_date"), "2017-09-01");
	assert_null(declass_manifest_row_at(m, 6)->release_date);
	assert_string_equal(value(m, 6, "release_date"), "soon");
	assert_string_equal(value(m, 6, "doc_date"), "1964-03-03");
	declass_manifest_free(m);
}

static void test_manifest__file_list(void **state)
{
	/* unique_urls_2018.csv: no record column, records from file names */
	declass_manifest *m =
	        parse("filename,url\n"
	              "docid-32245763.pdf,https://www.archives.gov/x/docid-32245763.pdf\n"
	              "144-10001-10163_docid_6606188_binary_sealed.pdf,https://x/y.pdf\n"
	              "2022/104-10001-10015[c06932208].pdf,\n");

	(void)state;
	assert_int_equal(declass_manifest_count(m), 3);
	assert_string_equal(declass_manifest_row_at(m, 0)->record, "docid-32245763");
	assert_string_equal(declass_manifest_row_at(m, 0)->file, "docid-32245763.pdf");
	assert_string_equal(value(m, 0, "url"), "https://www.archives.gov/x/docid-32245763.pdf");
	assert_null(value(m, 0, "record"));
	assert_string_equal(declass_manifest_row_at(m, 1)->record, "144-10001-10163");
	assert_string_equal(declass_manifest_row_at(m, 2)->record, "104-10001-10015");
	assert_string_equal(declass_manifest_row_at(m, 2)->file,
	                    "2022/104-10001-10015[c06932208].pdf");
	declass_manifest_free(m);
}

static void test_manifest__record_column_holds_files(void **state)
{
	/* 2025: "Record Number" lists file names */
	declass_manifest *m = parse("Record Number,NARA Release Date\n"
	                            "104-10004-10143 (C06932208).pdf,03/18/2025\n"
	                            "104-10004-10143.pdf,03/18/2025\n"
	                            "104-10004-10144,03/18/2025\n");
	const declass_manifest_row *row = declass_manifest_row_at(m, 0);

	(void)state;
	assert_string_equal(row->record, "104-10004-10143");
	assert_string_equal(row->file, "104-10004-10143 (C06932208).pdf");
	assert_string_equal(row->release_date, "2025-03-18");
	assert_string_equal(field_at(m, row, 0)->key, "file");
	assert_string_equal(field_at(m, row, 0)->header, "Record Number");
	assert_string_equal(declass_manifest_row_at(m, 1)->record, "104-10004-10143");
	/* a plain record number stays a record number */
	assert_string_equal(declass_manifest_row_at(m, 2)->record, "104-10004-10144");
	assert_null(declass_manifest_row_at(m, 2)->file);
	declass_manifest_free(m);
}

static void test_manifest__repeated_values(void **state)
{
	/* Values repeated down a column are stored once (lib/manifest/cells.c,
	 * "packed cells"): what each row reads must not change for that. */
	static const char *const dates[] = { "26/10/2017", "Aug/18/2017 ", " 24/07/2017", "soon" };
	static const char *const iso[] = { "2017-10-26", "2017-08-18", "2017-07-24", "soon" };
	size_t n = 3000, i;
	char *text = malloc(n * 96 + 64), *p = text;
	declass_manifest *m;

	(void)state;
	assert_non_null(text);
	p += sprintf(p, "Record Num,Agency,Title,Pair,Review Date,Comments\n");
	for (i = 0; i < n; i++)
		p += sprintf(p, "104-10001-%05zu,%s,TITLE %zu,pair %zu,%s,%s\n", i,
		             i % 3 ? "CIA" : "FBI ", i, i / 2, dates[i % 4], i % 5 ? "" : " x ");
	m = parse(text);
	assert_int_equal(declass_manifest_count(m), n);
	for (i = 0; i < n; i++) {
		const declass_manifest_row *row = declass_manifest_row_at(m, i);
		char want[32];

		assert_int_equal(row->nfields, i % 5 ? 5 : 6);
		assert_string_equal(value(m, i, "agency"), i % 3 ? "CIA" : "FBI");
		assert_string_equal(field(m, row, "agency")->raw, i % 3 ? "CIA" : "FBI ");
		sprintf(want, "TITLE %zu", i);
		assert_string_equal(value(m, i, "title"), want);
		sprintf(want, "pair %zu", i / 2);
		assert_string_equal(value(m, i, "Pair"), want);
		assert_string_equal(value(m, i, "review_date"), iso[i % 4]);
		assert_string_equal(field(m, row, "review_date")->raw, dates[i % 4]);
		if (i % 5 == 0)
			assert_string_equal(value(m, i, "comments"), "x");
	}
	declass_manifest_free(m);
	free(text);
}

static void test_manifest__load(void **state)
{
	char path[] = "/tmp/test_manifest_XXXXXX";
	const char *text = "Record Num,File Name\n104-10001-10015,a.pdf\n";
	declass_manifest *m = NULL;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(declass_manifest_load(&m, path), 0);
	assert_int_equal(declass_manifest_count(m), 1);
	declass_manifest_free(m);
	unlink(path);

	assert_int_equal(declass_manifest_load(&m, "/nonexistent/m.csv"), DECLASS_EINPUT);
	assert_null(m);
	assert_non_null(strstr(declass_error_last(), "'/nonexistent/m.csv'"));
}

static void test_manifest__load_too_large(void **state)
{
	char path[] = "/tmp/test_manifest_XXXXXX";
	declass_manifest *m = NULL;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	/* sparse: no disk space used, and never read */
	assert_int_equal(ftruncate(fd, ((off_t)512 << 20) + 1), 0);
	close(fd);
	assert_int_equal(declass_manifest_load(&m, path), DECLASS_EINPUT);
	assert_null(m);
	assert_non_null(strstr(declass_error_last(), path));
	assert_non_null(strstr(declass_error_last(), "512 MiB"));
	unlink(path);
}

static void test_manifest__free_null(void **state)
{
	(void)state;
	declass_manifest_free(NULL);
}

static void test_manifest__error_too_many_columns(void **state)
{
	char *text = malloc(1025 * 8 + 64), *p;
	int i;

	(void)state;
	assert_non_null(text);
	p = text + sprintf(text, "Record Num");
	for (i = 0; i < 1024; i++)
		p += sprintf(p, ",c%d", i);
	strcpy(p, "\n104-10001-10015\n");
	expect_error(text, "manifest 'm.csv' line 1: ", "1025 columns");
	free(text);
}

static void test_manifest__error_json_too_many_keys(void **state)
{
	/* 1,000 keys a row, each row its own: the 4,097th distinct key is in row 5 */
	char *text = malloc(6 * 1001 * 16 + 64), *p = text;
	int r, k;

	(void)state;
	assert_non_null(text);
	*p++ = '[';
	for (r = 0; r < 6; r++) {
		p += sprintf(p, "%s{\"record\": \"104-10001-1001%d\"", r ? "," : "", r);
		for (k = 0; k < 1000; k++)
			p += sprintf(p, ", \"k%d\": \"v\"", r * 1000 + k);
		*p++ = '}';
	}
	strcpy(p, "]");
	expect_json_error(text, "manifest 'm.json' row 5: ",
	                  "key 'k4095': more than 4096 distinct keys in all rows");
	/* the same keys in every row are one column each */
	p = text + 1;
	for (r = 0; r < 6; r++) {
		p += sprintf(p, "%s{\"record\": \"104-10001-1001%d\"", r ? "," : "", r);
		for (k = 0; k < 1000; k++)
			p += sprintf(p, ", \"k%d\": \"v\"", k);
		*p++ = '}';
	}
	strcpy(p, "]");
	declass_manifest_free(parse_named("m.json", text, strlen(text)));
	free(text);
}

/* --- JSON ---------------------------------------------------------------- */

static void test_manifest__json_array(void **state)
{
	const char *text =
	        "\xef\xbb\xbf  [\n"
	        "  {\"record\": \"104-10001-10015\", \"file\": \"2022/a.pdf\",\n"
	        "   \"release_date\": \"2022-12-15\", \"release_type\": \"Redact\",\n"
	        "   \"pages\": 14, \"doc_date\": \"03/31/1964\", \"box\": \"B 1\"},\n"
	        "  {\"Record Num\": \"104-10001-10016\", \"Formerly Withheld\": \"In Part\",\n"
	        "   \"NARA Release Date\": \"12/15/2022\", \"agency\": null}\n"
	        "]\n";
	declass_manifest *m = parse_named("m.json", text, strlen(text));
	const declass_manifest_row *row;

	(void)state;
	assert_string_equal(declass_manifest_format(m), "json");
	assert_int_equal(declass_manifest_count(m), 2);
	row = declass_manifest_row_at(m, 0);
	assert_int_equal(row->line, 1);
	assert_string_equal(row->record, "104-10001-10015");
	assert_string_equal(row->file, "2022/a.pdf");
	assert_string_equal(row->release_date, "2022-12-15");
	assert_string_equal(row->release_type, "Redact");
	assert_int_equal(row->nfields, 7);
	assert_string_equal(field_at(m, row, 4)->key, "pages");
	assert_string_equal(field_at(m, row, 4)->value, "14");
	assert_string_equal(value(m, 0, "doc_date"), "1964-03-31");
	assert_string_equal(value(m, 0, "box"), "B 1");
	row = declass_manifest_row_at(m, 1);
	assert_int_equal(row->line, 2);
	assert_null(row->file);
	assert_string_equal(row->release_type, "In Part");
	assert_string_equal(row->release_date, "2022-12-15");
	assert_string_equal(field_at(m, row, 0)->key, "record");
	assert_string_equal(field_at(m, row, 0)->header, "Record Num");
	assert_int_equal(row->nfields, 3);
	declass_manifest_free(m);
}

static void test_manifest__json_rows_object(void **state)
{
	const char *text =
	        "{\"release\": \"2025-03-18\", \"rows\": [\n"
	        " {\"record\": \"104-10004-10143\",\n"
	        "  \"files\": [\"104-10004-10143.pdf\", \"104-10004-10143 (C06932208).pdf\"],\n"
	        "  \"title\": \"T\"},\n"
	        " {\"record\": \"104-10004-10144\", \"files\": []}\n"
	        "]}";
	declass_manifest *m = parse_named("m.json", text, strlen(text));
	const declass_manifest_row *a, *b;

	(void)state;
	assert_int_equal(declass_manifest_count(m), 3);
	a = declass_manifest_row_at(m, 0);
	b = declass_manifest_row_at(m, 1);
	assert_string_equal(a->file, "104-10004-10143.pdf");
	assert_string_equal(b->file, "104-10004-10143 (C06932208).pdf");
	assert_string_equal(b->record, "104-10004-10143");
	assert_int_equal(a->line, 1);
	assert_int_equal(b->line, 1);
	assert_string_equal(field(m, b, "file")->value, "104-10004-10143 (C06932208).pdf");
	assert_string_equal(field(m, b, "file")->raw, "104-10004-10143 (C06932208).pdf");
	assert_string_equal(field(m, b, "file")->header, "files");
	assert_string_equal(field(m, b, "title")->value, "T");
	assert_int_equal(b->nfields, 3);
	assert_null(declass_manifest_row_at(m, 2)->file);
	assert_int_equal(declass_manifest_row_at(m, 2)->line, 2);
	declass_manifest_free(m);
}

/* --- errors --------------------------------------------------------------- */

static void test_manifest__error_invalid_utf8(void **state)
{
	(void)state;
	expect_error("Record Num,Title\n104-10001-10015,OK\n104-10001-10016,\xc3\x28\n",
	             "manifest 'm.csv' line 3: ", "invalid UTF-8");
	expect_error("Record Num,Title\n104-10001-10015,\xed\xa0\x80\n",
	             "manifest 'm.csv' line 2: ", "invalid UTF-8");
}

static void test_manifest__error_utf16(void **state)
{
	(void)state;
	expect_error_len("m.csv", "\xff\xfeR\0e\0", 6, "manifest 'm.csv' line 1: ", "UTF-16");
}

static void test_manifest__error_nul_byte(void **state)
{
	static const char text[] = "Record Num,File Name\n104-10001-10015,a\0.pdf\n";

	(void)state;
	expect_error_len("m.csv", text, sizeof(text) - 1, "manifest 'm.csv' line 2: ", "NUL byte");
}

static void test_manifest__error_unterminated_quote(void **state)
{
	(void)state;
	expect_error("Record Num,Title\n104-10001-10015,OK\n"
	             "104-10001-10016,\"NEVER\nCLOSED\n",
	             "manifest 'm.csv' line 3: ", "unterminated quote");
}

static void test_manifest__error_row_wider_than_header(void **state)
{
	(void)state;
	expect_error("Record Num,Title\n104-10001-10015,OK\n104-10001-10016,A,B\n",
	             "manifest 'm.csv' line 3: ", "wider than the header");
}

static void test_manifest__error_cell_under_empty_header(void **state)
{
	(void)state;
	expect_error("Record Num,,Title\n104-10001-10015,X,OK\n",
	             "manifest 'm.csv' line 2: ", "empty header");
}

static void test_manifest__error_duplicate_headers(void **state)
{
	(void)state;
	expect_error("Record Num,Title,Title\n104-10001-10015,A,B\n",
	             "manifest 'm.csv' line 1: ", "duplicate column");
	/* two names for one key */
	expect_error("\nRecord Num,Record Number\n104-10001-10015,A\n",
	             "manifest 'm.csv' line 2: ", "duplicate column");
	expect_error("Record Num,Box  No,box_no\n104-10001-10015,A,B\n",
	             "manifest 'm.csv' line 1: ", "duplicate column");
}

static void test_manifest__error_no_record_column(void **state)
{
	(void)state;
	expect_error("Title,Agency\nX,CIA\n", "manifest 'm.csv' line 1: ", "no record column");
}

static void test_manifest__error_no_record_id(void **state)
{
	(void)state;
	expect_error("Record Num,File Name,Title\n104-10001-10015,a.pdf,A\n,b.pdf,B\n",
	             "manifest 'm.csv' line 3: ", "no record id");
}

static void test_manifest__error_no_file_name(void **state)
{
	(void)state;
	expect_error("filename,url\na.pdf,https://x/a.pdf\n,https://x/b.pdf\n",
	             "manifest 'm.csv' line 3: ", "no file name");
}

static void test_manifest__error_bad_record_id(void **state)
{
	(void)state;
	expect_error("Record Num,Title\n104/10001/10015,A\n",
	             "manifest 'm.csv' line 2: ", "104/10001/10015");
	expect_error("Record Num,Title\n\"104-10001\n10015\",A\n",
	             "manifest 'm.csv' line 2: ", "control character");
}

static void test_manifest__error_file_absolute(void **state)
{
	(void)state;
	expect_error("Record Num,File Name\n104-10001-10015,/etc/passwd\n",
	             "manifest 'm.csv' line 2: ", "'/etc/passwd' is absolute");
}

static void test_manifest__error_file_dotdot(void **state)
{
	(void)state;
	expect_error("Record Num,File Name\n104-10001-10015,2022/../../x.pdf\n",
	             "manifest 'm.csv' line 2: ", "'..'");
	expect_error("Record Num,File Name\n104-10001-10015,a//x.pdf\n",
	             "manifest 'm.csv' line 2: ", "empty path component");
	expect_error("filename\n..\n", "manifest 'm.csv' line 2: ", "'..'");
}

static void test_manifest__error_file_backslash(void **state)
{
	(void)state;
	expect_error("Record Num,File Name\n104-10001-10015,2022\\x.pdf\n",
	             "manifest 'm.csv' line 2: ", "backslash");
}

static void test_manifest__error_no_rows(void **state)
{
	(void)state;
	expect_error("Record Num,File Name\n\n,\n", "manifest 'm.csv' line 1: ", "no rows");
	expect_error("", "manifest 'm.csv' line 1: ", "no rows");
	expect_error("\xef\xbb\xbf\n\n", "manifest 'm.csv' line 3: ", "no rows");
}

static void test_manifest__error_cell_too_long(void **state)
{
	size_t n = (64 << 10) + 1, head;
	char *text = malloc(n + 128);

	(void)state;
	assert_non_null(text);
	head = (size_t)sprintf(text, "Record Num,Title\n104-10001-10015,");
	memset(text + head, 'A', n);
	strcpy(text + head + n, "\n");
	expect_error_len("m.csv", text, strlen(text),
	                 "manifest 'm.csv' line 2: ", "longer than 65536 bytes");
	/* 64 KiB exactly is fine */
	text[head + n - 1] = '\n';
	text[head + n] = '\0';
	declass_manifest_free(parse(text));
	/* and a quoted cell that runs on says where its quote opened */
	text[head] = '"';
	memset(text + head + 1, 'A', n);
	strcpy(text + head + 1 + n, "\"\n");
	expect_error_len("m.csv", text, strlen(text),
	                 "manifest 'm.csv' line 2: ", "is the quote opened there closed?");
	free(text);
}

static void test_manifest__error_line_too_long(void **state)
{
	size_t cells = 20, cell = 60 << 10, i;
	char *text = malloc(cells * (cell + 1) + 64), *p;

	(void)state;
	assert_non_null(text);
	p = text + sprintf(text, "Record Num\n104-10001-10015");
	for (i = 0; i < cells; i++) {
		*p++ = ',';
		memset(p, 'A', cell);
		p += cell;
	}
	strcpy(p, "\n");
	expect_error_len("m.csv", text, strlen(text),
	                 "manifest 'm.csv' line 2: ", "row longer than 1048576 bytes");
	free(text);
}

static void test_manifest__error_json_syntax(void **state)
{
	(void)state;
	expect_json_error("[\n{\"record\": \"104-10001-10015\",}\n]",
	                  "manifest 'm.json' line 2: ", "");
	expect_json_error("[{\"record\": \"1\", \"record\": \"2\"}]",
	                  "manifest 'm.json' line 1: ", "duplicate");
}

static void test_manifest__error_json_shape(void **state)
{
	(void)state;
	expect_json_error("{\"records\": []}",
	                  "manifest 'm.json' line 1: ", "expected an array of rows");
	expect_json_error("[{\"record\": \"104-10001-10015\"}, 7]",
	                  "manifest 'm.json' row 2: ", "not an object");
	expect_json_error("[]", "manifest 'm.json'", "no rows");
}

static void test_manifest__error_json_row(void **state)
{
	(void)state;
	expect_json_error("[{\"record\": \"104-10001-10015\"}, {\"file\": \"a.pdf\"}]",
	                  "manifest 'm.json' row 2: ", "no record id");
	expect_json_error("[{\"record\": \"104-10001-10015\", \"agency\": 3}]",
	                  "manifest 'm.json' row 1: ", "'agency' must be a string");
	expect_json_error("[{\"record\": \"104-10001-10015\", \"pages\": 1.5}]",
	                  "manifest 'm.json' row 1: ", "or an integer");
	expect_json_error("[{\"record\": \"104-10001-10015\", \"file\": \"a.pdf\", "
	                  "\"files\": [\"b.pdf\"]}]",
	                  "manifest 'm.json' row 1: ", "'files'");
	expect_json_error("[{\"record\": \"104-10001-10015\", \"files\": \"b.pdf\"}]",
	                  "manifest 'm.json' row 1: ", "array of file names");
	expect_json_error("[{\"record\": \"104-10001-10015\", \"files\": [\"\"]}]",
	                  "manifest 'm.json' row 1: ", "is empty");
	expect_json_error("[{\"record\": \"104-10001-10015\", \"Record Num\": \"x\"}]",
	                  "manifest 'm.json' row 1: ", "'Record Num'");
	expect_json_error("[{\"record\": \"104-10001-10015\", \"file\": \"a\\u0000b\"}]",
	                  "manifest 'm.json' row 1: ", "NUL byte");
	expect_json_error("[{\"record\": \"104-10001-10015\", \"files\": [\"../a\"]}]",
	                  "manifest 'm.json' row 1: ", "'..'");
	expect_json_error("[{\"record\": \"a\\\\b\"}]", "manifest 'm.json' row 1: ", "'\\'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manifest__nara_2022_row),
		cmocka_unit_test(test_manifest__bom),
		cmocka_unit_test(test_manifest__crlf),
		cmocka_unit_test(test_manifest__lone_cr),
		cmocka_unit_test(test_manifest__quoted_commas),
		cmocka_unit_test(test_manifest__embedded_newlines),
		cmocka_unit_test(test_manifest__doubled_quotes),
		cmocka_unit_test(test_manifest__semicolon_2017),
		cmocka_unit_test(test_manifest__several_files_in_a_cell),
		cmocka_unit_test(test_manifest__tab_separator),
		cmocka_unit_test(test_manifest__trailing_empty_columns),
		cmocka_unit_test(test_manifest__blank_rows),
		cmocka_unit_test(test_manifest__header_variants),
		cmocka_unit_test(test_manifest__excel_serial_dates),
		cmocka_unit_test(test_manifest__day_first_dates),
		cmocka_unit_test(test_manifest__month_first_dates),
		cmocka_unit_test(test_manifest__date_order_per_column),
		cmocka_unit_test(test_manifest__dates_must_be_real),
		cmocka_unit_test(test_manifest__file_list),
		cmocka_unit_test(test_manifest__record_column_holds_files),
		cmocka_unit_test(test_manifest__repeated_values),
		cmocka_unit_test(test_manifest__load),
		cmocka_unit_test(test_manifest__load_too_large),
		cmocka_unit_test(test_manifest__free_null),
		cmocka_unit_test(test_manifest__json_array),
		cmocka_unit_test(test_manifest__json_rows_object),
		cmocka_unit_test(test_manifest__error_invalid_utf8),
		cmocka_unit_test(test_manifest__error_utf16),
		cmocka_unit_test(test_manifest__error_nul_byte),
		cmocka_unit_test(test_manifest__error_unterminated_quote),
		cmocka_unit_test(test_manifest__error_row_wider_than_header),
		cmocka_unit_test(test_manifest__error_cell_under_empty_header),
		cmocka_unit_test(test_manifest__error_duplicate_headers),
		cmocka_unit_test(test_manifest__error_no_record_column),
		cmocka_unit_test(test_manifest__error_no_record_id),
		cmocka_unit_test(test_manifest__error_no_file_name),
		cmocka_unit_test(test_manifest__error_bad_record_id),
		cmocka_unit_test(test_manifest__error_file_absolute),
		cmocka_unit_test(test_manifest__error_file_dotdot),
		cmocka_unit_test(test_manifest__error_file_backslash),
		cmocka_unit_test(test_manifest__error_no_rows),
		cmocka_unit_test(test_manifest__error_cell_too_long),
		cmocka_unit_test(test_manifest__error_line_too_long),
		cmocka_unit_test(test_manifest__error_too_many_columns),
		cmocka_unit_test(test_manifest__error_json_too_many_keys),
		cmocka_unit_test(test_manifest__error_json_syntax),
		cmocka_unit_test(test_manifest__error_json_shape),
		cmocka_unit_test(test_manifest__error_json_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
