/* declass releases: list the archive's tranches, oldest first. */
#include <getopt.h>

#include "cmd.h"

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	declass_release *list = NULL;
	declass_revision *rev = NULL;
	declass_archive *a = NULL;
	size_t n = 0, nrev = 0, i;
	int opt, json = 0, error;
	char bytes[32];

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_help(&cmd_def_releases);
		default:
			return cmd_usage_error("releases", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("releases", "takes no arguments");
	if ((error = cmd_open(&a, ctx, 0)) != 0)
		return error;
	if ((error = declass_archive_releases(&list, &n, a)) == 0)
		error = declass_archive_revisions(&rev, &nrev, a);
	declass_archive_free(a);
	if (error < 0) {
		declass_releases_free(list, n);
		return cmd_fail(error);
	}
	if (json) {
		json_t *doc = json_object(), *arr = json_array();

		for (i = 0; i < n; i++) {
			const declass_release *r = &list[i];

			json_array_append_new(
			        arr, json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:o, s:s?, s:s?, s:s?, "
			                       "s:I, s:I, s:I, s:s?, s:s}",
			                       "id", r->id, "date", r->date, "title", r->title,
			                       "source", r->source, "commit", r->commit, "tag",
			                       json_sprintf("release/%s", r->id), "ingested_at",
			                       r->ingested_at, "tool_version", r->tool_version,
			                       "manifest_sha256", r->manifest_sha256, "records",
			                       (json_int_t)r->records, "files",
			                       (json_int_t)r->files, "bytes", (json_int_t)r->bytes,
			                       "signed_by", r->signed_by, "signature",
			                       r->bad_signature ? "bad"
			                       : r->signed_by   ? "valid"
			                                        : "none"));
		}
		json_object_set_new(doc, "releases", arr);
		arr = json_array();
		for (i = 0; i < nrev; i++) {
			const declass_revision *r = &rev[i];

			json_array_append_new(
			        arr,
			        json_pack("{s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:s?, s:I, s:I}",
			                  "commit", r->commit, "after", r->after, "at", r->at, "by",
			                  r->by, "scope", r->scope, "extractor", r->extractor,
			                  "tool_version", r->tool_version, "records",
			                  (json_int_t)r->records, "files", (json_int_t)r->files));
		}
		json_object_set_new(doc, "text_revisions", arr);
		declass_releases_free(list, n);
		declass_revisions_free(rev, nrev);
		return cmd_json_out(doc);
	}
	if (n == 0)
		printf("no releases yet; add one with 'declass ingest'\n");
	for (i = 0; i < n; i++) {
		const declass_release *r = &list[i];

		printf("%s%-12s%s %s  %6zu records %7zu files %10s  %.12s  %s",
		       cmd_color(ctx, "bold"), cmd_tty(r->id), cmd_color(ctx, "reset"),
		       cmd_tty(r->date), r->records, r->files, cmd_bytes(bytes, r->bytes),
		       r->commit, r->title ? cmd_tty(r->title) : "");
		/* Unsigned releases print as they always did. */
		if (r->bad_signature)
			printf("  %sBAD SIGNATURE%s", cmd_color(ctx, "red"),
			       cmd_color(ctx, "reset"));
		else if (r->signed_by)
			printf("  signed by %.16s", cmd_tty(r->signed_by));
		printf("\n");
	}
	/* Text revisions are no releases; they are listed apart. */
	for (i = 0; i < nrev; i++)
		printf("%stext revision%s after %s, %.10s: %zu records re-extracted  %.12s  %s\n",
		       cmd_color(ctx, "dim"), cmd_color(ctx, "reset"),
		       rev[i].after ? cmd_tty(rev[i].after) : "?", cmd_tty(rev[i].at),
		       rev[i].records, rev[i].commit,
		       rev[i].extractor ? cmd_tty(rev[i].extractor) : "");
	declass_releases_free(list, n);
	declass_revisions_free(rev, nrev);
	return EXIT_OK;
}

const cmd cmd_def_releases = {
	"releases",
	run,
	"list the releases in the archive",
	"usage: declass [-C ARCHIVE] releases [--json]\n"
	"\n"
	"List the archive's releases, oldest first: id, date, records and\n"
	"files in the tranche, their total size, commit and title, and for a\n"
	"signed release the fingerprint of the key that signed it (the first 16\n"
	"hex digits; --json has all 64).  A signature is only checked to be valid\n"
	"here; 'declass verify --trust KEY.pub' says whether the key is trusted.\n"
	"Text revisions ('declass reextract') are no releases: they are listed\n"
	"after them, with the release each follows and the extractor it used.\n"
	"\n"
	"Example:\n"
	"  declass -C jfk.archive releases --json\n",
};
