/*
 * Unit tests of the text engine (include/declass/text.h): word diff
 * classes, markers, boilerplate, OCR tolerance, re-flow, blame and phrase
 * search, on small hand-made texts.  Real OCR pairs are in test_text_real.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "declass/text.h"

static declass_wdiff *diff_opts(const char *a, const char *b, const declass_text_opts *o)
{
	declass_wdiff *d = NULL;

	assert_int_equal(declass_diff_words(&d, a, strlen(a), b, strlen(b), o), 0);
	assert_non_null(d);
	return d;
}

static declass_wdiff *diff(const char *a, const char *b)
{
	return diff_opts(a, b, NULL);
}

/* The text of the newer (or, for withheld, older) side of span i. */
static char *span_text(const declass_wdiff *d, size_t i, const char *a, const char *b)
{
	const declass_span *s = &d->spans[i];
	static char buf[4096];
	size_t n;

	if (s->new_words) {
		n = s->new_end - s->new_start;
		memcpy(buf, b + s->new_start, n < 4095 ? n : 4095);
	} else {
		n = s->old_end - s->old_start;
		memcpy(buf, a + s->old_start, n < 4095 ? n : 4095);
	}
	buf[n < 4095 ? n : 4095] = '\0';
	return buf;
}

/* Index of the only span of class cls; fails if there is not exactly one. */
static size_t only_span(const declass_wdiff *d, declass_span_class cls)
{
	size_t i, found = (size_t)-1, count = 0;

	for (i = 0; i < d->nspans; i++)
		if (d->spans[i].cls == cls) {
			found = i;
			count++;
		}
	assert_int_equal(count, 1);
	return found;
}

static size_t words(const declass_wdiff *d, declass_span_class cls)
{
	return d->totals[cls].old_words + d->totals[cls].new_words;
}

static void test_text__released_words(void **state)
{
	const char *a = "The meeting was held in Mexico City on 27 September.\n";
	const char *b = "The meeting was held in Mexico City with Valeriy\n"
	                "Kostikov, KGB, on 27 September.\n";
	declass_wdiff *d;
	size_t i;

	(void)state;
	d = diff(a, b);
	i = only_span(d, DECLASS_SPAN_RELEASED);
	assert_string_equal(span_text(d, i, a, b), "with Valeriy\nKostikov, KGB");
	assert_int_equal(d->spans[i].has_marker, 0);
	assert_int_equal(d->spans[i].old_words, 0);
	assert_int_equal(words(d, DECLASS_SPAN_WITHHELD), 0);
	assert_int_equal(d->totals[DECLASS_SPAN_SAME].new_words, 10);
	declass_wdiff_free(d);
}

static void test_text__withheld_words(void **state)
{
	/* A later release that re-redacts: the words go, nothing replaces them. */
	const char *a = "Contact was made by Robert Fulton of the station in Helsinki.";
	const char *b = "Contact was made by of the station in Helsinki.";
	declass_wdiff *d;
	size_t i;

	(void)state;
	d = diff(a, b);
	i = only_span(d, DECLASS_SPAN_WITHHELD);
	assert_string_equal(span_text(d, i, a, b), "Robert Fulton");
	assert_int_equal(d->spans[i].new_words, 0);
	assert_int_equal(words(d, DECLASS_SPAN_RELEASED), 0);
	declass_wdiff_free(d);
}

static void test_text__marker_to_text(void **state)
{
	const char *a = "Source met [REDACTED] at the embassy. Cable sent to (b)(3) by\n"
	                "JFK Act 6 (1)(B) on Friday.";
	const char *b = "Source met Fulton at the embassy. Cable sent to Helsinki\n"
	                "Station by the chief of station on Friday.";
	declass_wdiff *d;
	size_t i, n = 0;

	(void)state;
	d = diff(a, b);
	for (i = 0; i < d->nspans; i++) {
		const declass_span *s = &d->spans[i];
		if (s->cls != DECLASS_SPAN_RELEASED)
			continue;
		assert_int_equal(s->has_marker, 1);
		if (n == 0) {
			/* One word is enough where a marker gave way. */
			assert_string_equal(span_text(d, i, a, b), "Fulton");
			assert_memory_equal(a + s->marker_start, "[REDACTED]", 10);
			assert_int_equal(s->marker_end - s->marker_start, 10);
		} else {
			assert_string_equal(span_text(d, i, a, b),
			                    n == 1 ? "Helsinki\nStation" : "the chief of station");
			assert_string_equal(span_text(d, i, a, b),
			                    n == 1 ? "Helsinki\nStation" : "the chief of station");
			assert_memory_equal(a + s->marker_start,
			                    n == 1 ? "(b)(3)" : "JFK Act 6 (1)(B)",
			                    s->marker_end - s->marker_start);
		}
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(d->totals[DECLASS_SPAN_MARKER].spans, 0);
	declass_wdiff_free(d);

	/* And back: text that gives way to a marker is withheld, marker shown. */
	d = diff(b, a);
	i = 0;
	for (n = 0; n < d->nspans; n++)
		if (d->spans[n].cls == DECLASS_SPAN_WITHHELD) {
			assert_int_equal(d->spans[n].has_marker, 1);
			i++;
		}
	assert_int_equal(i, 3);
	declass_wdiff_free(d);

	/* Markers separated only by whitespace count as one. */
	d = diff("met XXXX [REDACTED]\n(b)(1) today", "met Fulton today");
	i = only_span(d, DECLASS_SPAN_RELEASED);
	assert_int_equal(d->spans[i].marker_start, 4);
	assert_int_equal(d->spans[i].marker_end, 26);
	declass_wdiff_free(d);
}

static void test_text__marker_kept(void **state)
{
	const char *a = "The agent XXXXXXXX reported to █████ on Monday.";
	const char *b = "The agent XXXXX reported to ████████ on Monday.";
	declass_wdiff *d;

	(void)state;
	d = diff(a, b);
	assert_int_equal(d->totals[DECLASS_SPAN_MARKER].new_words, 2);
	assert_int_equal(words(d, DECLASS_SPAN_RELEASED), 0);
	assert_int_equal(words(d, DECLASS_SPAN_WITHHELD), 0);
	assert_int_equal(d->totals[DECLASS_SPAN_SAME].new_words, 6);
	declass_wdiff_free(d);
}

static void test_text__default_markers(void **state)
{
	static const char *const marked[] = {
		"[REDACTED]",
		"[ redacted by CIA ]",
		"[...]",
		"[. . .]",
		"XXXX",
		"█████",
		"(b)(1)",
		"(b) (7)(C)",
		"JFK Act 6 (1)(B)",
		"JFK Act 5 (g)(2)(D)",
		"[Page withheld]",
		"Pages 3-5 withheld",
		"POSTPONED IN FULL",
		"DOCUMENT DENIED IN FULL",
	};
	char a[256], b[256];
	declass_wdiff *d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(marked) / sizeof(marked[0]); i++) {
		snprintf(a, sizeof(a), "alpha bravo %s charlie delta", marked[i]);
		snprintf(b, sizeof(b), "alpha bravo echo foxtrot charlie delta");
		d = diff(a, b);
		if (d->totals[DECLASS_SPAN_RELEASED].spans != 1 || !d->spans[1].has_marker)
			fail_msg("marker '%s' not recognised", marked[i]);
		assert_int_equal(d->spans[1].marker_end - d->spans[1].marker_start,
		                 strlen(marked[i]));
		declass_wdiff_free(d);
	}
}

static void test_text__reflowed_unchanged(void **state)
{
	const char *a = "The Station has been asked to pro-\n"
	                "vide traces on the subject, whose\n"
	                "file is held at Headquarters.\n";
	const char *b = "  The  Station has been asked to\n\nprovide traces on the\r\n"
	                "subject,   whose file is held at Head-\nquarters.";
	declass_wdiff *d;

	(void)state;
	d = diff(a, b);
	assert_int_equal(d->nspans, 1);
	assert_int_equal(d->spans[0].cls, DECLASS_SPAN_SAME);
	assert_int_equal(d->totals[DECLASS_SPAN_SAME].new_words, 17);
	/* Offsets are the original texts', hyphen and all. */
	assert_int_equal(d->spans[0].old_start, 0);
	assert_int_equal(d->spans[0].old_end, strlen(a) - 1);
	assert_int_equal(d->spans[0].new_start, 2);
	assert_int_equal(d->spans[0].new_end, strlen(b));
	declass_wdiff_free(d);
}

static void test_text__identical(void **state)
{
	const char *a = "SECRET\n1. Please refer to our conversation of 6 May.\n";
	declass_wdiff *d;

	(void)state;
	d = diff(a, a);
	assert_int_equal(d->nspans, 1);
	assert_int_equal(d->spans[0].cls, DECLASS_SPAN_SAME);
	assert_int_equal(d->spans[0].old_words, 10);
	assert_int_equal(d->totals[DECLASS_SPAN_SAME].spans, 1);
	declass_wdiff_free(d);
}

static void test_text__empty(void **state)
{
	const char *t = "Robert Fulton of the CIA station.";
	declass_wdiff *d;

	(void)state;
	assert_int_equal(declass_diff_words(&d, NULL, 0, NULL, 0, NULL), 0);
	assert_int_equal(d->nspans, 0);
	declass_wdiff_free(d);

	d = diff("", "  \n\n -- ");
	assert_int_equal(d->nspans, 0);
	declass_wdiff_free(d);

	d = diff("", t);
	assert_int_equal(only_span(d, DECLASS_SPAN_RELEASED), 0);
	assert_int_equal(d->spans[0].new_words, 6);
	declass_wdiff_free(d);

	/* A newer version with no text at all has not re-redacted anything:
	 * its text was lost (an empty OCR), so the old words are dropout. */
	d = diff(t, "");
	assert_int_equal(only_span(d, DECLASS_SPAN_DROPOUT), 0);
	assert_int_equal(d->spans[0].evidence, DECLASS_EVIDENCE_NEW_TEXT);
	assert_int_equal(words(d, DECLASS_SPAN_WITHHELD), 0);
	declass_wdiff_free(d);
}

static void test_text__non_ascii(void **state)
{
	const char *a = "Le câble de l'ambassade mentionne Valeriy KOSTIKOV.\n";
	const char *b = "Le cable de l’ambassade mentionne Valeriy KOSTIKOV "
	                "(Валерий Владимирович Костиков), officier du KGB.\n";
	const char *c = "Le CÂBLE de l'ambassade mentionne VALERIY Kostikov "
	                "(ВАЛЕРИЙ ВЛАДИМИРОВИЧ КОСТИКОВ), OFFICIER du KGB.\n";
	declass_wdiff *d;
	size_t i;

	(void)state;
	d = diff(a, b);
	i = only_span(d, DECLASS_SPAN_RELEASED);
	/* Accents and curly quotes fold; the Cyrillic name is released. */
	assert_string_equal(span_text(d, i, a, b),
	                    "Валерий Владимирович Костиков), officier du KGB.");
	assert_int_equal(words(d, DECLASS_SPAN_NOISE), 0);
	declass_wdiff_free(d);

	/* Case folds in every script. */
	d = diff(b, c);
	assert_int_equal(d->nspans, 1);
	assert_int_equal(d->spans[0].cls, DECLASS_SPAN_SAME);
	declass_wdiff_free(d);

	/* Invalid UTF-8 is punctuation, never a crash. */
	d = diff("abc \xff\xfe def \xe2\x82", "abc def \xc3");
	assert_int_equal(words(d, DECLASS_SPAN_RELEASED), 0);
	declass_wdiff_free(d);
}

static void test_text__ocr_noise(void **state)
{
	const char *a = "AN OPPORTUINITY TO MEET THE SUBJECT AROSE IN Docld: 32404437\n"
	                "the tmoming meeting at Helsinki Station on 10 Dec.";
	const char *b = "2022 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION "
	                "RECORDS ACT OF 1992\n"
	                "AN OPPORTUNITY TO MEET THE SUBJECT AR0SE IN DocId:32404437\n"
	                "the morning meeting at HeIsinki Station on 1O Dec. ee |";
	declass_text_opts strict = DECLASS_TEXT_OPTS_INIT;
	declass_wdiff *d;

	(void)state;
	d = diff(a, b);
	assert_int_equal(words(d, DECLASS_SPAN_RELEASED), 0);
	assert_int_equal(words(d, DECLASS_SPAN_WITHHELD), 0);
	/* OPPORTUINITY/OPPORTUNITY, tmoming/morning; and the stray "ee". */
	assert_int_equal(d->totals[DECLASS_SPAN_NOISE].old_words, 2);
	assert_int_equal(d->totals[DECLASS_SPAN_NOISE].new_words, 3);
	assert_int_equal(d->totals[DECLASS_SPAN_BOILERPLATE].new_words, 2);
	assert_int_equal(d->totals[DECLASS_SPAN_BOILERPLATE].old_words, 1);
	/* AR0SE, HeIsinki, 1O: folded OCR confusions compare equal. */
	assert_int_equal(d->totals[DECLASS_SPAN_SAME].new_words, 15);
	declass_wdiff_free(d);

	/* Tolerance 0: misread words no longer pair up. */
	strict.tolerance = 0;
	d = diff_opts(a, b, &strict);
	assert_int_equal(d->totals[DECLASS_SPAN_NOISE].old_words, 2);
	assert_int_equal(d->totals[DECLASS_SPAN_SAME].new_words, 15);
	assert_true(d->totals[DECLASS_SPAN_NOISE].spans >= 3);
	declass_wdiff_free(d);
}

static void test_text__moved(void **state)
{
	const char *a = "FROM: Chief of Station Mexico City\n"
	                "SUBJECT: Lee Harvey OSWALD\nREF: telephone intercept of 1 October\n"
	                "1. Subject contacted the Soviet Embassy.";
	const char *b = "SUBJECT: Lee Harvey OSWALD\nREF: telephone intercept of 1 October\n"
	                "1. Subject contacted the Soviet Embassy.\n"
	                "FROM: Chief of Station Mexico City\n";
	declass_wdiff *d;

	(void)state;
	d = diff(a, b);
	assert_int_equal(words(d, DECLASS_SPAN_RELEASED), 0);
	assert_int_equal(words(d, DECLASS_SPAN_WITHHELD), 0);
	/* "FROM:" and "SUBJECT:", a form's labels, are page furniture. */
	assert_int_equal(d->totals[DECLASS_SPAN_MOVED].new_words, 5);
	assert_int_equal(d->totals[DECLASS_SPAN_MOVED].old_words, 5);
	assert_int_equal(d->totals[DECLASS_SPAN_BOILERPLATE].new_words, 2);
	declass_wdiff_free(d);
}

/*
 * Whole lines only the newer text holds, between readings that agree on
 * three words in four.  Six real words or more count as a clean reading
 * of their own, unless the older text too holds lines the newer lacks
 * (two readings that each dropped and picked up lines) and the new lines
 * are a column (a distribution list), not running text.
 */
static void test_text__lines_of_their_own(void **state)
{
	/* The same memo read twice; the second reading misreads a word in four. */
	const char *memo_old = "The Station reported on the meeting held in October.\n"
	                       "Officers of the Embassy attended the reception there.\n"
	                       "Several visitors arrived later from the northern border.\n"
	                       "Reports describe the conversation about travel documents.\n"
	                       "Nothing further was learned about the second visitor.\n"
	                       "Headquarters asked for names and photographs promptly.\n"
	                       "The file remains open pending further developments.\n"
	                       "Traces on the visitors will follow by separate cable.\n";
	const char *memo_new = "The Statoin reported on the meetng held in Octobr.\n"
	                       "Officers of the Embasy attended the recepton there.\n"
	                       "Several vistors arrived later from the nothern border.\n"
	                       "Reports descrbe the conversaton about travel documents.\n"
	                       "Nothing further was learnd about the secnd visitor.\n"
	                       "Headquarters asked for nmes and photographs promptly.\n"
	                       "The file remans open pending futher developments.\n"
	                       "Traces on the visitors will folow by separate cable.\n";
	const char *column = "Distribution:\nOriginal Addressee\nChief Western Hemisphere\n"
	                     "Caracas Station\nCentral Registry\nBranch Archive\nRecords Section\n";
	const char *paragraph = "Also present were the consul, his deputy Ivanov and\n"
	                        "the driver Petrov, whom Station knows from earlier cases.\n";
	const char *routing = "ROUTING AND RECORD SHEET\nOfficer designation building room\n"
	                      "Received forwarded officer initials\nComments number each comment\n"
	                      "Draw a line across column after each comment\n";
	char a[2048], b[2048];
	declass_wdiff *d;

	(void)state;
	/* The older reading holds nothing of its own: the column is released. */
	snprintf(b, sizeof(b), "%s%s", memo_new, column);
	d = diff(memo_old, b);
	assert_int_equal(d->totals[DECLASS_SPAN_RELEASED].new_words, 14);
	declass_wdiff_free(d);

	/* It holds a routing sheet the newer lacks: the column is uncertain. */
	snprintf(a, sizeof(a), "%s%s", routing, memo_old);
	d = diff(a, b);
	assert_int_equal(words(d, DECLASS_SPAN_RELEASED), 0);
	assert_int_equal(d->totals[DECLASS_SPAN_UNCERTAIN].new_words, 14);
	declass_wdiff_free(d);

	/* A paragraph of running text is a reading of its own still. */
	snprintf(b, sizeof(b), "%s%s", memo_new, paragraph);
	d = diff(a, b);
	assert_true(d->totals[DECLASS_SPAN_RELEASED].new_words >= 12);
	declass_wdiff_free(d);
}

/*
 * A released sentence holds a word that the older text shows elsewhere,
 * unpaired ("Caracas" on a routing line): the word goes with the
 * sentence, it was not moved there.
 */
static void test_text__release_shares_a_word(void **state)
{
	const char *a = "Memo for the record.\nCaracas routing copy\n"
	                "The meeting was held on Monday at the office.\n"
	                "It ended at noon when everybody left.\n";
	const char *b = "Memo for the record.\nThe meeting was held on Monday at the office.\n"
	                "The visitor from Caracas brought letters for Ivanov and Petrov.\n"
	                "It ended at noon when everybody left.\n";
	declass_wdiff *d;
	size_t i;

	(void)state;
	d = diff(a, b);
	i = only_span(d, DECLASS_SPAN_RELEASED);
	assert_string_equal(span_text(d, i, a, b),
	                    "The visitor from Caracas brought letters for Ivanov and Petrov.");
	assert_int_equal(d->totals[DECLASS_SPAN_MOVED].new_words, 0);
	declass_wdiff_free(d);
}

/*
 * One word uncertain at three places of a page that the two readings
 * share only in misread form ("Cairo" in gaps, evidence 0.42 each): what
 * was hidden at one place was hidden at all, and together the places are
 * evidence enough, unless the older text shows the word somewhere.
 */
static void test_text__recurring_word(void **state)
{
	const char *a =
	        "The embassy officer reported that the delegation arrived on Tuesday morning\n"
	        "Several members of the delegation visited the consulate before noon today\n"
	        "Their conversation concerned shipments of machinery through the northern port\n"
	        "The ambassador expressed concern about delays in the agreed schedule\n"
	        "Officials promised to review the matter with the ministry next week\n"
	        "Further meetings are planned before the end of the current month\n";
	const char *b =
	        "The emassy oficer reorted Cairo that the deegation arived on Tusday moning\n"
	        "Seeral mebers of the deegation viited the cosulate beore noon toay\n"
	        "Thir coversation cocerned shpments Cairo of mahinery though the nothern port\n"
	        "The amassador exressed cocern abut deays in the ageed scedule\n"
	        "Oficials prmised to reiew Cairo the mater with the miistry next week\n"
	        "Futher metings are plnned beore the end of the curent moth\n";
	char a2[1024];
	declass_wdiff *d;
	size_t i, n = 0;

	(void)state;
	d = diff(a, b);
	for (i = 0; i < d->nspans; i++) {
		if (d->spans[i].cls != DECLASS_SPAN_RELEASED)
			continue;
		assert_string_equal(span_text(d, i, a, b), "Cairo");
		assert_int_equal(d->spans[i].evidence, DECLASS_EVIDENCE_RECURS);
		assert_true(d->spans[i].confidence > 0.75 && d->spans[i].confidence < 0.85);
		n++;
	}
	assert_int_equal(n, 3);
	declass_wdiff_free(d);

	/* The older text shows "Cairo" on a line of its own: not hidden everywhere. */
	snprintf(a2, sizeof(a2), "%sCopy to Cairo\n", a);
	d = diff(a2, b);
	assert_int_equal(words(d, DECLASS_SPAN_RELEASED), 0);
	assert_int_equal(d->totals[DECLASS_SPAN_UNCERTAIN].new_words, 3);
	declass_wdiff_free(d);
}

/* A record of several files, one of them without text (a blank scan). */
static void test_text__empty_part(void **state)
{
	const char old_text[] = "Memo of 8 October on the visit.\f";
	const char new_text[] = "Memo of 8 October on the visit to Kostikov.\f";
	const declass_text_part op[] = { { "a.pdf", 0, 31 }, { "b.pdf", 32, 32 } };
	const declass_text_part np[] = { { "a.pdf", 0, 43 }, { "b.pdf", 44, 44 } };
	declass_wdiff *d;

	(void)state;
	assert_int_equal(declass_diff_parts(&d, old_text, op, 2, new_text, np, 2, NULL), 0);
	assert_int_equal(words(d, DECLASS_SPAN_WITHHELD), 0);
	declass_wdiff_free(d);
}

static void test_text__long_lines(void **state)
{
	size_t n = 1u << 20, i;
	char *a = malloc(n + 1), *b = malloc(n + 64);
	declass_wdiff *d;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	/* One megabyte line of words, and one without any space at all. */
	for (i = 0; i < n; i++)
		a[i] = (i % 7 == 6) ? ' ' : (char)('a' + (i * 31 / 7) % 26);
	a[n] = '\0';
	memcpy(b, a, n / 2);
	memcpy(b + n / 2, " Robert Fulton released here ", 29);
	memcpy(b + n / 2 + 29, a + n / 2, n / 2 + 1);
	d = diff(a, b);
	assert_int_equal(d->totals[DECLASS_SPAN_RELEASED].spans, 1);
	assert_int_equal(d->totals[DECLASS_SPAN_WITHHELD].spans, 0);
	declass_wdiff_free(d);

	memset(a, 'x', n);
	memset(b, 'x', n);
	b[n / 3] = 'y';
	b[n] = '\0';
	d = diff(a, b);
	assert_int_equal(words(d, DECLASS_SPAN_RELEASED), 0);
	declass_wdiff_free(d);
	free(a);
	free(b);
}

static void test_text__markers_file(void **state)
{
	const char *pats = "# ours\nmarker cut /<<CUT[0-9]*>>/\n\n"
	                   "boilerplate footer /^Printed by [A-Z]+$/i   \r\n";
	const char *a = "The informant <<CUT12>> met him.\nPRINTED BY NARA\n";
	const char *b = "The informant Jose Rodriguez met him.\nprinted by nara\n";
	char path[] = "/tmp/test_text_markersXXXXXX";
	declass_text_opts o = DECLASS_TEXT_OPTS_INIT;
	declass_markers *m;
	declass_wdiff *d;
	size_t i;
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(declass_markers_parse(&m, pats, strlen(pats), "ours", 0), 0);
	assert_int_equal(declass_markers_count(m), 2);
	o.markers = m;
	d = diff_opts(a, b, &o);
	i = only_span(d, DECLASS_SPAN_RELEASED);
	assert_string_equal(span_text(d, i, a, b), "Jose Rodriguez");
	assert_int_equal(d->spans[i].has_marker, 1);
	/* A boilerplate match is one token, like a marker. */
	assert_int_equal(d->totals[DECLASS_SPAN_BOILERPLATE].new_words, 1);
	declass_wdiff_free(d);
	declass_markers_free(m);

	/* The default set parses, and comes first when asked for. */
	assert_int_equal(declass_markers_default(&m), 0);
	i = declass_markers_count(m);
	assert_true(i >= 10);
	declass_markers_free(m);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(pats, f);
	fclose(f);
	assert_int_equal(declass_markers_load(&m, path, 1), 0);
	assert_int_equal(declass_markers_count(m), i + 2);
	declass_markers_free(m);
	unlink(path);

	assert_int_equal(declass_markers_load(&m, "/nonexistent/x", 1), DECLASS_EINPUT);
	assert_null(m);
	assert_int_equal(declass_markers_parse(&m, "stamp x /a/", 11, "f", 0), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "markers 'f' line 1: unknown kind"));
	assert_int_equal(declass_markers_parse(&m, "\nmarker x /a(/", 14, "f", 0), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "line 2: bad regex"));
	assert_int_equal(declass_markers_parse(&m, "marker x /a*/", 13, "f", 0), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "matches the empty string"));
	assert_int_equal(declass_markers_parse(&m, "marker x /a/q", 13, "f", 0), DECLASS_EINPUT);
	assert_int_equal(declass_markers_parse(&m, "marker x a", 10, "f", 0), DECLASS_EINPUT);
	assert_null(m);
}

static void test_text__blame(void **state)
{
	/* v0: names withheld; v1: Fulton released, Helsinki withheld again;
	 * v2: re-OCR'd, Kostikov released, Helsinki back. */
	const char *v[3] = {
		"Meeting with at Helsinki station. Cable follows.",
		"Meeting with Robert Fulton at station. Cable follows.",
		"2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF "
		"1992\n"
		"Meetlng with Robert Fu1ton and Valeriy Kostikov at Helsinki station. "
		"Cab1e follows.",
	};
	size_t lens[3] = { strlen(v[0]), strlen(v[1]), strlen(v[2]) }, i, end = 0;
	declass_blame *b;
	const char *t = v[2];

	(void)state;
	assert_int_equal(declass_blame_text(&b, v, lens, 3, NULL), 0);
	for (i = 0; i < b->nspans; i++) {
		assert_int_equal(b->spans[i].start, end); /* spans tile the text */
		end = b->spans[i].end;
	}
	assert_int_equal(end, lens[2]);
	for (i = 0; i < b->nspans; i++) {
		const declass_blame_span *s = &b->spans[i];
		size_t at;
		if (s->cls == DECLASS_SPAN_BOILERPLATE)
			continue;
		if (strstr(t + s->start, "Fulton") &&
		    (at = (size_t)(strstr(t, "Fu1ton") - t)) >= s->start && at < s->end)
			assert_int_equal(s->version, 1);
		if ((at = (size_t)(strstr(t, "Kostikov") - t)) >= s->start && at < s->end)
			assert_int_equal(s->version, 2);
		if ((at = (size_t)(strstr(t, "Helsinki") - t)) >= s->start && at < s->end)
			assert_int_equal(s->version, 0);
		if ((at = (size_t)(strstr(t, "Cab1e") - t)) >= s->start && at < s->end)
			assert_int_equal(s->version, 0);
	}
	declass_blame_free(b);

	/* One version: everything is version 0; empty newest: no spans. */
	assert_int_equal(declass_blame_text(&b, v, lens, 1, NULL), 0);
	for (i = 0; i < b->nspans; i++)
		assert_int_equal(b->spans[i].version, 0);
	declass_blame_free(b);
	{
		const char *e[2] = { v[0], NULL };
		size_t el[2] = { lens[0], 0 };
		assert_int_equal(declass_blame_text(&b, e, el, 2, NULL), 0);
		assert_int_equal(b->nspans, 0);
		declass_blame_free(b);
	}
	assert_int_equal(declass_blame_text(&b, v, lens, 0, NULL), DECLASS_EINPUT);
}

static void test_text__find(void **state)
{
	const char *t = "Contact with Mr. Robert\nFul-\nton (CIA) was made. "
	                "DocId:32404437\n Page 2 \nLater ROBERT FULTON left; Robert Fultom too.";
	const char *p = "robert fulton cia";
	declass_text_opts o = DECLASS_TEXT_OPTS_INIT;
	declass_matches *m;

	(void)state;
	assert_int_equal(declass_text_find(&m, t, strlen(t), p, strlen(p), NULL), 0);
	assert_int_equal(m->n, 1);
	assert_int_equal(m->v[0].start, (size_t)(strstr(t, "Robert") - t));
	assert_int_equal(m->v[0].end, (size_t)(strstr(t, "CIA") - t) + 3);
	assert_int_equal(m->v[0].exact, 1);
	declass_matches_free(m);

	/* Across boilerplate, and within the OCR tolerance. */
	p = "was made later";
	assert_int_equal(declass_text_find(&m, t, strlen(t), p, strlen(p), NULL), 0);
	assert_int_equal(m->n, 1);
	declass_matches_free(m);
	p = "Robert Fulton";
	assert_int_equal(declass_text_find(&m, t, strlen(t), p, strlen(p), NULL), 0);
	assert_int_equal(m->n, 3);
	assert_int_equal(m->v[2].exact, 0);
	declass_matches_free(m);

	/* Case-sensitive and exact. */
	o.ignore_case = 0;
	o.tolerance = 0;
	assert_int_equal(declass_text_find(&m, t, strlen(t), p, strlen(p), &o), 0);
	assert_int_equal(m->n, 1);
	declass_matches_free(m);

	assert_int_equal(declass_text_find(&m, t, strlen(t), " -- ", 4, NULL), DECLASS_EINPUT);
	assert_null(m);
	assert_int_equal(declass_text_find(&m, "", 0, p, strlen(p), NULL), 0);
	assert_int_equal(m->n, 0);
	declass_matches_free(m);
}

static void test_text__class_names(void **state)
{
	(void)state;
	assert_string_equal(declass_span_class_name(DECLASS_SPAN_SAME), "same");
	assert_string_equal(declass_span_class_name(DECLASS_SPAN_RELEASED), "released");
	assert_string_equal(declass_span_class_name(DECLASS_SPAN_MARKER), "marker");
	assert_string_equal(declass_span_class_name(DECLASS_SPAN__COUNT), "unknown");
	assert_non_null(strstr(declass_markers_default_text(), "marker"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text__released_words),
		cmocka_unit_test(test_text__withheld_words),
		cmocka_unit_test(test_text__marker_to_text),
		cmocka_unit_test(test_text__marker_kept),
		cmocka_unit_test(test_text__default_markers),
		cmocka_unit_test(test_text__reflowed_unchanged),
		cmocka_unit_test(test_text__identical),
		cmocka_unit_test(test_text__empty),
		cmocka_unit_test(test_text__non_ascii),
		cmocka_unit_test(test_text__ocr_noise),
		cmocka_unit_test(test_text__moved),
		cmocka_unit_test(test_text__lines_of_their_own),
		cmocka_unit_test(test_text__release_shares_a_word),
		cmocka_unit_test(test_text__recurring_word),
		cmocka_unit_test(test_text__empty_part),
		cmocka_unit_test(test_text__long_lines),
		cmocka_unit_test(test_text__markers_file),
		cmocka_unit_test(test_text__blame),
		cmocka_unit_test(test_text__find),
		cmocka_unit_test(test_text__class_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
