/*
 * store_diff_lines(): libgit2's git_diff_buffers() over two token-per-line
 * buffers, hunks passed back as 0-based line ranges.  See linediff.h.
 */
#include <pthread.h>

#include <git2.h>

#include "util/error.h"
#include "linediff.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result;

static void init_libgit2(void)
{
	init_result = git_libgit2_init();
}

struct hunk_ctx {
	store_hunk_cb cb;
	void *ctx;
	int cb_result;
};

/*
 * Unified-diff numbering is 1-based, and a side with 0 lines names the line
 * *after which* the other side goes; both collapse to "0-based index of the
 * first line of the range, or of the insertion point".
 */
static size_t zero_based(int start, int count)
{
	if (count == 0)
		return (size_t)start;
	return (size_t)start - 1;
}

static int on_hunk(const git_diff_delta *delta, const git_diff_hunk *hunk, void *payload)
{
	struct hunk_ctx *h = payload;

	(void)delta;
	h->cb_result =
	        h->cb(h->ctx, zero_based(hunk->old_start, hunk->old_lines), (size_t)hunk->old_lines,
	              zero_based(hunk->new_start, hunk->new_lines), (size_t)hunk->new_lines);
	return h->cb_result ? GIT_EUSER : 0;
}

int store_diff_lines(const char *a, size_t alen, const char *b, size_t blen, int patience,
                     store_hunk_cb hunk_cb, void *ctx)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	struct hunk_ctx h = { hunk_cb, ctx, 0 };
	const git_error *e;
	int error;

	pthread_once(&init_once, init_libgit2);
	if (init_result < 0)
		return dc_error_set(DECLASS_ERROR, "cannot initialise libgit2");

	/* Tokens are never binary; stop libgit2 from guessing otherwise. */
	opts.flags = GIT_DIFF_FORCE_TEXT | (patience ? GIT_DIFF_PATIENCE : 0);
	opts.context_lines = 0;
	opts.interhunk_lines = 0;

	error = git_diff_buffers(a, alen, NULL, b, blen, NULL, &opts, NULL, NULL, on_hunk, NULL,
	                         &h);
	if (error == GIT_EUSER && h.cb_result)
		return h.cb_result;
	if (error < 0) {
		e = git_error_last();
		return dc_error_set(DECLASS_ERROR, "line diff failed: %s",
		                    e && e->message ? e->message : "unknown libgit2 error");
	}
	return 0;
}
