/* Escaping untrusted text for people (include/declass/display.h). */
#include <stdio.h>
#include <stdlib.h>

#include "util/buf.h"
#include "declass/display.h"
#include "util/utf8.h"

/*
 * How many bytes from s (a character of n bytes, code point cp) may be
 * shown as they are: n, 2 for a kept "\r\n", or 0.
 */
static size_t shown(const char *s, size_t len, uint32_t cp, size_t n, unsigned flags)
{
	if (flags & DECLASS_DISPLAY_LINES) {
		if (cp == '\n' || cp == '\t' || cp == '\f')
			return 1;
		if (cp == '\r' && len > 1 && s[1] == '\n')
			return 2;
	}
	return dc_utf8_hidden(cp) ? 0 : n;
}

int declass_display_escape(char **out, const char *s, size_t len, unsigned flags)
{
	dc_buf b = DC_BUF_INIT;
	size_t i = 0, run = 0, n, k;
	int escaped = 0, error = 0;
	uint32_t cp;
	char esc[16];

	*out = NULL;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7F) {
			i++;
			run++;
			continue;
		}
		n = dc_utf8_decode(s + i, len - i, &cp);
		if (n && (k = shown(s + i, len - i, cp, n, flags))) {
			i += k;
			run += k;
			continue;
		}
		if (n <= 1) /* a control, or a byte that is not UTF-8 */
			snprintf(esc, sizeof(esc), "\\x%02x", (unsigned)c);
		else if (cp <= 0xFFFF)
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
		else
			snprintf(esc, sizeof(esc), "\\U%08x", (unsigned)cp);
		if ((error = dc_buf_add(&b, s + i - run, run)) < 0 ||
		    (error = dc_buf_adds(&b, esc)) < 0)
			goto fail;
		escaped = 1;
		run = 0;
		i += n ? n : 1;
	}
	if (!escaped)
		return 0;
	if ((error = dc_buf_add(&b, s + len - run, run)) < 0)
		goto fail;
	*out = dc_buf_detach(&b);
	return 0;
fail:
	dc_buf_free(&b);
	return error;
}
