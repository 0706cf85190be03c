/*
 * Re-extraction of archived text: every PDF of the records asked for is
 * read back from the archive (its SHA-256 checked on the way), its text
 * extracted again, and the records whose text changed are rewritten with
 * a new text.txt and meta.json's text, in one text revision commit after
 * the tip.  Released files and their hashes are never touched.
 *
 * Records are taken in batches, so memory holds one batch whatever the
 * size of the archive; the PDFs of a batch are read on every core.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "archive.h"
#include "util/date.h"
#include "util/grow.h"
#include "declass/record.h"
#include "declass/reextract.h"
#include "util/jsonutil.h"
#include "util/limit.h"
#include "util/pool.h"
#include "extract/textx.h"
#include "manifest/tranche.h" /* dc_path_base, dc_path_ext */
#include "store/verify.h"
#include "sign.h"
#include "writer.h"

#define BATCH 64 /* records read at once */

/* One PDF to read again. */
typedef struct rjob {
	size_t rec; /* its record, in the batch */
	char *name; /* its name in the record's folder */
	store_oid blob;
	char sha256[DECLASS_SHA256_HEX];
	dc_textx *x; /* what it gave */
} rjob;

/* A record of the batch: its folder and meta.json at the tip. */
typedef struct rrec {
	char *path;
	json_t *meta;
} rrec;

typedef struct rx rx;

/* A reading thread: its own archive handle, blob reader and writer. */
typedef struct rworker {
	rx *r;
	store *s;
	store_blob_reader *rd;
	store_writer *w;
} rworker;

struct rx {
	declass_archive *a;
	const declass_reextract_opts *o;
	declass_reextract_result *out;
	store_oid tip;
	store_tree_edit *edit;
	char tools[160]; /* "poppler X" and "tesseract Y" as this build has them */
	char name[256], email[512];
	int64_t when;
	dc_buf extractors; /* the extractors that wrote new text, "; "-joined */
	dc_buf tmpdir;

	rworker w[DC_MAX_THREADS];
	int nthreads;
	rrec recs[BATCH];
	size_t nrecs;
	rjob *jobs;
	size_t njobs, jalloc;

	/* Progress, shared by the reading threads, under `lock`. */
	pthread_mutex_t lock;
	declass_progress p;
};

static void progress(rx *r)
{
	dc_progress_emit(&r->lock, &r->p, r->o->progress, r->o->progress_ctx);
}

/* ---- reading one PDF ---------------------------------------------------- */

typedef struct sink {
	int fd;
	declass_sha256 *h;
} sink;

static int to_file(void *ctx, const void *data, size_t len)
{
	sink *k = ctx;
	const char *p = data;
	int error;

	if ((error = declass_sha256_update(k->h, data, len)) < 0)
		return error;
	while (len) {
		ssize_t n = write(k->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dc_error_sys(DECLASS_ERROR, "cannot write a temporary file");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Copy the released PDF to a temporary file (poppler reads files), check
 * it is the file released, and extract its text.
 */
static int read_one(rworker *wk, rjob *j)
{
	rx *r = wk->r;
	const rrec *rec = &r->recs[j->rec];
	declass_pdf_text_options po = DECLASS_PDF_TEXT_OPTIONS_INIT;
	dc_buf tmp = DC_BUF_INIT, shown = DC_BUF_INIT;
	char sha[DECLASS_SHA256_HEX];
	sink k = { -1, NULL };
	uint64_t size;
	int error;

	if ((error = dc_buf_addf(&tmp, "%s/pdf-XXXXXX", r->tmpdir.ptr)) < 0 ||
	    (error = dc_buf_addf(&shown, "%s/%s", rec->path, j->name)) < 0)
		goto done;
	if ((k.fd = mkstemp(tmp.ptr)) < 0) {
		error = dc_error_sys(DECLASS_ERROR, "cannot create a temporary file in '%s'",
		                     r->tmpdir.ptr);
		goto done;
	}
	if ((error = declass_sha256_new(&k.h)) < 0 ||
	    (error = store_blob_stream_with(wk->rd, wk->s, &j->blob, to_file, &k, &size)) < 0 ||
	    (error = declass_sha256_final(k.h, sha)) < 0)
		goto done;
	if (strcmp(sha, j->sha256)) {
		error = dc_error_set(DECLASS_EARCHIVE,
		                     "%s hashes to %.16s..., not to the SHA-256 its meta.json "
		                     "records (%.16s...): run 'declass verify'",
		                     shown.ptr, sha, j->sha256);
		goto done;
	}
	po.ocr = r->o->ocr;
	po.threads = r->nthreads > 1 ? 1 : 0; /* files are spread over the cores */
	dc_pdf_text_limits(&po, &r->a->limits);
	error = dc_textx_extract(&j->x, tmp.ptr, shown.ptr, wk->w, &po);
done:
	if (k.fd >= 0) {
		close(k.fd);
		unlink(tmp.ptr);
	}
	declass_sha256_free(k.h);
	dc_buf_free(&tmp);
	dc_buf_free(&shown);
	return error;
}

/* Pool job i: PDF i of the batch, on the thread's own handles. */
static int read_job(void *ctx, int thread, size_t i)
{
	rx *r = ctx;
	int error = read_one(&r->w[thread], &r->jobs[i]);

	if (!error) {
		pthread_mutex_lock(&r->lock);
		r->p.files_done++;
		pthread_mutex_unlock(&r->lock);
	}
	return error;
}

static void read_tick(void *ctx)
{
	progress(ctx);
}

/* Read the batch's PDFs on every thread; thread 0 is the caller's. */
static int read_batch(rx *r)
{
	dc_pool_opts po = { r->njobs, r->nthreads, read_job, read_tick, r, NULL };

	return dc_pool_run(&po);
}

/* ---- planning a record -------------------------------------------------- */

/* The part of the old text that is file `name`'s, or NULL. */
static const json_t *old_part(const json_t *meta, const char *name)
{
	const json_t *parts = json_object_get(json_object_get(meta, "text"), "parts"), *p;
	size_t i;

	json_array_foreach(parts, i, p)
	{
		const char *f = dc_json_str(p, "file");

		if (f && !strcmp(f, name))
			return p;
	}
	return NULL;
}

static int add_job(rx *r, const char *path, const char *name, const json_t *info)
{
	const char *sha = dc_json_str(info, "sha256");
	rjob *j;

	if (!sha || strlen(sha) != DECLASS_SHA256_HEX - 1)
		return dc_error_set(DECLASS_EARCHIVE,
		                    "%s: meta.json has no SHA-256 for '%s': run 'declass verify'",
		                    path, name);
	if (dc_grow(&r->jobs, &r->jalloc, r->njobs + 1, sizeof(*r->jobs)) < 0)
		return DECLASS_ENOMEM;
	j = &r->jobs[r->njobs];
	memset(j, 0, sizeof(*j));
	j->rec = r->nrecs;
	memcpy(j->sha256, sha, DECLASS_SHA256_HEX);
	if (!(j->name = strdup(name)))
		return dc_error_oom();
	r->njobs++;
	return 0;
}

/* The record's PDFs to read again; the batch takes it if there is one. */
static int plan(rx *r, const char *path, json_t *meta)
{
	const json_t *files = json_object_get(meta, "files"), *info, *part;
	rrec *rec = &r->recs[r->nrecs];
	size_t first = r->njobs, i;
	dc_buf fpath = DC_BUF_INIT;
	const char *name;
	int error = 0;

	/* A text described without parts cannot be rebuilt part by part. */
	if (json_is_object(json_object_get(meta, "text")) &&
	    !json_is_array(json_object_get(json_object_get(meta, "text"), "parts"))) {
		r->out->kept++;
		return 0;
	}
	json_object_foreach((json_t *)files, name, info)
	{
		const json_t *tx = json_object_get(info, "text_extraction");
		const char *src;

		part = old_part(meta, name);
		src = part ? dc_json_str(part, "source") : NULL;
		/* A text that came with the release is not the extractor's to redo. */
		if (src && strcmp(src, "extracted")) {
			r->out->kept++;
			continue;
		}
		if (strcasecmp(dc_path_ext(name), ".pdf") && !tx)
			continue;
		/* read whole, by these very tools: reading it again changes nothing */
		if (!r->o->force && r->o->ocr != DECLASS_OCR_ALWAYS && tx &&
		    json_integer_value(json_object_get(tx, "missing_pages")) == 0 &&
		    !json_object_get(tx, "incomplete") &&
		    declass_pdf_text_extractor_current(dc_json_str(tx, "extractor"))) {
			r->out->current++;
			continue;
		}
		if ((error = add_job(r, path, name, info)) < 0)
			goto done;
	}
	for (i = first; i < r->njobs; i++) {
		dc_buf_truncate(&fpath, 0);
		if ((error = dc_buf_addf(&fpath, "%s/%s", path, r->jobs[i].name)) < 0 ||
		    (error = store_path_oid(r->a->s, &r->tip, fpath.ptr, &r->jobs[i].blob)) < 0) {
			if (error == DECLASS_ENOTFOUND)
				error = dc_error_set(
				        DECLASS_EARCHIVE,
				        "meta.json lists '%s' but the folder has no such "
				        "file: run 'declass verify'",
				        fpath.ptr);
			goto done;
		}
	}
	if (r->njobs > first) {
		if (!(rec->path = strdup(path))) {
			error = dc_error_oom();
			goto done;
		}
		rec->meta = json_incref(meta);
		r->nrecs++;
	}
done:
	dc_buf_free(&fpath);
	return error;
}

/* ---- writing a record --------------------------------------------------- */

/* The job of file `name` of batch record `rec`, or NULL. */
static rjob *job_of(rx *r, size_t rec, const char *name)
{
	size_t i;

	for (i = 0; i < r->njobs; i++)
		if (r->jobs[i].rec == rec && !strcmp(r->jobs[i].name, name))
			return &r->jobs[i];
	return NULL;
}

/*
 * The released files in manifest order, which is the order of the text's
 * parts: by the first manifest row with a cell naming the file, then by
 * name for files no row names (a tranche without a manifest).
 */
typedef struct ordered {
	const char *name;
	size_t row;
} ordered;

static int cmp_ordered(const void *a, const void *b)
{
	const ordered *x = a, *y = b;

	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int file_order(ordered **out, size_t *n, const json_t *meta)
{
	const json_t *files = json_object_get(meta, "files"),
	             *rows = json_object_get(meta, "manifest"), *row, *cell;
	const char *name, *col;
	ordered *v;
	size_t i = 0, k;

	*n = 0;
	if (!(v = *out = calloc(json_object_size(files) + 1, sizeof(*v))))
		return dc_error_oom();
	json_object_foreach((json_t *)files, name, cell)
	{
		v[i].name = name;
		v[i].row = SIZE_MAX;
		json_array_foreach(rows, k, row)
		{
			json_object_foreach(json_object_get(row, "columns"), col, cell)
			{
				const char *s = json_string_value(cell);

				if (s && !strcmp(dc_path_base(s), name) && k < v[i].row)
					v[i].row = k;
			}
		}
		i++;
	}
	qsort(v, i, sizeof(*v), cmp_ordered);
	*n = i;
	return 0;
}

/*
 * Would the new extraction x lose text that the old one had?  More pages
 * without text, fewer pages, no text where there was, or a limit that
 * stopped it where the old one was whole: then the old text stays.
 */
static int worse(const dc_textx *x, const json_t *old_part, const json_t *old_info)
{
	const json_t *tx = json_object_get(old_info, "text_extraction");
	json_int_t missing = json_integer_value(json_object_get(tx, "missing_pages"));
	json_int_t pages = json_integer_value(json_object_get(tx, "pages"));

	if (old_part && !x->extracted)
		return 1;
	return tx && ((json_int_t)x->missing_pages > missing || (json_int_t)x->pages < pages ||
	              (x->incomplete && !json_object_get(tx, "incomplete")));
}

/* One part of the new text: a blob, or a slice of the old text. */
typedef struct npart {
	const char *name, *source;
	const json_t *old; /* the old part kept, or NULL */
	const rjob *job;   /* the new extraction, or NULL */
	size_t offset;     /* a kept part: where it is in the old text */
	uint64_t size;
	const char *sha256;
} npart;

/* The offset of each old part in the old text (parts joined by '\f'). */
static size_t old_offset(const json_t *meta, const json_t *part)
{
	const json_t *parts = json_object_get(json_object_get(meta, "text"), "parts"), *p;
	size_t i, off = 0;

	json_array_foreach(parts, i, p)
	{
		if (p == part)
			break;
		off += (size_t)json_integer_value(json_object_get(p, "size")) + 1;
	}
	return off;
}

/*
 * Write the parts of record `rec` joined by '\f' as one blob; *sha and
 * *size describe it.  A text over the limit on one text is refused.
 */
static int join_parts(rx *r, const rrec *rec, const npart *parts, size_t n, const dc_buf *old,
                      store_oid *oid, char sha[DECLASS_SHA256_HEX], uint64_t *size)
{
	declass_sha256 *h = NULL, *ph = NULL;
	dc_buf data = DC_BUF_INIT;
	store_blob *w = NULL;
	char check[DECLASS_SHA256_HEX];
	size_t i;
	int error;

	*size = 0;
	for (i = 0; i < n; i++)
		*size += parts[i].size + (i ? 1 : 0);
	if (*size > r->a->limits.text)
		return dc_limit_text_error(*size, r->a->limits.text, "record %s: its text would be",
		                           dc_json_str(rec->meta, "record")
		                                   ? dc_json_str(rec->meta, "record")
		                                   : rec->path);
	if (n == 1 && parts[0].job) {
		*oid = parts[0].job->x->blob;
		memcpy(sha, parts[0].sha256, DECLASS_SHA256_HEX);
		return 0;
	}
	if ((error = declass_sha256_new(&h)) < 0 ||
	    (error = store_blob_open(&w, r->w[0].w, *size, 1)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		const char *bytes;

		if (i && ((error = declass_sha256_update(h, "\f", 1)) < 0 ||
		          (error = store_blob_write(w, "\f", 1)) < 0))
			goto done;
		dc_buf_truncate(&data, 0);
		if (parts[i].job) {
			if ((error = store_read_blob(r->a->s, &parts[i].job->x->blob, &data)) < 0)
				goto done;
			bytes = data.ptr;
		} else if (parts[i].offset + parts[i].size <= old->len) {
			bytes = old->ptr + parts[i].offset;
		} else {
			bytes = NULL;
		}
		declass_sha256_free(ph);
		ph = NULL;
		if (bytes && ((error = declass_sha256_new(&ph)) < 0 ||
		              (error = declass_sha256_update(ph, bytes, parts[i].size)) < 0 ||
		              (error = declass_sha256_final(ph, check)) < 0))
			goto done;
		if (!bytes || strcmp(check, parts[i].sha256)) {
			error = dc_error_set(
			        DECLASS_EARCHIVE,
			        "the text of '%s' in text.txt does not match meta.json: "
			        "run 'declass verify'",
			        parts[i].name);
			goto done;
		}
		if ((error = declass_sha256_update(h, bytes, parts[i].size)) < 0 ||
		    (error = store_blob_write(w, bytes, parts[i].size)) < 0)
			goto done;
	}
	if ((error = declass_sha256_final(h, sha)) < 0)
		goto done;
	error = store_blob_finish(w, oid);
	w = NULL;
done:
	store_blob_abort(w);
	declass_sha256_free(h);
	declass_sha256_free(ph);
	dc_buf_free(&data);
	return error;
}

/* Copy a folder entry but text.txt and meta.json, which are written anew. */
static int copy_entry(void *ctx, const char *name, int is_dir, const store_oid *oid)
{
	(void)is_dir;
	if (!strcmp(name, "text.txt") || !strcmp(name, "meta.json"))
		return 0;
	return store_dir_add(ctx, name, oid);
}

/* The record's new text and meta.json, if they differ from the old. */
static int write_record(rx *r, size_t ri)
{
	rrec *rec = &r->recs[ri];
	const json_t *oldtext = json_object_get(rec->meta, "text");
	const char *oldsha;
	json_t *meta = NULL, *text = NULL, *list = NULL, *files;
	dc_buf old = DC_BUF_INIT, path = DC_BUF_INIT, data = DC_BUF_INIT;
	ordered *order = NULL;
	npart *parts = NULL;
	size_t norder = 0, n = 0, i;
	store_dir *d = NULL;
	store_oid oid;
	char sha[DECLASS_SHA256_HEX], at[21];
	uint64_t size = 0;
	int error, changed = 0;

	if ((error = file_order(&order, &norder, rec->meta)) < 0)
		goto done;
	if (!(parts = calloc(norder + 1, sizeof(*parts))) || !(meta = json_deep_copy(rec->meta))) {
		error = dc_error_oom();
		goto done;
	}
	files = json_object_get(meta, "files");
	for (i = 0; i < norder; i++) {
		const rjob *j = job_of(r, ri, order[i].name);
		const json_t *p = old_part(rec->meta, order[i].name);
		npart *np = &parts[n];

		if (j &&
		    worse(j->x, p,
		          json_object_get(json_object_get(rec->meta, "files"), order[i].name))) {
			/* Keep what there was: say so, and change nothing of this file. */
			r->out->worse++;
			if (!r->out->note[0])
				snprintf(r->out->note, sizeof(r->out->note),
				         "%s/%s: the new extraction left %zu page%s without text; "
				         "the "
				         "old text is kept",
				         rec->path, j->name, j->x->missing_pages,
				         j->x->missing_pages == 1 ? "" : "s");
			j = NULL;
		}
		if (j) {
			json_t *tx = dc_textx_json(j->x);

			if (!tx || json_object_set_new(json_object_get(files, order[i].name),
			                               "text_extraction", tx) < 0) {
				error = dc_error_oom();
				goto done;
			}
			r->out->pages_ocr += j->x->ocr_pages;
			r->out->pages_missing += j->x->missing_pages;
			/* the note of the first incomplete text, else the first note */
			if (j->x->note &&
			    (!r->out->note[0] || (j->x->incomplete && !r->out->incomplete)))
				snprintf(r->out->note, sizeof(r->out->note), "%s/%s: %s", rec->path,
				         j->name, j->x->note);
			r->out->incomplete += j->x->incomplete != DECLASS_PDF_COMPLETE;
			if (!j->x->extracted)
				continue;
			*np = (npart){ order[i].name, "extracted", NULL, j, 0,
				       j->x->size,    j->x->sha256 };
		} else if (p) {
			*np = (npart){ order[i].name,
				       dc_json_str(p, "source"),
				       p,
				       NULL,
				       old_offset(rec->meta, p),
				       (uint64_t)json_integer_value(json_object_get(p, "size")),
				       dc_json_str(p, "sha256") };
			if (!np->source || !np->sha256) {
				error = dc_error_set(DECLASS_EARCHIVE,
				                     "%s/meta.json: a text part has no source or "
				                     "sha256: run 'declass verify'",
				                     rec->path);
				goto done;
			}
		} else {
			continue;
		}
		n++;
	}
	/* The old text, for the parts kept from it. */
	for (i = 0; i < n && !old.len; i++)
		if (parts[i].old) {
			if ((error = dc_buf_addf(&path, "%s/text.txt", rec->path)) < 0 ||
			    (error = store_read_file(r->a->s, &r->tip, path.ptr, &old, NULL)) < 0)
				goto done;
			break;
		}
	json_object_del(meta, "text");
	if (n) {
		if ((error = join_parts(r, rec, parts, n, &old, &oid, sha, &size)) < 0)
			goto done;
		dc_time_iso(at, r->when);
		if (!(text = json_object()) || !(list = json_array()) ||
		    json_object_set_new(text, "sha256", json_string(sha)) < 0 ||
		    json_object_set_new(text, "size", json_integer((json_int_t)size)) < 0 ||
		    json_object_set_new(text, "revised_at", json_string(at)) < 0 ||
		    json_object_set(text, "parts", list) < 0 ||
		    json_object_set(meta, "text", text) < 0) {
			error = dc_error_oom();
			goto done;
		}
		if (json_is_true(json_object_get(oldtext, "text_only")) &&
		    json_object_set_new(text, "text_only", json_true()) < 0) {
			error = dc_error_oom();
			goto done;
		}
		for (i = 0; i < n; i++) {
			json_t *pj = parts[i].old
			                     ? json_deep_copy(parts[i].old)
			                     : dc_text_part_json(parts[i].name, "extracted",
			                                         parts[i].sha256, parts[i].size,
			                                         NULL, parts[i].job->x);

			if (json_array_append_new(list, pj) < 0) {
				error = dc_error_oom();
				goto done;
			}
		}
	}
	/*
	 * A change is new text, or the same text now credited to other
	 * tools: the record is rewritten only then.
	 */
	oldsha = dc_json_str(oldtext, "sha256");
	changed =
	        !json_equal(json_object_get(meta, "files"), json_object_get(rec->meta, "files")) ||
	        (text ? !oldsha || strcmp(sha, oldsha) : oldtext != NULL);
	if (!changed)
		goto done;
	for (i = 0; i < n; i++)
		if (parts[i].job &&
		    (error = dc_buf_add_item(&r->extractors, parts[i].job->x->extractor)) < 0)
			goto done;
	if ((error = store_dir_new(&d, r->a->s)) < 0 ||
	    (error = store_list_dir(r->a->s, &r->tip, rec->path, copy_entry, d)) < 0 ||
	    (n && (error = store_dir_add(d, "text.txt", &oid)) < 0) ||
	    (error = dc_json_dump(&data, meta)) < 0 ||
	    (error = store_blob_buf(r->a->s, data.ptr, data.len, &oid)) < 0 ||
	    (error = store_dir_add(d, "meta.json", &oid)) < 0 ||
	    (error = store_dir_write(d, &oid)) < 0 ||
	    (error = store_tree_edit_put(r->edit, rec->path, &oid, 1)) < 0)
		goto done;
	r->out->changed++;
done:
	store_dir_free(d);
	json_decref(meta);
	json_decref(text);
	json_decref(list);
	free(parts);
	free(order);
	dc_buf_free(&old);
	dc_buf_free(&path);
	dc_buf_free(&data);
	return error;
}

static void batch_clear(rx *r)
{
	size_t i;

	for (i = 0; i < r->nrecs; i++) {
		free(r->recs[i].path);
		json_decref(r->recs[i].meta);
	}
	for (i = 0; i < r->njobs; i++) {
		free(r->jobs[i].name);
		dc_textx_free(r->jobs[i].x);
	}
	r->nrecs = r->njobs = 0;
}

static int flush(rx *r)
{
	size_t i;
	int error;

	if (!r->nrecs)
		return 0;
	r->out->files += r->njobs;
	if ((error = read_batch(r)) < 0)
		goto done;
	for (i = 0; i < r->nrecs; i++)
		if ((error = write_record(r, i)) < 0)
			goto done;
done:
	batch_clear(r);
	return error;
}

/* One record folder at the tip: plan it, and read the batch when full. */
static int consider(void *ctx, const char *path)
{
	rx *r = ctx;
	dc_buf p = DC_BUF_INIT, data = DC_BUF_INIT;
	json_t *meta = NULL;
	const char *rel;
	int error;

	r->out->records++;
	if ((error = dc_buf_addf(&p, "%s/meta.json", path)) < 0 ||
	    (error = store_read_file(r->a->s, &r->tip, p.ptr, &data, NULL)) < 0 ||
	    (error = dc_json_parse(&meta, &data, p.ptr)) < 0)
		goto done;
	rel = dc_json_str(meta, "release");
	if (r->o->release && (!rel || strcmp(rel, r->o->release)))
		goto done;
	if ((error = plan(r, path, meta)) < 0)
		goto done;
	if (r->nrecs == BATCH)
		error = flush(r);
done:
	json_decref(meta);
	dc_buf_free(&p);
	dc_buf_free(&data);
	return error;
}

/* ---- the revision ------------------------------------------------------- */

static int commit_message(dc_buf *msg, rx *r, const char *after)
{
	const declass_reextract_opts *o = r->o;
	int error;

	error = dc_buf_addf(msg,
	                    "Text revision after release %s: %zu record%s re-extracted\n\n"
	                    "The text of %zu record%s was extracted again from the released "
	                    "files;\nthe released files and their SHA-256 are unchanged.\n\n",
	                    after, r->out->changed, r->out->changed == 1 ? "" : "s",
	                    r->out->changed, r->out->changed == 1 ? "" : "s");
	if (!error)
		error = dc_buf_addf(msg, "Text-Revision: %s\n", after);
	if (!error && o->release)
		error = dc_buf_addf(msg, "Revision-Scope: records of release %s\n", o->release);
	else if (!error)
		error = dc_buf_addf(msg, "Revision-Scope: %s\n",
		                    o->nrecords ? "records named" : "all records");
	if (!error)
		error = dc_buf_addf(msg, "Revision-Counts: %zu records, %zu files\n",
		                    r->out->changed, r->out->files);
	if (!error && r->extractors.len)
		error = dc_buf_addf(msg, "Extractor: %s\n", r->extractors.ptr);
	if (!error)
		error = dc_buf_addf(msg, "Revised-By: %s <%s>\nTool-Version: declass %s\n", r->name,
		                    r->email, DECLASS_VERSION);
	return error;
}

static int start(rx *r)
{
	const char *tmp = getenv("TMPDIR");
	int i, error;

	if ((error = dc_buf_addf(&r->tmpdir, "%s/declass-reextract-XXXXXX",
	                         tmp && *tmp ? tmp : "/tmp")) < 0)
		return error;
	if (!mkdtemp(r->tmpdir.ptr)) {
		error = dc_error_sys(DECLASS_ERROR, "cannot create a temporary folder '%s'",
		                     r->tmpdir.ptr);
		dc_buf_free(&r->tmpdir);
		return error;
	}
	if ((error = store_begin(r->a->s)) < 0)
		return error;
	for (i = 0; i < r->nthreads; i++) {
		r->w[i].r = r;
		if ((error = store_reopen(&r->w[i].s, r->a->s)) < 0 ||
		    (error = store_blob_reader_new(&r->w[i].rd)) < 0 ||
		    (error = store_writer_new(&r->w[i].w, r->a->s)) < 0)
			return error;
	}
	return store_tree_edit_new(&r->edit, r->a->s, &r->tip);
}

static void finish(rx *r)
{
	int i;

	batch_clear(r);
	free(r->jobs);
	for (i = 0; i < r->nthreads; i++) {
		store_writer_free(r->w[i].w);
		store_blob_reader_free(r->w[i].rd);
		store_free(r->w[i].s);
	}
	store_tree_edit_free(r->edit);
	store_abort(r->a->s);
	if (r->tmpdir.len)
		rmdir(r->tmpdir.ptr);
	dc_buf_free(&r->tmpdir);
	dc_buf_free(&r->extractors);
	pthread_mutex_destroy(&r->lock);
}

/* The records named: each must be in the archive. */
static int consider_named(rx *r)
{
	store_oid oid;
	size_t i;
	int error = 0;

	for (i = 0; i < r->o->nrecords && !error; i++) {
		char *path = NULL;

		if ((error = declass_record_path(&path, r->o->records[i])) == 0 &&
		    (error = store_path_oid(r->a->s, &r->tip, path, &oid)) == DECLASS_ENOTFOUND)
			error = dc_error_set(DECLASS_ENOTFOUND, "record %s is not in the archive",
			                     r->o->records[i]);
		if (!error)
			error = consider(r, path);
		free(path);
	}
	return error;
}

int declass_reextract(declass_archive *a, const declass_reextract_opts *o,
                      declass_reextract_result *out)
{
	rx r;
	dc_buf after = DC_BUF_INIT, date = DC_BUF_INIT, msg = DC_BUF_INIT;
	store_oid release, tree, commit;
	declass_key *key = NULL;
	int has_tip, error;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	if (!a->writable)
		return dc_error_set(DECLASS_ERROR, "archive not opened for writing");
	/* A key that cannot sign is refused before any work. */
	if (o->sign_key) {
		if ((error = declass_key_load(&key, o->sign_key)) < 0)
			return error;
		if (!declass_key_can_sign(key)) {
			declass_key_free(key);
			return dc_error_set(DECLASS_EINPUT,
			                    "'%s' is a public key: --sign needs the private key",
			                    o->sign_key);
		}
	}
	if (!declass_pdf_text_supported()) {
		char why[512];

		snprintf(why, sizeof(why), "%s", declass_error_last());
		return dc_error_set(DECLASS_EINPUT, "nothing can be re-extracted: %s", why);
	}
	r.a = a;
	r.o = o;
	r.out = out;
	r.when = dc_now();
	r.nthreads = dc_thread_count();
	pthread_mutex_init(&r.lock, NULL);
	dc_writer_identity(r.name, r.email);

	/* The newest release's id is the Text-Revision trailer. */
	if ((error = dc_tip_release(a->s, &r.tip, &has_tip, &after, &date)) < 0)
		goto done;
	if (!has_tip) {
		error = dc_error_set(DECLASS_EINPUT, "the archive holds no release yet");
		goto done;
	}
	if ((error = dc_repair_tip_tag(a->s, &r.tip, r.name, r.email, NULL)) < 0)
		goto done;
	if (o->release && (error = store_release_commit(a->s, o->release, &release)) < 0)
		goto done;
	if ((error = start(&r)) < 0)
		goto done;
	r.p.phase = "extract";
	progress(&r);
	if (o->nrecords)
		error = consider_named(&r);
	else
		error = store_walk_records(a->s, &r.tip, consider, &r);
	if (error < 0 || (error = flush(&r)) < 0)
		goto done;
	if (!out->changed)
		goto done;

	r.p.phase = "commit";
	progress(&r);
	if ((error = store_tree_edit_write(r.edit, &tree)) < 0)
		goto done;
	store_tree_edit_free(r.edit);
	r.edit = NULL;
	if ((error = commit_message(&msg, &r, after.ptr)) < 0)
		goto done;
	if (key) {
		char tree_hex[STORE_OID_HEX], parent_hex[STORE_OID_HEX];

		store_oid_fmt(tree_hex, &tree);
		store_oid_fmt(parent_hex, &r.tip);
		if ((error = dc_sign_revision(&msg, key, tree_hex, parent_hex)) < 0)
			goto done;
	}
	{
		store_new_release rc = { &tree,  &r.tip,  msg.ptr, NULL, NULL,
			                 r.name, r.email, r.when,  NULL, NULL };

		if ((error = store_commit_release(a->s, &rc, &commit)) < 0)
			goto done;
	}
	store_oid_fmt(out->commit, &commit);
done:
	declass_key_free(key);
	dc_archive_forget_history(a);
	finish(&r);
	dc_buf_free(&after);
	dc_buf_free(&date);
	dc_buf_free(&msg);
	return error;
}
