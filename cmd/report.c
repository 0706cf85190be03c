/* declass report: HTML pages of a record or a release, for people who would rather look. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "declass/output.h"
#include "declass/report.h"

static void dir_progress(void *vctx, size_t done, size_t total)
{
	cmd_progress_show(vctx, "writing pages", done, total, 0, 0);
}

/* Is `path` meant as a folder: ends in '/' or is an existing one? */
static int is_dir_arg(const char *path)
{
	struct stat st;
	size_t len = strlen(path);

	return (len && path[len - 1] == '/') || (stat(path, &st) == 0 && S_ISDIR(st.st_mode));
}

/*
 * Write one page to `path` ("-": stdout) as a named output
 * (declass/output.h): a file is replaced only once the page is whole.
 * 0, or a library error.
 */
static int write_page(declass_archive *a, const char *path, const char *record, const char *release,
                      const declass_report_opts *o)
{
	declass_output *out = NULL;
	FILE *f;
	int error;

	if (!strcmp(path, "-"))
		return record ? declass_report_record(a, record, o, stdout)
		              : declass_report_release(a, release, o, stdout);
	if ((error = declass_output_open(&out, path)) < 0)
		return error;
	if (!(f = declass_output_stream(out))) {
		declass_output_abort(out);
		return DECLASS_ENOMEM;
	}
	error = record ? declass_report_record(a, record, o, f)
	               : declass_report_release(a, release, o, f);
	if (error < 0) {
		declass_output_abort(out);
		return error;
	}
	return declass_output_commit(out);
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "release", required_argument, NULL, 'r' },
		{ "top", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		CMD_TEXT_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	declass_report_opts o = DECLASS_REPORT_OPTS_INIT;
	cmd_text text = CMD_TEXT_INIT;
	declass_archive *a = NULL;
	const char *output = NULL, *release = NULL, *record = NULL;
	char *path = NULL, *name = NULL, *end;
	cmd_progress bar;
	int opt, error, code = EXIT_OK;

	while ((opt = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		if ((error = cmd_limit_option(&ctx->limits, "report", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		if ((error = cmd_text_option(&text, "report", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'r':
			release = optarg;
			break;
		case 'n':
			o.top = strtoul(optarg, &end, 10);
			if (*end || end == optarg || !o.top)
				return cmd_usage_error("report", "--top wants a count, not '%s'",
				                       optarg);
			break;
		case 'h':
			return cmd_help(&cmd_def_report);
		default:
			return cmd_usage_error("report", "unknown option");
		}
	}
	if (!output)
		return cmd_usage_error("report",
		                       "--output FILE.html (or DIR/, or - for stdout) is required");
	if (release && optind != argc)
		return cmd_usage_error("report", "give a RECORD or --release ID, not both");
	if (!release && optind + 1 != argc)
		return cmd_usage_error("report", "give one RECORD, or --release ID");
	if (!release)
		record = argv[optind];
	if ((code = cmd_text_ready(&text)) != 0)
		return code;
	o.text = &text.opts;
	if ((code = cmd_open(&a, ctx, 0)) != 0)
		goto done;
	if (release && is_dir_arg(output)) {
		cmd_progress_start(&bar, ctx);
		error = declass_report_dir(a, release, output, &o, bar.on ? dir_progress : NULL,
		                           &bar);
		cmd_progress_end(&bar);
		if (error < 0) {
			code = cmd_fail(error);
			goto done;
		}
		printf("wrote %s%srelease-%s.html and its record pages in %s%srecords/\n", output,
		       output[strlen(output) - 1] == '/' ? "" : "/", release, output,
		       output[strlen(output) - 1] == '/' ? "" : "/");
		goto done;
	}
	if (record && is_dir_arg(output)) {
		if (mkdir(output, 0777) < 0 && errno != EEXIST) {
			fprintf(stderr, "declass: cannot create folder '%s': %s\n", output,
			        strerror(errno));
			code = EXIT_ARCHIVE;
			goto done;
		}
		if ((error = declass_report_file_name(&name, record)) < 0 ||
		    !(path = malloc(strlen(output) + strlen(name) + 2))) {
			code = cmd_fail(error < 0 ? error : DECLASS_ENOMEM);
			goto done;
		}
		sprintf(path, "%s%s%s", output, output[strlen(output) - 1] == '/' ? "" : "/", name);
		output = path;
	}
	if ((error = write_page(a, output, record, release, &o)) < 0) {
		code = cmd_fail(error);
		goto done;
	}
	if (strcmp(output, "-"))
		printf("wrote %s\n", output);
done:
	free(path);
	free(name);
	declass_archive_free(a);
	cmd_text_free(&text);
	return code;
}

const cmd cmd_def_report = {
	"report",
	run,
	"an HTML page of a record or of a release",
	"usage: declass [-C ARCHIVE] report [text options] RECORD --output FILE.html|DIR/|-\n"
	"       declass [-C ARCHIVE] report [--top N] [text options] --release ID\n"
	"                 --output FILE.html|DIR/|-\n"
	"\n"
	"One self-contained HTML page (inline CSS, no scripts, nothing fetched from\n"
	"a network) to open in a browser, print or mail.\n"
	"\n"
	"A record's page: its metadata, its releases with their release types and\n"
	"files, the text of its newest version with each passage coloured by the\n"
	"release that first made it public, and what each release changed, with\n"
	"the released words highlighted.\n"
	"\n"
	"A release's page: how many records it added or changed, the words it\n"
	"released per agency, and the records with the most newly released text.\n"
	"With --output DIR/ it is DIR/release-ID.html, beside a page for every\n"
	"record it added or changed (DIR/records/), each linked from it.\n"
	"\n"
	"  -o, --output FILE  the page; DIR/ for a folder of pages; - for stdout\n"
	"  --release ID       a release's page instead of a record's\n"
	"  --top N            records listed on a release page (default 50)\n" CMD_TEXT_OPTIONS_HELP
	"\n"
	"FILE is replaced only once the page is whole (a new file gets 0666 less\n"
	"the umask, a file replaced keeps its mode); a FIFO or character device\n"
	"is written in place; a symlink is followed; a folder, block device or\n"
	"socket is refused.\n"
	"\n"
	"Record text is untrusted: every page escapes it, and a page's security\n"
	"policy forbids scripts and network access.  docs/REPORT.md shows a page.\n"
	"\n"
	"Example:\n"
	"  declass report 104-10004-10143 --output 104-10004-10143.html\n"
	"  declass report --release 2022-12-15 --output site/\n",
};
