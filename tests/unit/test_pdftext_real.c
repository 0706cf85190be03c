/*
 * PDF text extraction on NARA's own scans (shared/data/jfk/pdf/, read in
 * place; see shared/data/jfk/SOURCES.md).  They are images without a text
 * layer, so their text is OCR.  OCR costs seconds a page, so only two
 * one-page records are read, at 200 dpi; the words checked were read off
 * the page images and found in Tesseract 5.3's output, and most of them
 * (not all: another Tesseract version may misread one) must come back.
 *
 * Skips, saying why, without the shared data or Tesseract's English data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "declass/pdftext.h"

#ifndef DECLASS_SHARED
#define DECLASS_SHARED "../shared"
#endif

#define PDF_DIR DECLASS_SHARED "/data/jfk/pdf"

static const char *need_file(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", PDF_DIR, rel);
	if (access(path, R_OK) != 0) {
		print_message("skipped: no %s (shared data missing)\n", path);
		skip();
	}
	if (!declass_pdf_text_supported()) {
		print_message("skipped: this build has no PDF support (poppler)\n");
		skip();
	}
	return path;
}

static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = text; *p; p++)
		if (strncasecmp(p, word, n) == 0 && (p == text || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return 1;
	return 0;
}

/* OCR the first page of `rel` at 200 dpi; most of `words` must be there. */
static void expect_ocr(const char *rel, const char *const *words)
{
	declass_pdf_text_options o = DECLASS_PDF_TEXT_OPTIONS_INIT;
	declass_pdf_text *t = NULL;
	const char *path = need_file(rel);
	struct timespec a, b;
	size_t found = 0, total = 0;
	int error;

	if (declass_pdf_text_ocr_check("eng", NULL) < 0) {
		print_message("skipped: %s\n", declass_error_last());
		skip();
	}
	o.dpi = 200;
	o.max_pages = 1;
	clock_gettime(CLOCK_MONOTONIC, &a);
	error = declass_pdf_text_extract(&t, path, &o);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (error < 0)
		print_error("%s\n", declass_error_last());
	assert_int_equal(error, 0);
	assert_int_equal(t->npages, 1);
	assert_int_equal(t->pages[0].source, DECLASS_PDF_PAGE_OCR);
	assert_non_null(strstr(t->extractor, "tesseract"));
	for (; *words; words++, total++) {
		if (has_word(t->text, *words))
			found++;
		else
			print_message("  OCR missed '%s'\n", *words);
	}
	print_message("%s page 1: %zu bytes of OCR in %.1f s, %zu of %zu words "
	              "found (%s)\n",
	              rel, t->len,
	              (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9, found,
	              total, t->extractor);
	if (found * 10 < total * 8)
		print_error("OCR text:\n%s\n", t->text);
	assert_true(found * 10 >= total * 8);
	declass_pdf_text_free(t);
}

/* 2023: a State Department telegram from Copenhagen, July 1959. */
static void test_pdftext_real__telegram_2023(void **state)
{
	static const char *const words[] = {
		"104-10165-10033", "KENNEDY",     "ASSASSINATION", "TELEGRAM", "Copenhagen",
		"Secretary",       "passport",    "Washington",    "Moscow",   "Czechoslovakia",
		"Soviet",          "citizenship", "tourist",       "Engineer", NULL,
	};

	(void)state;
	expect_ocr("2023/104-10165-10033.pdf", words);
}

/* 2025: a CIA cable on visas for an asset's family, 1963. */
static void test_pdftext_real__cable_2025(void **state)
{
	static const char *const words[] = {
		"104-10077-10136", "RELEASE",      "PRESIDENT",   "KENNEDY",
		"ASSASSINATION",   "RECORDS",      "AUTHORIZING", "Visas",
		"daughter",        "REPRODUCTION", "PROHIBITED",  NULL,
	};

	(void)state;
	expect_ocr("2025/104-10077-10136.pdf", words);
}

/*
 * Every sample opens, and has no text layer: without OCR each page is
 * marked missing and the message says so.  No page is rendered.  No limit
 * stops any of them (declass/limits.h): not the defaults, nor a limit on
 * decoded content 256 times lower than its default, 1 MiB (scans' streams
 * are their images, which count only beyond their declared samples).
 */
static void test_pdftext_real__no_text_layer(void **state)
{
	static const char *const dirs[] = { "2017-2018", "2021", "2022", "2023", "2025" };
	declass_pdf_text_options o = DECLASS_PDF_TEXT_OPTIONS_INIT;
	size_t files = 0, pages = 0, i;

	(void)state;
	need_file("");
	o.ocr = DECLASS_OCR_NEVER;
	o.max_content = DECLASS_LIMIT_PDF_CONTENT / 256;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char dir[4096];
		struct dirent *e;
		DIR *d;

		snprintf(dir, sizeof(dir), "%s/%s", PDF_DIR, dirs[i]);
		if (!(d = opendir(dir)))
			continue;
		while ((e = readdir(d))) {
			declass_pdf_text *t = NULL;
			char path[8192];
			size_t len = strlen(e->d_name);

			if (len < 5 || strcasecmp(e->d_name + len - 4, ".pdf"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			if (declass_pdf_text_extract(&t, path, &o) < 0)
				print_error("%s\n", declass_error_last());
			assert_non_null(t);
			assert_true(t->npages >= 1);
			assert_int_equal(t->npages_missing, t->npages);
			assert_non_null(t->message);
			assert_non_null(strstr(t->message, "OCR is off"));
			if (t->incomplete != DECLASS_PDF_COMPLETE)
				print_error("%s: %s\n", path, t->message);
			assert_int_equal(t->incomplete, DECLASS_PDF_COMPLETE);
			assert_int_equal(t->npages, t->npages_total);
			files++;
			pages += t->npages;
			declass_pdf_text_free(t);
		}
		closedir(d);
	}
	print_message("%zu sample PDFs, %zu pages, none with a text layer, none over a "
	              "limit\n",
	              files, pages);
	assert_true(files >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdftext_real__no_text_layer),
		cmocka_unit_test(test_pdftext_real__telegram_2023),
		cmocka_unit_test(test_pdftext_real__cable_2025),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
