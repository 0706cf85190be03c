/*
 * Named outputs (declass/output.h): decide by what is at the path whether
 * to write a new file and rename it into place, to write in place (FIFOs,
 * character devices, inherited descriptors) or to refuse.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

/* Links followed before giving up, as the kernel's own limit. */
#define MAX_LINKS 40
/* Longest part of the target's name kept in a temporary name. */
#define STEM_MAX 200

struct declass_output {
	int fd;
	FILE *f;
	char *path; /* what the user named, for messages */
	char *tmp;  /* the new file to rename, or NULL when written in place */
	char *dest; /* where tmp goes: the path with its links followed */
};

int dc_create_beside(dc_buf *name, const char *path, int folder, int *fd)
{
	static unsigned counter;
	size_t len = strlen(path), base, stem;
	int tries, error = 0;

	*fd = -1;
	while (len > 1 && path[len - 1] == '/')
		len--;
	for (base = len; base > 0 && path[base - 1] != '/';)
		base--;
	/* Cut the name on a UTF-8 character boundary. */
	stem = len - base;
	if (stem > STEM_MAX)
		for (stem = STEM_MAX;
		     stem > 0 && ((unsigned char)path[base + stem] & 0xc0) == 0x80;)
			stem--;
	for (tries = 0; tries < 100; tries++) {
		unsigned n = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);

		dc_buf_truncate(name, 0);
		if ((error = dc_buf_add(name, path, base + stem)) < 0 ||
		    (error = dc_buf_addf(name, ".partial-%ld-%u", (long)getpid(), n)) < 0)
			return error;
		if (folder ? mkdir(name->ptr, 0777) == 0
		           : (*fd = open(name->ptr,
		                         O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		                         0666)) >= 0)
			return 0;
		if (errno != EEXIST)
			break;
	}
	return dc_error_sys(DECLASS_EINPUT, "cannot create %s beside '%s'",
	                    folder ? "a folder" : "a file", path);
}

int dc_make_parents(const char *path)
{
	dc_buf b = DC_BUF_INIT;
	size_t i, end = strlen(path);
	int error;

	while (end > 1 && path[end - 1] == '/')
		end--;
	while (end > 0 && path[end - 1] != '/')
		end--;
	if ((error = dc_buf_add(&b, path, end)) < 0)
		return error;
	for (i = 1; i <= b.len && !error; i++) {
		char c = b.ptr[i];

		if (c != '/' && c != '\0')
			continue;
		b.ptr[i] = '\0';
		if (mkdir(b.ptr, 0777) < 0 && errno != EEXIST)
			error = dc_error_sys(DECLASS_EINPUT, "cannot create folder '%s'", b.ptr);
		b.ptr[i] = c;
	}
	dc_buf_free(&b);
	return error;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int dc_remove_tree(const char *path)
{
	return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int dc_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The descriptor that /dev/stdout, /dev/fd/N or /proc/self/fd/N stands for, or -1. */
static int fd_path(const char *p)
{
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/" };
	char *end;
	long n;
	size_t i;

	if (!strcmp(p, "/dev/stdout"))
		return 1;
	if (!strcmp(p, "/dev/stderr"))
		return 2;
	for (i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		size_t len = strlen(dirs[i]);

		if (strncmp(p, dirs[i], len) || !p[len] || p[len] == '-')
			continue;
		errno = 0;
		n = strtol(p + len, &end, 10);
		if (!*end && !errno && n >= 0 && n <= INT_MAX)
			return (int)n;
	}
	return -1;
}

/*
 * Follow the links from `path` into *dest: stops at what is not a link,
 * or at a descriptor's name (*fdnum set, else -1).  *st is what dest is,
 * *exists 0 when nothing is there.
 */
static int resolve(dc_buf *dest, const char *path, struct stat *st, int *exists, int *fdnum)
{
	char target[PATH_MAX];
	int links, error;

	*exists = 0;
	if ((error = dc_buf_adds(dest, path)) < 0)
		return error;
	for (links = 0;; links++) {
		ssize_t n;
		char *slash;

		if ((*fdnum = fd_path(dest->ptr)) >= 0)
			return 0;
		if (lstat(dest->ptr, st) < 0) {
			if (errno == ENOENT)
				return 0;
			return dc_error_sys(DECLASS_EINPUT, "cannot write '%s'", path);
		}
		if (!S_ISLNK(st->st_mode)) {
			*exists = 1;
			return 0;
		}
		if (links == MAX_LINKS)
			return dc_error_set(DECLASS_EINPUT,
			                    "cannot write '%s': more than %d symbolic links", path,
			                    MAX_LINKS);
		if ((n = readlink(dest->ptr, target, sizeof(target) - 1)) < 0)
			return dc_error_sys(DECLASS_EINPUT, "cannot write '%s'", path);
		target[n] = '\0';
		/* A relative target is relative to the link's folder. */
		slash = strrchr(dest->ptr, '/');
		dc_buf_truncate(dest,
		                target[0] == '/' || !slash ? 0 : (size_t)(slash - dest->ptr) + 1);
		if ((error = dc_buf_adds(dest, target)) < 0)
			return error;
	}
}

static const char *refused_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return NULL;
}

/* Write in place: a FIFO or character device, opened as it is. */
static int open_in_place(declass_output *o)
{
	struct stat st;

	if ((o->fd = open(o->dest, O_WRONLY | O_NOCTTY | O_CLOEXEC)) < 0)
		return dc_error_sys(DECLASS_EINPUT, "cannot write '%s'", o->path);
	if (fstat(o->fd, &st) < 0 || !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)))
		return dc_error_set(DECLASS_EINPUT, "'%s' changed while it was being opened",
		                    o->path);
	return 0;
}

/* Write a new file beside dest; a file it replaces lends it its mode. */
static int open_new(declass_output *o, const struct stat *old)
{
	dc_buf tmp = DC_BUF_INIT;
	int error;

	if ((error = dc_create_beside(&tmp, o->dest, 0, &o->fd)) < 0) {
		dc_buf_free(&tmp);
		return error;
	}
	o->tmp = dc_buf_detach(&tmp);
	if (!old)
		return 0;
	/* Its owner too, where we may (root, or a group of ours), as sed -i does. */
	if ((old->st_uid != geteuid() || old->st_gid != getegid()) &&
	    fchown(o->fd, old->st_uid, old->st_gid) < 0) {
		/* not allowed: the new file stays ours */
	}
	if (fchmod(o->fd, old->st_mode & 0777) < 0)
		return dc_error_sys(DECLASS_EINPUT, "cannot write '%s'", o->path);
	return 0;
}

int declass_output_open(declass_output **out, const char *path)
{
	declass_output *o;
	dc_buf dest = DC_BUF_INIT;
	struct stat st;
	const char *kind;
	int exists, fdnum, error;

	*out = NULL;
	if (!(o = calloc(1, sizeof(*o))) || !(o->path = strdup(path))) {
		free(o);
		return dc_error_oom();
	}
	o->fd = -1;
	if ((error = resolve(&dest, path, &st, &exists, &fdnum)) < 0)
		goto done;
	o->dest = dc_buf_detach(&dest);
	if (fdnum >= 0) {
		if ((o->fd = fcntl(fdnum, F_DUPFD_CLOEXEC, 3)) < 0)
			error = dc_error_sys(DECLASS_EINPUT, "cannot write '%s'", path);
	} else if (!exists) {
		error = open_new(o, NULL);
	} else if (S_ISREG(st.st_mode)) {
		error = open_new(o, &st);
	} else if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
		error = open_in_place(o);
	} else {
		kind = refused_kind(st.st_mode);
		error = dc_error_set(DECLASS_EINPUT,
		                     "'%s' is %s; give a file, a FIFO or a character device", path,
		                     kind ? kind : "not a file");
	}
done:
	dc_buf_free(&dest);
	if (error < 0) {
		declass_output_abort(o);
		return error;
	}
	*out = o;
	return 0;
}

int declass_output_fd(declass_output *o)
{
	return o->fd;
}

FILE *declass_output_stream(declass_output *o)
{
	if (!o->f && !(o->f = fdopen(o->fd, "w")))
		dc_error_oom();
	return o->f;
}

/* Close the descriptor (through the stream if there is one); 0 or -1 (errno). */
static int close_output(declass_output *o)
{
	int bad = 0;

	if (o->f) {
		bad = fflush(o->f) != 0 || ferror(o->f);
		if (fclose(o->f) != 0)
			bad = 1;
	} else if (o->fd >= 0 && close(o->fd) < 0) {
		bad = 1;
	}
	o->f = NULL;
	o->fd = -1;
	return bad ? -1 : 0;
}

static void output_free(declass_output *o)
{
	free(o->path);
	free(o->tmp);
	free(o->dest);
	free(o);
}

int declass_output_commit(declass_output *o)
{
	int error = 0;

	if (close_output(o) < 0)
		error = dc_error_sys(DECLASS_ERROR, "cannot write '%s'", o->path);
	else if (o->tmp && rename(o->tmp, o->dest) < 0)
		error = dc_error_sys(DECLASS_ERROR, "cannot write '%s'", o->path);
	else if (o->tmp) {
		free(o->tmp);
		o->tmp = NULL;
	}
	if (error < 0) {
		declass_output_abort(o);
		return error;
	}
	output_free(o);
	return 0;
}

void declass_output_abort(declass_output *o)
{
	int saved = errno;

	if (!o)
		return;
	close_output(o);
	if (o->tmp)
		unlink(o->tmp);
	output_free(o);
	errno = saved;
}
