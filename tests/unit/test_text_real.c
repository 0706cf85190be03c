/*
 * The word diff on real NARA OCR text, from shared/data/jfk/text (read in
 * place, never copied), with the lexicon the archive would give it: the
 * English word list and the vocabulary of all those texts.
 *
 *  - Six hand-checked record pairs, each with the spans a reader can see
 *    were released: precision and recall of released spans and words,
 *    the table docs/DIFF.md quotes, and floors under what was measured.
 *  - The field report's worked examples
 *    (../shared/field-reports/real-collection-2026-12.md): one-word
 *    releases that must be found, and OCR dropouts, form labels and junk
 *    that must not be called released or withheld.
 *
 * Skipped when the shared data is missing.  The figures for the whole
 * collection, on a random draw labelled blind, are bench/eval's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>

#include "declass/text.h"

/* Floors a little under what was measured with the defaults (docs/DIFF.md). */
#ifndef SPAN_RECALL_MIN
#define SPAN_RECALL_MIN    0.68
#define SPAN_PRECISION_MIN 0.85
#define WORD_RECALL_MIN    0.75
#define WORD_PRECISION_MIN 0.88
#endif

#define TEXT_DIR DECLASS_SHARED "/data/jfk/text/"

/*
 * A released span, as a range of the newer text: from the first `from`
 * at or after `anchor` (or the start), to the end of the first `to` at or
 * after that.  Labels were made by reading both files side by side.
 */
struct label {
	const char *anchor, *from, *to;
};

struct pair {
	const char *record, *old_file, *new_file, *why;
	struct label labels[16];
	const char *new_file2; /* a second file of the newer version, or NULL */
};

static const struct pair pairs[] = {
	{ "104-10004-10143",
	  "2018/104-10004-10143.md",
	  "2022/104-10004-10143[c00546914].md",
	  "tesseract both; 2018 withheld the names, lines reordered; two copies in 2022",
	  /* The field report's judgement: Fulton, Frank Friberg, COS Helsinki,
	   * Helsinki Station (in the better copy, [c06932208]). */
	  { { "Mr. Robert", "Mr. Robert", "(CIA)" },
	    { "d with Frank", "Frank Friberg", "Frank Friberg" },
	    { "returned", "COS Helsinki", "COS Helsinki" },
	    { "go to the", "Helsinki", "Station" },
	    { "3.", "Mr. Friberg", "Mr. Friberg" },
	    { "worthwhile to cable", "Station", "Station" } },
	  "2022/104-10004-10143[c06932208].md" },
	{ "104-10012-10024",
	  "2018/104-10012-10024.md",
	  "2022/104-10012-10024.md",
	  "tesseract both; the KOSTIKOV letter, 2018 blanked whole passages",
	  { { NULL, "Dear", "Das" },
	    { NULL, "VALERIY", "KOSTIKOV" },
	    { NULL, "KOSTIKOV, born", "now doing so." },
	    { "interest in", "KOSTIKOV", "KOSTIKOV" },
	    { NULL, "you are aware", "tactics" },
	    { NULL, "as to whether", "Syrians" },
	    { NULL, "KOSTIKOV and his", "Beirut. In" },
	    { "comments", "on the OSWALD", "story" },
	    { NULL, "KOSTIKOV is still", "or worse" },
	    { NULL, "Service to Service", "Service to Service" },
	    { NULL, "David Blee", "David Blee" } },
	  NULL },
	{ "104-10180-10162",
	  "2023/104-10180-10162.md",
	  "2025/0318/104-10180-10162.md",
	  "Apple Vision both; a withheld paragraph of instructions",
	  { { NULL, "CLINTON, HAPPY", "WS WILL" }, { NULL, "DITKACBPT", "DEPOSITS." } },
	  NULL },
	{ "104-10326-10040",
	  "2023/104-10326-10040.md",
	  "2025/0318/104-10326-10040.md",
	  "Apple Vision both; station report, 2023 withheld sections and MINSK",
	  { { NULL, "MNSK", "MNSK" },
	    { "CITE", "MINSK", "MINSK" },
	    { "REF:;", "MINSK", "MINSK" },
	    { "FOLLOWING IS", "MINSK", "MINSK" },
	    { NULL, "3. LIAISON OPERATIONS", "PASSING ON" },
	    { NULL, "BSNIC, ASSISTANCE", "15940)." },
	    { "VISIT", "(MINSK", "(MINSK" },
	    { NULL, "-- GUIDANCE REQUESTED", "16007" },
	    { NULL, "-- COS HOUSING", "STATION IS FACING" } },
	  NULL },
	{ "104-10072-10001",
	  "2023/104-10072-10001.md",
	  "2025/0318/104-10072-10001.md",
	  "Apple Vision both; nothing released, OCR variance only",
	  { { NULL, NULL, NULL } },
	  NULL },
	{ "177-10002-10016",
	  "2022/177-10002-10016.md",
	  "2023/177-10002-10016.md",
	  "tesseract -> Apple Vision; nothing released, form re-ordered",
	  { { NULL, NULL, NULL } },
	  NULL },
};

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1))) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

/* The lexicon the archive would have: English words and these texts' vocabulary. */
static declass_lexicon *lexicon;

/* Text files under the data folder, with the record each belongs to. */
struct tfile {
	char rec[64];
	char path[512];
};

static int cmp_tfile(const void *a, const void *b)
{
	return strcmp(((const struct tfile *)a)->rec, ((const struct tfile *)b)->rec);
}

/* List the text files under dir (and its sub-folders) into *v. */
static void list_texts(struct tfile **v, size_t *n, size_t *cap, const char *dir)
{
	struct dirent **names = NULL;
	char path[512];
	int count, k;

	if ((count = scandir(dir, &names, NULL, alphasort)) < 0)
		return;
	for (k = 0; k < count; k++) {
		const char *name = names[k]->d_name;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (name[0] != '.' && !strchr(name, '.')) {
			list_texts(v, n, cap, path); /* a release's sub-folder (2025/0318) */
		} else if (name[0] != '.') {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 1024;
				assert_non_null(*v = realloc(*v, *cap * sizeof(**v)));
			}
			/* The record: the name up to '.', '[', ' ' or '_'. */
			snprintf((*v)[*n].rec, sizeof((*v)[*n].rec), "%.*s",
			         (int)strcspn(name, ".[ _"), name);
			snprintf((*v)[*n].path, sizeof((*v)[*n].path), "%s", path);
			(*n)++;
		}
		free(names[k]);
	}
	free(names);
}

/* The vocabulary of every text, each record's versions counted together. */
static void add_vocab(declass_vocab *v)
{
	static const char *const years[] = { "2018", "2021", "2022", "2023", "2025" };
	struct tfile *files = NULL;
	const char *texts[32];
	size_t lens[32], nfiles = 0, cap = 0, i, j, k, n;
	char dir[512];

	for (i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
		snprintf(dir, sizeof(dir), TEXT_DIR "%s", years[i]);
		list_texts(&files, &nfiles, &cap, dir);
	}
	if (nfiles) /* none without ../shared: qsort() wants a real pointer */
		qsort(files, nfiles, sizeof(*files), cmp_tfile);
	for (i = 0; i < nfiles; i = j) {
		for (j = i, n = 0; j < nfiles && !strcmp(files[j].rec, files[i].rec); j++) {
			if (n < 32 && (texts[n] = slurp(files[j].path, &lens[n])))
				n++;
		}
		assert_int_equal(declass_vocab_add_record(v, texts, lens, n), 0);
		for (k = 0; k < n; k++)
			free((char *)texts[k]);
	}
	free(files);
}

static int setup(void **state)
{
	declass_vocab *v = NULL;
	(void)state;
	if (declass_lexicon_new(&lexicon) < 0)
		return -1;
	/* Without Debian's wamerican the words are judged by the vocabulary alone. */
	if (declass_lexicon_load_words(lexicon, declass_lexicon_default_words()) < 0)
		printf("note: no English word list at %s\n", declass_lexicon_default_words());
	if (declass_vocab_new(&v) < 0)
		return -1;
	add_vocab(v);
	if (declass_vocab_finish(v, lexicon) < 0)
		return -1;
	declass_vocab_free(v);
	printf("lexicon: %zu words of the texts' vocabulary\n",
	       declass_lexicon_vocab_size(lexicon));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	declass_lexicon_free(lexicon);
	return 0;
}

/*
 * The text of a version as the archive holds it: its files' texts joined
 * by form feeds, with the parts for declass_diff_parts().  NULL if a file
 * is missing.
 */
static char *version_text(const char *file, const char *file2, size_t *len,
                          declass_text_part parts[2], size_t *nparts)
{
	char path[512], *a, *b, *both;
	size_t alen, blen;

	snprintf(path, sizeof(path), TEXT_DIR "%s", file);
	if (!(a = slurp(path, &alen)))
		return NULL;
	parts[0].name = file;
	parts[0].start = 0;
	parts[0].end = alen;
	*nparts = 1;
	*len = alen;
	if (!file2)
		return a;
	snprintf(path, sizeof(path), TEXT_DIR "%s", file2);
	if (!(b = slurp(path, &blen)) || !(both = malloc(alen + blen + 2))) {
		free(a);
		free(b);
		return NULL;
	}
	memcpy(both, a, alen);
	both[alen] = '\f';
	memcpy(both + alen + 1, b, blen);
	both[alen + 1 + blen] = '\0';
	parts[1].name = file2;
	parts[1].start = alen + 1;
	parts[1].end = alen + 1 + blen;
	*nparts = 2;
	*len = alen + 1 + blen;
	free(a);
	free(b);
	return both;
}

/* Two versions of a record, read and diffed. */
struct vdiff {
	char *old_text, *new_text;
	size_t old_len, new_len;
	declass_wdiff *d;
};

/*
 * Reads old_file and new_file (with new_file2, a second file of the new
 * version, if not NULL) and diffs them into *v.  -1, with nothing held, if
 * a file is missing: the caller skips.
 */
static int vdiff_load(struct vdiff *v, const char *old_file, const char *new_file,
                      const char *new_file2, const declass_text_opts *opts)
{
	declass_text_part op[2], np[2];
	size_t on, nn;

	memset(v, 0, sizeof(*v));
	v->old_text = version_text(old_file, NULL, &v->old_len, op, &on);
	v->new_text = version_text(new_file, new_file2, &v->new_len, np, &nn);
	if (!v->old_text || !v->new_text) {
		free(v->old_text);
		free(v->new_text);
		return -1;
	}
	assert_int_equal(declass_diff_parts(&v->d, v->old_text, op, on, v->new_text, np, nn, opts),
	                 0);
	return 0;
}

static void vdiff_free(struct vdiff *v)
{
	declass_wdiff_free(v->d);
	free(v->old_text);
	free(v->new_text);
}

static int is_space(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

static int in_ranges(size_t pos, const size_t (*r)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pos >= r[i][0] && pos < r[i][1])
			return 1;
	return 0;
}

struct score {
	size_t label_spans, labels_found, engine_spans, engine_correct;
	size_t tp, fp, fn;
};

/* Words are whitespace-separated chunks holding a letter or digit. */
static void score_pair(const struct pair *p, const char *text, size_t len, const declass_wdiff *d,
                       struct score *s)
{
	size_t lab[16][2], nlab = 0, rel[4096][2], nrel = 0, i, k, pos, start;
	const char *a, *f, *t;
	int word, in_l, in_r;

	for (k = 0; k < 16 && p->labels[k].from; k++) {
		a = p->labels[k].anchor ? strstr(text, p->labels[k].anchor) : text;
		assert_non_null(a);
		f = strstr(a, p->labels[k].from);
		assert_non_null(f);
		t = strstr(f, p->labels[k].to);
		assert_non_null(t);
		lab[nlab][0] = (size_t)(f - text);
		lab[nlab][1] = (size_t)(t - text) + strlen(p->labels[k].to);
		nlab++;
	}
	for (i = 0; i < d->nspans && nrel < 4096; i++) {
		if (d->spans[i].cls != DECLASS_SPAN_RELEASED)
			continue;
		rel[nrel][0] = d->spans[i].new_start;
		rel[nrel][1] = d->spans[i].new_end;
		nrel++;
		s->engine_spans++;
		for (k = 0; k < nlab; k++)
			if (rel[nrel - 1][0] < lab[k][1] && lab[k][0] < rel[nrel - 1][1])
				break;
		s->engine_correct += k < nlab;
	}
	for (k = 0; k < nlab; k++) {
		size_t words = 0, got = 0;
		for (pos = lab[k][0]; pos < lab[k][1];) {
			while (pos < lab[k][1] && is_space(text[pos]))
				pos++;
			if (pos >= lab[k][1])
				break;
			start = pos;
			for (word = 0; pos < len && !is_space(text[pos]); pos++)
				if ((text[pos] | 0x20) >= 'a' && (text[pos] | 0x20) <= 'z')
					word = 1;
				else if (text[pos] >= '0' && text[pos] <= '9')
					word = 1;
			if (!word)
				continue;
			words++;
			got += in_ranges(start, rel, nrel) || in_ranges(pos - 1, rel, nrel);
		}
		s->label_spans++;
		s->labels_found += words && got * 2 >= words;
	}
	for (pos = 0; pos < len;) {
		while (pos < len && is_space(text[pos]))
			pos++;
		if (pos >= len)
			break;
		start = pos;
		for (word = 0; pos < len && !is_space(text[pos]); pos++)
			if (((text[pos] | 0x20) >= 'a' && (text[pos] | 0x20) <= 'z') ||
			    (text[pos] >= '0' && text[pos] <= '9'))
				word = 1;
		if (!word)
			continue;
		in_l = in_ranges(start, lab, nlab);
		in_r = in_ranges(start, rel, nrel) || in_ranges(pos - 1, rel, nrel);
		s->tp += in_l && in_r;
		s->fp += !in_l && in_r;
		s->fn += in_l && !in_r;
	}
}

static double ratio(size_t a, size_t b)
{
	return b ? (double)a / (double)b : 1.0;
}

static void test_text_real__released_precision_recall(void **state)
{
	struct score total = { 0 }, s;
	struct vdiff v;
	size_t i;
	declass_text_opts opts = DECLASS_TEXT_OPTS_INIT;
	const char *env;

	(void)state;
	opts.lexicon = lexicon;
	/* For measuring other settings (docs/DIFF.md); the floors assume defaults. */
	if ((env = getenv("DECLASS_TEXT_TOLERANCE")))
		opts.tolerance = atof(env);
	if ((env = getenv("DECLASS_TEXT_MIN_CONFIDENCE")))
		opts.min_confidence = atof(env);
	printf("tolerance %.2f, min_confidence %.2f\n", opts.tolerance, opts.min_confidence);
	printf("| record | old -> new | labelled spans found | released spans correct | word P | "
	       "word R |\n");
	printf("|---|---|---|---|---|---|\n");
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if (vdiff_load(&v, pairs[i].old_file, pairs[i].new_file, pairs[i].new_file2,
		               &opts) < 0)
			skip();
		memset(&s, 0, sizeof(s));
		score_pair(&pairs[i], v.new_text, v.new_len, v.d, &s);
		printf("| %s | %.4s -> %.4s | %zu/%zu | %zu/%zu | %.2f | %.2f |\n", pairs[i].record,
		       pairs[i].old_file, pairs[i].new_file, s.labels_found, s.label_spans,
		       s.engine_correct, s.engine_spans, ratio(s.tp, s.tp + s.fp),
		       ratio(s.tp, s.tp + s.fn));
		total.label_spans += s.label_spans;
		total.labels_found += s.labels_found;
		total.engine_spans += s.engine_spans;
		total.engine_correct += s.engine_correct;
		total.tp += s.tp;
		total.fp += s.fp;
		total.fn += s.fn;
		vdiff_free(&v);
	}
	printf("| all | | %zu/%zu (R %.2f) | %zu/%zu (P %.2f) | %.2f | %.2f |\n",
	       total.labels_found, total.label_spans, ratio(total.labels_found, total.label_spans),
	       total.engine_correct, total.engine_spans,
	       ratio(total.engine_correct, total.engine_spans),
	       ratio(total.tp, total.tp + total.fp), ratio(total.tp, total.tp + total.fn));
	fflush(stdout);

	assert_true(ratio(total.labels_found, total.label_spans) >= SPAN_RECALL_MIN);
	assert_true(ratio(total.engine_correct, total.engine_spans) >= SPAN_PRECISION_MIN);
	assert_true(ratio(total.tp, total.tp + total.fn) >= WORD_RECALL_MIN);
	assert_true(ratio(total.tp, total.tp + total.fp) >= WORD_PRECISION_MIN);
}

/*
 * A worked example of the field report: between two versions of a record,
 * words that must come out released (each occurrence of `released`,
 * searched from `anchor`), and text that must not come out released or
 * withheld (OCR dropouts, form labels, junk).
 */
struct example {
	const char *old_file, *new_file;
	const char *anchor, *released; /* NULL: nothing to find */
	const char *not_released[4];
	const char *not_withheld[4];
};

static const struct example examples[] = {
	/* Stockholm, missing mid-line in 2018: "Acting Chief of Station, : 6 March". */
	{ "2018/104-10001-10034.md",
	  "2022/104-10001-10034.md",
	  "Acting Chief of Station",
	  "Stockholm",
	  { "TTSarRTeH", NULL },
	  { NULL } },
	/* One-word releases: "2. [Friberg] gave me", "sent to [Helsinki]". */
	{ "2018/104-10004-10156.md",
	  "2022/104-10004-10156.md",
	  "2.",
	  "Friberg",
	  { NULL },
	  { NULL } },
	{ "2018/104-10004-10156.md",
	  "2022/104-10004-10156.md",
	  "cable sent to",
	  "Helsinki",
	  { NULL },
	  { NULL } },
	/* "interest in| will be obvious" -> "interest in KOSTIKOV will be obvious". */
	{ "2018/104-10012-10024.md",
	  "2022/104-10012-10024.md",
	  "interest in",
	  "KOSTIKOV",
	  { NULL },
	  { "SEO RET", NULL } },
	/* "[HELS] 2556" and "heurs of the [Soviet] consulate"; "inform:tion" is OCR. */
	{ "2018/104-10004-10097.md",
	  "2022/104-10004-10097.md",
	  NULL,
	  "HELS",
	  { NULL },
	  { "inform:tion", NULL } },
	{ "2018/104-10004-10097.md",
	  "2022/104-10004-10097.md",
	  "heurs of the",
	  "Soviet",
	  { NULL },
	  { NULL } },
	/* Letterhead lines the 2022 OCR dropped are not re-redactions. */
	{ "2018/104-10003-10119.md",
	  "2022/104-10003-10119.md",
	  NULL,
	  NULL,
	  { "THE CIA HAS NO OBJECTION", NULL },
	  { "HALE BOGGS", "McCLOY", NULL } },
	/* A date line the 2022 OCR dropped. */
	{ "2018/104-10012-10070.md",
	  "2022/104-10012-10070.md",
	  NULL,
	  NULL,
	  { NULL },
	  { "October 1972", NULL } },
	/* Form labels: "TYEERNAL + ONLY", "PREVIOUS EDITIONS". */
	{ "2018/104-10003-10041.md",
	  "2022/104-10003-10041.md",
	  NULL,
	  NULL,
	  { "ONLY", "EDITIONS", NULL },
	  { NULL } },
	/* 2022 -> 2025: "was U.S. consular official" only. */
	{ "2022/104-10004-10156.md",
	  "2025/0318/104-10004-10156.md",
	  "Friberg",
	  "consular",
	  { "sterito", NULL },
	  { NULL } },
};

/* Is [at, at + len) of the side (new: the newer text) inside a span of class cls? */
static int classed(const declass_wdiff *d, declass_span_class cls, int new_side, size_t at,
                   size_t len)
{
	size_t i;

	for (i = 0; i < d->nspans; i++) {
		const declass_span *sp = &d->spans[i];
		size_t a = new_side ? sp->new_start : sp->old_start;
		size_t b = new_side ? sp->new_end : sp->old_end;

		if (sp->cls == cls && a < at + len && at < b)
			return 1;
	}
	return 0;
}

static void test_text_real__worked_examples(void **state)
{
	declass_text_opts opts = DECLASS_TEXT_OPTS_INIT;
	const char *at, *old_text, *new_text;
	struct vdiff v;
	size_t i, k;
	declass_wdiff *d;

	(void)state;
	opts.lexicon = lexicon;
	for (i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
		const struct example *e = &examples[i];

		if (vdiff_load(&v, e->old_file, e->new_file, NULL, &opts) < 0)
			skip();
		old_text = v.old_text;
		new_text = v.new_text;
		d = v.d;
		if (e->released) {
			at = e->anchor ? strstr(new_text, e->anchor) : new_text;
			assert_non_null(at);
			at = strstr(at, e->released);
			assert_non_null(at);
			if (!classed(d, DECLASS_SPAN_RELEASED, 1, (size_t)(at - new_text),
			             strlen(e->released)))
				fail_msg("%s -> %s: '%s' (after '%s') not released", e->old_file,
				         e->new_file, e->released, e->anchor ? e->anchor : "");
		}
		for (k = 0; k < 4 && e->not_released[k]; k++)
			for (at = new_text; (at = strstr(at, e->not_released[k])); at++)
				if (classed(d, DECLASS_SPAN_RELEASED, 1, (size_t)(at - new_text),
				            strlen(e->not_released[k])))
					fail_msg("%s -> %s: '%s' called released", e->old_file,
					         e->new_file, e->not_released[k]);
		for (k = 0; k < 4 && e->not_withheld[k]; k++)
			for (at = old_text; (at = strstr(at, e->not_withheld[k])); at++)
				if (classed(d, DECLASS_SPAN_WITHHELD, 0, (size_t)(at - old_text),
				            strlen(e->not_withheld[k])))
					fail_msg("%s -> %s: '%s' called withheld", e->old_file,
					         e->new_file, e->not_withheld[k]);
		vdiff_free(&v);
	}
}

/*
 * The example the issue names: in 104-10004-10143, "Mr. Robert Fulton
 * (CIA)" comes out released, in the 2022 version as the archive holds it
 * (two copies of the memo, one a poor scan), and most of the rest not.
 */
static void test_text_real__fulton(void **state)
{
	declass_text_opts opts = DECLASS_TEXT_OPTS_INIT;
	size_t i, all = 0;
	const char *name;
	struct vdiff v;

	(void)state;
	opts.lexicon = lexicon;
	if (vdiff_load(&v, "2018/104-10004-10143.md", "2022/104-10004-10143[c00546914].md",
	               "2022/104-10004-10143[c06932208].md", &opts) < 0)
		skip();
	name = strstr(v.new_text, "Mr. Robert Fulton");
	assert_non_null(name);
	assert_true(classed(v.d, DECLASS_SPAN_RELEASED, 1, (size_t)(name - v.new_text) + 11, 6));
	for (i = 0; i < DECLASS_SPAN__COUNT; i++)
		all += v.d->totals[i].new_words;
	/* Released: at most a quarter of the words. */
	assert_true((all - v.d->totals[DECLASS_SPAN_RELEASED].new_words) * 4 >= all * 3);
	vdiff_free(&v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_real__fulton),
		cmocka_unit_test(test_text_real__worked_examples),
		cmocka_unit_test(test_text_real__released_precision_recall),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
