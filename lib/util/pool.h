/*
 * Jobs spread over threads: ingest and reextract read files in parallel
 * with it, verify hashes loose files.  Each thread takes the next job
 * until none is left or one has failed.
 *
 * Two ways to show progress, chosen by the options:
 *  - tick: the caller's thread is thread 0, working like the others, and
 *    calls tick() after each of its jobs (ingest, reextract: jobs update
 *    counts under the caller's lock, tick() shows them);
 *  - sample: the caller's thread runs no job; nthreads more do, and it
 *    calls sample() every 50 ms meanwhile and once at the end (verify:
 *    jobs add to atomic counters, sample() reads them).
 * How many threads is the caller's to say (ingest: $DECLASS_THREADS, up
 * to 8; verify: --jobs, up to 256).
 *
 * Errors: a job's error stops the pool (no job starts after it) and the
 * first one, its code and message (which are thread-local), comes back on
 * the caller's thread.  A job whose failure must not stop the others
 * (verify: an unreadable file is a problem to report, not an error) keeps
 * the failure with its result and returns 0: every job runs.
 */
#ifndef DECLASS_LIB_POOL_H
#define DECLASS_LIB_POOL_H

#include <pthread.h>
#include <stddef.h>

#include "declass/ingest.h" /* declass_progress */

typedef struct dc_pool_opts {
	size_t njobs;
	int nthreads; /* 1 or more */
	/* Job i on thread `thread` (0 .. nthreads - 1): 0, or an error. */
	int (*job)(void *ctx, int thread, size_t i);
	/* After each job that thread 0, the caller's, ran (progress), or NULL. */
	void (*tick)(void *ctx);
	void *ctx;
	/*
	 * Or NULL: no job on the caller's thread, which calls this every 50 ms
	 * while the threads work and once after (tick is then not called).
	 * Threads that cannot start leave their share to the others, and if
	 * none starts, the caller's thread runs every job.
	 */
	void (*sample)(void *ctx);
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
