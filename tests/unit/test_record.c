/* Record ids: validation, archive paths, ids from file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "declass/record.h"
#include "util/utf8.h"

static void path_is(const char *id, const char *want)
{
	char *p = NULL;

	assert_int_equal(declass_record_path(&p, id), 0);
	assert_string_equal(p, want);
	free(p);
}

static void test_record__nara_shape(void **state)
{
	(void)state;
	path_is("104-10004-10143", "records/104/10004/10143");
	path_is("124-10001-10001", "records/124/10001/10001");
	path_is("180-10110-10001", "records/180/10110/10001");
}

static void test_record__other_shapes(void **state)
{
	(void)state;
	path_is("docid-32404437", "records/_/docid-32404437");
	path_is("DOCID-32206291", "records/_/DOCID-32206291");
	/* Almost NARA: a 9-digit item (2018's 104-10196-100270001) */
	path_is("104-10196-100270001", "records/_/104-10196-100270001");
	path_is("CE 399", "records/_/CE%20399");
	path_is(".hidden", "records/_/%2Ehidden");
	path_is("..", "records/_/%2E.");
	path_is("a..b", "records/_/a..b");
	path_is("Костиков", "records/_/%D0%9A%D0%BE%D1%81%D1%82%D0%B8%D0%BA%D0%BE%D0%B2");
}

static void refused(const char *id)
{
	char *p = (char *)1;

	assert_int_equal(declass_record_path(&p, id), DECLASS_EINPUT);
	assert_null(p);
	assert_int_equal(declass_record_check(id), DECLASS_EINPUT);
}

static void test_record__refused(void **state)
{
	char big[DECLASS_RECORD_ID_MAX + 2];

	(void)state;
	refused("");
	refused("a/b");
	refused("..\\x");
	refused("tab\there");
	refused(" 104-10004-10143");
	refused("104-10004-10143 ");
	refused("bad\xff");
	refused("\xc0\xaf");     /* overlong '/' */
	refused("\xed\xa0\x80"); /* surrogate */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refused(big);
	big[DECLASS_RECORD_ID_MAX] = '\0';
	assert_int_equal(declass_record_check(big), 0);
}

/* Issue 19, defect 10: what does not show, or acts on the text around it. */
static void test_record__hidden(void **state)
{
	(void)state;
	refused("104-10004-10143\x1b[2J"); /* ESC */
	refused("a\x7f");                  /* DEL */
	refused("104\xc2\x85");            /* U+0085 next line (C1) */
	refused("104\xc2\x9b[31m");        /* U+009B CSI (C1) */
	refused("104\xe2\x80\xae-341");    /* U+202E right-to-left override */
	refused("104\xe2\x81\xa6x");       /* U+2066 left-to-right isolate */
	refused("104\xe2\x80\x8b-10");     /* U+200B zero-width space */
	refused("104\xe2\x80\x8d-10");     /* U+200D zero-width joiner */
	refused("104\xe2\x80\xa8-10");     /* U+2028 line separator */
	refused("\xef\xbb\xbf-104");       /* U+FEFF byte order mark */
	refused("104\xc2\xad-10");         /* U+00AD soft hyphen */
	refused("104\xef\xb8\x8f");        /* U+FE0F variation selector */
	refused("104\xef\xbf\xbe");        /* U+FFFE noncharacter */
	refused("104\xf3\xa0\x80\x81");    /* U+E0001 language tag */
	/* Letters, symbols and visible spaces of any script are ids. */
	assert_int_equal(declass_record_check("Костиков"), 0);
	assert_int_equal(declass_record_check("CE 399 \xc2\xa0 Durán ██"), 0);
	assert_int_equal(declass_record_check("\xe6\x96\x87\xf0\x9f\x93\x84"), 0);
}

static void from_name_is(const char *name, const char *want)
{
	char *id = NULL;

	assert_int_equal(declass_record_from_filename(&id, name), 0);
	assert_string_equal(id, want);
	free(id);
}

static void test_record__from_filename(void **state)
{
	(void)state;
	from_name_is("104-10004-10143.pdf", "104-10004-10143");
	from_name_is("104-10004-10143 (C06932208).pdf", "104-10004-10143");
	from_name_is("104-10004-10143[c06932208].md", "104-10004-10143");
	from_name_is("2022/104-10004-10143[c00546914].pdf", "104-10004-10143");
	from_name_is("docid-32106269.md", "docid-32106269");
	from_name_is("DOCID-32206291.pdf", "DOCID-32206291");
	from_name_is("104-10196-100270001.pdf", "104-10196-100270001");
	from_name_is("noext", "noext");
	from_name_is("archive.tar.gz", "archive.tar");
}

static void test_record__utf8(void **state)
{
	dc_utf8_state st = DC_UTF8_STATE_INIT;
	const char *ok = "Костиков Durán ██";
	uint64_t bad = 0;
	size_t at = 0, i;

	(void)state;
	assert_true(dc_utf8_valid(ok, strlen(ok), NULL));
	assert_false(dc_utf8_valid("ab\xe2\x96", 4, &at));
	assert_int_equal(at, 2);
	assert_false(dc_utf8_valid("\xf4\x90\x80\x80", 4, NULL)); /* > U+10FFFF */
	/* Streaming, one byte at a time, gives the same answers. */
	for (i = 0; ok[i]; i++)
		assert_true(dc_utf8_feed(&st, ok + i, 1, &bad));
	assert_true(dc_utf8_end(&st));
	assert_true(dc_utf8_feed(&st, "\xd0", 1, &bad));
	assert_false(dc_utf8_end(&st));
	assert_false(dc_utf8_feed(&st, "x", 1, &bad));
	assert_int_equal(bad, strlen(ok) + 1);
}

/* Names made from ids (report pages, bag folders) fit in 255 bytes, by one rule. */
static void test_record__names(void **state)
{
	char id[DECLASS_RECORD_ID_MAX + 1], *name = NULL, *again = NULL;
	size_t len, i;

	(void)state;
	assert_int_equal(declass_record_name(&name, "CE 399", '~', ".html"), 0);
	assert_string_equal(name, "CE~20399.html");
	free(name);
	assert_int_equal(declass_record_name(&name, "CE 399", '%', ""), 0);
	assert_string_equal(name, "CE%20399");
	free(name);
	/* 200 bytes that all escape: 600, cut to fit with '+' and the SHA-256. */
	for (len = 1; len <= DECLASS_RECORD_ID_MAX; len++) {
		memset(id, ' ', len);
		for (i = 0; i < len; i++)
			id[i] = i % 3 ? 'a' : '#';
		id[len] = '\0';
		assert_int_equal(declass_record_name(&name, id, '~', ".html"), 0);
		assert_true(strlen(name) <= DECLASS_RECORD_NAME_MAX);
		assert_int_equal(declass_record_name(&again, id, '%', ""), 0);
		assert_true(strlen(again) <= DECLASS_RECORD_NAME_MAX);
		if (strchr(name, '+')) {
			/* The digest follows '+'; no escape was cut before it. */
			const char *plus = strchr(name, '+');

			assert_int_equal(strlen(plus), 1 + 64 + strlen(".html"));
			assert_true(plus - name < 2 || plus[-1] != '~');
			assert_true(plus - name < 3 || plus[-2] != '~');
			if (strchr(again, '+'))
				assert_memory_equal(plus, strchr(again, '+'), 65);
		}
		free(name);
		free(again);
	}
	memset(id, 'x', DECLASS_RECORD_ID_MAX);
	id[DECLASS_RECORD_ID_MAX] = '\0';
	assert_int_equal(declass_record_name(&name, id, '~', ".html"), 0);
	assert_int_equal(strlen(name), 205); /* no escape: it fits whole */
	free(name);
	/* "é" x 100: 600 bytes once escaped. */
	for (i = 0; i < 100; i++)
		memcpy(id + 2 * i, "\xc3\xa9", 2);
	id[200] = '\0';
	assert_int_equal(declass_record_name(&name, id, '%', ""), 0);
	assert_int_equal(strlen(name), 254); /* 63 escapes, not the '%' of the 64th */
	assert_int_equal(strncmp(name, "%C3%A9", 6), 0);
	assert_true(strchr(name, '+') != NULL);
	free(name);
}

static void test_record__utf8_decode(void **state)
{
	uint32_t cp;

	(void)state;
	assert_int_equal(dc_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(dc_utf8_decode("\xc2\x9b", 2, &cp), 2);
	assert_int_equal(cp, 0x9B);
	assert_int_equal(dc_utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(dc_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(dc_utf8_decode("\xe2\x82", 2, &cp), 0);     /* cut short */
	assert_int_equal(dc_utf8_decode("\xe0\x80\x80", 3, &cp), 0); /* overlong */
	assert_int_equal(dc_utf8_decode("\xff", 1, &cp), 0);
	assert_int_equal(cp, 0xFF);
	assert_true(dc_utf8_hidden(0x1B) && dc_utf8_hidden(0x85) && dc_utf8_hidden(0x202E) &&
	            dc_utf8_hidden(0x2069) && dc_utf8_hidden(0x10FFFF) && dc_utf8_hidden(0xE007F));
	assert_false(dc_utf8_hidden(' ') || dc_utf8_hidden(0xA0) || dc_utf8_hidden(0x2588) ||
	             dc_utf8_hidden(0x1F600) || dc_utf8_hidden(0x2030));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record__nara_shape),
		cmocka_unit_test(test_record__other_shapes),
		cmocka_unit_test(test_record__refused),
		cmocka_unit_test(test_record__hidden),
		cmocka_unit_test(test_record__from_filename),
		cmocka_unit_test(test_record__utf8),
		cmocka_unit_test(test_record__names),
		cmocka_unit_test(test_record__utf8_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
