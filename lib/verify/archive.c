/*
 * The archive check (declass_verify_archive): fixity of the whole archive
 * and trust in its history.  docs/VERIFY.md describes every check.
 *
 * The check goes release by release, oldest first.  For each, the
 * calling thread reads the commit's tree strictly (store/verify.c) and the
 * top of records/, and hands each folder below that no earlier release
 * had to worker threads, each with its own archive handle (lib/verify/
 * walk.c).  A worker reads the record folders in it, checks paths and
 * meta.json, and hashes each blob met for the first time, comparing it at
 * once with what meta.json says of it (a folder or blob met in an earlier
 * release is the same object and is not read again).  Then the calling
 * thread reads releases/<ID>.json line by line (lib/verify/relreader.c)
 * and compares each entry with the hash of the blob at its path.
 * Problems the workers find are reported in walk order, whatever thread
 * was faster.  The history, text revisions and tags are
 * lib/verify/history.c's.
 *
 * Memory does not follow the size of the files, and follows their number
 * only through two tables of fixed-size elements (lib/util/idtab.h): the
 * trees and JSON files already read (20 bytes each) and the distinct
 * blobs with their SHA-256 and size (64 bytes each).  What a JSON says of
 * a file version is compared as soon as its blob is hashed and dropped;
 * no JSON tree of a whole release is kept.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "declass/record.h"
#include "util/jsonutil.h"
#include "verify_internal.h"

/* ---- one release commit ---------------------------------------------- */

/* A trailer and the release JSON's field must agree (both absent is fine). */
static void compare_trailer(verifier *v, const relinfo *r, const char *key, const char *json_value,
                            const char *path)
{
	char *t = verify_trailer(r->message, key);

	if ((t || json_value) && (!t || !json_value || strcmp(t, json_value)))
		verify_report(&v->r, DECLASS_VERIFY_TRAILER, r->label, NULL, path, &r->commit,
		              "trailer %s is '%s' but %s says '%s'", key, t ? t : "(absent)", path,
		              json_value ? json_value : "(absent)");
	free(t);
}

static int cmp_entry_name(const void *a, const void *b)
{
	return strcmp((*(const entry *const *)a)->name, (*(const entry *const *)b)->name);
}

/* The tree `oid` for path lookups: its entries, sorted by name. */
static int ptree_load(ptree *t, store *s, const store_oid *oid)
{
	size_t i;
	int error;

	t->valid = 0;
	if ((error = verify_load_entries(s, &t->es, oid)) < 0)
		return error;
	if (t->es.n > t->aorder) {
		const entry **order = realloc(t->order, t->es.n * sizeof(*order));

		if (!order)
			return dc_error_oom();
		t->order = order;
		t->aorder = t->es.n;
	}
	for (i = 0; i < t->es.n; i++)
		t->order[i] = &t->es.v[i];
	if (t->es.n)
		qsort(t->order, t->es.n, sizeof(*t->order), cmp_entry_name);
	t->oid = *oid;
	t->valid = 1;
	return 0;
}

/*
 * The id of the entry at `path` in the tree `root`, or DECLASS_ENOTFOUND.
 * Each level's tree is kept until a lookup needs another, so the sorted
 * entries of releases/<ID>.json cost about one read of each tree on the
 * way, not one per entry.  DECLASS_EARCHIVE if a tree cannot be read.
 */
static int path_lookup(verifier *v, const store_oid *root, const char *path, store_oid *out)
{
	store_oid cur = *root;
	const char *c = path;
	size_t d;

	for (d = 0; d < NLEVELS; d++) {
		size_t len = strcspn(c, "/"), lo, hi;
		ptree *t = &v->pc[d];
		const entry *e = NULL;

		if ((!t->valid || !store_oid_equal(&t->oid, &cur)) && ptree_load(t, v->s, &cur) < 0)
			return declass_error_code() == DECLASS_ENOMEM ? DECLASS_ENOMEM
			                                              : DECLASS_EARCHIVE;
		for (lo = 0, hi = t->es.n; lo < hi;) {
			size_t mid = lo + (hi - lo) / 2;
			const entry *m = t->order[mid];
			int cmp = strncmp(m->name, c, len);

			if (!cmp && m->name[len])
				cmp = 1;
			if (!cmp) {
				e = m;
				break;
			}
			if (cmp < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!e)
			return DECLASS_ENOTFOUND;
		if (!c[len]) {
			*out = e->oid;
			return 0;
		}
		if (e->mode != STORE_MODE_TREE)
			return DECLASS_ENOTFOUND;
		cur = e->oid;
		c += len + 1;
	}
	return DECLASS_ENOTFOUND;
}

typedef struct relcheck {
	verifier *v;
	relinfo *r;
	const char *path;
	uint64_t released;
} relcheck;

/* One entry of releases/<ID>.json "files". */
static int release_entry(void *ctx, const relentry *f, size_t i)
{
	relcheck *rc = ctx;
	verifier *v = rc->v;
	relinfo *r = rc->r;
	const char *record = f->record, *fpath = f->path, *fsha = f->sha256, *kind = f->kind;
	const char *base = fpath ? strrchr(fpath, '/') : NULL;
	char *place = NULL;
	store_oid oid;
	uint64_t size = f->size;
	int ok, error;

	if (!record || !fpath || !verify_is_hex64(fsha) || !f->has_size || !kind) {
		verify_report(&v->r, DECLASS_VERIFY_METADATA, r->label, record, rc->path, &r->json,
		              "%s: file entry %zu lacks a valid record, path, sha256, size or kind",
		              rc->path, i + 1);
		return 0;
	}
	if (!strcmp(kind, "released"))
		rc->released += size;
	/* The path must be the record's place plus one safe name. */
	ok = base && declass_record_path(&place, record) == 0 &&
	     (size_t)(base - fpath) == strlen(place) && !strncmp(fpath, place, strlen(place)) &&
	     verify_safe_name(base + 1) && strcmp(base + 1, "meta.json") &&
	     (!strcmp(kind, "text") == !strcmp(base + 1, "text.txt"));
	free(place);
	if (!ok) {
		verify_report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, r->label, record, fpath, &r->json,
		              "%s lists '%s' for record '%s': not a %s file in that record's place",
		              rc->path, fpath, record, kind);
		return 0;
	}
	error = path_lookup(v, &r->tree, fpath, &oid);
	if (error == DECLASS_ENOTFOUND) {
		verify_report(&v->r, DECLASS_VERIFY_FILE_MISSING, r->label, record, fpath, NULL,
		              "%s lists '%s' but the release's tree has no such file", rc->path,
		              fpath);
		return 0;
	}
	if (error == DECLASS_ENOMEM)
		return error;
	if (error < 0)
		return 0; /* a tree on the way is unreadable: the walk reported it */
	if ((i + 1) % 4096 == 0)
		verify_walk_progress(v);
	return verify_claim(&v->main, &oid, record, fpath, CLAIM_RELEASE, fsha, size);
}

static int check_release_json(verifier *v, relinfo *r, const char *path)
{
	relcheck rc = { v, r, path, 0 };
	relreader rr;
	const json_t *m;
	uint64_t bytes;
	int error;

	memset(&rr, 0, sizeof(rr));
	rr.entry = release_entry;
	rr.ctx = &rc;
	if ((error = verify_seen_add(v, &r->json)) < 0)
		return error;
	if ((error = verify_relreader_run(&rr, v->s, v->main.rd, &r->json, path)) < 0) {
		error = verify_report_read(&v->r, error, r->label, NULL, path, &r->json);
		goto done;
	}
	if (!r->json_sha)
		verify_report(&v->r, DECLASS_VERIFY_TRAILER, r->label, NULL, NULL, &r->commit,
		              "commit has no Release-JSON-SHA256 trailer");
	else if (strcmp(rr.sha256, r->json_sha))
		verify_report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, path, &r->json,
		              "%s hashes to %.16s..., but the commit's Release-JSON-SHA256 says "
		              "%.16s...: "
		              "it was changed after the release was committed",
		              path, rr.sha256, r->json_sha);
	if (rr.invalid) {
		verify_report(&v->r, DECLASS_VERIFY_METADATA, r->label, NULL, path, &r->json, "%s",
		              rr.invalid);
		goto done;
	}
	compare_trailer(v, r, "Release-Id", dc_json_str(rr.hdr, "id"), path);
	compare_trailer(v, r, "Release-Date", dc_json_str(rr.hdr, "date"), path);
	compare_trailer(v, r, "Source", dc_json_str(rr.hdr, "source"), path);
	compare_trailer(v, r, "Tool-Version", dc_json_str(rr.hdr, "tool_version"), path);
	compare_trailer(v, r, "Ingested-By", dc_json_str(rr.hdr, "ingested_by"), path);
	m = json_object_get(rr.hdr, "manifest");
	compare_trailer(v, r, "Manifest-SHA256",
	                json_is_object(m) ? dc_json_str(m, "sha256") : NULL, path);
	if (!rr.has_files) {
		verify_report(&v->r, DECLASS_VERIFY_METADATA, r->label, NULL, path, &r->json,
		              "%s has no list of files", path);
		goto done;
	}
	if (verify_json_uint(json_object_get(rr.hdr, "bytes"), &bytes) && bytes != rc.released)
		verify_report(&v->r, DECLASS_VERIFY_METADATA, r->label, NULL, path, &r->json,
		              "%s says %llu bytes but its released files add up to %llu", path,
		              (unsigned long long)bytes, (unsigned long long)rc.released);
done:
	verify_relreader_clear(&rr);
	return error;
}

static int check_declass_json(verifier *v, const store_oid *oid)
{
	json_t *j = NULL;
	int error;

	pthread_mutex_lock(&v->mu);
	error = dc_idtab_get(&v->seen, oid->id) != NULL;
	pthread_mutex_unlock(&v->mu);
	if (error)
		return 0;
	if ((error = verify_read_json(&v->main, &j, oid, NULL, "DECLASS.json")) < 0 || !j)
		return error;
	if (!dc_json_str(j, "format") || strcmp(dc_json_str(j, "format"), "declass") ||
	    !json_is_integer(json_object_get(j, "version")) ||
	    json_integer_value(json_object_get(j, "version")) > DECLASS_FORMAT_VERSION)
		verify_report(&v->r, DECLASS_VERIFY_METADATA, v->rels[v->cur].label, NULL,
		              "DECLASS.json", oid,
		              "DECLASS.json does not name the declass format, version 1 to %d",
		              DECLASS_FORMAT_VERSION);
	json_decref(j);
	return 0;
}

/* releases/: this release's JSON and every earlier one, unchanged. */
static int check_releases_dir(verifier *v, relinfo *r, const store_oid *oid)
{
	entries *es = &v->rdir;
	dc_buf name = DC_BUF_INIT, path = DC_BUF_INIT;
	size_t i, j;
	int error;

	if ((error = verify_read_tree(&v->main, es, oid, "releases", 0, 0)) <= 0)
		return error;
	error = 0;
	for (i = 0; i < es->n; i++) {
		const entry *e = &es->v[i];
		size_t len = strlen(e->name);
		int found = 0;

		dc_buf_truncate(&path, 0);
		if ((error = dc_buf_addf(&path, "releases/%s", e->name)) < 0)
			goto done;
		for (j = 0; j <= v->cur && !found; j++)
			if (v->rels[j].id && len == strlen(v->rels[j].id) + 5 &&
			    !strncmp(e->name, v->rels[j].id, len - 5) &&
			    !strcmp(e->name + len - 5, ".json"))
				found = 1;
		if (!found || e->mode != STORE_MODE_BLOB)
			verify_report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, path.ptr,
			              &e->oid,
			              "'%s' is not the JSON of a release in the history up to here",
			              path.ptr);
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
		e = verify_find_entry(es, name.ptr);
		if (j == v->cur) {
			if (!e) {
				verify_report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL,
				              path.ptr, &r->commit,
				              "the release's commit has no %s", path.ptr);
				continue;
			}
			r->json = e->oid;
			r->has_json = 1;
		} else if (!e) {
			verify_report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, path.ptr,
			              NULL, "%s, written by release %s, is missing here", path.ptr,
			              v->rels[j].id);
		} else if (v->rels[j].has_json && !store_oid_equal(&e->oid, &v->rels[j].json)) {
			verify_report(
			        &v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, path.ptr,
			        &e->oid,
			        "%s differs from the one release %s wrote: an archived release was "
			        "rewritten",
			        path.ptr, v->rels[j].id);
		}
	}
done:
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

/*
 * One release: its history, its tree, the record folders new in it (their
 * blobs hashed meanwhile), then its releases/<ID>.json against the hashes.
 */
static int check_release(verifier *v)
{
	relinfo *r = &v->rels[v->cur];
	entries *es = &v->top;
	const entry *e;
	store_oid rdir;
	int has_rdir = 0;
	size_t i;
	int error = 0;

	/* History: one release per commit, ids unique, dates in order. */
	if (r->kind == DC_COMMIT_REVISION) {
		if ((error = verify_check_revision(v)) < 0)
			return error;
	} else if (!r->id) {
		verify_report(&v->r, DECLASS_VERIFY_HISTORY, NULL, NULL, NULL, &r->commit,
		              "%s on the branch is not a release commit (no Release-Id trailer): "
		              "a commit was added outside declass",
		              r->label);
	} else {
		for (i = 0; i < v->cur; i++)
			if (v->rels[i].id && !strcmp(v->rels[i].id, r->id))
				verify_report(&v->r, DECLASS_VERIFY_HISTORY, r->label, NULL, NULL,
				              &r->commit,
				              "release '%s' is on the branch twice (also at %s)",
				              r->id, "an older commit");
		if (!r->date || !valid_date(r->date))
			verify_report(&v->r, DECLASS_VERIFY_TRAILER, r->label, NULL, NULL,
			              &r->commit, "commit has no valid Release-Date trailer");
		for (i = v->cur; i-- > 0;) {
			if (!v->rels[i].date || !r->date)
				continue;
			if (strcmp(r->date, v->rels[i].date) < 0)
				verify_report(
				        &v->r, DECLASS_VERIFY_HISTORY, r->label, NULL, NULL,
				        &r->commit,
				        "release date %s is older than that of the release before "
				        "it (%s, %s)",
				        r->date, v->rels[i].label, v->rels[i].date);
			break;
		}
	}

	if ((error = verify_read_tree(&v->main, es, &r->tree, "", 0, 0)) <= 0)
		return error;
	error = 0;
	for (i = 0; i < es->n; i++) {
		e = &es->v[i];
		if (strcmp(e->name, "DECLASS.json") && strcmp(e->name, "releases") &&
		    strcmp(e->name, "records"))
			verify_report(&v->r, DECLASS_VERIFY_PATH_UNSAFE, r->label, NULL, e->name,
			              &e->oid, "unexpected '%s' at the top of the release's tree",
			              e->name);
	}
	if (!(e = verify_find_entry(es, "DECLASS.json")) || e->mode != STORE_MODE_BLOB)
		verify_report(&v->r, DECLASS_VERIFY_METADATA, r->label, NULL, "DECLASS.json",
		              &r->tree, "the release's tree has no DECLASS.json file");
	else if ((error = check_declass_json(v, &e->oid)) < 0)
		return error;
	if ((e = verify_find_entry(es, "releases")) && e->mode == STORE_MODE_TREE) {
		rdir = e->oid;
		has_rdir = 1;
	}
	if ((e = verify_find_entry(es, "records")) && e->mode == STORE_MODE_TREE)
		error = verify_walk_records(&v->main, &e->oid, "records", 0, 0);
	else
		verify_report(&v->r, DECLASS_VERIFY_METADATA, r->label, NULL, "records", &r->tree,
		              "the release's tree has no records folder");
	/* The JSON's entries are compared with hashes: wait for them. */
	if (error < 0 || (error = verify_drain(v)) < 0)
		return error;

	if (has_rdir)
		error = check_releases_dir(v, r, &rdir);
	else if (r->id)
		verify_report(&v->r, DECLASS_VERIFY_RELEASE_JSON, r->label, NULL, "releases",
		              &r->tree, "the release's tree has no releases folder");
	if (error < 0 || !r->has_json)
		return error;
	{
		dc_buf path = DC_BUF_INIT;

		if ((error = dc_release_json_path(&path, r->id)) == 0)
			error = check_release_json(v, r, path.ptr);
		dc_buf_free(&path);
	}
	if (error < 0)
		return error;
	return verify_drain(v);
}

/* ---- the whole archive ----------------------------------------------- */

static int cmp_bad(const void *a, const void *b)
{
	const badblob *x = a, *y = b;

	return wkey_cmp(x->key, y->key);
}

/* Blobs that could not be read, where each was first met; then the counts. */
static int report_blobs(verifier *v)
{
	size_t i;

	if (v->nbads)
		qsort(v->bads, v->nbads, sizeof(*v->bads), cmp_bad);
	for (i = 0; i < v->nbads; i++) {
		const badblob *b = &v->bads[i];

		if (b->status == DECLASS_ENOMEM)
			return dc_error_oom();
		verify_report(&v->r,
		              b->status == DECLASS_ENOTFOUND ? DECLASS_VERIFY_OBJECT_MISSING
		                                             : DECLASS_VERIFY_OBJECT_CORRUPT,
		              v->rels[b->rel].label, b->record, b->path, &b->oid, "%s%s", b->error,
		              b->maxrel > b->rel ? " (the file is in later releases too)" : "");
	}
	for (i = 0; i < v->blobs.n; i++) {
		vblob *b = dc_idtab_at(&v->blobs, i);

		if (b->state == BLOB_OK) {
			v->r.c->blobs++;
			v->r.c->bytes += b->size;
		}
	}
	return 0;
}

static void verifier_free(verifier *v)
{
	size_t i;

	store_tag_refs_free(v->tagrefs, v->ntagrefs);
	if (v->w)
		verify_walkers_stop(v);
	for (i = 0; i < v->nlate; i++) {
		free(v->late[i].record);
		free(v->late[i].path);
	}
	for (i = 0; i < v->nprobs; i++) {
		free(v->probs[i].record);
		free(v->probs[i].path);
		free(v->probs[i].message);
	}
	for (i = 0; i < v->nbads; i++) {
		free(v->bads[i].record);
		free(v->bads[i].path);
		free(v->bads[i].error);
	}
	for (i = 0; i < v->nrels; i++) {
		free(v->rels[i].message);
		free(v->rels[i].id);
		free(v->rels[i].date);
		free(v->rels[i].json_sha);
		free(v->rels[i].label);
	}
	for (i = 0; i < NLEVELS; i++) {
		verify_entries_free(&v->pc[i].es);
		free(v->pc[i].order);
	}
	verify_entries_free(&v->top);
	verify_entries_free(&v->rdir);
	free(v->late);
	free(v->probs);
	free(v->bads);
	free(v->rels);
	dc_idtab_free(&v->seen);
	dc_idtab_free(&v->blobs);
	verify_walker_free(&v->main);
	pthread_mutex_destroy(&v->mu);
	pthread_cond_destroy(&v->more);
	pthread_cond_destroy(&v->room);
	pthread_cond_destroy(&v->idle);
}

int declass_verify_archive(declass_verify_counts *out, declass_archive *a,
                           const declass_verify_opts *opts)
{
	verifier *v;
	int error;

	memset(out, 0, sizeof(*out));
	/* Not on the stack: it holds the queue of folders. */
	if (!(v = calloc(1, sizeof(*v))))
		return dc_error_oom();
	pthread_mutex_init(&v->mu, NULL);
	pthread_cond_init(&v->more, NULL);
	pthread_cond_init(&v->room, NULL);
	pthread_cond_init(&v->idle, NULL);
	atomic_init(&v->hashed, 0);
	atomic_init(&v->bytes, 0);
	v->r.o = opts;
	v->r.c = out;
	v->o = opts;
	v->s = a->s;
	v->pr.phase = "check";
	v->seen = (dc_idtab)DC_IDTAB_INIT(sizeof(store_oid), sizeof(store_oid));
	v->blobs = (dc_idtab)DC_IDTAB_INIT(sizeof(vblob), sizeof(store_oid));
	v->main.v = v;
	v->main.s = a->s;
	if ((error = store_verify_strict()) < 0 ||
	    (error = store_blob_reader_new(&v->main.rd)) < 0 ||
	    (error = store_tag_refs(v->s, &v->tagrefs, &v->ntagrefs)) < 0 ||
	    (error = verify_load_history(v)) < 0 || (error = verify_walkers_start(v)) < 0)
		goto done;
	for (v->cur = 0; v->cur < v->nrels; v->cur++)
		if ((error = check_release(v)) < 0)
			goto done;
	for (v->cur = 0; v->cur < v->nrels; v->cur++)
		out->releases += v->rels[v->cur].id != NULL;
	verify_walkers_stop(v);
	if ((error = verify_check_tags(v)) < 0 || (error = verify_check_overrides(v)) < 0 ||
	    (error = report_blobs(v)) < 0)
		goto done;
	out->objects += out->blobs;
done:
	verifier_free(v);
	free(v);
	return error;
}
