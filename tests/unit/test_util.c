/*
 * lib/util helpers: growing arrays, the id table, the thread pool, the
 * escaping of text for people.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "declass/display.h"
#include "util/error.h"
#include "util/grow.h"
#include "util/idtab.h"
#include "util/pool.h"

static void test_util__grow(void **state)
{
	size_t *v = NULL, cap = 0, n;

	(void)state;
	assert_int_equal(dc_grow(&v, &cap, 0, sizeof(*v)), 0);
	assert_null(v);
	for (n = 0; n < 1000; n++) {
		assert_int_equal(dc_grow(&v, &cap, n + 1, sizeof(*v)), 0);
		assert_true(cap >= n + 1 && cap <= 2 * (n + 1) + 16);
		v[n] = n;
	}
	for (n = 0; n < 1000; n++)
		assert_int_equal(v[n], n);
	assert_int_equal(dc_grow(&v, &cap, 100000, sizeof(*v)), 0);
	assert_true(cap >= 100000);
	/* Sizes that overflow fail, leaving the array as it was. */
	n = cap;
	assert_int_equal(dc_grow(&v, &cap, SIZE_MAX / 2, sizeof(*v)), DECLASS_ENOMEM);
	assert_int_equal(cap, n);
	assert_int_equal(v[999], 999);
	free(v);
}

typedef struct elem {
	unsigned char key[20];
	size_t value;
} elem;

/* A key that looks like an object id: its bytes spread well. */
static void make_key(unsigned char key[20], size_t i)
{
	uint64_t x = (uint64_t)i * 0x9e3779b97f4a7c15ull + 1;
	size_t k;

	for (k = 0; k < 20; k++) {
		x ^= x >> 29;
		x *= 0xbf58476d1ce4e5b9ull;
		key[k] = (unsigned char)(x >> 56);
	}
}

static void test_util__idtab(void **state)
{
	dc_idtab t = DC_IDTAB_INIT(sizeof(elem), 20);
	unsigned char key[20] = { 0 };
	size_t i, n = 3 * DC_IDTAB_CHUNK + 17; /* several chunks, the index grown */
	void *e, *first;

	(void)state;
	assert_null(dc_idtab_get(&t, key));
	make_key(key, 0);
	assert_int_equal(dc_idtab_add(&t, key, &first), 1);
	for (i = 0; i < n; i++) {
		make_key(key, i);
		assert_int_equal(dc_idtab_add(&t, key, &e), i == 0 ? 0 : 1);
		((elem *)e)->value += i + 1;
	}
	assert_int_equal(t.n, n);
	/* Elements do not move as others are added. */
	make_key(key, 0);
	assert_ptr_equal(dc_idtab_get(&t, key), first);
	for (i = 0; i < n; i++) {
		make_key(key, i);
		assert_non_null(e = dc_idtab_get(&t, key));
		assert_int_equal(((elem *)e)->value, i + 1);
		assert_ptr_equal(dc_idtab_at(&t, i), e);
	}
	make_key(key, n);
	assert_null(dc_idtab_get(&t, key));
	dc_idtab_free(&t);
	assert_int_equal(t.n, 0);
	assert_null(dc_idtab_get(&t, key));
	dc_idtab_free(&t);
}

typedef struct pjob {
	atomic_size_t done;
	atomic_int samples, ticks;
	int fail_at; /* -1: none */
	unsigned char ran[1000];
} pjob;

static int pjob_run(void *ctx, int thread, size_t i)
{
	pjob *j = ctx;

	(void)thread;
	j->ran[i]++;
	atomic_fetch_add(&j->done, 1);
	return (int)i == j->fail_at ? dc_error_set(DECLASS_EINPUT, "job %zu failed", i) : 0;
}

static void pjob_tick(void *ctx)
{
	atomic_fetch_add(&((pjob *)ctx)->ticks, 1);
}

static void pjob_sample(void *ctx)
{
	atomic_fetch_add(&((pjob *)ctx)->samples, 1);
}

static void test_util__pool(void **state)
{
	static pjob j;
	dc_pool_opts o = { 1000, 4, pjob_run, pjob_tick, &j, NULL };
	size_t i;

	(void)state;
	/* Ticked: every job once. */
	memset(&j, 0, sizeof(j));
	j.fail_at = -1;
	assert_int_equal(dc_pool_run(&o), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(j.ran[i], 1);
	assert_int_equal(atomic_load(&j.samples), 0);
	/* Thread 0 is the caller's and ticks after each of its jobs. */
	memset(&j, 0, sizeof(j));
	j.fail_at = -1;
	o.nthreads = 1;
	assert_int_equal(dc_pool_run(&o), 0);
	assert_int_equal(atomic_load(&j.ticks), 1000);
	o.nthreads = 4;

	/* Sampled: every job once, at least the last sample, no tick. */
	memset(&j, 0, sizeof(j));
	j.fail_at = -1;
	o.sample = pjob_sample;
	assert_int_equal(dc_pool_run(&o), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(j.ran[i], 1);
	assert_int_equal(atomic_load(&j.ticks), 0);
	assert_true(atomic_load(&j.samples) >= 1);

	/* A failure stops the pool and comes back with its message. */
	memset(&j, 0, sizeof(j));
	j.fail_at = 10;
	o.nthreads = 1;
	o.sample = NULL;
	assert_int_equal(dc_pool_run(&o), DECLASS_EINPUT);
	assert_string_equal(declass_error_last(), "job 10 failed");
	assert_int_equal(atomic_load(&j.done), 11);
}

/* escaped_is(S, LEN, FLAGS, WANT): WANT NULL means "print S as it is". */
static void escaped_is(const char *s, size_t len, unsigned flags, const char *want)
{
	char *out = (char *)1;

	assert_int_equal(declass_display_escape(&out, s, len, flags), 0);
	if (!want) {
		assert_null(out);
		return;
	}
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}
#define ESCAPED(s, flags, want) escaped_is(s, sizeof(s) - 1, flags, want)

static void test_util__display_escape(void **state)
{
	(void)state;
	ESCAPED("", 0, NULL);
	ESCAPED("LEE HARVEY OSWALD - Durán, Костиков ██", 0, NULL);
	ESCAPED("a\x1b]0;pwned\x07\x1b[2Jb", 0, "a\\x1b]0;pwned\\x07\\x1b[2Jb");
	ESCAPED("x\ry", 0, "x\\x0dy");
	ESCAPED("del\x7f", 0, "del\\x7f");
	ESCAPED("nul\0!", 0, "nul\\x00!");
	ESCAPED("c1 \xc2\x9b[31m \xc2\x85", 0, "c1 \\u009b[31m \\u0085");
	ESCAPED("\342\200\256DEKCAH\342\201\251", 0, "\\u202eDEKCAH\\u2069");
	ESCAPED("tag\xf3\xa0\x80\x81", 0, "tag\\U000e0001");
	ESCAPED("latin-1 \xe9t\xe9", 0, "latin-1 \\xe9t\\xe9");
	ESCAPED("cut \xe2\x82", 0, "cut \\xe2\\x82");
	/* One line: newlines and tabs too; a document's text keeps its layout. */
	ESCAPED("a\nb\tc", 0, "a\\x0ab\\x09c");
	ESCAPED("a\nb\tc\fd\r\ne", DECLASS_DISPLAY_LINES, NULL);
	ESCAPED("over\rwrite\n\x1b[1A", DECLASS_DISPLAY_LINES, "over\\x0dwrite\n\\x1b[1A");
	ESCAPED("end\r", DECLASS_DISPLAY_LINES, "end\\x0d");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util__grow),
		cmocka_unit_test(test_util__idtab),
		cmocka_unit_test(test_util__pool),
		cmocka_unit_test(test_util__display_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
