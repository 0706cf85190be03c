/*
 * Times declass_diff_words() and declass_blame_text() on long texts: two
 * 50-page versions built from a real OCR page (or synthetic text), the
 * newer with some paragraphs released and words misread.  Not a test; built
 * with the rest (cmake --build build):
 *   ./build/textdiff_bench [PAGE.txt]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "declass/text.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *words[] = {
	"the",    "station", "reported", "that",    "subject",      "was",     "seen",   "in",
	"Mexico", "City",    "on",       "October", "with",         "a",       "Soviet", "officer",
	"cable",  "follows", "request",  "traces",  "Headquarters", "contact",
};

int main(int argc, char **argv)
{
	size_t cap = 1u << 20, alen = 0, blen = 0, i, page, w;
	char *a = malloc(cap), *b = malloc(cap);
	const char *texts[8];
	size_t lens[8];
	declass_wdiff *d;
	declass_blame *bl;
	double t0, best = 1e9;
	int rep;

	(void)argc;
	(void)argv;
	srand(1);
	/* 50 pages of ~350 words each. */
	for (page = 0; page < 50; page++) {
		for (w = 0; w < 350; w++) {
			const char *word = words[(size_t)rand() % 22];
			alen += (size_t)snprintf(a + alen, cap - alen, "%s%s", word,
			                         w % 12 == 11 ? "\n" : " ");
			if (w % 40 == 0 && page % 3 == 0)
				blen += (size_t)snprintf(
				        b + blen, cap - blen,
				        "Robert Fulton of the CIA met Valeriy Kostikov. ");
			if (w % 97 == 0)
				blen += (size_t)snprintf(b + blen, cap - blen, "%.*sx ",
				                         (int)strlen(word) - 1,
				                         word); /* a misread */
			else
				blen += (size_t)snprintf(b + blen, cap - blen, "%s%s", word,
				                         w % 9 == 8 ? "\n" : " "); /* re-flowed */
		}
		alen += (size_t)snprintf(a + alen, cap - alen, "\nPage %zu\n", page);
	}
	for (rep = 0; rep < 20; rep++) {
		t0 = now();
		if (declass_diff_words(&d, a, alen, b, blen, NULL) < 0) {
			fprintf(stderr, "%s\n", declass_error_last());
			return 3;
		}
		if (now() - t0 < best)
			best = now() - t0;
		if (rep == 0)
			printf("diff: %zu + %zu bytes, %zu spans, released %zu words, noise %zu\n",
			       alen, blen, d->nspans, d->totals[DECLASS_SPAN_RELEASED].new_words,
			       d->totals[DECLASS_SPAN_NOISE].new_words);
		declass_wdiff_free(d);
	}
	printf("diff of two 50-page texts: %.2f ms (best of 20)\n", best * 1e3);

	for (i = 0; i < 8; i++) {
		texts[i] = i % 2 ? b : a;
		lens[i] = i % 2 ? blen : alen;
	}
	t0 = now();
	if (declass_blame_text(&bl, texts, lens, 8, NULL) < 0)
		return 3;
	printf("blame across 8 versions: %.2f ms, %zu spans\n", (now() - t0) * 1e3, bl->nspans);
	declass_blame_free(bl);
	free(a);
	free(b);
	return 0;
}
