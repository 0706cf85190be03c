/*
 * Showing untrusted text to people.  What declass prints comes from
 * manifests, archives and mirrors that may be hostile: a title, an agency,
 * a file name or a record's text can hold terminal escapes (ESC, CSI,
 * OSC), C1 controls or bidi overrides that set a window's title, clear the
 * screen, move the cursor to rewrite a line that was printed, or show text
 * in another order than it is stored.  Output for people passes each such
 * string through declass_display_escape(); JSON and CSV output keep the
 * bytes as they are (docs/RELIABILITY.md, "Hostile terminals").
 */
#ifndef DECLASS_DISPLAY_H
#define DECLASS_DISPLAY_H

#include "declass/declass.h"

/* Keep '\n', '\t', '\f' and "\r\n": the layout of a document's text. */
#define DECLASS_DISPLAY_LINES 1u

/*
 * s[0..len) as it may be shown on a terminal: every control character
 * (C0, DEL) and every byte that is not well-formed UTF-8 as \xHH, every
 * other hidden character (C1 controls, format characters such as bidi
 * overrides and zero-width spaces, other invisible code points: the set
 * record ids refuse) as \uHHHH or \UHHHHHHHH, lowercase hex; the rest as
 * it is.  With DECLASS_DISPLAY_LINES, newlines, tabs, form feeds and a
 * carriage return before a newline stay.
 *
 * *out is NULL when nothing needs escaping (print s itself), else a
 * NUL-terminated escaped copy, the caller's to free().  0 or
 * DECLASS_ENOMEM.  Cost: one pass over s.
 */
int declass_display_escape(char **out, const char *s, size_t len, unsigned flags);

#endif
