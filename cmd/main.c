/*
 * The declass command: global options, the command table, dispatch.
 * Each subcommand lives in its own file (cmd/<name>.c).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

const cmd *const cmd_table[] = {
	&cmd_def_init,     &cmd_def_ingest,     &cmd_def_reextract,
	&cmd_def_releases, &cmd_def_log,        &cmd_def_show,
	&cmd_def_diff,     &cmd_def_blame,      &cmd_def_grep,
	&cmd_def_changes,  &cmd_def_verify,     &cmd_def_push,
	&cmd_def_pull,     &cmd_def_clone,      &cmd_def_report,
	&cmd_def_export,   &cmd_def_completion, NULL,
};

static void usage(FILE *out)
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

void cmd_main_usage(FILE *out)
{
	usage(out);
}

const cmd *cmd_lookup(const char *name)
{
	size_t i;

	for (i = 0; cmd_table[i]; i++)
		if (!strcmp(cmd_table[i]->name, name))
			return cmd_table[i];
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *no_color = getenv("NO_COLOR");
	cmd_ctx ctx = { 0 };
	const cmd *c;
	int opt;

	ctx.archive = getenv("DECLASS_ARCHIVE");
	if (!ctx.archive || !*ctx.archive)
		ctx.archive = "archive";
	ctx.color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
	ctx.progress = isatty(STDERR_FILENO);

	while ((opt = getopt_long(argc, argv, "+C:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'C':
			ctx.archive = optarg;
			break;
		case 'h':
			usage(stdout);
			return cmd_finish(EXIT_OK);
		case 'V':
			printf("declass %s\n%s", declass_version(), declass_version_libs());
			return cmd_finish(EXIT_OK);
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		if (optind + 1 >= argc) {
			usage(stdout);
			return cmd_finish(EXIT_OK);
		}
		if (!strcmp(argv[optind + 1], "--man"))
			return cmd_finish(cmd_man(stdout));
		if (!(c = cmd_lookup(argv[optind + 1])))
			return cmd_usage_error(argv[optind + 1], "no such command");
		return cmd_help(c);
	}
	if (!(c = cmd_lookup(argv[optind]))) {
		fprintf(stderr, "declass: '%s' is not a command; see 'declass --help'\n",
		        argv[optind]);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	optind = 0; /* reset getopt for the subcommand (glibc: 0 reinitialises) */
	return cmd_finish(c->fn(argc, argv, &ctx));
}
