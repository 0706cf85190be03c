/*
 * What the parts of lib/verify share; nothing outside lib/verify sees it.
 *
 *   common.c     problem kinds and reports, small checks, loose files hashed
 *   archive.c    the archive check (declass_verify_archive), release by release
 *   walk.c       the archive walk: record folders, meta.json, blobs, on threads
 *   relreader.c  releases/<ID>.json read line by line
 *   history.c    the history, text revisions, tags and signatures
 *   tranche.c    a downloaded tranche before ingest (declass_verify_tranche)
 *   files.c      loose files identified (declass_verify_files)
 */
#ifndef DECLASS_VERIFY_INTERNAL_H
#define DECLASS_VERIFY_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <jansson.h>

#include "archive/archive.h"
#include "declass/verify.h"
#include "store/verify.h"
#include "util/buf.h"
#include "util/idtab.h"

/* ---- problems (common.c) ------------------------------------------------ */

typedef struct reporter {
	const declass_verify_opts *o;
	declass_verify_counts *c;
} reporter;

/* Count a problem and hand it to opts->problem (on the calling thread). */
void verify_report(reporter *r, declass_verify_kind kind, const char *release, const char *record,
                   const char *path, const store_oid *obj, const char *fmt, ...) DC_PRINTF(7, 8);

/* An object read failed: a problem if the archive is at fault, else an error. */
int verify_report_read(reporter *r, int error, const char *release, const char *record,
                       const char *path, const store_oid *obj);

/* ---- small checks (common.c) -------------------------------------------- */

/* 64 lower-case hex digits. */
int verify_is_hex64(const char *s);

/* A file name the archive can hold in a record folder. */
int verify_safe_name(const char *name);

/* A JSON integer of at least 0, in *out. */
int verify_json_uint(const json_t *v, uint64_t *out);

/* ---- loose files hashed (common.c) -------------------------------------- */

/* Hashing threads: --jobs (opts->threads, at most 256), else one per core; no more than jobs. */
unsigned verify_thread_count(const declass_verify_opts *o, size_t jobs);

typedef struct loose {
	const char *path; /* the file to read */
	char sha256[DECLASS_SHA256_HEX];
	uint64_t size;
	int status;
	char *error;
} loose;

/* Hash files[0..n) on all cores; per-file failures stay in files[i]. */
int verify_hash_loose(loose *files, size_t n, const declass_verify_opts *o, uint64_t total);

/* ---- releases/<ID>.json (relreader.c) ----------------------------------- */

/* What an entry of "files" says; a field is NULL (or has_size 0) if absent or not valid. */
typedef struct relentry {
	const char *kind, *path, *record, *sha256;
	int has_size;
	uint64_t size;
} relentry;

typedef struct relreader {
	/* Called with each entry of "files", in order; < 0 stops. */
	int (*entry)(void *ctx, const relentry *f, size_t i);
	void *ctx;
	json_t *hdr;   /* the top-level fields ("files" aside in the line form) */
	int has_files; /* "files" is a list */
	char sha256[DECLASS_SHA256_HEX];
	char *invalid; /* not valid JSON: why */
	int line_form; /* read line by line (else parsed whole) */
} relreader;

/*
 * Read the releases/<ID>.json blob `oid` (at `what`): its SHA-256, its
 * top-level fields in rr->hdr, each files entry to rr->entry.  A failed
 * read (DECLASS_ENOTFOUND, DECLASS_EARCHIVE) is returned with nothing
 * passed on; JSON that is not valid sets rr->invalid (entries before the
 * fault may have been passed on).  Memory: one line at a time, unless the
 * file is not in the line form.
 */
int verify_relreader_run(relreader *rr, store *s, store_blob_reader *br, const store_oid *oid,
                         const char *what);
void verify_relreader_clear(relreader *rr);

/* ---- the archive check: state (archive.c, walk.c, history.c) ------------ */

#define MAX_DEPTH 8 /* records/a/b/c is 3 below records/ */

typedef struct relinfo {
	store_oid commit, tree;
	char *message;
	char *id;       /* Release-Id, or NULL */
	char *date;     /* Release-Date, or NULL */
	char *json_sha; /* Release-JSON-SHA256 trailer, or NULL */
	char *label;    /* id, or "text revision <hex12>", or "commit <hex12>" */
	dc_commit_kind kind;
	store_oid json; /* releases/<id>.json in its own commit */
	int has_json;
	int has_ref;  /* a release/<id> tag ref exists */
	int sig_seen; /* its tag (on its commit) was checked for signatures */
} relinfo;

/* A distinct file blob: 64 bytes, whatever its size. */
enum { BLOB_QUEUED = 0, BLOB_OK = 1 }; /* else the read's error code */

typedef struct vblob {
	store_oid oid;
	int state; /* under v->mu */
	unsigned char sha256[32];
	uint64_t size;
} vblob;

/* Who says what of a file version. */
enum { CLAIM_NONE, CLAIM_META, CLAIM_RELEASE };

/*
 * Where a claim or problem comes in the walk: problems found by several
 * threads are reported in this order, so the output does not depend on
 * which thread was faster.
 */
typedef struct wkey {
	size_t seq, sub;
} wkey;

static inline int wkey_cmp(wkey a, wkey b)
{
	if (a.seq != b.seq)
		return a.seq < b.seq ? -1 : 1;
	return (a.sub > b.sub) - (a.sub < b.sub);
}

/* A folder under records/ for a walking thread. */
typedef struct job {
	store_oid oid;
	char *dir;
	int depth;
	size_t seq;
} job;

/* A claim on a blob another thread is still reading: settled at verify_drain(). */
typedef struct late {
	vblob *b;
	wkey key;
	size_t rel;
	int from;
	unsigned char sha256[32];
	uint64_t size;
	char *record, *path;
} late;

/* A problem found off the calling thread, reported by it in walk order. */
typedef struct dprob {
	wkey key;
	declass_verify_kind kind;
	size_t rel;
	int has_oid;
	store_oid oid;
	char *record, *path, *message;
} dprob;

/* A blob that could not be read: reported at the end, once. */
typedef struct badblob {
	store_oid oid;
	wkey key;           /* where it was first met in the walk */
	size_t rel, maxrel; /* that release; the last release that has it */
	int status;
	char *record, *path, *error;
} badblob;

#define QCAP           256 /* folders queued for the walking threads at most */
#define DISPATCH_DEPTH 2   /* records/104/10004: folders handed to threads */

typedef struct verifier verifier;

/* One level of a walk: a tree's entries. */
typedef struct entry {
	const char *name;
	size_t off; /* of name in the names buffer, while collecting */
	unsigned mode;
	store_oid oid;
} entry;

typedef struct entries {
	entry *v;
	size_t n, alloc;
	dc_buf names;
} entries;

/* A tree kept for path lookups, its entries sorted by name. */
typedef struct ptree {
	store_oid oid;
	int valid;
	entries es;
	const entry **order; /* the entries by name (strcmp) */
	size_t aorder;
} ptree;

#define NLEVELS (MAX_DEPTH + 3)

/* A thread walking folders: its own archive handle and buffers. */
typedef struct walker {
	verifier *v;
	store *s;
	store_blob_reader *rd;
	entries lv[NLEVELS]; /* one tree per level of the walk */
	wkey key;            /* where it is in the walk */
	int deferred;        /* off the calling thread: problems are kept */
	pthread_t thread;
	int started;
} walker;

struct verifier {
	reporter r;
	store *s;
	/*
	 * The tag refs, read before the branch: a writer moves the branch
	 * before it creates a tag, so a verify running beside an ingest sees
	 * no tag without its release.
	 */
	store_tag_ref *tagrefs;
	size_t ntagrefs;
	const declass_verify_opts *o;
	walker main;    /* the calling thread's */
	dc_idtab seen;  /* trees and JSON blobs already read */
	dc_idtab blobs; /* file blobs: vblob */
	relinfo *rels;
	size_t nrels;
	size_t cur;        /* the release being walked */
	size_t seq;        /* places in the walk handed out */
	size_t walked;     /* trees read by the calling thread, for progress */
	entries top, rdir; /* the release's tree, its releases/ */
	ptree pc[NLEVELS]; /* path lookups of releases/<ID>.json entries */
	/* Shared with the walking threads, under mu. */
	pthread_mutex_t mu;
	pthread_cond_t more, room, idle;
	job q[QCAP];
	size_t qhead, qlen, busy;
	int stop;
	late *late;
	size_t nlate, alate;
	dprob *probs;
	size_t nprobs, aprobs;
	badblob *bads;
	size_t nbads, abads;
	int fatal; /* a thread's error (out of memory...) */
	char fatal_msg[512];
	atomic_size_t hashed;
	atomic_uint_least64_t bytes;
	walker *w;
	size_t nw;
	declass_progress pr;
};

/* ---- the archive walk (walk.c) ------------------------------------------ */

/* Show progress: blobs and bytes hashed so far (calling thread). */
void verify_walk_progress(verifier *v);

/*
 * A file version: the blob `oid` at `path` in the current release, and
 * (unless from is CLAIM_NONE) the SHA-256 and size a JSON gives for it.
 */
int verify_claim(walker *w, const store_oid *oid, const char *record, const char *path, int from,
                 const char *sha256, uint64_t size);

/* Add `oid` to the objects read: 1 if it is new, 0 if not, or an error. */
int verify_seen_add(verifier *v, const store_oid *oid);

/* Read a JSON blob strictly, once; *out NULL (problem reported) if bad. */
int verify_read_json(walker *w, json_t **out, const store_oid *oid, const char *record,
                     const char *path);

/* Read the tree `oid` into es (emptied first), strictly. */
int verify_load_entries(store *s, entries *es, const store_oid *oid);
void verify_entries_free(entries *es);

/*
 * Read the tree `oid` (at `path`) into es, strictly.  Returns 1 if it was
 * read, 0 if it had been read already (with `once`) or could not be read
 * (reported).  `known`: the caller has added it to the objects read.
 */
int verify_read_tree(walker *w, entries *es, const store_oid *oid, const char *path, int once,
                     int known);

/* The entry `name` of es, or NULL. */
const entry *verify_find_entry(const entries *es, const char *name);

/*
 * A folder under records/: a record's (it holds meta.json) or one on the
 * way; `known`: already among the objects read.
 */
int verify_walk_records(walker *w, const store_oid *oid, const char *dir, int depth, int known);

/* The walking threads: started once, stopped after the last release. */
int verify_walkers_start(verifier *v);
void verify_walkers_stop(verifier *v);
void verify_walker_free(walker *w);

/*
 * Wait until the threads have walked every queued folder, settle the
 * claims that waited for a blob, and report what the threads found, in
 * walk order.
 */
int verify_drain(verifier *v);

/* ---- history, tags, signatures (history.c) ------------------------------ */

/* The trailer `key` of a message as a new string; NULL if absent or unreadable. */
char *verify_trailer(const char *message, const char *key);

/* The commits of the branch, oldest first, into v->rels. */
int verify_load_history(verifier *v);

/* The current commit v->rels[v->cur], a text revision: it changes text only. */
int verify_check_revision(verifier *v);

/* The release tags: each on its release's commit, annotated, signed as trusted. */
int verify_check_tags(verifier *v);

/* Replace refs and grafts, through which Git would show other objects. */
int verify_check_overrides(verifier *v);

#endif
