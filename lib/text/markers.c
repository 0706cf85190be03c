/*
 * Redaction markers and release boilerplate: the pattern set that tells
 * the word diff which tokens are "[REDACTED]"-style markers and which are
 * stamps and footers added by each release.
 *
 * Patterns are POSIX extended regular expressions (<regex.h>), one per
 * line of a small text file (format in declass_markers_default_text() and
 * docs/DIFF.md).  Why regex rather than hand-written matchers: the set is
 * meant to be extended by archivists who meet a new marker style, and ERE
 * is the notation they are most likely to know; it costs nothing to ship
 * (libc).  The cost is regexec()'s: see dc_markers_scan() and the open
 * problems in docs/DIFF.md.
 */
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokenize.h"

struct dc_pattern {
	char *name;
	char *src;
	regex_t re; /* alone: to check it when parsing */
	int icase;
	uint8_t kind; /* DC_TOK_MARKER, DC_TOK_BOILER or DC_TOK_BLOCK */
	size_t block; /* DC_TOK_BLOCK: index in declass_markers.blocks */
};

/*
 * A boilerplate block: from a line where `start` matches to the end of the
 * first line, at most max_lines further on, where `end` matches (a cover
 * sheet whose values differ from record to record).
 */
struct dc_block {
	char *name;
	regex_t start, end;
	size_t max_lines;
};

/*
 * Scanning runs one combined regex per case mode, "(p1)|(p2)|...", not
 * one per pattern: regexec() has a fixed cost per call that dominated the
 * diff's time when every pattern was tried on every line.
 */
struct combined {
	regex_t re;
	int ok;
};

struct declass_markers {
	struct dc_pattern *v;
	size_t n, alloc;
	struct dc_block *blocks;
	size_t nblocks, ablocks;
	struct combined all[2]; /* [0] case-sensitive, [1] ignoring case */
};

static const char default_text[] =
        "# declass marker and boilerplate patterns (the built-in set).\n"
        "#\n"
        "# One pattern a line:   KIND  NAME  /REGEX/FLAGS\n"
        "#   KIND   marker       a redaction marker: the text stands for\n"
        "#                        withheld words (one token however long)\n"
        "#          boilerplate  page furniture: release stamps, DocId lines,\n"
        "#                        footers, page markup; never compared\n"
        "#   NAME   a word naming the pattern in messages\n"
        "#   REGEX  POSIX extended regular expression: everything between the\n"
        "#          first and the last '/' of the line (so '/' needs no\n"
        "#          escape).  Matched with REG_NEWLINE: '.' and '[^...]' never\n"
        "#          match a line break, ^ and $ match at every line start/end.\n"
        "#          It must not match the empty string.\n"
        "#   FLAGS  'i' ignores case; nothing else is defined.\n"
        "# And boilerplate that runs over several lines (a cover sheet whose\n"
        "# values differ from record to record):\n"
        "#          block NAME /START/FLAGS /END/FLAGS MAXLINES\n"
        "#   from the start of a line where START matches to the end of the\n"
        "#   first line, at most MAXLINES lines on, where END matches (just that\n"
        "#   line if none does).  START must not hold a '/' followed by blanks\n"
        "#   and another '/'.\n"
        "# Blank lines and lines starting with '#' are ignored.  Where matches\n"
        "# overlap, the one starting first wins, then the longer one; markers\n"
        "# separated only by whitespace count as one.\n"
        "\n"
        "marker      bracketed      /\\[ "
        "*(redacted|deleted|withheld|sanitized|excised|classified|illegible|postponed)[^]]{0,40}\\]"
        "/i\n"
        "marker      ellipsis       /\\[ *(\\. *){2,}\\]|\\[ *… *\\]/\n"
        "marker      x-run          /X[Xx]*X[Xx]*X[Xx]*/\n"
        "marker      blocks         /(█|▇|▆|■|▓|▒)+/\n"
        "marker      foia-exemption /\\(b\\) *\\( *[0-9] *\\)( *\\( *[A-Za-z0-9] *\\))*/\n"
        "marker      jfk-act        /JFK +Act +[0-9]+( *\\( *[0-9A-Za-z]+ *\\))+/i\n"
        "marker      jfk-act-usc    /44 USC 2107 *\\( *[0-9]+ *\\)( *\\( *[0-9A-Za-z]+ *\\))+/i\n"
        "marker      withheld-note  /(\\[ "
        "*)?(page|pages|document|paragraph|text|portion|material|attachment)s?( +[0-9]+( *(-|–) "
        "*[0-9]+)?)? +(withheld|postponed|denied|deleted|not released|redacted)( +in "
        "+(full|part|its entirety))?( *\\])?/i\n"
        "marker      postponed      /postponed in (full|part)/i\n"
        "marker      blank-bracket  /\\[ *_[ _]*[]}|)]/\n"
        "# NARA's release stamps, in every year's wording and the pieces OCR makes of them\n"
        "boilerplate release-stamp  /^.{0,60}RELEASE UNDER THE PRESI.*$|ASSASSINATION RECORDS ACT "
        "OF 199[0-9].*$/i\n"
        "boilerplate stamp-2017     /Released (on [0-9-]+ )?under the John F\\.? Kennedy.*$/i\n"
        "boilerplate stamp-2017-act /^.{0,5}Assassination Records Collection Act of.*$/i\n"
        "boilerplate stamp-2025     /Released pursuant to Executive Order 14176.*$|AND THE REV\\.? "
        "DR\\.? M[LI]K,? JR.*$/i\n"
        "boilerplate case-number    /\\(?44 USC 2107 Note\\)?.*$|Case ?#: ?NW ?[0-9]+.*$/i\n"
        "boilerplate nsa-ref        /Doc Ref ID: ?[A-Z0-9]+/i\n"
        "boilerplate docid          /Do[co] ?[Il1|dD]?[dD] ?[:;.,]? ?[0-9]{5,}( +Page "
        "+[0-9]+:?)?/i\n"
        "boilerplate nw-footer      /^ *[NH][WH] ?[0-9]{4,6}([^0-9].*)?$/\n"
        "boilerplate record-number  /^ *[[(]?[0-9]{3}-[0-9]{5}-[0-9]{5}[])]? *$/\n"
        "boilerplate page-number    /^ *(page|pg\\.?) *[0-9]+( *of *[0-9]+)? *$/i\n"
        "# the third-party texts' own page markup (\"## Page 2\", \"# DOCID-32106269\")\n"
        "boilerplate page-markup    /^#{1,6} .*$/\n"
        "# the 1990s JFK Assassination System Identification Form, and routing sheets\n"
        "boilerplate fbi-declass    /DECLASSIFICATION AUTHORITY DERIVED FROM.*$|FBI AUTOMATIC "
        "DECLASSIFICATION GUIDE.*$|^ *DATE:? [0-9]{2}-[0-9]{2}-[0-9]{4}( +BY.*)?$/i\n"
        "# the labels of CIA cable and dispatch forms, never redacted\n"
        "boilerplate form-label     /(SIGNAL CENTER USE ONLY|REPRODUCTION BY OTHER THAN THE "
        "ISSUING OFFICE IS PROHIBITED|DO NOT REPRODUCE|BACKGROUND USE ONLY|END OF MESSAGE|RETURN "
        "TO CIA|CLASSIFIED MESSAGE|WHEN FILLED IN|E ?2,? IMPDET|COVER PAGE|CROSS REFERENCE "
        "TO|DISPATCH SYMBOL AND NUMBER|HEADQUARTERS FILE NUMBER|DATE TYPED|DATE "
        "DISPATCHED|RELEASING OFFICER|AUTHENTICATING OFFICER|COORDINATING OFFICERS)/i\n"
        "boilerplate form-date      /^ *Date *: *[0-9]{2}\\/[0-9]{2}\\/[0-9]{2} *$|^ *Page *: "
        "*[0-9]+ *$/i\n"
        "boilerplate item-restricted /\\[R\\] *[^A-Za-z]{0,4}ITEM IS RESTRICTED/i\n"
        "block       id-form        /^.{0,12}(JFK ASSASSINATION SYSTEM|IDENTIFICATION FORM)/i "
        "/ITEM IS RESTRICTED|^ *v9\\.1 *$/i 60\n"
        "boilerplate id-form-label  /^ *(AGENCY|RECORD NUMBER|RECORDS? SERIES|AGENCY FILE "
        "NUMBER|ORIGINATOR|FROM|TO|TITLE|DATE|PAGES|SUBJECTS?|DOCUMENT "
        "TYPE|CLASSIFICATION|RESTRICTIONS|CURRENT STATUS|DATE OF LAST REVIEW|OPENING "
        "CRITERIA|COMMENTS|AGENCY INFORMATION|DOCUMENT INFORMATION|IDENTIFICATION FORM) *(:|$)/i\n"
        "boilerplate id-form-version /^ *v9\\.1 *$/\n"
        "block       routing-sheet  /ROUTING AND RECORD SHEET/i /USE PREVIOUS|PREVIOUS +EDITIONS|^ "
        "*EDITIONS *$|FORM +6[1I]0/i 60\n";

const char *declass_markers_default_text(void)
{
	return default_text;
}

size_t declass_markers_count(const declass_markers *m)
{
	return m ? m->n : 0;
}

void declass_markers_free(declass_markers *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].src);
		regfree(&m->v[i].re);
	}
	for (i = 0; i < m->nblocks; i++) {
		free(m->blocks[i].name);
		regfree(&m->blocks[i].start);
		regfree(&m->blocks[i].end);
	}
	for (i = 0; i < 2; i++)
		if (m->all[i].ok)
			regfree(&m->all[i].re);
	free(m->blocks);
	free(m->v);
	free(m);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* FLAGS after a regex: 'i' or nothing. */
static int parse_flags(int *cflags, const char *flags, const char *origin, size_t lineno,
                       const char *name)
{
	for (; *flags && !is_blank(*flags); flags++) {
		if (*flags == 'i')
			*cflags |= REG_ICASE;
		else
			return dc_error_set(
			        DECLASS_EINPUT,
			        "markers '%s' line %zu: unknown flag '%c' in pattern '%s'", origin,
			        lineno, *flags, name);
	}
	return 0;
}

/* Compile re into p, refusing what the file format does not allow. */
static int compile(regex_t *p, const char *re, int cflags, const char *origin, size_t lineno,
                   const char *name)
{
	char msg[256];
	regmatch_t mt;
	int rc;

	if (!*re)
		return dc_error_set(DECLASS_EINPUT,
		                    "markers '%s' line %zu: empty regex in pattern '%s'", origin,
		                    lineno, name);
	if ((rc = regcomp(p, re, cflags)) != 0) {
		regerror(rc, p, msg, sizeof(msg));
		regfree(p);
		return dc_error_set(DECLASS_EINPUT,
		                    "markers '%s' line %zu: bad regex in pattern '%s': %s", origin,
		                    lineno, name, msg);
	}
	if (regexec(p, "", 1, &mt, 0) == 0) {
		regfree(p);
		return dc_error_set(DECLASS_EINPUT,
		                    "markers '%s' line %zu: pattern '%s' matches the empty string",
		                    origin, lineno, name);
	}
	return 0;
}

static int add_pattern(declass_markers *m, uint8_t kind, const char *name, const char *re,
                       int cflags, const char *origin, size_t lineno)
{
	struct dc_pattern *p;
	int error;

	if (m->n == m->alloc) {
		size_t alloc = m->alloc ? m->alloc * 2 : 32;
		struct dc_pattern *v = realloc(m->v, alloc * sizeof(*v));
		if (!v)
			return dc_error_oom();
		m->v = v;
		m->alloc = alloc;
	}
	p = &m->v[m->n];
	if ((error = compile(&p->re, re, cflags, origin, lineno, name)) < 0)
		return error;
	if (!(p->name = strdup(name)) || !(p->src = strdup(re))) {
		free(p->name);
		regfree(&p->re);
		return dc_error_oom();
	}
	p->kind = kind;
	p->icase = (cflags & REG_ICASE) != 0;
	m->n++;
	return 0;
}

/*
 * "block NAME /START/FLAGS /END/FLAGS MAXLINES": START joins the combined
 * scan as a pattern of kind DC_TOK_BLOCK; END is tried on the lines after.
 * START must not hold a '/' followed by blanks and another '/'.
 */
static int parse_block(declass_markers *m, const char *name, char *rest, const char *origin,
                       size_t lineno)
{
	char *start, *start_end, *end, *end_end, *p, *num;
	int sflags = REG_EXTENDED | REG_NEWLINE, eflags = REG_EXTENDED | REG_NEWLINE, error;
	struct dc_block *b;
	unsigned long max;

	if (!*name || *rest != '/')
		goto bad;
	start = rest + 1;
	for (start_end = start; (start_end = strchr(start_end, '/')); start_end++) {
		for (p = start_end + 1; *p >= 'a' && *p <= 'z'; p++)
			;
		if (is_blank(*p)) {
			while (is_blank(*p))
				p++;
			if (*p == '/')
				break;
		}
	}
	if (!start_end)
		goto bad;
	end = p + 1;
	if (!(end_end = strrchr(end, '/')) || end_end == end - 1)
		goto bad;
	for (num = end_end + 1; *num && !is_blank(*num); num++)
		;
	while (is_blank(*num))
		num++;
	max = strtoul(num, &p, 10);
	if (p == num || *p || max == 0 || max > 1000)
		goto bad;
	*start_end = '\0';
	*end_end = '\0';
	if ((error = parse_flags(&sflags, start_end + 1, origin, lineno, name)) < 0 ||
	    (error = parse_flags(&eflags, end_end + 1, origin, lineno, name)) < 0)
		return error;
	if (m->nblocks == m->ablocks) {
		size_t alloc = m->ablocks ? m->ablocks * 2 : 8;
		struct dc_block *v = realloc(m->blocks, alloc * sizeof(*v));
		if (!v)
			return dc_error_oom();
		m->blocks = v;
		m->ablocks = alloc;
	}
	b = &m->blocks[m->nblocks];
	memset(b, 0, sizeof(*b));
	if ((error = compile(&b->end, end, eflags, origin, lineno, name)) < 0)
		return error;
	if (!(b->name = strdup(name))) {
		regfree(&b->end);
		return dc_error_oom();
	}
	b->max_lines = max;
	if ((error = add_pattern(m, DC_TOK_BLOCK, name, start, sflags, origin, lineno)) < 0) {
		free(b->name);
		regfree(&b->end);
		return error;
	}
	m->v[m->n - 1].block = m->nblocks++;
	return 0;
bad:
	return dc_error_set(DECLASS_EINPUT,
	                    "markers '%s' line %zu: want block NAME /START/FLAGS /END/FLAGS "
	                    "MAXLINES",
	                    origin, lineno);
}

/* Parse one non-comment line; `line` is NUL-terminated, without '\n'. */
static int parse_line(declass_markers *m, char *line, const char *origin, size_t lineno)
{
	char *kind, *name, *re, *last;
	int cflags = REG_EXTENDED | REG_NEWLINE, error;
	uint8_t k;

	kind = line;
	while (*line && !is_blank(*line))
		line++;
	if (*line)
		*line++ = '\0';
	while (is_blank(*line))
		line++;
	name = line;
	while (*line && !is_blank(*line))
		line++;
	if (*line)
		*line++ = '\0';
	while (is_blank(*line))
		line++;

	if (!strcmp(kind, "marker"))
		k = DC_TOK_MARKER;
	else if (!strcmp(kind, "boilerplate"))
		k = DC_TOK_BOILER;
	else if (!strcmp(kind, "block"))
		return parse_block(m, name, line, origin, lineno);
	else
		return dc_error_set(DECLASS_EINPUT,
		                    "markers '%s' line %zu: unknown kind '%s' (want marker, "
		                    "boilerplate or block)",
		                    origin, lineno, kind);
	if (!*name || *line != '/' || !(last = strrchr(line, '/')) || last == line)
		return dc_error_set(DECLASS_EINPUT,
		                    "markers '%s' line %zu: want KIND NAME /REGEX/FLAGS", origin,
		                    lineno);
	re = line + 1;
	*last = '\0';
	if ((error = parse_flags(&cflags, last + 1, origin, lineno, name)) < 0)
		return error;
	for (last++; *last && !is_blank(*last); last++)
		;
	while (is_blank(*last))
		last++;
	if (*last)
		return dc_error_set(DECLASS_EINPUT,
		                    "markers '%s' line %zu: unknown flag '%c' in pattern '%s'",
		                    origin, lineno, *last, name);
	return add_pattern(m, k, name, re, cflags, origin, lineno);
}

static int parse_into(declass_markers *m, const char *text, size_t len, const char *origin)
{
	size_t pos = 0, lineno = 0, end, s;
	char *line = NULL;
	int error = 0;

	while (pos < len) {
		lineno++;
		for (end = pos; end < len && text[end] != '\n'; end++)
			;
		for (s = pos; s < end && (is_blank(text[s])); s++)
			;
		if (s < end && text[s] != '#') {
			if (memchr(text + s, '\0', end - s)) {
				error = dc_error_set(DECLASS_EINPUT,
				                     "markers '%s' line %zu: NUL byte", origin,
				                     lineno);
				goto done;
			}
			free(line);
			if (!(line = malloc(end - s + 1))) {
				error = dc_error_oom();
				goto done;
			}
			memcpy(line, text + s, end - s);
			line[end - s] = '\0';
			/* Trailing blanks (and a CR) are not part of the flags. */
			for (s = strlen(line); s > 0 && is_blank(line[s - 1]); s--)
				line[s - 1] = '\0';
			if ((error = parse_line(m, line, origin, lineno)) < 0)
				goto done;
		}
		pos = end + 1;
	}
done:
	free(line);
	return error;
}

/* Build the two combined regexes once every pattern has parsed alone. */
static int combine(declass_markers *m)
{
	dc_buf src = DC_BUF_INIT;
	size_t i;
	int mode, rc, error = 0;
	char msg[256];

	for (mode = 0; mode < 2; mode++) {
		dc_buf_truncate(&src, 0);
		for (i = 0; i < m->n; i++) {
			if (m->v[i].icase != mode)
				continue;
			if ((src.len && (error = dc_buf_addch(&src, '|')) < 0) ||
			    (error = dc_buf_addf(&src, "(%s)", m->v[i].src)) < 0)
				goto done;
		}
		if (!src.len)
			continue;
		rc = regcomp(&m->all[mode].re, src.ptr,
		             REG_EXTENDED | REG_NEWLINE | (mode ? REG_ICASE : 0));
		if (rc) {
			regerror(rc, &m->all[mode].re, msg, sizeof(msg));
			regfree(&m->all[mode].re);
			error = dc_error_set(
			        DECLASS_EINPUT,
			        "markers: patterns do not combine (back-references?): %s", msg);
			goto done;
		}
		m->all[mode].ok = 1;
	}
done:
	dc_buf_free(&src);
	return error;
}

int declass_markers_parse(declass_markers **out, const char *text, size_t len, const char *origin,
                          int with_defaults)
{
	declass_markers *m;
	int error = 0;

	*out = NULL;
	if (!(m = calloc(1, sizeof(*m))))
		return dc_error_oom();
	if (with_defaults &&
	    (error = parse_into(m, default_text, sizeof(default_text) - 1, "built-in")) < 0)
		goto done;
	if ((error = parse_into(m, text ? text : "", text ? len : 0, origin ? origin : "(text)")) <
	            0 ||
	    (error = combine(m)) < 0)
		goto done;
	*out = m;
	m = NULL;
done:
	declass_markers_free(m);
	return error;
}

int declass_markers_default(declass_markers **out)
{
	return declass_markers_parse(out, NULL, 0, "built-in", 1);
}

int declass_markers_load(declass_markers **out, const char *path, int with_defaults)
{
	dc_buf b = DC_BUF_INIT;
	int error;

	*out = NULL;
	/* A pattern file is a few lines; refuse anything absurd. */
	if ((error = dc_buf_read_file(&b, path, 1u << 20, "markers")) >= 0)
		error = declass_markers_parse(out, b.ptr, b.len, path, with_defaults);
	dc_buf_free(&b);
	return error;
}

/* The built-in set, compiled once and kept for the life of the process. */
static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static declass_markers *default_set;

static void compile_default(void)
{
	if (declass_markers_default(&default_set) < 0)
		default_set = NULL;
}

static int cmp_mark(const void *pa, const void *pb)
{
	const dc_mark *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	return 0;
}

/*
 * Which kind of pattern matched at `pos` (rare, so it may be slow): the
 * first pattern of this mode matching the same text, given the same
 * context before it and the rest of the line after it.
 */
static const struct dc_pattern *match_pattern(const declass_markers *m, int mode, char *copy,
                                              size_t pos, regmatch_t whole)
{
	regmatch_t one;
	size_t i, at = pos + (size_t)whole.rm_so;
	int eflags = at > 0 && copy[at - 1] != '\n' ? REG_NOTBOL : 0;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].icase != mode)
			continue;
		if (regexec(&m->v[i].re, copy + at, 1, &one, eflags) == 0 && one.rm_so == 0 &&
		    one.rm_eo == whole.rm_eo - whole.rm_so)
			return &m->v[i];
	}
	return NULL;
}

/*
 * Lines are scanned at most this many bytes at a time.  regexec() tries
 * every start position, and a pattern with an unbounded repeat can run to
 * the end of the line from each, so its cost is quadratic in line length:
 * OCR of a form border can be one "line" of a megabyte.  A marker or stamp
 * cut by a window edge is lost; real ones are far shorter.
 */
#define SCAN_WINDOW 2048

static int only_space(const char *s, size_t from, size_t to)
{
	for (; from < to; from++)
		if (s[from] != ' ' && s[from] != '\t' && s[from] != '\n' && s[from] != '\r' &&
		    s[from] != '\f' && s[from] != '\v')
			return 0;
	return 1;
}

/*
 * Where a block whose start matched on the line [ls, le) ends: the end of
 * the first line at most b->max_lines lines on where its end pattern
 * matches, or le if none does.  `copy` is the whole text, NUL-terminated,
 * with copy[le] possibly cut to NUL by the caller (saved holds it).
 */
static size_t block_end(const struct dc_block *b, const char *copy, size_t len, size_t ls,
                        size_t le)
{
	size_t s = ls, e, lines = 0;
	regmatch_t mt;
	char *line;

	/* Blank lines do not count: some texts leave one after every line. */
	while (lines <= b->max_lines && s < len) {
		for (e = s; e < len && copy[e] != '\n' && copy[e] != '\0'; e++)
			;
		if (!only_space(copy, s, e)) {
			lines++;
			if (e - s < SCAN_WINDOW && (line = strndup(copy + s, e - s))) {
				int hit = regexec(&b->end, line, 1, &mt, 0) == 0;

				free(line);
				if (hit)
					return e;
			}
		}
		if (e >= len)
			break;
		s = e + 1;
	}
	return le;
}

int dc_markers_scan(dc_mark **out, size_t *nout, const declass_markers *m, const char *text,
                    size_t len)
{
	dc_mark *v = NULL, *nv;
	size_t n = 0, alloc = 0, i, j, pos, ls, le, cut;
	char saved;
	char *copy = NULL;
	const struct dc_pattern *pat;
	regmatch_t mt[1];
	int error = 0, eflags, mode;

	*out = NULL;
	*nout = 0;
	if (!m) {
		pthread_once(&default_once, compile_default);
		if (!(m = default_set))
			return dc_error_set(DECLASS_ERROR,
			                    "cannot compile the built-in marker patterns");
	}
	if (!m->n || !len)
		return 0;

	/* regexec() wants a C string: NULs become spaces, offsets unchanged. */
	if (!(copy = malloc(len + 1)))
		return dc_error_oom();
	for (i = 0; i < len; i++)
		copy[i] = text[i] ? text[i] : ' ';
	copy[len] = '\0';

	/*
	 * Line by line: regexec() measures (and, ignoring case, upper-cases)
	 * the whole rest of its string on every call, so one call per match
	 * over the full text would be quadratic.  Patterns never span lines.
	 */
	for (ls = 0; ls < len; ls = le + 1) {
		le = ls;
		while (le < len && copy[le] != '\n' && le - ls < SCAN_WINDOW)
			le++;
		/* Cut an overlong line at a space: see SCAN_WINDOW. */
		if (le < len && copy[le] != '\n') {
			for (cut = le; cut > ls + SCAN_WINDOW / 2 && copy[cut] != ' '; cut--)
				;
			if (copy[cut] == ' ')
				le = cut;
		}
		if (le == ls)
			continue;
		saved = copy[le];
		copy[le] = '\0';
		for (mode = 0; mode < 2; mode++) {
			if (!m->all[mode].ok)
				continue;
			for (pos = ls; pos < le;) {
				eflags = pos > ls ? REG_NOTBOL : 0;
				/* Offsets only: asking for groups is several times slower. */
				if (regexec(&m->all[mode].re, copy + pos, 1, mt, eflags) != 0)
					break;
				if (mt[0].rm_eo <= mt[0].rm_so) {
					pos += (size_t)mt[0].rm_so + 1;
					continue;
				}
				if (n == alloc) {
					alloc = alloc ? alloc * 2 : 16;
					if (!(nv = realloc(v, alloc * sizeof(*v)))) {
						error = dc_error_oom();
						goto done;
					}
					v = nv;
				}
				pat = match_pattern(m, mode, copy, pos, mt[0]);
				v[n].start = pos + (size_t)mt[0].rm_so;
				v[n].end = pos + (size_t)mt[0].rm_eo;
				v[n].kind = pat ? pat->kind : DC_TOK_MARKER;
				if (v[n].kind == DC_TOK_BLOCK) {
					/* The whole block, from the start of its first line. */
					copy[le] = saved;
					v[n].start = ls;
					v[n].end = block_end(&m->blocks[pat->block], copy, len, ls,
					                     le);
					v[n].kind = DC_TOK_BOILER;
					copy[le] = '\0';
				}
				n++;
				pos += (size_t)mt[0].rm_eo;
			}
		}
		if (le < len)
			copy[le] = saved;
	}
	if (!n)
		goto done;

	qsort(v, n, sizeof(*v), cmp_mark);
	for (i = 0, j = 0; i < n; i++) {
		if (j > 0 && v[i].start < v[j - 1].end)
			continue; /* overlaps a kept match */
		if (j > 0 && v[i].kind == DC_TOK_MARKER && v[j - 1].kind == DC_TOK_MARKER &&
		    only_space(copy, v[j - 1].end, v[i].start)) {
			v[j - 1].end = v[i].end;
			continue;
		}
		v[j++] = v[i];
	}
	*out = v;
	*nout = j;
	v = NULL;
done:
	free(v);
	free(copy);
	return error;
}
