/* A write-only loose-object backend for already-compressed data (rawloose.c). */
#ifndef DECLASS_RAWLOOSE_H
#define DECLASS_RAWLOOSE_H

#include <git2.h>
#include <git2/sys/odb_backend.h>

/* A backend writing loose objects under objects_dir with no deflate effort. */
int store_rawloose_new(git_odb_backend **out, const char *objects_dir);

#endif
