/* declass show: one version of a record: text, metadata, or released bytes. */
#include <stdlib.h>
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "declass/history.h"
#include "declass/output.h"

/*
 * The text or meta.json as stored, for a pipe or a file; escaped on a
 * terminal, where a forged text could hold escape sequences (less and ls
 * do the same).
 */
static int write_all(const cmd_ctx *ctx, const char *data, size_t len)
{
	if (ctx->tty) {
		cmd_put_text(stdout, data, len);
		return EXIT_OK;
	}
	return fwrite(data, 1, len, stdout) == len ? EXIT_OK : cmd_finish(EXIT_ARCHIVE);
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "text", no_argument, NULL, 't' },
		{ "meta", no_argument, NULL, 'm' },
		{ "raw", required_argument, NULL, 'r' },
		{ "file", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CMD_LIMIT_TEXT_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	const char *raw = NULL, *file = NULL;
	char *record, *release, *data = NULL, *meta = NULL;
	declass_archive *a = NULL;
	size_t len = 0, mlen = 0;
	int opt, what = 't', json = 0, error, code = EXIT_OK;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((error = cmd_limit_option(&ctx->limits, "show", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		switch (opt) {
		case 't':
		case 'm':
			what = opt;
			break;
		case 'r':
			what = 'r';
			raw = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_help(&cmd_def_show);
		default:
			return cmd_usage_error("show", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error("show", "give one RECORD or RECORD@RELEASE");
	record = cmd_split_at(argv[optind], &release);
	if ((error = cmd_open(&a, ctx, 0)) != 0)
		return error;
	if (what == 'r') {
		declass_output *out = NULL;

		if (!strcmp(raw, "-"))
			error = declass_record_raw(a, record, release, file, STDOUT_FILENO);
		else if ((error = declass_output_open(&out, raw)) == 0) {
			error = declass_record_raw(a, record, release, file,
			                           declass_output_fd(out));
			if (error < 0)
				declass_output_abort(out);
			else
				error = declass_output_commit(out);
		}
		if (error < 0)
			code = cmd_fail(error);
		goto done;
	}
	if ((error = declass_record_meta(&meta, &mlen, a, record, release)) < 0 ||
	    (what == 't' && (error = declass_record_text(&data, &len, a, record, release)) < 0)) {
		code = cmd_fail(error);
		goto done;
	}
	if (json) {
		json_t *m = json_loadb(meta, mlen, 0, NULL);

		code = cmd_json_out(json_pack("{s:s, s:s?, s:o?, s:s%?}", "record", record, "as_of",
		                              release, "meta", m, "text", data, len));
	} else if (what == 'm') {
		code = write_all(ctx, meta, mlen);
	} else {
		code = write_all(ctx, data, len);
	}
done:
	free(data);
	free(meta);
	declass_archive_free(a);
	return code;
}

const cmd cmd_def_show = {
	"show",
	run,
	"one version's text, metadata or released bytes",
	"usage: declass [-C ARCHIVE] show [--text | --meta | --raw OUT [--file NAME]]\n"
	"                 [--json] [--max-text SIZE] RECORD[@RELEASE]\n"
	"\n"
	"Print the record as of RELEASE (default: its newest version):\n"
	"  --text       its text (the default)\n"
	"  --meta       its meta.json: manifest fields, release, files and SHA-256\n"
	"               (both as stored; on a terminal, control characters and\n"
	"               bidi overrides are shown escaped: \\x1b, \\u202e)\n"
	"  --raw OUT    write its released file, byte for byte, to OUT ('-' for\n"
	"               stdout); --file NAME picks one of several files\n"
	"  --json       {record, as_of, meta, text} as one JSON document\n"
	"  --max-text SIZE\n"
	"               the limit on one record's text (default 32M; K, M, G;\n"
	"               none): a longer one is not read\n"
	"\n"
	"OUT is written as report --output writes its FILE: replaced only once\n"
	"whole, in place if it is a FIFO or character device, through a symlink.\n"
	"\n"
	"Example:\n"
	"  declass show 104-10004-10143@2017-10-26\n"
	"  declass show --raw memo.pdf 104-10004-10143@2021-12-15\n",
};
