/*
 * Jobs spread over threads: the caller's thread and nthreads - 1 more.
 * Each thread takes the next job until none is left or one has failed;
 * the first failure (its code and message, which are thread-local) comes
 * back on the caller's thread.  Used where files are read in parallel
 * (ingest, reextract).
 */
#ifndef DECLASS_LIB_POOL_H
#define DECLASS_LIB_POOL_H

#include <pthread.h>
#include <stddef.h>

#include "declass/ingest.h" /* declass_progress */

typedef struct dc_pool_opts {
	size_t njobs;
	int nthreads; /* 1 or more; thread 0 is the caller's */
	/* Job i on thread `thread` (0 .. nthreads - 1): 0, or an error. */
	int (*job)(void *ctx, int thread, size_t i);
	/* After each job that thread 0 ran (progress), or NULL. */
	void (*tick)(void *ctx);
	void *ctx;
} dc_pool_opts;

int dc_pool_run(const dc_pool_opts *o);

/*
 * Report progress that worker threads update under `lock`: call cb (if
 * not NULL) with a copy of *p taken under the lock.  On the caller's
 * thread only, so that the callback never runs on a worker.
 */
void dc_progress_emit(pthread_mutex_t *lock, const declass_progress *p,
                      void (*cb)(void *ctx, const declass_progress *p), void *ctx);

#endif
