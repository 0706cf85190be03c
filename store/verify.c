/*
 * Object integrity for `declass verify`: every object is read strictly
 * (it must exist, inflate, and hash to its id); blobs are streamed and
 * their Git id recomputed as they go, so a large file never sits whole in
 * memory when it is stored loose.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "util/grow.h"
#include "internal.h"
#include "verify.h"

#define CHUNK (256 * 1024)

int store_verify_strict(void)
{
	if (git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1) < 0)
		return store_git_error(DECLASS_ERROR, "cannot enable strict hash verification");
	/*
	 * A verify reads each tree once (lib/verify/archive.c keeps the few it looks
	 * paths up in), so libgit2's cache of trees would only hold memory.
	 */
	if (git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)0) < 0)
		return store_git_error(DECLASS_ERROR, "cannot set the object cache");
	return 0;
}

const char *store_gitdir(const store *s)
{
	return s->gitdir;
}

int store_reopen(store **out, store *s)
{
	return store_open(out, s->gitdir, 0, 0);
}

/* Map a failed read of object `id` to ENOTFOUND or EARCHIVE, with a message. */
static int read_error(int gerr, const git_oid *id, const char *what)
{
	const git_error *e = git_error_last();
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	if (gerr == GIT_ENOTFOUND)
		return dc_error_set(DECLASS_ENOTFOUND, "%s %s is missing from the archive", what,
		                    hex);
	if (gerr == GIT_EMISMATCH)
		return dc_error_set(DECLASS_EARCHIVE,
		                    "%s %s is corrupt: it does not hash to its id", what, hex);
	return dc_error_set(DECLASS_EARCHIVE, "%s %s cannot be read: %s", what, hex,
	                    e && e->message ? e->message : "unknown error");
}

int store_commit_read(store *s, const store_oid *id, store_oid *tree, store_oid *parent,
                      size_t *nparents, dc_buf *message)
{
	git_commit *c = NULL;
	git_oid gid;
	int error;

	store_oid_to_git(&gid, id);
	if ((error = git_commit_lookup(&c, s->repo, &gid)) < 0)
		return read_error(error, &gid, "commit");
	store_oid_from_git(tree, git_commit_tree_id(c));
	*nparents = git_commit_parentcount(c);
	if (*nparents)
		store_oid_from_git(parent, git_commit_parent_id(c, 0));
	error = message ? dc_buf_adds(message, git_commit_message(c)) : 0;
	git_commit_free(c);
	return error;
}

void store_tag_refs_free(store_tag_ref *refs, size_t n)
{
	size_t i;

	if (!refs)
		return;
	for (i = 0; i < n; i++)
		free(refs[i].name);
	free(refs);
}

int store_tag_refs(store *s, store_tag_ref **out, size_t *n)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	store_tag_ref *list = NULL;
	size_t len = 0, alloc = 0, plen = strlen(STORE_TAG_PREFIX);
	int error;

	*out = NULL;
	*n = 0;
	if (git_reference_iterator_glob_new(&it, s->repo, STORE_TAG_PREFIX "*") < 0)
		return store_git_error(DECLASS_EARCHIVE, "cannot list release tags");
	while ((error = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref);

		if ((error = dc_grow(&list, &alloc, len + 1, sizeof(*list))) < 0)
			goto done;
		memset(&list[len], 0, sizeof(list[len]));
		if (strncmp(name, STORE_TAG_PREFIX, plen) ||
		    !(list[len].name = strdup(name + plen))) {
			error = dc_error_oom();
			goto done;
		}
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT)
			store_oid_from_git(&list[len].target, git_reference_target(ref));
		else
			list[len].symbolic = 1;
		len++;
		git_reference_free(ref);
		ref = NULL;
	}
	if (error != GIT_ITEROVER) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot list release tags");
		goto done;
	}
	error = 0;
done:
	git_reference_free(ref);
	git_reference_iterator_free(it);
	if (error < 0) {
		store_tag_refs_free(list, len);
	} else {
		*out = list;
		*n = len;
	}
	return error;
}

int store_git_overrides(store *s, int (*cb)(void *ctx, const char *name, const store_oid *by),
                        void *ctx)
{
	static const char *const files[] = { "info/grafts", "shallow" };
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	char path[4096];
	struct stat st;
	size_t i;
	int error;

	if (git_reference_iterator_glob_new(&it, s->repo, "refs/replace/*") < 0)
		return store_git_error(DECLASS_EARCHIVE, "cannot list replace refs");
	while ((error = git_reference_next(&ref, it)) == 0) {
		store_oid by;
		int direct = git_reference_type(ref) == GIT_REFERENCE_DIRECT;

		if (direct)
			store_oid_from_git(&by, git_reference_target(ref));
		error = cb(ctx, git_reference_name(ref), direct ? &by : NULL);
		git_reference_free(ref);
		if (error)
			goto done;
	}
	if (error != GIT_ITEROVER) {
		error = store_git_error(DECLASS_EARCHIVE, "cannot list replace refs");
		goto done;
	}
	error = 0;
	for (i = 0; !error && i < sizeof(files) / sizeof(*files); i++) {
		snprintf(path, sizeof(path), "%s%s", s->gitdir, files[i]);
		if (lstat(path, &st) == 0)
			error = cb(ctx, files[i], NULL);
		else if (errno != ENOENT && errno != ENOTDIR)
			error = dc_error_sys(DECLASS_EARCHIVE, "cannot read '%s'", path);
	}
done:
	git_reference_iterator_free(it);
	return error;
}

int store_object_read(store *s, const store_oid *id, int *type, store_oid *tag_target,
                      int *tag_target_type, dc_buf *name, dc_buf *message)
{
	git_object *obj = NULL;
	git_oid gid;
	int error;

	store_oid_to_git(&gid, id);
	if ((error = git_object_lookup(&obj, s->repo, &gid, GIT_OBJECT_ANY)) < 0)
		return read_error(error, &gid, "object");
	*type = (int)git_object_type(obj);
	error = 0;
	if (*type == GIT_OBJECT_TAG) {
		const git_tag *t = (const git_tag *)obj;

		if (tag_target)
			store_oid_from_git(tag_target, git_tag_target_id(t));
		if (tag_target_type)
			*tag_target_type = (int)git_tag_target_type(t);
		if (name && git_tag_name(t))
			error = dc_buf_adds(name, git_tag_name(t));
		if (!error && message && git_tag_message(t))
			error = dc_buf_adds(message, git_tag_message(t));
	}
	git_object_free(obj);
	return error;
}

int store_tree_each(store *s, const store_oid *id,
                    int (*cb)(void *ctx, const char *name, unsigned mode, const store_oid *oid),
                    void *ctx)
{
	git_tree *t = NULL;
	git_oid gid;
	size_t i, n;
	int error;

	store_oid_to_git(&gid, id);
	if ((error = git_tree_lookup(&t, s->repo, &gid)) < 0)
		return read_error(error, &gid, "tree");
	n = git_tree_entrycount(t);
	for (i = 0, error = 0; i < n && !error; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		store_oid oid;

		store_oid_from_git(&oid, git_tree_entry_id(e));
		error = cb(ctx, git_tree_entry_name(e), (unsigned)git_tree_entry_filemode_raw(e),
		           &oid);
	}
	git_tree_free(t);
	return error;
}

int store_blob_read(store *s, const store_oid *id, dc_buf *out)
{
	git_blob *b = NULL;
	git_oid gid;
	int error;

	store_oid_to_git(&gid, id);
	if ((error = git_blob_lookup(&b, s->repo, &gid)) < 0)
		return read_error(error, &gid, "blob");
	error = dc_buf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return error;
}

/* A packed blob: libgit2 reads and checks it whole. */
static int blob_read_whole(git_odb *odb, const git_oid *gid,
                           int (*cb)(void *ctx, const void *data, size_t len), void *ctx,
                           uint64_t *size)
{
	git_odb_object *obj = NULL;
	int error;

	if ((error = git_odb_read(&obj, odb, gid)) < 0)
		return read_error(error, gid, "blob");
	if (git_odb_object_type(obj) != GIT_OBJECT_BLOB) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), gid);
		error = dc_error_set(DECLASS_EARCHIVE,
		                     "object %s is a %s where a file was expected", hex,
		                     git_object_type2string(git_odb_object_type(obj)));
	} else {
		*size = (uint64_t)git_odb_object_size(obj);
		error = cb(ctx, git_odb_object_data(obj), git_odb_object_size(obj));
	}
	git_odb_object_free(obj);
	return error;
}

/*
 * The buffers, inflate state and digests of one thread's blob reads, set
 * up once: a verify of 100,000 small files would otherwise spend its time
 * mapping and unmapping buffers and fetching digest implementations.
 */
struct store_blob_reader {
	unsigned char *in, *out;
	z_stream zs;
	int zinit;
	EVP_MD *sha1, *sha256;
	EVP_MD_CTX *md, *md256;
};

void store_blob_reader_free(store_blob_reader *rd)
{
	if (!rd)
		return;
	if (rd->zinit)
		inflateEnd(&rd->zs);
	EVP_MD_CTX_free(rd->md);
	EVP_MD_CTX_free(rd->md256);
	EVP_MD_free(rd->sha1);
	EVP_MD_free(rd->sha256);
	free(rd->in);
	free(rd->out);
	free(rd);
}

int store_blob_reader_new(store_blob_reader **out)
{
	store_blob_reader *rd;

	*out = NULL;
	if (!(rd = calloc(1, sizeof(*rd))) || !(rd->in = malloc(CHUNK)) ||
	    !(rd->out = malloc(CHUNK)) || !(rd->md = EVP_MD_CTX_new()) ||
	    !(rd->md256 = EVP_MD_CTX_new())) {
		store_blob_reader_free(rd);
		return dc_error_oom();
	}
	if (inflateInit(&rd->zs) != Z_OK) {
		store_blob_reader_free(rd);
		return dc_error_set(DECLASS_ERROR, "cannot initialise zlib");
	}
	rd->zinit = 1;
	if (!(rd->sha1 = EVP_MD_fetch(NULL, "SHA1", NULL)) ||
	    !(rd->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL))) {
		store_blob_reader_free(rd);
		return dc_error_set(DECLASS_ERROR, "cannot initialise SHA-1 and SHA-256");
	}
	*out = rd;
	return 0;
}

/* Feed inflated bytes: the header first ("blob <size>\0"), then content. */
typedef struct loose_rd {
	const char *hex;
	char hdr[64];
	size_t hlen;
	int in_content;
	uint64_t size, total;
	int (*cb)(void *ctx, const void *data, size_t len);
	void *ctx;
} loose_rd;

static int loose_take(loose_rd *rd, const char *data, size_t len)
{
	while (len && !rd->in_content) {
		const char *sp;
		char *end;

		if (rd->hlen + 1 >= sizeof(rd->hdr))
			return dc_error_set(DECLASS_EARCHIVE,
			                    "object %s is corrupt: no valid header", rd->hex);
		rd->hdr[rd->hlen++] = *data++;
		len--;
		if (rd->hdr[rd->hlen - 1] != '\0')
			continue;
		sp = strchr(rd->hdr, ' ');
		if (!sp || (errno = 0, rd->size = strtoull(sp + 1, &end, 10),
		            errno || *end || end == sp + 1))
			return dc_error_set(DECLASS_EARCHIVE,
			                    "object %s is corrupt: bad header '%.40s'", rd->hex,
			                    rd->hdr);
		if (strncmp(rd->hdr, "blob ", 5))
			return dc_error_set(DECLASS_EARCHIVE,
			                    "object %s is a %.*s where a file was expected",
			                    rd->hex, (int)(sp - rd->hdr), rd->hdr);
		rd->in_content = 1;
	}
	if (!len)
		return 0;
	rd->total += len;
	if (rd->total > rd->size)
		return dc_error_set(
		        DECLASS_EARCHIVE,
		        "blob %s is corrupt: it holds more than the %llu bytes its header says",
		        rd->hex, (unsigned long long)rd->size);
	return rd->cb(rd->ctx, data, len);
}

/*
 * Stream the loose object file of `gid` through zlib.  *found is 0 when
 * there is no such file.  libgit2 1.5's own loose read stream is not used:
 * it spins forever on a truncated object file.
 */
static int blob_stream_loose(store_blob_reader *br, store *s, const git_oid *gid, const char *hex,
                             loose_rd *rd, int *found)
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	z_stream *zs = &br->zs;
	char path[4096];
	int fd, zret = Z_OK, eof = 0, error = 0;

	*found = 0;
	snprintf(path, sizeof(path), "%sobjects/%.2s/%s", s->gitdir, hex, hex + 2);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		if (errno == ENOENT)
			return 0;
		return dc_error_sys(DECLASS_EARCHIVE, "blob %s cannot be read: '%s'", hex, path);
	}
	*found = 1;
	if (inflateReset(zs) != Z_OK || EVP_DigestInit_ex(br->md, br->sha1, NULL) != 1) {
		error = dc_error_set(DECLASS_ERROR, "cannot initialise zlib or SHA-1");
		goto done;
	}
	zs->next_in = NULL;
	zs->avail_in = 0;
	while (zret != Z_STREAM_END) {
		size_t produced;

		if (zs->avail_in == 0 && !eof) {
			ssize_t n = read(fd, br->in, CHUNK);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				error = dc_error_sys(DECLASS_EARCHIVE,
				                     "blob %s cannot be read: '%s'", hex, path);
				goto done;
			}
			eof = n == 0;
			zs->next_in = br->in;
			zs->avail_in = (uInt)n;
		}
		zs->next_out = br->out;
		zs->avail_out = CHUNK;
		zret = inflate(zs, Z_NO_FLUSH);
		if (zret != Z_OK && zret != Z_STREAM_END && zret != Z_BUF_ERROR) {
			error = dc_error_set(DECLASS_EARCHIVE, "blob %s is corrupt: zlib: %s", hex,
			                     zs->msg ? zs->msg : "cannot inflate");
			goto done;
		}
		produced = CHUNK - zs->avail_out;
		if (EVP_DigestUpdate(br->md, br->out, produced) != 1) {
			error = dc_error_set(DECLASS_ERROR, "SHA-1 update failed");
			goto done;
		}
		if ((error = loose_take(rd, (const char *)br->out, produced)) != 0)
			goto done;
		if (zret != Z_STREAM_END && eof && zs->avail_in == 0 && produced == 0) {
			error = dc_error_set(
			        DECLASS_EARCHIVE,
			        "blob %s is truncated: its object file '%s' ends early", hex, path);
			goto done;
		}
	}
	if (!rd->in_content || rd->total != rd->size) {
		error = dc_error_set(DECLASS_EARCHIVE,
		                     "blob %s is truncated: %llu of the %llu bytes its header says",
		                     hex, (unsigned long long)rd->total,
		                     (unsigned long long)rd->size);
		goto done;
	}
	if (EVP_DigestFinal_ex(br->md, digest, &dlen) != 1 || dlen != GIT_OID_RAWSZ) {
		error = dc_error_set(DECLASS_ERROR, "SHA-1 final failed");
		goto done;
	}
	if (memcmp(digest, gid->id, GIT_OID_RAWSZ) != 0) {
		git_oid got;
		char ghex[GIT_OID_HEXSZ + 1];

		git_oid_fromraw(&got, digest);
		git_oid_tostr(ghex, sizeof(ghex), &got);
		error = dc_error_set(DECLASS_EARCHIVE,
		                     "blob %s is corrupt: its bytes hash to %s, not to its id", hex,
		                     ghex);
	}
done:
	close(fd);
	return error;
}

int store_blob_stream_with(store_blob_reader *br, store *s, const store_oid *id,
                           int (*cb)(void *ctx, const void *data, size_t len), void *ctx,
                           uint64_t *size)
{
	git_odb *odb = NULL;
	loose_rd rd;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid gid;
	int error, found;

	*size = 0;
	store_oid_to_git(&gid, id);
	git_oid_tostr(hex, sizeof(hex), &gid);
	memset(&rd, 0, sizeof(rd));
	rd.hex = hex;
	rd.cb = cb;
	rd.ctx = ctx;
	error = blob_stream_loose(br, s, &gid, hex, &rd, &found);
	if (found) {
		*size = rd.size;
		return error;
	}
	if (error < 0)
		return error;
	/* Not loose: packed (read whole, checked by libgit2) or missing. */
	if (git_repository_odb(&odb, s->repo) < 0)
		return store_git_error(DECLASS_ERROR, "cannot open object database");
	error = blob_read_whole(odb, &gid, cb, ctx, size);
	git_odb_free(odb);
	return error;
}

int store_blob_stream(store *s, const store_oid *id,
                      int (*cb)(void *ctx, const void *data, size_t len), void *ctx, uint64_t *size)
{
	store_blob_reader *br = NULL;
	int error;

	*size = 0;
	if ((error = store_blob_reader_new(&br)) < 0)
		return error;
	error = store_blob_stream_with(br, s, id, cb, ctx, size);
	store_blob_reader_free(br);
	return error;
}

static int sha256_cb(void *ctx, const void *data, size_t len)
{
	store_blob_reader *br = ctx;

	if (EVP_DigestUpdate(br->md256, data, len) != 1)
		return dc_error_set(DECLASS_ERROR, "SHA-256 update failed");
	return 0;
}

int store_blob_sha256(store_blob_reader *br, store *s, const store_oid *id,
                      unsigned char sha256[32], uint64_t *size)
{
	unsigned int dlen = 0;
	unsigned char md[EVP_MAX_MD_SIZE];
	int error;

	if (EVP_DigestInit_ex(br->md256, br->sha256, NULL) != 1)
		return dc_error_set(DECLASS_ERROR, "cannot initialise SHA-256");
	if ((error = store_blob_stream_with(br, s, id, sha256_cb, br, size)) < 0)
		return error;
	if (EVP_DigestFinal_ex(br->md256, md, &dlen) != 1 || dlen != 32)
		return dc_error_set(DECLASS_ERROR, "SHA-256 final failed");
	memcpy(sha256, md, 32);
	return 0;
}
