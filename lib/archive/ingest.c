/*
 * Ingest of a release tranche: check everything, stream every file once
 * (SHA-256 and Git blob in the same pass), build the record folders and the
 * release manifest, then commit and tag in one step (store_commit_release).
 * Nothing reaches the archive's objects or refs before that last step.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "util/date.h"
#include "util/grow.h"
#include "declass/ingest.h"
#include "declass/record.h"
#include "util/jsonutil.h"
#include "util/limit.h"
#include "util/pool.h"
#include "relfile.h"
#include "sign.h"
#include "extract/textx.h"
#include "manifest/tranche.h"
#include "util/utf8.h"
#include "writer.h"

#define CHUNK         (256 * 1024)
#define EARLIEST_YEAR 1950
/* Files read and written per batch of records (more for a record with more). */
#define BATCH_FILES 1024

/*
 * What reading a file yielded, kept while its batch of records is
 * written: memory follows the batch, not the tranche.
 */
typedef struct fres {
	size_t file; /* index in the tranche */
	int again;   /* read in an earlier batch too (a file of several records) */
	char sha256[DECLASS_SHA256_HEX];
	store_oid blob;
	dc_textx *x; /* text sought in a PDF without NAME.txt, or NULL */
} fres;

typedef struct ingest {
	declass_archive *a;
	const declass_ingest_opts *o;
	dc_tranche *t;
	int64_t when;
	char name[256], email[512];
	int nthreads;
	declass_key *key; /* --sign: signs the release tag, or NULL */

	/* The batch: its files' results, and where each tranche file's is. */
	fres *res;
	size_t nres, res_alloc;
	size_t *slot;        /* per tranche file: its index in res, if in the batch */
	unsigned char *read; /* per tranche file: read in a batch already */

	/* Progress, shared by the hashing threads, under `lock`. */
	pthread_mutex_t lock;
	declass_progress p;
} ingest;

/* One hashing thread: its own buffer and blob writer. */
typedef struct worker {
	ingest *in;
	store_writer *w;
	char *chunk;
} worker;

static int check_line(const char *what, const char *v)
{
	size_t bad;

	if (!v)
		return 0;
	if (!dc_utf8_valid(v, strlen(v), &bad))
		return dc_error_set(DECLASS_EINPUT, "%s is not valid UTF-8", what);
	if (strpbrk(v, "\r\n"))
		return dc_error_set(DECLASS_EINPUT, "%s must be one line", what);
	return 0;
}

/* Release ids become ref names and file names: keep them plain. */
static int check_release_id(const char *id)
{
	size_t i, len = id ? strlen(id) : 0;

	if (len == 0 || len > 64)
		return dc_error_set(DECLASS_EINPUT, "release id must be 1 to 64 characters");
	for (i = 0; i < len; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (i > 0 && (c == '.' || c == '_' || c == '-'))))
			return dc_error_set(DECLASS_EINPUT,
			                    "release id '%s': use letters, digits and . _ - "
			                    "(starting with a letter or digit)",
			                    id);
	}
	if (strstr(id, "..") || id[len - 1] == '.' || (len >= 5 && !strcmp(id + len - 5, ".lock")))
		return dc_error_set(DECLASS_EINPUT, "release id '%s' is not a valid tag name", id);
	return 0;
}

static int check_date(const char *date)
{
	char today[21];
	int y, m, d;

	if (!date || dc_date_parse_iso(date, &y, &m, &d) < 0)
		return dc_error_set(DECLASS_EINPUT,
		                    "release date '%s' is not a date of the form YYYY-MM-DD",
		                    date ? date : "");
	dc_time_iso(today, (int64_t)time(NULL) + 24 * 3600);
	if (y < EARLIEST_YEAR || strncmp(date, today, 10) > 0)
		return dc_error_set(DECLASS_EINPUT,
		                    "release date '%s' is implausible (before %d or in the future)",
		                    date, EARLIEST_YEAR);
	return 0;
}

static int check_opts(const declass_ingest_opts *o)
{
	int error;

	if ((error = check_release_id(o->release_id)) < 0 || (error = check_date(o->date)) < 0 ||
	    (error = check_line("--title", o->title)) < 0 ||
	    (error = check_line("--source", o->source)) < 0)
		return error;
	if (!o->dir)
		return dc_error_set(DECLASS_EINPUT, "no tranche folder given");
	return 0;
}

/* Report progress; only ever called on the caller's thread. */
static void progress(ingest *in)
{
	dc_progress_emit(&in->lock, &in->p, in->o->progress, in->o->progress_ctx);
}

/* Data that deflate cannot shrink: PDF, TIFF, JPEG, PNG, GIF, ZIP. */
static int looks_compressed(const unsigned char *b, size_t n)
{
	return (n >= 4 && !memcmp(b, "%PDF", 4)) || (n >= 4 && !memcmp(b, "II*\0", 4)) ||
	       (n >= 4 && !memcmp(b, "MM\0*", 4)) || (n >= 3 && !memcmp(b, "\xFF\xD8\xFF", 3)) ||
	       (n >= 4 && !memcmp(b, "\x89PNG", 4)) || (n >= 4 && !memcmp(b, "GIF8", 4)) ||
	       (n >= 4 && !memcmp(b, "PK\3\4", 4));
}

static ssize_t read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * Stream the file at `path` into `w` (when not NULL) and the hash `h`.
 * `size` is what it must hold; anything else means it changed under us.
 */
static int stream_fd(worker *wk, int fd, const char *path, uint64_t size, int text, store_blob *w,
                     declass_sha256 *h, declass_sha256 *h2, int count_progress)
{
	dc_utf8_state u8 = DC_UTF8_STATE_INIT;
	uint64_t total = 0, bad;
	struct stat before, after;
	int error;
	ssize_t n;

	if (fstat(fd, &before) < 0)
		return dc_error_sys(DECLASS_EINPUT, "cannot stat '%s'", path);
	for (;;) {
		if ((n = read_full(fd, wk->chunk, CHUNK)) < 0)
			return dc_error_sys(DECLASS_EINPUT, "cannot read '%s'", path);
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > size)
			break;
		if (text && !dc_utf8_feed(&u8, wk->chunk, (size_t)n, &bad))
			return dc_error_set(DECLASS_EINPUT,
			                    "text file '%s' is not valid UTF-8 (byte %llu); "
			                    "convert it to UTF-8",
			                    path, (unsigned long long)bad + 1);
		if ((error = declass_sha256_update(h, wk->chunk, (size_t)n)) < 0 ||
		    (h2 && (error = declass_sha256_update(h2, wk->chunk, (size_t)n)) < 0) ||
		    (w && (error = store_blob_write(w, wk->chunk, (size_t)n)) < 0))
			return error;
		if (count_progress) {
			pthread_mutex_lock(&wk->in->lock);
			wk->in->p.bytes_done += (uint64_t)n;
			pthread_mutex_unlock(&wk->in->lock);
		}
	}
	if (text && !dc_utf8_end(&u8))
		return dc_error_set(DECLASS_EINPUT, "text file '%s' ends inside a UTF-8 character",
		                    path);
	if (fstat(fd, &after) < 0 || total != size || (uint64_t)after.st_size != size ||
	    after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
	    after.st_mtim.tv_nsec != before.st_mtim.tv_nsec)
		return dc_error_set(
		        DECLASS_EINPUT,
		        "file '%s' changed while it was being read (%llu bytes expected); "
		        "ingest again when the download has finished",
		        path, (unsigned long long)size);
	return 0;
}

/* stream_fd() on the file at `path`. */
static int stream_file(worker *wk, const char *path, uint64_t size, int text, store_blob *w,
                       declass_sha256 *h, declass_sha256 *h2, int count_progress)
{
	int fd, error;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return dc_error_sys(DECLASS_EINPUT, "cannot open '%s'", path);
	error = stream_fd(wk, fd, path, size, text, w, h, h2, count_progress);
	close(fd);
	return error;
}

/*
 * The text of a PDF that came without NAME.txt: its text layer, and OCR
 * for pages without one (as opts->ocr says), within the archive's limits,
 * stored as a blob.  A PDF that poppler cannot read (or that a limit
 * stopped, or that this process has no poppler for) is still the
 * released file: the reason is noted in meta.json and the ingest goes on.
 */
static int extract_text(worker *wk, fres *out, const char *path)
{
	declass_pdf_text_options po = DECLASS_PDF_TEXT_OPTIONS_INIT;

	po.ocr = wk->in->o->ocr;
	/* Files are already spread over the cores. */
	po.threads = wk->in->nthreads > 1 ? 1 : 0;
	dc_pdf_text_limits(&po, &wk->in->a->limits);
	return dc_textx_extract(&out->x, path, NULL, wk->w, &po);
}

/* One pass over a file: its SHA-256 and its blob; then its text if need be. */
static int write_file(worker *wk, const dc_tfile *f, fres *out)
{
	declass_sha256 *h = NULL;
	store_blob *w = NULL;
	dc_buf full = DC_BUF_INIT;
	unsigned char head[8] = { 0 };
	ssize_t n;
	int fd = -1, error, text = f->is_sidecar || dc_is_text_name(f->base);

	if ((error = dc_tranche_full(&full, wk->in->t, f)) < 0)
		return error;
	if ((fd = open(full.ptr, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		error = dc_error_sys(DECLASS_EINPUT, "cannot open '%s'", full.ptr);
		goto done;
	}
	/* Peek at the magic number to choose the deflate effort. */
	while ((n = pread(fd, head, sizeof(head), 0)) < 0 && errno == EINTR)
		;
	if ((error = declass_sha256_new(&h)) < 0 ||
	    (error = store_blob_open(&w, wk->w, f->size,
	                             !looks_compressed(head, n > 0 ? (size_t)n : 0))) < 0 ||
	    (error = stream_fd(wk, fd, full.ptr, f->size, text, w, h, NULL, !out->again)) < 0 ||
	    (error = declass_sha256_final(h, out->sha256)) < 0)
		goto done;
	error = store_blob_finish(w, &out->blob);
	w = NULL;
	if (!error && !wk->in->o->no_extract && !f->is_sidecar && f->sidecar < 0 && n >= 4 &&
	    !memcmp(head, "%PDF", 4))
		error = extract_text(wk, out, full.ptr);
done:
	if (fd >= 0)
		close(fd);
	store_blob_abort(w);
	declass_sha256_free(h);
	dc_buf_free(&full);
	return error;
}

static int json_add(json_t *obj, const char *key, json_t *v)
{
	if (!v || json_object_set_new(obj, key, v) < 0)
		return dc_error_oom();
	return 0;
}

static json_t *file_entry(const char *sha256, uint64_t size, const char *source)
{
	json_t *o = json_object();

	if (o && (json_add(o, "sha256", json_string(sha256)) < 0 ||
	          json_add(o, "size", json_integer((json_int_t)size)) < 0 ||
	          (source && json_add(o, "source", json_string(source)) < 0))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* What reading tranche file i yielded; it is in the current batch. */
static const fres *result(const ingest *in, size_t i)
{
	return &in->res[in->slot[i]];
}

/* One piece of a record's text. */
typedef struct tpart {
	const dc_tfile *file; /* the released file it is the text of */
	const char *source;   /* "sidecar", "released" or "extracted" */
	const dc_tfile *src;  /* the file to read it from, or NULL: from `blob` */
	const store_oid *blob;
	const char *sha256;
	uint64_t size;
	const char *provider; /* third-party texts: who published them */
	const dc_textx *x;    /* how an "extracted" text was made */
} tpart;

/* Append one part to the text blob being written, checking its bytes. */
static int copy_part(worker *wk, const tpart *p, store_blob *w, declass_sha256 *h)
{
	char check[DECLASS_SHA256_HEX];
	declass_sha256 *part = NULL;
	dc_buf data = DC_BUF_INIT, path = DC_BUF_INIT;
	int error;

	if ((error = declass_sha256_new(&part)) < 0)
		return error;
	if (p->src) {
		/* Read again: the text must be the bytes hashed the first time. */
		if ((error = dc_tranche_full(&path, wk->in->t, p->src)) == 0)
			error = stream_file(wk, path.ptr, p->size, 1, w, part, h, 0);
	} else if ((error = store_read_blob(wk->in->a->s, p->blob, &data)) == 0 &&
	           (error = declass_sha256_update(part, data.ptr, data.len)) == 0 &&
	           (error = declass_sha256_update(h, data.ptr, data.len)) == 0) {
		error = store_blob_write(w, data.ptr, data.len);
	}
	if (!error)
		error = declass_sha256_final(part, check);
	if (!error && strcmp(check, p->sha256))
		error = dc_error_set(DECLASS_EINPUT, "file '%s' changed while it was being read",
		                     (p->src ? p->src : p->file)->rel);
	declass_sha256_free(part);
	dc_buf_free(&data);
	dc_buf_free(&path);
	return error;
}

static json_t *part_json(const tpart *p)
{
	return dc_text_part_json(p->file->base, p->source, p->sha256, p->size, p->provider, p->x);
}

/*
 * The record's text: for each of its files in manifest order, its NAME.txt
 * sidecar, the file itself when it is text, or the text extracted from it;
 * joined by form feeds.  One part is stored as its own blob; several are
 * copied into a new one.
 */
static int write_text(worker *wk, const dc_trecord *r, store_dir *d, json_t *meta)
{
	ingest *in = wk->in;
	tpart *parts;
	size_t n = 0, i;
	uint64_t size = 0;
	declass_sha256 *h = NULL;
	store_blob *w = NULL;
	store_oid oid;
	char sha[DECLASS_SHA256_HEX];
	json_t *text = NULL, *list = NULL;
	int error = 0;

	if (!(parts = calloc(r->nfiles, sizeof(*parts))))
		return dc_error_oom();
	for (i = 0; i < r->nfiles; i++) {
		const dc_tfile *f = &in->t->files[r->files[i]], *side;
		const fres *got = result(in, r->files[i]), *sgot;

		if (in->t->text_only) {
			parts[n++] = (tpart){
				f,       "third-party",        f,   &got->blob, got->sha256,
				f->size, in->o->text_provider, NULL
			};
		} else if (f->sidecar >= 0) {
			side = &in->t->files[f->sidecar];
			sgot = result(in, (size_t)f->sidecar);
			parts[n++] =
			        (tpart){ f,          "sidecar", side, &sgot->blob, sgot->sha256,
				         side->size, NULL,      NULL };
		} else if (dc_is_text_name(f->base)) {
			parts[n++] = (tpart){ f,           "released", f,    &got->blob,
				              got->sha256, f->size,    NULL, NULL };
		} else if (got->x && got->x->extracted) {
			parts[n++] = (tpart){ f,
				              "extracted",
				              NULL,
				              &got->x->blob,
				              got->x->sha256,
				              got->x->size,
				              NULL,
				              got->x };
		}
	}
	if (n == 0)
		goto done;
	if (!(text = json_object()) || !(list = json_array()))
		goto oom;
	for (i = 0; i < n; i++) {
		size += parts[i].size + (i ? 1 : 0);
		if (json_array_append_new(list, part_json(&parts[i])) < 0)
			goto oom;
	}
	/* texts given were checked before; extracted ones can add up */
	if (size > in->a->limits.text) {
		error = dc_limit_text_error(size, in->a->limits.text,
		                            "record %s: its text would be", r->id);
		goto done;
	}
	if (n == 1) {
		oid = *parts[0].blob;
		memcpy(sha, parts[0].sha256, sizeof(sha));
	} else {
		if ((error = declass_sha256_new(&h)) < 0 ||
		    (error = store_blob_open(&w, wk->w, size, 1)) < 0)
			goto done;
		for (i = 0; i < n; i++) {
			if (i && ((error = declass_sha256_update(h, "\f", 1)) < 0 ||
			          (error = store_blob_write(w, "\f", 1)) < 0))
				goto done;
			if ((error = copy_part(wk, &parts[i], w, h)) < 0)
				goto done;
		}
		if ((error = declass_sha256_final(h, sha)) < 0 ||
		    (error = store_blob_finish(w, &oid)) < 0)
			goto done;
		w = NULL;
	}
	if ((error = store_dir_add(d, "text.txt", &oid)) < 0)
		goto done;
	if (json_add(text, "sha256", json_string(sha)) < 0 ||
	    json_add(text, "size", json_integer((json_int_t)size)) < 0 ||
	    json_add(text, "parts", json_incref(list)) < 0 ||
	    (in->t->text_only && json_add(text, "text_only", json_true()) < 0) ||
	    json_add(meta, "text", json_incref(text)) < 0)
		goto oom;
	goto done;
oom:
	error = dc_error_oom();
done:
	store_blob_abort(w);
	declass_sha256_free(h);
	json_decref(text);
	json_decref(list);
	free(parts);
	return error;
}

/* Pool job i: the batch's file i, on the thread's own worker. */
static int hash_job(void *ctx, int thread, size_t i)
{
	worker *wk = &((worker *)ctx)[thread];
	ingest *in = wk->in;
	fres *r = &in->res[i];
	int error;

	if ((error = write_file(wk, &in->t->files[r->file], r)) == 0 && !r->again) {
		pthread_mutex_lock(&in->lock);
		in->p.files_done++;
		pthread_mutex_unlock(&in->lock);
	}
	return error;
}

static void hash_tick(void *ctx)
{
	progress(((worker *)ctx)[0].in);
}

/* Put tranche file i in the batch, once. */
static int batch_add(ingest *in, size_t i)
{
	fres *r;

	if (in->slot[i] < in->nres && in->res[in->slot[i]].file == i)
		return 0;
	if (dc_grow(&in->res, &in->res_alloc, in->nres + 1, sizeof(*in->res)) < 0)
		return DECLASS_ENOMEM;
	r = &in->res[in->nres];
	memset(r, 0, sizeof(*r));
	r->file = i;
	r->again = in->read[i];
	in->read[i] = 1;
	in->slot[i] = in->nres++;
	return 0;
}

/*
 * The next batch: records from `next` on, until they have BATCH_FILES
 * files (sidecars included); one record at least.  Sets *end past its last.
 */
static int batch_fill(ingest *in, size_t next, size_t *end)
{
	const dc_tranche *t = in->t;
	size_t k;
	int error = 0;

	in->nres = 0;
	for (; next < t->nrecords && in->nres < BATCH_FILES; next++) {
		const dc_trecord *r = &t->records[next];

		for (k = 0; k < r->nfiles && !error; k++) {
			const dc_tfile *f = &t->files[r->files[k]];

			if ((error = batch_add(in, r->files[k])) == 0 && f->sidecar >= 0)
				error = batch_add(in, (size_t)f->sidecar);
		}
		if (error)
			return error;
	}
	*end = next;
	return 0;
}

/* Done with the batch: count its texts into *out and drop them. */
static void batch_end(ingest *in, declass_ingest_result *out)
{
	size_t i;

	for (i = 0; i < in->nres; i++) {
		dc_textx *x = in->res[i].x;

		if (x && !in->res[i].again) {
			out->extracted += x->extracted;
			out->pages_ocr += x->ocr_pages;
			out->pages_missing += x->missing_pages;
			/* the note of the first incomplete text, else the first note */
			if (x->note && (!out->note[0] || (x->incomplete && !out->incomplete)))
				snprintf(out->note, sizeof(out->note), "%s: %s",
				         in->t->files[in->res[i].file].rel, x->note);
			out->incomplete += x->incomplete != DECLASS_PDF_COMPLETE;
		}
		dc_textx_free(x);
		in->res[i].x = NULL;
	}
	in->nres = 0;
}

/* Threads 1.. of the pool: their buffers and blob writers. */
static int workers_start(ingest *in, worker *workers, int n)
{
	int i, error = 0;

	for (i = 1; i < n && !error; i++) {
		workers[i].in = in;
		if (!(workers[i].chunk = malloc(CHUNK)))
			error = dc_error_oom();
		else
			error = store_writer_new(&workers[i].w, in->a->s);
	}
	return error;
}

static void workers_stop(worker *workers, int n)
{
	int i;

	for (i = 1; i < n; i++) {
		store_writer_free(workers[i].w);
		free(workers[i].chunk);
		workers[i].w = NULL;
		workers[i].chunk = NULL;
	}
}

/* Text-only: the released files the manifest names, which we do not hold. */
static json_t *not_archived(const dc_trecord *r)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; list && i < r->nrows; i++)
		if (r->rows[i]->file &&
		    json_array_append_new(list, json_string(r->rows[i]->file)) < 0) {
			json_decref(list);
			return NULL;
		}
	return list;
}

static int record_meta(ingest *in, const dc_trecord *r, json_t *meta)
{
	json_t *files = json_object(), *fields = json_object(), *rows = json_array();
	const char *release_type = NULL;
	size_t i, k;
	int error = 0;

	if (!files || !fields || !rows)
		goto oom;
	for (i = 0; !in->t->text_only && i < r->nfiles; i++) {
		const dc_tfile *f = &in->t->files[r->files[i]];
		const fres *got = result(in, r->files[i]);
		json_t *e = file_entry(got->sha256, f->size, f->rel);

		if (json_add(files, f->base, e) < 0)
			goto oom;
		/* How text was sought in it, where it came without NAME.txt. */
		if (got->x && json_add(e, "text_extraction", dc_textx_json(got->x)) < 0)
			goto oom;
	}
	for (i = 0; i < r->nrows; i++) {
		const declass_manifest_row *row = r->rows[i];
		json_t *cols = json_object(), *entry = json_object();
		declass_manifest_field fd;

		if (json_add(entry, "line", json_integer((json_int_t)row->line)) < 0 ||
		    json_add(entry, "columns", cols) < 0 || json_array_append_new(rows, entry) < 0)
			goto oom;
		if (!release_type)
			release_type = row->release_type;
		k = 0;
		while (declass_manifest_field_next(&fd, in->t->manifest, row, &k)) {
			if (json_add(cols, fd.header, json_string(fd.raw)) < 0)
				goto oom;
			/* The record's fields come from its first row. */
			if (i == 0 && strcmp(fd.key, "record") && strcmp(fd.key, "file") &&
			    json_add(fields, fd.key, json_string(fd.value)) < 0)
				goto oom;
		}
	}
	if (json_add(meta, "record", json_string(r->id)) < 0 ||
	    json_add(meta, "release", json_string(in->o->release_id)) < 0 ||
	    json_add(meta, "release_date", json_string(in->o->date)) < 0 ||
	    json_add(meta, "release_type", release_type ? json_string(release_type) : json_null()) <
	            0 ||
	    json_add(meta, "files", json_incref(files)) < 0 ||
	    (in->t->text_only &&
	     json_add(meta, "released_files_not_archived", not_archived(r)) < 0) ||
	    json_add(meta, "fields", json_incref(fields)) < 0 ||
	    (r->nrows && json_add(meta, "manifest", json_incref(rows)) < 0))
		goto oom;
	goto done;
oom:
	error = dc_error_oom();
done:
	json_decref(files);
	json_decref(fields);
	json_decref(rows);
	return error;
}

/* The folder of one record: its files, text.txt, meta.json. */
static int write_record(worker *wk, const dc_trecord *r, store_tree_edit *edit, dc_relfile *list)
{
	ingest *in = wk->in;
	dc_buf data = DC_BUF_INIT, path = DC_BUF_INIT;
	store_dir *d = NULL;
	store_oid oid;
	json_t *meta = json_object(), *text;
	char *dir = NULL;
	size_t i;
	int error;

	if (!meta)
		return dc_error_oom();
	if ((error = declass_record_path(&dir, r->id)) < 0 ||
	    (error = store_dir_new(&d, in->a->s)) < 0)
		goto done;
	/* A text-only tranche holds no released file: its texts make text.txt. */
	for (i = 0; !in->t->text_only && i < r->nfiles; i++) {
		const dc_tfile *f = &in->t->files[r->files[i]];
		const fres *got = result(in, r->files[i]);

		dc_buf_truncate(&path, 0);
		if ((error = store_dir_add(d, f->base, &got->blob)) < 0 ||
		    (error = dc_buf_addf(&path, "%s/%s", dir, f->base)) < 0 ||
		    (error = dc_relfile_add(list, r->id, path.ptr, "released", got->sha256, f->size,
		                            f->rel)) < 0)
			goto done;
	}
	if ((error = write_text(wk, r, d, meta)) < 0 || (error = record_meta(in, r, meta)) < 0)
		goto done;
	if ((text = json_object_get(meta, "text"))) {
		dc_buf_truncate(&path, 0);
		if ((error = dc_buf_addf(&path, "%s/text.txt", dir)) < 0 ||
		    (error = dc_relfile_add(
		             list, r->id, path.ptr, "text", dc_json_str(text, "sha256"),
		             (uint64_t)json_integer_value(json_object_get(text, "size")), NULL)) <
		            0)
			goto done;
	}
	if ((error = dc_json_dump(&data, meta)) < 0 ||
	    (error = store_blob_buf(in->a->s, data.ptr, data.len, &oid)) < 0 ||
	    (error = store_dir_add(d, "meta.json", &oid)) < 0 ||
	    (error = store_dir_write(d, &oid)) < 0)
		goto done;
	error = store_tree_edit_put(edit, dir, &oid, 1);
done:
	store_dir_free(d);
	json_decref(meta);
	dc_buf_free(&data);
	dc_buf_free(&path);
	free(dir);
	return error;
}

/*
 * Read and store the files of the records, a batch at a time on all
 * threads, and write each batch's record folders on this one.
 * workers[0] is the caller's thread.
 */
static int write_records(ingest *in, worker *workers, store_tree_edit *edit, dc_relfile *list,
                         declass_ingest_result *out)
{
	size_t next = 0, end = 0, i;
	int error;

	if (!(in->slot = calloc(in->t->nfiles + 1, sizeof(*in->slot))) ||
	    !(in->read = calloc(in->t->nfiles + 1, sizeof(*in->read))))
		return dc_error_oom();
	if ((error = workers_start(in, workers, in->nthreads)) < 0)
		goto done;
	while (next < in->t->nrecords) {
		dc_pool_opts po = { 0, in->nthreads, hash_job, hash_tick, workers, NULL };

		if ((error = batch_fill(in, next, &end)) < 0)
			goto done;
		po.njobs = in->nres;
		if ((error = dc_pool_run(&po)) < 0)
			goto done;
		for (i = next; i < end; i++)
			if ((error = write_record(&workers[0], &in->t->records[i], edit, list)) < 0)
				goto done;
		batch_end(in, out);
		next = end;
	}
done:
	batch_end(in, out);
	workers_stop(workers, in->nthreads);
	return error;
}

static json_t *release_doc(ingest *in)
{
	const declass_ingest_opts *o = in->o;
	char at[21];
	json_t *r = json_object(), *m = json_null();

	dc_time_iso(at, in->when);
	if (in->t->manifest) {
		m = json_object();
		if (json_add(m, "name", json_string(in->t->manifest_name)) < 0 ||
		    json_add(m, "sha256", json_string(in->t->manifest_sha256)) < 0 ||
		    json_add(m, "format", json_string(declass_manifest_format(in->t->manifest))) <
		            0 ||
		    json_add(m, "rows",
		             json_integer((json_int_t)declass_manifest_count(in->t->manifest))) < 0)
			goto fail;
	}
	if (!r || json_add(r, "format", json_integer(DECLASS_FORMAT_VERSION)) < 0 ||
	    json_add(r, "id", json_string(o->release_id)) < 0 ||
	    json_add(r, "date", json_string(o->date)) < 0 ||
	    json_add(r, "title", o->title ? json_string(o->title) : json_null()) < 0 ||
	    json_add(r, "source", o->source ? json_string(o->source) : json_null()) < 0 ||
	    json_add(r, "ingested_at", json_string(at)) < 0 ||
	    json_add(r, "ingested_by", json_sprintf("%s <%s>", in->name, in->email)) < 0 ||
	    json_add(r, "tool_version", json_string("declass " DECLASS_VERSION)) < 0 ||
	    json_add(r, "manifest", m) < 0 ||
	    json_add(r, "records", json_integer((json_int_t)in->t->nrecords)) < 0 ||
	    json_add(r, "bytes", json_integer((json_int_t)in->t->released_bytes)) < 0)
		goto fail;
	return r;
fail:
	json_decref(r);
	return NULL;
}

/*
 * What must match for a second ingest of a release id to be a no-op: the
 * release's fields and every file (by the digest of the "files" entries).
 */
static int same_release(const json_t *a, const char *files_digest, const json_t *old)
{
	static const char *keys[] = { "id", "date", "title", "source", "records", "bytes" };
	const json_t *ma = json_object_get(a, "manifest"), *mb = json_object_get(old, "manifest");
	char digest[DECLASS_SHA256_HEX];
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		if (!json_equal(json_object_get(a, keys[i]), json_object_get(old, keys[i])))
			return 0;
	if (!(json_equal(json_object_get(ma, "sha256"), json_object_get(mb, "sha256")) ||
	      (json_is_null(ma) && json_is_null(mb))))
		return 0;
	return dc_relfile_digest_of(old, digest) == 0 && !strcmp(digest, files_digest);
}

static int commit_message(dc_buf *msg, ingest *in, const char *release_sha)
{
	const declass_ingest_opts *o = in->o;
	int error;

	error = dc_buf_addf(msg, "Release %s%s%s\n\n%zu records, %zu files, %llu bytes.\n\n",
	                    o->release_id, o->title ? ": " : "", o->title ? o->title : "",
	                    in->t->nrecords, in->t->nreleased,
	                    (unsigned long long)in->t->released_bytes);
	if (!error)
		error = dc_buf_addf(msg, "Release-Id: %s\nRelease-Date: %s\n", o->release_id,
		                    o->date);
	if (!error && o->title)
		error = dc_buf_addf(msg, "Release-Title: %s\n", o->title);
	if (!error)
		error = dc_buf_addf(msg, "Release-Counts: %zu records, %zu files, %llu bytes\n",
		                    in->t->nrecords, in->t->nreleased,
		                    (unsigned long long)in->t->released_bytes);
	if (!error && o->source)
		error = dc_buf_addf(msg, "Source: %s\n", o->source);
	if (!error && in->t->manifest)
		error = dc_buf_addf(msg, "Manifest-SHA256: %s\n", in->t->manifest_sha256);
	if (!error)
		error = dc_buf_addf(
		        msg,
		        "Release-JSON-SHA256: %s\nIngested-By: %s <%s>\nTool-Version: declass %s\n",
		        release_sha, in->name, in->email, DECLASS_VERSION);
	return error;
}

/* store_commit_release()'s tag hook: sign the new commit's statement. */
typedef struct sign_ctx {
	const declass_key *key;
	const char *id, *date, *release_sha;
} sign_ctx;

static int sign_tag(void *vctx, const store_oid *commit, dc_buf *tag_message)
{
	const sign_ctx *c = vctx;
	char hex[STORE_OID_HEX];

	store_oid_fmt(hex, commit);
	return dc_sign_release(tag_message, c->key, hex, c->id, c->date, c->release_sha);
}

/*
 * The texts that came with the tranche (NAME.txt sidecars, released
 * texts, third-party texts), each and joined into each record's text,
 * within the limit on one text: checked from their sizes, before a byte
 * is read.
 */
static int check_text_sizes(const dc_tranche *t, uint64_t limit)
{
	size_t r, k, n;
	uint64_t sum;

	for (r = 0; r < t->nrecords; r++) {
		const dc_trecord *rec = &t->records[r];

		for (k = 0, n = 0, sum = 0; k < rec->nfiles; k++) {
			const dc_tfile *f = &t->files[rec->files[k]], *part = NULL;

			if (t->text_only || (f->sidecar < 0 && dc_is_text_name(f->base)))
				part = f;
			else if (f->sidecar >= 0)
				part = &t->files[f->sidecar];
			if (!part)
				continue;
			if (part->size > limit)
				return dc_limit_text_error(part->size, limit, "text file '%s' is",
				                           part->rel);
			sum += part->size + (n++ ? 1 : 0);
		}
		if (sum > limit)
			return dc_limit_text_error(sum, limit, "record %s: its text would be",
			                           rec->id);
	}
	return 0;
}

static const char declass_json[] =
        "{\n  \"format\": \"declass\",\n  \"spec\": \"docs/FORMAT.md\",\n  \"version\": 1\n}\n";

int declass_ingest(declass_archive *a, const declass_ingest_opts *o, declass_ingest_result *out)
{
	ingest in = { 0 };
	worker workers[DC_MAX_THREADS] = { { 0 } };
	int nthreads = dc_thread_count();
	dc_buf tipdate = DC_BUF_INIT, data = DC_BUF_INIT, msg = DC_BUF_INIT, tagmsg = DC_BUF_INIT,
	       path = DC_BUF_INIT, old = DC_BUF_INIT;
	store_tree_edit *edit = NULL;
	store_oid tip, existing, oid, tree, commit;
	json_t *rel = NULL, *oldrel = NULL;
	dc_relfile *files = NULL;
	char release_sha[DECLASS_SHA256_HEX], files_digest[DECLASS_SHA256_HEX], hex[STORE_OID_HEX];
	int has_tip, exists, error;

	memset(out, 0, sizeof(*out));
	if (!a->writable)
		return dc_error_set(DECLASS_ERROR, "archive not opened for writing");
	if ((error = check_opts(o)) < 0)
		return error;
	if (o->sign_key) {
		if ((error = declass_key_load(&in.key, o->sign_key)) < 0)
			return error;
		if (!declass_key_can_sign(in.key)) {
			declass_key_free(in.key);
			return dc_error_set(DECLASS_EINPUT,
			                    "'%s' is a public key; --sign needs the private key",
			                    o->sign_key);
		}
	}
	in.a = a;
	in.o = o;
	in.when = dc_now();
	in.nthreads = nthreads;
	pthread_mutex_init(&in.lock, NULL);
	dc_writer_identity(in.name, in.email);

	if ((error = dc_tip_release(a->s, &tip, &has_tip, NULL, &tipdate)) < 0)
		goto done;
	if (has_tip && (error = dc_repair_tip_tag(a->s, &tip, in.name, in.email, in.key)) < 0)
		goto done;
	error = store_release_commit(a->s, o->release_id, &existing);
	if (error < 0 && error != DECLASS_ENOTFOUND)
		goto done;
	exists = error == 0;
	if (!exists && has_tip && strcmp(o->date, tipdate.ptr) < 0) {
		error = dc_error_set(
		        DECLASS_EINPUT,
		        "release date %s is older than the newest release in the archive (%s); "
		        "releases are ingested in date order",
		        o->date, tipdate.ptr);
		goto done;
	}

	in.p.phase = "scan";
	progress(&in);
	if ((error = dc_tranche_load(&in.t, o->dir, o->manifest,
	                             (o->allow_unlisted ? DC_TRANCHE_ALLOW_UNLISTED : 0) |
	                                     (o->text_only ? DC_TRANCHE_TEXT_ONLY : 0))) < 0 ||
	    (error = check_text_sizes(in.t, a->limits.text)) < 0)
		goto done;
	workers[0].in = &in;
	if (!(workers[0].chunk = malloc(CHUNK))) {
		error = dc_error_oom();
		goto done;
	}
	if ((error = store_begin(a->s)) < 0)
		goto done;
	workers[0].w = store_main_writer(a->s);

	if ((error = dc_relfile_new(&files)) < 0 ||
	    (error = store_tree_edit_new(&edit, a->s, has_tip ? &tip : NULL)) < 0)
		goto done;
	in.p.phase = "hash";
	in.p.files_total = in.t->nused;
	in.p.bytes_total = in.t->bytes;
	if ((error = write_records(&in, workers, edit, files, out)) < 0)
		goto done;

	in.p.phase = "commit";
	progress(&in);
	if (!(rel = release_doc(&in))) {
		error = dc_error_oom();
		goto done;
	}
	if ((error = dc_relfile_files_digest(files, files_digest)) < 0 ||
	    (error = dc_release_json_path(&path, o->release_id)) < 0)
		goto done;

	if (exists) {
		if ((error = store_read_file(a->s, &existing, path.ptr, &old, NULL)) < 0 ||
		    (error = dc_json_parse(&oldrel, &old, path.ptr)) < 0)
			goto done;
		if (!same_release(rel, files_digest, oldrel)) {
			error = dc_error_set(
			        DECLASS_ECONFLICT,
			        "release '%s' is already in the archive with different content; "
			        "an archived release is never rewritten (use a new release id)",
			        o->release_id);
			goto done;
		}
		store_oid_fmt(out->commit, &existing);
		out->noop = 1;
		goto counts;
	}

	if ((error = dc_relfile_finish(files, rel, store_main_writer(a->s), &oid, release_sha)) <
	            0 ||
	    (error = store_tree_edit_put(edit, path.ptr, &oid, 0)) < 0 ||
	    (error = store_blob_buf(a->s, declass_json, sizeof(declass_json) - 1, &oid)) < 0 ||
	    (error = store_tree_edit_put(edit, "DECLASS.json", &oid, 0)) < 0 ||
	    (error = store_tree_edit_write(edit, &tree)) < 0)
		goto done;
	/* The edit holds a tree of the repository handle that the commit renews. */
	store_tree_edit_free(edit);
	edit = NULL;
	if ((error = commit_message(&msg, &in, release_sha)) < 0 ||
	    (error = dc_release_tag_message(&tagmsg, o->release_id, o->date, release_sha)) < 0)
		goto done;
	dc_buf_truncate(&path, 0);
	if ((error = dc_buf_addf(&path, "release/%s", o->release_id)) < 0)
		goto done;
	{
		store_new_release rc = { &tree,      has_tip ? &tip : NULL,
			                 msg.ptr,    path.ptr,
			                 tagmsg.ptr, in.name,
			                 in.email,   in.when,
			                 NULL,       NULL };
		sign_ctx sc = { in.key, o->release_id, o->date, release_sha };

		if (in.key) {
			rc.tag_hook = sign_tag;
			rc.tag_hook_ctx = &sc;
		}
		if ((error = store_commit_release(a->s, &rc, &commit)) < 0)
			goto done;
	}
	store_oid_fmt(hex, &commit);
	memcpy(out->commit, hex, sizeof(out->commit));
counts:
	out->records = in.t->nrecords;
	out->rows_without_text = in.t->rows_without_text;
	out->texts_empty = in.t->texts_empty;
	out->hidden = in.t->hidden;
	snprintf(out->hidden_first, sizeof(out->hidden_first), "%s",
	         in.t->hidden_first ? in.t->hidden_first : "");
	out->files = in.t->nreleased;
	out->bytes = in.t->released_bytes;
done:
	dc_archive_forget_history(a);
	store_tree_edit_free(edit);
	store_abort(a->s);
	dc_relfile_free(files);
	json_decref(rel);
	json_decref(oldrel);
	dc_tranche_free(in.t);
	free(in.res);
	free(in.slot);
	free(in.read);
	free(workers[0].chunk);
	pthread_mutex_destroy(&in.lock);
	declass_key_free(in.key);
	dc_buf_free(&tipdate);
	dc_buf_free(&data);
	dc_buf_free(&msg);
	dc_buf_free(&tagmsg);
	dc_buf_free(&path);
	dc_buf_free(&old);
	return error;
}
