/*
 * The tokeniser shared by the word diff, blame and phrase search.
 *
 * A token is a run of non-space text, split further at brackets, slashes,
 * commas, colons and similar punctuation that OCR glues to words ("ists./(
 * manifests"), so the same word gets the same token whatever the engine
 * did with the spaces around it.  Its key is the text with punctuation
 * dropped and, in FOLD mode, case, accents and common OCR confusions
 * folded (i/l/1/I, o/0, rn/m, vv/w, ligatures).  A word broken with a
 * hyphen at a line end ("requir-\ning") is one token.  Redaction markers
 * and boilerplate found by the pattern set are one token each, whatever
 * spaces they contain.  Tokens with no letters or digits at all are not
 * tokens: they are treated like whitespace.
 */
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

uint32_t dc_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

/*
 * Decode one code point at s[0..len); *n gets its length.  Invalid bytes
 * decode as themselves with length 1 and code point 0xFFFD's stand-in,
 * U+FFFF, which the classifier treats as punctuation.
 */
static uint32_t decode(const unsigned char *s, size_t len, size_t *n)
{
	uint32_t c = s[0];

	*n = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF && len >= 2 && (s[1] & 0xC0) == 0x80) {
		*n = 2;
		return ((c & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if (c >= 0xE0 && c <= 0xEF && len >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		uint32_t cp = ((c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
			*n = 3;
			return cp;
		}
		return 0xFFFF;
	}
	if (c >= 0xF0 && c <= 0xF4 && len >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
	    (s[3] & 0xC0) == 0x80) {
		uint32_t cp = ((c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
		              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		if (cp >= 0x10000 && cp <= 0x10FFFF) {
			*n = 4;
			return cp;
		}
	}
	return 0xFFFF;
}

static int encode(dc_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return dc_buf_add(b, u, n);
}

/* Whitespace, including NBSP and the Unicode spaces OCR engines emit. */
static int is_space_cp(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0 || c == 0xA0 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000 ||
	       c == 0xFEFF;
}

/* Punctuation that splits a token ("(CIA)", "C/S", "agreed:that"). */
static int is_split_cp(uint32_t c)
{
	switch (c) {
	case ',':
	case ';':
	case ':':
	case '/':
	case '\\':
	case '(':
	case ')':
	case '[':
	case ']':
	case '{':
	case '}':
	case '"':
	case '|':
	case '=':
	case '*':
	case '!':
	case '?':
	case '<':
	case '>':
	case '_':
	case '+':
	case '~':
	case '^':
	case '#':
	case '@':
	case '&':
	case '%':
	case 0xAB:
	case 0xBB:
	case 0x201C:
	case 0x201D:
	case 0x201E:
	case 0x2022:
	case 0x2026:
	case 0x2014:
		return 1;
	}
	return 0;
}

static int is_hyphen_cp(uint32_t c)
{
	return c == '-' || c == 0xAC || c == 0xAD || c == 0x2010 || c == 0x2011;
}

static int is_lower_cp(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7) ||
	       (c >= 0x430 && c <= 0x45F);
}

/* Latin-1 Supplement letters U+00C0..U+00FF without their accents. */
static const char latin1_base[64] =
        "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYPsaaaaaaaceeeeiiiidnooooo*ouuuuypy";
/* Latin Extended-A U+0100..U+017F without their accents. */
static const char latin_ext_a_base[128] =
        "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLl"
        "NnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

enum cp_class { CP_PUNCT, CP_LETTER, CP_DIGIT };

static enum cp_class classify(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return CP_LETTER;
	if (c >= '0' && c <= '9')
		return CP_DIGIT;
	if (c < 0xC0)
		return CP_PUNCT; /* ASCII punctuation, Latin-1 symbols */
	if (c == 0xD7 || c == 0xF7)
		return CP_PUNCT;
	if (c >= 0x300 && c <= 0x36F)
		return CP_PUNCT; /* combining accents: folded away */
	if (c >= 0x2000 && c <= 0x2BFF)
		return CP_PUNCT; /* punctuation, symbols, arrows, boxes, blocks */
	if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFE00 && c <= 0xFE0F) || c >= 0xFFF0 ||
	    c == 0xFEFF || (c >= 0xE000 && c <= 0xF8FF))
		return CP_PUNCT;
	return CP_LETTER; /* every other script's letters */
}

static int append_ascii_folded(dc_buf *key, char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		ch = (char)(ch - 'A' + 'a');
	/* The OCR confusions that survive every engine: I/l/1, O/0. */
	if (ch == 'i' || ch == '1')
		ch = 'l';
	else if (ch == '0')
		ch = 'o';
	return dc_buf_addch(key, ch);
}

/* Append the folded form of code point c (a letter or digit) to key. */
static int append_folded(dc_buf *key, uint32_t c)
{
	if (c < 0x80)
		return append_ascii_folded(key, (char)c);
	if (c >= 0xC0 && c <= 0xFF) {
		if (c == 0xDF)
			return dc_buf_adds(key, "ss");
		if (c == 0xC6 || c == 0xE6)
			return dc_buf_adds(key, "ae");
		if (c == 0xDE || c == 0xFE)
			return dc_buf_adds(key, "th");
		return append_ascii_folded(key, latin1_base[c - 0xC0]);
	}
	if (c >= 0x100 && c <= 0x17F)
		return append_ascii_folded(key, latin_ext_a_base[c - 0x100]);
	if (c >= 0xFB00 && c <= 0xFB06) {
		static const char *const lig[] = { "ff", "fl", "fl", "ffl", "ffl", "st", "st" };
		/* "fi" folds to "fl" like every other i. */
		return dc_buf_adds(key, lig[c - 0xFB00]);
	}
	if (c >= 0x410 && c <= 0x42F)
		c += 0x20;
	else if (c >= 0x400 && c <= 0x40F)
		c += 0x50;
	else if (c >= 0x391 && c <= 0x3A9)
		c += 0x20;
	return encode(key, c);
}

/* rn -> m and vv -> w, in place; returns the new length. */
static size_t fold_digraphs(char *k, size_t len)
{
	size_t i, j;

	for (i = 0, j = 0; i < len; i++) {
		if (i + 1 < len && k[i] == 'r' && k[i + 1] == 'n') {
			k[j++] = 'm';
			i++;
		} else if (i + 1 < len && k[i] == 'v' && k[i + 1] == 'v') {
			k[j++] = 'w';
			i++;
		} else {
			k[j++] = k[i];
		}
	}
	return j;
}

static const char *const stop_words[] = {
	"about", "after",  "all",   "also",  "and",  "any",   "are",   "been", "but",   "can",
	"for",   "from",   "had",   "has",   "have", "her",   "him",   "his",  "its",   "may",
	"not",   "one",    "our",   "out",   "she",  "such",  "than",  "that", "the",   "their",
	"them",  "then",   "there", "these", "they", "this",  "those", "was",  "were",  "what",
	"when",  "which",  "who",   "will",  "with", "would", "you",   "into", "other", "upon",
	"being", "should", "could", "did",   "does", "per",   "via",   NULL
};

/* Word features of a key: letters, vowels, stop word. */
static uint8_t token_flags(const char *plain, size_t plain_len, size_t letters, size_t chars,
                           int vowel)
{
	uint8_t f = 0;
	size_t i;

	if (letters < 2 || letters * 2 < chars)
		f |= DC_TOK_JUNK;
	if (letters >= 3 && vowel && letters * 4 >= chars * 3) {
		f |= DC_TOK_CONTENT;
		if (plain_len <= 6) {
			for (i = 0; stop_words[i]; i++)
				if (strlen(stop_words[i]) == plain_len &&
				    !memcmp(stop_words[i], plain, plain_len)) {
					f &= (uint8_t)~DC_TOK_CONTENT;
					break;
				}
		}
	}
	return f;
}

static int push_token(dc_tokens *t, const dc_token *tok)
{
	dc_token *v;
	size_t alloc;

	if (t->n == t->alloc) {
		alloc = t->alloc ? t->alloc * 2 : 256;
		if (!(v = realloc(t->v, alloc * sizeof(*v))))
			return dc_error_oom();
		t->v = v;
		t->alloc = alloc;
	}
	t->v[t->n++] = *tok;
	return 0;
}

struct piece_state {
	dc_tokens *t;
	unsigned int mode;
	int joining; /* the last token continues into this piece */
};

/*
 * Add the piece text[s..e) as a token, or append it to the previous token
 * if that one ended in a hyphen at a line break.
 */
static int add_piece(struct piece_state *ps, const char *text, size_t s, size_t e,
                     int hyphen_join_next)
{
	dc_tokens *t = ps->t;
	dc_buf *keys = &t->keys;
	const unsigned char *u = (const unsigned char *)text;
	size_t pos, n, key_start, letters = 0, chars = 0, digits = 0, plain_len = 0;
	char plain[8];
	int vowel = 0, error;
	uint32_t c;
	enum cp_class cls;
	dc_token tok, *prev;

	if (ps->joining && t->n > 0) {
		/* Reopen the previous key: drop its NUL and go on appending. */
		prev = &t->v[t->n - 1];
		key_start = prev->key;
		dc_buf_truncate(keys, prev->key + prev->key_len);
	} else {
		prev = NULL;
		key_start = keys->len;
	}

	for (pos = s; pos < e; pos += n) {
		c = decode(u + pos, e - pos, &n);
		cls = classify(c);
		if (cls == CP_PUNCT)
			continue;
		chars++;
		digits += c >= '0' && c <= '9';
		if (cls == CP_LETTER) {
			letters++;
			if (c < 0x80 ? strchr("aeiouyAEIOUY", (int)c) != NULL : 1)
				vowel = 1;
		}
		if (c < 0x80 && plain_len < sizeof(plain))
			plain[plain_len++] = (char)(c | (cls == CP_LETTER ? 0x20 : 0));
		else
			plain_len = sizeof(plain); /* not a stop word */
		if (ps->mode & DC_TOKENIZE_FOLD)
			error = append_folded(keys, c);
		else
			error = dc_buf_add(keys, text + pos, n);
		if (error < 0)
			return error;
	}
	if (!chars && !prev) {
		ps->joining = 0;
		return 0; /* punctuation only: like whitespace */
	}

	if (ps->mode & DC_TOKENIZE_FOLD)
		dc_buf_truncate(keys, key_start + fold_digraphs(keys->ptr + key_start,
		                                                keys->len - key_start));
	if (keys->len - key_start > UINT32_MAX)
		return dc_error_set(DECLASS_EINPUT, "token longer than 4 GiB");
	if (prev) {
		prev->end = e;
		prev->key_len = (uint32_t)(keys->len - key_start);
		prev->hash = dc_hash(keys->ptr + key_start, prev->key_len);
		/* A word long enough to be broken at a line end is content. */
		prev->flags = DC_TOK_CONTENT;
	} else {
		memset(&tok, 0, sizeof(tok));
		tok.start = s;
		tok.end = e;
		tok.key = key_start;
		tok.key_len = (uint32_t)(keys->len - key_start);
		tok.hash = dc_hash(keys->ptr + key_start, tok.key_len);
		tok.kind = DC_TOK_WORD;
		tok.flags = token_flags(plain, plain_len, letters, chars, vowel);
		if (digits >= 2 && digits == chars)
			tok.flags |= DC_TOK_NUMBER;
		if ((error = push_token(t, &tok)) < 0)
			return error;
	}
	if ((error = dc_buf_addch(keys, '\0')) < 0)
		return error;
	ps->joining = hyphen_join_next;
	return 0;
}

/*
 * Does the chunk text[s..e) end in a hyphen that breaks a word across a
 * line, i.e. a hyphen after a letter, a newline before the next chunk
 * and a lower-case letter starting it?  `next` is where that chunk starts.
 */
static int hyphen_break(const char *text, size_t len, size_t s, size_t e, size_t next)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t back, n, i;
	uint32_t c;
	int newline = 0;

	if (next >= len)
		return 0;
	/* Step back one code point from e. */
	for (back = e - 1; back > s && (u[back] & 0xC0) == 0x80; back--)
		;
	if (back <= s)
		return 0;
	c = decode(u + back, e - back, &n);
	if (!is_hyphen_cp(c))
		return 0;
	c = u[back - 1];
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80))
		return 0; /* "-" after a digit or punctuation: keep apart */
	for (i = e; i < next; i++)
		if (text[i] == '\n')
			newline = 1;
	if (!newline)
		return 0;
	return is_lower_cp(decode(u + next, len - next, &n));
}

/* Split text[0..len) into word tokens (no markers). */
static int split_words(dc_tokens *t, const char *text, size_t len, unsigned int mode)
{
	const unsigned char *u = (const unsigned char *)text;
	struct piece_state ps = { t, mode, 0 };
	size_t pos = 0, n, cs, ce, ps_start, next;
	uint32_t c;
	int error, join;

	while (pos < len) {
		c = decode(u + pos, len - pos, &n);
		if (is_space_cp(c)) {
			pos += n;
			continue;
		}
		/* A chunk: up to the next space. */
		cs = pos;
		while (pos < len) {
			c = decode(u + pos, len - pos, &n);
			if (is_space_cp(c))
				break;
			pos += n;
		}
		ce = pos;
		for (next = ce; next < len; next += n) {
			c = decode(u + next, len - next, &n);
			if (!is_space_cp(c))
				break;
		}
		join = hyphen_break(text, len, cs, ce, next);

		/* Pieces: split at gluing punctuation. */
		ps_start = cs;
		for (pos = cs; pos < ce; pos += n) {
			c = decode(u + pos, ce - pos, &n);
			/* "agreed.that" is two words, "F.B.I." one. */
			if (is_split_cp(c) ||
			    (c == '.' && pos >= ps_start + 2 && pos + 1 < ce &&
			     ((u[pos + 1] | 0x20) >= 'a' && (u[pos + 1] | 0x20) <= 'z') &&
			     u[pos - 1] != '.' && (u[pos - 2] | 0x20) >= 'a' &&
			     (u[pos - 2] | 0x20) <= 'z')) {
				if (pos > ps_start &&
				    (error = add_piece(&ps, text, ps_start, pos, 0)) < 0)
					return error;
				ps.joining = 0;
				ps_start = pos + n;
			}
		}
		if (ce > ps_start) {
			if ((error = add_piece(&ps, text, ps_start, ce, join)) < 0)
				return error;
		} else {
			ps.joining = 0;
		}
		pos = ce;
	}
	return 0;
}

void dc_tokens_free(dc_tokens *t)
{
	if (!t)
		return;
	free(t->v);
	dc_buf_free(&t->keys);
	t->v = NULL;
	t->n = t->alloc = 0;
}

/*
 * Replace the word tokens overlapping each mark by one token of the mark's
 * kind spanning both.  Marker keys are all the same ("#marker": no word
 * key has a '#'), so a marker kept in place diffs as unchanged.
 */
static int apply_marks(dc_tokens *t, const dc_mark *marks, size_t nmarks)
{
	dc_token *out = NULL, tok;
	size_t i = 0, k, n = 0, key;
	int error = 0;

	if (!nmarks)
		return 0;
	if (!(out = malloc((t->n + nmarks) * sizeof(*out))))
		return dc_error_oom();
	key = t->keys.len;
	if ((error = dc_buf_add(&t->keys, "#marker", 8)) < 0)
		goto done;
	for (k = 0; k < nmarks; k++) {
		while (i < t->n && t->v[i].end <= marks[k].start)
			out[n++] = t->v[i++];
		memset(&tok, 0, sizeof(tok));
		tok.start = marks[k].start;
		tok.end = marks[k].end;
		/*
		 * A token stretched past this mark may swallow the next mark,
		 * which may stretch it over more words: until neither grows.
		 */
		for (;;) {
			while (i < t->n && t->v[i].start < tok.end) {
				if (t->v[i].start < tok.start)
					tok.start = t->v[i].start;
				if (t->v[i].end > tok.end)
					tok.end = t->v[i].end;
				i++;
			}
			if (k + 1 >= nmarks || marks[k + 1].start >= tok.end)
				break;
			k++;
			if (marks[k].end > tok.end)
				tok.end = marks[k].end;
		}
		tok.kind = marks[k].kind;
		tok.key = key;
		tok.key_len = 7;
		tok.hash = dc_hash("#marker", 7);
		tok.flags = DC_TOK_JUNK;
		out[n++] = tok;
	}
	while (i < t->n)
		out[n++] = t->v[i++];
	free(t->v);
	t->v = out;
	t->n = n;
	t->alloc = t->n + nmarks;
	out = NULL;
done:
	free(out);
	return error;
}

/* Each token's line: one pass over the text, the tokens being in order. */
static void number_lines(dc_tokens *t)
{
	const char *p = t->text, *at, *nl;
	uint32_t line = 0;
	size_t i;

	for (i = 0; i < t->n; i++) {
		at = t->text + t->v[i].start;
		while (p < at && (nl = memchr(p, '\n', (size_t)(at - p)))) {
			line++;
			p = nl + 1;
		}
		p = at;
		t->v[i].line = line;
	}
}

int dc_tokenize(dc_tokens *out, const char *text, size_t len, const declass_markers *m,
                unsigned int mode)
{
	dc_mark *marks = NULL;
	size_t nmarks = 0;
	int error;

	memset(out, 0, sizeof(*out));
	out->keys = (dc_buf)DC_BUF_INIT;
	if (!text)
		len = 0;
	out->text = text;
	out->len = len;
	if ((error = split_words(out, text, len, mode)) < 0)
		goto done;
	if (!(mode & DC_TOKENIZE_NOMARKERS) && len) {
		if ((error = dc_markers_scan(&marks, &nmarks, m, text, len)) < 0)
			goto done;
		if ((error = apply_marks(out, marks, nmarks)) < 0)
			goto done;
	}
	number_lines(out);
done:
	free(marks);
	if (error < 0)
		dc_tokens_free(out);
	return error;
}

int dc_keys_near(const char *a, size_t alen, const char *b, size_t blen, double tolerance)
{
	size_t longer = alen > blen ? alen : blen, k, i, j, diag, up, best;
	size_t row[65];

	if (alen == blen && !memcmp(a, b, alen))
		return 1;
	if (longer > 64 || tolerance <= 0)
		return 0;
	k = (size_t)(tolerance * (double)longer + 1e-9);
	if (!k || (alen > blen ? alen - blen : blen - alen) > k)
		return 0;

	/* Levenshtein, one row, with an early exit once a row exceeds k. */
	for (j = 0; j <= blen; j++)
		row[j] = j;
	for (i = 1; i <= alen; i++) {
		diag = row[0];
		row[0] = i;
		best = row[0];
		for (j = 1; j <= blen; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
			if (row[j] < best)
				best = row[j];
		}
		if (best > k)
			return 0;
	}
	return row[blen] <= k;
}
