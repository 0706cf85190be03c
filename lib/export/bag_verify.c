/*
 * A BagIt (RFC 8493) bag validated (declass_bag_verify(), 'declass verify
 * --bag'): bagit.txt, the payload and tag manifests, fetch.txt, the
 * Payload-Oxum.  It walks data/, hashes each file once with every
 * algorithm the bag's manifests use (see bag_internal.h), and reports
 * each problem by file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/grow.h"
#include "declass/bag.h"
#include "bag_internal.h"

#define CHUNK        (256 * 1024)
#define TAG_FILE_MAX (64u * 1024 * 1024) /* manifests are read whole: cap them */
#define MAX_DEPTH    64

typedef struct listed {
	char *path;          /* relative to the bag, decoded */
	char *sum[MAX_ALGS]; /* expected hex per algorithm, or NULL */
	int seen;
	int unfetched; /* listed in fetch.txt, and not in the bag */
} listed;

/* One line of fetch.txt: a payload file to be fetched from url. */
typedef struct fetched {
	char *path; /* relative to the bag, decoded */
	char *url;
	long long length; /* in bytes; -1: "-", unknown */
	size_t line;
} fetched;

typedef struct checker {
	const char *root;
	declass_bag_check *c;
	size_t nalloc;
	listed *payload, *tags;
	size_t npayload, ntags, apayload, atags;
	fetched *fetch;
	size_t nfetch, afetch;
	unsigned payload_algs, tag_algs;
	declass_bag_progress prog;
	const declass_bag_opts *opts;
	int has_oxum;
	unsigned long long oxum_bytes;
	size_t oxum_files;
	int error; /* a real error (out of memory, unreadable folder) */
} checker;

static void problem(checker *k, const char *path, const char *fmt, ...) DC_PRINTF(3, 4);
static void problem(checker *k, const char *path, const char *fmt, ...)
{
	declass_bag_check *c = k->c;
	dc_buf msg = DC_BUF_INIT;
	char small[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (k->error)
		return;
	if (dc_grow(&c->problems, &k->nalloc, c->nproblems + 1, sizeof(*c->problems)) < 0) {
		k->error = DECLASS_ENOMEM;
		return;
	}
	if (dc_buf_adds(&msg, small) < 0 || !(c->problems[c->nproblems].path = strdup(path))) {
		dc_buf_free(&msg);
		k->error = dc_error_oom();
		return;
	}
	c->problems[c->nproblems++].message = dc_buf_detach(&msg);
}

/* Read a small file whole; 0, DECLASS_ENOTFOUND, or a problem already noted. */
static int read_small(checker *k, const char *name, dc_buf *out)
{
	dc_buf path = DC_BUF_INIT;
	char buf[8192];
	ssize_t n;
	int fd, error = 0;

	if ((error = dc_buf_addf(&path, "%s/%s", k->root, name)) < 0) {
		k->error = error;
		return error;
	}
	fd = open(path.ptr, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	dc_buf_free(&path);
	if (fd < 0) {
		if (errno == ENOENT)
			return DECLASS_ENOTFOUND;
		problem(k, name, "cannot read: %s", strerror(errno));
		return DECLASS_EINPUT;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			problem(k, name, "cannot read: %s", strerror(errno));
			error = DECLASS_EINPUT;
			break;
		}
		if (out->len + (size_t)n > TAG_FILE_MAX) {
			problem(k, name, "larger than %u bytes; not read", TAG_FILE_MAX);
			error = DECLASS_EINPUT;
			break;
		}
		if ((error = dc_buf_add(out, buf, (size_t)n)) < 0) {
			k->error = error;
			break;
		}
	}
	close(fd);
	return error;
}

/* Decode a manifest path (%0A, %0D, %25) and check it stays in place. */
static int decode_path(char **out, const char *s, size_t len)
{
	dc_buf b = DC_BUF_INIT;
	size_t i;
	int error = 0;

	for (i = 0; i < len && !error; i++) {
		if (s[i] == '%' && i + 2 < len) {
			if (!strncasecmp(s + i, "%25", 3))
				error = dc_buf_addch(&b, '%'), i += 2;
			else if (!strncasecmp(s + i, "%0A", 3))
				error = dc_buf_addch(&b, '\n'), i += 2;
			else if (!strncasecmp(s + i, "%0D", 3))
				error = dc_buf_addch(&b, '\r'), i += 2;
			else
				error = dc_buf_addch(&b, s[i]);
		} else {
			error = dc_buf_addch(&b, s[i]);
		}
	}
	if (error < 0) {
		dc_buf_free(&b);
		return error;
	}
	*out = dc_buf_detach(&b);
	return 0;
}

/* A path is safe if it is relative and has no empty, "." or ".." part. */
static int safe_path(const char *p)
{
	const char *s = p;

	if (!*p || *p == '/')
		return 0;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return 0;
		if (!e)
			break;
		s = e + 1;
		if (!*s)
			return 0;
	}
	return 1;
}

static int cmp_listed(const void *x, const void *y)
{
	return strcmp(((const listed *)x)->path, ((const listed *)y)->path);
}

static listed *find_listed(listed *v, size_t n, const char *path)
{
	listed key = { (char *)path, { NULL }, 0, 0 };

	return n ? bsearch(&key, v, n, sizeof(*v), cmp_listed) : NULL;
}

/* Parse manifest `name` (algorithm alg) into the list (payload or tag). */
static void read_manifest(checker *k, const char *name, int alg, int tag)
{
	listed **v = tag ? &k->tags : &k->payload;
	size_t *n = tag ? &k->ntags : &k->npayload, *alloc = tag ? &k->atags : &k->apayload;
	size_t hexlen = (size_t)EVP_MD_size(dc_bag_alg_md(alg)) * 2, line = 0, sorted = *n;
	dc_buf data = DC_BUF_INIT;
	char *p, *end;

	if (read_small(k, name, &data) < 0)
		goto done;
	for (p = data.ptr, end = data.ptr + data.len; p < end && !k->error;) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end, *sp,
		     *path = NULL;
		listed *l;
		size_t i;

		line++;
		if (eol > p && eol[-1] == '\r')
			eol--;
		if (eol == p) {
			p = nl ? nl + 1 : end;
			continue;
		}
		for (sp = p; sp < eol && *sp != ' ' && *sp != '\t'; sp++)
			;
		for (i = 0; p + i < sp && strchr("0123456789abcdefABCDEF", p[i]); i++)
			;
		if (sp == eol || (size_t)(sp - p) != hexlen || i != hexlen) {
			problem(k, name, "line %zu: not '<%s checksum> <path>'", line,
			        dc_bag_alg_names[alg]);
			p = nl ? nl + 1 : end;
			continue;
		}
		while (sp < eol && (*sp == ' ' || *sp == '\t'))
			sp++;
		if (decode_path(&path, sp, (size_t)(eol - sp)) < 0) {
			k->error = DECLASS_ENOMEM;
			break;
		}
		if (!safe_path(path) || (!tag && strncmp(path, "data/", 5)) ||
		    (tag && !strncmp(path, "data/", 5))) {
			problem(k, name, "line %zu: path '%s' is %s", line, path,
			        tag ? "not a tag file" : "outside the payload (data/)");
			free(path);
			p = nl ? nl + 1 : end;
			continue;
		}
		/* Another manifest may have listed it already: find it. */
		l = find_listed(*v, sorted, path);
		for (i = sorted; !l && i < *n; i++)
			if (!strcmp((*v)[i].path, path))
				l = &(*v)[i];
		if (l && l->sum[alg]) {
			problem(k, name, "line %zu: '%s' listed twice", line, path);
			free(path);
			p = nl ? nl + 1 : end;
			continue;
		}
		if (!l) {
			if (dc_grow(v, alloc, *n + 1, sizeof(**v)) < 0) {
				free(path);
				k->error = DECLASS_ENOMEM;
				break;
			}
			l = &(*v)[(*n)++];
			memset(l, 0, sizeof(*l));
			l->path = path;
		} else {
			free(path);
		}
		if (!(l->sum[alg] = strndup(p, hexlen))) {
			k->error = dc_error_oom();
			break;
		}
		for (i = 0; i < hexlen; i++)
			l->sum[alg][i] = (char)((l->sum[alg][i] >= 'A' && l->sum[alg][i] <= 'F')
			                                ? l->sum[alg][i] - 'A' + 'a'
			                                : l->sum[alg][i]);
		p = nl ? nl + 1 : end;
	}
	if (*n)
		qsort(*v, *n, sizeof(**v), cmp_listed);
done:
	dc_buf_free(&data);
}

/* The end of the field at p: the next space or tab, or eol. */
static char *field_end(char *p, const char *eol)
{
	while (p < eol && *p != ' ' && *p != '\t')
		p++;
	return p;
}

static char *skip_blanks(char *p, const char *eol)
{
	while (p < eol && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* An absolute URI (RFC 3986): a scheme, ':', and something after it. */
static int absolute_url(const char *s, size_t len)
{
	size_t i;

	if (!len || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (i = 1; i < len && s[i] != ':'; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.",
		            s[i]))
			return 0;
	return i + 1 < len;
}

static int cmp_fetched(const void *x, const void *y)
{
	const fetched *a = x, *b = y;
	int c = strcmp(a->path, b->path);

	return c ? c : (a->line > b->line) - (a->line < b->line);
}

/*
 * fetch.txt (RFC 8493 2.2.3), if the bag has one: lines "URL LENGTH
 * PATH", LENGTH a number of bytes or "-", PATH a payload file (never a
 * tag file), percent-encoded as in the manifests.  Sorted by path.
 */
static void read_fetch(checker *k)
{
	dc_buf data = DC_BUF_INIT;
	size_t line = 0, i;
	char *p, *end;

	if (read_small(k, "fetch.txt", &data) < 0)
		goto done;
	for (p = data.ptr, end = data.ptr + data.len; p < end && !k->error;) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;
		char *url = p, *uend, *len, *lend, *path, *decoded = NULL;
		long long length = -1;
		fetched *f;

		line++;
		p = nl ? nl + 1 : end;
		if (eol > url && eol[-1] == '\r')
			eol--;
		if (skip_blanks(url, eol) == eol)
			continue;
		uend = field_end(url, eol);
		len = skip_blanks(uend, eol);
		lend = field_end(len, eol);
		path = skip_blanks(lend, eol);
		if (uend == url || lend == len || path == eol) {
			problem(k, "fetch.txt", "line %zu: not 'URL LENGTH PATH'", line);
			continue;
		}
		if (!absolute_url(url, (size_t)(uend - url))) {
			problem(k, "fetch.txt", "line %zu: '%.*s' is not an absolute URL", line,
			        (int)(uend - url), url);
			continue;
		}
		if (lend - len != 1 || *len != '-') {
			char *q;

			for (q = len, length = 0;
			     q < lend && *q >= '0' && *q <= '9' && length < (1LL << 53); q++)
				length = length * 10 + (*q - '0');
			if (q < lend) {
				problem(k, "fetch.txt",
				        "line %zu: length '%.*s' is not a number of bytes or '-'",
				        line, (int)(lend - len), len);
				continue;
			}
		}
		if (decode_path(&decoded, path, (size_t)(eol - path)) < 0) {
			k->error = DECLASS_ENOMEM;
			break;
		}
		if (!safe_path(decoded) || strncmp(decoded, "data/", 5)) {
			problem(k, "fetch.txt",
			        "line %zu: path '%s' is outside the payload (data/)", line,
			        decoded);
			free(decoded);
			continue;
		}
		if (dc_grow(&k->fetch, &k->afetch, k->nfetch + 1, sizeof(*k->fetch)) < 0) {
			free(decoded);
			k->error = DECLASS_ENOMEM;
			break;
		}
		f = &k->fetch[k->nfetch++];
		f->path = decoded;
		f->length = length;
		f->line = line;
		if (!(f->url = strndup(url, (size_t)(uend - url)))) {
			k->error = dc_error_oom();
			break;
		}
	}
	if (k->nfetch)
		qsort(k->fetch, k->nfetch, sizeof(*k->fetch), cmp_fetched);
	for (i = 1; i < k->nfetch && !k->error; i++)
		if (!strcmp(k->fetch[i].path, k->fetch[i - 1].path))
			problem(k, "fetch.txt", "line %zu: '%s' listed twice", k->fetch[i].line,
			        k->fetch[i].path);
done:
	dc_buf_free(&data);
}

/*
 * Each file fetch.txt lists must be in every payload manifest (so it can
 * be checked once fetched), and, for the bag to be complete, in the bag:
 * one not there yet is "not fetched" (counted in unfetched) rather than
 * missing.  A file there must have the length fetch.txt gives.
 */
static void check_fetch(checker *k)
{
	size_t i;
	int alg;

	for (i = 0; i < k->nfetch && !k->error; i++) {
		const fetched *f = &k->fetch[i];
		listed *l = find_listed(k->payload, k->npayload, f->path);
		dc_buf path = DC_BUF_INIT;
		struct stat st;

		if (i && !strcmp(f->path, k->fetch[i - 1].path))
			continue; /* listed twice: reported */
		for (alg = 0; alg < MAX_ALGS; alg++)
			if ((k->payload_algs & (1u << alg)) && (!l || !l->sum[alg]))
				problem(k, f->path,
				        "listed in fetch.txt but not in manifest-%s.txt",
				        dc_bag_alg_names[alg]);
		if (dc_buf_addf(&path, "%s/%s", k->root, f->path) < 0) {
			k->error = DECLASS_ENOMEM;
			break;
		}
		if (lstat(path.ptr, &st) < 0 || !S_ISREG(st.st_mode)) {
			problem(k, f->path,
			        "not fetched: fetch.txt lists it at %s (the bag is incomplete "
			        "until "
			        "it is fetched)",
			        f->url);
			k->c->unfetched++;
			if (l)
				l->unfetched = 1;
		} else if (f->length >= 0 &&
		           (unsigned long long)st.st_size != (unsigned long long)f->length) {
			problem(k, f->path, "fetch.txt gives %lld bytes, the file has %llu",
			        f->length, (unsigned long long)st.st_size);
		}
		dc_buf_free(&path);
	}
}

/* Hash one file with `algs`; a problem if it cannot be read. */
static int hash_file(checker *k, const char *rel, unsigned algs, char hex[MAX_ALGS][129],
                     uint64_t *size)
{
	dc_buf path = DC_BUF_INIT;
	digests dg = { { NULL }, 0 };
	char *buf = NULL;
	ssize_t n;
	int fd = -1, error;

	*size = 0;
	if ((error = dc_buf_addf(&path, "%s/%s", k->root, rel)) < 0 ||
	    (error = dc_bag_digests_init(&dg, algs)) < 0)
		goto fatal;
	if (!(buf = malloc(CHUNK))) {
		error = dc_error_oom();
		goto fatal;
	}
	if ((fd = open(path.ptr, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		problem(k, rel, "cannot read: %s", strerror(errno));
		error = DECLASS_EINPUT;
		goto done;
	}
	while ((n = read(fd, buf, CHUNK)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			problem(k, rel, "cannot read: %s", strerror(errno));
			error = DECLASS_EINPUT;
			goto done;
		}
		if ((error = dc_bag_digests_update(&dg, buf, (size_t)n)) < 0)
			goto fatal;
		*size += (uint64_t)n;
		k->prog.bytes_done += (uint64_t)n;
		if (k->opts->progress)
			k->opts->progress(k->opts->progress_ctx, &k->prog);
	}
	if ((error = dc_bag_digests_final(&dg, hex)) < 0)
		goto fatal;
	goto done;
fatal:
	k->error = error;
done:
	if (fd >= 0)
		close(fd);
	free(buf);
	dc_bag_digests_free(&dg);
	dc_buf_free(&path);
	return error;
}

/* Compare a file's digests with what the manifests list for it. */
static void compare(checker *k, const char *rel, const listed *l, unsigned algs,
                    char hex[MAX_ALGS][129], const char *kind)
{
	int i;

	for (i = 0; i < MAX_ALGS; i++)
		if ((algs & (1u << i)) && l->sum[i] && strcmp(l->sum[i], hex[i]))
			problem(k, rel,
			        "%s checksum mismatch (%s manifest: %.16s..., file: %.16s...)",
			        dc_bag_alg_names[i], kind, l->sum[i], hex[i]);
}

static void check_payload_file(checker *k, const char *rel)
{
	char hex[MAX_ALGS][129];
	listed *l = find_listed(k->payload, k->npayload, rel);
	uint64_t size = 0;
	int i;

	k->c->files++;
	for (i = 0; i < MAX_ALGS; i++)
		if ((k->payload_algs & (1u << i)) && (!l || !l->sum[i]))
			problem(k, rel, "not listed in manifest-%s.txt", dc_bag_alg_names[i]);
	if (hash_file(k, rel, k->payload_algs, hex, &size) < 0)
		return;
	k->c->bytes += size;
	k->prog.files_done++;
	if (k->opts->progress)
		k->opts->progress(k->opts->progress_ctx, &k->prog);
	if (l) {
		l->seen = 1;
		compare(k, rel, l, k->payload_algs, hex, "payload");
	}
}

static int cmp_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Walk the payload folder; `rel` is the path below the bag ("data/..."). */
static void walk(checker *k, dc_buf *rel, int depth)
{
	dc_buf path = DC_BUF_INIT;
	struct dirent *de;
	DIR *d;
	char **names = NULL;
	size_t n = 0, alloc = 0, i, base = rel->len;

	if (depth > MAX_DEPTH) {
		problem(k, rel->ptr, "folders nested deeper than %d", MAX_DEPTH);
		return;
	}
	if (dc_buf_addf(&path, "%s/%s", k->root, rel->ptr) < 0) {
		k->error = DECLASS_ENOMEM;
		return;
	}
	if (!(d = opendir(path.ptr))) {
		problem(k, rel->ptr, "cannot read folder: %s", strerror(errno));
		dc_buf_free(&path);
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (dc_grow(&names, &alloc, n + 1, sizeof(*names)) < 0) {
			k->error = DECLASS_ENOMEM;
			break;
		}
		if (!(names[n] = strdup(de->d_name))) {
			k->error = dc_error_oom();
			break;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n && !k->error; i++) {
		struct stat st;

		dc_buf_truncate(rel, base);
		dc_buf_truncate(&path, 0);
		if (dc_buf_addf(rel, "/%s", names[i]) < 0 ||
		    dc_buf_addf(&path, "%s/%s", k->root, rel->ptr) < 0) {
			k->error = DECLASS_ENOMEM;
			break;
		}
		if (lstat(path.ptr, &st) < 0)
			problem(k, rel->ptr, "cannot stat: %s", strerror(errno));
		else if (S_ISDIR(st.st_mode))
			walk(k, rel, depth + 1);
		else if (S_ISREG(st.st_mode))
			check_payload_file(k, rel->ptr);
		else
			problem(k, rel->ptr,
			        "not a regular file (a symlink or device) in the payload");
	}
	dc_buf_truncate(rel, base);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	dc_buf_free(&path);
}

/* bagit.txt: the version line, then the encoding line. */
static void check_bagit_txt(checker *k)
{
	dc_buf b = DC_BUF_INIT;
	int error = read_small(k, "bagit.txt", &b);
	unsigned major, minor;
	char enc[32];

	if (error == DECLASS_ENOTFOUND)
		problem(k, "bagit.txt", "missing: this is not a bag");
	else if (!error &&
	         (sscanf(b.ptr, "BagIt-Version: %u.%u", &major, &minor) != 2 ||
	          !strstr(b.ptr, "\nTag-File-Character-Encoding: ") ||
	          sscanf(strstr(b.ptr, "\nTag-File-Character-Encoding: ") + 30, "%31s", enc) != 1))
		problem(k, "bagit.txt",
		        "not 'BagIt-Version: M.N' and 'Tag-File-Character-Encoding: ENC'");
	else if (!error && strcasecmp(enc, "UTF-8"))
		problem(k, "bagit.txt", "tag files in encoding '%s'; only UTF-8 is read", enc);
	dc_buf_free(&b);
}

/* bag-info.txt's Payload-Oxum, if any (it also sizes the progress). */
static void read_oxum(checker *k)
{
	dc_buf b = DC_BUF_INIT;
	int error = read_small(k, "bag-info.txt", &b);
	const char *p;

	if (error < 0)
		goto done;
	for (p = b.ptr; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, "Payload-Oxum:", 13))
			continue;
		if (sscanf(p + 13, " %llu.%zu", &k->oxum_bytes, &k->oxum_files) != 2)
			problem(k, "bag-info.txt", "Payload-Oxum is not OCTETS.FILES");
		else
			k->has_oxum = 1, k->prog.bytes_total = k->oxum_bytes;
		break;
	}
done:
	dc_buf_free(&b);
}

/* An incomplete bag's Payload-Oxum counts files it does not hold yet. */
static void check_oxum(checker *k)
{
	if (k->has_oxum && !k->c->unfetched &&
	    (k->oxum_bytes != k->c->bytes || k->oxum_files != k->c->files))
		problem(k, "bag-info.txt", "Payload-Oxum %llu.%zu, the payload is %llu.%zu",
		        k->oxum_bytes, k->oxum_files, (unsigned long long)k->c->bytes, k->c->files);
}

static void check_tags(checker *k)
{
	char hex[MAX_ALGS][129];
	uint64_t size;
	size_t i;

	for (i = 0; i < k->ntags && !k->error; i++) {
		listed *l = &k->tags[i];
		dc_buf path = DC_BUF_INIT;
		struct stat st;

		if (dc_buf_addf(&path, "%s/%s", k->root, l->path) < 0) {
			k->error = DECLASS_ENOMEM;
			break;
		}
		if (lstat(path.ptr, &st) < 0 || !S_ISREG(st.st_mode))
			problem(k, l->path, "listed in a tag manifest but missing");
		else if (hash_file(k, l->path, k->tag_algs, hex, &size) == 0)
			compare(k, l->path, l, k->tag_algs, hex, "tag");
		dc_buf_free(&path);
	}
}

static int cmp_problem(const void *x, const void *y)
{
	const declass_bag_problem *a = x, *b = y;
	int c = strcmp(a->path, b->path);

	return c ? c : strcmp(a->message, b->message);
}

static void listed_free(listed *v, size_t n)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		free(v[i].path);
		for (k = 0; k < MAX_ALGS; k++)
			free(v[i].sum[k]);
	}
	free(v);
}

int declass_bag_verify(declass_bag_check **out, const char *dir, const declass_bag_opts *opts)
{
	declass_bag_opts o = DECLASS_BAG_OPTS_INIT;
	checker k;
	dc_buf rel = DC_BUF_INIT;
	struct dirent *de;
	struct stat st;
	DIR *d = NULL;
	size_t i;
	int alg;

	*out = NULL;
	if (opts)
		o = *opts;
	memset(&k, 0, sizeof(k));
	k.root = dir;
	k.opts = &o;
	k.prog.phase = "verify";
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return dc_error_set(DECLASS_EINPUT, "'%s' is not a folder", dir);
	if (!(k.c = calloc(1, sizeof(*k.c))))
		return dc_error_oom();
	check_bagit_txt(&k);
	/* Manifests: manifest-ALG.txt and tagmanifest-ALG.txt at the top. */
	if (!(d = opendir(dir))) {
		k.error = dc_error_sys(DECLASS_EINPUT, "cannot read folder '%s'", dir);
		goto done;
	}
	while ((de = readdir(d)) && !k.error) {
		const char *name = de->d_name;
		int tag = !strncmp(name, "tagmanifest-", 12);
		size_t pre = tag ? 12 : 9, len = strlen(name);

		if ((!tag && strncmp(name, "manifest-", 9)) || len < pre + 5 ||
		    strcmp(name + len - 4, ".txt"))
			continue;
		if ((alg = dc_bag_alg_index(name + pre, len - pre - 4)) < 0) {
			problem(&k, name,
			        "algorithm '%.*s' is not supported (md5, sha1, sha256, sha512)",
			        (int)(len - pre - 4), name + pre);
			continue;
		}
		if (tag)
			k.tag_algs |= 1u << alg;
		else
			k.payload_algs |= 1u << alg;
	}
	closedir(d);
	for (alg = 0; alg < MAX_ALGS && !k.error; alg++) {
		char name[64];

		if (k.payload_algs & (1u << alg)) {
			snprintf(name, sizeof(name), "manifest-%s.txt", dc_bag_alg_names[alg]);
			read_manifest(&k, name, alg, 0);
			snprintf(k.c->algorithms + strlen(k.c->algorithms),
			         sizeof(k.c->algorithms) - strlen(k.c->algorithms), "%s%s",
			         *k.c->algorithms ? " " : "", dc_bag_alg_names[alg]);
		}
		if (k.tag_algs & (1u << alg)) {
			snprintf(name, sizeof(name), "tagmanifest-%s.txt", dc_bag_alg_names[alg]);
			read_manifest(&k, name, alg, 1);
		}
	}
	if (!k.payload_algs)
		problem(&k, "manifest-sha256.txt", "no payload manifest (manifest-ALG.txt)");
	k.prog.files_total = k.npayload;
	if (!k.error)
		read_oxum(&k);
	if (!k.error)
		read_fetch(&k);
	if (!k.error) {
		dc_buf top = DC_BUF_INIT;

		if (dc_buf_addf(&top, "%s/data", dir) < 0) {
			k.error = DECLASS_ENOMEM;
		} else if (lstat(top.ptr, &st) < 0 || !S_ISDIR(st.st_mode)) {
			problem(&k, "data", "missing: a bag's payload is the folder data/");
		} else if (dc_buf_adds(&rel, "data") < 0) {
			k.error = DECLASS_ENOMEM;
		} else {
			walk(&k, &rel, 0);
		}
		dc_buf_free(&top);
	}
	if (!k.error)
		check_fetch(&k);
	for (i = 0; i < k.npayload && !k.error; i++)
		if (!k.payload[i].seen && !k.payload[i].unfetched)
			problem(&k, k.payload[i].path,
			        "listed in the manifest but missing from the bag");
	if (!k.error)
		check_oxum(&k);
	if (!k.error)
		check_tags(&k);
	if (k.c->nproblems)
		qsort(k.c->problems, k.c->nproblems, sizeof(*k.c->problems), cmp_problem);
done:
	listed_free(k.payload, k.npayload);
	listed_free(k.tags, k.ntags);
	for (i = 0; i < k.nfetch; i++) {
		free(k.fetch[i].path);
		free(k.fetch[i].url);
	}
	free(k.fetch);
	dc_buf_free(&rel);
	if (k.error) {
		declass_bag_check_free(k.c);
		return k.error;
	}
	*out = k.c;
	return 0;
}

void declass_bag_check_free(declass_bag_check *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->nproblems; i++) {
		free(c->problems[i].path);
		free(c->problems[i].message);
	}
	free(c->problems);
	free(c);
}
