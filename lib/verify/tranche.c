/*
 * A downloaded tranche checked against its manifest before ingest
 * (declass_verify_tranche): every file the manifest lists is there, as
 * ingest would find it; nothing unlisted but NAME.txt sidecars and the
 * manifest; sizes and SHA-256 where the manifest gives them; and ingest
 * would take the folder as it is.  docs/VERIFY.md describes the checks.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "declass/record.h"
#include "util/arena.h"
#include "util/buf.h"
#include "manifest/tranche.h" /* after util/buf.h */
#include "verify_internal.h"

/*
 * What the check learns of each file of the folder (dc_tranche_scan() found
 * them), kept beside the tranche's own array, index for index.
 */
typedef struct tinfo {
	int used;                        /* a manifest row names it, or it is a used file's text */
	int sidecar;                     /* NAME.txt beside NAME.ext */
	int manifest;                    /* the manifest itself */
	const declass_manifest_row *row; /* the first row naming it */
	const char *want_sha;            /* a checksum the manifest gives */
} tinfo;

typedef struct tscan {
	const char *dir;
	dc_tranche *t;
	tinfo *info;
} tscan;

/* The file at rel, or its base name flat in the folder; -1 if neither. */
static long tfind(const tscan *sc, const char *rel)
{
	long i = dc_tranche_find(sc->t, rel);

	if (i < 0 && strrchr(rel, '/'))
		i = dc_tranche_find(sc->t, strrchr(rel, '/') + 1);
	return i;
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
static const char *row_sha256(const declass_manifest *m, const declass_manifest_row *row)
{
	static const char *const names[] = { "sha256",         "sha256sum",  "sha256checksum",
		                             "checksumsha256", "sha256hash", "checksum",
		                             "hash",           NULL };
	declass_manifest_field f;
	size_t pos = 0, k;

	while (declass_manifest_field_next(&f, m, row, &pos)) {
		const char *val = f.value;

		if (!key_in(f.key, names) || strlen(val) != 64)
			continue;
		for (k = 0; k < 64 && isxdigit((unsigned char)val[k]); k++)
			;
		if (k == 64)
			return val;
	}
	return NULL;
}

/* The size a manifest row gives for its file. */
static int row_size(const declass_manifest *m, const declass_manifest_row *row, uint64_t *out)
{
	static const char *const names[] = {
		"size",          "filesize",    "bytes",           "sizebytes",
		"filesizebytes", "sizeinbytes", "filesizeinbytes", NULL
	};
	declass_manifest_field f;
	size_t pos = 0;

	while (declass_manifest_field_next(&f, m, row, &pos)) {
		const char *val = f.value;
		char *end;
		unsigned long long n;

		if (!key_in(f.key, names) || !isdigit((unsigned char)*val))
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

/*
 * Where rows name no file: the record ids the folder's file names stand
 * for (NULL where a name stands for none), indexed.
 */
static int index_ids(dc_name_index *ix, char ***ids, const tscan *sc, const declass_manifest *m)
{
	size_t n = declass_manifest_count(m), i;

	for (i = 0; i < n && declass_manifest_row_at(m, i)->file; i++)
		;
	if (i == n)
		return 0;
	if (!(*ids = calloc(sc->t->nfiles + 1, sizeof(**ids))))
		return dc_error_oom();
	for (i = 0; i < sc->t->nfiles; i++)
		if (declass_record_from_filename(&(*ids)[i], sc->t->files[i].rel) < 0)
			(*ids)[i] = NULL;
	return dc_name_index_build(ix, *ids, sc->t->nfiles);
}

static int match_rows(reporter *r, tscan *sc, const declass_manifest *m, const char *mname)
{
	size_t n = declass_manifest_count(m), i, k;
	dc_name_index ix = { 0 };
	char **ids = NULL;
	int error;

	if ((error = index_ids(&ix, &ids, sc, m)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		const declass_manifest_row *row = declass_manifest_row_at(m, i);
		const dc_tfile *f;
		tinfo *fi;
		long at;
		uint64_t want;

		if (!row->file) {
			/* No file column: the files named after the record. */
			size_t j = dc_name_index_first(&ix, row->record);
			int found = 0;

			for (; j < ix.n && !strcmp(ix.v[j].id, row->record); j++) {
				k = ix.v[j].file;
				if (sc->info[k].sidecar || sc->info[k].manifest)
					continue;
				sc->info[k].used = 1;
				if (!sc->info[k].row)
					sc->info[k].row = row;
				found = 1;
			}
			if (!found)
				verify_report(
				        r, DECLASS_VERIFY_FILE_MISSING, NULL, row->record, NULL,
				        NULL,
				        "manifest '%s' line %zu: record %s has no file named after "
				        "it in '%s'",
				        mname, row->line, row->record, sc->dir);
			continue;
		}
		if (!dc_path_safe_rel(row->file)) {
			verify_report(r, DECLASS_VERIFY_PATH_UNSAFE, NULL, row->record, row->file,
			              NULL,
			              "manifest '%s' line %zu: record %s: unsafe file name '%s'",
			              mname, row->line, row->record, row->file);
			continue;
		}
		if ((at = tfind(sc, row->file)) < 0) {
			/* Its text is not unlisted: it is there for the missing file. */
			dc_buf txt = DC_BUF_INIT;
			const char *ext = dc_path_ext(row->file);
			long t;

			if (*ext && !dc_is_text_name(row->file) &&
			    dc_buf_add(&txt, row->file, strlen(row->file) - strlen(ext)) == 0 &&
			    dc_buf_adds(&txt, ".txt") == 0 && (t = tfind(sc, txt.ptr)) >= 0)
				sc->info[t].used = 1;
			dc_buf_free(&txt);
			r->c->files++;
			verify_report(
			        r, DECLASS_VERIFY_FILE_MISSING, NULL, row->record, row->file, NULL,
			        "manifest '%s' line %zu lists '%s' for record %s, but it is not in "
			        "'%s'",
			        mname, row->line, row->file, row->record, sc->dir);
			continue;
		}
		f = &sc->t->files[at];
		fi = &sc->info[at];
		if (!fi->row)
			r->c->files++;
		fi->used = 1;
		fi->sidecar = 0; /* listed as released in its own right */
		if (!fi->row)
			fi->row = row;
		if (row_size(m, row, &want) && want != f->size)
			verify_report(
			        r, DECLASS_VERIFY_SIZE_MISMATCH, NULL, row->record, f->rel, NULL,
			        "'%s' is %llu bytes, manifest line %zu says %llu: fetch it again",
			        f->rel, (unsigned long long)f->size, row->line,
			        (unsigned long long)want);
		if (!fi->want_sha)
			fi->want_sha = row_sha256(m, row);
	}
done:
	for (i = 0; ids && i < sc->t->nfiles; i++)
		free(ids[i]);
	free(ids);
	free(ix.v);
	return error;
}

int declass_verify_tranche(declass_verify_counts *out, const char *dir, const char *manifest,
                           const declass_verify_opts *opts)
{
	reporter r = { opts, out };
	declass_manifest *m = NULL;
	dc_tranche *t = NULL;
	loose *hash = NULL;
	size_t *which = NULL, nhash = 0, i;
	uint64_t hash_total = 0;
	char *mreal = NULL, *root = NULL;
	const char *mname = dc_path_base(manifest);
	dc_arena paths = DC_ARENA_INIT; /* the files to hash */
	dc_buf full = DC_BUF_INIT;
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
	/* The folder as ingest sees it; a name or link ingest refuses ends here. */
	if ((error = dc_tranche_scan(&sc.t, dir, 0)) < 0) {
		if (error == DECLASS_ENOMEM)
			goto done;
		verify_report(&r, DECLASS_VERIFY_INGEST_REFUSED, NULL, NULL, NULL, NULL, "%s",
		              declass_error_last());
		error = 0;
		goto done;
	}
	if (!(sc.info = calloc(sc.t->nfiles + 1, sizeof(*sc.info)))) {
		error = dc_error_oom();
		goto done;
	}
	mreal = realpath(manifest, NULL);
	for (i = 0; i < sc.t->nfiles; i++) {
		const dc_tfile *f = &sc.t->files[i];
		char *real;

		sc.info[i].sidecar = f->is_sidecar;
		if (mreal && (error = dc_tranche_full(&full, sc.t, f)) < 0)
			goto done;
		if (mreal && (real = realpath(full.ptr, NULL))) {
			sc.info[i].manifest = !strcmp(real, mreal);
			free(real);
		}
	}
	if ((error = match_rows(&r, &sc, m, mname)) < 0)
		goto done;
	/* The text beside a used file is used too. */
	for (i = 0; i < sc.t->nfiles; i++) {
		long side = sc.t->files[i].sidecar;

		if (sc.info[i].used && side >= 0 && sc.info[side].sidecar)
			sc.info[side].used = 1;
	}
	if (!(hash = calloc(sc.t->nfiles + 1, sizeof(*hash))) ||
	    !(which = calloc(sc.t->nfiles + 1, sizeof(*which)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < sc.t->nfiles; i++) {
		const dc_tfile *f = &sc.t->files[i];
		const tinfo *fi = &sc.info[i];

		if (fi->manifest)
			continue;
		if (!fi->used) {
			verify_report(&r, DECLASS_VERIFY_FILE_UNLISTED, NULL, NULL, f->rel, NULL,
			              "'%s' is in the folder but manifest '%s' does not list it "
			              "(ingest refuses it without --allow-unlisted)",
			              f->rel, mname);
			continue;
		}
		out->bytes += f->size;
		if (f->size == 0)
			verify_report(&r, DECLASS_VERIFY_SIZE_MISMATCH, NULL,
			              fi->row ? fi->row->record : NULL, f->rel, NULL,
			              "'%s' is empty (0 bytes): fetch it again", f->rel);
		if (fi->want_sha) {
			if ((error = dc_tranche_full(&full, sc.t, f)) < 0)
				goto done;
			if (!(hash[nhash].path = dc_arena_strndup(&paths, full.ptr, full.len))) {
				error = dc_error_oom();
				goto done;
			}
			which[nhash++] = i;
			hash_total += f->size;
		}
	}
	if ((error = verify_hash_loose(hash, nhash, opts, hash_total)) < 0)
		goto done;
	for (i = 0; i < nhash; i++) {
		const dc_tfile *f = &sc.t->files[which[i]];
		const tinfo *fi = &sc.info[which[i]];

		if (hash[i].status < 0) {
			verify_report(&r, DECLASS_VERIFY_FILE_MISSING, NULL, fi->row->record,
			              f->rel, NULL, "%s", hash[i].error);
			continue;
		}
		out->blobs++;
		if (strcasecmp(hash[i].sha256, fi->want_sha))
			verify_report(&r, DECLASS_VERIFY_SHA256_MISMATCH, NULL, fi->row->record,
			              f->rel, NULL,
			              "'%s' hashes to %.16s..., manifest line %zu says %.16s...: "
			              "fetch it "
			              "again",
			              f->rel, hash[i].sha256, fi->row->line, fi->want_sha);
	}
	/* Complete: would ingest take it as it is? */
	if (out->problems == 0 && dc_tranche_load(&t, dir, manifest, 0) < 0) {
		if (declass_error_code() == DECLASS_ENOMEM) {
			error = DECLASS_ENOMEM;
			goto done;
		}
		verify_report(&r, DECLASS_VERIFY_INGEST_REFUSED, NULL, NULL, NULL, NULL, "%s",
		              declass_error_last());
	}
done:
	for (i = 0; i < nhash; i++)
		free(hash[i].error);
	free(hash);
	free(which);
	dc_tranche_free(sc.t);
	free(sc.info);
	dc_tranche_free(t);
	declass_manifest_free(m);
	free(mreal);
	free(root);
	dc_arena_free(&paths);
	dc_buf_free(&full);
	return error;
}
