/*
 * Unit tests of PDF text extraction (lib/extract/pdftext.c, lib/extract/ocr.c) on PDFs made
 * at run time with cairo: one with a text layer (cairo_show_text on a PDF
 * surface), one of page images only (text drawn on an image surface, the
 * image painted on the PDF page), and one mixing both.
 *
 * OCR tests check that most known words come back (OCR is not exact) and
 * skip, saying why, where Tesseract's English data is missing; the test
 * that OCR may be unavailable points Tesseract at an empty folder, so it
 * runs everywhere.  test_pdftext_real.c reads NARA's scans.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef DECLASS_HAVE_CAIRO
#include <cairo-pdf.h>
#include <cairo.h>
#endif

#include "declass/pdftext.h"

/* The pages' text: a few lines each, as on a cable. */
static const char *const page_text[][4] = {
	{ "MEMORANDUM FOR THE RECORD", "SUBJECT: Travel of the Oswalds",
	  "The station reported the visit", "to the Soviet Embassy in Mexico" },
	{ "INCOMING TELEGRAM FROM COPENHAGEN", "Passport number issued",
	  "January twentieth in Washington", "Secretary of State informed" },
};

#define PAGE_W  612.0 /* US letter, in points */
#define PAGE_H  792.0
#define FONT_PT 16.0

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_pdftext_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void need_pdf(void)
{
	if (!declass_pdf_text_supported()) {
		print_message("skipped: this build has no PDF support (poppler)\n");
		skip();
	}
#ifndef DECLASS_HAVE_CAIRO
	print_message("skipped: no cairo to make test PDFs\n");
	skip();
#endif
}

static void need_ocr(void)
{
	need_pdf();
	if (declass_pdf_text_ocr_check("eng", NULL) < 0) {
		print_message("skipped: %s\n", declass_error_last());
		skip();
	}
}

#ifdef DECLASS_HAVE_CAIRO

static void draw_lines(cairo_t *cr, int page, double scale)
{
	int i;

	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
	                       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, FONT_PT * scale);
	for (i = 0; i < 4; i++) {
		cairo_move_to(cr, 72 * scale, (100 + 40 * i) * scale);
		cairo_show_text(cr, page_text[page][i]);
	}
}

/* Draw page `page` as text (a text layer) on the PDF surface. */
static void text_page(cairo_t *cr, int page)
{
	draw_lines(cr, page, 1.0);
	cairo_show_page(cr);
}

/* Draw page `page` as an image of its text at 200 dpi: no text layer. */
static void image_page(cairo_t *cr, int page)
{
	const double dpi = 200, scale = dpi / 72;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(PAGE_W * scale),
	                                                  (int)(PAGE_H * scale));
	cairo_t *ic = cairo_create(img);

	cairo_set_source_rgb(ic, 1, 1, 1);
	cairo_paint(ic);
	draw_lines(ic, page, scale);
	cairo_destroy(ic);
	cairo_save(cr);
	cairo_scale(cr, 1 / scale, 1 / scale);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_paint(cr);
	cairo_restore(cr);
	cairo_surface_destroy(img);
	cairo_show_page(cr);
}

/* Write tmpdir/name with one page per letter of `kinds`: 't' text, 'i'
 * image of page (index % 2). */
static const char *make_pdf(const char *name, const char *kinds)
{
	static char path[128];
	cairo_surface_t *s;
	cairo_t *cr;
	int i;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	cr = cairo_create(s);
	for (i = 0; kinds[i]; i++) {
		if (kinds[i] == 't')
			text_page(cr, i % 2);
		else
			image_page(cr, i % 2);
	}
	cairo_destroy(cr);
	cairo_surface_finish(s);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
	return path;
}

#else

static const char *make_pdf(const char *name, const char *kinds)
{
	(void)name;
	(void)kinds;
	return NULL;
}

#endif

static declass_pdf_text *extract(const char *path, declass_ocr_mode mode, unsigned int dpi,
                                 const char *tessdata)
{
	declass_pdf_text_options o = DECLASS_PDF_TEXT_OPTIONS_INIT;
	declass_pdf_text *t = NULL;
	int error;

	o.ocr = mode;
	o.dpi = dpi;
	o.tessdata = tessdata;
	error = declass_pdf_text_extract(&t, path, &o);
	if (error < 0)
		print_error("%s\n", declass_error_last());
	assert_int_equal(error, 0);
	assert_non_null(t);
	assert_int_equal(strlen(t->text), t->len);
	return t;
}

/* Page i's text, as a new string. */
static char *page_of(const declass_pdf_text *t, size_t i)
{
	char *s;

	assert_true(i < t->npages);
	s = malloc(t->pages[i].len + 1);
	assert_non_null(s);
	memcpy(s, t->text + t->pages[i].offset, t->pages[i].len);
	s[t->pages[i].len] = '\0';
	return s;
}

/* Is `word` in `text` as a word, ignoring case? */
static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = text; *p; p++) {
		if (strncasecmp(p, word, n) == 0 && (p == text || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return 1;
	}
	return 0;
}

/*
 * How many of the words of page `page`'s lines are in `text`; prints the
 * missing ones.  Words are split at blanks, punctuation dropped.
 */
static void count_words(const char *text, int page, size_t *found, size_t *total)
{
	int i;

	*found = *total = 0;
	for (i = 0; i < 4; i++) {
		char line[128], *w, *save = NULL;

		snprintf(line, sizeof(line), "%s", page_text[page][i]);
		for (w = strtok_r(line, " :", &save); w; w = strtok_r(NULL, " :", &save)) {
			(*total)++;
			if (has_word(text, w))
				(*found)++;
			else
				print_message("  OCR missed '%s'\n", w);
		}
	}
}

/* At least 80% of page `page`'s words are in `text`. */
static void expect_ocr_words(const char *text, int page)
{
	size_t found, total;

	count_words(text, page, &found, &total);
	print_message("page text %d: OCR found %zu of %zu words\n", page + 1, found, total);
	assert_true(found * 10 >= total * 8);
}

static void expect_all_words(const char *text, int page)
{
	size_t found, total;

	count_words(text, page, &found, &total);
	assert_int_equal(found, total);
}

/* --- tests ------------------------------------------------------------------ */

static void test_pdftext__text_layer(void **state)
{
	declass_pdf_text *t;
	char *p1, *p2;
	const char *path;

	(void)state;
	need_pdf();
	path = make_pdf("text.pdf", "tt");
	t = extract(path, DECLASS_OCR_AUTO, 0, NULL);
	assert_int_equal(t->npages, 2);
	assert_int_equal(t->npages_total, 2);
	assert_int_equal(t->npages_ocr, 0);
	assert_int_equal(t->npages_missing, 0);
	assert_null(t->message);
	assert_int_equal(t->pages[0].source, DECLASS_PDF_PAGE_TEXT);
	assert_int_equal(t->pages[1].source, DECLASS_PDF_PAGE_TEXT);
	/* "poppler X.Y.Z", nothing more: no OCR was done */
	assert_int_equal(strncmp(t->extractor, "poppler ", 8), 0);
	assert_null(strchr(t->extractor, '+'));
	assert_string_equal(t->extractor + 8, declass_pdf_text_poppler_version());
	/* The string names this build's tools; others do not. */
	assert_true(declass_pdf_text_extractor_current(t->extractor));
	assert_false(declass_pdf_text_extractor_current("poppler 0.1.0"));
	assert_false(declass_pdf_text_extractor_current(NULL));
	/* one form feed between the pages, each page ends its last line */
	assert_non_null(memchr(t->text, '\f', t->len));
	assert_int_equal(t->text[t->pages[0].offset + t->pages[0].len], '\f');
	assert_int_equal(t->pages[1].offset, t->pages[0].len + 1);
	assert_int_equal(t->pages[1].offset + t->pages[1].len, t->len);
	assert_int_equal(t->text[t->len - 1], '\n');
	p1 = page_of(t, 0);
	p2 = page_of(t, 1);
	assert_non_null(strstr(p1, "MEMORANDUM FOR THE RECORD\n"));
	assert_non_null(strstr(p1, "to the Soviet Embassy in Mexico\n"));
	assert_non_null(strstr(p2, "INCOMING TELEGRAM FROM COPENHAGEN\n"));
	expect_all_words(p1, 0);
	expect_all_words(p2, 1);
	assert_null(strstr(p1, "COPENHAGEN"));
	free(p1);
	free(p2);
	declass_pdf_text_free(t);
}

static void test_pdftext__max_pages(void **state)
{
	declass_pdf_text_options o = DECLASS_PDF_TEXT_OPTIONS_INIT;
	declass_pdf_text *t = NULL;
	const char *path;

	(void)state;
	need_pdf();
	path = make_pdf("three.pdf", "ttt");
	o.max_pages = 1;
	assert_int_equal(declass_pdf_text_extract(&t, path, &o), 0);
	assert_int_equal(t->npages, 1);
	assert_int_equal(t->npages_total, 3);
	assert_null(memchr(t->text, '\f', t->len));
	assert_non_null(strstr(t->text, "MEMORANDUM"));
	declass_pdf_text_free(t);
}

static void test_pdftext__image_only_ocr(void **state)
{
	declass_pdf_text *t;
	char *p1, *p2;
	const char *path;

	(void)state;
	need_ocr();
	path = make_pdf("image.pdf", "ii");
	/* no text layer at all */
	t = extract(path, DECLASS_OCR_NEVER, 0, NULL);
	assert_int_equal(t->npages_missing, 2);
	assert_string_equal(t->text, "\f");
	assert_non_null(t->message);
	assert_non_null(strstr(t->message, "2 of 2 pages have no text layer"));
	assert_non_null(strstr(t->message, "OCR is off"));
	declass_pdf_text_free(t);

	/* OCR, two pages on two threads, at the default 300 dpi */
	t = extract(path, DECLASS_OCR_AUTO, 0, NULL);
	assert_int_equal(t->npages, 2);
	assert_int_equal(t->npages_ocr, 2);
	assert_int_equal(t->npages_missing, 0);
	assert_null(t->message);
	assert_int_equal(t->pages[0].source, DECLASS_PDF_PAGE_OCR);
	assert_int_equal(t->pages[1].source, DECLASS_PDF_PAGE_OCR);
	print_message("extractor: %s\n", t->extractor);
	assert_non_null(strstr(t->extractor, " + tesseract "));
	assert_non_null(strstr(t->extractor, declass_pdf_text_tesseract_version()));
	assert_non_null(strstr(t->extractor, "(eng, 300 dpi)"));
	assert_true(declass_pdf_text_extractor_current(t->extractor));
	p1 = page_of(t, 0);
	p2 = page_of(t, 1);
	expect_ocr_words(p1, 0);
	expect_ocr_words(p2, 1);
	/* each page's text is in its place */
	assert_false(has_word(p1, "COPENHAGEN"));
	assert_false(has_word(p2, "MEMORANDUM"));
	free(p1);
	free(p2);
	declass_pdf_text_free(t);
}

static void test_pdftext__mixed(void **state)
{
	declass_pdf_text *t;
	char *p1, *p2;
	const char *path;

	(void)state;
	need_ocr();
	path = make_pdf("mixed.pdf", "ti");
	t = extract(path, DECLASS_OCR_AUTO, 200, NULL);
	assert_int_equal(t->npages, 2);
	assert_int_equal(t->pages[0].source, DECLASS_PDF_PAGE_TEXT);
	assert_int_equal(t->pages[1].source, DECLASS_PDF_PAGE_OCR);
	assert_int_equal(t->npages_ocr, 1);
	assert_non_null(strstr(t->extractor, "(eng, 200 dpi)"));
	p1 = page_of(t, 0);
	p2 = page_of(t, 1);
	expect_all_words(p1, 0);
	expect_ocr_words(p2, 1);
	free(p1);
	free(p2);
	declass_pdf_text_free(t);
}

static void test_pdftext__ocr_always(void **state)
{
	declass_pdf_text_options o = DECLASS_PDF_TEXT_OPTIONS_INIT;
	declass_pdf_text *t = NULL;
	const char *path;

	(void)state;
	need_ocr();
	path = make_pdf("always.pdf", "t");
	o.ocr = DECLASS_OCR_ALWAYS;
	o.dpi = 200;
	o.threads = 1;
	assert_int_equal(declass_pdf_text_extract(&t, path, &o), 0);
	assert_int_equal(t->pages[0].source, DECLASS_PDF_PAGE_OCR);
	assert_non_null(strstr(t->extractor, "tesseract"));
	expect_ocr_words(t->text, 0);
	declass_pdf_text_free(t);
}

/* Without Tesseract's data: the text layer still comes back, the image
 * pages are marked, and the message says what to install. */
static void test_pdftext__ocr_unavailable(void **state)
{
	declass_pdf_text *t;
	char empty[128];
	const char *path;

	(void)state;
	need_pdf();
	snprintf(empty, sizeof(empty), "%s/no-tessdata", tmpdir);
	assert_int_equal(mkdir(empty, 0700), 0);
	assert_int_equal(declass_pdf_text_ocr_check("eng", empty), DECLASS_ENOTFOUND);
	assert_non_null(strstr(declass_error_last(), "eng.traineddata"));
	path = make_pdf("mixed2.pdf", "ti");
	t = extract(path, DECLASS_OCR_AUTO, 0, empty);
	assert_int_equal(t->npages, 2);
	assert_int_equal(t->pages[0].source, DECLASS_PDF_PAGE_TEXT);
	assert_int_equal(t->pages[1].source, DECLASS_PDF_PAGE_MISSING);
	assert_int_equal(t->npages_missing, 1);
	assert_int_equal(t->npages_ocr, 0);
	assert_null(strchr(t->extractor, '+'));
	assert_non_null(strstr(t->text, "MEMORANDUM FOR THE RECORD"));
	assert_int_equal(t->pages[1].len, 0);
	assert_int_equal(t->text[t->len - 1], '\f');
	print_message("message: %s\n", t->message);
	assert_non_null(t->message);
	assert_non_null(strstr(t->message, "1 of 2 pages have no text layer and "
	                                   "were not OCRed"));
	assert_non_null(strstr(t->message, "OCR is not available"));
	declass_pdf_text_free(t);
}

static void test_pdftext__errors(void **state)
{
	declass_pdf_text_options o = DECLASS_PDF_TEXT_OPTIONS_INIT;
	declass_pdf_text *t = NULL;
	char path[128];
	FILE *f;

	(void)state;
	need_pdf();
	snprintf(path, sizeof(path), "%s/missing.pdf", tmpdir);
	assert_int_equal(declass_pdf_text_extract(&t, path, NULL), DECLASS_EINPUT);
	assert_null(t);
	assert_non_null(strstr(declass_error_last(), "cannot read PDF '"));
	assert_non_null(strstr(declass_error_last(), "missing.pdf'"));

	snprintf(path, sizeof(path), "%s/notapdf.pdf", tmpdir);
	assert_non_null(f = fopen(path, "w"));
	fputs("this is not a PDF\n", f);
	fclose(f);
	assert_int_equal(declass_pdf_text_extract(&t, path, NULL), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "notapdf.pdf'"));

	o.ocr_lang = "../../etc/passwd";
	assert_int_equal(declass_pdf_text_ocr_check(o.ocr_lang, NULL), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "'../../etc/passwd' is not"));
	o.ocr_lang = NULL;
	o.dpi = 5000;
	assert_int_equal(declass_pdf_text_extract(&t, path, &o), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "5000 dpi"));
	declass_pdf_text_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdftext__text_layer),
		cmocka_unit_test(test_pdftext__max_pages),
		cmocka_unit_test(test_pdftext__image_only_ocr),
		cmocka_unit_test(test_pdftext__mixed),
		cmocka_unit_test(test_pdftext__ocr_always),
		cmocka_unit_test(test_pdftext__ocr_unavailable),
		cmocka_unit_test(test_pdftext__errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
