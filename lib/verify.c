/*
 * Verify: fixity of the whole archive and trust in its history, loose
 * files identified by SHA-256, and a downloaded tranche checked against
 * its manifest before ingest.  docs/VERIFY.md describes every check.
 *
 * The archive check runs in two passes.  The first walks the history from
 * the branch tip, reads every commit, tag, tree and JSON blob strictly
 * (store/verify.c), checks the history, tags, trailers and paths, and
 * collects what each meta.json and releases/ID.json says about each file
 * version: an "expectation" (blob, SHA-256, size).  A record folder (a
 * tree) or blob met again in a later release is the same object and is
 * not walked again, so "every file version" costs one read of each.  The
 * second pass hashes each distinct blob once, on all cores, each thread
 * with its own archive handle; then every expectation is compared.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "buf.h"
#include "declass/record.h"
#include "declass/verify.h"
#include "jsonutil.h"
#include "sign.h"
#include "tranche.h"
#include "verify.h" /* store/verify.h */

#define MAX_DEPTH 8 /* records/a/b/c is 3 below records/ */

static const char *const kind_names[DECLASS_VERIFY__COUNT] = {
	"object-missing", "object-corrupt", "sha256-mismatch", "size-mismatch",
	"file-missing",   "file-unlisted",  "path-unsafe",     "metadata",
	"release-json",   "trailer",        "history",         "tag",
	"unknown-file",   "ingest-refused", "signature",
};

const char *declass_verify_kind_name(declass_verify_kind kind)
{
	return (unsigned)kind < DECLASS_VERIFY__COUNT ? kind_names[kind] : "unknown";
}

/* ---- problems ---------------------------------------------------------- */

typedef struct reporter {
	const declass_verify_opts *o;
	declass_verify_counts *c;
} reporter;

static void report(reporter *r, declass_verify_kind kind, const char *release,
                   const char *record, const char *path, const store_oid *obj,
                   const char *fmt, ...) DC_PRINTF(7, 8);

static void report(reporter *r, declass_verify_kind kind, const char *release,
                   const char *record, const char *path, const store_oid *obj,
                   const char *fmt, ...)
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
static int report_read(reporter *r, int error, const char *release, const char *record,
                       const char *path, const store_oid *obj)
{
	if (error == DECLASS_ENOTFOUND)
		report(r, DECLASS_VERIFY_OBJECT_MISSING, release, record, path, obj, "%s",
		       declass_error_last());
	else if (error == DECLASS_EARCHIVE)
		report(r, DECLASS_VERIFY_OBJECT_CORRUPT, release, record, path, obj, "%s",
		       declass_error_last());
	else
		return error;
	return 0;
}

/* ---- a set of object ids ----------------------------------------------- */

typedef struct oidmap {
	store_oid *keys;
	size_t *vals;
	unsigned char *used;
	size_t cap, n;
} oidmap;

static size_t oid_slot(const oidmap *m, const store_oid *k)
{
	size_t h;

	memcpy(&h, k->id, sizeof(h)); /* ids are uniformly distributed */
	return h & (m->cap - 1);
}

/* 1 and *val if k is in the map, else 0. */
static int oidmap_get(const oidmap *m, const store_oid *k, size_t *val)
{
	size_t i;

	if (!m->cap)
		return 0;
	for (i = oid_slot(m, k); m->used[i]; i = (i + 1) & (m->cap - 1))
		if (store_oid_equal(&m->keys[i], k)) {
			if (val)
				*val = m->vals[i];
			return 1;
		}
	return 0;
}

static int oidmap_put(oidmap *m, const store_oid *k, size_t val)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap) {
		oidmap g = { 0 };

		g.cap = m->cap ? 2 * m->cap : 1024;
		if (!(g.keys = malloc(g.cap * sizeof(*g.keys))) ||
		    !(g.vals = malloc(g.cap * sizeof(*g.vals))) || !(g.used = calloc(g.cap, 1))) {
			free(g.keys);
			free(g.vals);
			return dc_error_oom();
		}
		for (i = 0; i < m->cap; i++)
			if (m->used[i])
				oidmap_put(&g, &m->keys[i], m->vals[i]);
		free(m->keys);
		free(m->vals);
		free(m->used);
		*m = g;
	}
	for (i = oid_slot(m, k); m->used[i]; i = (i + 1) & (m->cap - 1))
		if (store_oid_equal(&m->keys[i], k)) {
			m->vals[i] = val;
			return 0;
		}
	m->used[i] = 1;
	m->keys[i] = *k;
	m->vals[i] = val;
	m->n++;
	return 0;
}

static void oidmap_free(oidmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

/* ---- a pool of hashing threads ----------------------------------------- */

typedef struct pool pool;

struct pool {
	size_t n;            /* jobs */
	atomic_size_t next;  /* next job to take */
	atomic_size_t done;  /* jobs finished */
	atomic_uint_least64_t bytes; /* bytes hashed so far */
	atomic_int running;  /* workers still running */
	void *ctx;
	/* Per-thread state (an archive handle); may be NULL. */
	int (*setup)(void *ctx, void **state);
	void (*teardown)(void *state);
	/* Job i; per-job failures are the job's to record. */
	void (*job)(pool *p, void *state, size_t i);
};

typedef struct worker {
	pool *p;
	pthread_t thread;
	int started;
	int error;
	char msg[512];
} worker;

static void *pool_main(void *arg)
{
	worker *w = arg;
	pool *p = w->p;
	void *state = NULL;
	size_t i;

	if (p->setup && (w->error = p->setup(p->ctx, &state)) < 0) {
		snprintf(w->msg, sizeof(w->msg), "%s", declass_error_last());
		atomic_fetch_sub(&p->running, 1);
		return NULL;
	}
	while ((i = atomic_fetch_add(&p->next, 1)) < p->n) {
		p->job(p, state, i);
		atomic_fetch_add(&p->done, 1);
	}
	if (p->teardown)
		p->teardown(state);
	atomic_fetch_sub(&p->running, 1);
	return NULL;
}

static unsigned thread_count(const declass_verify_opts *o, size_t jobs)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = o && o->threads ? o->threads : (unsigned)(cores > 0 ? cores : 1);

	if (n > 256)
		n = 256;
	if (n > jobs)
		n = (unsigned)jobs;
	return n ? n : 1;
}

/*
 * Run every job of p on threads, reporting progress from this thread.
 * Fails only if no thread could start its work.
 */
static int pool_run(pool *p, const declass_verify_opts *o, const char *phase,
                    uint64_t bytes_total)
{
	unsigned n = thread_count(o, p->n), i;
	declass_progress pr = { phase, 0, p->n, 0, bytes_total };
	worker *w;
	int error = 0;

	if (!p->n)
		return 0;
	if (!(w = calloc(n, sizeof(*w))))
		return dc_error_oom();
	atomic_store(&p->running, (int)n);
	for (i = 0; i < n; i++) {
		w[i].p = p;
		if (pthread_create(&w[i].thread, NULL, pool_main, &w[i]) != 0) {
			atomic_fetch_sub(&p->running, 1);
			w[i].error = dc_error_sys(DECLASS_ERROR, "cannot start a hashing thread");
			snprintf(w[i].msg, sizeof(w[i].msg), "%s", declass_error_last());
		} else {
			w[i].started = 1;
		}
	}
	/* Without a progress callback, just wait for the threads. */
	while (o && o->progress && atomic_load(&p->running) > 0) {
		struct timespec ts = { 0, 50 * 1000000L };

		if (o && o->progress) {
			pr.files_done = atomic_load(&p->done);
			pr.bytes_done = atomic_load(&p->bytes);
			o->progress(o->progress_ctx, &pr);
		}
		nanosleep(&ts, NULL);
	}
	for (i = 0; i < n; i++)
		if (w[i].started)
			pthread_join(w[i].thread, NULL);
	if (o && o->progress) {
		pr.files_done = atomic_load(&p->done);
		pr.bytes_done = atomic_load(&p->bytes);
		o->progress(o->progress_ctx, &pr);
	}
	if (atomic_load(&p->done) < p->n) {
		for (i = 0; i < n && !error; i++)
			if (w[i].error < 0)
				error = dc_error_set(w[i].error, "%s", w[i].msg);
		if (!error)
			error = dc_error_set(DECLASS_ERROR, "hashing threads stopped early");
	}
	free(w);
	return error;
}

/* ---- helpers ------------------------------------------------------------ */

static int is_hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!s || !isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	return s[64] == '\0';
}

/* A file name the archive can hold in a record folder. */
static int safe_name(const char *name)
{
	const unsigned char *c;

	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (c = (const unsigned char *)name; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '/' || *c == '\\')
			return 0;
	return 1;
}

static const char *mode_name(unsigned mode)
{
	switch (mode) {
	case STORE_MODE_TREE: return "a folder";
	case STORE_MODE_LINK: return "a symbolic link";
	case STORE_MODE_COMMIT: return "a submodule link";
	case STORE_MODE_BLOB_EXEC: return "an executable file";
	default: return "an entry of unknown mode";
	}
}

static int json_uint(const json_t *v, uint64_t *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return 0;
	*out = (uint64_t)json_integer_value(v);
	return 1;
}

/* ---- the archive check: state ------------------------------------------ */

typedef struct relinfo {
	store_oid commit, tree;
	char *message;
	char *id;           /* Release-Id, or NULL */
	char *date;         /* Release-Date, or NULL */
	char *json_sha;     /* Release-JSON-SHA256 trailer, or NULL */
	char *label;        /* id, or "commit <hex12>" */
	store_oid json;     /* releases/<id>.json in its own commit */
	int has_json;
	int has_ref;        /* a release/<id> tag ref exists */
	int sig_seen;       /* its tag (on its commit) was checked for signatures */
} relinfo;

typedef struct blob {
	store_oid oid;
	size_t rel;         /* the first release it was met in */
	char *record, *path;
	uint64_t expect_size; /* for progress: a size JSON gave, or 0 */
	/* Filled in by the hashing pass. */
	int status;         /* 0, or the read's error code */
	char *error;
	char sha256[DECLASS_SHA256_HEX];
	uint64_t size;
} blob;

typedef struct expect {
	size_t blob, rel;
	char *record, *path;
	int from_meta;      /* 1: meta.json says it; 0: releases/<id>.json */
	char sha256[DECLASS_SHA256_HEX];
	uint64_t size;
} expect;

typedef struct verifier {
	reporter r;
	store *s;
	const declass_verify_opts *o;
	oidmap seen;        /* trees and JSON blobs already checked */
	oidmap blobmap;     /* file blobs -> index in blobs */
	blob *blobs;
	size_t nblobs, ablobs;
	expect *ex;
	size_t nex, aex;
	relinfo *rels;
	size_t nrels;
	size_t cur;         /* the release being walked */
	declass_progress pr;
} verifier;

static void walk_progress(verifier *v)
{
	if (v->o && v->o->progress) {
		v->pr.files_done = v->r.c->objects;
		v->o->progress(v->o->progress_ctx, &v->pr);
	}
}

/* The index of the file blob `oid`, added (first met here) if new. */
static int add_blob(verifier *v, const store_oid *oid, const char *record, const char *path,
                    uint64_t expect_size, size_t *out)
{
	blob *b;

	if (oidmap_get(&v->blobmap, oid, out)) {
		if (!v->blobs[*out].expect_size)
			v->blobs[*out].expect_size = expect_size;
		return 0;
	}
	if (v->nblobs == v->ablobs) {
		size_t alloc = v->ablobs ? 2 * v->ablobs : 256;

		if (!(b = realloc(v->blobs, alloc * sizeof(*b))))
			return dc_error_oom();
		v->blobs = b;
		v->ablobs = alloc;
	}
	b = &v->blobs[v->nblobs];
	memset(b, 0, sizeof(*b));
	b->oid = *oid;
	b->rel = v->cur;
	b->expect_size = expect_size;
	if ((record && !(b->record = strdup(record))) || !(b->path = strdup(path))) {
		free(b->record);
		return dc_error_oom();
	}
	*out = v->nblobs++;
	return oidmap_put(&v->blobmap, oid, *out);
}

static int add_expect(verifier *v, const store_oid *oid, const char *record, const char *path,
                      int from_meta, const char *sha256, uint64_t size)
{
	expect *e;
	size_t bi;
	int error;

	if ((error = add_blob(v, oid, record, path, size, &bi)) < 0)
		return error;
	if (v->nex == v->aex) {
		size_t alloc = v->aex ? 2 * v->aex : 256;

		if (!(e = realloc(v->ex, alloc * sizeof(*e))))
			return dc_error_oom();
		v->ex = e;
		v->aex = alloc;
	}
	e = &v->ex[v->nex];
	memset(e, 0, sizeof(*e));
	e->blob = bi;
	e->rel = v->cur;
	e->from_meta = from_meta;
	e->size = size;
	memcpy(e->sha256, sha256, DECLASS_SHA256_HEX);
	if (!(e->record = strdup(record)) || !(e->path = strdup(path))) {
		free(e->record);
		return dc_error_oom();
	}
	v->nex++;
	v->r.c->file_versions++;
	return 0;
}

/* Read a JSON blob strictly, once; *out NULL (problem reported) if bad. */
static int read_json(verifier *v, json_t **out, const store_oid *oid, const char *record,
                     const char *path)
{
	dc_buf data = DC_BUF_INIT;
	const char *rid = v->rels[v->cur].label;
	int error;

	*out = NULL;
	if (!oidmap_get(&v->seen, oid, NULL)) {
		v->r.c->objects++;
		if ((error = oidmap_put(&v->seen, oid, 0)) < 0)
			return error;
	}
	if ((error = store_blob_read(v->s, oid, &data)) < 0) {
		error = report_read(&v->r, error, rid, record, path, oid);
		goto done;
	}
	if ((error = dc_json_parse(out, &data, path)) < 0) {
		report(&v->r, DECLASS_VERIFY_METADATA, rid, record, path, oid, "%s",
		       declass_error_last());
		error = 0;
	}
done:
	dc_buf_free(&data);
	return error;
}

/* ---- the archive check: record folders --------------------------------- */

typedef struct entry {
	char *name;
	unsigned mode;
	store_oid oid;
} entry;

typedef struct entries {
	entry *v;
	size_t n, alloc;
} entries;

static int collect_entry(void *ctx, const char *name, unsigned mode, const store_oid *oid)
{
	entries *es = ctx;

	if (es->n == es->alloc) {
		size_t alloc = es->alloc ? 2 * es->alloc : 16;
		entry *v = realloc(es->v, alloc * sizeof(*v));

		if (!v)
			return dc_error_oom();
		es->v = v;
		es->alloc = alloc;
	}
	if (!(es->v[es->n].name = strdup(name)))
		return dc_error_oom();
	es->v[es->n].mode = mode;
	es->v[es->n].oid = *oid;
	es->n++;
	return 0;
}

static void entries_free(entries *es)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		free(es->v[i].name);
	free(es->v);
	memset(es, 0, sizeof(*es));
}

/*
 * Read the tree `oid` (at `path`) into es, strictly.  Returns 1 if it was
 * read, 0 if it had been checked already or could not be read (reported).
 */
static int read_tree(verifier *v, entries *es, const store_oid *oid, const char *path,
                     int once)
{
	int error;

	if (oidmap_get(&v->seen, oid, NULL)) {
		if (once)
			return 0;
	} else {
		v->r.c->objects++;
		if ((error = oidmap_put(&v->seen, oid, 0)) < 0)
			return error;
	}
	if ((error = store_tree_each(v->s, oid, collect_entry, es)) < 0) {
		entries_free(es);
		error = report_read(&v->r, error, v->rels[v->cur].label, NULL, path, oid);
		return error < 0 ? error : 0;
	}
	return 1;
}

static const entry *find_entry(const entries *es, const char *name)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		if (!strcmp(es->v[i].name, name))
			return &es->v[i];
	return NULL;
}

/* Check one file of a record's folder against what meta.json says of it. */
static int check_meta_file(verifier *v, const entry *e, const json_t *info, const char *record,
                           const char *path)
{
	const char *rid = v->rels[v->cur].label;
	const char *sha = json_string_value(json_object_get(info, "sha256"));
	uint64_t size;

	if (!json_is_object(info) || !is_hex64(sha) || !json_uint(json_object_get(info, "size"), &size)) {
		report(&v->r, DECLASS_VERIFY_METADATA, rid, record, path, NULL,
		       "meta.json has no valid sha256 and size for '%s'", e->name);
		return 0;
	}
	return add_expect(v, &e->oid, record, path, 1, sha, size);
}

static int check_record(verifier *v, const entries *es, const char *dir)
{
	const char *rid = v->rels[v->cur].label, *record = NULL, *mrel;
	const entry *meta_entry = find_entry(es, "meta.json");
	dc_buf path = DC_BUF_INIT, mpath = DC_BUF_INIT;
	json_t *meta = NULL, *files, *text, *info;
	char *want = NULL;
	const char *key;
	size_t i;
	int error, known;

	v->r.c->records++;
	if ((error = dc_buf_addf(&mpath, "%s/meta.json", dir)) < 0)
		goto done;
	if (meta_entry->mode != STORE_MODE_BLOB) {
		report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, rid, NULL, mpath.ptr, &meta_entry->oid,
		       "'%s' is %s, not a plain file", mpath.ptr, mode_name(meta_entry->mode));
		goto done;
	}
	if ((error = read_json(v, &meta, &meta_entry->oid, NULL, mpath.ptr)) < 0 || !meta)
		goto done;
	record = json_string_value(json_object_get(meta, "record"));
	files = json_object_get(meta, "files");
	text = json_object_get(meta, "text");
	if (!record || !json_is_object(files)) {
		report(&v->r, DECLASS_VERIFY_METADATA, rid, record, mpath.ptr, &meta_entry->oid,
		       "meta.json has no record id or no files");
		goto done;
	}
	/* The record's place is a function of its id: nothing may sit elsewhere. */
	if (declass_record_path(&want, record) < 0 || strcmp(want, dir)) {
		report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, rid, record, dir, NULL,
		       "record '%s' is in '%s', but its place is '%s'", record, dir,
		       want ? want : "(none: not a valid record id)");
		goto done;
	}
	mrel = json_string_value(json_object_get(meta, "release"));
	for (i = 0, known = 0; mrel && i <= v->cur; i++)
		if (v->rels[i].id && !strcmp(v->rels[i].id, mrel))
			known = 1;
	if (!known)
		report(&v->r, DECLASS_VERIFY_METADATA, rid, record, mpath.ptr, &meta_entry->oid,
		       "meta.json names release '%s', which is not in the history up to here",
		       mrel ? mrel : "(none)");

	for (i = 0; i < es->n; i++) {
		const entry *e = &es->v[i];

		if (e == meta_entry)
			continue;
		dc_buf_truncate(&path, 0);
		if ((error = dc_buf_addf(&path, "%s/%s", dir, e->name)) < 0)
			goto done;
		if (!safe_name(e->name)) {
			report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, rid, record, path.ptr, &e->oid,
			       "file name '%s' is not a safe name", e->name);
			continue;
		}
		if (e->mode != STORE_MODE_BLOB) {
			report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, rid, record, path.ptr, &e->oid,
			       "'%s' is %s, not a plain file", e->name, mode_name(e->mode));
			continue;
		}
		if (!strcmp(e->name, "text.txt") && json_is_object(text))
			info = text;
		else if (!(info = json_object_get(files, e->name)))
			info = NULL;
		if (!info) {
			size_t bi;

			report(&v->r, DECLASS_VERIFY_FILE_UNLISTED, rid, record, path.ptr, &e->oid,
			       "'%s' is in the record's folder but not in its meta.json", e->name);
			/* Still an object reached from a release: check it reads. */
			if ((error = add_blob(v, &e->oid, record, path.ptr, 0, &bi)) < 0)
				goto done;
			continue;
		}
		if ((error = check_meta_file(v, e, info, record, path.ptr)) < 0)
			goto done;
	}
	json_object_foreach(files, key, info) {
		if (!find_entry(es, key) || !strcmp(key, "meta.json") || !strcmp(key, "text.txt"))
			report(&v->r, DECLASS_VERIFY_FILE_MISSING, rid, record, dir, NULL,
			       "meta.json lists '%s' but the record's folder has no such file", key);
	}
	if (json_is_object(text) && !find_entry(es, "text.txt"))
		report(&v->r, DECLASS_VERIFY_FILE_MISSING, rid, record, dir, NULL,
		       "meta.json has a text but the record's folder has no text.txt");
done:
	free(want);
	json_decref(meta);
	dc_buf_free(&path);
	dc_buf_free(&mpath);
	return error;
}

/* A folder under records/: a record's (it holds meta.json) or one on the way. */
static int walk_records(verifier *v, const store_oid *oid, const char *dir, int depth)
{
	const char *rid = v->rels[v->cur].label;
	entries es = { 0 };
	dc_buf sub = DC_BUF_INIT;
	size_t i;
	int error;

	if ((error = read_tree(v, &es, oid, dir, 1)) <= 0)
		return error;
	error = 0;
	if (v->r.c->objects % 256 == 0)
		walk_progress(v);
	if (find_entry(&es, "meta.json")) {
		error = check_record(v, &es, dir);
		goto done;
	}
	for (i = 0; i < es.n && !error; i++) {
		const entry *e = &es.v[i];

		dc_buf_truncate(&sub, 0);
		if ((error = dc_buf_addf(&sub, "%s/%s", dir, e->name)) < 0)
			break;
		if (!safe_name(e->name) || e->name[0] == '.') {
			report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, rid, NULL, sub.ptr, &e->oid,
			       "'%s' is not a safe folder name", e->name);
		} else if (e->mode != STORE_MODE_TREE) {
			size_t bi;

			report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, rid, NULL, sub.ptr, &e->oid,
			       "'%s' is %s outside any record's folder", sub.ptr,
			       e->mode == STORE_MODE_BLOB ? "a file" : mode_name(e->mode));
			if (e->mode == STORE_MODE_BLOB || e->mode == STORE_MODE_BLOB_EXEC)
				error = add_blob(v, &e->oid, NULL, sub.ptr, 0, &bi);
		} else if (depth >= MAX_DEPTH) {
			report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, rid, NULL, sub.ptr, &e->oid,
			       "'%s' is nested too deep for a record's folder", sub.ptr);
		} else {
			error = walk_records(v, &e->oid, sub.ptr, depth + 1);
		}
	}
done:
	entries_free(&es);
	dc_buf_free(&sub);
	return error;
}

/* ---- the archive check: one release commit ------------------------------ */

/* The trailer `key` of r's message as a new string, or NULL. */
static char *trailer(const char *message, const char *key)
{
	dc_buf b = DC_BUF_INIT;

	if (store_trailer(message, key, &b) < 0) {
		dc_buf_free(&b);
		return NULL;
	}
	return dc_buf_detach(&b);
}

/* A trailer and the release JSON's field must agree (both absent is fine). */
static void compare_trailer(verifier *v, const relinfo *r, const char *key, const char *json_value,
                            const char *path)
{
	char *t = trailer(r->message, key);

	if ((t || json_value) && (!t || !json_value || strcmp(t, json_value)))
		report(&v->r, DECLASS_VERIFY_TRAILER, r->label, NULL, path, &r->commit,
		       "trailer %s is '%s' but %s says '%s'", key, t ? t : "(absent)", path,
		       json_value ? json_value : "(absent)");
	free(t);
}

static int check_release_json(verifier *v, relinfo *r, const char *path)
{
	dc_buf data = DC_BUF_INIT, rp = DC_BUF_INIT;
	json_t *j = NULL, *f, *m;
	char sha[DECLASS_SHA256_HEX];
	uint64_t released = 0, bytes;
	size_t i;
	int error;

	v->r.c->objects++;
	if ((error = oidmap_put(&v->seen, &r->json, 0)) < 0)
		goto done;
	if ((error = store_blob_read(v->s, &r->json, &data)) < 0) {
		error = report_read(&v->r, error, r->label, NULL, path, &r->json);
		goto done;
	}
	if ((error = declass_sha256_buf(sha, data.ptr, data.len)) < 0)
		goto done;
	if (!r->json_sha)
		report(&v->r, DECLASS_VERIFY_TRAILER, r->label, NULL, NULL, &r->commit,
		       "commit has no Release-JSON-SHA256 trailer");
	else if (strcmp(sha, r->json_sha))
		report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, path, &r->json,
		       "%s hashes to %.16s..., but the commit's Release-JSON-SHA256 says %.16s...: "
		       "it was changed after the release was committed",
		       path, sha, r->json_sha);
	if ((error = dc_json_parse(&j, &data, path)) < 0) {
		report(&v->r, DECLASS_VERIFY_METADATA, r->label, NULL, path, &r->json, "%s",
		       declass_error_last());
		error = 0;
		goto done;
	}
	compare_trailer(v, r, "Release-Id", dc_json_str(j, "id"), path);
	compare_trailer(v, r, "Release-Date", dc_json_str(j, "date"), path);
	compare_trailer(v, r, "Source", dc_json_str(j, "source"), path);
	compare_trailer(v, r, "Tool-Version", dc_json_str(j, "tool_version"), path);
	compare_trailer(v, r, "Ingested-By", dc_json_str(j, "ingested_by"), path);
	m = json_object_get(j, "manifest");
	compare_trailer(v, r, "Manifest-SHA256", json_is_object(m) ? dc_json_str(m, "sha256") : NULL,
	                path);

	if (!json_is_array(json_object_get(j, "files"))) {
		report(&v->r, DECLASS_VERIFY_METADATA, r->label, NULL, path, &r->json,
		       "%s has no list of files", path);
		goto done;
	}
	json_array_foreach(json_object_get(j, "files"), i, f) {
		const char *record = dc_json_str(f, "record"), *fpath = dc_json_str(f, "path");
		const char *fsha = dc_json_str(f, "sha256"), *kind = dc_json_str(f, "kind");
		const char *base = fpath ? strrchr(fpath, '/') : NULL;
		char *place = NULL;
		store_oid oid;
		uint64_t size;
		int ok;

		if (!record || !fpath || !is_hex64(fsha) || !json_uint(json_object_get(f, "size"), &size) ||
		    !kind) {
			report(&v->r, DECLASS_VERIFY_METADATA, r->label, record, path, &r->json,
			       "%s: file entry %zu lacks a valid record, path, sha256, size or kind", path,
			       i + 1);
			continue;
		}
		if (!strcmp(kind, "released"))
			released += size;
		/* The path must be the record's place plus one safe name. */
		ok = base && declass_record_path(&place, record) == 0 &&
		     (size_t)(base - fpath) == strlen(place) && !strncmp(fpath, place, strlen(place)) &&
		     safe_name(base + 1) && strcmp(base + 1, "meta.json") &&
		     (!strcmp(kind, "text") == !strcmp(base + 1, "text.txt"));
		free(place);
		if (!ok) {
			report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, r->label, record, fpath, &r->json,
			       "%s lists '%s' for record '%s': not a %s file in that record's place",
			       path, fpath, record, kind);
			continue;
		}
		error = store_path_oid(v->s, &r->commit, fpath, &oid);
		if (error == DECLASS_ENOTFOUND) {
			report(&v->r, DECLASS_VERIFY_FILE_MISSING, r->label, record, fpath, NULL,
			       "%s lists '%s' but the release's tree has no such file", path, fpath);
			error = 0;
			continue;
		}
		if (error < 0) {
			/* A tree on the way is unreadable: the walk reported it. */
			error = 0;
			continue;
		}
		if ((error = add_expect(v, &oid, record, fpath, 0, fsha, size)) < 0)
			goto done;
	}
	if (json_uint(json_object_get(j, "bytes"), &bytes) && bytes != released)
		report(&v->r, DECLASS_VERIFY_METADATA, r->label, NULL, path, &r->json,
		       "%s says %llu bytes but its released files add up to %llu", path,
		       (unsigned long long)bytes, (unsigned long long)released);
done:
	json_decref(j);
	dc_buf_free(&data);
	dc_buf_free(&rp);
	return error;
}

static int check_declass_json(verifier *v, const store_oid *oid)
{
	json_t *j = NULL;
	int error;

	if (oidmap_get(&v->seen, oid, NULL))
		return 0;
	if ((error = read_json(v, &j, oid, NULL, "DECLASS.json")) < 0 || !j)
		return error;
	if (!dc_json_str(j, "format") || strcmp(dc_json_str(j, "format"), "declass") ||
	    !json_is_integer(json_object_get(j, "version")) ||
	    json_integer_value(json_object_get(j, "version")) > DECLASS_FORMAT_VERSION)
		report(&v->r, DECLASS_VERIFY_METADATA, v->rels[v->cur].label, NULL, "DECLASS.json", oid,
		       "DECLASS.json does not name the declass format, version 1 to %d",
		       DECLASS_FORMAT_VERSION);
	json_decref(j);
	return 0;
}

/* releases/: this release's JSON and every earlier one, unchanged. */
static int check_releases_dir(verifier *v, relinfo *r, const store_oid *oid)
{
	entries es = { 0 };
	dc_buf name = DC_BUF_INIT, path = DC_BUF_INIT;
	size_t i, j;
	int error;

	if ((error = read_tree(v, &es, oid, "releases", 0)) <= 0)
		return error;
	error = 0;
	for (i = 0; i < es.n; i++) {
		const entry *e = &es.v[i];
		size_t len = strlen(e->name);
		int found = 0;

		dc_buf_truncate(&path, 0);
		if ((error = dc_buf_addf(&path, "releases/%s", e->name)) < 0)
			goto done;
		for (j = 0; j <= v->cur; j++)
			if (v->rels[j].id && len == strlen(v->rels[j].id) + 5 &&
			    !strncmp(e->name, v->rels[j].id, len - 5) && !strcmp(e->name + len - 5, ".json"))
				found = 1;
		if (!found || e->mode != STORE_MODE_BLOB)
			report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, path.ptr, &e->oid,
			       "'%s' is not the JSON of a release in the history up to here", path.ptr);
	}
	for (j = 0; j <= v->cur; j++) {
		const entry *e;

		if (!v->rels[j].id)
			continue;
		dc_buf_truncate(&name, 0);
		dc_buf_truncate(&path, 0);
		if ((error = dc_buf_addf(&name, "%s.json", v->rels[j].id)) < 0 ||
		    (error = dc_buf_addf(&path, "releases/%s", name.ptr)) < 0)
			goto done;
		e = find_entry(&es, name.ptr);
		if (j == v->cur) {
			if (!e) {
				report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, path.ptr, &r->commit,
				       "the release's commit has no %s", path.ptr);
				continue;
			}
			r->json = e->oid;
			r->has_json = 1;
		} else if (!e) {
			report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, path.ptr, NULL,
			       "%s, written by release %s, is missing here", path.ptr, v->rels[j].id);
		} else if (v->rels[j].has_json && !store_oid_equal(&e->oid, &v->rels[j].json)) {
			report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, path.ptr, &e->oid,
			       "%s differs from the one release %s wrote: an archived release was rewritten",
			       path.ptr, v->rels[j].id);
		}
	}
done:
	entries_free(&es);
	dc_buf_free(&name);
	dc_buf_free(&path);
	return error;
}

static int valid_date(const char *d)
{
	int i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? d[i] != '-' : !isdigit((unsigned char)d[i]))
			return 0;
	return d[10] == '\0';
}

static int check_release(verifier *v)
{
	relinfo *r = &v->rels[v->cur];
	entries es = { 0 };
	const entry *e;
	size_t i;
	int error = 0;

	/* History: one release per commit, ids unique, dates in order. */
	if (!r->id) {
		report(&v->r, DECLASS_VERIFY_HISTORY, NULL, NULL, NULL, &r->commit,
		       "%s on the branch is not a release commit (no Release-Id trailer): "
		       "a commit was added outside declass",
		       r->label);
	} else {
		for (i = 0; i < v->cur; i++)
			if (v->rels[i].id && !strcmp(v->rels[i].id, r->id))
				report(&v->r, DECLASS_VERIFY_HISTORY, r->label, NULL, NULL, &r->commit,
				       "release '%s' is on the branch twice (also at %s)", r->id,
				       "an older commit");
		if (!r->date || !valid_date(r->date))
			report(&v->r, DECLASS_VERIFY_TRAILER, r->label, NULL, NULL, &r->commit,
			       "commit has no valid Release-Date trailer");
		for (i = v->cur; i-- > 0;) {
			if (!v->rels[i].date || !r->date)
				continue;
			if (strcmp(r->date, v->rels[i].date) < 0)
				report(&v->r, DECLASS_VERIFY_HISTORY, r->label, NULL, NULL, &r->commit,
				       "release date %s is older than that of the release before it (%s, %s)",
				       r->date, v->rels[i].label, v->rels[i].date);
			break;
		}
	}

	if ((error = read_tree(v, &es, &r->tree, "", 0)) <= 0)
		return error;
	error = 0;
	for (i = 0; i < es.n; i++) {
		e = &es.v[i];
		if (strcmp(e->name, "DECLASS.json") && strcmp(e->name, "releases") &&
		    strcmp(e->name, "records"))
			report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, r->label, NULL, e->name, &e->oid,
			       "unexpected '%s' at the top of the release's tree", e->name);
	}
	if (!(e = find_entry(&es, "DECLASS.json")) || e->mode != STORE_MODE_BLOB)
		report(&v->r, DECLASS_VERIFY_METADATA, r->label, NULL, "DECLASS.json", &r->tree,
		       "the release's tree has no DECLASS.json file");
	else if ((error = check_declass_json(v, &e->oid)) < 0)
		goto done;

	if ((e = find_entry(&es, "records")) && e->mode == STORE_MODE_TREE)
		error = walk_records(v, &e->oid, "records", 0);
	else
		report(&v->r, DECLASS_VERIFY_METADATA, r->label, NULL, "records", &r->tree,
		       "the release's tree has no records folder");
	if (error < 0)
		goto done;

	if ((e = find_entry(&es, "releases")) && e->mode == STORE_MODE_TREE)
		error = check_releases_dir(v, r, &e->oid);
	else if (r->id)
		report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, "releases", &r->tree,
		       "the release's tree has no releases folder");
	if (error < 0 || !r->has_json)
		goto done;
	{
		dc_buf path = DC_BUF_INIT;

		if ((error = dc_release_json_path(&path, r->id)) == 0)
			error = check_release_json(v, r, path.ptr);
		dc_buf_free(&path);
	}
done:
	entries_free(&es);
	return error;
}

/* ---- the archive check: history and tags ------------------------------- */

static int load_history(verifier *v)
{
	relinfo *list = NULL, *grown;
	size_t n = 0, alloc = 0, i;
	store_oid c, tree, parent;
	size_t nparents;
	dc_buf msg = DC_BUF_INIT;
	int error;

	error = store_tip(v->s, &c);
	if (error == DECLASS_ENOTFOUND)
		return 0;
	if (error < 0)
		return error;
	for (;;) {
		char hex[STORE_OID_HEX];

		dc_buf_truncate(&msg, 0);
		store_oid_fmt(hex, &c);
		error = store_commit_read(v->s, &c, &tree, &parent, &nparents, &msg);
		if (error < 0) {
			/* The walk ends here: older commits cannot be reached. */
			char what[64];

			snprintf(what, sizeof(what), "commit %.12s", hex);
			error = report_read(&v->r, error, n ? list[n - 1].label : NULL, NULL, NULL, &c);
			if (error == 0)
				report(&v->r, DECLASS_VERIFY_HISTORY, n ? list[n - 1].label : NULL, NULL,
				       NULL, &c, "the history below %s cannot be read: older releases "
				       "are not verified", n ? list[n - 1].label : what);
			break;
		}
		v->r.c->objects++;
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			if (!(grown = realloc(list, alloc * sizeof(*list)))) {
				error = dc_error_oom();
				break;
			}
			list = grown;
		}
		memset(&list[n], 0, sizeof(list[n]));
		list[n].commit = c;
		list[n].tree = tree;
		list[n].message = dc_buf_detach(&msg);
		list[n].id = trailer(list[n].message, "Release-Id");
		list[n].date = trailer(list[n].message, "Release-Date");
		list[n].json_sha = trailer(list[n].message, "Release-JSON-SHA256");
		if (list[n].id)
			list[n].label = strdup(list[n].id);
		else if ((list[n].label = malloc(32)))
			snprintf(list[n].label, 32, "commit %.12s", hex);
		if (!list[n++].label) {
			error = dc_error_oom();
			break;
		}
		if (nparents > 1)
			report(&v->r, DECLASS_VERIFY_HISTORY, list[n - 1].label, NULL, NULL, &c,
			       "commit %.12s is a merge of %zu commits: the history must be linear", hex,
			       nparents);
		if (nparents == 0)
			break;
		c = parent;
	}
	/* Oldest first. */
	for (i = 0; i < n / 2; i++) {
		relinfo t = list[i];

		list[i] = list[n - 1 - i];
		list[n - 1 - i] = t;
	}
	v->rels = list;
	v->nrels = n;
	dc_buf_free(&msg);
	return error;
}

/* A trusted key's fingerprint? */
static int trusted(const verifier *v, const char *fp)
{
	size_t i;

	for (i = 0; v->o && i < v->o->ntrust; i++)
		if (!strcmp(declass_key_fingerprint(v->o->trust[i]), fp))
			return 1;
	return 0;
}

/*
 * The signatures in the message of release r's tag (docs/SIGNING.md): each
 * must verify over the statement of the release as its commit states it,
 * the message above them must be the one ingest wrote, and with trusted
 * keys one of them must be by a trusted key.
 */
static int check_signature(verifier *v, relinfo *r, const store_oid *tag, const char *msg)
{
	size_t ntrust = v->o ? v->o->ntrust : 0, i, good = 0, bad = 0;
	const char *untrusted = NULL;
	dc_tag_sigs sigs;
	char hex[STORE_OID_HEX];
	int error;

	r->sig_seen = 1;
	if (!r->date || !r->json_sha) {
		/* The trailer problem is reported by check_release(). */
		if (ntrust)
			report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, tag,
			       "release %s cannot be checked for a signature: its commit lacks "
			       "Release-Date or Release-JSON-SHA256",
			       r->id);
		return 0;
	}
	store_oid_fmt(hex, &r->commit);
	if ((error = dc_tag_sigs_check(&sigs, msg, hex, r->id, r->date, r->json_sha)) < 0)
		return error;
	if (sigs.n == 0) {
		if (ntrust)
			report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, tag,
			       "release %s is not signed: its tag carries no " DC_SIG_TRAILER " line",
			       r->id);
		goto done;
	}
	if (sigs.altered) {
		bad++;
		report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, tag,
		       "the message of tag release/%s was altered: above its signatures it must be "
		       "exactly 'Release %s (%s)', a blank line and the commit's Release-JSON-SHA256",
		       r->id, r->id, r->date);
	}
	for (i = 0; i < sigs.n; i++) {
		const dc_tag_sig *s = &sigs.v[i];

		if (s->malformed) {
			bad++;
			report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, tag,
			       "tag release/%s has a malformed " DC_SIG_TRAILER " line (%zu)", r->id,
			       i + 1);
		} else if (!s->valid) {
			bad++;
			report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, tag,
			       "the signature by key %.16s... on release %s does not verify: the "
			       "release or its signature was altered after signing",
			       s->fp, r->id);
		} else if (!ntrust || trusted(v, s->fp)) {
			good++;
		} else if (!untrusted) {
			untrusted = s->fp;
		}
	}
	if (ntrust && !good && untrusted)
		report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, tag,
		       "release %s is signed by key %.16s..., which is not a trusted key", r->id,
		       untrusted);
	if (good && !bad)
		v->r.c->signed_ok++;
done:
	dc_tag_sigs_free(&sigs);
	return 0;
}

static int check_tags(verifier *v)
{
	store_tag_ref *refs = NULL;
	dc_buf name = DC_BUF_INIT, msg = DC_BUF_INIT;
	size_t n = 0, i, j;
	int error;

	if ((error = store_tag_refs(v->s, &refs, &n)) < 0)
		return error;
	for (i = 0; i < n; i++) {
		const store_tag_ref *t = &refs[i];
		store_oid target;
		relinfo *r = NULL, *at = NULL;
		int type = 0, ttype = 0;
		char want[STORE_OID_HEX], got[STORE_OID_HEX];

		v->r.c->tags++;
		for (j = 0; j < v->nrels; j++) {
			if (v->rels[j].id && !strcmp(v->rels[j].id, t->name))
				r = &v->rels[j];
		}
		if (r)
			r->has_ref = 1;
		if (t->symbolic) {
			report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, NULL,
			       "tag release/%s is a symbolic ref, not a tag", t->name);
			continue;
		}
		dc_buf_truncate(&name, 0);
		dc_buf_truncate(&msg, 0);
		if (!oidmap_get(&v->seen, &t->target, NULL)) {
			v->r.c->objects++;
			if ((error = oidmap_put(&v->seen, &t->target, 0)) < 0)
				goto done;
		}
		if ((error = store_object_read(v->s, &t->target, &type, &target, &ttype, &name, &msg)) < 0) {
			if ((error = report_read(&v->r, error, t->name, NULL, NULL, &t->target)) < 0)
				goto done;
			continue;
		}
		if (type == STORE_OBJ_TAG) {
			char *tsha;

			if (strncmp(name.ptr, "release/", 8) || strcmp(name.ptr + 8, t->name))
				report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &t->target,
				       "tag release/%s holds the tag object of '%s'", t->name, name.ptr);
			if (ttype != STORE_OBJ_COMMIT) {
				report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &t->target,
				       "tag release/%s does not point at a commit", t->name);
				continue;
			}
			tsha = trailer(msg.ptr, "Release-JSON-SHA256");
			if (r && (!tsha || !r->json_sha || strcmp(tsha, r->json_sha)))
				report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &t->target,
				       "tag release/%s has Release-JSON-SHA256 %.16s..., its release's commit %.16s...",
				       t->name, tsha ? tsha : "(absent)", r->json_sha ? r->json_sha : "(absent)");
			free(tsha);
		} else if (type == STORE_OBJ_COMMIT) {
			target = t->target;
			report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &t->target,
			       "tag release/%s is not an annotated tag", t->name);
		} else {
			report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &t->target,
			       "tag release/%s does not point at a commit", t->name);
			continue;
		}
		for (j = 0; j < v->nrels; j++)
			if (store_oid_equal(&v->rels[j].commit, &target))
				at = &v->rels[j];
		store_oid_fmt(got, &target);
		if (r && at == r) {
			if (type == STORE_OBJ_TAG && (error = check_signature(v, r, &t->target, msg.ptr)) < 0)
				goto done;
			continue;
		}
		if (r) {
			store_oid_fmt(want, &r->commit);
			report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &target,
			       "tag release/%s points at commit %.12s (%s), not at the release's commit %.12s: "
			       "the tag was moved",
			       t->name, got, at ? at->label : "not on the branch", want);
		} else {
			report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &target,
			       "tag release/%s names no release on the branch (it points at commit %.12s%s%s)",
			       t->name, got, at ? ", " : "", at ? at->label : "");
		}
	}
	for (j = 0; j < v->nrels; j++)
		if (v->rels[j].id && !v->rels[j].has_ref)
			report(&v->r, DECLASS_VERIFY_TAG, v->rels[j].label, NULL, NULL, &v->rels[j].commit,
			       "release %s has no tag release/%s (the next ingest recreates it)",
			       v->rels[j].id, v->rels[j].id);
	for (j = 0; v->o && v->o->ntrust && j < v->nrels; j++)
		if (v->rels[j].id && !v->rels[j].sig_seen)
			report(&v->r, DECLASS_VERIFY_SIGNATURE, v->rels[j].label, NULL, NULL,
			       &v->rels[j].commit,
			       "release %s is not signed: it has no annotated tag release/%s on its commit",
			       v->rels[j].id, v->rels[j].id);
done:
	store_tag_refs_free(refs, n);
	dc_buf_free(&name);
	dc_buf_free(&msg);
	return error;
}

/* ---- the archive check: hashing ---------------------------------------- */

typedef struct blob_state {
	store *s;
	declass_sha256 *h;
} blob_state;

typedef struct feed {
	declass_sha256 *h;
	pool *p;
} feed;

static int blob_setup(void *ctx, void **out)
{
	verifier *v = ctx;
	blob_state *st = calloc(1, sizeof(*st));
	int error;

	if (!st)
		return dc_error_oom();
	if ((error = store_reopen(&st->s, v->s)) < 0 || (error = declass_sha256_new(&st->h)) < 0) {
		store_free(st->s);
		free(st);
		return error;
	}
	*out = st;
	return 0;
}

static void blob_teardown(void *state)
{
	blob_state *st = state;

	store_free(st->s);
	declass_sha256_free(st->h);
	free(st);
}

static int feed_cb(void *ctx, const void *data, size_t len)
{
	feed *f = ctx;

	atomic_fetch_add(&f->p->bytes, (uint64_t)len);
	return declass_sha256_update(f->h, data, len);
}

static void blob_job(pool *p, void *state, size_t i)
{
	verifier *v = p->ctx;
	blob_state *st = state;
	blob *b = &v->blobs[i];
	feed f = { st->h, p };
	char discard[DECLASS_SHA256_HEX];

	b->status = store_blob_stream(st->s, &b->oid, feed_cb, &f, &b->size);
	if (b->status == 0)
		b->status = declass_sha256_final(st->h, b->sha256);
	else
		declass_sha256_final(st->h, discard); /* reset for the next blob */
	if (b->status < 0 && !(b->error = strdup(declass_error_last())))
		b->status = DECLASS_ENOMEM;
}

static int hash_blobs(verifier *v)
{
	pool p = { 0 };
	uint64_t total = 0;
	size_t i;

	for (i = 0; i < v->nblobs; i++)
		total += v->blobs[i].expect_size;
	p.n = v->nblobs;
	p.ctx = v;
	p.setup = blob_setup;
	p.teardown = blob_teardown;
	p.job = blob_job;
	return pool_run(&p, v->o, "hash", total);
}

static int compare_blobs(verifier *v)
{
	size_t i, j, later;

	for (i = 0; i < v->nblobs; i++) {
		blob *b = &v->blobs[i];

		if (b->status == DECLASS_ENOMEM)
			return dc_error_oom();
		if (b->status == 0) {
			v->r.c->blobs++;
			v->r.c->bytes += b->size;
			continue;
		}
		later = 0;
		for (j = 0; j < v->nex; j++)
			if (v->ex[j].blob == i && v->ex[j].rel > b->rel)
				later++;
		report(&v->r, b->status == DECLASS_ENOTFOUND ? DECLASS_VERIFY_OBJECT_MISSING
		                                            : DECLASS_VERIFY_OBJECT_CORRUPT,
		       v->rels[b->rel].label, b->record, b->path, &b->oid, "%s%s", b->error,
		       later ? " (the file is in later releases too)" : "");
	}
	for (j = 0; j < v->nex; j++) {
		const expect *e = &v->ex[j];
		const blob *b = &v->blobs[e->blob];
		const char *src = e->from_meta ? "meta.json" : "releases/";
		const char *srcid = e->from_meta ? "" : v->rels[e->rel].id;
		const char *srcext = e->from_meta ? "" : ".json";

		if (b->status != 0)
			continue;
		if (strcmp(e->sha256, b->sha256))
			report(&v->r, DECLASS_VERIFY_SHA256_MISMATCH, v->rels[e->rel].label, e->record,
			       e->path, &b->oid,
			       "sha256 %.16s... of the archived bytes differs from %s%s%s's %.16s...", b->sha256,
			       src, srcid, srcext, e->sha256);
		if (e->size != b->size)
			report(&v->r, DECLASS_VERIFY_SIZE_MISMATCH, v->rels[e->rel].label, e->record,
			       e->path, &b->oid, "size %llu of the archived bytes differs from %s%s%s's %llu",
			       (unsigned long long)b->size, src, srcid, srcext,
			       (unsigned long long)e->size);
	}
	return 0;
}

static void verifier_free(verifier *v)
{
	size_t i;

	for (i = 0; i < v->nblobs; i++) {
		free(v->blobs[i].record);
		free(v->blobs[i].path);
		free(v->blobs[i].error);
	}
	for (i = 0; i < v->nex; i++) {
		free(v->ex[i].record);
		free(v->ex[i].path);
	}
	for (i = 0; i < v->nrels; i++) {
		free(v->rels[i].message);
		free(v->rels[i].id);
		free(v->rels[i].date);
		free(v->rels[i].json_sha);
		free(v->rels[i].label);
	}
	free(v->blobs);
	free(v->ex);
	free(v->rels);
	oidmap_free(&v->seen);
	oidmap_free(&v->blobmap);
}

int declass_verify_archive(declass_verify_counts *out, declass_archive *a,
                           const declass_verify_opts *opts)
{
	verifier v = { 0 };
	int error;

	memset(out, 0, sizeof(*out));
	v.r.o = opts;
	v.r.c = out;
	v.o = opts;
	v.s = a->s;
	v.pr.phase = "walk";
	if ((error = store_verify_strict()) < 0 || (error = load_history(&v)) < 0)
		goto done;
	for (v.cur = 0; v.cur < v.nrels; v.cur++) {
		if ((error = check_release(&v)) < 0)
			goto done;
		walk_progress(&v);
	}
	for (v.cur = 0; v.cur < v.nrels; v.cur++)
		out->releases += v.rels[v.cur].id != NULL;
	if ((error = check_tags(&v)) < 0 || (error = hash_blobs(&v)) < 0 ||
	    (error = compare_blobs(&v)) < 0)
		goto done;
	out->objects += out->blobs;
done:
	verifier_free(&v);
	return error;
}

/* ---- hashing loose files ------------------------------------------------ */

typedef struct loose {
	const char *path;   /* the file to read */
	char sha256[DECLASS_SHA256_HEX];
	uint64_t size;
	int status;
	char *error;
} loose;

static void loose_job(pool *p, void *state, size_t i)
{
	loose *f = &((loose *)p->ctx)[i];

	(void)state;
	f->status = declass_sha256_file(f->sha256, &f->size, f->path);
	if (f->status < 0 && !(f->error = strdup(declass_error_last())))
		f->status = DECLASS_ENOMEM;
	atomic_fetch_add(&p->bytes, f->size);
}

/* Hash files[0..n) on all cores; per-file failures stay in files[i]. */
static int hash_loose(loose *files, size_t n, const declass_verify_opts *o, uint64_t total)
{
	pool p = { 0 };
	size_t i;
	int error;

	p.n = n;
	p.ctx = files;
	p.job = loose_job;
	if ((error = pool_run(&p, o, "hash", total)) < 0)
		return error;
	for (i = 0; i < n; i++)
		if (files[i].status == DECLASS_ENOMEM)
			return dc_error_oom();
	return 0;
}

/* ---- a tranche before ingest -------------------------------------------- */

typedef struct tfile {
	char *rel, *full;
	const char *base;
	uint64_t size;
	int used;           /* a manifest row names it, or it is a used file's text */
	int sidecar;        /* NAME.txt beside NAME.ext */
	int manifest;       /* the manifest itself */
	const declass_manifest_row *row; /* the first row naming it */
	const char *want_sha;            /* a checksum the manifest gives */
} tfile;

typedef struct tscan {
	const char *dir;
	tfile *v;
	size_t n, alloc;
} tscan;

static int tscan_add(tscan *sc, const char *rel, const char *full, uint64_t size)
{
	tfile *f;

	if (sc->n == sc->alloc) {
		size_t alloc = sc->alloc ? 2 * sc->alloc : 64;

		if (!(f = realloc(sc->v, alloc * sizeof(*f))))
			return dc_error_oom();
		sc->v = f;
		sc->alloc = alloc;
	}
	f = &sc->v[sc->n];
	memset(f, 0, sizeof(*f));
	if (!(f->rel = strdup(rel)) || !(f->full = strdup(full))) {
		free(f->rel);
		return dc_error_oom();
	}
	f->size = size;
	sc->n++;
	return 0;
}

/* Every regular file below the folder, hidden ones aside, as ingest scans it. */
static int tscan_dir(tscan *sc, const char *rel, int depth)
{
	dc_buf full = DC_BUF_INIT, sub = DC_BUF_INIT;
	struct dirent *de;
	DIR *d = NULL;
	int error = 0;

	if (depth > 32)
		return dc_error_set(DECLASS_EINPUT, "'%s/%s' is nested too deep", sc->dir, rel);
	if ((error = dc_buf_addf(&full, "%s%s%s", sc->dir, *rel ? "/" : "", rel)) < 0)
		return error;
	if (!(d = opendir(full.ptr))) {
		error = dc_error_sys(DECLASS_EINPUT, "cannot read folder '%s'", full.ptr);
		goto done;
	}
	while (!error && (errno = 0, de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		dc_buf_truncate(&sub, 0);
		dc_buf_truncate(&full, 0);
		if ((error = dc_buf_addf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name)) < 0 ||
		    (error = dc_buf_addf(&full, "%s/%s", sc->dir, sub.ptr)) < 0)
			break;
		if (stat(full.ptr, &st) < 0)
			continue; /* a broken link: ingest names it */
		if (S_ISDIR(st.st_mode))
			error = tscan_dir(sc, sub.ptr, depth + 1);
		else if (S_ISREG(st.st_mode))
			error = tscan_add(sc, sub.ptr, full.ptr, (uint64_t)st.st_size);
	}
	if (!error && errno)
		error = dc_error_sys(DECLASS_EINPUT, "cannot read folder '%s'", full.ptr);
done:
	if (d)
		closedir(d);
	dc_buf_free(&full);
	dc_buf_free(&sub);
	return error;
}

static int cmp_tfile(const void *a, const void *b)
{
	return strcmp(((const tfile *)a)->rel, ((const tfile *)b)->rel);
}

static tfile *tfind(tscan *sc, const char *rel)
{
	tfile key;

	memset(&key, 0, sizeof(key));
	key.rel = (char *)rel;
	return bsearch(&key, sc->v, sc->n, sizeof(*sc->v), cmp_tfile);
}

/* A manifest column name reduced to lower-case letters and digits. */
static void norm_key(char *out, size_t cap, const char *key)
{
	size_t n = 0;

	for (; *key && n + 1 < cap; key++)
		if (isalnum((unsigned char)*key))
			out[n++] = (char)tolower((unsigned char)*key);
	out[n] = '\0';
}

static int key_in(const char *key, const char *const *names)
{
	char k[64];

	norm_key(k, sizeof(k), key);
	for (; *names; names++)
		if (!strcmp(k, *names))
			return 1;
	return 0;
}

/* The SHA-256 a manifest row gives for its file, or NULL. */
static const char *row_sha256(const declass_manifest_row *row)
{
	static const char *const names[] = { "sha256", "sha256sum", "sha256checksum",
		"checksumsha256", "sha256hash", "checksum", "hash", NULL };
	size_t i, k;

	for (i = 0; i < row->nfields; i++) {
		const char *val = row->fields[i].value;

		if (!key_in(row->fields[i].key, names) || strlen(val) != 64)
			continue;
		for (k = 0; k < 64 && isxdigit((unsigned char)val[k]); k++)
			;
		if (k == 64)
			return val;
	}
	return NULL;
}

/* The size a manifest row gives for its file. */
static int row_size(const declass_manifest_row *row, uint64_t *out)
{
	static const char *const names[] = { "size", "filesize", "bytes", "sizebytes",
		"filesizebytes", "sizeinbytes", "filesizeinbytes", NULL };
	size_t i;

	for (i = 0; i < row->nfields; i++) {
		const char *val = row->fields[i].value;
		char *end;
		unsigned long long n;

		if (!key_in(row->fields[i].key, names) || !isdigit((unsigned char)*val))
			continue;
		errno = 0;
		n = strtoull(val, &end, 10);
		if (!errno && !*end) {
			*out = n;
			return 1;
		}
	}
	return 0;
}

static const char *ext_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && dot != name ? dot : "";
}

/* A relative path with no empty, "." or ".." component and no '\'. */
static int safe_rel(const char *p)
{
	const char *c = p;

	if (!*p || *p == '/' || strchr(p, '\\'))
		return 0;
	while (*c) {
		size_t len = strcspn(c, "/");

		if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += len;
		if (*c == '/')
			c++;
	}
	return c[-1] != '/';
}

static int match_rows(reporter *r, tscan *sc, const declass_manifest *m, const char *mname)
{
	size_t n = declass_manifest_count(m), i, k;
	char *derived = NULL;
	int error = 0;

	for (i = 0; i < n; i++) {
		const declass_manifest_row *row = declass_manifest_row_at(m, i);
		tfile *f = NULL;
		uint64_t want;

		if (!row->file) {
			/* No file column: the files named after the record. */
			int found = 0;

			for (k = 0; k < sc->n; k++) {
				if (sc->v[k].sidecar || sc->v[k].manifest)
					continue;
				free(derived);
				derived = NULL;
				if (declass_record_from_filename(&derived, sc->v[k].rel) == 0 &&
				    !strcmp(derived, row->record)) {
					sc->v[k].used = 1;
					if (!sc->v[k].row)
						sc->v[k].row = row;
					found = 1;
				}
			}
			if (!found)
				report(r, DECLASS_VERIFY_FILE_MISSING, NULL, row->record, NULL, NULL,
				       "manifest '%s' line %zu: record %s has no file named after it in '%s'",
				       mname, row->line, row->record, sc->dir);
			continue;
		}
		if (!safe_rel(row->file)) {
			report(r, DECLASS_VERIFY_PATH_UNSAFE, NULL, row->record, row->file, NULL,
			       "manifest '%s' line %zu: record %s: unsafe file name '%s'", mname,
			       row->line, row->record, row->file);
			continue;
		}
		if (!(f = tfind(sc, row->file)) && strrchr(row->file, '/'))
			f = tfind(sc, strrchr(row->file, '/') + 1);
		if (!f) {
			/* Its text is not unlisted: it is there for the missing file. */
			dc_buf txt = DC_BUF_INIT;
			const char *ext = ext_of(row->file);
			tfile *t;

			if (*ext && !dc_is_text_name(row->file) &&
			    dc_buf_add(&txt, row->file, strlen(row->file) - strlen(ext)) == 0 &&
			    dc_buf_adds(&txt, ".txt") == 0 &&
			    ((t = tfind(sc, txt.ptr)) ||
			     (strrchr(txt.ptr, '/') && (t = tfind(sc, strrchr(txt.ptr, '/') + 1)))))
				t->used = 1;
			dc_buf_free(&txt);
			r->c->files++;
			report(r, DECLASS_VERIFY_FILE_MISSING, NULL, row->record, row->file, NULL,
			       "manifest '%s' line %zu lists '%s' for record %s, but it is not in '%s'",
			       mname, row->line, row->file, row->record, sc->dir);
			continue;
		}
		if (!f->row)
			r->c->files++;
		f->used = 1;
		f->sidecar = 0; /* listed as released in its own right */
		if (!f->row)
			f->row = row;
		if (row_size(row, &want) && want != f->size)
			report(r, DECLASS_VERIFY_SIZE_MISMATCH, NULL, row->record, f->rel, NULL,
			       "'%s' is %llu bytes, manifest line %zu says %llu: fetch it again", f->rel,
			       (unsigned long long)f->size, row->line, (unsigned long long)want);
		if (!f->want_sha)
			f->want_sha = row_sha256(row);
	}
	free(derived);
	return error;
}

int declass_verify_tranche(declass_verify_counts *out, const char *dir, const char *manifest,
                           const declass_verify_opts *opts)
{
	reporter r = { opts, out };
	declass_manifest *m = NULL;
	dc_tranche *t = NULL;
	dc_buf want = DC_BUF_INIT;
	loose *hash = NULL;
	size_t *which = NULL, nhash = 0, i;
	uint64_t hash_total = 0;
	char *mreal = NULL, *root = NULL;
	const char *mname = strrchr(manifest, '/') ? strrchr(manifest, '/') + 1 : manifest;
	tscan sc = { 0 };
	int error;

	memset(out, 0, sizeof(*out));
	sc.dir = dir;
	if ((error = declass_manifest_load(&m, manifest)) < 0)
		goto done;
	if (!(root = realpath(dir, NULL))) {
		error = dc_error_sys(DECLASS_EINPUT, "cannot open tranche folder '%s'", dir);
		goto done;
	}
	if ((error = tscan_dir(&sc, "", 0)) < 0)
		goto done;
	qsort(sc.v, sc.n, sizeof(*sc.v), cmp_tfile);
	mreal = realpath(manifest, NULL);
	for (i = 0; i < sc.n; i++) {
		tfile *f = &sc.v[i], *txt;
		char *real;

		f->base = strrchr(f->rel, '/') ? strrchr(f->rel, '/') + 1 : f->rel;
		if (mreal && (real = realpath(f->full, NULL))) {
			f->manifest = !strcmp(real, mreal);
			free(real);
		}
		if (!*ext_of(f->base) || dc_is_text_name(f->base))
			continue;
		dc_buf_truncate(&want, 0);
		if ((error = dc_buf_add(&want, f->rel, strlen(f->rel) - strlen(ext_of(f->base)))) < 0 ||
		    (error = dc_buf_adds(&want, ".txt")) < 0)
			goto done;
		if ((txt = tfind(&sc, want.ptr)))
			txt->sidecar = 1;
	}
	if ((error = match_rows(&r, &sc, m, mname)) < 0)
		goto done;
	/* The text beside a used file is used too. */
	for (i = 0; i < sc.n; i++) {
		tfile *f = &sc.v[i], *txt;

		if (!f->used || !*ext_of(f->base) || dc_is_text_name(f->base))
			continue;
		dc_buf_truncate(&want, 0);
		if ((error = dc_buf_add(&want, f->rel, strlen(f->rel) - strlen(ext_of(f->base)))) < 0 ||
		    (error = dc_buf_adds(&want, ".txt")) < 0)
			goto done;
		if ((txt = tfind(&sc, want.ptr)) && txt->sidecar)
			txt->used = 1;
	}
	if (!(hash = calloc(sc.n + 1, sizeof(*hash))) || !(which = calloc(sc.n + 1, sizeof(*which)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < sc.n; i++) {
		const tfile *f = &sc.v[i];

		if (f->manifest)
			continue;
		if (!f->used) {
			report(&r, DECLASS_VERIFY_FILE_UNLISTED, NULL, NULL, f->rel, NULL,
			       "'%s' is in the folder but manifest '%s' does not list it "
			       "(ingest refuses it without --allow-unlisted)",
			       f->rel, mname);
			continue;
		}
		out->bytes += f->size;
		if (f->size == 0)
			report(&r, DECLASS_VERIFY_SIZE_MISMATCH, NULL, f->row ? f->row->record : NULL, f->rel,
			       NULL, "'%s' is empty (0 bytes): fetch it again", f->rel);
		if (f->want_sha) {
			hash[nhash].path = f->full;
			which[nhash++] = i;
			hash_total += f->size;
		}
	}
	if ((error = hash_loose(hash, nhash, opts, hash_total)) < 0)
		goto done;
	for (i = 0; i < nhash; i++) {
		const tfile *f = &sc.v[which[i]];

		if (hash[i].status < 0) {
			report(&r, DECLASS_VERIFY_FILE_MISSING, NULL, f->row->record, f->rel, NULL, "%s",
			       hash[i].error);
			continue;
		}
		out->blobs++;
		if (strcasecmp(hash[i].sha256, f->want_sha))
			report(&r, DECLASS_VERIFY_SHA256_MISMATCH, NULL, f->row->record, f->rel, NULL,
			       "'%s' hashes to %.16s..., manifest line %zu says %.16s...: fetch it again",
			       f->rel, hash[i].sha256, f->row->line, f->want_sha);
	}
	/* Complete: would ingest take it as it is? */
	if (out->problems == 0 && dc_tranche_load(&t, dir, manifest, 0) < 0) {
		if (declass_error_code() == DECLASS_ENOMEM) {
			error = DECLASS_ENOMEM;
			goto done;
		}
		report(&r, DECLASS_VERIFY_INGEST_REFUSED, NULL, NULL, NULL, NULL, "%s",
		       declass_error_last());
	}
done:
	for (i = 0; i < nhash; i++)
		free(hash[i].error);
	free(hash);
	free(which);
	for (i = 0; i < sc.n; i++) {
		free(sc.v[i].rel);
		free(sc.v[i].full);
	}
	free(sc.v);
	dc_tranche_free(t);
	declass_manifest_free(m);
	dc_buf_free(&want);
	free(mreal);
	free(root);
	return error;
}

/* ---- loose files identified --------------------------------------------- */

typedef struct ient {
	char sha256[DECLASS_SHA256_HEX];
	uint64_t size;
	size_t rel;
	char *record, *path;
} ient;

typedef struct findex {
	ient *v;
	size_t n, alloc;
	char **ids, **dates;
	store_oid *commits;
	size_t nrels;
} findex;

static void findex_free(findex *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		free(x->v[i].record);
		free(x->v[i].path);
	}
	for (i = 0; i < x->nrels; i++) {
		free(x->ids[i]);
		free(x->dates[i]);
	}
	free(x->v);
	free(x->ids);
	free(x->dates);
	free(x->commits);
}

static int cmp_ient(const void *a, const void *b)
{
	const ient *x = a, *y = b;
	int c = strcmp(x->sha256, y->sha256);

	if (!c)
		c = strcmp(x->path, y->path);
	return c ? c : (x->rel > y->rel) - (x->rel < y->rel);
}

static int findex_add(findex *x, const json_t *f, size_t rel)
{
	const char *sha = dc_json_str(f, "sha256"), *record = dc_json_str(f, "record"),
		   *path = dc_json_str(f, "path");
	uint64_t size;
	ient *e;

	if (!is_hex64(sha) || !record || !path || !json_uint(json_object_get(f, "size"), &size))
		return 0; /* `declass verify` reports it */
	if (x->n == x->alloc) {
		size_t alloc = x->alloc ? 2 * x->alloc : 256;

		if (!(e = realloc(x->v, alloc * sizeof(*e))))
			return dc_error_oom();
		x->v = e;
		x->alloc = alloc;
	}
	e = &x->v[x->n];
	memcpy(e->sha256, sha, DECLASS_SHA256_HEX);
	e->size = size;
	e->rel = rel;
	if (!(e->record = strdup(record)) || !(e->path = strdup(path))) {
		free(e->record);
		return dc_error_oom();
	}
	x->n++;
	return 0;
}

/* Every file version the releases list, sorted by SHA-256. */
static int findex_load(findex *x, declass_archive *a)
{
	dc_buf id = DC_BUF_INIT, path = DC_BUF_INIT, data = DC_BUF_INIT;
	json_t *j = NULL, *f;
	size_t n = 0, i, k;
	int error;

	if ((error = store_history(a->s, &x->commits, &n)) < 0)
		return error;
	if (!(x->ids = calloc(n + 1, sizeof(*x->ids))) ||
	    !(x->dates = calloc(n + 1, sizeof(*x->dates)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < n; i++) {
		dc_buf_truncate(&id, 0);
		dc_buf_truncate(&path, 0);
		dc_buf_truncate(&data, 0);
		if ((error = dc_commit_release_id(a->s, &x->commits[i], &id)) < 0 ||
		    (error = dc_release_json_path(&path, id.ptr)) < 0 ||
		    (error = store_read_file(a->s, &x->commits[i], path.ptr, &data, NULL)) < 0 ||
		    (error = dc_json_parse(&j, &data, path.ptr)) < 0)
			goto done;
		x->nrels++;
		if (!(x->ids[i] = strdup(id.ptr)) ||
		    !(x->dates[i] = strdup(dc_json_str(j, "date") ? dc_json_str(j, "date") : "?"))) {
			error = dc_error_oom();
			goto done;
		}
		json_array_foreach(json_object_get(j, "files"), k, f)
			if ((error = findex_add(x, f, i)) < 0)
				goto done;
		json_decref(j);
		j = NULL;
	}
	qsort(x->v, x->n, sizeof(*x->v), cmp_ient);
done:
	if (error == DECLASS_ENOTFOUND || error == DECLASS_EARCHIVE)
		dc_error_prefix("cannot index the archive's files (run 'declass verify')");
	if (error == DECLASS_ENOTFOUND)
		error = DECLASS_EARCHIVE;
	json_decref(j);
	dc_buf_free(&id);
	dc_buf_free(&path);
	dc_buf_free(&data);
	return error;
}

static int fill_match(declass_file_match *m, const findex *x, const ient *e)
{
	memset(m, 0, sizeof(*m));
	m->size = e->size;
	memcpy(m->sha256, e->sha256, DECLASS_SHA256_HEX);
	if (!(m->record = strdup(e->record)) || !(m->path = strdup(e->path)) ||
	    !(m->release = strdup(x->ids[e->rel])) || !(m->release_date = strdup(x->dates[e->rel])))
		return dc_error_oom();
	return 0;
}

static void match_free(declass_file_match *m)
{
	size_t i;

	free(m->record);
	free(m->path);
	free(m->release);
	free(m->release_date);
	for (i = 0; i < m->nunchanged; i++)
		free(m->unchanged_in[i]);
	free(m->unchanged_in);
}

/* The later releases whose tree still holds e's bytes at e's path. */
static int unchanged_in(declass_file_match *m, declass_archive *a, const findex *x, const ient *e)
{
	store_oid first, later;
	size_t j;

	if (store_path_oid(a->s, &x->commits[e->rel], e->path, &first) < 0)
		return 0; /* verify reports a file missing from its release */
	if (!(m->unchanged_in = calloc(x->nrels, sizeof(*m->unchanged_in))))
		return dc_error_oom();
	for (j = e->rel + 1; j < x->nrels; j++) {
		if (store_path_oid(a->s, &x->commits[j], e->path, &later) < 0 ||
		    !store_oid_equal(&first, &later))
			continue;
		if (!(m->unchanged_in[m->nunchanged] = strdup(x->ids[j])))
			return dc_error_oom();
		m->nunchanged++;
	}
	return 0;
}

static int identify_one(declass_file_identity *id, declass_archive *a, const findex *x)
{
	size_t lo = 0, hi = x->n, k, nm = 0;
	const ient *best = NULL;
	const char *base = strrchr(id->file, '/') ? strrchr(id->file, '/') + 1 : id->file;
	char *record = NULL;
	int error = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(x->v[mid].sha256, id->sha256) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (k = lo; k < x->n && !strcmp(x->v[k].sha256, id->sha256); k++)
		if (k == lo || strcmp(x->v[k].path, x->v[k - 1].path))
			nm++;
	if (nm) {
		if (!(id->matches = calloc(nm, sizeof(*id->matches))))
			return dc_error_oom();
		for (k = lo; k < x->n && !strcmp(x->v[k].sha256, id->sha256); k++) {
			declass_file_match *m;

			if (k != lo && !strcmp(x->v[k].path, x->v[k - 1].path))
				continue; /* the same path, listed again later */
			m = &id->matches[id->nmatches++];
			if ((error = fill_match(m, x, &x->v[k])) < 0 ||
			    (error = unchanged_in(m, a, x, &x->v[k])) < 0)
				return error;
		}
		return 0;
	}
	/* Not archived: the nearest version of the record it is named after. */
	if (declass_record_from_filename(&record, base) < 0)
		record = NULL;
	for (k = 0; k < x->n; k++) {
		const ient *e = &x->v[k];
		const char *ebase = strrchr(e->path, '/') ? strrchr(e->path, '/') + 1 : e->path;
		uint64_t d, bd;

		if (!(record && !strcmp(e->record, record)) && strcmp(ebase, base))
			continue;
		if (!dc_is_text_name(base) != !!strcmp(ebase, "text.txt") && strcmp(ebase, base))
			continue; /* a PDF is not compared with a text */
		d = e->size > id->size ? e->size - id->size : id->size - e->size;
		bd = best ? (best->size > id->size ? best->size - id->size : id->size - best->size) : 0;
		if (!best || d < bd || (d == bd && e->rel > best->rel))
			best = e;
	}
	free(record);
	return best ? fill_match(&id->closest, x, best) : 0;
}

int declass_verify_files(declass_file_identity **out, declass_verify_counts *counts,
                         declass_archive *a, const char *const *files, size_t n,
                         const declass_verify_opts *opts)
{
	reporter r = { opts, counts };
	declass_file_identity *list = NULL;
	findex x = { 0 };
	loose *hash = NULL;
	size_t i;
	int error;

	*out = NULL;
	memset(counts, 0, sizeof(*counts));
	counts->files = n;
	if ((error = store_verify_strict()) < 0 || (error = findex_load(&x, a)) < 0)
		goto done;
	counts->releases = x.nrels;
	counts->file_versions = x.n;
	if (!(list = calloc(n + 1, sizeof(*list))) || !(hash = calloc(n + 1, sizeof(*hash)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < n; i++) {
		struct stat st;

		hash[i].path = files[i];
		if (stat(files[i], &st) == 0)
			counts->bytes += (uint64_t)st.st_size;
		if (!(list[i].file = strdup(files[i]))) {
			error = dc_error_oom();
			goto done;
		}
	}
	if ((error = hash_loose(hash, n, opts, counts->bytes)) < 0)
		goto done;
	counts->bytes = 0;
	for (i = 0; i < n; i++) {
		declass_file_identity *id = &list[i];

		if (hash[i].status < 0) {
			id->error = hash[i].error;
			hash[i].error = NULL;
			report(&r, DECLASS_VERIFY_UNKNOWN_FILE, NULL, NULL, id->file, NULL, "%s", id->error);
			continue;
		}
		memcpy(id->sha256, hash[i].sha256, DECLASS_SHA256_HEX);
		id->size = hash[i].size;
		counts->blobs++;
		counts->bytes += id->size;
		if ((error = identify_one(id, a, &x)) < 0)
			goto done;
		if (!id->nmatches)
			report(&r, DECLASS_VERIFY_UNKNOWN_FILE, id->closest.release, id->closest.record,
			       id->file, NULL, "not in the archive");
	}
done:
	if (hash)
		for (i = 0; i < n; i++)
			free(hash[i].error);
	free(hash);
	findex_free(&x);
	if (error < 0)
		declass_file_identities_free(list, n);
	else
		*out = list;
	return error;
}

void declass_file_identities_free(declass_file_identity *list, size_t n)
{
	size_t i, k;

	if (!list)
		return;
	for (i = 0; i < n; i++) {
		free(list[i].file);
		free(list[i].error);
		for (k = 0; k < list[i].nmatches; k++)
			match_free(&list[i].matches[k]);
		free(list[i].matches);
		match_free(&list[i].closest);
	}
	free(list);
}
