/*
 * A tranche as downloaded: the released files found in a folder, matched
 * to the records of its manifest (or named by their file names), checked
 * before anything is written.  Used by ingest (and by verify --tranche).
 */
#ifndef DECLASS_TRANCHE_H
#define DECLASS_TRANCHE_H

#include "declass/hash.h"
#include "declass/manifest.h"
#include "util/arena.h"

/*
 * A file of the folder.  Kept for every file of the tranche until the end
 * of an ingest, so it holds names and flags only: what reading a file
 * yields (SHA-256, blob, text) lives with the batch being written.
 */
typedef struct dc_tfile {
	const char *rel;          /* path below the tranche folder (in the tranche's arena) */
	const char *link;         /* a symlink's target, the path to open; NULL for a
	                     plain file (open dir/rel: dc_tranche_full()) */
	const char *base;         /* base name, inside rel */
	uint64_t size;            /* as found by the scan */
	long sidecar;             /* index of NAME.txt beside NAME.ext, or -1 */
	unsigned char used;       /* a record uses it (as a file or a sidecar) */
	unsigned char is_sidecar; /* NAME.txt of another file, not released itself */
	unsigned char empty_text; /* text-only: an empty text (OCR found nothing) */
} dc_tfile;

/* A record: its files and manifest rows point into arrays of the tranche. */
typedef struct dc_trecord {
	const char *id; /* in the tranche's arena */
	size_t *files;  /* indices into tranche files, in manifest order */
	size_t nfiles;
	const declass_manifest_row **rows; /* its manifest rows (none without) */
	size_t nrows;
} dc_trecord;

typedef struct dc_tranche {
	char *dir;
	dc_arena names;  /* the strings of files and records */
	dc_tfile *files; /* sorted by rel */
	size_t nfiles;
	dc_trecord *records; /* sorted by id */
	size_t nrecords;
	size_t *record_files;                     /* what records' files and */
	const declass_manifest_row **record_rows; /* rows point into */
	declass_manifest *manifest;               /* NULL without */
	char *manifest_name;                      /* base name of the manifest file */
	char manifest_sha256[DECLASS_SHA256_HEX];
	uint64_t bytes;          /* total size of the used files, sidecars included */
	size_t nused;            /* number of used files, sidecars included */
	uint64_t released_bytes; /* the same for released files alone */
	size_t nreleased;
	int text_only;            /* the files are third-party texts of the records */
	size_t rows_without_text; /* text-only: manifest rows no text matched */
	size_t texts_empty;       /* text-only: empty texts, left out */
	size_t hidden;            /* names starting with '.' left out (a hidden
	                             folder counts once, its content not read) */
	const char *hidden_first; /* the first of them in path order (rel), or NULL */
} dc_tranche;

enum {
	DC_TRANCHE_ALLOW_UNLISTED = 1 << 0, /* ignore files the manifest lacks */
	DC_TRANCHE_TEXT_ONLY = 1 << 1,      /* files are texts, not released bytes */
};

/*
 * Scan `dir`, read the manifest (if any) and match them.  Fails with
 * DECLASS_EINPUT naming the culprit for: a file the manifest lists that
 * is not there, unlisted files (unless allow_unlisted), empty files,
 * symlinks out of the folder, names that are not UTF-8 or hold control
 * characters or backslashes, a (record, file) pair listed twice, two files
 * of one record with the same base name, reserved names (meta.json,
 * text.txt).  flags: DC_TRANCHE_*.  An empty file of a text-only tranche
 * is no error: a third party's OCR that found nothing is a fact, counted
 * in texts_empty, its record left out.  With DC_TRANCHE_TEXT_ONLY every file
 * must be text (.txt, .md); a manifest row is matched to the text whose
 * path, without extension, ends like the row's file name without its
 * extension (case aside), and rows without a text are left out and
 * counted.  Free the result with dc_tranche_free().
 */
int dc_tranche_load(dc_tranche **out, const char *dir, const char *manifest, unsigned flags);
void dc_tranche_free(dc_tranche *t);

/*
 * Only the first step of dc_tranche_load(): the files of the folder,
 * sorted by path, with NAME.txt sidecars linked and marked.  No manifest,
 * no records.  Fails on the same unsafe names, links and file types.
 */
int dc_tranche_scan(dc_tranche **out, const char *dir, unsigned flags);

/*
 * The path to open for file f (the folder and its rel, or a symlink's
 * target) in *out, emptied first; out->ptr is it.  0, or out of memory.
 */
int dc_tranche_full(dc_buf *out, const dc_tranche *t, const dc_tfile *f);

/*
 * Files by the record id their names stand for, to find a record's files
 * without a scan: entries sorted by id, then by file index.
 */
typedef struct dc_named {
	const char *id; /* borrowed from the ids given to dc_name_index_build() */
	size_t file;
} dc_named;

typedef struct dc_name_index {
	dc_named *v; /* the caller's: free(v) */
	size_t n;
} dc_name_index;

/* Index files 0 .. nfiles - 1 by ids[i]; NULL ids are left out. */
int dc_name_index_build(dc_name_index *out, char *const *ids, size_t nfiles);

/* The first entry for `record`, or ix->n when there is none. */
size_t dc_name_index_first(const dc_name_index *ix, const char *record);

/* The index of the file at `rel` (a path below the folder), or -1. */
long dc_tranche_find(const dc_tranche *t, const char *rel);

/* Is the file a text (.txt or .md), by its name? */
int dc_is_text_name(const char *name);

/* The extension of a file name, dot included ("" if none). */
const char *dc_path_ext(const char *name);

/* The last component of a '/'-separated path (inside it). */
const char *dc_path_base(const char *path);

/* 1 if p is a relative path with no empty, "." or ".." component and no '\'. */
int dc_path_safe_rel(const char *p);

#endif
