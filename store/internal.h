/* State shared by the files of store/; nothing outside store/ sees it. */
#ifndef DECLASS_STORE_INTERNAL_H
#define DECLASS_STORE_INTERNAL_H

#include <string.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>

#include "store.h"

struct store {
	git_repository *repo;
	char *gitdir;         /* with trailing '/' */
	int lock_fd;          /* -1 unless writable */
	char *quarantine;     /* objects dir of the tranche being written */
	store_writer *writer; /* the calling thread's blob writer */
};

/* Blob writing for one thread: its own databases on the quarantine. */
struct store_writer {
	git_odb *raw;  /* deflate level 1, for compressed data */
	git_odb *text; /* default deflate */
};

/*
 * Write the config every declass repository starts with (repo.c): its
 * format version, and automatic packing off (gc.auto = 0).  On failure,
 * DECLASS_EARCHIVE with `what` as the message's start.
 */
int store_config_init(git_repository *repo, const char *what);

/* Set the declass error from libgit2's last error; returns code (error.c). */
int store_git_error(int code, const char *what);

/*
 * Move the files of <from>/<sub>/ into <to>/<sub>/, made if need be: all
 * of them, or those whose names end in `suffix` (not NULL).  Objects and
 * packs are named by their content, so a file already there is the same
 * and is replaced by itself.  A missing <from>/<sub> moves nothing.
 */
int store_move_files(const char *from, const char *to, const char *sub, const char *suffix);

static inline void store_oid_from_git(store_oid *out, const git_oid *in)
{
	memcpy(out->id, in->id, sizeof(out->id));
}

static inline void store_oid_to_git(git_oid *out, const store_oid *in)
{
	memcpy(out->id, in->id, sizeof(out->id));
}

#endif
