/*
 * The word diff and blame (declass_diff_words, declass_blame_text) on two
 * arbitrary texts.  Input: two bytes of options and split point, then the
 * older and the newer text.  Checks the promises of declass/text.h: spans
 * inside their texts, each side in order without overlap, totals that add
 * up, blame spans that tile the newer text.
 */
#include <stdint.h>
#include <string.h>

#include "declass/text.h"
#include "fuzz.h"

static void check_diff(const declass_wdiff *d, size_t old_len, size_t new_len)
{
	declass_span_total sum[DECLASS_SPAN__COUNT];
	size_t i, old_at = 0, new_at = 0;

	memset(sum, 0, sizeof(sum));
	for (i = 0; i < d->nspans; i++) {
		const declass_span *s = &d->spans[i];

		CHECK((unsigned)s->cls < DECLASS_SPAN__COUNT);
		CHECK(s->old_start <= s->old_end && s->old_end <= old_len);
		CHECK(s->new_start <= s->new_end && s->new_end <= new_len);
		if (s->has_marker)
			CHECK(s->marker_start <= s->marker_end);
		if (s->old_end > s->old_start) {
			CHECK(s->old_start >= old_at);
			old_at = s->old_end;
		}
		if (s->new_end > s->new_start) {
			CHECK(s->new_start >= new_at);
			new_at = s->new_end;
		}
		sum[s->cls].spans++;
		sum[s->cls].old_words += s->old_words;
		sum[s->cls].new_words += s->new_words;
	}
	for (i = 0; i < DECLASS_SPAN__COUNT; i++) {
		CHECK(sum[i].spans == d->totals[i].spans);
		CHECK(sum[i].old_words == d->totals[i].old_words);
		CHECK(sum[i].new_words == d->totals[i].new_words);
	}
}

static void check_blame(const declass_blame *b, size_t len, size_t nversions)
{
	size_t i, at = 0;

	for (i = 0; i < b->nspans; i++) {
		CHECK(b->spans[i].start == at && b->spans[i].end > b->spans[i].start);
		CHECK(b->spans[i].version < nversions);
		at = b->spans[i].end;
	}
	CHECK(at == len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	declass_text_opts opts = DECLASS_TEXT_OPTS_INIT;
	declass_wdiff *d = NULL;
	declass_blame *b = NULL;
	const char *texts[2];
	size_t lens[2], split;

	if (size < 2)
		return 0;
	opts.patience = data[0] & 1;
	opts.tolerance = (data[0] >> 1 & 3) * 0.15;
	opts.min_words = data[0] >> 3 & 3;
	split = data[1] * (size - 2) / 255;
	texts[0] = (const char *)data + 2;
	lens[0] = split;
	texts[1] = (const char *)data + 2 + split;
	lens[1] = size - 2 - split;
	if (declass_diff_words(&d, texts[0], lens[0], texts[1], lens[1], &opts) == 0) {
		check_diff(d, lens[0], lens[1]);
		declass_wdiff_free(d);
	}
	if (declass_blame_text(&b, texts, lens, 2, &opts) == 0) {
		check_blame(b, lens[1], 2);
		declass_blame_free(b);
	}
	return 0;
}
