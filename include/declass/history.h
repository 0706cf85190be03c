/*
 * A record through the releases: its versions, and its text, metadata and
 * released bytes as of any release.
 *
 * A *version* of a record is a release whose tranche included it (its
 * folder changed, or appeared).  "As of release R" means the record's
 * newest version at or before R.  A version's text is its newest: a text
 * revision (`declass reextract`) made while the version was the record's
 * newest replaces it, for R and every later release that did not bring
 * the record again.  Record and release ids that the archive
 * does not hold give DECLASS_ENOTFOUND with a message naming them.
 */
#ifndef DECLASS_HISTORY_H
#define DECLASS_HISTORY_H

#include "declass/archive.h"
#include "declass/hash.h"
#include "declass/text.h"

typedef struct declass_file_info {
	char *name; /* released file name */
	char sha256[DECLASS_SHA256_HEX];
	uint64_t size;
} declass_file_info;

typedef struct declass_record_version {
	char *release;      /* release id */
	char *date;         /* release date */
	char *commit;       /* hex id of the release commit */
	char *release_type; /* "In Part", "Redact"... or NULL */
	char *pages;        /* pages as the manifest gives them, or NULL */
	char *agency;       /* agency (or originator) per the manifest, or NULL */
	char *title;        /* document title per the manifest, or NULL */
	declass_file_info *files;
	size_t nfiles;
	int has_text;
	uint64_t text_size;
	/* The text revisions that re-extracted this version's text: how many,
	 * and the newest's commit (hex) and time (ISO 8601 UTC); NULL if none. */
	size_t text_revisions;
	char *text_commit;
	char *text_revised_at;
	char *text_extractor; /* the extractor(s) of its text, "; "-joined, or NULL */
} declass_record_version;

/*
 * The versions of `record`, oldest first.  *out (n entries) is the
 * caller's: free with declass_versions_free().  Cost: one path lookup per
 * release, whatever the number of records.
 */
int declass_record_log(declass_record_version **out, size_t *n, declass_archive *a,
                       const char *record);
void declass_versions_free(declass_record_version *v, size_t n);

/*
 * *out: the index in v (the n versions declass_record_log() gave) of the
 * version in effect as of release `release`, the newest whose commit is
 * not after that release's on the branch; -1 if none is.  The same
 * answer whether or not the record changed in that release.
 */
int declass_record_version_as_of(long *out, declass_archive *a, const declass_record_version *v,
                                 size_t n, const char *release);

/*
 * The record's text as of release `release` (NULL: the newest).  *out is
 * the caller's (free()); it is NUL-terminated, *len excludes the NUL.
 * A version without text gives an empty string.  A text over the
 * handle's limit on one text (declass_archive_set_limits()) is not read:
 * DECLASS_ELIMIT, naming the record and the limit.
 */
int declass_record_text(char **out, size_t *len, declass_archive *a, const char *record,
                        const char *release);

/* The record's meta.json as of `release` (NULL: newest); caller frees. */
int declass_record_meta(char **out, size_t *len, declass_archive *a, const char *record,
                        const char *release);

/*
 * Write the released file `name` of the record as of `release` (NULL:
 * newest) to the file descriptor fd, byte for byte.  With name NULL the
 * record must have exactly one file.
 */
int declass_record_raw(declass_archive *a, const char *record, const char *release,
                       const char *name, int fd);

/*
 * Call cb for every record in the archive as of `release` (NULL: newest),
 * in path order.  A non-zero return from cb stops and is returned.
 */
int declass_records_each(declass_archive *a, const char *release,
                         int (*cb)(void *ctx, const char *record), void *ctx);

/*
 * Call cb for every record that release `to` holds in another version
 * than release `from` (added or changed), in path order.  DECLASS_EINPUT,
 * before any call of cb, when `from` is newer than `to`.
 */
int declass_records_changed(declass_archive *a, const char *from, const char *to,
                            int (*cb)(void *ctx, const char *record), void *ctx);

/*
 * The archive's lexicon: the English word list and the vocabulary of every
 * text the archive holds (docs/DIFF.md, "Lexicon").  The vocabulary is
 * derived data, kept as ARCHIVE/declass.vocab and counted again from the
 * texts when the branch has moved since (about 20 s on two cores for the
 * whole JFK collection): progress (may be NULL) is told how far that got.
 * *out is owned by the handle, valid until declass_archive_free().
 */
int declass_archive_lexicon(const declass_lexicon **out, declass_archive *a,
                            void (*progress)(void *ctx, size_t done, size_t total), void *ctx);

/* 1 if the archive's lexicon has no English word list (none installed). */
int declass_archive_lexicon_lacks_words(const declass_archive *a);

/*
 * A record's word diff between releases `from` (NULL: no text before) and
 * `to`, as `declass diff`, `changes`, `blame` and `report` show it: file
 * by file (declass_diff_parts), with the archive's lexicon unless
 * opts->lexicon is set, and with the record's other versions as evidence
 * (declass_wdiff_refine): words a version lacks that an older version
 * already showed, or that a later version shows again, are dropout.
 * DECLASS_ENOTFOUND if the record is not in the archive as of `from` or
 * `to` (a record new in `to`: ask again with `from` NULL).
 * Owned by the caller: free with declass_record_diff_free().
 */
typedef struct declass_record_diff {
	char *old_text; /* the text as of `from` ("" without one), NUL-terminated */
	size_t old_len;
	char *new_text; /* as of `to` */
	size_t new_len;
	declass_wdiff *d; /* spans over those two texts */
} declass_record_diff;

int declass_record_diff_words(declass_record_diff **out, declass_archive *a, const char *record,
                              const char *from, const char *to, const declass_text_opts *opts);
void declass_record_diff_free(declass_record_diff *rd);

#endif
