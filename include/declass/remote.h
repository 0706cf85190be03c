/*
 * Mirrors: push an archive to a Git remote, clone one, pull new releases
 * from one.  Any Git host carries an archive (a bare repository on a
 * server, GitHub, GitLab, Gitea); what arrives is checked before the
 * archive changes, and a remote that rewrote a release this archive holds
 * is refused.  docs/MIRROR.md describes the rules.
 *
 * Remotes are a name configured in the archive (clone records "origin"),
 * a path, or a file://, ssh:// or https:// URL.
 */
#ifndef DECLASS_REMOTE_H
#define DECLASS_REMOTE_H

#include "declass/archive.h"
#include "declass/verify.h"

typedef struct declass_remote_opts {
	/*
	 * Transfer progress (phase "fetch" or "push": files_* count objects,
	 * bytes_done bytes moved), then verify's own phases.  May be NULL.
	 */
	void (*progress)(void *ctx, const declass_progress *p);
	void *progress_ctx;
	/*
	 * How what arrives is verified (pull, clone): problems go to
	 * verify->problem; verify->trust, if set, makes every release need a
	 * signature by a trusted key.  May be NULL: verified all the same.
	 */
	const declass_verify_opts *verify;
} declass_remote_opts;

typedef struct declass_pull_result {
	int up_to_date;    /* the remote has nothing this archive lacks */
	int remote_behind; /* the remote lacks releases this archive has */
	int refused;       /* what arrived failed verification; the archive
	                          is unchanged (the problems went to verify->problem) */
	char **releases;   /* ids of the releases added, oldest first */
	size_t nreleases;
	size_t tags_added;            /* release tags created (new releases, or a missing tag) */
	size_t tags_kept;             /* remote tags that name the same commit as ours but
	                          are other tag objects: ours are kept */
	char from[41], to[41];        /* the branch before and after ("" for none) */
	char url[1024];               /* where it came from */
	declass_verify_counts counts; /* the verification of the result */
} declass_pull_result;

/* Free what a result holds (not the struct); accepts a zeroed one. */
void declass_pull_result_free(declass_pull_result *r);

/*
 * Bring new releases from `remote` into an archive opened with
 * DECLASS_OPEN_WRITE: fast-forward only.  Every release the remote has
 * that this archive has too must be the same commit, and the archive's
 * branch must be an ancestor of the remote's: else DECLASS_ECONFLICT,
 * naming the release the remote rewrote.  The result (the archive as it
 * would be) is verified before any ref moves; if verification finds
 * problems, out->refused is set and the archive is unchanged.  Errors:
 * DECLASS_EINPUT (not a declass archive, nothing there), DECLASS_EARCHIVE
 * (the remote cannot be reached).  Fill *out; free with
 * declass_pull_result_free().
 */
int declass_pull(declass_pull_result *out, declass_archive *a, const char *remote,
                 const declass_remote_opts *opts);

/*
 * Clone the declass archive at `url` into a new archive at `path` (a new
 * or empty directory): init, fetch, check, verify, and record `url` as
 * remote "origin".  On any failure, or if verification finds problems
 * (out->refused), `path` is left as it was found.
 */
int declass_clone(declass_pull_result *out, const char *url, const char *path,
                  const declass_remote_opts *opts);

typedef struct declass_push_result {
	size_t refs;  /* refs sent: the branch and each release tag */
	char tip[41]; /* the branch's commit */
	char url[1024];
} declass_push_result;

/*
 * Push the branch and every release tag to `remote`, never forced: the
 * remote's branch must be an ancestor of ours and its release tags ours
 * (DECLASS_ECONFLICT otherwise, naming what it refused).  The remote is a
 * Git repository that exists (`git init --bare` on the server, or an empty
 * repository on a Git host).  The archive needs no write lock.
 */
int declass_push(declass_push_result *out, declass_archive *a, const char *remote,
                 const declass_remote_opts *opts);

#endif
