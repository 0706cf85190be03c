/* declass export: a release as a BagIt bag (RFC 8493), for repositories and preservation. */
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "declass/bag.h"

static void show_progress(void *vctx, const declass_bag_progress *p)
{
	cmd_progress_show(vctx, "exporting files", p->files_done, p->files_total, p->bytes_done,
	                  p->bytes_total);
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "bag", required_argument, NULL, 'b' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	declass_bag_opts o = DECLASS_BAG_OPTS_INIT;
	declass_bag_result res;
	declass_archive *a = NULL;
	const char *dir = NULL, *release;
	cmd_progress bar;
	int opt, json = 0, error;
	char bytes[32];

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			dir = optarg;
			break;
		case 'a':
			o.all = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_help(&cmd_def_export);
		default:
			return cmd_usage_error("export", "unknown option");
		}
	}
	if (!dir)
		return cmd_usage_error("export", "--bag DIR is required");
	if (optind + 1 != argc)
		return cmd_usage_error("export", "give one RELEASE");
	release = argv[optind];
	if ((error = cmd_open(&a, ctx, 0)) != 0)
		return error;
	cmd_progress_start(&bar, ctx);
	if (bar.on) {
		o.progress = show_progress;
		o.progress_ctx = &bar;
	}
	error = declass_bag_export(&res, a, release, dir, &o);
	cmd_progress_end(&bar);
	declass_archive_free(a);
	if (error < 0)
		return cmd_fail(error);
	if (json)
		return cmd_json_out(
		        json_pack("{s:s, s:s, s:b, s:I, s:I, s:I}", "bag", dir, "release", release,
		                  "all", o.all, "records", (json_int_t)res.records, "files",
		                  (json_int_t)res.files, "bytes", (json_int_t)res.bytes));
	printf("%sbagged release %s%s in %s: %zu records, %zu files, %s (Payload-Oxum %llu.%zu)\n",
	       cmd_color(ctx, "bold"), release, cmd_color(ctx, "reset"), dir, res.records,
	       res.files, cmd_bytes(bytes, res.bytes), (unsigned long long)res.bytes, res.files);
	return EXIT_OK;
}

const cmd cmd_def_export = {
	"export",
	run,
	"a release as a BagIt bag (RFC 8493)",
	"usage: declass [-C ARCHIVE] export --bag DIR [--all] [--json] RELEASE\n"
	"\n"
	"Write release RELEASE as a BagIt bag (RFC 8493) in the new folder DIR:\n"
	"data/ holds the release's manifest (data/releases/RELEASE.json) and the\n"
	"folder of every record it included, as it included it, in the archive's\n"
	"layout (data/records/104/10004/10143/: released files, text.txt,\n"
	"meta.json); beside it bagit.txt, manifest-sha256.txt, manifest-sha512.txt,\n"
	"tagmanifest-sha256.txt, tagmanifest-sha512.txt and bag-info.txt\n"
	"(Payload-Oxum, Bagging-Date, and the release's provenance: id, date,\n"
	"source, commit, manifest SHA-256, who ingested it and when).\n"
	"\n"
	"Files are streamed and each one's SHA-256 is checked against the\n"
	"release's manifest as it is written.  DIR appears only when the bag is\n"
	"complete.  Check a bag with 'declass verify --bag DIR' (or any BagIt\n"
	"validator).\n"
	"\n"
	"  --bag DIR   the bag to write; must not exist\n"
	"  --all       every record as of RELEASE, not only those it included\n"
	"  --json      {bag, release, all, records, files, bytes}\n"
	"\n"
	"Bagging-Date is today, or the date of $SOURCE_DATE_EPOCH when set.\n"
	"\n"
	"Example:\n"
	"  declass export --bag jfk-2021-12-15 2021-12-15\n"
	"  declass verify --bag jfk-2021-12-15\n",
};

static void show_verify_progress(void *vctx, const declass_bag_progress *p)
{
	cmd_progress_show(vctx, "verifying bag", p->files_done, p->files_total, p->bytes_done,
	                  p->bytes_total);
}

int cmd_verify_bag(cmd_ctx *ctx, const char *dir, int json, int quiet)
{
	declass_bag_opts o = DECLASS_BAG_OPTS_INIT;
	declass_bag_check *c = NULL;
	cmd_progress bar;
	size_t i;
	int error, code;
	char bytes[32];

	cmd_progress_start(&bar, ctx);
	if (bar.on && !quiet) {
		o.progress = show_verify_progress;
		o.progress_ctx = &bar;
	}
	error = declass_bag_verify(&c, dir, &o);
	cmd_progress_end(&bar);
	if (error < 0)
		return cmd_fail(error);
	code = c->nproblems ? EXIT_PROBLEMS : EXIT_OK;
	if (json) {
		json_t *problems = json_array();

		for (i = 0; i < c->nproblems; i++)
			json_array_append_new(problems,
			                      json_pack("{s:s, s:s}", "path", c->problems[i].path,
			                                "message", c->problems[i].message));
		if (cmd_json_out(json_pack("{s:s, s:s, s:b, s:I, s:I, s:s, s:o, s:I}", "mode",
		                           "bag", "bag", dir, "ok", !c->nproblems, "files",
		                           (json_int_t)c->files, "bytes", (json_int_t)c->bytes,
		                           "algorithms", c->algorithms, "problems", problems,
		                           "unfetched", (json_int_t)c->unfetched)) != EXIT_OK)
			code = EXIT_ARCHIVE;
	} else if (!quiet) {
		for (i = 0; i < c->nproblems; i++)
			printf("%s: %sFAIL%s %s\n", cmd_tty(c->problems[i].path),
			       cmd_color(ctx, "red"), cmd_color(ctx, "reset"),
			       cmd_tty(c->problems[i].message));
		printf("verify: bag '%s': %zu files, %s, %s checked", cmd_tty(dir), c->files,
		       cmd_bytes(bytes, c->bytes),
		       *c->algorithms ? cmd_tty(c->algorithms) : "nothing");
		if (c->unfetched)
			printf(": %sincomplete%s, %zu file%s of fetch.txt to fetch",
			       cmd_color(ctx, "red"), cmd_color(ctx, "reset"), c->unfetched,
			       c->unfetched == 1 ? "" : "s");
		if (c->nproblems)
			printf(": %s%zu problem%s%s\n", cmd_color(ctx, "red"), c->nproblems,
			       c->nproblems == 1 ? "" : "s", cmd_color(ctx, "reset"));
		else
			printf(": %sOK%s\n", cmd_color(ctx, "green"), cmd_color(ctx, "reset"));
	}
	declass_bag_check_free(c);
	return code;
}
