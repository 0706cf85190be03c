/*
 * A write-only object database backend that stores loose objects with no
 * deflate effort: zlib "stored" blocks, for data that is already compressed
 * (PDF, TIFF, JPEG).  The files are ordinary loose objects that Git and
 * libgit2 read as usual.
 *
 * Why not libgit2's own loose backend at compression level 0: in libgit2
 * 1.5 that writes the object bytes without the zlib wrapper, which nothing,
 * libgit2 included, can read back.  Level 1 works but deflating scans
 * costs about two thirds of an ingest's CPU on already-compressed data.
 * libgit2 still hashes every byte (its collision-detecting SHA-1) and names
 * the object; this backend only lays the bytes down.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "internal.h"
#include "rawloose.h"

typedef struct rawloose {
	git_odb_backend parent;
	char *dir;
} rawloose;

typedef struct rawstream {
	git_odb_stream parent;
	z_stream z;
	int fd;
	char tmp[4096];
	unsigned char out[64 * 1024];
} rawstream;

static int put(rawstream *st, const void *data, size_t len, int flush)
{
	st->z.next_in = (Bytef *)data;
	st->z.avail_in = (uInt)len;
	do {
		size_t have, done = 0;
		int zr;

		st->z.next_out = st->out;
		st->z.avail_out = sizeof(st->out);
		zr = deflate(&st->z, flush);
		if (zr == Z_STREAM_ERROR)
			return dc_error_set(DECLASS_ERROR, "zlib failed on '%s'", st->tmp);
		have = sizeof(st->out) - st->z.avail_out;
		while (done < have) {
			ssize_t n = write(st->fd, st->out + done, have - done);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return dc_error_sys(DECLASS_EARCHIVE, "cannot write '%s'", st->tmp);
			done += (size_t)n;
		}
	} while (st->z.avail_out == 0 || (flush == Z_FINISH && st->z.avail_in));
	return 0;
}

static int stream_write(git_odb_stream *s, const char *data, size_t len)
{
	rawstream *st = (rawstream *)s;

	/* zlib counts in uInt: feed huge buffers in pieces. */
	while (len) {
		size_t n = len > (1u << 30) ? (1u << 30) : len;
		int error = put(st, data, n, Z_NO_FLUSH);

		if (error < 0)
			return -1;
		data += n;
		len -= n;
	}
	return 0;
}

static int stream_finalize(git_odb_stream *s, const git_oid *oid)
{
	rawstream *st = (rawstream *)s;
	rawloose *be = (rawloose *)s->backend;
	char hex[GIT_OID_HEXSZ + 1], path[4096];

	if (put(st, "", 0, Z_FINISH) < 0)
		return -1;
	if (close(st->fd) < 0) {
		st->fd = -1;
		dc_error_sys(DECLASS_EARCHIVE, "cannot write '%s'", st->tmp);
		return -1;
	}
	st->fd = -1;
	git_oid_tostr(hex, sizeof(hex), oid);
	snprintf(path, sizeof(path), "%s/%.2s", be->dir, hex);
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		dc_error_sys(DECLASS_EARCHIVE, "cannot create '%s'", path);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%.2s/%s", be->dir, hex, hex + 2);
	if (rename(st->tmp, path) < 0) {
		dc_error_sys(DECLASS_EARCHIVE, "cannot store object '%s'", path);
		return -1;
	}
	st->tmp[0] = '\0';
	return 0;
}

static void stream_free(git_odb_stream *s)
{
	rawstream *st = (rawstream *)s;

	deflateEnd(&st->z);
	if (st->fd >= 0)
		close(st->fd);
	if (st->tmp[0])
		unlink(st->tmp);
	free(st);
}

static int backend_writestream(git_odb_stream **out, git_odb_backend *b, git_object_size_t size,
                               git_object_t type)
{
	rawloose *be = (rawloose *)b;
	rawstream *st;
	char header[64];
	int len;

	*out = NULL;
	if (!(st = calloc(1, sizeof(*st)))) {
		dc_error_oom();
		return -1;
	}
	st->fd = -1;
	if (deflateInit(&st->z, Z_NO_COMPRESSION) != Z_OK) {
		free(st);
		dc_error_set(DECLASS_ERROR, "zlib cannot start");
		return -1;
	}
	snprintf(st->tmp, sizeof(st->tmp), "%s/tmp_declass_XXXXXX", be->dir);
	if ((st->fd = mkstemp(st->tmp)) < 0) {
		dc_error_sys(DECLASS_EARCHIVE, "cannot create '%s'", st->tmp);
		st->tmp[0] = '\0';
		stream_free(&st->parent);
		return -1;
	}
	fchmod(st->fd, 0444);
	len = snprintf(header, sizeof(header), "%s %llu", git_object_type2string(type),
	               (unsigned long long)size);
	/* The loose object header, NUL included, starts the zlib stream. */
	if (put(st, header, (size_t)len + 1, Z_NO_FLUSH) < 0) {
		stream_free(&st->parent);
		return -1;
	}
	st->parent.backend = b;
	st->parent.mode = GIT_STREAM_WRONLY;
	st->parent.write = stream_write;
	st->parent.finalize_write = stream_finalize;
	st->parent.free = stream_free;
	*out = &st->parent;
	return 0;
}

static void backend_free(git_odb_backend *b)
{
	rawloose *be = (rawloose *)b;

	free(be->dir);
	free(be);
}

int store_rawloose_new(git_odb_backend **out, const char *objects_dir)
{
	rawloose *be;

	*out = NULL;
	if (!(be = calloc(1, sizeof(*be))) || !(be->dir = strdup(objects_dir))) {
		free(be);
		return dc_error_oom();
	}
	if (git_odb_init_backend(&be->parent, GIT_ODB_BACKEND_VERSION) < 0) {
		backend_free(&be->parent);
		return store_git_error(DECLASS_ERROR, "cannot set up object backend");
	}
	be->parent.writestream = backend_writestream;
	be->parent.free = backend_free;
	*out = &be->parent;
	return 0;
}
