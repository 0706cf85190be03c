/*
 * What the verify checks share: the names of problem kinds, reporting a
 * problem, small checks of names and values, and loose files hashed on
 * the thread pool (for the tranche check and loose-file identification).
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/pool.h"
#include "verify_internal.h"

static const char *const kind_names[DECLASS_VERIFY__COUNT] = {
	"object-missing", "object-corrupt", "sha256-mismatch", "size-mismatch",
	"file-missing",   "file-unlisted",  "path-unsafe",     "metadata",
	"release-json",   "trailer",        "history",         "tag",
	"unknown-file",   "ingest-refused", "signature",       "replaced",
};

const char *declass_verify_kind_name(declass_verify_kind kind)
{
	return (unsigned)kind < DECLASS_VERIFY__COUNT ? kind_names[kind] : "unknown";
}

/* ---- problems -------------------------------------------------------- */

void verify_report(reporter *r, declass_verify_kind kind, const char *release, const char *record,
                   const char *path, const store_oid *obj, const char *fmt, ...)
{
	declass_verify_problem p = { kind, release, record, path, NULL, NULL };
	char msg[1024], hex[STORE_OID_HEX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (obj) {
		store_oid_fmt(hex, obj);
		p.object = hex;
	}
	p.message = msg;
	r->c->problems++;
	r->c->by_kind[kind]++;
	if (r->o && r->o->problem)
		r->o->problem(r->o->problem_ctx, &p);
}

/* An object read failed: a problem if the archive is at fault, else an error. */
int verify_report_read(reporter *r, int error, const char *release, const char *record,
                       const char *path, const store_oid *obj)
{
	if (error == DECLASS_ENOTFOUND)
		verify_report(r, DECLASS_VERIFY_OBJECT_MISSING, release, record, path, obj, "%s",
		              declass_error_last());
	else if (error == DECLASS_EARCHIVE)
		verify_report(r, DECLASS_VERIFY_OBJECT_CORRUPT, release, record, path, obj, "%s",
		              declass_error_last());
	else
		return error;
	return 0;
}

/* ---- small checks ---------------------------------------------------- */

int verify_is_hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!s || !isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return s[64] == '\0';
}

/* A file name the archive can hold in a record folder. */
int verify_safe_name(const char *name)
{
	const unsigned char *c;

	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (c = (const unsigned char *)name; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '/' || *c == '\\')
			return 0;
	return 1;
}

int verify_json_uint(const json_t *v, uint64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return 0;
	*out = (uint64_t)json_integer_value(v);
	return 1;
}

/* ---- hashing threads ------------------------------------------------- */

/* Hashing threads: --jobs (opts->threads, at most 256), else one per core; no more than jobs. */
unsigned verify_thread_count(const declass_verify_opts *o, size_t jobs)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = o && o->threads ? o->threads : (unsigned)(cores > 0 ? cores : 1);

	if (n > 256)
		n = 256;
	if (n > jobs)
		n = (unsigned)jobs;
	return n ? n : 1;
}

/* ---- hashing loose files --------------------------------------------- */

/* Loose files hashed on the pool; progress from counters the calling thread samples. */
typedef struct lhash {
	loose *files;
	const declass_verify_opts *o;
	declass_progress pr;
	atomic_size_t done;          /* files hashed */
	atomic_uint_least64_t bytes; /* bytes hashed */
} lhash;

/* A file's failure stays in files[i], for the caller to report: the others go on. */
static int loose_job(void *ctx, int thread, size_t i)
{
	lhash *h = ctx;
	loose *f = &h->files[i];

	(void)thread;
	f->status = declass_sha256_file(f->sha256, &f->size, f->path);
	if (f->status < 0 && !(f->error = strdup(declass_error_last())))
		f->status = DECLASS_ENOMEM;
	atomic_fetch_add(&h->bytes, f->size);
	atomic_fetch_add(&h->done, 1);
	return 0;
}

static void loose_sample(void *ctx)
{
	lhash *h = ctx;

	h->pr.files_done = atomic_load(&h->done);
	h->pr.bytes_done = atomic_load(&h->bytes);
	h->o->progress(h->o->progress_ctx, &h->pr);
}

/* Hash files[0..n) on all cores; per-file failures stay in files[i]. */
int verify_hash_loose(loose *files, size_t n, const declass_verify_opts *o, uint64_t total)
{
	lhash h = { files, o, { "hash", 0, n, 0, total }, 0, 0 };
	dc_pool_opts po = { n, (int)verify_thread_count(o, n), loose_job, NULL, &h, NULL };
	size_t i;
	int error;

	if (!n)
		return 0;
	if (o && o->progress)
		po.sample = loose_sample;
	if ((error = dc_pool_run(&po)) < 0)
		return error;
	for (i = 0; i < n; i++)
		if (files[i].status == DECLASS_ENOMEM)
			return dc_error_oom();
	return 0;
}
