/*
 * The declass command: global options and dispatch through the command
 * table (cmd/table.c).  Each subcommand lives in its own file
 * (cmd/<name>.c).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

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
	int opt, code;

	ctx.archive = getenv("DECLASS_ARCHIVE");
	if (!ctx.archive || !*ctx.archive)
		ctx.archive = "archive";
	ctx.tty = isatty(STDOUT_FILENO);
	ctx.color = ctx.tty && !(no_color && *no_color);
	ctx.progress = isatty(STDERR_FILENO);

	while ((opt = getopt_long(argc, argv, "+C:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'C':
			ctx.archive = optarg;
			break;
		case 'h':
			cmd_main_usage(stdout);
			return cmd_finish(EXIT_OK);
		case 'V':
			printf("declass %s\n%s", declass_version(), declass_version_libs());
			return cmd_finish(EXIT_OK);
		default:
			cmd_main_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cmd_main_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		if (optind + 1 >= argc) {
			cmd_main_usage(stdout);
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
	code = c->fn(argc, argv, &ctx);
	cmd_tty_free();
	return cmd_finish(code);
}
