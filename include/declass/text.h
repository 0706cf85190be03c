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

/*
 * What a span of text is, comparing an older version with a newer one.
 * Released and withheld need evidence of a redaction at that place in the
 * other text (declass_evidence) and a confidence of at least
 * opts.min_confidence; a candidate with weaker evidence is uncertain.
 */
typedef enum declass_span_class {
	DECLASS_SPAN_SAME = 0,    /* the same words in both */
	DECLASS_SPAN_RELEASED,    /* newer text only, hidden in the older: declassified */
	DECLASS_SPAN_WITHHELD,    /* older text only, hidden in the newer: re-redacted */
	DECLASS_SPAN_NOISE,       /* OCR variance: re-read words, junk, stray runs */
	DECLASS_SPAN_MOVED,       /* words present in both, in another place */
	DECLASS_SPAN_BOILERPLATE, /* release stamps, cover sheets, page furniture */
	DECLASS_SPAN_MARKER,      /* a redaction marker still in place */
	DECLASS_SPAN_UNCERTAIN,   /* maybe released or withheld: evidence too weak */
	DECLASS_SPAN_DROPOUT,     /* text one OCR run lost: no redaction marks its place,
	                           * or another version has it */
	DECLASS_SPAN__COUNT
} declass_span_class;

/* "same", "released", "withheld", "noise", "moved", "boilerplate",
 * "marker", "uncertain", "dropout". */
const char *declass_span_class_name(declass_span_class cls);

/*
 * Why a released, withheld, uncertain or dropout span is classed so: what
 * the other text shows at its place (docs/DIFF.md, "Evidence").
 */
typedef enum declass_evidence {
	DECLASS_EVIDENCE_NONE = 0,
	DECLASS_EVIDENCE_MARKER,   /* a redaction marker */
	DECLASS_EVIDENCE_GAP,      /* nothing, inside a line whose words around match */
	DECLASS_EVIDENCE_JUNK,     /* unreadable junk, inside such a line */
	DECLASS_EVIDENCE_EDGE,     /* nothing, at the start or end of such a line */
	DECLASS_EVIDENCE_BLOCK,    /* nothing: whole lines between matching lines */
	DECLASS_EVIDENCE_NEW_TEXT, /* the other version has no text at all */
	DECLASS_EVIDENCE_VERSION,  /* another version of the record has the words */
	DECLASS_EVIDENCE_RECURS,   /* uncertain at several places, absent from the other text */
	DECLASS_EVIDENCE__COUNT
} declass_evidence;

/* "none", "marker", "gap", "junk", "edge", "block", "new-text", "version". */
const char *declass_evidence_name(declass_evidence e);

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

/*
 * The lexicon: which tokens are real words, for telling released words
 * from OCR junk.  An English word list (Debian's wamerican,
 * /usr/share/dict/words) and the collection's own vocabulary: every
 * normalised word found in the texts of two records or more (names,
 * cryptonyms, station codes).  docs/DIFF.md, "Lexicon".
 */
typedef struct declass_lexicon declass_lexicon;

/* An empty lexicon.  Free with declass_lexicon_free(). */
int declass_lexicon_new(declass_lexicon **out);
void declass_lexicon_free(declass_lexicon *lex);

/* The English word list to load: $DECLASS_WORDS, else /usr/share/dict/words (static). */
const char *declass_lexicon_default_words(void);

/* Add the words of a word list file (one a line) or of text[0..len). */
int declass_lexicon_load_words(declass_lexicon *lex, const char *path);
int declass_lexicon_add_words(declass_lexicon *lex, const char *text, size_t len);

/* 1 if a word list was loaded; the size of the collection vocabulary. */
int declass_lexicon_has_words(const declass_lexicon *lex);
size_t declass_lexicon_vocab_size(const declass_lexicon *lex);

/*
 * Building the collection vocabulary: add each record's texts (all its
 * versions at once, so a record counts once), from any number of threads,
 * then finish into a lexicon (replacing its vocabulary).  Memory follows
 * the words found in two records or more, plus an 8 MB filter.
 */
typedef struct declass_vocab declass_vocab;
int declass_vocab_new(declass_vocab **out);
int declass_vocab_add_record(declass_vocab *v, const char *const *texts, const size_t *lens,
                             size_t n);
int declass_vocab_finish(declass_vocab *v, declass_lexicon *lex);
void declass_vocab_free(declass_vocab *v);

/*
 * Save the vocabulary of lex to path, tagged with `stamp` (the archive
 * state it was built from); load it back only if the stamp is the same
 * (DECLASS_ENOTFOUND if it is missing, stale or not a vocabulary).
 */
int declass_lexicon_save_vocab(const declass_lexicon *lex, const char *path, const char *stamp);
int declass_lexicon_load_vocab(declass_lexicon *lex, const char *path, const char *stamp);

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
	 * Content words (3+ letters, not a stop word) a released or withheld
	 * span must hold; shorter candidates are uncertain.  Default 1: a
	 * one-word release with good evidence ("sent to Helsinki") counts.
	 */
	size_t min_words;
	/* Use patience diff instead of Myers for the token alignment. */
	int patience;
	/* find: ignore case, accents and OCR confusions (default 1). */
	int ignore_case;
	/* Marker and boilerplate patterns; NULL uses the built-in set. */
	const declass_markers *markers;
	/* Real words from junk; NULL judges by the shape of a word alone. */
	const declass_lexicon *lexicon;
	/*
	 * Released and withheld need at least this confidence (0..1);
	 * candidates below it are uncertain.  Default 0.6.
	 */
	double min_confidence;
} declass_text_opts;

#define DECLASS_TEXT_TOLERANCE_DEFAULT  0.34
#define DECLASS_TEXT_CONFIDENCE_DEFAULT 0.6
#define DECLASS_TEXT_OPTS_INIT                                       \
	{                                                            \
		DECLASS_TEXT_TOLERANCE_DEFAULT, 1, 0, 1, NULL, NULL, \
		        DECLASS_TEXT_CONFIDENCE_DEFAULT              \
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
	/* Released, withheld, uncertain, dropout: why, and how sure (0..1). */
	declass_evidence evidence;
	double confidence;
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

/*
 * One file's text within a record's text: bytes [start, end), and the
 * file's name (for pairing; may be NULL).
 */
typedef struct declass_text_part {
	const char *name;
	size_t start, end;
} declass_text_part;

/*
 * The word diff of a record whose text is made of several files' texts.
 * Where both sides have several, the parts are paired across the versions
 * by file name, then by the words they share, and each pair is diffed
 * alone (a copy of a document in one version only is moved; a file gone,
 * dropout; a new file that holds no older part's words, uncertain).
 * Spans follow the newer text's order, with offsets into the whole texts.
 * With one part on either side this is declass_diff_words() of the whole
 * texts.  Free the result with declass_wdiff_free().
 */
int declass_diff_parts(declass_wdiff **out, const char *old_text,
                       const declass_text_part *old_parts, size_t n_old, const char *new_text,
                       const declass_text_part *new_parts, size_t n_new,
                       const declass_text_opts *opts);

/*
 * Another version of the record as evidence.  `other` diffs an OLDER
 * version than d's against d's newer text (other_is_older), or d's older
 * text against a LATER version: released words of d that the older
 * version already shows, and withheld words that the later one shows
 * again, are dropout (evidence "version"), not news.  Totals are
 * counted again.  Cost: sorting other's spans.
 */
int declass_wdiff_refine(declass_wdiff *d, const declass_wdiff *other, int other_is_older);

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
