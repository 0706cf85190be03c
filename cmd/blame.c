/* declass blame: for each span of a record's text, the release that first made it public. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "declass/history.h"

/*
 * How many of the record's versions (oldest first) a reader saw as of
 * release `upto`: those released at or before it.
 */
static int versions_upto(size_t *count, declass_archive *a, const declass_record_version *v,
                         size_t n, const char *upto)
{
	declass_release *rel = NULL;
	size_t nrel = 0, i, k, at;
	int error;

	*count = n;
	if (!upto)
		return 0;
	if ((error = declass_archive_releases(&rel, &nrel, a)) < 0)
		return error;
	for (at = 0; at < nrel && strcmp(rel[at].id, upto); at++)
		;
	if (at == nrel) {
		declass_releases_free(rel, nrel);
		fprintf(stderr, "declass: no release '%s' in the archive\n", cmd_tty(upto));
		return DECLASS_ENOTFOUND;
	}
	for (*count = 0, i = 0; i <= at; i++)
		for (k = 0; k < n; k++)
			if (!strcmp(v[k].release, rel[i].id))
				(*count)++;
	declass_releases_free(rel, nrel);
	return 0;
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CMD_TEXT_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	cmd_text text = CMD_TEXT_INIT;
	declass_record_version *v = NULL;
	declass_archive *a = NULL;
	declass_blame *b = NULL;
	char **texts = NULL, *record, *upto = NULL;
	size_t *lens = NULL, n = 0, count = 0, i;
	int opt, json = 0, error, code = EXIT_OK;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((error = cmd_limit_option(&ctx->limits, "blame", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		if ((error = cmd_text_option(&text, "blame", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		switch (opt) {
		case 'j':
			json = 1;
			break;
		case 'h':
			return cmd_help(&cmd_def_blame);
		default:
			return cmd_usage_error("blame", "unknown option");
		}
	}
	if (optind >= argc || argc - optind > 2)
		return cmd_usage_error("blame", "give RECORD [@RELEASE]");
	record = cmd_split_at(argv[optind], &upto);
	if (argc - optind == 2) {
		upto = argv[optind + 1];
		if (*upto == '@')
			upto++;
	}
	if ((code = cmd_text_ready(&text)) != 0)
		return code;
	if ((code = cmd_open(&a, ctx, 0)) != 0)
		goto done;
	if ((error = declass_record_log(&v, &n, a, record)) < 0 ||
	    (error = versions_upto(&count, a, v, n, upto)) < 0) {
		code = error == DECLASS_ENOTFOUND && upto ? EXIT_USAGE : cmd_fail(error);
		goto done;
	}
	if ((error = cmd_text_lexicon(&text, a, ctx)) < 0) {
		code = cmd_fail(error);
		goto done;
	}
	if (count == 0) {
		fprintf(stderr, "declass: record %s is not in the archive as of release %s\n",
		        cmd_tty(record), cmd_tty(upto));
		code = EXIT_USAGE;
		goto done;
	}
	texts = calloc(count, sizeof(*texts));
	lens = calloc(count, sizeof(*lens));
	if (!texts || !lens) {
		code = cmd_fail(DECLASS_ENOMEM);
		goto done;
	}
	for (i = 0; i < count; i++)
		if ((error = declass_record_text(&texts[i], &lens[i], a, record, v[i].release)) <
		    0) {
			code = cmd_fail(error);
			goto done;
		}
	if ((error = declass_blame_text(&b, (const char *const *)texts, lens, count, &text.opts)) <
	    0) {
		code = cmd_fail(error);
		goto done;
	}
	if (json) {
		json_t *spans = json_array(), *versions = json_array();

		for (i = 0; i < count; i++)
			json_array_append_new(versions, json_pack("{s:s, s:s}", "release",
			                                          v[i].release, "date", v[i].date));
		for (i = 0; i < b->nspans; i++) {
			const declass_blame_span *s = &b->spans[i];

			json_array_append_new(spans,
			                      json_pack("{s:s, s:s, s:s%, s:[I,I]}", "release",
			                                v[s->version].release, "class",
			                                declass_span_class_name(s->cls), "text",
			                                texts[count - 1] + s->start,
			                                s->end - s->start, "offsets",
			                                (json_int_t)s->start, (json_int_t)s->end));
		}
		code = cmd_json_out(json_pack("{s:s, s:s, s:o, s:o}", "record", record, "release",
		                              v[count - 1].release, "versions", versions, "spans",
		                              spans));
		goto done;
	}
	{
		/* Per line: the oldest release in it on the left, later spans inline. */
		const char *t = texts[count - 1];
		size_t len = lens[count - 1], line = 0, si = 0;

		while (line < len) {
			size_t eol = line, base = count, k, pos;

			while (eol < len && t[eol] != '\n')
				eol++;
			for (k = si; k < b->nspans && b->spans[k].start < eol; k++)
				if (b->spans[k].end > line && b->spans[k].version < base)
					base = b->spans[k].version;
			printf("%s%-12s%s| ", cmd_color(ctx, "yellow"),
			       base < count ? cmd_tty(v[base].release) : "",
			       cmd_color(ctx, "reset"));
			pos = line;
			while (si < b->nspans && b->spans[si].start < eol) {
				const declass_blame_span *s = &b->spans[si];
				size_t st = s->start > pos ? s->start : pos,
				       en = s->end < eol ? s->end : eol;

				while (en > st && (t[en - 1] == ' ' || t[en - 1] == '\t'))
					en--;

				if (s->version != base && en > st) {
					cmd_put_text(stdout, t + pos, st - pos);
					if (ctx->color)
						fputs(cmd_color(ctx, "green"), stdout);
					else
						printf("{%s:", cmd_tty(v[s->version].release));
					cmd_put_text(stdout, t + st, en - st);
					fputs(ctx->color ? cmd_color(ctx, "reset") : "}", stdout);
					pos = en;
				}
				if (s->end > eol)
					break;
				si++;
			}
			cmd_put_text(stdout, t + pos, eol - pos);
			putchar('\n');
			line = eol + 1;
		}
	}
done:
	for (i = 0; texts && i < count; i++)
		free(texts[i]);
	free(texts);
	free(lens);
	declass_blame_free(b);
	declass_versions_free(v, n);
	declass_archive_free(a);
	cmd_text_free(&text);
	return code;
}

const cmd cmd_def_blame = {
	"blame",
	run,
	"each span of a record's text with the release that first made it public",
	"usage: declass [-C ARCHIVE] blame [--json] [text options] RECORD[@RELEASE]\n"
	"\n"
	"The record's text as of RELEASE (default: its newest version), each line\n"
	"headed by the oldest release its words were public in; words made public\n"
	"later are marked {RELEASE:words} (green on a terminal).  Every earlier\n"
	"version is consulted, not only the previous one, and OCR noise or\n"
	"re-flowed text never counts as new.\n"
	"\n"
	"  --json         spans {release, class, text, offsets} of the text\n" CMD_TEXT_OPTIONS_HELP
	"\n"
	"Example:\n"
	"  declass blame 104-10004-10143@2021-12-15\n",
};
