/* declass ingest: one release tranche becomes one commit and one tag. */
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "declass/ingest.h"

/* Progress on stderr, only on a terminal (cmd_progress_show). */
static void show_progress(void *vctx, const declass_progress *p)
{
	cmd_progress *bar = vctx;

	if (!strcmp(p->phase, "scan"))
		cmd_progress_show(bar, "reading tranche", 0, 0, 0, 0);
	else if (!strcmp(p->phase, "hash"))
		cmd_progress_show(bar, "hashing files", p->files_done, p->files_total,
		                  p->bytes_done, p->bytes_total);
	else
		cmd_progress_show(bar, "writing the tree and commit", 0, 0, 0, 0);
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "release", required_argument, NULL, 'r' },
		{ "date", required_argument, NULL, 'd' },
		{ "title", required_argument, NULL, 't' },
		{ "source", required_argument, NULL, 's' },
		{ "manifest", required_argument, NULL, 'm' },
		{ "allow-unlisted", no_argument, NULL, 'U' },
		{ "ocr", required_argument, NULL, 'O' },
		{ "no-extract", no_argument, NULL, 'X' },
		{ "sign", required_argument, NULL, 'S' },
		{ "text-only", no_argument, NULL, 'T' },
		{ "text-provider", required_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CMD_LIMIT_TEXT_OPTION,
		CMD_LIMIT_PDF_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	declass_ingest_opts o = { 0 };
	declass_ingest_result res;
	declass_archive *a = NULL;
	cmd_progress bar;
	int opt, json = 0, error;
	char bytes[32];

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((error = cmd_limit_option(&ctx->limits, "ingest", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		switch (opt) {
		case 'r':
			o.release_id = optarg;
			break;
		case 'd':
			o.date = optarg;
			break;
		case 't':
			o.title = optarg;
			break;
		case 's':
			o.source = optarg;
			break;
		case 'm':
			o.manifest = optarg;
			break;
		case 'U':
			o.allow_unlisted = 1;
			break;
		case 'X':
			o.no_extract = 1;
			break;
		case 'S':
			o.sign_key = optarg;
			break;
		case 'T':
			o.text_only = 1;
			break;
		case 'P':
			o.text_provider = optarg;
			break;
		case 'O':
			if (cmd_ocr_mode(&o.ocr, optarg) < 0)
				return cmd_usage_error("ingest",
				                       "--ocr is auto, always or never, not '%s'",
				                       optarg);
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_help(&cmd_def_ingest);
		default:
			return cmd_usage_error("ingest", "unknown option");
		}
	}
	if (!o.release_id || !o.date)
		return cmd_usage_error("ingest", "--release and --date are required");
	if (optind + 1 != argc)
		return cmd_usage_error("ingest", "give exactly one tranche folder");
	o.dir = argv[optind];
	cmd_progress_start(&bar, ctx);
	if (bar.on) {
		o.progress = show_progress;
		o.progress_ctx = &bar;
	}
	if ((error = cmd_open(&a, ctx, DECLASS_OPEN_WRITE)) != 0)
		return error;
	error = declass_ingest(a, &o, &res);
	cmd_progress_end(&bar);
	declass_archive_free(a);
	if (error < 0)
		return cmd_fail(error);
	/* A text left incomplete is said loudly, with --json too (on stderr). */
	if (res.incomplete)
		fprintf(stderr,
		        "declass: warning: %zu PDF%s archived without all %s text (meta.json says "
		        "why: \"incomplete\"; 'declass reextract' reads %s again once the cause is "
		        "gone); first: %s\n",
		        res.incomplete, res.incomplete == 1 ? "" : "s",
		        res.incomplete == 1 ? "its" : "their", res.incomplete == 1 ? "it" : "them",
		        cmd_tty(res.note));
	if (json) {
		json_t *doc = json_pack(
		        "{s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I, s:s?}, s:I, "
		        "s:s?}",
		        "release", o.release_id, "date", o.date, "commit", res.commit, "noop",
		        res.noop, "records", (json_int_t)res.records, "files",
		        (json_int_t)res.files, "bytes", (json_int_t)res.bytes, "text", "extracted",
		        (json_int_t)res.extracted, "pages_ocr", (json_int_t)res.pages_ocr,
		        "pages_missing", (json_int_t)res.pages_missing, "incomplete",
		        (json_int_t)res.incomplete, "note", res.note[0] ? res.note : NULL,
		        "hidden_files", (json_int_t)res.hidden, "hidden_first",
		        res.hidden_first[0] ? res.hidden_first : NULL);

		return cmd_json_out(doc);
	}
	if (res.hidden && !o.manifest)
		fprintf(stderr,
		        "declass: warning: left out %zu hidden file%s in '%s' (%s starting with "
		        "'.'), first '%s'; rename %s to ingest %s\n",
		        res.hidden, res.hidden == 1 ? "" : "s", cmd_tty(o.dir),
		        res.hidden == 1 ? "a name" : "names", res.hidden_first,
		        res.hidden == 1 ? "it" : "them", res.hidden == 1 ? "it" : "them");
	if (res.extracted || res.pages_missing)
		fprintf(stderr,
		        "declass: text extracted from %zu PDF%s without NAME.txt (%zu page%s by "
		        "OCR)\n",
		        res.extracted, res.extracted == 1 ? "" : "s", res.pages_ocr,
		        res.pages_ocr == 1 ? "" : "s");
	/* the note was said above for an incomplete text */
	if (res.pages_missing)
		fprintf(stderr, "declass: warning: %zu page%s left without text%s%s\n",
		        res.pages_missing, res.pages_missing == 1 ? "" : "s",
		        res.incomplete ? "" : "; first: ", res.incomplete ? "" : cmd_tty(res.note));
	else if (res.note[0] && !res.incomplete)
		fprintf(stderr, "declass: warning: no text from %s\n", cmd_tty(res.note));
	if (res.texts_empty)
		fprintf(stderr,
		        "declass: %zu text%s in %s %s empty (the OCR found no text): left out, "
		        "with %s record%s\n",
		        res.texts_empty, res.texts_empty == 1 ? "" : "s", cmd_tty(o.dir),
		        res.texts_empty == 1 ? "was" : "were",
		        res.texts_empty == 1 ? "its" : "their", res.texts_empty == 1 ? "" : "s");
	if (res.rows_without_text)
		fprintf(stderr,
		        "declass: %zu manifest row%s had no text in %s: %s records not ingested\n",
		        res.rows_without_text, res.rows_without_text == 1 ? "" : "s",
		        cmd_tty(o.dir), res.rows_without_text == 1 ? "its" : "their");
	if (res.noop)
		printf("release %s is already in the archive with identical content; nothing to "
		       "do\n",
		       cmd_tty(o.release_id));
	else
		printf("%singested release %s%s (%s): %zu records, %zu files, %s, commit %.12s\n",
		       cmd_color(ctx, "bold"), cmd_tty(o.release_id), cmd_color(ctx, "reset"),
		       cmd_tty(o.date), res.records, res.files, cmd_bytes(bytes, res.bytes),
		       res.commit);
	return EXIT_OK;
}

const cmd cmd_def_ingest = {
	"ingest",
	run,
	"add a release tranche as one commit and tag",
	"usage: declass [-C ARCHIVE] ingest --release ID --date YYYY-MM-DD\n"
	"                 [--title T] [--source URL] [--manifest FILE]\n"
	"                 [--allow-unlisted] [--ocr auto|always|never] [--no-extract]\n"
	"                 [--text-only [--text-provider P]]\n"
	"                 [--max-text SIZE] [--max-pages N] [--max-page-seconds S]\n"
	"                 [--max-pdf-seconds S] [--max-pdf-content SIZE]\n"
	"                 [--sign KEY.pem] [--json] DIR\n"
	"\n"
	"Add the released files in DIR as release ID: one commit on the\n"
	"archive's branch and an annotated tag release/ID.  Each file is read\n"
	"once: its SHA-256 is computed as it is stored.  NAME.txt beside NAME.pdf\n"
	"is that file's text.  Without --manifest, a file's record number is\n"
	"its name without extension (and without a suffix such as\n"
	"\" (C06932208)\" or \"[c06932208]\").  Hidden files and folders (names\n"
	"starting with '.') are left out; without --manifest, a warning counts\n"
	"and names them.\n"
	"\n"
	"  --release ID      release id, e.g. 2021-12-15 (letters, digits, . _ -)\n"
	"  --date DATE       release date; not older than the newest release\n"
	"  --title T         one-line title\n"
	"  --source URL      where the tranche was downloaded from\n"
	"  --manifest FILE   NARA manifest (CSV, ; or , separated) or JSON\n"
	"  --allow-unlisted  ignore files in DIR the manifest does not list\n"
	"  --ocr MODE        for PDFs without NAME.txt, text comes from the text\n"
	"                    layer; OCR (Tesseract) reads pages without one (auto,\n"
	"                    the default), every page (always), or none (never)\n"
	"  --no-extract      no text from PDFs without NAME.txt\n"
	"  --sign KEY.pem    sign the release (its tag) with this Ed25519 private key\n"
	"                    (openssl genpkey -algorithm ed25519; docs/SIGNING.md)\n"
	"  --text-only       DIR holds texts of the records (.txt, .md) published\n"
	"                    by a third party, not the released files: each is\n"
	"                    matched to the manifest row whose file has its name\n"
	"                    (\"104-10004-10143[c06932208].md\" for \"2022/104-10004-\n"
	"                    10143[c06932208].pdf\"); meta.json says the text is\n"
	"                    third-party and which released files are not archived\n"
	"  --text-provider P who published the texts (recorded in meta.json)\n"
	"  --json            print the result as JSON\n"
	"\n"
	"Limits on one input (docs/RELIABILITY.md, \"Limits\"; SIZE takes K, M or G,\n"
	"and `none` lifts a limit):\n" CMD_LIMIT_TEXT_HELP CMD_LIMIT_PDF_HELP "\n"
	"All or nothing: on any error the archive is left as it was (exit 2 for\n"
	"bad input).  Ingesting the same release again with identical content\n"
	"does nothing and exits 0; with different content it is refused.\n"
	"\n"
	"Example:\n"
	"  declass ingest --release 2021-12-15 --date 2021-12-15 \\\n"
	"      --title 'JFK Assassination Records, 2021 release' \\\n"
	"      --manifest 2021.csv downloads/2021/\n",
};
