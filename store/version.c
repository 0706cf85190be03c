/*
 * Small reads for lib's tools outside the ingest and verify paths: the
 * libgit2 version (for `declass --version`; lib cannot include git2.h) and
 * a blob's size from its object header (for export progress).
 */
#include <stdio.h>

#include <git2.h>

#include "internal.h"
#include "store.h"

const char *store_libgit2_version(void)
{
	static char buf[32];
	int major = 0, minor = 0, rev = 0;

	/* Idempotent: every call writes the same bytes. */
	git_libgit2_version(&major, &minor, &rev);
	snprintf(buf, sizeof(buf), "%d.%d.%d", major, minor, rev);
	return buf;
}

int store_blob_size(store *s, const store_oid *id, uint64_t *out)
{
	git_odb *odb = NULL;
	git_object_t type;
	git_oid oid;
	size_t size = 0;
	int error;

	*out = 0;
	store_oid_to_git(&oid, id);
	if ((error = git_repository_odb(&odb, s->repo)) < 0 ||
	    (error = git_odb_read_header(&size, &type, odb, &oid)) < 0) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot read an object header");
		goto done;
	}
	*out = (uint64_t)size;
done:
	git_odb_free(odb);
	return error;
}
