/* Jobs spread over threads (see pool.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "pool.h"

typedef struct pool {
	const dc_pool_opts *o;
	pthread_mutex_t lock;
	size_t next;
	int failed, error;
	char message[1024];
} pool;

typedef struct runner {
	pool *p;
	int thread;
	pthread_t id;
} runner;

static void *run(void *arg)
{
	runner *r = arg;
	pool *p = r->p;

	for (;;) {
		size_t i = 0;
		int take, error;

		pthread_mutex_lock(&p->lock);
		take = !p->failed && p->next < p->o->njobs;
		if (take)
			i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (!take)
			break;
		if ((error = p->o->job(p->o->ctx, r->thread, i)) < 0) {
			pthread_mutex_lock(&p->lock);
			if (!p->failed) {
				p->failed = 1;
				p->error = error;
				snprintf(p->message, sizeof(p->message), "%s",
				         declass_error_last());
			}
			pthread_mutex_unlock(&p->lock);
		}
		if (r->thread == 0 && p->o->tick)
			p->o->tick(p->o->ctx);
	}
	return NULL;
}

int dc_pool_run(const dc_pool_opts *o)
{
	pool p = { o, PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, "" };
	runner *r;
	int n = o->nthreads < 1 ? 1 : o->nthreads, i, started = 0, error = 0;

	if (!(r = calloc((size_t)n, sizeof(*r))))
		return dc_error_oom();
	for (i = 0; i < n; i++) {
		r[i].p = &p;
		r[i].thread = i;
	}
	/* Threads that cannot start leave their share to the others. */
	for (i = 1; i < n; i++) {
		if (pthread_create(&r[i].id, NULL, run, &r[i]) != 0)
			break;
		started = i;
	}
	run(&r[0]);
	for (i = 1; i <= started; i++)
		pthread_join(r[i].id, NULL);
	if (p.failed)
		error = dc_error_set(p.error, "%s", p.message);
	pthread_mutex_destroy(&p.lock);
	free(r);
	return error;
}

void dc_progress_emit(pthread_mutex_t *lock, const declass_progress *p,
                      void (*cb)(void *ctx, const declass_progress *p), void *ctx)
{
	declass_progress copy;

	if (!cb)
		return;
	pthread_mutex_lock(lock);
	copy = *p;
	pthread_mutex_unlock(lock);
	cb(ctx, &copy);
}
