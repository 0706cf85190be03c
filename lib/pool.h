/*
 * Jobs spread over threads: the caller's thread and nthreads - 1 more.
 * Each thread takes the next job until none is left or one has failed;
 * the first failure (its code and message, which are thread-local) comes
 * back on the caller's thread.  Used where files are read in parallel
 * (ingest, reextract).
 */
#ifndef DECLASS_LIB_POOL_H
#define DECLASS_LIB_POOL_H

#include <stddef.h>

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

#endif
