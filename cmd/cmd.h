/*
 * What the subcommands of the declass command share: the context the
 * dispatcher sets up, exit codes, and output helpers.  cmd/ sits on lib's
 * public headers only.
 */
#ifndef DECLASS_CMD_H
#define DECLASS_CMD_H

#include <jansson.h>
#include <stdio.h>

#include "declass/archive.h"
#include "declass/history.h"
#include "declass/declass.h"
#include "declass/display.h"
#include "declass/limits.h"
#include "declass/pdftext.h"
#include "declass/sign.h"
#include "declass/text.h"

/* Exit codes (docs: README "Exit codes"). */
enum {
	EXIT_OK = 0,
	EXIT_PROBLEMS = 1, /* a check found problems (verify) */
	EXIT_USAGE = 2,    /* usage or bad input */
	EXIT_ARCHIVE = 3,  /* archive unusable or internal error */
};

/* Version of the --json documents' shape; see docs/JSON.md. */
#define CMD_JSON_SCHEMA 1

typedef struct cmd_ctx {
	const char *archive;   /* -C, $DECLASS_ARCHIVE, or ./archive */
	int tty;               /* stdout is a terminal */
	int color;             /* stdout is a terminal and NO_COLOR is unset */
	int progress;          /* stderr is a terminal */
	declass_limits limits; /* set by the command's --max-* options;
	                          cmd_open() gives them to the archive */
} cmd_ctx;

typedef struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, cmd_ctx *ctx);
	const char *summary;
	const char *usage; /* full --help text, with an example */
} cmd;

/* One per subcommand file; table.c lists them in the command table. */
extern const cmd cmd_def_init, cmd_def_ingest, cmd_def_releases, cmd_def_log, cmd_def_show,
        cmd_def_diff, cmd_def_blame, cmd_def_grep, cmd_def_changes, cmd_def_verify, cmd_def_report,
        cmd_def_export, cmd_def_completion, cmd_def_reextract;
extern const cmd cmd_def_push, cmd_def_pull, cmd_def_clone;

/* Every command, NULL-terminated, in the order `declass --help` lists (table.c). */
extern const cmd *const cmd_table[];

/* The table entry for a name, or NULL. */
const cmd *cmd_lookup(const char *name);

/* The most --trust keys a command takes. */
#define CMD_MAX_TRUST 64

/*
 * --trust KEY.pub of command `name`: load it into keys[*n] (keys holds
 * CMD_MAX_TRUST).  0, or the exit code to return (the message printed).
 */
int cmd_trust_key(declass_key **keys, size_t *n, const char *name, const char *path);

/* --ocr auto|always|never: 0, or -1 for anything else. */
int cmd_ocr_mode(declass_ocr_mode *out, const char *arg);

/* Print `c`'s usage to stdout and return EXIT_OK (for --help). */
int cmd_help(const cmd *c);

/* Print "declass CMD: message" and a hint to stderr; return EXIT_USAGE. */
int cmd_usage_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report the library's last error and map its code to an exit code. */
int cmd_fail(int code);

/* Open ctx->archive (flags: DECLASS_OPEN_WRITE) with ctx->limits; on
 * failure print and return the exit code (non-zero), else 0. */
int cmd_open(declass_archive **out, cmd_ctx *ctx, unsigned flags);

/*
 * The limits on one input (declass/limits.h, docs/RELIABILITY.md
 * "Limits") as options: --max-text SIZE for every command that reads or
 * writes texts, and for ingest and reextract the PDF limits.  Ids
 * 0x200-0x204.  SIZE takes K, M or G (powers of 1024); `none` lifts a
 * limit.
 */
#define CMD_LIMIT_TEXT_OPTION                              \
	{                                                  \
		"max-text", required_argument, NULL, 0x200 \
	}
#define CMD_LIMIT_PDF_OPTIONS                                           \
	{ "max-pages", required_argument, NULL, 0x201 },                \
	        { "max-page-seconds", required_argument, NULL, 0x202 }, \
	        { "max-pdf-seconds", required_argument, NULL, 0x203 },  \
	{                                                               \
		"max-pdf-content", required_argument, NULL, 0x204       \
	}
#define CMD_LIMIT_TEXT_HELP                                                             \
	"  --max-text SIZE    the limit on one record's text (default 32M): a longer\n" \
	"                     text is refused\n"
#define CMD_LIMIT_PDF_HELP                                                               \
	"  --max-pages N      read at most N pages of a PDF (default 5000)\n"            \
	"  --max-page-seconds S\n"                                                       \
	"                     stop the OCR of a page after S seconds (default 300)\n"    \
	"  --max-pdf-seconds S\n"                                                        \
	"                     stop reading a PDF after S seconds (default 14400)\n"      \
	"  --max-pdf-content SIZE\n"                                                     \
	"                     do not read a PDF whose streams decode to more than\n"     \
	"                     SIZE, images aside (default 256M)\n"                       \
	"                     A PDF over a limit is archived with the text read until\n" \
	"                     then, marked incomplete in meta.json, and a warning;\n"    \
	"                     `declass reextract` with the limit raised reads it again.\n"

/*
 * Handle a limit option for command `name` into *l: 1 if it was one, 0 if
 * not, or a negative exit code (negated) on a bad value.
 */
int cmd_limit_option(declass_limits *l, const char *name, int opt, const char *arg);

/*
 * A reader that goes through many records (grep, changes) passes by one
 * whose text is over the limit: for DECLASS_ELIMIT, print a warning naming
 * it and return 0; any other code is returned as it is.
 */
int cmd_skip_over_limit(int error);

/*
 * Write doc (adds "schema") as one JSON document on stdout, sorted keys,
 * and steal the reference.  Returns the exit code (EXIT_ARCHIVE if stdout
 * could not be written).
 */
int cmd_json_out(json_t *doc);

/* fflush(stdout) and turn a write error into EXIT_ARCHIVE. */
int cmd_finish(int code);

/*
 * Text from archives, manifests and mirrors on its way to people
 * (declass_display_escape()): controls, C1 controls and bidi overrides as
 * \x1b, \u009b, \u202e.  JSON and CSV output do not use these.
 *
 * cmd_tty(s): s on one line, for a printf argument: s itself when nothing
 * needs escaping, else an escaped copy that stays valid for the next
 * CMD_TTY_SLOTS - 1 calls (one printf's worth) and until cmd_tty_free().
 * NULL gives NULL.
 */
#define CMD_TTY_SLOTS 16
const char *cmd_tty(const char *s);
void cmd_tty_free(void);

/* Write a document's text s[0..len) to f escaped, keeping its lines, tabs
 * and page breaks. */
void cmd_put_text(FILE *f, const char *s, size_t len);

/* Colour escape for `what` ("bold", "green", "red", "dim", "reset") when
 * ctx->color, else "". */
const char *cmd_color(const cmd_ctx *ctx, const char *what);

/*
 * Split "RECORD@RELEASE" in place: *release points after the '@' (NULL if
 * there is none).  Returns the record.
 */
char *cmd_split_at(char *arg, char **release);

/*
 * Options of the text engine shared by diff, blame, grep, changes and
 * report: --tolerance X, --min-words N, --markers FILE, --patience,
 * --min-confidence X, and the limit --max-text SIZE (cmd_limit_option()).
 * The long options to add to a command's table (ids 0x100-0x104, 0x200).
 */
#define CMD_TEXT_OPTIONS                                         \
	{ "tolerance", required_argument, NULL, 0x100 },         \
	        { "min-words", required_argument, NULL, 0x101 }, \
	        { "markers", required_argument, NULL, 0x102 },   \
	        { "patience", no_argument, NULL, 0x103 },        \
	        { "min-confidence", required_argument, NULL, 0x104 }, CMD_LIMIT_TEXT_OPTION
#define CMD_TEXT_OPTIONS_HELP                                                             \
	"  --tolerance X      OCR tolerance: words this close (edit distance / length)\n" \
	"                     are the same word (default 0.34; 0 = exact)\n"              \
	"  --min-words N      content words a span needs to count as released or\n"       \
	"                     withheld (default 1)\n"                                     \
	"  --min-confidence X evidence a span needs to count as released or withheld\n"   \
	"                     (0 to 1, default 0.6; weaker ones are uncertain)\n"         \
	"  --markers FILE     extra redaction-marker and boilerplate patterns\n"          \
	"                     (docs/DIFF.md)\n"                                           \
	"  --patience         patience diff instead of Myers\n"                           \
	"  --max-text SIZE    the limit on one record's text (default 32M; K, M, G;\n"    \
	"                     none): a longer one is not read\n"

typedef struct cmd_text {
	declass_text_opts opts;
	declass_markers *markers;
	const char *markers_path;
} cmd_text;

#define CMD_TEXT_INIT                              \
	{                                          \
		DECLASS_TEXT_OPTS_INIT, NULL, NULL \
	}

/*
 * Handle a text option for `name`; 1 if it was one, 0 if not, or a
 * negative exit code (negated) on a bad value.
 */
int cmd_text_option(cmd_text *t, const char *name, int opt, const char *arg);

/* Load the marker file, if any; 0 or an exit code. */
int cmd_text_ready(cmd_text *t);

/*
 * Give the text options the archive's lexicon (counting its vocabulary
 * first if the archive moved, with progress on a terminal; a note if no
 * English word list is installed).  0 or a library error (cmd_fail()).
 */
int cmd_text_lexicon(cmd_text *t, declass_archive *a, const cmd_ctx *ctx);
void cmd_text_free(cmd_text *t);

/* Human-readable byte count ("91.2 MB"); returns buf. */
const char *cmd_bytes(char buf[32], uint64_t n);

/*
 * A progress line on stderr: label, bar, counts, rate and ETA, redrawn at
 * most ten times a second, and only when ctx->progress (stderr is a
 * terminal).  The bar follows bytes when bytes_total is known, else items;
 * with neither total it shows the label alone.  cmd_progress_end() clears
 * the line.
 */
typedef struct cmd_progress {
	int on;
	double start, last; /* seconds, monotonic */
	const char *label;  /* last label drawn */
} cmd_progress;

void cmd_progress_start(cmd_progress *p, const cmd_ctx *ctx);
void cmd_progress_show(cmd_progress *p, const char *label, uint64_t done, uint64_t total,
                       uint64_t bytes_done, uint64_t bytes_total);
void cmd_progress_end(cmd_progress *p);

/* The man page (roff) built from the same text as --help: `declass help --man`. */
int cmd_man(FILE *out);

/* declass verify --bag DIR (in cmd/export.c): validate a BagIt bag; the exit code. */
int cmd_verify_bag(cmd_ctx *ctx, const char *dir, int json, int quiet);

/*
 * declass pull and declass clone (cmd/pull.c): options, progress, the
 * problems found and the report; `clone` takes URL DIR.  The exit code.
 */
int cmd_pull_common(const cmd *c, int argc, char **argv, cmd_ctx *ctx, int clone);

/* What `declass --help` prints (table.c). */
void cmd_main_usage(FILE *out);

#endif
