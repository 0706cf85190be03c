/* declass report: HTML pages of a record or a release, for people who would rather look. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
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
 * Write one page to `path` ("-": stdout) through a temporary file renamed
 * into place, so a failed run never leaves half a page.
 */
static int write_page(declass_archive *a, const char *path, const char *record, const char *release,
                      const declass_report_opts *o)
{
	char *tmp = NULL;
	FILE *f = NULL;
	int fd, error, bad;

	if (!strcmp(path, "-"))
		return record ? declass_report_record(a, record, o, stdout)
		              : declass_report_release(a, release, o, stdout);
	if (!(tmp = malloc(strlen(path) + 16)))
		return cmd_fail(DECLASS_ENOMEM);
	sprintf(tmp, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || !(f = fdopen(fd, "w"))) {
		fprintf(stderr, "declass: cannot create '%s': %s\n", tmp, strerror(errno));
		if (fd >= 0)
			close(fd), unlink(tmp);
		free(tmp);
		return 1;
	}
	error = record ? declass_report_record(a, record, o, f)
	               : declass_report_release(a, release, o, f);
	bad = fchmod(fileno(f), 0644) < 0;
	if (fclose(f) != 0)
		bad = 1;
	if (bad && error == 0) {
		fprintf(stderr, "declass: cannot write '%s': %s\n", tmp, strerror(errno));
		error = 1;
	}
	if (error == 0 && rename(tmp, path) < 0) {
		fprintf(stderr, "declass: cannot write '%s': %s\n", path, strerror(errno));
		error = 1;
	}
	if (error)
		unlink(tmp);
	free(tmp);
	return error;
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
		if (mkdir(output, 0755) < 0 && errno != EEXIST) {
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
	if ((error = write_page(a, output, record, release, &o)) != 0) {
		code = error < 0 ? cmd_fail(error) : EXIT_ARCHIVE;
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
	"Record text is untrusted: every page escapes it, and a page's security\n"
	"policy forbids scripts and network access.  docs/REPORT.md shows a page.\n"
	"\n"
	"Example:\n"
	"  declass report 104-10004-10143 --output 104-10004-10143.html\n"
	"  declass report --release 2022-12-15 --output site/\n",
};
