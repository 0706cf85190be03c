/*
 * declass pull: bring new releases from a remote, fast-forward only, and
 * only if the result verifies.  Also the part of `declass clone` that is
 * the same (cmd_pull_common): options, progress, problems, the report.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "declass/remote.h"
#include "declass/sign.h"

typedef struct pull_out {
	cmd_ctx *ctx;
	const char *name; /* "pull" or "clone" */
	int json;
	json_t *problems; /* --json: every problem */
	cmd_progress bar;
} pull_out;

static void on_progress(void *vctx, const declass_progress *p)
{
	pull_out *o = vctx;

	if (!strcmp(p->phase, "fetch"))
		cmd_progress_show(&o->bar, "receiving objects", p->files_done, p->files_total, 0,
		                  0);
	else if (!strcmp(p->phase, "walk"))
		cmd_progress_show(&o->bar, "verifying: reading history and trees", p->files_done, 0,
		                  0, 0);
	else
		cmd_progress_show(&o->bar, "verifying: hashing files", p->files_done,
		                  p->files_total, p->bytes_done, p->bytes_total);
}

/* As `declass verify` prints it: RELEASE/RECORD-OR-PATH: FAIL message. */
static void on_problem(void *vctx, const declass_verify_problem *p)
{
	pull_out *o = vctx;
	const char *what = p->path ? p->path : p->record;

	if (o->json) {
		json_array_append_new(o->problems,
		                      json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:s}", "kind",
		                                declass_verify_kind_name(p->kind), "release",
		                                p->release, "record", p->record, "path", p->path,
		                                "object", p->object, "message", p->message));
		return;
	}
	cmd_progress_end(&o->bar);
	printf("%s%s%s: %sFAIL%s %s\n", p->release ? cmd_tty(p->release) : "",
	       p->release && what ? "/" : "",
	       what         ? cmd_tty(what)
	       : p->release ? ""
	                    : "archive",
	       cmd_color(o->ctx, "red"), cmd_color(o->ctx, "reset"), cmd_tty(p->message));
}

static int report_json(pull_out *o, const declass_pull_result *r)
{
	json_t *ids = json_array();
	size_t i;

	for (i = 0; i < r->nreleases; i++)
		json_array_append_new(ids, json_string(r->releases[i]));
	return cmd_json_out(json_pack(
	        "{s:s, s:s?, s:s?, s:o, s:b, s:b, s:b, s:I, s:I, s:{s:b, s:I, s:I, s:I, s:o}}",
	        "url", r->url, "from", r->from[0] ? r->from : NULL, "to", r->to[0] ? r->to : NULL,
	        "releases", ids, "up_to_date", r->up_to_date, "remote_behind", r->remote_behind,
	        "refused", r->refused, "tags_added", (json_int_t)r->tags_added, "tags_kept",
	        (json_int_t)r->tags_kept, "verify", "ok", !r->counts.problems, "releases",
	        (json_int_t)r->counts.releases, "signed", (json_int_t)r->counts.signed_ok,
	        "problems", (json_int_t)r->counts.problems, "problem_list", o->problems));
}

static void report_text(pull_out *o, const declass_pull_result *r, const char *dir, size_t ntrust)
{
	size_t i;

	if (r->remote_behind) {
		printf("'%s' lacks releases this archive has: nothing to pull ('declass push' "
		       "sends "
		       "them)\n",
		       cmd_tty(r->url));
		return;
	}
	if (r->up_to_date) {
		printf("already up to date with '%s' (main %.12s)\n", cmd_tty(r->url), r->to);
		return;
	}
	if (dir)
		printf("%scloned%s '%s' into %s: %zu release%s", cmd_color(o->ctx, "bold"),
		       cmd_color(o->ctx, "reset"), cmd_tty(r->url), cmd_tty(dir), r->nreleases,
		       r->nreleases == 1 ? "" : "s");
	else
		printf("%spulled%s %zu release%s from '%s'", cmd_color(o->ctx, "bold"),
		       cmd_color(o->ctx, "reset"), r->nreleases, r->nreleases == 1 ? "" : "s",
		       cmd_tty(r->url));
	for (i = 0; i < r->nreleases; i++)
		printf("%s%s", i ? ", " : ": ", cmd_tty(r->releases[i]));
	if (r->from[0])
		printf(" (main %.12s..%.12s)", r->from, r->to);
	else
		printf(" (main %.12s)", r->to);
	printf("\nverified: %zu release%s, %zu objects, %zu distinct files", r->counts.releases,
	       r->counts.releases == 1 ? "" : "s", r->counts.objects, r->counts.blobs);
	if (ntrust)
		printf(", %zu signed by a trusted key", r->counts.signed_ok);
	printf(": %sOK%s\n", cmd_color(o->ctx, "green"), cmd_color(o->ctx, "reset"));
	if (r->tags_kept)
		fprintf(stderr,
		        "declass: note: %zu release tag%s of the remote differ from this "
		        "archive's but name the same commits; this archive's were kept\n",
		        r->tags_kept, r->tags_kept == 1 ? "" : "s");
}

int cmd_pull_common(const cmd *c, int argc, char **argv, cmd_ctx *ctx, int clone)
{
	static const struct option opts[] = {
		{ "trust", required_argument, NULL, 'T' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	declass_key *keys[CMD_MAX_TRUST];
	declass_verify_opts vo = { 0 };
	declass_remote_opts ro = { 0 };
	declass_pull_result r = { 0 };
	declass_archive *a = NULL;
	pull_out o = { 0 };
	const char *remote = "origin", *dir = NULL;
	size_t nkeys = 0, i;
	int opt, code, error;

	o.ctx = ctx;
	o.name = c->name;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'T':
			if ((code = cmd_trust_key(keys, &nkeys, c->name, optarg)) != 0)
				goto done;
			break;
		case 'j':
			o.json = 1;
			break;
		case 'h':
			code = cmd_help(c);
			goto done;
		default:
			code = cmd_usage_error(c->name, "unknown option");
			goto done;
		}
	}
	if (clone) {
		if (optind + 2 != argc) {
			code = cmd_usage_error(
			        c->name, "give the URL (or path) and the new archive's folder");
			goto done;
		}
		remote = argv[optind];
		dir = argv[optind + 1];
	} else if (optind + 1 == argc) {
		remote = argv[optind];
	} else if (optind != argc) {
		code = cmd_usage_error(c->name, "give at most one remote");
		goto done;
	}
	if (o.json && !(o.problems = json_array())) {
		code = cmd_fail(DECLASS_ENOMEM);
		goto done;
	}
	vo.problem = on_problem;
	vo.problem_ctx = &o;
	vo.trust = (const declass_key *const *)keys;
	vo.ntrust = nkeys;
	ro.verify = &vo;
	cmd_progress_start(&o.bar, ctx);
	if (o.bar.on) {
		ro.progress = vo.progress = on_progress;
		ro.progress_ctx = vo.progress_ctx = &o;
	}
	if (clone) {
		error = declass_clone(&r, remote, dir, &ro);
	} else {
		if ((code = cmd_open(&a, ctx, DECLASS_OPEN_WRITE)) != 0)
			goto done;
		error = declass_pull(&r, a, remote, &ro);
		declass_archive_free(a);
	}
	cmd_progress_end(&o.bar);
	if (error < 0) {
		code = cmd_fail(error);
		goto done;
	}
	if (r.refused) {
		fprintf(stderr,
		        "declass: %s refused: what '%s' holds fails verification (%zu "
		        "problem%s%s); %s\n",
		        c->name, cmd_tty(r.url), r.counts.problems,
		        r.counts.problems == 1 ? "" : "s", o.json ? "" : " above",
		        clone ? "nothing was created" : "the archive is unchanged");
	}
	if (o.json) {
		code = report_json(&o, &r);
		o.problems = NULL;
	} else {
		if (!r.refused)
			report_text(&o, &r, dir, nkeys);
		code = EXIT_OK;
	}
	if (code == EXIT_OK && r.refused)
		code = EXIT_PROBLEMS;
done:
	json_decref(o.problems);
	declass_pull_result_free(&r);
	for (i = 0; i < nkeys; i++)
		declass_key_free(keys[i]);
	return code;
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	return cmd_pull_common(&cmd_def_pull, argc, argv, ctx, 0);
}

const cmd cmd_def_pull = {
	"pull",
	run,
	"bring new releases from a mirror or the original (fast-forward only)",
	"usage: declass [-C ARCHIVE] pull [--trust PUB.pem]... [--json] [REMOTE]\n"
	"\n"
	"Fetch the releases REMOTE has and this archive lacks (REMOTE: a remote\n"
	"configured in the archive, by default \"origin\", which clone records; or\n"
	"a path, file://, ssh:// or https:// URL).  Fast-forward only:\n"
	"\n"
	"  - every release this archive has must be on the remote as the same\n"
	"    commit, and its tag must name that commit; a remote that rewrote a\n"
	"    release is refused, naming the release (exit 2);\n"
	"  - what arrives waits in a quarantine; the archive as it would be is\n"
	"    verified whole (as 'declass verify' does, with --trust if given),\n"
	"    and only then do the branch and the new release tags move.  If\n"
	"    verification finds problems they are listed, nothing changes, exit 1.\n"
	"\n"
	"A remote that lacks releases this archive has is not an error: nothing\n"
	"is pulled ('declass push' sends them).  Credentials for ssh come from\n"
	"ssh-agent, for https from DECLASS_GIT_USERNAME and DECLASS_GIT_PASSWORD\n"
	"(docs/MIRROR.md).\n"
	"\n"
	"  --trust PUB.pem  every release must be signed by this key (repeat for\n"
	"                   several); see docs/SIGNING.md\n"
	"  --json           print the result as JSON\n"
	"\n"
	"Example:\n"
	"  declass -C jfk.archive pull --trust nara-archivist.pub.pem origin\n",
};
