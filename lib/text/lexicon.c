/*
 * The lexicon: which tokens are real words.  Two sources, both compared
 * by the same folded key the word diff uses (tokenize.c):
 *
 *  - an English word list, the one Debian ships for the job (wamerican:
 *    /usr/share/dict/words), about 100,000 words;
 *  - the collection's own vocabulary: every key found in the texts of at
 *    least two records of the archive (names, cryptonyms, station codes
 *    such as KOSTIKOV, LIENVOY, HELS).  It is derived data: built from the
 *    archive's texts, saved beside it, rebuilt when the archive moves on.
 *
 * Keys are held as 64-bit FNV-1a hashes, never as strings: a collision
 * between two keys is about one in 10^7 over the whole collection and
 * only makes one junk token pass for a word.  Building the vocabulary
 * counts, per key, the records it occurs in; the millions of keys that
 * occur once (mostly OCR junk) are only marked in a Bloom filter, so that
 * memory follows the keys of two records or more.  Whole lines are
 * counted the same way: a line found in many records (a form label, a
 * letterhead, "SIGNAL CENTER USE ONLY") is page furniture, not news.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "tokenize.h"

#define BLOOM_BITS   (1u << 26) /* 8 MB: 0.2 % false positives at 4 M keys */
#define BLOOM_HASHES 4
#define FILE_MAGIC   "DCVOCAB3"

/* Sorted hashes with the number of records each was found in. */
struct table {
	uint64_t *key;
	uint32_t *df;
	size_t n;
};

struct declass_lexicon {
	uint64_t *words; /* open addressing, 0 = empty */
	size_t nwords, words_cap;
	struct table words_df; /* keys found in two records or more */
	struct table lines_df; /* lines (their keys joined) found in two or more */
	uint64_t records;      /* records the vocabulary was counted over */
	int have_words;
};

/* Exact counts of the keys met in two records or more. */
struct counts {
	uint64_t *key; /* 0 = empty */
	uint32_t *df;
	size_t n, cap;
};

struct declass_vocab {
	pthread_mutex_t lock;
	uint64_t *bloom[2]; /* words, lines */
	struct counts c[2];
	uint64_t records;
};

uint64_t dc_key_hash64(const char *key, size_t len)
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

int dc_key_hash_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static size_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (size_t)h;
}

static int set_grow(uint64_t **v, size_t *cap, size_t n)
{
	uint64_t *old = *v, *nv;
	size_t ocap = *cap, ncap = ocap ? ocap * 2 : 1024, i, j;

	if (n * 2 < ocap)
		return 0;
	if (!(nv = calloc(ncap, sizeof(*nv))))
		return dc_error_oom();
	for (i = 0; i < ocap; i++) {
		if (!old[i])
			continue;
		for (j = mix(old[i]) & (ncap - 1); nv[j]; j = (j + 1) & (ncap - 1))
			;
		nv[j] = old[i];
	}
	free(old);
	*v = nv;
	*cap = ncap;
	return 0;
}

static int set_add(uint64_t **v, size_t *cap, size_t *n, uint64_t h)
{
	size_t j;
	int error;

	if ((error = set_grow(v, cap, *n + 1)) < 0)
		return error;
	for (j = mix(h) & (*cap - 1); (*v)[j]; j = (j + 1) & (*cap - 1))
		if ((*v)[j] == h)
			return 0;
	(*v)[j] = h;
	(*n)++;
	return 1;
}

static int set_has(const uint64_t *v, size_t cap, uint64_t h)
{
	size_t j;

	if (!cap)
		return 0;
	for (j = mix(h) & (cap - 1); v[j]; j = (j + 1) & (cap - 1))
		if (v[j] == h)
			return 1;
	return 0;
}

int declass_lexicon_new(declass_lexicon **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return dc_error_oom();
	return 0;
}

static void table_free(struct table *t)
{
	free(t->key);
	free(t->df);
	memset(t, 0, sizeof(*t));
}

void declass_lexicon_free(declass_lexicon *lex)
{
	if (!lex)
		return;
	free(lex->words);
	table_free(&lex->words_df);
	table_free(&lex->lines_df);
	free(lex);
}

const char *declass_lexicon_default_words(void)
{
	const char *env = getenv("DECLASS_WORDS");

	return env && *env ? env : "/usr/share/dict/words";
}

/* Add every key of text[0..len) (a word list, or any text) to the word set. */
static int add_words(declass_lexicon *lex, const char *text, size_t len)
{
	dc_tokens t = DC_TOKENS_INIT;
	size_t i;
	int error;

	if ((error = dc_tokenize(&t, text, len, NULL, DC_TOKENIZE_FOLD | DC_TOKENIZE_NOMARKERS)) <
	    0)
		return error;
	for (i = 0; i < t.n; i++)
		if ((error = set_add(&lex->words, &lex->words_cap, &lex->nwords,
		                     dc_key_hash64(dc_token_key(&t, i), t.v[i].key_len))) < 0)
			break;
	dc_tokens_free(&t);
	return error < 0 ? error : 0;
}

int declass_lexicon_add_words(declass_lexicon *lex, const char *text, size_t len)
{
	int error = add_words(lex, text, len);

	if (!error)
		lex->have_words = 1;
	return error;
}

int declass_lexicon_load_words(declass_lexicon *lex, const char *path)
{
	dc_buf b = DC_BUF_INIT;
	int error;

	if ((error = dc_buf_read_file(&b, path, 64u << 20, "word list")) < 0)
		return error;
	error = declass_lexicon_add_words(lex, b.ptr ? b.ptr : "", b.len);
	dc_buf_free(&b);
	return error;
}

int declass_lexicon_has_words(const declass_lexicon *lex)
{
	return lex && lex->have_words;
}

size_t declass_lexicon_vocab_size(const declass_lexicon *lex)
{
	return lex ? lex->words_df.n : 0;
}

/* Records of the collection holding h (0 if under two). */
static uint32_t table_df(const struct table *t, uint64_t h)
{
	size_t lo = 0, hi = t->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->key[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->key[lo] == h ? t->df[lo] : 0;
}

int dc_lexicon_known(const declass_lexicon *lex, const char *key, size_t len)
{
	uint64_t h;

	if (!lex)
		return 0;
	h = dc_key_hash64(key, len);
	/*
	 * OCR junk recurs too ("ee", "lll", "llA"): a key under four letters
	 * must be an English word; the collection vouches for longer ones.
	 */
	return set_has(lex->words, lex->words_cap, h) ||
	       (len >= 4 && table_df(&lex->words_df, h) >= 2);
}

uint32_t dc_lexicon_line_df(const declass_lexicon *lex, uint64_t line_hash)
{
	return lex ? table_df(&lex->lines_df, line_hash) : 0;
}

uint64_t dc_line_hash(const dc_tokens *t, size_t from, size_t to, size_t *key_bytes)
{
	uint64_t h = 14695981039346656037ull;
	size_t i, j, n = 0;
	const char *k;

	for (i = from; i < to; i++) {
		k = dc_token_key(t, i);
		if (i > from) {
			h ^= ' ';
			h *= 1099511628211ull;
		}
		for (j = 0; j < t->v[i].key_len; j++) {
			h ^= (unsigned char)k[j];
			h *= 1099511628211ull;
		}
		n += t->v[i].key_len;
	}
	if (key_bytes)
		*key_bytes = n;
	return h ? h : 1;
}

/* Building the collection vocabulary. */

int declass_vocab_new(declass_vocab **out)
{
	declass_vocab *v;

	if (!(v = calloc(1, sizeof(*v))) || !(v->bloom[0] = calloc(BLOOM_BITS / 64, 8)) ||
	    !(v->bloom[1] = calloc(BLOOM_BITS / 64, 8))) {
		if (v)
			free(v->bloom[0]);
		free(v);
		return dc_error_oom();
	}
	pthread_mutex_init(&v->lock, NULL);
	*out = v;
	return 0;
}

void declass_vocab_free(declass_vocab *v)
{
	if (!v)
		return;
	pthread_mutex_destroy(&v->lock);
	for (int i = 0; i < 2; i++) {
		free(v->bloom[i]);
		free(v->c[i].key);
		free(v->c[i].df);
	}
	free(v);
}

/* 1 if h was (probably) marked already; marks it. */
static int bloom_test_set(uint64_t *bloom, uint64_t h)
{
	uint64_t a = h, b = (h >> 32) | (h << 32) | 1;
	int i, seen = 1;

	for (i = 0; i < BLOOM_HASHES; i++) {
		size_t bit = (size_t)(mix(a + (uint64_t)i * b) & (BLOOM_BITS - 1));
		uint64_t m = 1ull << (bit & 63);

		if (!(bloom[bit >> 6] & m)) {
			seen = 0;
			bloom[bit >> 6] |= m;
		}
	}
	return seen;
}

static int counts_bump(struct counts *c, uint64_t h)
{
	size_t j, i, ncap;

	if ((c->n + 1) * 2 > c->cap) {
		uint64_t *nk;
		uint32_t *nd;

		ncap = c->cap ? c->cap * 2 : 4096;
		if (!(nk = calloc(ncap, sizeof(*nk))) || !(nd = calloc(ncap, sizeof(*nd)))) {
			free(nk);
			return dc_error_oom();
		}
		for (i = 0; i < c->cap; i++) {
			if (!c->key[i])
				continue;
			for (j = mix(c->key[i]) & (ncap - 1); nk[j]; j = (j + 1) & (ncap - 1))
				;
			nk[j] = c->key[i];
			nd[j] = c->df[i];
		}
		free(c->key);
		free(c->df);
		c->key = nk;
		c->df = nd;
		c->cap = ncap;
	}
	for (j = mix(h) & (c->cap - 1); c->key[j]; j = (j + 1) & (c->cap - 1))
		if (c->key[j] == h) {
			if (c->df[j] < UINT32_MAX)
				c->df[j]++;
			return 0;
		}
	return -1; /* not counted yet */
}

static int counts_insert(struct counts *c, uint64_t h, uint32_t df)
{
	size_t j;

	/* counts_bump() has just made room. */
	for (j = mix(h) & (c->cap - 1); c->key[j]; j = (j + 1) & (c->cap - 1))
		;
	c->key[j] = h;
	c->df[j] = df;
	c->n++;
	return 0;
}

/* Lines shorter than this (in key bytes) say nothing: "1.", "SECRET". */
#define LINE_MIN_BYTES 4

int declass_vocab_add_record(declass_vocab *v, const char *const *texts, const size_t *lens,
                             size_t n)
{
	uint64_t *set[2] = { NULL, NULL };
	size_t cap[2] = { 0, 0 }, count[2] = { 0, 0 }, i, k, a, bytes;
	int error = 0, which;

	/* The record's distinct keys and lines, outside the lock. */
	for (i = 0; i < n && error >= 0; i++) {
		dc_tokens t = DC_TOKENS_INIT;

		if (!texts[i] || !lens[i])
			continue;
		if ((error = dc_tokenize(&t, texts[i], lens[i], NULL,
		                         DC_TOKENIZE_FOLD | DC_TOKENIZE_NOMARKERS)) < 0)
			break;
		for (k = 0; k < t.n && error >= 0; k++)
			error = set_add(&set[0], &cap[0], &count[0],
			                dc_key_hash64(dc_token_key(&t, k), t.v[k].key_len));
		for (a = 0; a < t.n && error >= 0; a = k) {
			uint64_t h;

			for (k = a; k < t.n && t.v[k].line == t.v[a].line; k++)
				;
			h = dc_line_hash(&t, a, k, &bytes);
			if (bytes >= LINE_MIN_BYTES)
				error = set_add(&set[1], &cap[1], &count[1], h);
		}
		dc_tokens_free(&t);
	}
	if (error < 0)
		goto done;
	error = 0;
	pthread_mutex_lock(&v->lock);
	v->records++;
	for (which = 0; which < 2; which++)
		for (i = 0; i < cap[which] && !error; i++) {
			uint64_t h = set[which][i];

			if (!h)
				continue;
			if ((error = counts_bump(&v->c[which], h)) == -1)
				error = bloom_test_set(v->bloom[which], h)
				                ? counts_insert(&v->c[which], h, 2)
				                : 0;
		}
	pthread_mutex_unlock(&v->lock);
done:
	free(set[0]);
	free(set[1]);
	return error;
}

/* The counts as a sorted table. */
static int table_from(struct table *t, const struct counts *c)
{
	size_t i, j, k = 0;

	table_free(t);
	if (!c->n)
		return 0;
	if (!(t->key = malloc(c->n * sizeof(*t->key))) ||
	    !(t->df = malloc(c->n * sizeof(*t->df)))) {
		table_free(t);
		return dc_error_oom();
	}
	for (i = 0; i < c->cap; i++)
		if (c->key[i])
			t->key[k++] = c->key[i];
	qsort(t->key, k, sizeof(*t->key), dc_key_hash_cmp);
	for (i = 0; i < k; i++) {
		for (j = mix(t->key[i]) & (c->cap - 1); c->key[j] != t->key[i];
		     j = (j + 1) & (c->cap - 1))
			;
		t->df[i] = c->df[j];
	}
	t->n = k;
	return 0;
}

int declass_vocab_finish(declass_vocab *v, declass_lexicon *lex)
{
	int error;

	if ((error = table_from(&lex->words_df, &v->c[0])) < 0 ||
	    (error = table_from(&lex->lines_df, &v->c[1])) < 0)
		return error;
	lex->records = v->records;
	return 0;
}

/* Saving and loading the vocabulary (derived data; format in docs/DIFF.md). */

static void put_u64(unsigned char *p, uint64_t x)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(x >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t x = 0;
	int i;

	for (i = 7; i >= 0; i--)
		x = (x << 8) | p[i];
	return x;
}

static int write_table(FILE *f, const struct table *t)
{
	unsigned char rec[12], head[8];
	size_t i;

	put_u64(head, t->n);
	if (fwrite(head, sizeof(head), 1, f) != 1)
		return 0;
	for (i = 0; i < t->n; i++) {
		put_u64(rec, t->key[i]);
		rec[8] = (unsigned char)t->df[i];
		rec[9] = (unsigned char)(t->df[i] >> 8);
		rec[10] = (unsigned char)(t->df[i] >> 16);
		rec[11] = (unsigned char)(t->df[i] >> 24);
		if (fwrite(rec, sizeof(rec), 1, f) != 1)
			return 0;
	}
	return 1;
}

int declass_lexicon_save_vocab(const declass_lexicon *lex, const char *path, const char *stamp)
{
	unsigned char head[8 + 8 + 8];
	size_t slen = strlen(stamp);
	FILE *f;
	int ok;

	if (!(f = fopen(path, "wb")))
		return dc_error_sys(DECLASS_ERROR, "cannot write '%s'", path);
	memcpy(head, FILE_MAGIC, 8);
	put_u64(head + 8, slen);
	put_u64(head + 16, lex->records);
	ok = fwrite(head, sizeof(head), 1, f) == 1 && fwrite(stamp, 1, slen, f) == slen &&
	     write_table(f, &lex->words_df) && write_table(f, &lex->lines_df);
	if (fclose(f) != 0)
		ok = 0;
	if (!ok)
		return dc_error_sys(DECLASS_ERROR, "cannot write '%s'", path);
	return 0;
}

static int read_table(FILE *f, struct table *t, const char *path)
{
	unsigned char head[8], rec[12];
	uint64_t n, i;

	table_free(t);
	if (fread(head, sizeof(head), 1, f) != 1 || (n = get_u64(head)) > (1ull << 32))
		return dc_error_set(DECLASS_ENOTFOUND, "vocabulary '%s' is truncated", path);
	if (!(t->key = malloc((n + 1) * sizeof(*t->key))) ||
	    !(t->df = malloc((n + 1) * sizeof(*t->df)))) {
		table_free(t);
		return dc_error_oom();
	}
	for (i = 0; i < n; i++) {
		if (fread(rec, sizeof(rec), 1, f) != 1 || (i && get_u64(rec) <= t->key[i - 1])) {
			table_free(t);
			return dc_error_set(DECLASS_ENOTFOUND, "vocabulary '%s' is damaged", path);
		}
		t->key[i] = get_u64(rec);
		t->df[i] = (uint32_t)rec[8] | (uint32_t)rec[9] << 8 | (uint32_t)rec[10] << 16 |
		           (uint32_t)rec[11] << 24;
	}
	t->n = n;
	return 0;
}

int declass_lexicon_load_vocab(declass_lexicon *lex, const char *path, const char *stamp)
{
	unsigned char head[24];
	char sbuf[128];
	uint64_t slen;
	FILE *f;
	int error = 0;

	if (!(f = fopen(path, "rb")))
		return dc_error_set(DECLASS_ENOTFOUND, "no vocabulary at '%s'", path);
	if (fread(head, sizeof(head), 1, f) != 1 || memcmp(head, FILE_MAGIC, 8) ||
	    (slen = get_u64(head + 8)) >= sizeof(sbuf) || fread(sbuf, 1, slen, f) != slen) {
		error = dc_error_set(DECLASS_ENOTFOUND, "'%s' is not a vocabulary", path);
		goto done;
	}
	sbuf[slen] = '\0';
	if (strcmp(sbuf, stamp)) {
		error = dc_error_set(DECLASS_ENOTFOUND, "vocabulary '%s' is out of date", path);
		goto done;
	}
	if ((error = read_table(f, &lex->words_df, path)) < 0 ||
	    (error = read_table(f, &lex->lines_df, path)) < 0)
		goto done;
	lex->records = get_u64(head + 16);
done:
	fclose(f);
	return error;
}
