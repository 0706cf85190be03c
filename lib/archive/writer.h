/*
 * What the two writers of the branch share: `declass ingest` (a release)
 * and `declass reextract` (a text revision).  Both run with the archive
 * open for writing, that is under its writer lock.
 */
#ifndef DECLASS_LIB_WRITER_H
#define DECLASS_LIB_WRITER_H

#include "archive.h"
#include "declass/sign.h"

/* Threads for parallel work: $DECLASS_THREADS, else the cores; 1 to 8. */
#define DC_MAX_THREADS 8
int dc_thread_count(void);

/*
 * Who writes: $DECLASS_AUTHOR_NAME and $DECLASS_AUTHOR_EMAIL, else the
 * login name at the host name.
 */
void dc_writer_identity(char name[256], char email[512]);

/*
 * The branch tip (*has_tip 0 when the archive is empty) and the
 * Release-Id (when id is not NULL) and Release-Date of the newest release
 * commit, which is the tip or lies below text revisions.
 */
int dc_tip_release(store *s, store_oid *tip, int *has_tip, dc_buf *id, dc_buf *date);

/*
 * A writer that died between moving the branch and tagging left a release
 * at the tip untagged: tag it as that writer would have, with the same
 * tagger, time and message (signed with `key` when not NULL), so the tag
 * is byte for byte the one it wrote.  Nothing to do when the tip is a text
 * revision: its release was tagged before it was written.
 */
int dc_repair_tip_tag(store *s, const store_oid *tip, const char *name, const char *email,
                      const declass_key *key);

#endif
