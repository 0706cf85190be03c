/*
 * The command table and the top-level usage: what main.c dispatches
 * through, and what the man page (man.c) and shell completion
 * (completion.c) are generated from.  Not a subcommand: it calls none,
 * and only lists their definitions, so main.c -> man.c -> table.c and
 * main.c -> table.c have no cycle.  completion.c, a subcommand, reads the
 * table it is listed in: a reference by data, not a call back.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

const cmd *const cmd_table[] = {
	&cmd_def_init,     &cmd_def_ingest,     &cmd_def_reextract,
	&cmd_def_releases, &cmd_def_log,        &cmd_def_show,
	&cmd_def_diff,     &cmd_def_blame,      &cmd_def_grep,
	&cmd_def_changes,  &cmd_def_verify,     &cmd_def_push,
	&cmd_def_pull,     &cmd_def_clone,      &cmd_def_report,
	&cmd_def_export,   &cmd_def_completion, NULL,
};

void cmd_main_usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: declass [-C ARCHIVE] COMMAND [ARGS...]\n"
	             "\n"
	             "An archive of documents released in tranches, as Git commits with\n"
	             "SHA-256 hashes and JSON metadata.\n"
	             "\n"
	             "Options:\n"
	             "  -C ARCHIVE     the archive (default: $DECLASS_ARCHIVE, else ./archive)\n"
	             "  -h, --help     this help; 'declass COMMAND --help' for a command\n"
	             "  -V, --version  versions of declass and its libraries\n"
	             "\n"
	             "Commands:\n");
	for (i = 0; cmd_table[i]; i++)
		fprintf(out, "  %-10s %s\n", cmd_table[i]->name, cmd_table[i]->summary);
	fprintf(out, "\n"
	             "Example:\n"
	             "  declass -C jfk.archive init\n"
	             "  declass -C jfk.archive ingest --release 2017-10-26 --date 2017-10-26 \\\n"
	             "      --manifest 2017.csv downloads/2017-10-26/\n"
	             "\n"
	             "Exit codes: 0 success, 1 a check found problems, 2 usage or bad input,\n"
	             "3 archive unusable or internal error.\n");
}

const cmd *cmd_lookup(const char *name)
{
	size_t i;

	for (i = 0; cmd_table[i]; i++)
		if (!strcmp(cmd_table[i]->name, name))
			return cmd_table[i];
	return NULL;
}
