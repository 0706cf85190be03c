/* The archive handle, shared by the files of lib/ (not public). */
#ifndef DECLASS_LIB_ARCHIVE_H
#define DECLASS_LIB_ARCHIVE_H

#include "declass/archive.h"
#include "declass/limits.h"
#include "store/store.h"

struct declass_archive {
	store *s;
	int writable;
	struct dc_history *hist;         /* readers: the branch, loaded once (dc_archive_history) */
	struct declass_lexicon *lexicon; /* loaded once (declass_archive_lexicon) */
	int lexicon_no_words;            /* no English word list could be read */
	declass_limits limits;           /* in effect: every field set (declass/limits.h) */
};

/*
 * The commits of the branch are of two kinds (docs/FORMAT.md): a release
 * tranche (trailer Release-Id), and a text revision (trailer
 * Text-Revision), which re-extracts the text of records already archived
 * and changes nothing else.  Anything else was not written by declass.
 */
typedef enum dc_commit_kind {
	DC_COMMIT_OTHER = 0,
	DC_COMMIT_RELEASE,
	DC_COMMIT_REVISION,
} dc_commit_kind;

/* The kind of a commit message. */
int dc_message_kind(const char *message, dc_commit_kind *out);

/* The branch's commits, oldest first, each with its kind. */
typedef struct dc_history {
	store_oid *commits;
	dc_commit_kind *kinds;
	size_t n;
} dc_history;

int dc_history_load(dc_history *h, store *s);

/*
 * The archive's history, loaded on first use and kept with the handle:
 * for readers, which do not move the branch.  Owned by the archive.
 */
int dc_archive_history(const dc_history **out, declass_archive *a);

/* Drop the kept history: the branch moved (a writer), or the handle goes. */
void dc_archive_forget_history(declass_archive *a);
void dc_history_free(dc_history *h);

/* The index of `commit` in h, or -1. */
long dc_history_find(const dc_history *h, const store_oid *commit);

/* The index of the newest release commit in h, or -1 if there is none. */
long dc_history_last_release(const dc_history *h);

/* The id of the release made by `commit` (its Release-Id trailer). */
int dc_commit_release_id(store *s, const store_oid *commit, dc_buf *id);

/*
 * The value of trailer `key` in a commit message as a new string (the
 * caller frees), or NULL when the message has none.
 */
int dc_trailer_dup(char **out, const char *message, const char *key);

/* "releases/<id>.json" */
int dc_release_json_path(dc_buf *out, const char *id);

#endif
