/* declass reextract: archived text read again, as one text revision. */
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "declass/reextract.h"

static void show_progress(void *vctx, const declass_progress *p)
{
	cmd_progress *bar = vctx;

	if (!strcmp(p->phase, "extract"))
		cmd_progress_show(bar, "reading PDFs", p->files_done, 0, 0, 0);
	else
		cmd_progress_show(bar, "writing the text revision", 0, 0, 0, 0);
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "release", required_argument, NULL, 'r' },
		{ "ocr", required_argument, NULL, 'O' },
		{ "force", no_argument, NULL, 'f' },
		{ "sign", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CMD_LIMIT_TEXT_OPTION,
		CMD_LIMIT_PDF_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	declass_reextract_opts o = { 0 };
	declass_reextract_result res;
	declass_archive *a = NULL;
	cmd_progress bar;
	int opt, json = 0, error;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((error = cmd_limit_option(&ctx->limits, "reextract", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		switch (opt) {
		case 'r':
			o.release = optarg;
			break;
		case 'O':
			if (cmd_ocr_mode(&o.ocr, optarg) < 0)
				return cmd_usage_error("reextract",
				                       "--ocr is auto, always or never, not '%s'",
				                       optarg);
			break;
		case 'f':
			o.force = 1;
			break;
		case 'S':
			o.sign_key = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_help(&cmd_def_reextract);
		default:
			return cmd_usage_error("reextract", "unknown option");
		}
	}
	if (optind < argc) {
		o.records = (const char *const *)&argv[optind];
		o.nrecords = (size_t)(argc - optind);
	}
	cmd_progress_start(&bar, ctx);
	if (bar.on) {
		o.progress = show_progress;
		o.progress_ctx = &bar;
	}
	if ((error = cmd_open(&a, ctx, DECLASS_OPEN_WRITE)) != 0)
		return error;
	error = declass_reextract(a, &o, &res);
	cmd_progress_end(&bar);
	declass_archive_free(a);
	if (error < 0)
		return cmd_fail(error);
	if (res.incomplete)
		fprintf(stderr,
		        "declass: warning: %zu PDF%s still without all %s text (meta.json says "
		        "why: \"incomplete\"); first: %s\n",
		        res.incomplete, res.incomplete == 1 ? "" : "s",
		        res.incomplete == 1 ? "its" : "their", cmd_tty(res.note));
	if (json) {
		json_t *doc = json_pack(
		        "{s:s?, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s?}", "commit",
		        res.commit[0] ? res.commit : NULL, "records", (json_int_t)res.records,
		        "files", (json_int_t)res.files, "current", (json_int_t)res.current, "kept",
		        (json_int_t)res.kept, "changed", (json_int_t)res.changed, "worse",
		        (json_int_t)res.worse, "pages_ocr", (json_int_t)res.pages_ocr,
		        "pages_missing", (json_int_t)res.pages_missing, "incomplete",
		        (json_int_t)res.incomplete, "note", res.note[0] ? res.note : NULL);

		return cmd_json_out(doc);
	}
	if (res.worse)
		fprintf(stderr,
		        "declass: warning: %zu PDF%s would have lost text (is Tesseract's language "
		        "data installed?); %s old text kept: %s\n",
		        res.worse, res.worse == 1 ? "" : "s", res.worse == 1 ? "its" : "their",
		        cmd_tty(res.note));
	else if (res.pages_missing)
		fprintf(stderr, "declass: warning: %zu page%s still without text%s%s\n",
		        res.pages_missing, res.pages_missing == 1 ? "" : "s",
		        res.incomplete ? "" : "; first: ", res.incomplete ? "" : cmd_tty(res.note));
	if (res.kept)
		fprintf(stderr,
		        "declass: %zu text%s supplied with %s release%s (NAME.txt, released or "
		        "third-party text) kept as %s\n",
		        res.kept, res.kept == 1 ? "" : "s", res.kept == 1 ? "its" : "their",
		        res.kept == 1 ? "" : "s", res.kept == 1 ? "it was" : "they were");
	if (res.current)
		fprintf(stderr,
		        "declass: %zu PDF%s already read by these tools left alone (--force reads "
		        "them again)\n",
		        res.current, res.current == 1 ? "" : "s");
	if (!res.commit[0])
		printf("%zu record%s looked at, %zu PDF%s read again: no text changed; nothing "
		       "written\n",
		       res.records, res.records == 1 ? "" : "s", res.files,
		       res.files == 1 ? "" : "s");
	else
		printf("%stext revision%s: %zu of %zu record%s re-extracted (%zu PDF%s read, %zu "
		       "page%s by OCR), commit %.12s\n",
		       cmd_color(ctx, "bold"), cmd_color(ctx, "reset"), res.changed, res.records,
		       res.records == 1 ? "" : "s", res.files, res.files == 1 ? "" : "s",
		       res.pages_ocr, res.pages_ocr == 1 ? "" : "s", res.commit);
	return EXIT_OK;
}

const cmd cmd_def_reextract = {
	"reextract",
	run,
	"read archived PDFs' text again, as a text revision",
	"usage: declass [-C ARCHIVE] reextract [--release ID] [--ocr auto|always|never]\n"
	"                 [--force] [--sign KEY.pem] [--json]\n"
	"                 [--max-text SIZE] [--max-pages N] [--max-page-seconds S]\n"
	"                 [--max-pdf-seconds S] [--max-pdf-content SIZE] [RECORD...]\n"
	"\n"
	"Extract the text of archived PDFs again with the tools this declass\n"
	"has (poppler's text layer, Tesseract OCR for pages without one), and\n"
	"commit the records whose text changed as one *text revision*: a commit\n"
	"after the newest release that changes each record's text.txt and the\n"
	"text in its meta.json, and nothing else.  Released files and their\n"
	"SHA-256 are never touched; each PDF is checked against its SHA-256 as\n"
	"it is read.  Texts that came with a release (NAME.txt, released .txt,\n"
	"third-party texts) are kept, and so is an extracted text that the new\n"
	"extraction would make worse (more pages without text, as on a machine\n"
	"without Tesseract's data).  The revised text is a version's text\n"
	"from then on (show, diff, blame, grep); `declass log` says when it was\n"
	"revised, and the revision is no release: it is not in `declass\n"
	"releases` and `declass changes` does not count it.\n"
	"\n"
	"It reads the records as they are now (each at its newest version):\n"
	"older versions keep the text they were archived with.\n"
	"\n"
	"  --release ID   only records whose newest version came from release ID\n"
	"  --ocr MODE     auto (OCR pages without a text layer, the default),\n"
	"                 always, or never\n"
	"  --force        also PDFs already read by the same tool versions with\n"
	"                 no page left without text (skipped by default)\n"
	"  --sign KEY.pem sign the text revision with this Ed25519 private key\n"
	"                 (verify --trust and pull --trust require it)\n"
	"  --json         print the result as JSON\n"
	"  RECORD...      only these records\n"
	"\n"
	"Limits on one input, as for ingest (docs/RELIABILITY.md, \"Limits\"); a PDF\n"
	"whose text a limit or a missing library left incomplete is read again,\n"
	"and a new text that the limits cut shorter than the old one is not "
	"kept:\n" CMD_LIMIT_TEXT_HELP CMD_LIMIT_PDF_HELP "\n"
	"Nothing changed: nothing is written (exit 0).  All or nothing, as an\n"
	"ingest; the archive is locked while it runs.\n"
	"\n"
	"Example: a release ingested where Tesseract had no language data, read\n"
	"again once tesseract-ocr-eng is installed:\n"
	"  declass reextract --release 2023-06-27\n",
};
