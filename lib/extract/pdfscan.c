/*
 * The decoded size of a PDF's streams (see pdfscan.h).  The file is
 * mapped and read front to back for `N G obj << ... >> stream` headers;
 * each header's dictionary is parsed just enough to know the stream's
 * filters, whether it is an image, its declared size and its length.
 * Each stream is decoded through its filter chain (Flate, LZW, RunLength,
 * ASCIIHex, ASCII85: those that can make much from little, decoded as
 * poppler does) into a scratch buffer, counting bytes.
 *
 * Images do not count: poppler decodes an image only to render a page,
 * and no further than the samples its dictionary declares (width, height,
 * colours, bits); a scan's images add up to megabytes a page.  What an
 * image stream holds beyond its declared samples is not image, and counts
 * (a page's content stream labelled /Subtype /Image /Width 1 /Height 1
 * would otherwise pass unmeasured).  Images in an image codec (DCT,
 * JBIG2, CCITT, JPX), or whose size is not given directly, are left to
 * poppler.  A stream that is not an image and uses a filter the scan
 * cannot decode, or names its filters indirectly, cannot be measured and
 * counts as over the limit: no real PDF has one.
 */
#define _GNU_SOURCE 1 /* memmem */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pdfscan.h"
#include "util/buf.h"
#include "util/error.h"

#define MAX_FILTERS 8
#define MAX_DEPTH   32
#define STAGE_BUF   4096
#define LZW_CODES   4097

/* ---- reading the file's syntax ------------------------------------------ */

typedef struct cursor {
	const unsigned char *p, *end;
} cursor;

static int is_space(int c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static int is_delim(int c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
	       c == '}' || c == '/' || c == '%';
}

static void skip_space(cursor *c)
{
	while (c->p < c->end) {
		if (is_space(*c->p)) {
			c->p++;
		} else if (*c->p == '%') {
			while (c->p < c->end && *c->p != '\n' && *c->p != '\r')
				c->p++;
		} else {
			break;
		}
	}
}

/* A name after its '/', #xx escapes decoded, cut to len - 1 bytes. */
static void read_name(cursor *c, char *name, size_t len)
{
	size_t n = 0;

	c->p++;
	while (c->p < c->end && !is_space(*c->p) && !is_delim(*c->p)) {
		int ch = *c->p++;

		if (ch == '#' && c->end - c->p >= 2 && dc_hexval(c->p[0]) >= 0 &&
		    dc_hexval(c->p[1]) >= 0) {
			ch = dc_hexval(c->p[0]) * 16 + dc_hexval(c->p[1]);
			c->p += 2;
		}
		if (n + 1 < len)
			name[n++] = (char)ch;
	}
	name[n] = '\0';
}

/* What a stream's dictionary says about it (direct values only). */
typedef struct header {
	char filters[MAX_FILTERS][64];
	int nfilters;
	int filter_unknown;           /* a filter named indirectly, or too many */
	int image;                    /* /Subtype /Image, or /Width and /Height */
	long long length;             /* -1 if not a direct integer */
	long long width, height, bpc; /* -1 if not direct integers */
	int components;               /* of /ColorSpace: 1, 3, or 4 when unknown */
	int mask;                     /* /ImageMask true */
} header;

static int parse_object(cursor *c, int depth, header *h, const char *key);

/* A number or keyword (true, null, R...); *value gets an integer's value. */
static int read_token(cursor *c, long long *value, int *is_int)
{
	const unsigned char *s = c->p;
	long long v = 0;
	int digits = 1, sign = 0;

	while (c->p < c->end && !is_space(*c->p) && !is_delim(*c->p))
		c->p++;
	if (c->p == s)
		return -1;
	if (*s == '+' || *s == '-')
		sign = 1;
	for (const unsigned char *q = s + sign; q < c->p; q++) {
		if (*q < '0' || *q > '9' || v > (1LL << 40)) {
			digits = 0;
			break;
		}
		v = v * 10 + (*q - '0');
	}
	*is_int = digits && c->p > s + sign;
	*value = *s == '-' ? -v : v;
	return 0;
}

/* Past a string (literal, with nested parentheses and escapes). */
static int skip_string(cursor *c)
{
	int level = 0;

	while (c->p < c->end) {
		int ch = *c->p++;

		if (ch == '\\')
			c->p += c->p < c->end;
		else if (ch == '(')
			level++;
		else if (ch == ')' && --level == 0)
			return 0;
	}
	return -1;
}

/* A dictionary from its "<<"; records the keys of the stream's own (depth 1). */
static int parse_dict(cursor *c, int depth, header *h)
{
	char key[64];

	c->p += 2;
	for (;;) {
		skip_space(c);
		if (c->p >= c->end)
			return -1;
		if (c->end - c->p >= 2 && c->p[0] == '>' && c->p[1] == '>') {
			c->p += 2;
			return 0;
		}
		if (*c->p != '/') {
			long long v;
			int is_int;

			/* tolerate junk where a key should be */
			if (read_token(c, &v, &is_int) < 0)
				return -1;
			continue;
		}
		read_name(c, key, sizeof(key));
		skip_space(c);
		if (parse_object(c, depth, h, depth == 1 ? key : NULL) < 0)
			return -1;
	}
}

/* The value of `key` (a key of the stream's dictionary), or any object. */
static int parse_object(cursor *c, int depth, header *h, const char *key)
{
	const unsigned char *tok;
	char name[64];
	long long v, v2;
	int is_int;

	if (depth > MAX_DEPTH || c->p >= c->end)
		return -1;
	if (c->end - c->p >= 2 && c->p[0] == '<' && c->p[1] == '<')
		return parse_dict(c, depth + 1, h);
	switch (*c->p) {
	case '[': {
		int filters = key && !strcmp(key, "Filter");

		c->p++;
		for (;;) {
			skip_space(c);
			if (c->p >= c->end)
				return -1;
			if (*c->p == ']') {
				c->p++;
				return 0;
			}
			if (filters && *c->p == '/') {
				read_name(c, name, sizeof(name));
				if (h->nfilters < MAX_FILTERS)
					snprintf(h->filters[h->nfilters], sizeof(h->filters[0]),
					         "%s", name);
				else
					h->filter_unknown = 1;
				h->nfilters++;
				continue;
			}
			if (filters)
				h->filter_unknown = 1;
			if (parse_object(c, depth + 1, h, NULL) < 0)
				return -1;
		}
	}
	case '(':
		return skip_string(c);
	case '<':
		while (c->p < c->end && *c->p != '>')
			c->p++;
		c->p += c->p < c->end;
		return 0;
	case '/':
		read_name(c, name, sizeof(name));
		if (key && !strcmp(key, "Filter")) {
			snprintf(h->filters[0], sizeof(h->filters[0]), "%s", name);
			h->nfilters = 1;
		} else if (key && !strcmp(key, "Subtype") && !strcmp(name, "Image")) {
			h->image = 1;
		} else if (key && !strcmp(key, "ColorSpace")) {
			if (!strcmp(name, "DeviceGray") || !strcmp(name, "G") ||
			    !strcmp(name, "CalGray"))
				h->components = 1;
			else if (!strcmp(name, "DeviceRGB") || !strcmp(name, "RGB") ||
			         !strcmp(name, "CalRGB") || !strcmp(name, "Lab"))
				h->components = 3;
		}
		return 0;
	case ')':
	case ']':
	case '>':
	case '{':
	case '}':
		c->p++;
		return 0;
	}
	tok = c->p;
	if (read_token(c, &v, &is_int) < 0)
		return -1;
	if (key && !strcmp(key, "ImageMask") && c->p - tok == 4 && !memcmp(tok, "true", 4))
		h->mask = 1;
	if (is_int) {
		/* "N G R": a reference */
		cursor look = *c;

		skip_space(&look);
		if (look.p < look.end && read_token(&look, &v2, &is_int) == 0 && is_int) {
			skip_space(&look);
			if (look.p < look.end && *look.p == 'R' &&
			    (look.p + 1 == look.end || is_space(look.p[1]) ||
			     is_delim(look.p[1]))) {
				c->p = look.p + 1;
				if (key && !strcmp(key, "Filter"))
					h->filter_unknown = 1;
				return 0;
			}
		}
		if (key && !strcmp(key, "Length"))
			h->length = v;
		else if (key && !strcmp(key, "Width"))
			h->width = v;
		else if (key && !strcmp(key, "Height"))
			h->height = v;
		else if (key && !strcmp(key, "BitsPerComponent"))
			h->bpc = v;
	} else if (key && !strcmp(key, "Filter")) {
		h->filter_unknown = 1;
	}
	return 0;
}

/* ---- decoding ----------------------------------------------------------- */

typedef enum kind { RAW, FLATE, LZW, RLE, AHX, A85 } kind;

typedef struct stage stage;
struct stage {
	kind k;
	stage *src;
	int done;
	/* RAW */
	const unsigned char *p, *end;
	/* input taken from src, for the decoders */
	unsigned char in[STAGE_BUF];
	size_t in_pos, in_len;
	/* FLATE */
	z_stream z;
	int z_ready, z_header;
	/* LZW: each code's string is its prefix code plus one byte */
	struct {
		unsigned short prev, len;
		unsigned char c;
	} * table;
	unsigned int lzw_next, lzw_bits, lzw_acc, lzw_nacc;
	int lzw_prev, lzw_first;
	/* LZW and RunLength: output waiting for the caller */
	unsigned char pend[LZW_CODES];
	size_t pend_pos, pend_len;
	/* RunLength: bytes of a literal run still to copy */
	int rle_lit;
};

static size_t stage_read(stage *s, unsigned char *out, size_t n);

/* The next byte of the stage's input, or -1 at its end. */
static int next_in(stage *s)
{
	if (s->in_pos == s->in_len) {
		s->in_len = stage_read(s->src, s->in, sizeof(s->in));
		s->in_pos = 0;
		if (!s->in_len)
			return -1;
	}
	return s->in[s->in_pos++];
}

static size_t flate_read(stage *s, unsigned char *out, size_t n)
{
	int cmf, flg, rc;

	if (!s->z_header) {
		/* poppler checks the method and skips the two header bytes */
		s->z_header = 1;
		if ((cmf = next_in(s)) < 0 || (flg = next_in(s)) < 0 || (cmf & 0x0f) != 8 ||
		    inflateInit2(&s->z, -15) != Z_OK) {
			s->done = 1;
			return 0;
		}
		s->z_ready = 1;
	}
	s->z.next_out = out;
	s->z.avail_out = (uInt)n;
	while (s->z.avail_out) {
		if (!s->z.avail_in) {
			if (s->in_pos == s->in_len) {
				s->in_len = stage_read(s->src, s->in, sizeof(s->in));
				s->in_pos = 0;
				if (!s->in_len)
					break;
			}
			s->z.next_in = s->in + s->in_pos;
			s->z.avail_in = (uInt)(s->in_len - s->in_pos);
			s->in_pos = s->in_len;
		}
		rc = inflate(&s->z, Z_NO_FLUSH);
		if (rc != Z_OK) {
			s->done = 1;
			break;
		}
	}
	return n - s->z.avail_out;
}

/* LZW as poppler reads it: 9 to 12 bit codes, early change. */
static int lzw_code(stage *s)
{
	int b;

	while (s->lzw_nacc < s->lzw_bits) {
		if ((b = next_in(s)) < 0)
			return -1;
		s->lzw_acc = (s->lzw_acc << 8) | (unsigned int)b;
		s->lzw_nacc += 8;
	}
	s->lzw_nacc -= s->lzw_bits;
	return (int)((s->lzw_acc >> s->lzw_nacc) & ((1u << s->lzw_bits) - 1));
}

static void lzw_clear(stage *s)
{
	s->lzw_next = 258;
	s->lzw_bits = 9;
	s->lzw_first = 1;
}

/* Decode one code into pend; 0 at the end of the data. */
static int lzw_step(stage *s)
{
	int code = lzw_code(s);
	unsigned int i, len, c;

	for (;;) {
		if (code < 0 || code == 257)
			return 0;
		if (code != 256)
			break;
		lzw_clear(s);
		code = lzw_code(s);
	}
	if (s->lzw_first) {
		s->lzw_first = 0;
		if (code >= 256)
			return 0;
		s->pend[0] = (unsigned char)code;
		s->pend_pos = 0;
		s->pend_len = 1;
		s->lzw_prev = code;
		return 1;
	}
	if (code > (int)s->lzw_next || s->lzw_next >= LZW_CODES - 1)
		return 0; /* poppler gives up too */
	/* the string of code, or of prev plus its own first byte */
	i = code < (int)s->lzw_next ? (unsigned int)code : (unsigned int)s->lzw_prev;
	len = i < 256 ? 1 : s->table[i].len;
	for (unsigned int k = len, j = i; k > 0; k--) {
		s->pend[k - 1] = j < 256 ? (unsigned char)j : s->table[j].c;
		j = j < 256 ? 0 : s->table[j].prev;
	}
	c = s->pend[0];
	if (code == (int)s->lzw_next)
		s->pend[len++] = (unsigned char)c;
	/* the new entry: prev's string and this one's first byte */
	s->table[s->lzw_next].prev = (unsigned short)s->lzw_prev;
	s->table[s->lzw_next].c = (unsigned char)c;
	s->table[s->lzw_next].len =
	        (unsigned short)((s->lzw_prev < 256 ? 1 : s->table[s->lzw_prev].len) + 1);
	s->lzw_next++;
	if (s->lzw_next + 1 == 512)
		s->lzw_bits = 10;
	else if (s->lzw_next + 1 == 1024)
		s->lzw_bits = 11;
	else if (s->lzw_next + 1 == 2048)
		s->lzw_bits = 12;
	s->lzw_prev = code;
	s->pend_pos = 0;
	s->pend_len = len;
	return 1;
}

static int rle_step(stage *s)
{
	int b = next_in(s), c;

	if (b < 0 || b == 128)
		return 0;
	if (b < 128) {
		for (s->pend_len = 0; s->pend_len < (size_t)b + 1; s->pend_len++) {
			if ((c = next_in(s)) < 0)
				break;
			s->pend[s->pend_len] = (unsigned char)c;
		}
	} else {
		if ((c = next_in(s)) < 0)
			return 0;
		s->pend_len = (size_t)(257 - b);
		memset(s->pend, c, s->pend_len);
	}
	s->pend_pos = 0;
	return s->pend_len > 0;
}

static int ahx_step(stage *s)
{
	int hi = -1, c, v;

	for (;;) {
		if ((c = next_in(s)) < 0 || c == '>')
			break;
		if ((v = dc_hexval(c)) < 0)
			continue;
		if (hi < 0) {
			hi = v;
			continue;
		}
		s->pend[0] = (unsigned char)(hi * 16 + v);
		s->pend_pos = 0;
		s->pend_len = 1;
		return 1;
	}
	if (hi < 0)
		return 0;
	s->pend[0] = (unsigned char)(hi * 16);
	s->pend_pos = 0;
	s->pend_len = 1;
	s->done = 1;
	return 1;
}

static int a85_step(stage *s)
{
	unsigned long v = 0;
	int n = 0, c, k;

	while (n < 5) {
		if ((c = next_in(s)) < 0 || c == '~')
			break;
		if (is_space(c))
			continue;
		if (c == 'z' && n == 0) {
			memset(s->pend, 0, 4);
			s->pend_pos = 0;
			s->pend_len = 4;
			return 1;
		}
		if (c < '!' || c > 'u')
			continue;
		v = v * 85 + (unsigned long)(c - '!');
		n++;
	}
	if (n < 2) {
		s->done = 1;
		return 0;
	}
	for (k = n; k < 5; k++)
		v = v * 85 + 84;
	for (k = 3; k >= 0; k--) {
		s->pend[k] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
	s->pend_pos = 0;
	s->pend_len = (size_t)n - 1;
	if (n < 5)
		s->done = 1;
	return 1;
}

static size_t stage_read(stage *s, unsigned char *out, size_t n)
{
	size_t got = 0, k;
	int more;

	if (s->k == RAW) {
		k = (size_t)(s->end - s->p) < n ? (size_t)(s->end - s->p) : n;
		memcpy(out, s->p, k);
		s->p += k;
		return k;
	}
	if (s->k == FLATE)
		return s->done ? 0 : flate_read(s, out, n);
	while (got < n) {
		if (s->pend_pos == s->pend_len) {
			if (s->done)
				break;
			more = s->k == LZW   ? lzw_step(s)
			       : s->k == RLE ? rle_step(s)
			       : s->k == AHX ? ahx_step(s)
			                     : a85_step(s);
			if (!more) {
				s->done = 1;
				break;
			}
		}
		k = s->pend_len - s->pend_pos < n - got ? s->pend_len - s->pend_pos : n - got;
		memcpy(out + got, s->pend + s->pend_pos, k);
		s->pend_pos += k;
		got += k;
	}
	return got;
}

static int filter_kind(const char *name, kind *out)
{
	static const struct {
		const char *name;
		kind k;
	} names[] = {
		{ "FlateDecode", FLATE },   { "Fl", FLATE },
		{ "LZWDecode", LZW },       { "LZW", LZW },
		{ "RunLengthDecode", RLE }, { "RL", RLE },
		{ "ASCIIHexDecode", AHX },  { "AHx", AHX },
		{ "ASCII85Decode", A85 },   { "A85", A85 },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(name, names[i].name)) {
			*out = names[i].k;
			return 0;
		}
	return -1;
}

/*
 * Decode raw[0..len) through the header's filters (all known to
 * filter_kind()), stopping once past `budget`; *out gets the bytes made.
 */
static int decoded_size(const header *h, const unsigned char *raw, size_t len, uint64_t budget,
                        uint64_t *out)
{
	stage st[MAX_FILTERS + 1];
	unsigned char scratch[16384];
	int i, n = h->nfilters, error = 0;
	uint64_t total = 0;
	size_t got;

	memset(st, 0, sizeof(st));
	st[0].k = RAW;
	st[0].p = raw;
	st[0].end = raw + len;
	for (i = 1; i <= n; i++) {
		filter_kind(h->filters[i - 1], &st[i].k);
		st[i].src = &st[i - 1];
		if (st[i].k == LZW) {
			if (!(st[i].table = calloc(LZW_CODES, sizeof(*st[i].table)))) {
				error = dc_error_oom();
				goto done;
			}
			lzw_clear(&st[i]);
		}
	}
	while (total <= budget && (got = stage_read(&st[n], scratch, sizeof(scratch))) > 0)
		total += got;
	*out = total;
done:
	for (i = 1; i <= n; i++) {
		if (st[i].z_ready)
			inflateEnd(&st[i].z);
		free(st[i].table);
	}
	return error;
}

/* The first filter of the chain the scan cannot decode, or NULL. */
static const char *unknown_filter(const header *h)
{
	kind k;
	int i;

	for (i = 0; i < h->nfilters; i++)
		if (filter_kind(h->filters[i], &k) < 0)
			return h->filters[i];
	return NULL;
}

/*
 * The bytes an image's samples take, as its dictionary declares them
 * (rows rounded up to a byte, one more a row for a PNG predictor), or -1
 * when its size is not given directly.  poppler reads no more of it.
 */
static long long image_bytes(const header *h)
{
	long long bpc = h->mask ? 1 : h->bpc > 0 ? h->bpc : 8, comps = h->mask ? 1 : h->components;

	if (h->width <= 0 || h->height <= 0 || h->width > (1 << 20) || h->height > (1 << 20) ||
	    bpc > 16)
		return -1;
	return ((h->width * comps * bpc + 7) / 8 + 1) * h->height;
}

static const unsigned char *find(const unsigned char *p, const unsigned char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n ? memmem(p, (size_t)(end - p), s, n) : NULL;
}

/* Is there an "N G obj" keyword at p (pointing at "obj")? */
static int obj_keyword(const unsigned char *start, const unsigned char *p, const unsigned char *end)
{
	const unsigned char *q = p;

	if (p + 3 < end && !is_space(p[3]) && !is_delim(p[3]))
		return 0;
	if (q == start || !is_space(q[-1]))
		return 0;
	while (q > start && is_space(q[-1]))
		q--;
	return q > start && q[-1] >= '0' && q[-1] <= '9';
}

/* One stream at `at` (its "obj"), data raw[0..len): count it into out. */
static int count_stream(dc_pdf_scan *out, const header *h, size_t at, const unsigned char *raw,
                        size_t len, uint64_t limit)
{
	const char *bad = unknown_filter(h);
	long long declared = -1;
	uint64_t got, budget = limit - out->content;
	int error;

	if (h->image) {
		/*
		 * Image codecs (DCT, JBIG2, CCITT, JPX) are poppler's to bound
		 * while rendering; samples beyond the declared size are not an
		 * image's, and count as content.
		 */
		if (bad || (declared = image_bytes(h)) < 0)
			return 0;
		budget = budget > UINT64_MAX - (uint64_t)declared - 16
		                 ? UINT64_MAX
		                 : budget + (uint64_t)declared + 16;
	} else if (bad || h->filter_unknown) {
		if (bad)
			snprintf(out->why, sizeof(out->why),
			         "the stream of the object at byte %zu is decoded with /%s, "
			         "which cannot be measured",
			         at, bad);
		else
			snprintf(out->why, sizeof(out->why),
			         "the stream of the object at byte %zu names its filters "
			         "indirectly: its size cannot be measured",
			         at);
		out->over = 1;
		return 0;
	}
	if ((error = decoded_size(h, raw, len, budget, &got)) < 0)
		return error;
	if (declared >= 0)
		got = got > (uint64_t)declared + 16 ? got - (uint64_t)declared - 16 : 0;
	out->content += got;
	if (out->content > limit)
		out->over = 1;
	return 0;
}

int dc_pdf_scan_buffer(dc_pdf_scan *out, const unsigned char *data, size_t len, uint64_t limit)
{
	const unsigned char *end = data + len, *p = data, *at, *raw, *raw_end;
	int error;

	memset(out, 0, sizeof(*out));
	/* /Encrypt (a name, not a prefix of one): the streams are ciphertext */
	for (at = data; (at = find(at, end, "/Encrypt")) != NULL; at += 8)
		if (at + 8 == end || is_space(at[8]) || is_delim(at[8])) {
			out->encrypted = 1;
			return 0;
		}
	while (!out->over && (at = find(p, end, "obj")) != NULL) {
		cursor c = { at + 3, end };
		header h;

		p = at + 3;
		if (!obj_keyword(data, at, end))
			continue;
		skip_space(&c);
		if (end - c.p < 2 || c.p[0] != '<' || c.p[1] != '<')
			continue;
		memset(&h, 0, sizeof(h));
		h.length = h.width = h.height = h.bpc = -1;
		h.components = 4;
		if (parse_dict(&c, 1, &h) < 0)
			continue;
		p = c.p;
		skip_space(&c);
		if (end - c.p < 6 || memcmp(c.p, "stream", 6))
			continue;
		c.p += 6;
		if (c.p < end && *c.p == '\r')
			c.p++;
		if (c.p < end && *c.p == '\n')
			c.p++;
		raw = c.p;
		/* poppler trusts /Length too, and looks for endstream without it */
		if (h.length >= 0 && (uint64_t)h.length <= (uint64_t)(end - raw))
			raw_end = raw + h.length;
		else if (!(raw_end = find(raw, end, "endstream")))
			raw_end = end;
		p = raw_end;
		h.image |= h.width >= 0 && h.height >= 0;
		if ((error = count_stream(out, &h, (size_t)(at - data), raw,
		                          (size_t)(raw_end - raw), limit)) < 0)
			return error;
	}
	return 0;
}

int dc_pdf_scan_content(dc_pdf_scan *out, const char *path, uint64_t limit)
{
	struct stat st;
	void *map;
	int fd, error;

	memset(out, 0, sizeof(*out));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return dc_error_sys(DECLASS_EINPUT, "cannot open it");
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return dc_error_set(DECLASS_EINPUT, "it is not a regular file");
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return dc_error_sys(DECLASS_EINPUT, "cannot map it");
	error = dc_pdf_scan_buffer(out, map, (size_t)st.st_size, limit);
	munmap(map, (size_t)st.st_size);
	return error;
}
