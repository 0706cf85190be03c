/*
 * libdeclass: an archive of documents released in tranches, kept as Git
 * commits with SHA-256 content hashes and JSON metadata.
 *
 * Conventions shared by every public header:
 *  - functions return 0 on success or a negative DECLASS_E* code; the
 *    message for the last failure on this thread is declass_error_last();
 *  - results come back through out-parameters named `out`, first in the
 *    argument list; what they point to belongs to the caller and is released
 *    with the matching _free() function, which accepts NULL;
 *  - strings are UTF-8 and NUL-terminated.
 */
#ifndef DECLASS_DECLASS_H
#define DECLASS_DECLASS_H

#include <stddef.h>
#include <stdint.h>

/* Error codes.  The command maps them to exit codes (see cmd/main.c). */
enum {
	DECLASS_OK = 0,
	DECLASS_ERROR = -1,     /* internal or system error */
	DECLASS_EINPUT = -2,    /* bad input: manifest, file, option value */
	DECLASS_ENOTFOUND = -3, /* unknown record, release or file */
	DECLASS_ECONFLICT = -4, /* refused: conflicts with what is archived */
	DECLASS_EARCHIVE = -5,  /* archive missing, unusable or corrupt */
	DECLASS_ENOMEM = -6,
	DECLASS_ELOCKED = -7, /* another writer holds the archive */
	DECLASS_ELIMIT = -8,  /* over a documented limit (declass/limits.h) */
};

/* The message of the last error set on this thread, never NULL. */
const char *declass_error_last(void);

/* The code of the last error set on this thread (0 if none). */
int declass_error_code(void);

/* The library's version, e.g. "0.1.0". */
const char *declass_version(void);

/*
 * The libraries it runs on, one per line ("libgit2 1.5.1\nOpenSSL 3.0.15
 * 3 Sep 2024\njansson 2.14\n"); static, do not free.
 */
const char *declass_version_libs(void);

/* Version of the archive format this library writes (DECLASS.json). */
#define DECLASS_FORMAT_VERSION 1

#endif
