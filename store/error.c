/*
 * libgit2's errors as declass errors, for every file of store/ (kept
 * apart from repo.c so that the files that use it, rawloose.c among them,
 * do not depend on repo.c for it).
 */
#include "internal.h"

int store_git_error(int code, const char *what)
{
	const git_error *e = git_error_last();

	return dc_error_set(code, "%s: %s", what, e && e->message ? e->message : "unknown error");
}
