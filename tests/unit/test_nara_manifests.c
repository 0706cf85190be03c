/*
 * The manifest parser on NARA's real manifests, read in place from the
 * shared data folder (DECLASS_SHARED; see shared/data/jfk/SOURCES.md): one
 * test per file, checking its row count and a few rows looked up by hand in
 * the data.  Each test skips when the data is not there.
 *
 * The URL lists (unique_urls_2017.csv, unique_urls_2018.csv,
 * jfk_archive_2025_urls.csv) are read as manifests too: a file column and
 * no record column, so each record id comes from its file name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "declass/manifest.h"
#include "manifest_fields.h"

#ifndef DECLASS_SHARED
#define DECLASS_SHARED "../shared"
#endif

static declass_manifest *load(const char *rel)
{
	declass_manifest *m = NULL;
	char path[4096];
	int error;

	snprintf(path, sizeof(path), "%s/data/jfk/%s", DECLASS_SHARED, rel);
	if (access(path, R_OK) != 0) {
		print_message("skipped: no %s (shared data missing)\n", path);
		skip();
	}
	error = declass_manifest_load(&m, path);
	if (error < 0)
		print_error("%s\n", declass_error_last());
	assert_int_equal(error, 0);
	assert_string_equal(declass_manifest_format(m), "csv");
	return m;
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Check row i: its line, record, file, release date and type. */
static const declass_manifest_row *expect_row(const declass_manifest *m, size_t i, size_t line,
                                              const char *record, const char *file,
                                              const char *release_date, const char *release_type)
{
	const declass_manifest_row *row = declass_manifest_row_at(m, i);

	assert_non_null(row);
	if (row->line != line || !same(row->record, record) || !same(row->file, file) ||
	    !same(row->release_date, release_date) || !same(row->release_type, release_type))
		print_error("row %zu: line %zu record '%s' file '%s' date '%s' "
		            "type '%s'\n",
		            i, row->line, row->record, row->file ? row->file : "(null)",
		            row->release_date ? row->release_date : "(null)",
		            row->release_type ? row->release_type : "(null)");
	assert_int_equal(row->line, line);
	assert_true(same(row->record, record));
	assert_true(same(row->file, file));
	assert_true(same(row->release_date, release_date));
	assert_true(same(row->release_type, release_type));
	return row;
}

/* Every row has a record id, and, when `all_dated`, a release date. */
static void expect_all_rows(const declass_manifest *m, int all_dated)
{
	size_t i;

	for (i = 0; i < declass_manifest_count(m); i++) {
		const declass_manifest_row *row = declass_manifest_row_at(m, i);

		declass_manifest_field f;
		size_t pos = 0, n = 0;

		assert_true(row->record && row->record[0]);
		assert_true(row->nfields > 0);
		while (declass_manifest_field_next(&f, m, row, &pos)) {
			assert_true(f.key && f.value && f.raw && f.header);
			n++;
		}
		assert_int_equal(n, row->nfields);
		if (all_dated)
			assert_non_null(row->release_date);
	}
}

static void test_nara_manifests__2017(void **state)
{
	declass_manifest *m = load("manifests/"
	                           "jfkrelease-2017-dce65d0ec70a54d5744de17d280f3ad2.csv");
	const declass_manifest_row *row;

	(void)state;
	/* 6,685 lines of rows; 16 cells list a PDF and a WAV: 6,701 rows */
	assert_int_equal(declass_manifest_count(m), 6701);
	expect_all_rows(m, 1);
	row = expect_row(m, 0, 2, "178-10004-10309", "DOCID-32105709.pdf", "2017-10-26", "In Part");
	assert_string_equal(row_value(m, row, "agency"), "KISS/SCOW");
	assert_string_equal(row_value(m, row, "doc_date"), "1975-06-05");
	assert_string_equal(row_value(m, row, "review_date"), "2017-08-18");
	assert_string_equal(row_value(m, row, "title"), "P/K 5 JUNE 75");
	assert_null(row_value(m, row, "to"));
	/* a day-first slip among month-first document dates stays as is */
	row = expect_row(m, 5121, 5123, "104-10014-10053", "DOCID-32341335.PDF", "2017-07-24",
	                 "In Part");
	assert_string_equal(row_value(m, row, "doc_date"), "13/07/1992");
	/* "104-10534-10001.pdf; 104-10534-10001.wav" */
	expect_row(m, 6510, 6512, "104-10534-10001", "104-10534-10001.pdf", "2017-07-24",
	           "In Full");
	expect_row(m, 6511, 6512, "104-10534-10001", "104-10534-10001.wav", "2017-07-24",
	           "In Full");
	/* the last line, with no newline after it */
	row = expect_row(m, 6700, 6686, "104-10534-10200", "DOCID-32404866.PDF", "2017-07-24",
	                 "In Full");
	assert_string_equal(row_value(m, row, "doc_date"), "1964-01-14");
	declass_manifest_free(m);
}

static void test_nara_manifests__2021(void **state)
{
	declass_manifest *m = load("manifests-csv/"
	                           "national-archives-jfk-assassination-records-2021-release.csv");
	const declass_manifest_row *row;

	(void)state;
	assert_int_equal(declass_manifest_count(m), 1491);
	expect_all_rows(m, 1);
	/* "File Title" holds the file name; dates are Excel serials */
	row = expect_row(m, 0, 2, "104-10001-10008", "DOCID-32206291.pdf", "2021-12-15", "Redact");
	assert_string_equal(row_field_must(m, row, 0).header, "Record Number");
	assert_string_equal(row_field_must(m, row, 1).header, "File Title");
	assert_string_equal(row_field_must(m, row, 2).raw, "44545");
	assert_string_equal(row_value(m, row, "doc_date"), "1964-03-26");
	assert_string_equal(row_value(m, row, "review_date"), "2021-05-07");
	assert_string_equal(row_value(m, row, "from"), "WIGREN, LEE H., C/SR/CI/R, CIA");
	assert_string_equal(row_value(m, row, "pages"), "1");
	assert_string_equal(row_value(m, row, "pages_released"), "1");
	row = expect_row(m, 968, 970, "124-10167-10375", "DOCID-32989641.pdf", "2021-12-15",
	                 "Release");
	assert_string_equal(row_value(m, row, "doc_date"), "00/00/0000");
	expect_row(m, 974, 976, "124-10179-10231", "DOCID-32174412.pdf", "2021-12-15", "Missing");
	row = expect_row(m, 1490, 1492, "202-10001-10213", "DOCID-32424944.pdf", "2021-12-15",
	                 "Redact");
	assert_string_equal(row_value(m, row, "doc_date"), "1962-05-17");
	assert_string_equal(row_value(m, row, "title"), "MONGOOSE SCHEDULE");
	declass_manifest_free(m);
}

static void test_nara_manifests__2022(void **state)
{
	declass_manifest *m = load("manifests-csv/"
	                           "national-archives-jfk-assassination-records-2022-release.csv");
	const declass_manifest_row *row;
	size_t i;

	(void)state;
	/* 13,263 records on 13,284 lines: five cells hold newlines */
	assert_int_equal(declass_manifest_count(m), 13263);
	expect_all_rows(m, 1);
	row = expect_row(m, 0, 2, "104-10001-10015", "2022/104-10001-10015.pdf", "2022-12-15",
	                 "Redact");
	assert_string_equal(row_value(m, row, "doc_date"), "1964-03-31");
	assert_string_equal(row_value(m, row, "to"), "RANKIN, J. LEE, GEN COUNSEL, WC");
	assert_null(row_value(m, row, "agency")); /* 2022 has no Agency column */
	expect_row(m, 22, 24, "104-10004-10143", "2022/104-10004-10143[c00546914].pdf",
	           "2022-12-15", "Redact");
	expect_row(m, 23, 25, "104-10004-10143", "2022/104-10004-10143[c06932208].pdf",
	           "2022-12-15", "Redact");
	expect_row(m, 11688, 11690, "144-10001-10053",
	           "2022/144-10001-10053_full release_20171026_ref id a4268681.pdf", "2022-12-15",
	           "Release");
	row = expect_row(m, 11747, 11749, "144-10001-10113",
	                 "2022/144-10001-10113_docid_6782130_sealed.pdf", "2022-12-15", NULL);
	assert_string_equal(row_value(m, row, "originator"), "NSA\nNSA\nNSA\nNSA\nNSA");
	expect_row(m, 13262, 13284, "202-10002-10124", "2022/202-10002-10124.pdf", "2022-12-15",
	           "Redact");
	for (i = 0; i < declass_manifest_count(m); i++)
		assert_int_equal(strncmp(declass_manifest_row_at(m, i)->file, "2022/", 5), 0);
	declass_manifest_free(m);
}

static void test_nara_manifests__2023(void **state)
{
	declass_manifest *m = load("manifests-csv/"
	                           "national-archives-jfk-assassination-records-2023-release.csv");
	const declass_manifest_row *row;

	(void)state;
	assert_int_equal(declass_manifest_count(m), 2693);
	expect_all_rows(m, 1);
	row = expect_row(m, 0, 2, "104-10105-10271", "2023/08/104-10105-10271.pdf", "2023-08-24",
	                 "Redact");
	assert_string_equal(row_value(m, row, "doc_date"), "1974-09-19");
	assert_null(row_value(m, row, "agency")); /* the column is there, always empty */
	row = expect_row(m, 1, 3, "104-10120-10293", "2023/08/104-10120-10293.pdf", "2023-08-24",
	                 "Redact");
	assert_string_equal(row_value(m, row, "doc_date"), "01/01/0000");
	expect_row(m, 145, 147, "104-10105-10290", "2023/104-10105-10290[c00551619].pdf",
	           "2023-06-27", "Redact");
	/* one row a cell short: no Pages Released */
	row = expect_row(m, 542, 544, "104-10234-10096", "2023/104-10234-10096.pdf", "2023-06-27",
	                 "Redact");
	assert_null(row_value(m, row, "pages_released"));
	assert_string_equal(row_value(m, row, "pages"), "2");
	expect_row(m, 2692, 2694, "198-10009-10087", "2023/198-10009-10087.pdf", "2023-04-13",
	           "Redact");
	declass_manifest_free(m);
}

static void test_nara_manifests__2023_apr27(void **state)
{
	declass_manifest *m = load("manifests-csv/jfk2023b.csv");
	const declass_manifest_row *row;

	(void)state;
	assert_int_equal(declass_manifest_count(m), 777);
	expect_all_rows(m, 1);
	/* release dates are serials here: 45043, 45029 */
	row = expect_row(m, 0, 2, "104-10003-10001", "2023/104-10003-10001.pdf", "2023-04-27",
	                 "Redact");
	assert_string_equal(row_field_must(m, row, 2).raw, "45043");
	assert_string_equal(row_value(m, row, "doc_date"), "1964-03-20");
	expect_row(m, 388, 390, "104-10092-10399", "2023/104-10092-10399.pdf", "2023-04-13",
	           "Redact");
	expect_row(m, 776, 778, "198-10009-10087", "2023/198-10009-10087.pdf", "2023-04-13",
	           "Redact");
	declass_manifest_free(m);
}

static void test_nara_manifests__2023_may11(void **state)
{
	declass_manifest *m = load("manifests-csv/jfk2023.csv");
	const declass_manifest_row *row;

	(void)state;
	assert_int_equal(declass_manifest_count(m), 1279);
	expect_all_rows(m, 1);
	row = expect_row(m, 0, 2, "104-10051-10152", "2023/104-10051-10152.pdf", "2023-05-11",
	                 "Redact");
	assert_string_equal(row_value(m, row, "doc_date"), "1967-10-18");
	assert_string_equal(row_value(m, row, "from"), "STEVENS, M.D.");
	expect_row(m, 1278, 1280, "198-10009-10087", "2023/198-10009-10087.pdf", "2023-04-13",
	           "Redact");
	declass_manifest_free(m);
}

static void test_nara_manifests__2023_jun27(void **state)
{
	declass_manifest *m = load("manifests-csv/jfk2023jun27.csv");
	const declass_manifest_row *row;

	(void)state;
	assert_int_equal(declass_manifest_count(m), 2672);
	expect_all_rows(m, 1);
	row = expect_row(m, 0, 2, "104-10007-10345", "2023/104-10007-10345.pdf", "2023-06-27",
	                 "Redact");
	assert_string_equal(row_value(m, row, "review_date"), "2023-06-15");
	expect_row(m, 124, 126, "104-10105-10290", "2023/104-10105-10290[c00551619].pdf",
	           "2023-06-27", "Redact");
	expect_row(m, 125, 127, "104-10105-10290", "2023/104-10105-10290[c06932214].pdf",
	           "2023-06-27", "Redact");
	expect_row(m, 2671, 2673, "198-10009-10087", "2023/198-10009-10087.pdf", "2023-04-13",
	           "Redact");
	declass_manifest_free(m);
}

static void test_nara_manifests__2025(void **state)
{
	declass_manifest *m = load("manifests-csv/2025-release.csv");
	const declass_manifest_row *row;

	(void)state;
	/* "Record Number" holds file names: records come from them */
	assert_int_equal(declass_manifest_count(m), 2566);
	expect_all_rows(m, 1);
	expect_row(m, 0, 2, "104-10003-10041", "104-10003-10041.pdf", "2025-03-18", NULL);
	row = expect_row(m, 1, 3, "104-10004-10143", "104-10004-10143 (C06932208).pdf",
	                 "2025-03-18", NULL);
	assert_string_equal(row_field_must(m, row, 0).key, "file");
	assert_string_equal(row_field_must(m, row, 0).header, "Record Number");
	assert_null(row_value(m, row, "record"));
	expect_row(m, 2, 4, "104-10004-10143", "104-10004-10143.pdf", "2025-03-18", NULL);
	expect_row(m, 307, 309, "104-10105-10290", "104-10105-10290 (C06932214).pdf", "2025-03-18",
	           NULL);
	expect_row(m, 2565, 2567, "206-10001-10017", "206-10001-10017.pdf", "2025-03-18", NULL);
	declass_manifest_free(m);
}

static void test_nara_manifests__urls_2017(void **state)
{
	declass_manifest *m = load("manifests/unique_urls_2017.csv");
	const declass_manifest_row *row;

	(void)state;
	assert_int_equal(declass_manifest_count(m), 34813);
	expect_all_rows(m, 0);
	row = expect_row(m, 0, 2, "119-10003-10076", "119-10003-10076.pdf", NULL, NULL);
	assert_string_equal(row_value(m, row, "url"),
	                    "https://www.archives.gov/files/research/jfk/releases/"
	                    "2017/119-10003-10076.pdf");
	assert_int_equal(row->nfields, 2); /* "subdirectory" is always empty */
	expect_row(m, 14291, 14293, "104-10004-10143", "104-10004-10143.pdf", NULL, NULL);
	expect_row(m, 34621, 34623, "104-10534-10000", "104-10534-10000.wav", NULL, NULL);
	expect_row(m, 34812, 34814, "docid-32404866", "docid-32404866.pdf", NULL, NULL);
	declass_manifest_free(m);
}

static void test_nara_manifests__urls_2018(void **state)
{
	declass_manifest *m = load("manifests/unique_urls_2018.csv");

	(void)state;
	assert_int_equal(declass_manifest_count(m), 18731);
	expect_all_rows(m, 0);
	/* a name one item number too long: the whole stem is the id */
	expect_row(m, 0, 2, "104-10196-100270001", "104-10196-100270001.pdf", NULL, NULL);
	expect_row(m, 1, 3, "docid-32245763", "docid-32245763.pdf", NULL, NULL);
	expect_row(m, 4, 6, "144-10001-10163", "144-10001-10163_docid_6606188_binary_sealed.pdf",
	           NULL, NULL);
	expect_row(m, 2798, 2800, "104-10004-10143", "104-10004-10143.pdf", NULL, NULL);
	expect_row(m, 18730, 18732, "docid-32259538", "docid-32259538.pdf", NULL, NULL);
	declass_manifest_free(m);
}

static void test_nara_manifests__urls_2025(void **state)
{
	declass_manifest *m = load("manifests/jfk_archive_2025_urls.csv");
	const declass_manifest_row *row;

	(void)state;
	/* CRLF line ends; URLs with unencoded spaces and parentheses */
	assert_int_equal(declass_manifest_count(m), 2566);
	expect_all_rows(m, 0);
	row = expect_row(m, 1, 3, "104-10004-10143", "104-10004-10143 (C06932208).pdf", NULL, NULL);
	assert_string_equal(row_value(m, row, "url"),
	                    "https://www.archives.gov/files/research/jfk/releases/"
	                    "2025/0318/104-10004-10143 (C06932208).pdf");
	row = expect_row(m, 2565, 2567, "206-10001-10017", "206-10001-10017.pdf", NULL, NULL);
	assert_null(strchr(row_value(m, row, "url"), '\r'));
	declass_manifest_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nara_manifests__2017),
		cmocka_unit_test(test_nara_manifests__2021),
		cmocka_unit_test(test_nara_manifests__2022),
		cmocka_unit_test(test_nara_manifests__2023),
		cmocka_unit_test(test_nara_manifests__2023_apr27),
		cmocka_unit_test(test_nara_manifests__2023_may11),
		cmocka_unit_test(test_nara_manifests__2023_jun27),
		cmocka_unit_test(test_nara_manifests__2025),
		cmocka_unit_test(test_nara_manifests__urls_2017),
		cmocka_unit_test(test_nara_manifests__urls_2018),
		cmocka_unit_test(test_nara_manifests__urls_2025),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
