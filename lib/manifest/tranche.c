/*
 * Reading a downloaded tranche: scan the folder, read the manifest, match
 * rows to files, and refuse anything doubtful before a byte is written.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/grow.h"
#include "declass/record.h"
#include "tranche.h"
#include "util/utf8.h"

#define MAX_DEPTH 32
#define MAX_FILES ((size_t)INT_MAX) /* indices are ints (dc_tfile.sidecar) */

typedef struct scan {
	dc_tranche *t;
	size_t alloc;
	char *root_real; /* realpath of the tranche folder */
	size_t root_len;
	dc_buf hidden_first; /* the first hidden name left out, in path order */
} scan;

const char *dc_path_ext(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot && dot != name ? dot : "";
}

const char *dc_path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int dc_is_text_name(const char *name)
{
	const char *e = dc_path_ext(name);

	return !strcasecmp(e, ".txt") || !strcasecmp(e, ".md");
}

/* A name found in the folder: UTF-8, no control characters, no '\'. */
static int check_name(const char *rel, const char *name)
{
	size_t len = strlen(name), bad, i;

	if (!dc_utf8_valid(name, len, &bad))
		return dc_error_set(DECLASS_EINPUT,
		                    "file name '%s' is not valid UTF-8 (byte %zu); rename it", rel,
		                    bad + 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c < 0x20 || c == 0x7f)
			return dc_error_set(DECLASS_EINPUT,
			                    "file name '%s' holds a control character; rename it",
			                    rel);
		if (c == '\\')
			return dc_error_set(DECLASS_EINPUT,
			                    "file name '%s' holds a backslash; rename it", rel);
	}
	return 0;
}

/* A file at rel; `link` is a symlink's target, or NULL. */
static int add_file(scan *sc, const char *rel, const char *link, uint64_t size)
{
	dc_tranche *t = sc->t;
	dc_tfile *f;

	if (t->nfiles == MAX_FILES)
		return dc_error_set(DECLASS_EINPUT, "more than %zu files in '%s'", MAX_FILES,
		                    t->dir);
	if (dc_grow(&t->files, &sc->alloc, t->nfiles + 1, sizeof(*t->files)) < 0)
		return DECLASS_ENOMEM;
	f = &t->files[t->nfiles];
	memset(f, 0, sizeof(*f));
	f->sidecar = -1;
	f->size = size;
	if (!(f->rel = dc_arena_strndup(&t->names, rel, strlen(rel))) ||
	    (link && !(f->link = dc_arena_strndup(&t->names, link, strlen(link)))))
		return dc_error_oom();
	f->base = dc_path_base(f->rel);
	t->nfiles++;
	return 0;
}

int dc_tranche_full(dc_buf *out, const dc_tranche *t, const dc_tfile *f)
{
	dc_buf_truncate(out, 0);
	if (f->link)
		return dc_buf_adds(out, f->link);
	return dc_buf_addf(out, "%s/%s", t->dir, f->rel);
}

/*
 * A hidden file or folder (.DS_Store, ._x.pdf, .104-10004-10143.pdf): left
 * out, but counted, and the first in path order kept to be named.
 */
static int hidden_name(scan *sc, const dc_buf *rel)
{
	sc->t->hidden++;
	if (sc->hidden_first.len && strcmp(rel->ptr, sc->hidden_first.ptr) >= 0)
		return 0;
	dc_buf_truncate(&sc->hidden_first, 0);
	return dc_buf_add(&sc->hidden_first, rel->ptr, rel->len);
}

/* The first hidden name, to print: control characters and invalid UTF-8 made '?'. */
static int keep_hidden_first(scan *sc)
{
	dc_buf *b = &sc->hidden_first;
	size_t bad, i;
	int utf8 = dc_utf8_valid(b->ptr, b->len, &bad);

	for (i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];

		if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8))
			b->ptr[i] = '?';
	}
	if (!(sc->t->hidden_first = dc_arena_strndup(&sc->t->names, b->ptr, b->len)))
		return dc_error_oom();
	return 0;
}

/* Is `path` `dir` or below it? */
static int is_below(const char *path, const char *dir, size_t dir_len)
{
	return !strncmp(path, dir, dir_len) && (path[dir_len] == '/' || path[dir_len] == '\0');
}

/*
 * Does the symlink target `real` hold the link, found in the tranche's
 * folder `rel` ("" for the top)?  Then it is a loop in the tranche (loop ->
 * ., up -> ..), not a way out of it.  The folders the scan enters are no
 * symlinks, so the link's folder is root_real/rel.
 */
static int holds_link(const scan *sc, const char *real, const char *rel)
{
	size_t len = strlen(real);

	if (!is_below(real, sc->root_real, sc->root_len))
		return 0;
	if (len == sc->root_len)
		return 1;
	/* real is root_real/X: does rel start with X? */
	return is_below(rel, real + sc->root_len + 1, len - sc->root_len - 1);
}

static int scan_dir(scan *sc, const char *rel, int depth)
{
	dc_buf full = DC_BUF_INIT, sub = DC_BUF_INIT;
	struct dirent *de;
	DIR *d = NULL;
	int error = 0;

	if (depth > MAX_DEPTH)
		return dc_error_set(DECLASS_EINPUT, "'%s/%s' is nested too deep", sc->t->dir, rel);
	if ((error = dc_buf_addf(&full, "%s%s%s", sc->t->dir, *rel ? "/" : "", rel)) < 0)
		return error;
	if (!(d = opendir(full.ptr))) {
		error = dc_error_sys(DECLASS_EINPUT, "cannot read folder '%s'", full.ptr);
		goto done;
	}
	while (!error && (errno = 0, de = readdir(d))) {
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		dc_buf_truncate(&sub, 0);
		dc_buf_truncate(&full, 0);
		if ((error = dc_buf_addf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name)) < 0)
			break;
		if (de->d_name[0] == '.') {
			error = hidden_name(sc, &sub);
			continue;
		}
		if ((error = dc_buf_addf(&full, "%s/%s", sc->t->dir, sub.ptr)) < 0 ||
		    (error = check_name(sub.ptr, de->d_name)) < 0)
			break;
		if (lstat(full.ptr, &st) < 0) {
			error = dc_error_sys(DECLASS_EINPUT, "cannot stat '%s'", full.ptr);
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			char *real = realpath(full.ptr, NULL);

			if (!real) {
				error = dc_error_sys(DECLASS_EINPUT, "symlink '%s' is broken",
				                     full.ptr);
				break;
			}
			if (holds_link(sc, real, rel)) {
				error = dc_error_set(
				        DECLASS_EINPUT,
				        "symlink '%s' points at a folder that holds it "
				        "(a loop); remove it",
				        full.ptr);
				free(real);
				break;
			}
			if (strncmp(real, sc->root_real, sc->root_len) != 0 ||
			    real[sc->root_len] != '/') {
				error = dc_error_set(
				        DECLASS_EINPUT,
				        "symlink '%s' points outside the tranche folder (to '%s')",
				        full.ptr, real);
				free(real);
				break;
			}
			if (stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
				error = dc_error_set(
				        DECLASS_EINPUT,
				        "symlink '%s' does not point at a regular file", full.ptr);
				free(real);
				break;
			}
			error = add_file(sc, sub.ptr, real, (uint64_t)st.st_size);
			free(real);
		} else if (S_ISDIR(st.st_mode)) {
			error = scan_dir(sc, sub.ptr, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			error = add_file(sc, sub.ptr, NULL, (uint64_t)st.st_size);
		} else {
			error = dc_error_set(DECLASS_EINPUT, "'%s' is not a regular file",
			                     full.ptr);
		}
	}
	if (!error && errno)
		error = dc_error_sys(DECLASS_EINPUT, "cannot read folder '%s/%s'", sc->t->dir, rel);
done:
	if (d)
		closedir(d);
	dc_buf_free(&full);
	dc_buf_free(&sub);
	return error;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const dc_tfile *)a)->rel, ((const dc_tfile *)b)->rel);
}

static long find_file(const dc_tranche *t, const char *rel)
{
	dc_tfile key = { 0 }, *f;

	key.rel = (char *)rel;
	if (!t->nfiles)
		return -1;
	f = bsearch(&key, t->files, t->nfiles, sizeof(*f), cmp_file);
	return f ? (long)(f - t->files) : -1;
}

/* NAME.txt beside NAME.ext is NAME.ext's text. */
static int link_sidecars(dc_tranche *t)
{
	dc_buf want = DC_BUF_INIT;
	size_t i;
	int error = 0;

	for (i = 0; i < t->nfiles && !error; i++) {
		dc_tfile *f = &t->files[i];
		const char *ext = dc_path_ext(f->base);
		long j;

		if (!*ext || dc_is_text_name(f->base))
			continue;
		dc_buf_truncate(&want, 0);
		if ((error = dc_buf_add(&want, f->rel, strlen(f->rel) - strlen(ext))) < 0 ||
		    (error = dc_buf_adds(&want, ".txt")) < 0)
			break;
		if ((j = find_file(t, want.ptr)) >= 0)
			f->sidecar = (int)j;
	}
	dc_buf_free(&want);
	return error;
}

/* One (record, file, row) match before grouping. */
typedef struct match {
	const char *record;
	size_t file;
	const declass_manifest_row *row;
	size_t seq;
} match;

typedef struct matches {
	match *v;
	size_t n, alloc;
} matches;

static int add_match(matches *m, const char *record, size_t file, const declass_manifest_row *row)
{
	if (dc_grow(&m->v, &m->alloc, m->n + 1, sizeof(*m->v)) < 0)
		return DECLASS_ENOMEM;
	m->v[m->n] = (match){ record, file, row, m->n };
	m->n++;
	return 0;
}

static int cmp_match(const void *a, const void *b)
{
	const match *x = a, *y = b;
	int c = strcmp(x->record, y->record);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

int dc_path_safe_rel(const char *p)
{
	const char *c = p;

	if (!*p || *p == '/' || strchr(p, '\\'))
		return 0;
	while (*c) {
		size_t len = strcspn(c, "/");

		if (len == 0 || (len == 1 && c[0] == '.') ||
		    (len == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += len;
		if (*c == '/')
			c++;
	}
	return c[-1] != '/';
}

/* Where the manifest names the file, find it in the folder. */
static int resolve_row_file(const dc_tranche *t, const declass_manifest_row *row, const char *mname,
                            long *out)
{
	const char *base = strrchr(row->file, '/');
	long i;

	if (!dc_path_safe_rel(row->file))
		return dc_error_set(DECLASS_EINPUT,
		                    "manifest '%s' line %zu: record %s: unsafe file name '%s'",
		                    mname, row->line, row->record, row->file);
	/* As listed ("2022/x.pdf"), else flat in the folder ("x.pdf"). */
	if ((i = find_file(t, row->file)) < 0 && base)
		i = find_file(t, base + 1);
	if (i < 0)
		return dc_error_set(DECLASS_EINPUT,
		                    "manifest '%s' line %zu: record %s: file '%s' is not in '%s'",
		                    mname, row->line, row->record, row->file, t->dir);
	*out = i;
	return 0;
}

static int cmp_named(const void *a, const void *b)
{
	const dc_named *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->file > y->file) - (x->file < y->file);
}

int dc_name_index_build(dc_name_index *out, char *const *ids, size_t nfiles)
{
	size_t i;

	out->n = 0;
	if (!(out->v = calloc(nfiles + 1, sizeof(*out->v))))
		return dc_error_oom();
	for (i = 0; i < nfiles; i++)
		if (ids[i])
			out->v[out->n++] = (dc_named){ ids[i], i };
	qsort(out->v, out->n, sizeof(*out->v), cmp_named);
	return 0;
}

size_t dc_name_index_first(const dc_name_index *ix, const char *record)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix->v[mid].id, record) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && !strcmp(ix->v[lo].id, record) ? lo : ix->n;
}

/* Files of the folder whose names stand for `record`. */
static int files_named_for(const dc_tranche *t, const dc_name_index *ix, const char *record,
                           matches *m, const declass_manifest_row *row)
{
	size_t i = dc_name_index_first(ix, record);
	int error = 0;

	if (i == ix->n)
		return dc_error_set(DECLASS_EINPUT,
		                    "record %s has no file in '%s' (no file named after it)",
		                    record, t->dir);
	for (; i < ix->n && !error && !strcmp(ix->v[i].id, record); i++)
		error = add_match(m, record, ix->v[i].file, row);
	return error;
}

static int build_records(dc_tranche *t, matches *m, const char *mname)
{
	size_t i, j, k, nrec = 0;
	int error = 0;

	if (m->n)
		qsort(m->v, m->n, sizeof(*m->v), cmp_match);
	for (i = 0; i < m->n; i++)
		if (i == 0 || strcmp(m->v[i].record, m->v[i - 1].record))
			nrec++;
	if (!nrec && t->hidden)
		return dc_error_set(DECLASS_EINPUT,
		                    "no released files in '%s' (%zu hidden file%s left out, first "
		                    "'%s')",
		                    t->dir, t->hidden, t->hidden == 1 ? "" : "s", t->hidden_first);
	if (!nrec)
		return dc_error_set(DECLASS_EINPUT, "no released files in '%s'", t->dir);
	/* One array each for all records' files and rows, not two per record. */
	if (!(t->records = calloc(nrec, sizeof(*t->records))) ||
	    !(t->record_files = calloc(m->n, sizeof(*t->record_files))) ||
	    !(t->record_rows = calloc(m->n, sizeof(*t->record_rows))))
		return dc_error_oom();
	for (i = 0; i < m->n && !error; i = j) {
		dc_trecord *r = &t->records[t->nrecords++];

		for (j = i + 1; j < m->n && !strcmp(m->v[j].record, m->v[i].record); j++)
			;
		if (!(r->id = dc_arena_strndup(&t->names, m->v[i].record, strlen(m->v[i].record))))
			return dc_error_oom();
		r->files = t->record_files + i;
		r->rows = t->record_rows + i;
		for (k = i; k < j && !error; k++) {
			const match *x = &m->v[k];
			const dc_tfile *f = &t->files[x->file];
			size_t p;

			if (x->row && (r->nrows == 0 || r->rows[r->nrows - 1] != x->row))
				r->rows[r->nrows++] = x->row;
			for (p = 0; p < r->nfiles && !error; p++) {
				const dc_tfile *g = &t->files[r->files[p]];

				if (r->files[p] == x->file)
					error = dc_error_set(DECLASS_EINPUT,
					                     "manifest '%s' line %zu: record %s "
					                     "lists file '%s' twice",
					                     mname, x->row ? x->row->line : 0,
					                     r->id, f->rel);
				else if (!t->text_only && !strcmp(g->base, f->base))
					error = dc_error_set(DECLASS_EINPUT,
					                     "record %s has two files named '%s' "
					                     "('%s' and '%s'); "
					                     "ingest them as separate releases",
					                     r->id, f->base, g->rel, f->rel);
			}
			if (!error && !t->text_only &&
			    (!strcmp(f->base, "meta.json") || !strcmp(f->base, "text.txt")))
				error = dc_error_set(
				        DECLASS_EINPUT,
				        "record %s: file '%s' has a name the archive reserves",
				        r->id, f->rel);
			if (!error)
				r->files[r->nfiles++] = x->file;
		}
	}
	return error;
}

static int mark_used(dc_tranche *t)
{
	size_t i, k;

	for (i = 0; i < t->nrecords; i++)
		for (k = 0; k < t->records[i].nfiles; k++) {
			dc_tfile *f = &t->files[t->records[i].files[k]];

			f->used = 1;
			if (f->sidecar >= 0)
				t->files[f->sidecar].used = 1;
		}
	for (i = 0; i < t->nfiles; i++) {
		const dc_tfile *f = &t->files[i];

		if (!f->used)
			continue;
		if (f->size == 0) {
			dc_buf full = DC_BUF_INIT;
			int error = dc_tranche_full(&full, t, f);

			if (!error)
				error = dc_error_set(
				        DECLASS_EINPUT,
				        "file '%s' is empty (0 bytes): a released file "
				        "has content; remove it or fetch it again",
				        full.ptr);
			dc_buf_free(&full);
			return error;
		}
		t->bytes += f->size;
		t->nused++;
		if (!f->is_sidecar && !t->text_only) {
			t->released_bytes += f->size;
			t->nreleased++;
		}
	}
	return 0;
}

static int check_unlisted(const dc_tranche *t, const char *manifest_real, int allow)
{
	dc_buf full = DC_BUF_INIT;
	size_t i, n = 0;
	const char *first = NULL;

	for (i = 0; i < t->nfiles; i++) {
		const dc_tfile *f = &t->files[i];

		if (f->used || f->empty_text)
			continue;
		if (manifest_real) {
			if (dc_tranche_full(&full, t, f) < 0) {
				dc_buf_free(&full);
				return DECLASS_ENOMEM;
			}
			if (!strcmp(full.ptr, manifest_real))
				continue;
		}
		if (!first)
			first = f->rel;
		n++;
	}
	dc_buf_free(&full);
	if (n && !allow)
		return dc_error_set(DECLASS_EINPUT,
		                    "%zu file%s in '%s' not in manifest '%s', first '%s' "
		                    "(use --allow-unlisted to leave them out)",
		                    n, n == 1 ? "" : "s", t->dir, t->manifest_name, first);
	return 0;
}

/*
 * The manifest is read twice, to parse it and to hash it: both must see
 * the same bytes, so it must be a regular file that stays as it was.
 */
static int load_manifest(dc_tranche *t, const char *path)
{
	struct stat before, after;
	uint64_t hashed = 0;
	int error;

	if (stat(path, &before) < 0)
		return dc_error_sys(DECLASS_EINPUT, "cannot open manifest '%s'", path);
	if (!S_ISREG(before.st_mode))
		return dc_error_set(DECLASS_EINPUT,
		                    "manifest '%s' is not a regular file; save it to a file first",
		                    path);
	if ((error = declass_manifest_load(&t->manifest, path)) < 0 ||
	    (error = declass_sha256_file(t->manifest_sha256, &hashed, path)) < 0)
		return error;
	if (stat(path, &after) < 0 || after.st_ino != before.st_ino ||
	    after.st_dev != before.st_dev || after.st_size != before.st_size ||
	    hashed != (uint64_t)before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
	    after.st_mtim.tv_nsec != before.st_mtim.tv_nsec)
		return dc_error_set(DECLASS_EINPUT,
		                    "manifest '%s' changed while it was being read; ingest again "
		                    "when it is complete",
		                    path);
	return 0;
}

/* The path without its extension, lower-cased: how texts are matched. */
static char *text_key(const char *path)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	size_t len = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path), i;
	char *k = malloc(len + 1);

	if (!k)
		return NULL;
	for (i = 0; i < len; i++)
		k[i] = (char)tolower((unsigned char)path[i]);
	k[len] = '\0';
	return k;
}

typedef struct tkey {
	char *key;
	size_t file;
} tkey;

static int cmp_tkey(const void *a, const void *b)
{
	return strcmp(((const tkey *)a)->key, ((const tkey *)b)->key);
}

/*
 * A text-only tranche's text for a manifest row: the text whose path
 * without extension is the row's file without extension, or a tail of it
 * ("2023/08/x.pdf" -> "2023/08/x", "08/x", "x").  -1 if none.
 */
static long text_for_row(const tkey *keys, size_t n, const char *file)
{
	char *want = text_key(file), *p;
	long found = -1;

	for (p = want; p && found < 0; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL) {
		tkey k = { p, 0 }, *hit = bsearch(&k, keys, n, sizeof(*keys), cmp_tkey);

		if (hit)
			found = (long)hit->file;
	}
	free(want);
	return found;
}

static int match_texts(dc_tranche *t, const dc_name_index *ix, matches *m)
{
	size_t n = declass_manifest_count(t->manifest), i;
	tkey *keys = calloc(t->nfiles + 1, sizeof(*keys));
	int error = 0;

	if (!keys)
		return dc_error_oom();
	for (i = 0; i < t->nfiles && !error; i++) {
		keys[i].file = i;
		if (!(keys[i].key = text_key(t->files[i].rel)))
			error = dc_error_oom();
	}
	if (!error)
		qsort(keys, t->nfiles, sizeof(*keys), cmp_tkey);
	for (i = 0; i < n && !error; i++) {
		const declass_manifest_row *row = declass_manifest_row_at(t->manifest, i);
		long f = row->file ? text_for_row(keys, t->nfiles, row->file) : -1;

		if (!row->file) {
			/* A text named for the record itself. */
			size_t k = dc_name_index_first(ix, row->record);

			if (k < ix->n)
				f = (long)ix->v[k].file;
		}
		if (f >= 0 && t->files[f].empty_text)
			continue; /* counted in texts_empty */
		if (f < 0)
			t->rows_without_text++;
		else if (!error)
			error = add_match(m, row->record, (size_t)f, row);
	}
	for (i = 0; i < t->nfiles; i++)
		free(keys[i].key);
	free(keys);
	return error;
}

int dc_tranche_scan(dc_tranche **out, const char *dir, unsigned flags)
{
	dc_tranche *t;
	scan sc = { 0 };
	size_t i;
	int error = 0;

	*out = NULL;
	if (!(t = calloc(1, sizeof(*t))))
		return dc_error_oom();
	sc.t = t;
	if (!(t->dir = strdup(dir))) {
		error = dc_error_oom();
		goto done;
	}
	if (!(sc.root_real = realpath(dir, NULL))) {
		error = dc_error_sys(DECLASS_EINPUT, "cannot open tranche folder '%s'", dir);
		goto done;
	}
	sc.root_len = strlen(sc.root_real);
	if ((error = scan_dir(&sc, "", 0)) < 0)
		goto done;
	if (t->hidden && (error = keep_hidden_first(&sc)) < 0)
		goto done;
	/* Kept to the end of an ingest: give back the growth slack. */
	if (t->nfiles < sc.alloc) {
		dc_tfile *f = realloc(t->files, t->nfiles * sizeof(*f));

		if (f)
			t->files = f;
	}
	if (t->nfiles) /* qsort() and bsearch() take no NULL array, even empty */
		qsort(t->files, t->nfiles, sizeof(*t->files), cmp_file);
	t->text_only = !!(flags & DC_TRANCHE_TEXT_ONLY);
	for (i = 0; t->text_only && i < t->nfiles; i++)
		if (!dc_is_text_name(t->files[i].base)) {
			dc_buf full = DC_BUF_INIT;

			if ((error = dc_tranche_full(&full, t, &t->files[i])) == 0)
				error = dc_error_set(DECLASS_EINPUT,
				                     "'%s' is not a text file (.txt or .md); a "
				                     "text-only tranche holds texts only",
				                     full.ptr);
			dc_buf_free(&full);
			goto done;
		}
	if (!t->text_only && (error = link_sidecars(t)) < 0)
		goto done;
	for (i = 0; t->text_only && i < t->nfiles; i++)
		if (t->files[i].size == 0) {
			t->files[i].empty_text = 1;
			t->texts_empty++;
		}
	/* A sidecar is text, not a released file, unless a manifest lists it. */
	for (i = 0; i < t->nfiles; i++)
		if (t->files[i].sidecar >= 0)
			t->files[t->files[i].sidecar].is_sidecar = 1;
done:
	free(sc.root_real);
	dc_buf_free(&sc.hidden_first);
	if (error < 0)
		dc_tranche_free(t);
	else
		*out = t;
	return error;
}

long dc_tranche_find(const dc_tranche *t, const char *rel)
{
	return find_file(t, rel);
}

int dc_tranche_load(dc_tranche **out, const char *dir, const char *manifest, unsigned flags)
{
	char **derived = NULL, *manifest_real = NULL;
	matches m = { 0 };
	dc_name_index ix = { 0 };
	dc_tranche *t;
	size_t i;
	int error = 0;

	*out = NULL;
	if ((error = dc_tranche_scan(&t, dir, flags)) < 0)
		return error;

	if (manifest) {
		const char *slash = strrchr(manifest, '/');

		if (!(t->manifest_name = strdup(slash ? slash + 1 : manifest))) {
			error = dc_error_oom();
			goto done;
		}
		if ((error = load_manifest(t, manifest)) < 0)
			goto done;
		manifest_real = realpath(manifest, NULL);
	}

	if (!(derived = calloc(t->nfiles + 1, sizeof(*derived)))) {
		error = dc_error_oom();
		goto done;
	}
	/* Record ids from file names, where no manifest row names a file. */
	for (i = 0; t->manifest && i < declass_manifest_count(t->manifest); i++)
		if (!declass_manifest_row_at(t->manifest, i)->file)
			break;
	if (!t->manifest || i < declass_manifest_count(t->manifest)) {
		for (i = 0; i < t->nfiles && !error; i++)
			if (!t->files[i].is_sidecar)
				error = declass_record_from_filename(&derived[i], t->files[i].rel);
		if (error < 0 || (error = dc_name_index_build(&ix, derived, t->nfiles)) < 0)
			goto done;
	}

	if (t->manifest && t->text_only) {
		error = match_texts(t, &ix, &m);
	} else if (t->manifest) {
		size_t n = declass_manifest_count(t->manifest);

		for (i = 0; i < n && !error; i++) {
			const declass_manifest_row *row = declass_manifest_row_at(t->manifest, i);
			long f = -1;

			if (!row->file) {
				error = files_named_for(t, &ix, row->record, &m, row);
				continue;
			}
			if ((error = resolve_row_file(t, row, t->manifest_name, &f)) < 0)
				break;
			/* Listed as released in its own right: not a sidecar. */
			t->files[f].is_sidecar = 0;
			error = add_match(&m, row->record, (size_t)f, row);
		}
		for (i = 0; i < t->nfiles; i++)
			if (t->files[i].sidecar >= 0 && !t->files[t->files[i].sidecar].is_sidecar)
				t->files[i].sidecar = -1;
	} else {
		for (i = 0; i < t->nfiles && !error; i++)
			if (!t->files[i].is_sidecar && !t->files[i].empty_text)
				error = add_match(&m, derived[i], i, NULL);
	}
	if (error < 0 ||
	    (error = build_records(t, &m, t->manifest_name ? t->manifest_name : "-")) < 0 ||
	    (error = mark_used(t)) < 0)
		goto done;
	if (t->manifest)
		error = check_unlisted(t, manifest_real, flags & DC_TRANCHE_ALLOW_UNLISTED);
done:
	if (derived)
		for (i = 0; i < t->nfiles; i++)
			free(derived[i]);
	free(derived);
	free(ix.v);
	free(m.v);
	free(manifest_real);
	if (error < 0)
		dc_tranche_free(t);
	else
		*out = t;
	return error;
}

void dc_tranche_free(dc_tranche *t)
{
	if (!t)
		return;
	dc_arena_free(&t->names);
	free(t->files);
	free(t->records);
	free(t->record_files);
	free(t->record_rows);
	declass_manifest_free(t->manifest);
	free(t->manifest_name);
	free(t->dir);
	free(t);
}
