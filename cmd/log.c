/* declass log: a record's versions, oldest first. */
#include <getopt.h>

#include "cmd.h"
#include "declass/history.h"

static json_t *version_json(const declass_record_version *v)
{
	json_t *files = json_array();
	size_t i;

	for (i = 0; i < v->nfiles; i++)
		json_array_append_new(files, json_pack("{s:s, s:s, s:I}", "name", v->files[i].name,
		                                       "sha256", v->files[i].sha256, "size",
		                                       (json_int_t)v->files[i].size));
	return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:b, s:s?, s:I, s:s?, "
	                 "s:s?}",
	                 "release", v->release, "date", v->date, "commit", v->commit,
	                 "release_type", v->release_type, "pages", v->pages, "agency", v->agency,
	                 "title", v->title, "files", files, "text", v->has_text, "text_from",
	                 v->text_extractor, "text_revisions", (json_int_t)v->text_revisions,
	                 "text_commit", v->text_commit, "text_revised_at", v->text_revised_at);
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	declass_record_version *v = NULL;
	declass_archive *a = NULL;
	size_t n = 0, i, k;
	int opt, json = 0, error;
	char size[32];

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_help(&cmd_def_log);
		default:
			return cmd_usage_error("log", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error("log", "give one record number");
	if ((error = cmd_open(&a, ctx, 0)) != 0)
		return error;
	error = declass_record_log(&v, &n, a, argv[optind]);
	declass_archive_free(a);
	if (error < 0)
		return cmd_fail(error);
	if (json) {
		json_t *list = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(list, version_json(&v[i]));
		declass_versions_free(v, n);
		return cmd_json_out(
		        json_pack("{s:s, s:o}", "record", argv[optind], "versions", list));
	}
	printf("%s%s%s  %s\n", cmd_color(ctx, "bold"), cmd_tty(argv[optind]),
	       cmd_color(ctx, "reset"), n && v[n - 1].title ? cmd_tty(v[n - 1].title) : "");
	for (i = 0; i < n; i++) {
		printf("%s%-12s%s %s  %-9s %3s pages  commit %.12s%s\n", cmd_color(ctx, "yellow"),
		       cmd_tty(v[i].release), cmd_color(ctx, "reset"), cmd_tty(v[i].date),
		       v[i].release_type ? cmd_tty(v[i].release_type) : "-",
		       v[i].pages ? cmd_tty(v[i].pages) : "?", v[i].commit,
		       v[i].has_text ? "" : "  (no text)");
		for (k = 0; k < v[i].nfiles; k++)
			printf("    %-40s %10s  sha256 %s\n", cmd_tty(v[i].files[k].name),
			       cmd_bytes(size, v[i].files[k].size), cmd_tty(v[i].files[k].sha256));
		if (v[i].has_text && v[i].text_extractor)
			printf("    %stext: %s%s\n", cmd_color(ctx, "dim"),
			       cmd_tty(v[i].text_extractor), cmd_color(ctx, "reset"));
		if (v[i].text_commit)
			printf("    %stext re-extracted %.10s (text revision, commit %.12s)%s\n",
			       cmd_color(ctx, "dim"), cmd_tty(v[i].text_revised_at),
			       v[i].text_commit, cmd_color(ctx, "reset"));
	}
	declass_versions_free(v, n);
	return EXIT_OK;
}

const cmd cmd_def_log = {
	"log",
	run,
	"a record's versions, oldest first",
	"usage: declass [-C ARCHIVE] log [--json] RECORD\n"
	"\n"
	"The releases that included RECORD, oldest first: release id and date,\n"
	"release type from the manifest (\"In Part\", \"Redact\"...), pages, commit,\n"
	"each released file with its size and SHA-256, and where the text came\n"
	"from (the extractor, NAME.txt as \"sidecar\", a third party).  A version\n"
	"whose text was re-extracted (declass reextract) says when.\n"
	"\n"
	"Example:\n"
	"  declass log 104-10004-10143\n",
};
