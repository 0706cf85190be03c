/*
 * Record ids and where a record lives in the archive tree.
 *
 * NARA's record numbers look like 104-10004-10143 (agency-series-item) and
 * map to records/104/10004/10143/.  Any other id (docid-32404437, HSCA and
 * Warren Commission numbers...) maps to records/_/<escaped id>, where every
 * byte outside [A-Za-z0-9._-] and a leading '.' become %XX: the path never
 * holds "..", '/' or a control character.  docs/FORMAT.md documents this.
 */
#ifndef DECLASS_RECORD_H
#define DECLASS_RECORD_H

#include "declass/declass.h"

/* Longest record id accepted, in bytes. */
#define DECLASS_RECORD_ID_MAX 200

/*
 * Check that `id` is acceptable as a record id: 1 to DECLASS_RECORD_ID_MAX
 * bytes of valid UTF-8, no '/' or '\', no leading or trailing blanks, and
 * no hidden character: no control (C0, DEL, C1), format character (bidi
 * overrides, zero-width spaces...) or other invisible code point, the set
 * declass_display_escape() escapes (docs/MANIFEST.md).  Returns 0 or
 * DECLASS_EINPUT with a message.
 */
int declass_record_check(const char *id);

/*
 * The archive path of a record's folder, e.g. "records/104/10004/10143".
 * The string is the caller's (free()).  Fails like declass_record_check().
 */
int declass_record_path(char **out, const char *id);

/*
 * Longest name, in bytes, of a file or folder declass makes from a record
 * id outside the archive (a report page, a bag's record folder): NAME_MAX
 * of Linux, macOS and Windows file systems.
 */
#define DECLASS_RECORD_NAME_MAX 255

/*
 * The name of a file or folder made from record `id` (report pages: esc
 * '~', suffix ".html"; bag folders: esc '%', suffix ""): the id with every
 * byte outside [A-Za-z0-9._-], and a leading '.', written as `esc` and two
 * upper-case hex digits, then `suffix`.  When that is longer than
 * DECLASS_RECORD_NAME_MAX bytes (a 200-byte id can escape to 600), the
 * escaped id is cut, never inside an escape, so that it, '+', the 64 hex
 * digits of the id's SHA-256 and the suffix take at most
 * DECLASS_RECORD_NAME_MAX bytes.  An escaped id never holds '+', so a
 * shortened name is never another id's name.  Caller frees.
 */
int declass_record_name(char **out, const char *id, char esc, const char *suffix);

/*
 * The record id whose folder is `path` ("records/104/10004/10143" or
 * "records/_/<escaped>"), the inverse of declass_record_path().  Caller
 * frees.  DECLASS_EINPUT if path is not a record folder's.
 */
int declass_record_from_path(char **out, const char *path);

/*
 * The record id a released file's name stands for, when no manifest says:
 * the base name without its extension, and for names that start with a
 * NARA number followed by a suffix ("104-10004-10143 (C06932208).pdf",
 * "104-10004-10143[c06932208].md") that number.  Caller frees.
 */
int declass_record_from_filename(char **out, const char *name);

#endif
