/*
 * declass push: send the archive's branch and every release tag to a Git
 * remote, never forced.
 */
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "declass/remote.h"

static void on_progress(void *vctx, const declass_progress *p)
{
	cmd_progress_show(vctx, "sending objects", p->files_done, p->files_total, 0, 0);
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	declass_remote_opts ro = { 0 };
	declass_push_result r;
	declass_archive *a = NULL;
	cmd_progress bar;
	const char *remote = "origin";
	int opt, json = 0, error;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_help(&cmd_def_push);
		default:
			return cmd_usage_error("push", "unknown option");
		}
	}
	if (optind + 1 == argc)
		remote = argv[optind];
	else if (optind != argc)
		return cmd_usage_error("push", "give at most one remote");
	if ((error = cmd_open(&a, ctx, 0)) != 0)
		return error;
	cmd_progress_start(&bar, ctx);
	if (bar.on) {
		ro.progress = on_progress;
		ro.progress_ctx = &bar;
	}
	error = declass_push(&r, a, remote, &ro);
	cmd_progress_end(&bar);
	declass_archive_free(a);
	if (error < 0)
		return cmd_fail(error);
	if (json)
		return cmd_json_out(json_pack("{s:s, s:s, s:I}", "url", r.url, "tip", r.tip, "refs",
		                              (json_int_t)r.refs));
	printf("pushed main (%.12s) and %zu release tag%s to '%s'\n", r.tip, r.refs - 1,
	       r.refs == 2 ? "" : "s", r.url);
	return EXIT_OK;
}

const cmd cmd_def_push = {
	"push",
	run,
	"send the releases to a Git remote (a mirror)",
	"usage: declass [-C ARCHIVE] push [--json] [REMOTE]\n"
	"\n"
	"Send the archive's branch (refs/heads/main) and every release tag\n"
	"(refs/tags/release/ID) to REMOTE: a remote configured in the archive, by\n"
	"default \"origin\" (which clone records), or a path, file://, ssh:// or\n"
	"https:// URL.  REMOTE must exist: 'git init --bare' on a server, or an\n"
	"empty repository on a Git host (GitHub, GitLab, Gitea).\n"
	"\n"
	"Nothing is forced: if the remote's branch holds releases this archive\n"
	"lacks, or a release tag differs, the push is refused (exit 2) and the\n"
	"remote keeps what it had.  Signatures travel in the tags.  Credentials\n"
	"for ssh come from ssh-agent, for https from DECLASS_GIT_USERNAME and\n"
	"DECLASS_GIT_PASSWORD (docs/MIRROR.md).\n"
	"\n"
	"  --json   print the result as JSON\n"
	"\n"
	"Example:\n"
	"  git init --bare /srv/git/jfk.git\n"
	"  declass -C jfk.archive push /srv/git/jfk.git\n",
};
