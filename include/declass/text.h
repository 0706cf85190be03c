/*
 * The text engine behind `declass diff`, `declass blame` and `declass grep`:
 * pure functions over text buffers (no archive access).
 *
 * Texts are UTF-8 (invalid bytes are tolerated and treated as punctuation)
 * and need not be NUL-terminated.  Every offset handed back is a byte offset
 * into the caller's ORIGINAL buffer, so spans can be printed from it as they
 * were released; normalisation (case, accents, OCR confusions, whitespace,
 * hyphenated line breaks) only ever affects how tokens are compared.
 *
 * The algorithm, the span classes, the marker pattern file format and the
 * tolerance options are described in docs/DIFF.md.
 */
#ifndef DECLASS_TEXT_H
#define DECLASS_TEXT_H

#include <stddef.h>

#include "declass/declass.h"

/* What a span of text is, comparing an older version with a newer one. */
typedef enum declass_span_class {
	DECLASS_SPAN_SAME = 0,    /* the same words in both */
	DECLASS_SPAN_RELEASED,    /* words in the newer text only: declassified */
	DECLASS_SPAN_WITHHELD,    /* words in the older text only: re-redacted */
	DECLASS_SPAN_NOISE,       /* OCR variance: misread, junk, short stray runs */
	DECLASS_SPAN_MOVED,       /* words present in both, in another place */
	DECLASS_SPAN_BOILERPLATE, /* release stamps, DocId lines, page footers */
	DECLASS_SPAN_MARKER,      /* a redaction marker still in place */
	DECLASS_SPAN__COUNT
} declass_span_class;

/* "same", "released", "withheld", "noise", "moved", "boilerplate", "marker". */
const char *declass_span_class_name(declass_span_class cls);

/*
 * The redaction-marker and boilerplate pattern set (opaque).  Patterns are
 * POSIX extended regular expressions; see docs/DIFF.md for the file format
 * and for the default set, which declass_markers_default_text() returns in
 * that format.
 */
typedef struct declass_markers declass_markers;

/* The built-in pattern set.  Free with declass_markers_free(). */
int declass_markers_default(declass_markers **out);

/*
 * Parse a pattern set from text[0..len) in the file format; `origin` names
 * it in error messages ("markers 'origin' line 3: ...").  With
 * `with_defaults`, the built-in patterns come first.  DECLASS_EINPUT on a
 * bad line.  Free with declass_markers_free().
 */
int declass_markers_parse(declass_markers **out, const char *text, size_t len, const char *origin,
                          int with_defaults);

/* Like declass_markers_parse() on the contents of the file at `path`. */
int declass_markers_load(declass_markers **out, const char *path, int with_defaults);

/* Number of patterns in the set. */
size_t declass_markers_count(const declass_markers *m);

void declass_markers_free(declass_markers *m);

/* The built-in pattern set in the file format (static, do not free). */
const char *declass_markers_default_text(void);

/* Options shared by diff, blame and find.  Start from DECLASS_TEXT_OPTS_INIT. */
typedef struct declass_text_opts {
	/*
	 * OCR tolerance: two tokens count as the same word if their edit
	 * distance is at most tolerance * (length of the longer one),
	 * after normalisation.  0 compares normalised tokens exactly.
	 * Default 0.34 (one error in 3 letters, two in 6).
	 */
	double tolerance;
	/*
	 * A run of unmatched words is released (or withheld) only if it holds
	 * at least this many content words (3+ letters, not a stop word)
	 * found nowhere in the other text; shorter runs are noise.  A run that
	 * replaces a redaction marker needs only one.  Default 2.
	 */
	size_t min_words;
	/* Use patience diff instead of Myers for the token alignment. */
	int patience;
	/* find: ignore case, accents and OCR confusions (default 1). */
	int ignore_case;
	/* Marker and boilerplate patterns; NULL uses the built-in set. */
	const declass_markers *markers;
} declass_text_opts;

#define DECLASS_TEXT_TOLERANCE_DEFAULT 0.34
#define DECLASS_TEXT_OPTS_INIT                                \
	{                                                     \
		DECLASS_TEXT_TOLERANCE_DEFAULT, 2, 0, 1, NULL \
	}

/*
 * One span of a diff.  [old_start, old_end) is its extent in the older
 * text, [new_start, new_end) in the newer; a side the span does not occupy
 * is an empty range (start == end) at the place the span sits in that
 * text.  A released span that replaced a redaction marker has
 * `has_marker` set and [marker_start, marker_end) is that marker in the
 * OLDER text; a withheld span that a marker replaced, the marker in the
 * NEWER text.  Spans cover tokens: the bytes between consecutive spans of
 * one side are whitespace or punctuation-only tokens, never a change.
 */
typedef struct declass_span {
	declass_span_class cls;
	size_t old_start, old_end;
	size_t new_start, new_end;
	int has_marker;
	size_t marker_start, marker_end;
	size_t old_words, new_words; /* tokens of each side in the span */
} declass_span;

/* Count of spans and of words (tokens) on each side, per class. */
typedef struct declass_span_total {
	size_t spans;
	size_t old_words;
	size_t new_words;
} declass_span_total;

/*
 * A word diff: spans in document order (each side's spans are in order
 * and do not overlap; within a changed region older-only spans come
 * before newer-only ones where they are not paired).
 */
typedef struct declass_wdiff {
	declass_span *spans;
	size_t nspans;
	declass_span_total totals[DECLASS_SPAN__COUNT];
} declass_wdiff;

/*
 * Word diff of old_text[0..old_len) -> new_text[0..new_len), classified
 * (see declass_span_class).  opts may be NULL for the defaults.  The
 * result is the caller's: free it with declass_wdiff_free().  Cost: about
 * linear in the text size for similar texts (libgit2's Myers diff over
 * tokens, then bounded local alignment of the changed regions).
 */
int declass_diff_words(declass_wdiff **out, const char *old_text, size_t old_len,
                       const char *new_text, size_t new_len, const declass_text_opts *opts);

void declass_wdiff_free(declass_wdiff *d);

/* One span of blamed text: bytes [start, end) of the newest version. */
typedef struct declass_blame_span {
	size_t start, end;
	size_t version; /* index (oldest first) of the first version with it */
	/* SAME for ordinary text, MARKER or BOILERPLATE for those tokens. */
	declass_span_class cls;
} declass_blame_span;

/* Blame of the newest version: spans tile [0, len of newest text). */
typedef struct declass_blame {
	declass_blame_span *spans;
	size_t nspans;
} declass_blame;

/*
 * Given the texts of n >= 1 versions of a record, OLDEST FIRST (texts[i]
 * of lens[i] bytes; a NULL text with length 0 is an empty version), tag
 * every span of the newest text with the first version in which it was
 * public: the oldest version whose diff against the newest does NOT class
 * it as released.  So re-OCR noise, moves and boilerplate never count as
 * new, and text withheld in between and released again is dated to its
 * first appearance.  Cost: n - 1 word diffs.  Free the result with
 * declass_blame_free().
 */
int declass_blame_text(declass_blame **out, const char *const *texts, const size_t *lens, size_t n,
                       const declass_text_opts *opts);

void declass_blame_free(declass_blame *b);

/* One occurrence of a phrase: bytes [start, end) of the text searched. */
typedef struct declass_match {
	size_t start, end;
	int exact; /* 1 if every word matched exactly after normalisation */
} declass_match;

typedef struct declass_matches {
	declass_match *v;
	size_t n;
} declass_matches;

/*
 * Every occurrence of the words of `phrase` in text[0..len), in order,
 * whatever whitespace, line breaks, hyphenated line breaks or punctuation
 * lie between them.  Case (and with it accents and OCR confusions) is
 * ignored if opts->ignore_case; words within opts->tolerance edit distance
 * match (set tolerance to 0 for exact words).  Matches do not overlap.
 * DECLASS_EINPUT if the phrase has no words.  Free the result with
 * declass_matches_free().
 */
int declass_text_find(declass_matches **out, const char *text, size_t len, const char *phrase,
                      size_t phrase_len, const declass_text_opts *opts);

void declass_matches_free(declass_matches *m);

#endif
