/* The limits on one input (declass/limits.h, docs/RELIABILITY.md). */
#include <stdarg.h>
#include <stdio.h>

#include "limit.h"

void declass_limits_resolve(declass_limits *out, const declass_limits *in)
{
	declass_limits l = DECLASS_LIMITS_INIT;

	if (in)
		l = *in;
	if (!l.text)
		l.text = DECLASS_LIMIT_TEXT;
	if (!l.pdf_pages)
		l.pdf_pages = DECLASS_LIMIT_PDF_PAGES;
	if (!(l.pdf_page_seconds > 0))
		l.pdf_page_seconds = DECLASS_LIMIT_PDF_PAGE_SECONDS;
	if (!(l.pdf_seconds > 0))
		l.pdf_seconds = DECLASS_LIMIT_PDF_SECONDS;
	if (!l.pdf_content)
		l.pdf_content = DECLASS_LIMIT_PDF_CONTENT;
	*out = l;
}

const char *dc_limit_bytes(char buf[32], uint64_t n)
{
	if (n && n % ((uint64_t)1 << 30) == 0)
		snprintf(buf, 32, "%llu GiB", (unsigned long long)(n >> 30));
	else if (n && n % ((uint64_t)1 << 20) == 0)
		snprintf(buf, 32, "%llu MiB", (unsigned long long)(n >> 20));
	else if (n && n % 1024 == 0)
		snprintf(buf, 32, "%llu KiB", (unsigned long long)(n >> 10));
	else
		snprintf(buf, 32, "%llu bytes", (unsigned long long)n);
	return buf;
}

int dc_limit_text_error(uint64_t size, uint64_t limit, const char *fmt, ...)
{
	char what[1024], lim[32];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return dc_error_set(DECLASS_ELIMIT,
	                    "%s %llu bytes, over the limit of %s on one text (--max-text)", what,
	                    (unsigned long long)size, dc_limit_bytes(lim, limit));
}
