/* UTF-8 validation (RFC 3629, table 3-7 of the Unicode standard). */
#include "utf8.h"

int dc_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n, k;
		unsigned char lo = 0x80, hi = 0xBF;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF) {
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
		} else
			goto bad;
		if (len - i <= n)
			goto bad;
		if (p[i + 1] < lo || p[i + 1] > hi)
			goto bad;
		for (k = 2; k <= n; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				goto bad;
		i += n + 1;
	}
	return 1;
bad:
	if (bad_at)
		*bad_at = i;
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
