/* The versions of the libraries declass is built on, for `declass --version`. */
#include <stdio.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "declass/declass.h"
#include "store.h"

const char *declass_version_libs(void)
{
	static char buf[256];

	/* Runtime versions: what the process actually loaded. */
	snprintf(buf, sizeof(buf), "libgit2 %s\n%s\njansson %s\n", store_libgit2_version(),
	         OpenSSL_version(OPENSSL_VERSION), jansson_version_str());
	return buf;
}
