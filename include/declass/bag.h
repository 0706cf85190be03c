/*
 * BagIt (RFC 8493) export of a release, and validation of bags.
 *
 * A bag of release ID holds, under data/, the release's manifest
 * (data/releases/ID.json) and the folder of every record the release
 * included, as that release wrote it and in the archive's layout
 * (data/records/104/10004/10143/: the released files, text.txt,
 * meta.json).  Beside it: bagit.txt, manifest-sha256.txt and
 * manifest-sha512.txt, bag-info.txt (Payload-Oxum, Bagging-Date, the
 * release's provenance) and tagmanifest-sha256.txt / -sha512.txt.
 * docs/REPORT.md describes it.
 *
 * Files are streamed in fixed-size pieces: memory does not grow with file
 * size (except for packed Git objects, which libgit2 reads whole).
 */
#ifndef DECLASS_BAG_H
#define DECLASS_BAG_H

#include "declass/archive.h"

/* Where an export or a validation is; for progress display. */
typedef struct declass_bag_progress {
	const char *phase; /* "export" or "verify" */
	size_t files_done, files_total;
	uint64_t bytes_done, bytes_total; /* bytes_total may be 0: unknown */
} declass_bag_progress;

typedef void (*declass_bag_progress_cb)(void *ctx, const declass_bag_progress *p);

/* Options of export and validation.  Start from DECLASS_BAG_OPTS_INIT. */
typedef struct declass_bag_opts {
	/*
	 * Export every record as of the release, not only those the release
	 * included (a snapshot of the whole collection).
	 */
	int all;
	/* Bagging-Date, YYYY-MM-DD; NULL: today ($SOURCE_DATE_EPOCH if set). */
	const char *bagging_date;
	declass_bag_progress_cb progress; /* may be NULL */
	void *progress_ctx;
} declass_bag_opts;

#define DECLASS_BAG_OPTS_INIT       \
	{                           \
		0, NULL, NULL, NULL \
	}

typedef struct declass_bag_result {
	size_t records; /* record folders in the bag */
	size_t files;   /* payload files */
	uint64_t bytes; /* payload bytes (the Payload-Oxum) */
} declass_bag_result;

/*
 * Write the bag of release `release` to the folder `dir`, which must not
 * exist.  The bag is built beside it (DIR.partial-XXXXXX) and renamed into
 * place when complete, so DIR is a whole bag or absent.  Every file's
 * SHA-256 is checked against the release's manifest as it is written
 * (DECLASS_EARCHIVE on a mismatch).  opts may be NULL.
 */
int declass_bag_export(declass_bag_result *out, declass_archive *a, const char *release,
                       const char *dir, const declass_bag_opts *opts);

/* One thing wrong with a bag: the file (relative to the bag) and why. */
typedef struct declass_bag_problem {
	char *path;
	char *message;
} declass_bag_problem;

typedef struct declass_bag_check {
	declass_bag_problem *problems; /* sorted by path */
	size_t nproblems;
	size_t files;        /* payload files found */
	uint64_t bytes;      /* their size */
	char algorithms[64]; /* payload manifest algorithms checked, "sha256 sha512" */
	size_t unfetched;    /* files fetch.txt lists that the bag does not hold yet */
} declass_bag_check;

/*
 * Validate the bag at `dir` (RFC 8493 section 3): bagit.txt is well
 * formed; every payload file is listed in every payload manifest and every
 * listed file exists (complete); every checksum, payload and tag, matches
 * (valid); bag-info.txt's Payload-Oxum, if any, matches.  A fetch.txt is
 * read (2.2.3): each line well formed, naming a payload file listed in
 * every payload manifest and present with its length; a file it lists
 * that the bag lacks makes the bag incomplete (a problem each, counted in
 * unfetched; the Payload-Oxum is then not compared).  Algorithms:
 * md5, sha1, sha256, sha512.  Problems are reported in *out, not as an
 * error: the return is 0 for a bag with problems too.  DECLASS_EINPUT if
 * dir is not a folder.  Free *out with declass_bag_check_free().
 */
int declass_bag_verify(declass_bag_check **out, const char *dir, const declass_bag_opts *opts);

void declass_bag_check_free(declass_bag_check *c);

#endif
