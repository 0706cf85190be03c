/*
 * Loose files identified (declass_verify_files): each file given is
 * hashed, then looked up by SHA-256 among the file versions the releases
 * list (releases/<ID>.json); a file that is not archived is matched to
 * the nearest version of the record it is named after, or of a file with
 * its name.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "declass/record.h"
#include "util/buf.h"
#include "util/grow.h"
#include "manifest/tranche.h" /* after util/buf.h */
#include "util/jsonutil.h"
#include "verify_internal.h"

/*
 * The index is every file version the releases list, but only those that
 * can answer for the files given: the same SHA-256, or (for "closest") the
 * same record or file name.  So its size follows the files asked about,
 * not the archive.
 */
typedef struct ient {
	char sha256[DECLASS_SHA256_HEX];
	uint64_t size;
	size_t rel;
	char *record, *path;
	const char *base; /* in path */
} ient;

typedef struct findex {
	ient *v;
	size_t n, alloc;
	char **ids, **dates;
	store_oid *commits;
	size_t nrels;
	/* What the files given ask for, sorted (strcmp). */
	const char **shas, **records, **bases;
	size_t nshas, nrecords, nbases;
	size_t *by_record, *by_base; /* entry indexes, sorted by record / by base */
	size_t rel;                  /* the release being read */
	size_t total;                /* file versions listed, kept or not */
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
	for (i = 0; i < x->nrecords; i++)
		free((char *)x->records[i]);
	free(x->v);
	free(x->ids);
	free(x->dates);
	free(x->commits);
	free(x->shas);
	free(x->records);
	free(x->bases);
	free(x->by_record);
	free(x->by_base);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int has_str(const char *const *v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), cmp_str) != NULL;
}

static int cmp_ient(const void *a, const void *b)
{
	const ient *x = a, *y = b;
	int c = strcmp(x->sha256, y->sha256);

	if (!c)
		c = strcmp(x->path, y->path);
	return c ? c : (x->rel > y->rel) - (x->rel < y->rel);
}

static int findex_entry(void *ctx, const relentry *f, size_t i)
{
	findex *x = ctx;
	const char *sha = f->sha256, *record = f->record, *path = f->path;
	uint64_t size = f->size;
	ient *e;

	(void)i;
	if (!verify_is_hex64(sha) || !record || !path || !f->has_size)
		return 0; /* `declass verify` reports it */
	x->total++;
	if (!has_str(x->shas, x->nshas, sha) && !has_str(x->records, x->nrecords, record) &&
	    !has_str(x->bases, x->nbases, dc_path_base(path)))
		return 0;
	if (dc_grow(&x->v, &x->alloc, x->n + 1, sizeof(*x->v)) < 0)
		return DECLASS_ENOMEM;
	e = &x->v[x->n];
	memcpy(e->sha256, sha, DECLASS_SHA256_HEX);
	e->size = size;
	e->rel = x->rel;
	if (!(e->record = strdup(record)) || !(e->path = strdup(path))) {
		free(e->record);
		return dc_error_oom();
	}
	e->base = dc_path_base(e->path);
	x->n++;
	return 0;
}

static const findex *sort_x; /* for the two comparisons below (calling thread only) */

static int cmp_by_record(const void *a, const void *b)
{
	const ient *x = &sort_x->v[*(const size_t *)a], *y = &sort_x->v[*(const size_t *)b];
	int c = strcmp(x->record, y->record);

	return c ? c
	         : (*(const size_t *)a > *(const size_t *)b) -
	                       (*(const size_t *)a < *(const size_t *)b);
}

static int cmp_by_base(const void *a, const void *b)
{
	const ient *x = &sort_x->v[*(const size_t *)a], *y = &sort_x->v[*(const size_t *)b];
	int c = strcmp(x->base, y->base);

	return c ? c
	         : (*(const size_t *)a > *(const size_t *)b) -
	                       (*(const size_t *)a < *(const size_t *)b);
}

/* What the files given ask for (the hashed ones). */
static int findex_wants(findex *x, const declass_file_identity *list, size_t n)
{
	size_t i;

	if (!(x->shas = calloc(n + 1, sizeof(*x->shas))) ||
	    !(x->records = calloc(n + 1, sizeof(*x->records))) ||
	    !(x->bases = calloc(n + 1, sizeof(*x->bases))))
		return dc_error_oom();
	for (i = 0; i < n; i++) {
		char *record = NULL;

		if (list[i].error)
			continue;
		x->shas[x->nshas++] = list[i].sha256;
		x->bases[x->nbases++] = dc_path_base(list[i].file);
		if (declass_record_from_filename(&record, dc_path_base(list[i].file)) == 0 &&
		    record)
			x->records[x->nrecords++] = record;
		else
			free(record);
	}
	qsort(x->shas, x->nshas, sizeof(*x->shas), cmp_str);
	qsort(x->records, x->nrecords, sizeof(*x->records), cmp_str);
	qsort(x->bases, x->nbases, sizeof(*x->bases), cmp_str);
	return 0;
}

/* The file versions the releases list that the files given may be, sorted by SHA-256. */
static int findex_load(findex *x, declass_archive *a)
{
	dc_buf id = DC_BUF_INIT, path = DC_BUF_INIT;
	store_blob_reader *br = NULL;
	relreader rr;
	store_oid json;
	dc_history h = { 0 };
	size_t n = 0, i;
	int error;

	memset(&rr, 0, sizeof(rr));
	rr.entry = findex_entry;
	rr.ctx = x;
	if ((error = dc_history_load(&h, a->s)) < 0 || (error = store_blob_reader_new(&br)) < 0)
		goto done;
	/* The releases; text revisions change no released file. */
	x->commits = h.commits;
	h.commits = NULL;
	for (i = 0; i < h.n; i++)
		if (h.kinds[i] != DC_COMMIT_REVISION)
			x->commits[n++] = x->commits[i];
	if (!(x->ids = calloc(n + 1, sizeof(*x->ids))) ||
	    !(x->dates = calloc(n + 1, sizeof(*x->dates)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < n; i++) {
		const char *date;

		dc_buf_truncate(&id, 0);
		dc_buf_truncate(&path, 0);
		verify_relreader_clear(&rr);
		x->rel = i;
		if ((error = dc_commit_release_id(a->s, &x->commits[i], &id)) < 0 ||
		    (error = dc_release_json_path(&path, id.ptr)) < 0 ||
		    (error = store_path_oid(a->s, &x->commits[i], path.ptr, &json)) < 0 ||
		    (error = verify_relreader_run(&rr, a->s, br, &json, path.ptr)) < 0)
			goto done;
		if (rr.invalid) {
			error = dc_error_set(DECLASS_EARCHIVE, "%s", rr.invalid);
			goto done;
		}
		date = dc_json_str(rr.hdr, "date");
		x->nrels++;
		if (!(x->ids[i] = strdup(id.ptr)) || !(x->dates[i] = strdup(date ? date : "?"))) {
			error = dc_error_oom();
			goto done;
		}
	}
	if (x->n)
		qsort(x->v, x->n, sizeof(*x->v), cmp_ient);
	for (i = 0; i < x->n; i++)
		x->v[i].base = dc_path_base(x->v[i].path);
	if (!(x->by_record = calloc(x->n + 1, sizeof(*x->by_record))) ||
	    !(x->by_base = calloc(x->n + 1, sizeof(*x->by_base)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < x->n; i++)
		x->by_record[i] = x->by_base[i] = i;
	sort_x = x;
	if (x->n) {
		qsort(x->by_record, x->n, sizeof(*x->by_record), cmp_by_record);
		qsort(x->by_base, x->n, sizeof(*x->by_base), cmp_by_base);
	}
	sort_x = NULL;
done:
	if (error == DECLASS_ENOTFOUND || error == DECLASS_EARCHIVE)
		dc_error_prefix("cannot index the archive's files (run 'declass verify')");
	if (error == DECLASS_ENOTFOUND)
		error = DECLASS_EARCHIVE;
	verify_relreader_clear(&rr);
	store_blob_reader_free(br);
	dc_history_free(&h);
	dc_buf_free(&id);
	dc_buf_free(&path);
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

/* The range [*lo, *hi) of idx (sorted by field) whose field is s. */
static void equal_range(const findex *x, const size_t *idx, int by_record, const char *s,
                        size_t *lo, size_t *hi)
{
	size_t l = 0, h = x->n;

	while (l < h) {
		size_t mid = l + (h - l) / 2;
		const ient *e = &x->v[idx[mid]];

		if (strcmp(by_record ? e->record : e->base, s) < 0)
			l = mid + 1;
		else
			h = mid;
	}
	*lo = l;
	for (h = l; h < x->n; h++) {
		const ient *e = &x->v[idx[h]];

		if (strcmp(by_record ? e->record : e->base, s))
			break;
	}
	*hi = h;
}

static int cmp_size_t(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

static int identify_one(declass_file_identity *id, declass_archive *a, const findex *x)
{
	size_t lo = 0, hi = x->n, k, nm = 0, rlo = 0, rhi = 0, blo, bhi, ncand = 0;
	size_t *cand = NULL;
	const ient *best = NULL;
	const char *base = dc_path_base(id->file);
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
	/*
	 * Not archived: the nearest version of the record it is named after,
	 * or of a file with its name; candidates in index order, for ties.
	 */
	if (declass_record_from_filename(&record, base) < 0)
		record = NULL;
	if (record)
		equal_range(x, x->by_record, 1, record, &rlo, &rhi);
	equal_range(x, x->by_base, 0, base, &blo, &bhi);
	if (!(cand = malloc((rhi - rlo + bhi - blo + 1) * sizeof(*cand)))) {
		free(record);
		return dc_error_oom();
	}
	for (k = rlo; k < rhi; k++)
		cand[ncand++] = x->by_record[k];
	for (k = blo; k < bhi; k++)
		cand[ncand++] = x->by_base[k];
	qsort(cand, ncand, sizeof(*cand), cmp_size_t);
	for (k = 0; k < ncand; k++) {
		const ient *e = &x->v[cand[k]];
		uint64_t d, bd;

		if (k && cand[k] == cand[k - 1])
			continue;
		if (!dc_is_text_name(base) != !!strcmp(e->base, "text.txt") &&
		    strcmp(e->base, base))
			continue; /* a PDF is not compared with a text */
		d = e->size > id->size ? e->size - id->size : id->size - e->size;
		bd = best ? (best->size > id->size ? best->size - id->size : id->size - best->size)
		          : 0;
		if (!best || d < bd || (d == bd && e->rel > best->rel))
			best = e;
	}
	free(cand);
	free(record);
	return best ? fill_match(&id->closest, x, best) : 0;
}

int declass_verify_files(declass_file_identity **out, declass_verify_counts *counts,
                         declass_archive *a, const char *const *files, size_t n,
                         const declass_verify_opts *opts)
{
	reporter r = { opts, counts };
	declass_file_identity *list = NULL;
	findex x;
	loose *hash = NULL;
	size_t i;
	int error;

	memset(&x, 0, sizeof(x));
	*out = NULL;
	memset(counts, 0, sizeof(*counts));
	counts->files = n;
	if ((error = store_verify_strict()) < 0)
		goto done;
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
	/* The files first: the index keeps only what can answer for them. */
	if ((error = verify_hash_loose(hash, n, opts, counts->bytes)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		if (hash[i].status < 0) {
			list[i].error = hash[i].error;
			hash[i].error = NULL;
			continue;
		}
		memcpy(list[i].sha256, hash[i].sha256, DECLASS_SHA256_HEX);
		list[i].size = hash[i].size;
	}
	if ((error = findex_wants(&x, list, n)) < 0 || (error = findex_load(&x, a)) < 0)
		goto done;
	counts->releases = x.nrels;
	counts->file_versions = x.total;
	counts->bytes = 0;
	for (i = 0; i < n; i++) {
		declass_file_identity *id = &list[i];

		if (id->error) {
			verify_report(&r, DECLASS_VERIFY_UNKNOWN_FILE, NULL, NULL, id->file, NULL,
			              "%s", id->error);
			continue;
		}
		counts->blobs++;
		counts->bytes += id->size;
		if ((error = identify_one(id, a, &x)) < 0)
			goto done;
		if (!id->nmatches)
			verify_report(&r, DECLASS_VERIFY_UNKNOWN_FILE, id->closest.release,
			              id->closest.record, id->file, NULL, "not in the archive");
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
