/* The versions of the libraries declass is built on, for `declass --version`. */
#include <stdio.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "declass/declass.h"
#include "declass/pdftext.h"
#include "store/store.h"

const char *declass_version_libs(void)
{
	static char buf[512];
	const char *pv = declass_pdf_text_poppler_version(),
	           *tv = declass_pdf_text_tesseract_version();
	int n;

	/* Runtime versions: what the process actually loaded. */
	n = snprintf(buf, sizeof(buf), "libgit2 %s\n%s\njansson %s\n", store_libgit2_version(),
	             OpenSSL_version(OPENSSL_VERSION), jansson_version_str());
	/* The text extractors, where this build has them (text from PDFs). */
	if (pv && n > 0 && (size_t)n < sizeof(buf))
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "poppler %s\n", pv);
	if (tv && n > 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, "tesseract %s\n", tv);
	return buf;
}
