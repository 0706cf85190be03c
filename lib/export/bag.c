/*
 * BagIt (RFC 8493) bags of a release; their validation is bag_verify.c,
 * and the digests here serve both.
 *
 * Export streams each blob of the release's record folders out of the
 * store into data/, computing SHA-256 and SHA-512 in the same pass (and
 * checking the SHA-256 against the release's manifest); then it writes the
 * manifests and tag files, and renames the finished bag into place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "archive/archive.h"
#include "util/buf.h"
#include "util/grow.h"
#include "util/date.h"
#include "declass/bag.h"
#include "declass/record.h"
#include "bag_internal.h"
#include "util/jsonutil.h"
#include "util/output.h"
#include "store/verify.h"

/* ---- digests ------------------------------------------------------------ */

const char *const dc_bag_alg_names[MAX_ALGS] = { "md5", "sha1", "sha256", "sha512" };

const EVP_MD *dc_bag_alg_md(int i)
{
	switch (i) {
	case 0:
		return EVP_md5();
	case 1:
		return EVP_sha1();
	case 2:
		return EVP_sha256();
	default:
		return EVP_sha512();
	}
}

int dc_bag_alg_index(const char *name, size_t len)
{
	int i;

	for (i = 0; i < MAX_ALGS; i++)
		if (strlen(dc_bag_alg_names[i]) == len && !strncmp(dc_bag_alg_names[i], name, len))
			return i;
	return -1;
}

void dc_bag_digests_free(digests *d)
{
	int i;

	for (i = 0; i < MAX_ALGS; i++) {
		EVP_MD_CTX_free(d->ctx[i]);
		d->ctx[i] = NULL;
	}
}

int dc_bag_digests_init(digests *d, unsigned used)
{
	int i;

	memset(d, 0, sizeof(*d));
	d->used = used;
	for (i = 0; i < MAX_ALGS; i++) {
		if (!(used & (1u << i)))
			continue;
		if (!(d->ctx[i] = EVP_MD_CTX_new()) ||
		    EVP_DigestInit_ex(d->ctx[i], dc_bag_alg_md(i), NULL) != 1) {
			dc_bag_digests_free(d);
			return dc_error_set(DECLASS_ERROR, "cannot initialise %s",
			                    dc_bag_alg_names[i]);
		}
	}
	return 0;
}

int dc_bag_digests_update(digests *d, const void *data, size_t len)
{
	int i;

	for (i = 0; i < MAX_ALGS; i++)
		if (d->ctx[i] && EVP_DigestUpdate(d->ctx[i], data, len) != 1)
			return dc_error_set(DECLASS_ERROR, "%s update failed", dc_bag_alg_names[i]);
	return 0;
}

/* Hex digests into hex[i] (129 bytes each) for the algorithms in use. */
int dc_bag_digests_final(digests *d, char hex[MAX_ALGS][129])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len, k;
	int i;

	for (i = 0; i < MAX_ALGS; i++) {
		hex[i][0] = '\0';
		if (!d->ctx[i])
			continue;
		if (EVP_DigestFinal_ex(d->ctx[i], md, &len) != 1 || len > 64)
			return dc_error_set(DECLASS_ERROR, "%s final failed", dc_bag_alg_names[i]);
		for (k = 0; k < len; k++) {
			hex[i][2 * k] = digits[md[k] >> 4];
			hex[i][2 * k + 1] = digits[md[k] & 15];
		}
		hex[i][2 * len] = '\0';
	}
	return 0;
}

/* ---- shared helpers ----------------------------------------------------- */

/* A manifest's file path: RFC 8493 percent-encodes CR, LF and '%' only. */
static int add_encoded_path(dc_buf *b, const char *path)
{
	int error = 0;

	for (; *path && !error; path++) {
		if (*path == '%')
			error = dc_buf_adds(b, "%25");
		else if (*path == '\n')
			error = dc_buf_adds(b, "%0A");
		else if (*path == '\r')
			error = dc_buf_adds(b, "%0D");
		else
			error = dc_buf_addch(b, *path);
	}
	return error;
}

static int write_all(int fd, const void *data, size_t len, const char *path)
{
	if (dc_write_all(fd, data, len) < 0)
		return dc_error_sys(DECLASS_ERROR, "cannot write '%s'", path);
	return 0;
}

/* Create (never overwrite, never through a symlink) the file at path. */
static int write_new_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666), error;

	if (fd < 0)
		return dc_error_sys(DECLASS_ERROR, "cannot create '%s'", path);
	error = write_all(fd, data, len, path);
	if (close(fd) < 0 && !error)
		error = dc_error_sys(DECLASS_ERROR, "cannot write '%s'", path);
	return error;
}

/* mkdir -p of the folders of `path` below `root` (both exist as named). */
static int make_parents(const char *root, const char *rel)
{
	dc_buf b = DC_BUF_INIT;
	const char *slash;
	int error;

	if ((error = dc_buf_adds(&b, root)) < 0)
		return error;
	for (slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		dc_buf_truncate(&b, strlen(root));
		if ((error = dc_buf_addch(&b, '/')) < 0 ||
		    (error = dc_buf_add(&b, rel, (size_t)(slash - rel))) < 0)
			break;
		if (mkdir(b.ptr, 0777) < 0 && errno != EEXIST) {
			error = dc_error_sys(DECLASS_ERROR, "cannot create folder '%s'", b.ptr);
			break;
		}
	}
	dc_buf_free(&b);
	return error;
}

/* ---- export ------------------------------------------------------------- */

typedef struct exporter {
	declass_archive *a;
	store_oid commit;
	const char *release;
	const char *root;  /* the bag being built */
	json_t *rel_json;  /* releases/<ID>.json */
	json_t *want;      /* its files: path -> sha256 */
	dc_buf m256, m512; /* payload manifest lines */
	declass_bag_result res;
	declass_bag_progress prog;
	const declass_bag_opts *opts;
	/* every file to copy, listed before any is copied (for progress) */
	struct item {
		char *path;
		store_oid oid;
	} * items;
	size_t nitems, aitems;
	/* the file being streamed */
	int fd;
	const char *path;
	digests dg;
} exporter;

static int stream_cb(void *ctx, const void *data, size_t len)
{
	exporter *x = ctx;
	int error;

	if ((error = write_all(x->fd, data, len, x->path)) < 0 ||
	    (error = dc_bag_digests_update(&x->dg, data, len)) < 0)
		return error;
	x->prog.bytes_done += len;
	if (x->opts->progress)
		x->opts->progress(x->opts->progress_ctx, &x->prog);
	return 0;
}

/* The SHA-256 the release's manifest gives for an archive path, or NULL. */
static const char *expected_sha256(const exporter *x, const char *path)
{
	return json_string_value(json_object_get(x->want, path));
}

/* Index the release manifest's files by path (a tranche can hold 30,000). */
static int index_release(exporter *x)
{
	const json_t *f;
	size_t i;

	if (!(x->want = json_object()))
		return dc_error_oom();
	json_array_foreach(json_object_get(x->rel_json, "files"), i, f)
	{
		const char *p = dc_json_str(f, "path"), *sha = dc_json_str(f, "sha256");

		if (p && sha && json_object_set_new(x->want, p, json_string(sha)) < 0)
			return dc_error_oom();
	}
	return 0;
}

/*
 * Where archive path `path` goes below data/: the same path, but a record
 * folder of another shape (records/_/<escaped id>/...) is named by
 * declass_record_name(), as report pages are, so that a long id's folder
 * name fits in DECLASS_RECORD_NAME_MAX bytes (it is unchanged otherwise).
 */
static int bag_path(dc_buf *out, const char *path)
{
	static const char other[] = "records/_/";
	const char *name = path + sizeof(other) - 1, *end;
	char *folder = NULL, *id = NULL, *short_name = NULL;
	int error;

	if (strncmp(path, other, sizeof(other) - 1) || !(end = strchr(name, '/')))
		return dc_buf_adds(out, path);
	if (!(folder = strndup(path, (size_t)(end - path))))
		return dc_error_oom();
	/* A folder that names no valid id (verify reports it) keeps its name. */
	if ((error = declass_record_from_path(&id, folder)) == DECLASS_EINPUT)
		error = dc_buf_adds(out, path);
	else if (error == 0 && (error = declass_record_name(&short_name, id, '%', "")) == 0)
		error = dc_buf_addf(out, "%s%s%s", other, short_name, end);
	free(folder);
	free(id);
	free(short_name);
	return error;
}

/* Copy the blob at archive path `path` (id oid) to data/ (bag_path()). */
static int export_blob(exporter *x, const char *path, const store_oid *oid, const char *want256)
{
	dc_buf file = DC_BUF_INIT, rel = DC_BUF_INIT;
	char hex[MAX_ALGS][129];
	uint64_t size = 0;
	int error;

	x->fd = -1;
	if ((error = dc_buf_adds(&rel, "data/")) < 0 || (error = bag_path(&rel, path)) < 0 ||
	    (error = dc_buf_addf(&file, "%s/%s", x->root, rel.ptr)) < 0 ||
	    (error = make_parents(x->root, rel.ptr)) < 0 ||
	    (error = dc_bag_digests_init(&x->dg, (1u << 2) | (1u << 3))) < 0)
		goto done;
	if ((x->fd = open(file.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666)) <
	    0) {
		error = dc_error_sys(DECLASS_ERROR, "cannot create '%s'", file.ptr);
		goto done;
	}
	x->path = file.ptr;
	if ((error = store_blob_stream(x->a->s, oid, stream_cb, x, &size)) < 0 ||
	    (error = dc_bag_digests_final(&x->dg, hex)) < 0)
		goto done;
	if (close(x->fd) < 0) {
		x->fd = -1;
		error = dc_error_sys(DECLASS_ERROR, "cannot write '%s'", file.ptr);
		goto done;
	}
	x->fd = -1;
	if (want256 && strcmp(want256, hex[2])) {
		error = dc_error_set(DECLASS_EARCHIVE,
		                     "%s in release %s has SHA-256 %s, its manifest says %s; "
		                     "run 'declass verify'",
		                     path, x->release, hex[2], want256);
		goto done;
	}
	if ((error = dc_buf_addf(&x->m256, "%s  ", hex[2])) < 0 ||
	    (error = add_encoded_path(&x->m256, rel.ptr)) < 0 ||
	    (error = dc_buf_addch(&x->m256, '\n')) < 0 ||
	    (error = dc_buf_addf(&x->m512, "%s  ", hex[3])) < 0 ||
	    (error = add_encoded_path(&x->m512, rel.ptr)) < 0 ||
	    (error = dc_buf_addch(&x->m512, '\n')) < 0)
		goto done;
	x->res.files++;
	x->res.bytes += size;
	x->prog.files_done++;
	if (x->opts->progress)
		x->opts->progress(x->opts->progress_ctx, &x->prog);
done:
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	dc_bag_digests_free(&x->dg);
	dc_buf_free(&file);
	dc_buf_free(&rel);
	return error;
}

typedef struct entry {
	char *name;
	store_oid oid;
} entry;

typedef struct entries {
	entry *v;
	size_t n, alloc;
	const char *folder;
} entries;

static int list_cb(void *ctx, const char *name, int is_dir, const store_oid *oid)
{
	entries *e = ctx;

	if (is_dir)
		return dc_error_set(DECLASS_EARCHIVE, "unexpected folder '%s/%s' in the archive",
		                    e->folder, name);
	if (dc_grow(&e->v, &e->alloc, e->n + 1, sizeof(*e->v)) < 0)
		return DECLASS_ENOMEM;
	if (!(e->v[e->n].name = strdup(name)))
		return dc_error_oom();
	e->v[e->n++].oid = *oid;
	return 0;
}

static int add_item(exporter *x, const char *path, const store_oid *oid)
{
	if (dc_grow(&x->items, &x->aitems, x->nitems + 1, sizeof(*x->items)) < 0)
		return DECLASS_ENOMEM;
	if (!(x->items[x->nitems].path = strdup(path)))
		return dc_error_oom();
	x->items[x->nitems++].oid = *oid;
	return 0;
}

/* List every file of one record folder (archive path `folder`). */
static int list_folder(void *ctx, const char *folder)
{
	exporter *x = ctx;
	entries e = { NULL, 0, 0, folder };
	dc_buf path = DC_BUF_INIT;
	size_t i;
	int error;

	if ((error = store_list_dir(x->a->s, &x->commit, folder, list_cb, &e)) < 0)
		goto done;
	for (i = 0; i < e.n; i++) {
		dc_buf_truncate(&path, 0);
		if ((error = dc_buf_addf(&path, "%s/%s", folder, e.v[i].name)) < 0 ||
		    (error = add_item(x, path.ptr, &e.v[i].oid)) < 0)
			goto done;
	}
	x->res.records++;
done:
	for (i = 0; i < e.n; i++)
		free(e.v[i].name);
	free(e.v);
	dc_buf_free(&path);
	return error;
}

/* One line of bag-info.txt; values are made single-line. */
static int info_line(dc_buf *b, const char *label, const char *value)
{
	int error;

	if (!value || !*value)
		return 0;
	if ((error = dc_buf_addf(b, "%s: ", label)) < 0)
		return error;
	for (; *value && !error; value++)
		error = dc_buf_addch(b, (unsigned char)*value < 0x20 ? ' ' : *value);
	return error ? error : dc_buf_addch(b, '\n');
}

static int write_bag_info(exporter *x, const char *bagging_date)
{
	const json_t *j = x->rel_json, *m = json_object_get(j, "manifest");
	dc_buf b = DC_BUF_INIT, path = DC_BUF_INIT, tmp = DC_BUF_INIT;
	char commit[STORE_OID_HEX], size[32];
	int error;

	store_oid_fmt(commit, &x->commit);
	if (x->res.bytes < 1000000)
		snprintf(size, sizeof(size), "%.1f KB", (double)x->res.bytes / 1e3);
	else if (x->res.bytes < 1000000000)
		snprintf(size, sizeof(size), "%.1f MB", (double)x->res.bytes / 1e6);
	else
		snprintf(size, sizeof(size), "%.1f GB", (double)x->res.bytes / 1e9);
	if ((error = dc_buf_addf(&tmp, "release/%s", x->release)) < 0 ||
	    (error = info_line(&b, "External-Identifier", tmp.ptr)) < 0 ||
	    (error = info_line(&b, "External-Description", dc_json_str(j, "title"))) < 0 ||
	    (error = info_line(&b, "Bagging-Date", bagging_date)) < 0 ||
	    (error = dc_buf_addf(&b, "Bag-Software-Agent: declass %s\n", declass_version())) < 0 ||
	    (error = dc_buf_addf(&b, "Payload-Oxum: %llu.%zu\n", (unsigned long long)x->res.bytes,
	                         x->res.files)) < 0 ||
	    (error = info_line(&b, "Bag-Size", size)) < 0 ||
	    (error = info_line(&b, "Declass-Release-Id", x->release)) < 0 ||
	    (error = info_line(&b, "Declass-Release-Date", dc_json_str(j, "date"))) < 0 ||
	    (error = info_line(&b, "Declass-Release-Source", dc_json_str(j, "source"))) < 0 ||
	    (error = info_line(&b, "Declass-Release-Commit", commit)) < 0 ||
	    (error = info_line(&b, "Declass-Manifest-SHA256", dc_json_str(m, "sha256"))) < 0 ||
	    (error = info_line(&b, "Declass-Ingested-At", dc_json_str(j, "ingested_at"))) < 0 ||
	    (error = info_line(&b, "Declass-Ingested-By", dc_json_str(j, "ingested_by"))) < 0 ||
	    (error = dc_buf_addf(&b, "Declass-Records: %zu\n", x->res.records)) < 0 ||
	    (error = info_line(&b, "Declass-Scope",
	                       x->opts->all ? "every record as of the release"
	                                    : "the records the release included")) < 0 ||
	    (error = dc_buf_addf(&path, "%s/bag-info.txt", x->root)) < 0)
		goto done;
	error = write_new_file(path.ptr, b.ptr, b.len);
done:
	dc_buf_free(&b);
	dc_buf_free(&path);
	dc_buf_free(&tmp);
	return error;
}

/* Hash the tag files just written and write the tag manifests. */
static int write_tag_manifests(const char *root)
{
	static const char *const tags[] = { "bagit.txt", "bag-info.txt", "manifest-sha256.txt",
		                            "manifest-sha512.txt" };
	dc_buf t256 = DC_BUF_INIT, t512 = DC_BUF_INIT, path = DC_BUF_INIT;
	char hex[MAX_ALGS][129];
	digests dg = { { NULL }, 0 };
	size_t i;
	int error = 0;

	for (i = 0; i < sizeof(tags) / sizeof(*tags) && !error; i++) {
		FILE *f;
		char buf[4096];
		size_t n;

		dc_buf_truncate(&path, 0);
		if ((error = dc_buf_addf(&path, "%s/%s", root, tags[i])) < 0 ||
		    (error = dc_bag_digests_init(&dg, (1u << 2) | (1u << 3))) < 0)
			break;
		if (!(f = fopen(path.ptr, "rb"))) {
			error = dc_error_sys(DECLASS_ERROR, "cannot read '%s'", path.ptr);
			break;
		}
		while (!error && (n = fread(buf, 1, sizeof(buf), f)) > 0)
			error = dc_bag_digests_update(&dg, buf, n);
		if (!error && ferror(f))
			error = dc_error_sys(DECLASS_ERROR, "cannot read '%s'", path.ptr);
		fclose(f);
		if (!error && (error = dc_bag_digests_final(&dg, hex)) == 0 &&
		    (error = dc_buf_addf(&t256, "%s  %s\n", hex[2], tags[i])) == 0)
			error = dc_buf_addf(&t512, "%s  %s\n", hex[3], tags[i]);
		dc_bag_digests_free(&dg);
	}
	dc_bag_digests_free(&dg);
	if (!error) {
		dc_buf_truncate(&path, 0);
		if ((error = dc_buf_addf(&path, "%s/tagmanifest-sha256.txt", root)) == 0 &&
		    (error = write_new_file(path.ptr, t256.ptr, t256.len)) == 0) {
			dc_buf_truncate(&path, 0);
			if ((error = dc_buf_addf(&path, "%s/tagmanifest-sha512.txt", root)) == 0)
				error = write_new_file(path.ptr, t512.ptr, t512.len);
		}
	}
	dc_buf_free(&t256);
	dc_buf_free(&t512);
	dc_buf_free(&path);
	return error;
}

static int write_named(const char *root, const char *name, const dc_buf *b)
{
	dc_buf path = DC_BUF_INIT;
	int error;

	if ((error = dc_buf_addf(&path, "%s/%s", root, name)) == 0)
		error = write_new_file(path.ptr, b->ptr, b->len);
	dc_buf_free(&path);
	return error;
}

/* Each distinct record folder the release JSON lists, in its order. */
static int release_folders(exporter *x)
{
	const json_t *f;
	dc_buf last = DC_BUF_INIT;
	size_t i;
	int error = 0;

	json_array_foreach(json_object_get(x->rel_json, "files"), i, f)
	{
		const char *p = dc_json_str(f, "path"), *slash = p ? strrchr(p, '/') : NULL;

		if (!slash)
			return dc_error_set(DECLASS_EARCHIVE,
			                    "releases/%s.json: a file without a path", x->release);
		if (last.len == (size_t)(slash - p) && !strncmp(last.ptr, p, last.len))
			continue;
		dc_buf_truncate(&last, 0);
		if ((error = dc_buf_add(&last, p, (size_t)(slash - p))) < 0 ||
		    (error = list_folder(x, last.ptr)) < 0)
			break;
	}
	dc_buf_free(&last);
	return error;
}

int declass_bag_export(declass_bag_result *out, declass_archive *a, const char *release,
                       const char *dir, const declass_bag_opts *opts)
{
	static const char bagit[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	declass_bag_opts o = DECLASS_BAG_OPTS_INIT;
	exporter x;
	dc_buf tmp = DC_BUF_INIT, relpath = DC_BUF_INIT, reldata = DC_BUF_INIT;
	char date[21];
	store_oid oid;
	struct stat st;
	size_t i;
	int fd, error, made = 0;

	memset(out, 0, sizeof(*out));
	if (opts)
		o = *opts;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.release = release;
	x.opts = &o;
	x.fd = -1;
	x.prog.phase = "export";
	x.m256 = (dc_buf)DC_BUF_INIT;
	x.m512 = (dc_buf)DC_BUF_INIT;
	if (lstat(dir, &st) == 0 || errno != ENOENT) {
		error = dc_error_set(DECLASS_EINPUT,
		                     "'%s' already exists; give a new folder for the bag", dir);
		goto done;
	}
	if ((error = store_release_commit(a->s, release, &x.commit)) < 0 ||
	    (error = dc_release_json_path(&relpath, release)) < 0 ||
	    (error = store_read_file(a->s, &x.commit, relpath.ptr, &reldata, &oid)) < 0 ||
	    (error = dc_json_parse(&x.rel_json, &reldata, relpath.ptr)) < 0 ||
	    (error = index_release(&x)) < 0 || (error = dc_create_beside(&tmp, dir, 1, &fd)) < 0)
		goto done;
	made = 1;
	x.root = tmp.ptr;
	if ((error = add_item(&x, relpath.ptr, &oid)) < 0)
		goto done;
	if (o.all)
		error = store_walk_records(a->s, &x.commit, list_folder, &x);
	else
		error = release_folders(&x);
	if (error < 0)
		goto done;
	for (i = 0; i < x.nitems; i++) {
		uint64_t size;

		if ((error = store_blob_size(a->s, &x.items[i].oid, &size)) < 0)
			goto done;
		x.prog.bytes_total += size;
	}
	x.prog.files_total = x.nitems;
	for (i = 0; i < x.nitems; i++)
		if ((error = export_blob(&x, x.items[i].path, &x.items[i].oid,
		                         i ? expected_sha256(&x, x.items[i].path) : NULL)) < 0)
			goto done;
	if (o.bagging_date) {
		snprintf(date, sizeof(date), "%s", o.bagging_date);
	} else {
		dc_time_iso(date, dc_now());
		date[10] = '\0';
	}
	{
		dc_buf b = { (char *)bagit, sizeof(bagit) - 1, 0 };

		if ((error = write_named(tmp.ptr, "bagit.txt", &b)) < 0)
			goto done;
	}
	if ((error = write_named(tmp.ptr, "manifest-sha256.txt", &x.m256)) < 0 ||
	    (error = write_named(tmp.ptr, "manifest-sha512.txt", &x.m512)) < 0 ||
	    (error = write_bag_info(&x, date)) < 0 || (error = write_tag_manifests(tmp.ptr)) < 0)
		goto done;
	if (rename(tmp.ptr, dir) < 0) {
		error = dc_error_sys(DECLASS_ERROR, "cannot rename '%s' to '%s'", tmp.ptr, dir);
		goto done;
	}
	made = 0;
	*out = x.res;
done:
	if (made)
		dc_remove_tree(tmp.ptr);
	for (i = 0; i < x.nitems; i++)
		free(x.items[i].path);
	free(x.items);
	json_decref(x.rel_json);
	json_decref(x.want);
	dc_buf_free(&x.m256);
	dc_buf_free(&x.m512);
	dc_buf_free(&tmp);
	dc_buf_free(&relpath);
	dc_buf_free(&reldata);
	return error;
}
