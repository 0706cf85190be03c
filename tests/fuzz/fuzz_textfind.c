/*
 * Phrase search (declass_text_find): input is one byte of options, the
 * phrase up to the first newline, then the text.  Matches must lie inside
 * the text, in order, without overlap.
 */
#include <stdint.h>
#include <string.h>

#include "declass/text.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	declass_text_opts opts = DECLASS_TEXT_OPTS_INIT;
	declass_matches *m = NULL;
	const char *phrase, *text, *nl;
	size_t plen, tlen, i, at = 0;

	if (size < 1)
		return 0;
	opts.ignore_case = data[0] & 1;
	opts.tolerance = (data[0] >> 1 & 3) * 0.15;
	phrase = (const char *)data + 1;
	nl = memchr(phrase, '\n', size - 1);
	plen = nl ? (size_t)(nl - phrase) : size - 1;
	text = phrase + plen + (nl ? 1 : 0);
	tlen = size - 1 - plen - (nl ? 1 : 0);
	if (declass_text_find(&m, text, tlen, phrase, plen, &opts) < 0) {
		CHECK(m == NULL);
		return 0;
	}
	for (i = 0; i < m->n; i++) {
		CHECK(m->v[i].start < m->v[i].end && m->v[i].end <= tlen);
		CHECK(m->v[i].start >= at);
		at = m->v[i].end;
	}
	declass_matches_free(m);
	return 0;
}
