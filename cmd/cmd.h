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
#include "declass/declass.h"

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
	const char *archive; /* -C, $DECLASS_ARCHIVE, or ./archive */
	int color;           /* stdout is a terminal and NO_COLOR is unset */
	int progress;        /* stderr is a terminal */
} cmd_ctx;

typedef struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv, cmd_ctx *ctx);
	const char *summary;
	const char *usage; /* full --help text, with an example */
} cmd;

/* One per subcommand file; main.c lists them in its table. */
extern const cmd cmd_def_init, cmd_def_ingest, cmd_def_releases;

/* Every command, NULL-terminated, in the order `declass --help` lists. */
extern const cmd *const cmd_table[];

/* The table entry for a name, or NULL. */
const cmd *cmd_lookup(const char *name);

/* Print `c`'s usage to stdout and return EXIT_OK (for --help). */
int cmd_help(const cmd *c);

/* Print "declass CMD: message" and a hint to stderr; return EXIT_USAGE. */
int cmd_usage_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Report the library's last error and map its code to an exit code. */
int cmd_fail(int code);

/* Open ctx->archive (flags: DECLASS_OPEN_WRITE); on failure print and
 * return the exit code (non-zero), else 0. */
int cmd_open(declass_archive **out, cmd_ctx *ctx, unsigned flags);

/*
 * Write doc (adds "schema") as one JSON document on stdout, sorted keys,
 * and steal the reference.  Returns the exit code (EXIT_ARCHIVE if stdout
 * could not be written).
 */
int cmd_json_out(json_t *doc);

/* fflush(stdout) and turn a write error into EXIT_ARCHIVE. */
int cmd_finish(int code);

/* Colour escape for `what` ("bold", "green", "red", "dim", "reset") when
 * ctx->color, else "". */
const char *cmd_color(const cmd_ctx *ctx, const char *what);

/* Human-readable byte count ("91.2 MB"); returns buf. */
const char *cmd_bytes(char buf[32], uint64_t n);

#endif
