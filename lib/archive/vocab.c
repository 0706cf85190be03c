/*
 * The archive's lexicon (lib/text/lexicon.c): the English word list and
 * the collection vocabulary counted over every text the archive holds,
 * every version of every record.  The vocabulary is derived data: it is
 * saved beside the repository as `declass.vocab`, tagged with the commit
 * the branch pointed at, and counted again from the texts when the branch
 * has moved (an ingest, a text revision) or the file is missing or
 * damaged.  Deleting it is always safe.  An archive that cannot be written
 * (a read-only mirror) counts it in memory each time.
 *
 * Counting reads each record's distinct texts on all cores, each thread
 * with its own handle on the repository: about 20 s for the 36,900 texts
 * of the whole JFK collection on two cores, once per release.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "declass/history.h"
#include "store/verify.h" /* store_reopen */
#include "util/arena.h"
#include "util/grow.h"
#include "util/pool.h"
#include "writer.h" /* dc_thread_count */

/* One text of one record: the record's folder and the text's blob. */
struct text_ref {
	const char *path; /* in the arena */
	store_oid oid;
};

struct vocab_build {
	declass_archive *a;
	const store_oid *commit; /* the commit being listed */
	struct text_ref *refs;
	size_t n, cap;
	size_t *start; /* per record: its first ref (records sorted by path) */
	size_t nrecords;
	dc_arena arena;
	store **s; /* per thread */
	declass_vocab *v;
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
	size_t done; /* records counted by thread 0 (progress only) */
	int nthreads;
};

/* A record folder the commit changed: note its text, if it has one. */
static int note_text(void *ctx, const char *path)
{
	struct vocab_build *b = ctx;
	dc_buf p = DC_BUF_INIT;
	store_oid oid;
	int error;

	if ((error = dc_buf_addf(&p, "%s/text.txt", path)) < 0)
		return error;
	error = store_path_oid(b->a->s, b->commit, p.ptr, &oid);
	dc_buf_free(&p);
	if (error == DECLASS_ENOTFOUND)
		return 0;
	if (error < 0)
		return error;
	if ((error = dc_grow(&b->refs, &b->cap, b->n + 1, sizeof(*b->refs))) < 0)
		return error;
	if (!(b->refs[b->n].path = dc_arena_strndup(&b->arena, path, strlen(path))))
		return dc_error_oom();
	b->refs[b->n].oid = oid;
	b->n++;
	return 0;
}

static int cmp_ref(const void *pa, const void *pb)
{
	const struct text_ref *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	return c ? c : memcmp(a->oid.id, b->oid.id, sizeof(a->oid.id));
}

/* Every (record, text) pair of the history, grouped by record, each text once. */
static int list_texts(struct vocab_build *b)
{
	const dc_history *h;
	size_t i, k;
	int error;

	if ((error = dc_archive_history(&h, b->a)) < 0)
		return error;
	for (i = 0; i < h->n; i++) {
		b->commit = &h->commits[i];
		if ((error = store_changed_records(b->a->s, i ? &h->commits[i - 1] : NULL,
		                                   &h->commits[i], note_text, b)) < 0)
			return error;
	}
	if (!b->n)
		return 0;
	qsort(b->refs, b->n, sizeof(*b->refs), cmp_ref);
	for (i = 1, k = 1; i < b->n; i++)
		if (cmp_ref(&b->refs[i], &b->refs[k - 1]))
			b->refs[k++] = b->refs[i];
	b->n = k;
	if (!(b->start = malloc((b->n + 1) * sizeof(*b->start))))
		return dc_error_oom();
	for (i = 0; i < b->n; i++)
		if (!i || strcmp(b->refs[i].path, b->refs[i - 1].path))
			b->start[b->nrecords++] = i;
	b->start[b->nrecords] = b->n;
	return 0;
}

/* Job: read one record's texts and count its words and lines. */
static int count_record(void *ctx, int thread, size_t r)
{
	struct vocab_build *b = ctx;
	size_t i, n = b->start[r + 1] - b->start[r];
	dc_buf *texts;
	const char **ptr;
	size_t *len;
	int error = 0;

	if (!(texts = calloc(n, sizeof(*texts))) || !(ptr = calloc(n, sizeof(*ptr))) ||
	    !(len = calloc(n, sizeof(*len)))) {
		free(texts);
		return dc_error_oom();
	}
	for (i = 0; i < n && !error; i++) {
		const store_oid *oid = &b->refs[b->start[r] + i].oid;
		uint64_t size;

		texts[i] = (dc_buf)DC_BUF_INIT;
		/* a text over the limit on one text is left out, unread */
		if ((error = store_blob_size(b->s[thread], oid, &size)) == 0 &&
		    size <= b->a->limits.text)
			error = store_read_blob(b->s[thread], oid, &texts[i]);
		ptr[i] = texts[i].ptr;
		len[i] = texts[i].len;
	}
	if (!error)
		error = declass_vocab_add_record(b->v, ptr, len, n);
	for (i = 0; i < n; i++)
		dc_buf_free(&texts[i]);
	free(texts);
	free(ptr);
	free(len);
	if (thread == 0)
		b->done++;
	return error;
}

static void tick(void *ctx)
{
	struct vocab_build *b = ctx;

	if (b->progress)
		b->progress(b->progress_ctx, b->done * (size_t)b->nthreads, b->nrecords);
}

static int count_vocab(declass_lexicon *lex, declass_archive *a,
                       void (*progress)(void *ctx, size_t done, size_t total), void *ctx)
{
	struct vocab_build b;
	int i, error;

	memset(&b, 0, sizeof(b));
	b.a = a;
	b.progress = progress;
	b.progress_ctx = ctx;
	b.arena = (dc_arena)DC_ARENA_INIT;
	b.nthreads = dc_thread_count();
	if ((error = list_texts(&b)) < 0 || (error = declass_vocab_new(&b.v)) < 0)
		goto done;
	if (!(b.s = calloc((size_t)b.nthreads, sizeof(*b.s)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < b.nthreads; i++)
		if ((error = store_reopen(&b.s[i], a->s)) < 0)
			goto done;
	{
		dc_pool_opts po = { b.nrecords, b.nthreads, count_record, tick, &b, NULL };

		if ((error = dc_pool_run(&po)) < 0)
			goto done;
	}
	error = declass_vocab_finish(b.v, lex);
done:
	for (i = 0; b.s && i < b.nthreads; i++)
		store_free(b.s[i]);
	free(b.s);
	declass_vocab_free(b.v);
	free(b.refs);
	free(b.start);
	dc_arena_free(&b.arena);
	return error;
}

int declass_archive_lexicon_lacks_words(const declass_archive *a)
{
	return a->lexicon_no_words;
}

int declass_archive_lexicon(const declass_lexicon **out, declass_archive *a,
                            void (*progress)(void *ctx, size_t done, size_t total), void *ctx)
{
	declass_lexicon *lex = NULL;
	char stamp[STORE_OID_HEX];
	dc_buf path = DC_BUF_INIT, tmp = DC_BUF_INIT;
	store_oid tip;
	int error;

	*out = NULL;
	if (a->lexicon) {
		*out = a->lexicon;
		return 0;
	}
	if ((error = declass_lexicon_new(&lex)) < 0)
		return error;
	/* No word list is no error: words are then judged by their shape. */
	if (declass_lexicon_load_words(lex, declass_lexicon_default_words()) < 0)
		a->lexicon_no_words = 1;
	if ((error = store_tip(a->s, &tip)) == DECLASS_ENOTFOUND) {
		error = 0; /* an empty archive: no vocabulary */
		goto keep;
	}
	if (error < 0)
		goto done;
	store_oid_fmt(stamp, &tip);
	if ((error = dc_buf_addf(&path, "%sdeclass.vocab", store_gitdir(a->s))) < 0)
		goto done;
	if (declass_lexicon_load_vocab(lex, path.ptr, stamp) == 0)
		goto keep;
	if ((error = count_vocab(lex, a, progress, ctx)) < 0)
		goto done;
	/* Saving is a courtesy to the next reader: a read-only archive skips it. */
	if (dc_buf_addf(&tmp, "%s.%ld.tmp", path.ptr, (long)getpid()) == 0 &&
	    declass_lexicon_save_vocab(lex, tmp.ptr, stamp) == 0) {
		if (rename(tmp.ptr, path.ptr) != 0)
			unlink(tmp.ptr);
	} else if (tmp.len) {
		unlink(tmp.ptr);
	}
keep:
	a->lexicon = lex;
	*out = lex;
	lex = NULL;
done:
	declass_lexicon_free(lex);
	dc_buf_free(&path);
	dc_buf_free(&tmp);
	return error;
}
