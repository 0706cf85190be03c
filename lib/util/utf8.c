/*
 * UTF-8 validation and decoding (RFC 3629, table 3-7 of the Unicode
 * standard), and the hidden characters.
 */
#include "utf8.h"

size_t dc_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t n, k;

	*cp = c;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (len <= n || p[1] < lo || p[1] > hi)
		return 0;
	for (k = 2; k <= n; k++)
		if ((p[k] & 0xC0) != 0x80)
			return 0;
	*cp = c & (0x7F >> (n + 1));
	for (k = 1; k <= n; k++)
		*cp = (*cp << 6) | (p[k] & 0x3F);
	return n + 1;
}

int dc_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (!(n = dc_utf8_decode(s + i, len - i, &cp))) {
			if (bad_at)
				*bad_at = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

/*
 * The hidden code points past DEL, sorted: Unicode 15's Cc (C1), Cf, Zl, Zp
 * and Default_Ignorable_Code_Point, and the noncharacters of the BMP (those
 * of the other planes, U+xFFFE and U+xFFFF, are tested apart).
 */
static const struct {
	uint32_t lo, hi;
} hidden[] = {
	{ 0x0080, 0x009F },   /* C1 controls (U+0085 NEL, U+009B CSI...) */
	{ 0x00AD, 0x00AD },   /* soft hyphen */
	{ 0x034F, 0x034F },   /* combining grapheme joiner */
	{ 0x0600, 0x0605 },   /* Arabic number signs */
	{ 0x061C, 0x061C },   /* Arabic letter mark */
	{ 0x06DD, 0x06DD },   /* Arabic end of ayah */
	{ 0x070F, 0x070F },   /* Syriac abbreviation mark */
	{ 0x0890, 0x0891 },   /* Arabic pound and piastre marks above */
	{ 0x08E2, 0x08E2 },   /* Arabic disputed end of ayah */
	{ 0x115F, 0x1160 },   /* Hangul fillers */
	{ 0x17B4, 0x17B5 },   /* Khmer inherent vowels */
	{ 0x180B, 0x180F },   /* Mongolian variation selectors and vowel separator */
	{ 0x200B, 0x200F },   /* zero-width space, non-joiner, joiner; LRM, RLM */
	{ 0x2028, 0x202E },   /* line, paragraph separators; bidi embeddings, overrides */
	{ 0x2060, 0x206F },   /* word joiner, invisible operators, bidi isolates... */
	{ 0x3164, 0x3164 },   /* Hangul filler */
	{ 0xFDD0, 0xFDEF },   /* noncharacters */
	{ 0xFE00, 0xFE0F },   /* variation selectors */
	{ 0xFEFF, 0xFEFF },   /* zero-width no-break space (byte order mark) */
	{ 0xFFA0, 0xFFA0 },   /* halfwidth Hangul filler */
	{ 0xFFF0, 0xFFFB },   /* unassigned ignorables, interlinear annotation */
	{ 0x110BD, 0x110BD }, /* Kaithi number sign */
	{ 0x110CD, 0x110CD }, /* Kaithi number sign above */
	{ 0x13430, 0x1343F }, /* Egyptian hieroglyph format controls */
	{ 0x1BCA0, 0x1BCA3 }, /* shorthand format controls */
	{ 0x1D173, 0x1D17A }, /* musical symbol format controls */
	{ 0xE0000, 0xE0FFF }, /* tags, variation selectors supplement */
};

int dc_utf8_hidden(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(hidden) / sizeof(*hidden);

	if (cp < 0x20 || cp == 0x7F || (cp & 0xFFFE) == 0xFFFE)
		return 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cp < hidden[mid].lo)
			hi = mid;
		else if (cp > hidden[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int dc_utf8_feed(dc_utf8_state *st, const void *data, size_t len, uint64_t *bad_at)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++, st->pos++) {
		unsigned char c = p[i];

		if (st->need) {
			if (c < st->lo || c > st->hi)
				goto bad;
			st->need--;
			st->lo = 0x80;
			st->hi = 0xBF;
			continue;
		}
		if (c < 0x80)
			continue;
		if (c >= 0xC2 && c <= 0xDF)
			st->need = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
			st->need = 2;
			if (c == 0xE0)
				st->lo = 0xA0;
			else if (c == 0xED)
				st->hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			st->need = 3;
			if (c == 0xF0)
				st->lo = 0x90;
			else if (c == 0xF4)
				st->hi = 0x8F;
		} else
			goto bad;
	}
	return 1;
bad:
	if (bad_at)
		*bad_at = st->pos;
	return 0;
}

int dc_utf8_end(const dc_utf8_state *st)
{
	return st->need == 0;
}
