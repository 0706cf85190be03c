/*
 * releases/<ID>.json, written as the tranche is: one line per file in a
 * temporary file, so memory does not grow with the tranche.  The document
 * is canonical: keys sorted, two-space indent, each element of "files" a
 * compact JSON object (sorted keys) on a line of its own.
 */
#ifndef DECLASS_RELFILE_H
#define DECLASS_RELFILE_H

#include <jansson.h>

#include "declass/hash.h"
#include "store/store.h"

typedef struct dc_relfile dc_relfile;

int dc_relfile_new(dc_relfile **out);
void dc_relfile_free(dc_relfile *r);

/* Append one file entry (source may be NULL). */
int dc_relfile_add(dc_relfile *r, const char *record, const char *path, const char *kind,
                   const char *sha256, uint64_t size, const char *source);

/* SHA-256 over the entries (the identity of "files"); call once, at the end. */
int dc_relfile_files_digest(dc_relfile *r, char hex[DECLASS_SHA256_HEX]);

/* The same digest for the "files" of a parsed releases/<ID>.json. */
int dc_relfile_digest_of(const json_t *release, char hex[DECLASS_SHA256_HEX]);

/*
 * Write the document, `fields` (every top-level key but "files") plus the
 * entries, as a blob through `w`; its id and SHA-256 come back.
 */
int dc_relfile_finish(dc_relfile *r, const json_t *fields, store_writer *w, store_oid *blob,
                      char sha256[DECLASS_SHA256_HEX]);

#endif
