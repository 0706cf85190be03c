/*
 * Verify: the fixity of a whole archive and trust in its history, the
 * identity of loose files found in the wild, and the completeness of a
 * downloaded tranche before it is ingested.  docs/VERIFY.md lists every
 * check and the problem kinds.
 *
 * Problems are not errors: the functions return 0 when they could do the
 * check, and hand each problem found to opts->problem as they go (counted
 * in the result).  A negative DECLASS_E* code means the check itself could
 * not run (the archive cannot be opened, out of memory, a bad manifest).
 */
#ifndef DECLASS_VERIFY_H
#define DECLASS_VERIFY_H

#include "declass/archive.h"
#include "declass/hash.h"
#include "declass/ingest.h" /* declass_progress */
#include "declass/sign.h"

/* What kind of problem; declass_verify_kind_name() gives its stable name. */
typedef enum declass_verify_kind {
	DECLASS_VERIFY_OBJECT_MISSING = 0, /* a Git object is not in the archive */
	DECLASS_VERIFY_OBJECT_CORRUPT,     /* unreadable, or does not hash to its id */
	DECLASS_VERIFY_SHA256_MISMATCH,    /* bytes differ from the recorded SHA-256 */
	DECLASS_VERIFY_SIZE_MISMATCH,      /* size differs from the recorded size */
	DECLASS_VERIFY_FILE_MISSING,       /* listed, but not there */
	DECLASS_VERIFY_FILE_UNLISTED,      /* there, but listed nowhere */
	DECLASS_VERIFY_PATH_UNSAFE,        /* a path out of its place, a link, ".." */
	DECLASS_VERIFY_METADATA, /* meta.json/releases/ID.json/DECLASS.json unreadable or inconsistent */
	DECLASS_VERIFY_RELEASE_JSON,   /* releases/ID.json does not match its commit */
	DECLASS_VERIFY_TRAILER,        /* a commit trailer missing or not matching */
	DECLASS_VERIFY_HISTORY,        /* not linear, unexpected commit, order */
	DECLASS_VERIFY_TAG,            /* tag missing, moved, or not annotated */
	DECLASS_VERIFY_UNKNOWN_FILE,   /* verify FILE: not in the archive */
	DECLASS_VERIFY_INGEST_REFUSED, /* verify --tranche: ingest would refuse it */
	DECLASS_VERIFY_SIGNATURE,      /* release unsigned (with trust keys), signed by an
	                                      untrusted key, or its signature does not verify */
	DECLASS_VERIFY_REPLACED,       /* a replace ref or graft makes Git show other objects */
	DECLASS_VERIFY__COUNT
} declass_verify_kind;

/* "object-missing", "object-corrupt", "sha256-mismatch", ... (static). */
const char *declass_verify_kind_name(declass_verify_kind kind);

/*
 * One problem.  Strings are valid during the callback only; any may be
 * NULL where it does not apply.
 */
typedef struct declass_verify_problem {
	declass_verify_kind kind;
	const char *release; /* release id */
	const char *record;  /* record id */
	const char *path;    /* archive path (archive) or file path (tranche) */
	const char *object;  /* hex Git id of the object at fault */
	const char *message; /* what is wrong, one line, lowercase */
} declass_verify_problem;

typedef struct declass_verify_opts {
	unsigned threads; /* hashing threads; 0: one per core */
	/* Called from the calling thread, at most every few milliseconds. */
	void (*progress)(void *ctx, const declass_progress *p);
	void *progress_ctx;
	/* Called for each problem, from the calling thread. */
	void (*problem)(void *ctx, const declass_verify_problem *p);
	void *problem_ctx;
	/*
	 * Trusted keys (docs/SIGNING.md).  With ntrust > 0, every release must
	 * carry a valid signature by one of them.  Without, a signature that a
	 * tag carries is still checked, but an unsigned release is fine.
	 */
	const declass_key *const *trust;
	size_t ntrust;
} declass_verify_opts;

typedef struct declass_verify_counts {
	size_t releases;            /* release commits on the branch */
	size_t tags;                /* release tags */
	size_t objects;             /* distinct Git objects read and checked */
	size_t records;             /* distinct record folders checked */
	size_t file_versions;       /* (release, file) pairs checked against JSON */
	size_t blobs;               /* distinct file contents hashed */
	uint64_t bytes;             /* their total size */
	size_t files;               /* tranche: files listed / identify: files given */
	size_t signed_ok;           /* releases with a valid signature (by a trusted key,
	                         when trust keys are given) */
	size_t revisions;           /* text revisions on the branch */
	size_t revisions_signed_ok; /* of them, with a valid signature (trusted, when
	                               trust keys are given) */
	size_t problems;
	size_t by_kind[DECLASS_VERIFY__COUNT];
} declass_verify_counts;

/*
 * Verify the whole archive: every release, every file version (each
 * distinct blob hashed once), every object reached from the branch and
 * the release tags, the history, tags and trailers.  Opens one more
 * read-only handle per worker thread.  Cost: one read of every object
 * (and a second of each releases/<ID>.json); memory about 90 bytes per
 * distinct object, not per file version and not following file sizes
 * (except packed blobs, read whole).  *out is filled in (the caller's
 * struct).
 */
int declass_verify_archive(declass_verify_counts *out, declass_archive *a,
                           const declass_verify_opts *opts);

/*
 * Check a downloaded tranche before ingest: every file the manifest lists
 * is in `dir` (as listed, or flat by its base name, as ingest finds it),
 * nothing unlisted but NAME.txt sidecars and the manifest itself, sizes
 * and SHA-256 where the manifest has columns for them ("size", "bytes",
 * "sha256", ...), and that ingest would accept the folder.  DECLASS_EINPUT
 * for a manifest that cannot be read.
 */
int declass_verify_tranche(declass_verify_counts *out, const char *dir, const char *manifest,
                           const declass_verify_opts *opts);

/* Where an archived file with given bytes lives. */
typedef struct declass_file_match {
	char *record;
	char *path;    /* archive path, records/.../NAME */
	char *release; /* the first release with these bytes at path */
	char *release_date;
	char **unchanged_in; /* later releases whose tree still has them there */
	size_t nunchanged;
	uint64_t size;
	char sha256[DECLASS_SHA256_HEX];
} declass_file_match;

/* What a loose file is. */
typedef struct declass_file_identity {
	char *file;  /* as given */
	char *error; /* the file could not be read: why; else NULL */
	char sha256[DECLASS_SHA256_HEX];
	uint64_t size;
	declass_file_match *matches; /* archived files with these bytes */
	size_t nmatches;
	/*
	 * Without a match: the archived version of the record the file is
	 * named after (or of a file with its name) nearest to it in size;
	 * closest.record is NULL when there is none.
	 */
	declass_file_match closest;
} declass_file_identity;

/*
 * Identify loose files by SHA-256 against every file version listed in the
 * archive's releases/ID.json.  Hashes the files in parallel.  *out (an
 * array of n, in the order given) is the caller's: free it with
 * declass_file_identities_free().  Problems (a file not in the archive or
 * unreadable) also go to opts->problem; out->problems counts them.
 */
int declass_verify_files(declass_file_identity **out, declass_verify_counts *counts,
                         declass_archive *a, const char *const *files, size_t n,
                         const declass_verify_opts *opts);
void declass_file_identities_free(declass_file_identity *list, size_t n);

#endif
