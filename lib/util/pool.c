/* Jobs spread over threads (see pool.h). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "error.h"
#include "pool.h"

typedef struct pool {
	const dc_pool_opts *o;
	pthread_mutex_t lock;
	size_t next;
	int failed, error;
	int running; /* threads not done yet */
	char message[1024];
} pool;

typedef struct runner {
	pool *p;
	int thread;
	pthread_t id;
} runner;

static void run(runner *r)
{
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
		if (r->thread == 0 && p->o->tick && !p->o->sample)
			p->o->tick(p->o->ctx);
	}
}

static void *thread_main(void *arg)
{
	runner *r = arg;

	run(r);
	pthread_mutex_lock(&r->p->lock);
	r->p->running--;
	pthread_mutex_unlock(&r->p->lock);
	return NULL;
}

/* Call o->sample every 50 ms until every thread is done. */
static void sample_until_done(pool *p)
{
	for (;;) {
		struct timespec ts = { 0, 50 * 1000000L };
		int running;

		pthread_mutex_lock(&p->lock);
		running = p->running;
		pthread_mutex_unlock(&p->lock);
		if (running <= 0)
			break;
		p->o->sample(p->o->ctx);
		nanosleep(&ts, NULL);
	}
}

int dc_pool_run(const dc_pool_opts *o)
{
	pool p = { o, PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, "" };
	runner *r;
	int n = o->nthreads < 1 ? 1 : o->nthreads, i, started = 0, error = 0;
	/* With sample(), thread 0 is a new thread too. */
	int first = o->sample ? 0 : 1;

	if (!(r = calloc((size_t)n, sizeof(*r))))
		return dc_error_oom();
	for (i = 0; i < n; i++) {
		r[i].p = &p;
		r[i].thread = i;
	}
	/* Threads that cannot start leave their share to the others. */
	p.running = n - first;
	for (i = first; i < n; i++) {
		if (pthread_create(&r[i].id, NULL, thread_main, &r[i]) != 0)
			break;
		started++;
	}
	pthread_mutex_lock(&p.lock);
	p.running -= n - first - started;
	pthread_mutex_unlock(&p.lock);
	if (!o->sample || !started)
		run(&r[0]); /* with sample(), only if no thread could start */
	else
		sample_until_done(&p);
	for (i = first; i < first + started; i++)
		pthread_join(r[i].id, NULL);
	if (o->sample)
		o->sample(o->ctx);
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
