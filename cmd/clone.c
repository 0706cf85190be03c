/*
 * declass clone: a new archive from a remote one: init, fetch, check,
 * verify (cmd_pull_common in cmd/pull.c), and the URL recorded as
 * "origin" for later pulls.
 */
#include "cmd.h"

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	return cmd_pull_common(&cmd_def_clone, argc, argv, ctx, 1);
}

const cmd cmd_def_clone = {
	"clone",
	run,
	"make a new archive from a remote one, verified",
	"usage: declass clone [--trust PUB.pem]... [--json] URL DIR\n"
	"\n"
	"Create a new archive in DIR (new or empty) holding every release of the\n"
	"declass archive at URL (a path, file://, ssh:// or https:// URL).  What\n"
	"arrives is verified whole, as 'declass verify' does (with --trust, every\n"
	"release must be signed by a trusted key), before clone reports success;\n"
	"if it fails, the problems are listed, DIR is left as it was, exit 1.\n"
	"A repository that is not a declass archive (no DECLASS.json at the tip\n"
	"of its main branch) is refused, exit 2.  URL is recorded as remote\n"
	"\"origin\": 'declass -C DIR pull' brings later releases.\n"
	"\n"
	"The archive is built beside DIR, in DIR.partial-PID-N, and renamed onto\n"
	"DIR at the end: a clone that is killed leaves DIR as it was (and that\n"
	"folder, to delete), never a half-made archive.\n"
	"\n"
	"Unlike 'git clone', the result is a declass archive (bare, with\n"
	"declass.formatVersion in its config) that declass can ingest into.\n"
	"\n"
	"  --trust PUB.pem  every release must be signed by this key (repeat for\n"
	"                   several); see docs/SIGNING.md\n"
	"  --json           print the result as JSON\n"
	"\n"
	"Example:\n"
	"  declass clone --trust nara-archivist.pub.pem \\\n"
	"      https://git.example.org/jfk/archive.git jfk.archive\n",
};
