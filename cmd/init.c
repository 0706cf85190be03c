/* declass init: create an empty archive. */
#include <getopt.h>

#include "cmd.h"

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, error;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt == 'h')
			return cmd_help(&cmd_def_init);
		return cmd_usage_error("init", "unknown option");
	}
	if (optind != argc)
		return cmd_usage_error("init", "takes no arguments (the archive is -C ARCHIVE)");
	if ((error = declass_archive_init(ctx->archive)) < 0)
		return cmd_fail(error);
	printf("Created empty declass archive in %s\n", ctx->archive);
	return EXIT_OK;
}

const cmd cmd_def_init = {
	"init",
	run,
	"create an empty archive",
	"usage: declass [-C ARCHIVE] init\n"
	"\n"
	"Create an empty archive: a bare Git repository marked as a declass\n"
	"archive (format version in its config).  ARCHIVE must not exist or be\n"
	"an empty directory.\n"
	"\n"
	"Example:\n"
	"  declass -C jfk.archive init\n",
};
