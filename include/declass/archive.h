/*
 * Opening and creating archives, and the list of releases they hold.
 *
 * An archive is a bare Git repository; docs/FORMAT.md describes its
 * layout.  A handle opened for writing holds the writer lock until freed;
 * readers never lock.
 */
#ifndef DECLASS_ARCHIVE_H
#define DECLASS_ARCHIVE_H

#include "declass/declass.h"

typedef struct declass_archive declass_archive;

/* Create an empty archive at path (a new or empty directory). */
int declass_archive_init(const char *path);

enum {
	DECLASS_OPEN_WRITE = 1 << 0, /* take the writer lock */
};

/*
 * Open the archive at path.  With DECLASS_OPEN_WRITE, wait up to
 * `lock_wait_ms` for another writer to finish (DECLASS_ELOCKED after).
 * Free the handle with declass_archive_free().
 */
int declass_archive_open(declass_archive **out, const char *path, unsigned flags, int lock_wait_ms);
void declass_archive_free(declass_archive *a);

typedef struct declass_release {
	char *id;          /* "2021-12-15" */
	char *date;        /* release date, YYYY-MM-DD */
	char *title;       /* may be NULL */
	char *source;      /* may be NULL */
	char *commit;      /* hex id of the release commit */
	char *ingested_at; /* ISO 8601 UTC */
	char *ingested_by;
	char *tool_version;
	char *manifest_sha256; /* may be NULL (no manifest) */
	size_t records;        /* records in this tranche */
	size_t files;          /* released files in this tranche */
	uint64_t bytes;        /* their total size */
	char *signed_by;       /* fingerprint (hex SHA-256 of the raw Ed25519 public
	                          key) of a valid signature in the release's tag, not
	                          checked against any trusted key; NULL if none
	                          (docs/SIGNING.md) */
	int bad_signature;     /* the tag carries a signature that does not verify,
	                          or its message was altered after signing */
} declass_release;

/*
 * A text revision (`declass reextract`): a commit after a release that
 * re-extracted records' text and changed nothing else (docs/FORMAT.md).
 */
typedef struct declass_revision {
	char *commit;       /* hex id of its commit */
	char *after;        /* the id of the release it follows */
	char *at;           /* when it was made (commit time), ISO 8601 UTC */
	char *by;           /* who made it: "Name <email>", or NULL */
	char *scope;        /* "all records", "records of release ID", "records named" */
	char *extractor;    /* the extractors that wrote new text, or NULL */
	char *tool_version; /* "declass 0.1.0", or NULL */
	size_t records;     /* records whose text changed */
	size_t files;       /* PDFs read again */
} declass_revision;

/*
 * The text revisions in the archive, oldest first.  *out (an array of *n)
 * is the caller's: free it with declass_revisions_free().
 */
int declass_archive_revisions(declass_revision **out, size_t *n, declass_archive *a);
void declass_revisions_free(declass_revision *list, size_t n);

/*
 * The releases in the archive, oldest first.  *out (an array of *n) is
 * the caller's: free it with declass_releases_free().
 */
int declass_archive_releases(declass_release **out, size_t *n, declass_archive *a);
void declass_releases_free(declass_release *list, size_t n);

#endif
