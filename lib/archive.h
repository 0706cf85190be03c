/* The archive handle, shared by the files of lib/ (not public). */
#ifndef DECLASS_LIB_ARCHIVE_H
#define DECLASS_LIB_ARCHIVE_H

#include "declass/archive.h"
#include "store.h"

struct declass_archive {
	store *s;
	int writable;
};

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
