/*
 * Line diff of two in-memory buffers, for lib's word diff: lib writes each
 * side as one token per line and gets back the changed hunks.  This is the
 * only place the text engine touches libgit2 (whose xdiff does the work).
 */
#ifndef DECLASS_STORE_LINEDIFF_H
#define DECLASS_STORE_LINEDIFF_H

#include <stddef.h>

/*
 * Called once per changed hunk, in order.  Lines are numbered from 0: the
 * hunk replaces old lines [old_start, old_start + old_count) with new lines
 * [new_start, new_start + new_count).  When a count is 0, its start is the
 * index of the line before which the other side's lines go.  Return
 * non-zero to stop the diff; that value is passed back.
 */
typedef int (*store_hunk_cb)(void *ctx, size_t old_start, size_t old_count, size_t new_start,
                             size_t new_count);

/*
 * Diff a[0..alen) against b[0..blen), both newline-terminated lines, with
 * Myers (or patience, if `patience`), no context lines.  Returns 0, the
 * callback's non-zero value, or DECLASS_ERROR with the message set.
 * Cost: O((N+M) D) for D differing lines, N and M lines.
 */
int store_diff_lines(const char *a, size_t alen, const char *b, size_t blen, int patience,
                     store_hunk_cb hunk_cb, void *ctx);

#endif
