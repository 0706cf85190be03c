/*
 * The archive walk, for the archive check (lib/verify/archive.c): the
 * record folders under records/ that no earlier release had, their
 * meta.json, and every blob in them hashed once, on threads.
 *
 * The calling thread reads the top levels of records/ and hands each
 * folder below them to the walking threads through a bounded queue; each
 * thread, with its own archive handle, reads the record folders in it,
 * checks paths and meta.json, and hashes each blob met for the first
 * time, comparing it at once with what meta.json says of it.  A claim on
 * a blob another thread is still reading waits for verify_drain(), and
 * problems found off the calling thread are kept and reported there, in
 * walk order, so the output does not depend on which thread was faster.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "declass/record.h"
#include "util/grow.h"
#include "util/jsonutil.h"
#include "verify_internal.h"

/* ---- progress, names and digests ------------------------------------- */

static const char *mode_name(unsigned mode)
{
	switch (mode) {
	case STORE_MODE_TREE:
		return "a folder";
	case STORE_MODE_LINK:
		return "a symbolic link";
	case STORE_MODE_COMMIT:
		return "a submodule link";
	case STORE_MODE_BLOB_EXEC:
		return "an executable file";
	default:
		return "an entry of unknown mode";
	}
}

void verify_walk_progress(verifier *v)
{
	if (v->o && v->o->progress) {
		v->pr.files_done = atomic_load(&v->hashed);
		v->pr.files_total = 0; /* not known before the end */
		v->pr.bytes_done = atomic_load(&v->bytes);
		v->o->progress(v->o->progress_ctx, &v->pr);
	}
}

static void hex32(char out[DECLASS_SHA256_HEX], const unsigned char *raw)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[raw[i] >> 4];
		out[2 * i + 1] = digits[raw[i] & 15];
	}
	out[64] = '\0';
}

/* hex is 64 lower-case hex digits (is_hex64). */
static void unhex32(unsigned char *raw, const char *hex)
{
	size_t i;

	for (i = 0; i < 32; i++) {
		int hi = isdigit((unsigned char)hex[2 * i]) ? hex[2 * i] - '0'
		                                            : hex[2 * i] - 'a' + 10;
		int lo = isdigit((unsigned char)hex[2 * i + 1]) ? hex[2 * i + 1] - '0'
		                                                : hex[2 * i + 1] - 'a' + 10;

		raw[i] = (unsigned char)(hi << 4 | lo);
	}
}

/* ---- problems and claims from several threads ------------------------ */

/* Stop the check: an error that is not a problem of the archive (under v->mu). */
static void set_fatal(verifier *v, int error)
{
	if (!v->fatal) {
		v->fatal = error;
		snprintf(v->fatal_msg, sizeof(v->fatal_msg), "%s", declass_error_last());
	}
}

/* Keep a problem for the calling thread to report (under v->mu). */
static void keep_problem(verifier *v, wkey key, declass_verify_kind kind, size_t rel,
                         const char *record, const char *path, const store_oid *oid,
                         const char *msg)
{
	dprob *p;

	if (dc_grow(&v->probs, &v->aprobs, v->nprobs + 1, sizeof(*v->probs)) < 0) {
		set_fatal(v, DECLASS_ENOMEM);
		return;
	}
	p = &v->probs[v->nprobs];
	memset(p, 0, sizeof(*p));
	p->key = key;
	p->kind = kind;
	p->rel = rel;
	if (oid) {
		p->has_oid = 1;
		p->oid = *oid;
	}
	p->record = record ? strdup(record) : NULL;
	p->path = path ? strdup(path) : NULL;
	p->message = strdup(msg);
	if ((record && !p->record) || (path && !p->path) || !p->message) {
		free(p->record);
		free(p->path);
		free(p->message);
		set_fatal(v, dc_error_oom());
		return;
	}
	v->nprobs++;
}

/*
 * A problem met by walker w in the current release: reported at once on
 * the calling thread, kept (in walk order) on another.
 */
static void wreport(walker *w, declass_verify_kind kind, const char *record, const char *path,
                    const store_oid *obj, const char *fmt, ...) DC_PRINTF(6, 7);

static void wreport(walker *w, declass_verify_kind kind, const char *record, const char *path,
                    const store_oid *obj, const char *fmt, ...)
{
	verifier *v = w->v;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!w->deferred) {
		verify_report(&v->r, kind, v->rels[v->cur].label, record, path, obj, "%s", msg);
		return;
	}
	pthread_mutex_lock(&v->mu);
	keep_problem(v, w->key, kind, v->cur, record, path, obj, msg);
	w->key.sub++;
	pthread_mutex_unlock(&v->mu);
}

/* An object read failed: a problem if the archive is at fault, else an error. */
static int wreport_read(walker *w, int error, const char *record, const char *path,
                        const store_oid *obj)
{
	if (error == DECLASS_ENOTFOUND)
		wreport(w, DECLASS_VERIFY_OBJECT_MISSING, record, path, obj, "%s",
		        declass_error_last());
	else if (error == DECLASS_EARCHIVE)
		wreport(w, DECLASS_VERIFY_OBJECT_CORRUPT, record, path, obj, "%s",
		        declass_error_last());
	else
		return error;
	return 0;
}

/* Compare what a JSON says of a file with its hashed bytes (under v->mu). */
static void compare_claim(verifier *v, const vblob *b, wkey key, size_t rel, int from,
                          const unsigned char *sha256, uint64_t size, const char *record,
                          const char *path)
{
	const char *src = from == CLAIM_META ? "meta.json" : "releases/";
	const char *srcid = from == CLAIM_META ? "" : v->rels[rel].id;
	const char *srcext = from == CLAIM_META ? "" : ".json";
	char got[DECLASS_SHA256_HEX], want[DECLASS_SHA256_HEX], msg[1024];

	if (from == CLAIM_NONE)
		return;
	if (memcmp(sha256, b->sha256, 32)) {
		hex32(got, b->sha256);
		hex32(want, sha256);
		snprintf(msg, sizeof(msg),
		         "sha256 %.16s... of the archived bytes differs from %s%s%s's %.16s...",
		         got, src, srcid, srcext, want);
		keep_problem(v, key, DECLASS_VERIFY_SHA256_MISMATCH, rel, record, path, &b->oid,
		             msg);
	}
	if (size != b->size) {
		snprintf(msg, sizeof(msg),
		         "size %llu of the archived bytes differs from %s%s%s's %llu",
		         (unsigned long long)b->size, src, srcid, srcext, (unsigned long long)size);
		keep_problem(v, key, DECLASS_VERIFY_SIZE_MISMATCH, rel, record, path, &b->oid, msg);
	}
}

/*
 * The unreadable blob b met again (under v->mu): it is named where it
 * comes first in the walk, and said to be in later releases if it is.
 */
static void bad_seen(verifier *v, const vblob *b, wkey key, size_t rel, const char *record,
                     const char *path)
{
	size_t i;

	for (i = 0; i < v->nbads; i++) {
		badblob *bd = &v->bads[i];
		char *r2, *p2;

		if (!store_oid_equal(&bd->oid, &b->oid))
			continue;
		if (rel > bd->maxrel)
			bd->maxrel = rel;
		if (wkey_cmp(key, bd->key) >= 0)
			return;
		r2 = record ? strdup(record) : NULL;
		p2 = strdup(path);
		if ((record && !r2) || !p2) {
			free(r2);
			free(p2);
			set_fatal(v, dc_error_oom());
			return;
		}
		free(bd->record);
		free(bd->path);
		bd->record = r2;
		bd->path = p2;
		bd->key = key;
		bd->rel = rel;
		return;
	}
}

/* Hash the new blob b (not under v->mu), then settle its first claim. */
static int hash_blob(walker *w, vblob *b, wkey key, int from, const unsigned char *claim_sha,
                     uint64_t claim_size, const char *record, const char *path)
{
	verifier *v = w->v;
	unsigned char sha[32];
	uint64_t size = 0;
	int status = store_blob_sha256(w->rd, w->s, &b->oid, sha, &size);
	badblob *bd;

	atomic_fetch_add(&v->hashed, 1);
	atomic_fetch_add(&v->bytes, size);
	pthread_mutex_lock(&v->mu);
	if (status == 0) {
		memcpy(b->sha256, sha, 32);
		b->size = size;
		b->state = BLOB_OK;
		compare_claim(v, b, key, v->cur, from, claim_sha, claim_size, record, path);
		goto done;
	}
	b->state = status < 0 ? status : DECLASS_ERROR;
	if (status == DECLASS_ENOMEM ||
	    (status != DECLASS_ENOTFOUND && status != DECLASS_EARCHIVE)) {
		set_fatal(v, status < 0 ? status : DECLASS_ERROR);
		goto done;
	}
	if (dc_grow(&v->bads, &v->abads, v->nbads + 1, sizeof(*v->bads)) < 0) {
		set_fatal(v, DECLASS_ENOMEM);
		goto done;
	}
	bd = &v->bads[v->nbads];
	memset(bd, 0, sizeof(*bd));
	bd->oid = b->oid;
	bd->key = key;
	bd->rel = bd->maxrel = v->cur;
	bd->status = status;
	bd->record = record ? strdup(record) : NULL;
	bd->path = strdup(path);
	bd->error = strdup(declass_error_last());
	if ((record && !bd->record) || !bd->path || !bd->error) {
		free(bd->record);
		free(bd->path);
		free(bd->error);
		set_fatal(v, dc_error_oom());
		goto done;
	}
	v->nbads++;
done:
	pthread_mutex_unlock(&v->mu);
	return 0;
}

/*
 * A file version: the blob `oid` at `path` in the current release, and
 * (unless from is CLAIM_NONE) the SHA-256 and size a JSON gives for it.
 * A blob met for the first time is hashed here, by this thread; a claim
 * on a blob already hashed is compared at once, one on a blob another
 * thread is still reading when the walk of the release is done.
 */
int verify_claim(walker *w, const store_oid *oid, const char *record, const char *path, int from,
                 const char *sha256, uint64_t size)
{
	verifier *v = w->v;
	unsigned char raw[32] = { 0 };
	wkey key = w->key;
	vblob *b;
	void *e;
	int error = 0;

	if (from != CLAIM_NONE)
		unhex32(raw, sha256);
	if (!w->deferred) {
		w->key.seq = ++v->seq; /* v->seq is the calling thread's */
		w->key.sub = 0;
	}
	key = w->key;
	w->key.sub++;
	pthread_mutex_lock(&v->mu);
	if (from != CLAIM_NONE)
		v->r.c->file_versions++;
	if ((error = dc_idtab_add(&v->blobs, oid->id, &e)) < 0)
		goto done;
	b = e;
	if (error == 1) {
		b->state = BLOB_QUEUED;
		pthread_mutex_unlock(&v->mu);
		return hash_blob(w, b, key, from, raw, size, record, path);
	}
	error = 0;
	if (b->state == BLOB_OK) {
		compare_claim(v, b, key, v->cur, from, raw, size, record, path);
	} else if (b->state < 0) {
		bad_seen(v, b, key, v->cur, record, path);
	} else {
		late *l;

		if ((error = dc_grow(&v->late, &v->alate, v->nlate + 1, sizeof(*v->late))) < 0)
			goto done;
		l = &v->late[v->nlate];
		memset(l, 0, sizeof(*l));
		l->b = b;
		l->key = key;
		l->rel = v->cur;
		l->from = from;
		memcpy(l->sha256, raw, 32);
		l->size = size;
		if ((record && !(l->record = strdup(record))) || !(l->path = strdup(path))) {
			free(l->record);
			error = dc_error_oom();
			goto done;
		}
		v->nlate++;
	}
done:
	pthread_mutex_unlock(&v->mu);
	return error;
}

/* Add `oid` to the objects read: 1 if it is new, 0 if not, or an error. */
int verify_seen_add(verifier *v, const store_oid *oid)
{
	void *e;
	int error;

	pthread_mutex_lock(&v->mu);
	if ((error = dc_idtab_add(&v->seen, oid->id, &e)) == 1)
		v->r.c->objects++;
	pthread_mutex_unlock(&v->mu);
	return error;
}

static int add_to_buf(void *ctx, const void *data, size_t len)
{
	return dc_buf_add(ctx, data, len);
}

/* Read a JSON blob strictly, once; *out NULL (problem reported) if bad. */
int verify_read_json(walker *w, json_t **out, const store_oid *oid, const char *record,
                     const char *path)
{
	dc_buf data = DC_BUF_INIT;
	uint64_t size;
	int error;

	*out = NULL;
	if ((error = verify_seen_add(w->v, oid)) < 0)
		return error;
	if ((error = store_blob_stream_with(w->rd, w->s, oid, add_to_buf, &data, &size)) < 0) {
		error = wreport_read(w, error, record, path, oid);
		goto done;
	}
	if ((error = dc_json_parse(out, &data, path)) < 0) {
		wreport(w, DECLASS_VERIFY_METADATA, record, path, oid, "%s", declass_error_last());
		error = 0;
	}
done:
	dc_buf_free(&data);
	return error;
}

/* ---- record folders -------------------------------------------------- */

static int collect_entry(void *ctx, const char *name, unsigned mode, const store_oid *oid)
{
	entries *es = ctx;
	int error;

	if ((error = dc_grow(&es->v, &es->alloc, es->n + 1, sizeof(*es->v))) < 0)
		return error;
	es->v[es->n].off = es->names.len;
	if ((error = dc_buf_add(&es->names, name, strlen(name) + 1)) < 0)
		return error;
	es->v[es->n].mode = mode;
	es->v[es->n].oid = *oid;
	es->n++;
	return 0;
}

/* Read the tree `oid` into es (emptied first), strictly. */
int verify_load_entries(store *s, entries *es, const store_oid *oid)
{
	size_t i;
	int error;

	es->n = 0;
	dc_buf_truncate(&es->names, 0);
	if ((error = store_tree_each(s, oid, collect_entry, es)) < 0) {
		es->n = 0;
		return error;
	}
	for (i = 0; i < es->n; i++)
		es->v[i].name = es->names.ptr + es->v[i].off;
	return 0;
}

void verify_entries_free(entries *es)
{
	free(es->v);
	dc_buf_free(&es->names);
	memset(es, 0, sizeof(*es));
}

/*
 * Read the tree `oid` (at `path`) into es, strictly.  Returns 1 if it was
 * read, 0 if it had been read already (with `once`) or could not be read
 * (reported).  `known`: the caller has added it to the objects read.
 */
int verify_read_tree(walker *w, entries *es, const store_oid *oid, const char *path, int once,
                     int known)
{
	int error;

	es->n = 0;
	if (!known) {
		if ((error = verify_seen_add(w->v, oid)) < 0)
			return error;
		if (error == 0 && once)
			return 0;
	}
	if ((error = verify_load_entries(w->s, es, oid)) < 0) {
		error = wreport_read(w, error, NULL, path, oid);
		return error < 0 ? error : 0;
	}
	return 1;
}

const entry *verify_find_entry(const entries *es, const char *name)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		if (!strcmp(es->v[i].name, name))
			return &es->v[i];
	return NULL;
}

/* Check one file of a record's folder against what meta.json says of it. */
static int check_meta_file(walker *w, const entry *e, const json_t *info, const char *record,
                           const char *path)
{
	const char *sha = json_string_value(json_object_get(info, "sha256"));
	uint64_t size;

	if (!json_is_object(info) || !verify_is_hex64(sha) ||
	    !verify_json_uint(json_object_get(info, "size"), &size)) {
		wreport(w, DECLASS_VERIFY_METADATA, record, path, NULL,
		        "meta.json has no valid sha256 and size for '%s'", e->name);
		return 0;
	}
	return verify_claim(w, &e->oid, record, path, CLAIM_META, sha, size);
}

static int check_record(walker *w, const entries *es, const char *dir)
{
	verifier *v = w->v;
	const char *record = NULL, *mrel;
	const entry *meta_entry = verify_find_entry(es, "meta.json");
	dc_buf path = DC_BUF_INIT, mpath = DC_BUF_INIT;
	json_t *meta = NULL, *files, *text, *info;
	char *want = NULL;
	const char *key;
	size_t i;
	int error, known;

	pthread_mutex_lock(&v->mu);
	v->r.c->records++;
	pthread_mutex_unlock(&v->mu);
	if ((error = dc_buf_addf(&mpath, "%s/meta.json", dir)) < 0)
		goto done;
	if (meta_entry->mode != STORE_MODE_BLOB) {
		wreport(w, DECLASS_VERIFY_PATH_UNSAFE, NULL, mpath.ptr, &meta_entry->oid,
		        "'%s' is %s, not a plain file", mpath.ptr, mode_name(meta_entry->mode));
		goto done;
	}
	if ((error = verify_read_json(w, &meta, &meta_entry->oid, NULL, mpath.ptr)) < 0 || !meta)
		goto done;
	record = json_string_value(json_object_get(meta, "record"));
	files = json_object_get(meta, "files");
	text = json_object_get(meta, "text");
	if (!record || !json_is_object(files)) {
		wreport(w, DECLASS_VERIFY_METADATA, record, mpath.ptr, &meta_entry->oid,
		        "meta.json has no record id or no files");
		goto done;
	}
	/* The record's place is a function of its id: nothing may sit elsewhere. */
	if (declass_record_path(&want, record) < 0 || strcmp(want, dir)) {
		wreport(w, DECLASS_VERIFY_PATH_UNSAFE, record, dir, NULL,
		        "record '%s' is in '%s', but its place is '%s'", record, dir,
		        want ? want : "(none: not a valid record id)");
		goto done;
	}
	mrel = json_string_value(json_object_get(meta, "release"));
	for (i = 0, known = 0; mrel && i <= v->cur && !known; i++)
		if (v->rels[i].id && !strcmp(v->rels[i].id, mrel))
			known = 1;
	if (!known)
		wreport(w, DECLASS_VERIFY_METADATA, record, mpath.ptr, &meta_entry->oid,
		        "meta.json names release '%s', which is not in the history up to here",
		        mrel ? mrel : "(none)");

	for (i = 0; i < es->n; i++) {
		const entry *e = &es->v[i];

		if (e == meta_entry)
			continue;
		dc_buf_truncate(&path, 0);
		if ((error = dc_buf_addf(&path, "%s/%s", dir, e->name)) < 0)
			goto done;
		if (!verify_safe_name(e->name)) {
			wreport(w, DECLASS_VERIFY_PATH_UNSAFE, record, path.ptr, &e->oid,
			        "file name '%s' is not a safe name", e->name);
			continue;
		}
		if (e->mode != STORE_MODE_BLOB) {
			wreport(w, DECLASS_VERIFY_PATH_UNSAFE, record, path.ptr, &e->oid,
			        "'%s' is %s, not a plain file", e->name, mode_name(e->mode));
			continue;
		}
		if (!strcmp(e->name, "text.txt") && json_is_object(text))
			info = text;
		else if (!(info = json_object_get(files, e->name)))
			info = NULL;
		if (!info) {
			wreport(w, DECLASS_VERIFY_FILE_UNLISTED, record, path.ptr, &e->oid,
			        "'%s' is in the record's folder but not in its meta.json", e->name);
			/* Still an object reached from a release: check it reads. */
			if ((error = verify_claim(w, &e->oid, record, path.ptr, CLAIM_NONE, NULL,
			                          0)) < 0)
				goto done;
			continue;
		}
		if ((error = check_meta_file(w, e, info, record, path.ptr)) < 0)
			goto done;
	}
	json_object_foreach(files, key, info)
	{
		if (!verify_find_entry(es, key) || !strcmp(key, "meta.json") ||
		    !strcmp(key, "text.txt"))
			wreport(w, DECLASS_VERIFY_FILE_MISSING, record, dir, NULL,
			        "meta.json lists '%s' but the record's folder has no such file",
			        key);
	}
	if (json_is_object(text) && !verify_find_entry(es, "text.txt"))
		wreport(w, DECLASS_VERIFY_FILE_MISSING, record, dir, NULL,
		        "meta.json has a text but the record's folder has no text.txt");
done:
	free(want);
	json_decref(meta);
	dc_buf_free(&path);
	dc_buf_free(&mpath);
	return error;
}

static void enqueue(verifier *v, const job *j);

/*
 * A folder under records/: a record's (it holds meta.json) or one on the
 * way.  The calling thread reads the top levels and hands each folder
 * below them to the walking threads; `known`: already among the objects read.
 */
int verify_walk_records(walker *w, const store_oid *oid, const char *dir, int depth, int known)
{
	verifier *v = w->v;
	entries *es = &w->lv[depth];
	dc_buf sub = DC_BUF_INIT;
	size_t i;
	int error;

	if ((error = verify_read_tree(w, es, oid, dir, 1, known)) <= 0)
		return error;
	error = 0;
	if (!w->deferred && ++v->walked % 64 == 0)
		verify_walk_progress(v);
	if (verify_find_entry(es, "meta.json")) {
		error = check_record(w, es, dir);
		goto done;
	}
	for (i = 0; i < es->n && !error; i++) {
		const entry *e = &es->v[i];

		dc_buf_truncate(&sub, 0);
		if ((error = dc_buf_addf(&sub, "%s/%s", dir, e->name)) < 0)
			break;
		if (!verify_safe_name(e->name) || e->name[0] == '.') {
			wreport(w, DECLASS_VERIFY_PATH_UNSAFE, NULL, sub.ptr, &e->oid,
			        "'%s' is not a safe folder name", e->name);
		} else if (e->mode != STORE_MODE_TREE) {
			wreport(w, DECLASS_VERIFY_PATH_UNSAFE, NULL, sub.ptr, &e->oid,
			        "'%s' is %s outside any record's folder", sub.ptr,
			        e->mode == STORE_MODE_BLOB ? "a file" : mode_name(e->mode));
			if (e->mode == STORE_MODE_BLOB || e->mode == STORE_MODE_BLOB_EXEC)
				error = verify_claim(w, &e->oid, NULL, sub.ptr, CLAIM_NONE, NULL,
				                     0);
		} else if (depth >= MAX_DEPTH) {
			wreport(w, DECLASS_VERIFY_PATH_UNSAFE, NULL, sub.ptr, &e->oid,
			        "'%s' is nested too deep for a record's folder", sub.ptr);
		} else if (!w->deferred && depth + 1 >= DISPATCH_DEPTH) {
			job j;

			if ((error = verify_seen_add(v, &e->oid)) <= 0)
				continue; /* read already (or an error) */
			error = 0;
			j.oid = e->oid;
			j.depth = depth + 1;
			j.seq = ++v->seq;
			if (!(j.dir = strdup(sub.ptr))) {
				error = dc_error_oom();
				break;
			}
			enqueue(v, &j);
		} else {
			error = verify_walk_records(w, &e->oid, sub.ptr, depth + 1, 0);
		}
	}
done:
	dc_buf_free(&sub);
	return error;
}

/* ---- walking threads ------------------------------------------------- */

static void *walk_main(void *arg)
{
	walker *w = arg;
	verifier *v = w->v;
	job j;
	int error;

	pthread_mutex_lock(&v->mu);
	for (;;) {
		while (!v->qlen && !v->stop)
			pthread_cond_wait(&v->more, &v->mu);
		if (!v->qlen)
			break;
		j = v->q[v->qhead];
		v->qhead = (v->qhead + 1) % QCAP;
		v->qlen--;
		v->busy++;
		pthread_cond_signal(&v->room);
		pthread_mutex_unlock(&v->mu);
		w->key.seq = j.seq;
		w->key.sub = 0;
		error = verify_walk_records(w, &j.oid, j.dir, j.depth, 1);
		free(j.dir);
		pthread_mutex_lock(&v->mu);
		if (error < 0)
			set_fatal(v, error);
		v->busy--;
		if (!v->qlen && !v->busy)
			pthread_cond_broadcast(&v->idle);
	}
	pthread_mutex_unlock(&v->mu);
	return NULL;
}

static void timed_wait(pthread_cond_t *c, pthread_mutex_t *mu)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 100 * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(c, mu, &ts);
}

/*
 * Start the walking threads, each with its own handle on the archive.
 *
 * They are not a dc_pool_run() (lib/util/pool.h), which runs a number of
 * jobs known when it starts: here the calling thread finds the folders
 * while the threads walk them, and hands them over through a bounded
 * queue (QCAP) so that memory does not follow the number of records; the
 * threads, and the archive handle each opens, last for all the releases,
 * waiting in verify_drain() between them.  A pool of known jobs would have to
 * list every folder of a release first, or start threads and reopen the
 * archive once per release.
 */
int verify_walkers_start(verifier *v)
{
	size_t n = verify_thread_count(v->o, SIZE_MAX), i, started = 0;
	int error;

	if (!(v->w = calloc(n, sizeof(*v->w))))
		return dc_error_oom();
	v->nw = n;
	for (i = 0; i < n; i++) {
		v->w[i].v = v;
		v->w[i].deferred = 1;
		if ((error = store_reopen(&v->w[i].s, v->s)) < 0 ||
		    (error = store_blob_reader_new(&v->w[i].rd)) < 0)
			return error;
	}
	for (i = 0; i < n; i++)
		if (pthread_create(&v->w[i].thread, NULL, walk_main, &v->w[i]) == 0) {
			v->w[i].started = 1;
			started++;
		}
	if (!started)
		return dc_error_sys(DECLASS_ERROR, "cannot start a thread");
	return 0;
}

void verify_walker_free(walker *w)
{
	size_t i;

	for (i = 0; i < NLEVELS; i++)
		verify_entries_free(&w->lv[i]);
	store_blob_reader_free(w->rd);
	w->rd = NULL;
}

/* Stop the threads (dropping what is still queued, after an error). */
void verify_walkers_stop(verifier *v)
{
	size_t i;

	pthread_mutex_lock(&v->mu);
	for (; v->qlen; v->qlen--, v->qhead = (v->qhead + 1) % QCAP)
		free(v->q[v->qhead].dir);
	v->stop = 1;
	pthread_cond_broadcast(&v->more);
	pthread_mutex_unlock(&v->mu);
	for (i = 0; i < v->nw; i++) {
		if (v->w[i].started)
			pthread_join(v->w[i].thread, NULL);
		verify_walker_free(&v->w[i]);
		store_free(v->w[i].s);
	}
	free(v->w);
	v->w = NULL;
	v->nw = 0;
}

/* Queue a folder for the walking threads; j->dir becomes the queue's. */
static void enqueue(verifier *v, const job *j)
{
	pthread_mutex_lock(&v->mu);
	while (v->qlen == QCAP) {
		timed_wait(&v->room, &v->mu);
		pthread_mutex_unlock(&v->mu);
		verify_walk_progress(v);
		pthread_mutex_lock(&v->mu);
	}
	v->q[(v->qhead + v->qlen) % QCAP] = *j;
	v->qlen++;
	pthread_cond_signal(&v->more);
	pthread_mutex_unlock(&v->mu);
}

static int cmp_dprob(const void *a, const void *b)
{
	const dprob *x = a, *y = b;
	int c = wkey_cmp(x->key, y->key);

	return c ? c : (int)x->kind - (int)y->kind;
}

/*
 * Wait until the threads have walked every queued folder, settle the
 * claims that waited for a blob, and report what the threads found, in
 * walk order.
 */
int verify_drain(verifier *v)
{
	size_t i;

	pthread_mutex_lock(&v->mu);
	while (v->qlen || v->busy) {
		timed_wait(&v->idle, &v->mu);
		pthread_mutex_unlock(&v->mu);
		verify_walk_progress(v);
		pthread_mutex_lock(&v->mu);
	}
	for (i = 0; i < v->nlate; i++) {
		late *l = &v->late[i];

		if (l->b->state == BLOB_OK)
			compare_claim(v, l->b, l->key, l->rel, l->from, l->sha256, l->size,
			              l->record, l->path);
		else
			bad_seen(v, l->b, l->key, l->rel, l->record, l->path);
		free(l->record);
		free(l->path);
	}
	v->nlate = 0;
	pthread_mutex_unlock(&v->mu);
	if (v->nprobs)
		qsort(v->probs, v->nprobs, sizeof(*v->probs), cmp_dprob);
	for (i = 0; i < v->nprobs; i++) {
		dprob *p = &v->probs[i];

		verify_report(&v->r, p->kind, v->rels[p->rel].label, p->record, p->path,
		              p->has_oid ? &p->oid : NULL, "%s", p->message);
		free(p->record);
		free(p->path);
		free(p->message);
	}
	v->nprobs = 0;
	verify_walk_progress(v);
	if (v->fatal)
		return dc_error_set(v->fatal, "%s", v->fatal_msg);
	return 0;
}
