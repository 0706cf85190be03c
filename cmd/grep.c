/* declass grep: where a phrase appears, and since which release. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "declass/history.h"

typedef struct grep {
	declass_archive *a;
	const cmd_ctx *ctx;
	cmd_text *text;
	const char *pattern;
	int json;
	json_t *results;
	size_t records, matches;
} grep;

static void print_context(const grep *g, const char *t, size_t len, const declass_match *m)
{
	size_t s = m->start, e = m->end;

	while (s > 0 && t[s - 1] != '\n' && m->start - s < 60)
		s--;
	while (e < len && t[e] != '\n' && e - m->end < 60)
		e++;
	fputs("    ", stdout);
	cmd_put_text(stdout, t + s, m->start - s);
	fputs(cmd_color(g->ctx, "red"), stdout);
	cmd_put_text(stdout, t + m->start, m->end - m->start);
	fputs(cmd_color(g->ctx, "reset"), stdout);
	cmd_put_text(stdout, t + m->end, e - m->end);
	putchar('\n');
}

static int grep_record(void *ctx, const char *record)
{
	grep *g = ctx;
	declass_record_version *v = NULL;
	declass_matches *m = NULL, *mv = NULL;
	json_t *versions = NULL;
	char *text = NULL, *vt = NULL;
	size_t len = 0, vlen, n = 0, i, first = (size_t)-1;
	int error;

	if ((error = declass_record_text(&text, &len, g->a, record, NULL)) < 0 ||
	    (error = declass_text_find(&m, text, len, g->pattern, strlen(g->pattern),
	                               &g->text->opts)) < 0)
		goto done;
	if (m->n == 0)
		goto done;
	/* Found in the newest text: walk the versions for the first with it. */
	if ((error = declass_record_log(&v, &n, g->a, record)) < 0)
		goto done;
	versions = json_array();
	for (i = 0; i < n; i++) {
		size_t count = m->n; /* the newest version's text is the one searched */

		if (i + 1 < n) {
			if ((error = declass_record_text(&vt, &vlen, g->a, record, v[i].release)) <
			            0 ||
			    (error = declass_text_find(&mv, vt, vlen, g->pattern,
			                               strlen(g->pattern), &g->text->opts)) < 0)
				goto done;
			count = mv->n;
			declass_matches_free(mv);
			mv = NULL;
			free(vt);
			vt = NULL;
		}
		if (count && first == (size_t)-1)
			first = i;
		json_array_append_new(versions,
		                      json_pack("{s:s, s:s, s:s?, s:I}", "release", v[i].release,
		                                "date", v[i].date, "release_type",
		                                v[i].release_type, "matches", (json_int_t)count));
	}
	if (first == (size_t)-1)
		first = n - 1;
	g->records++;
	g->matches += m->n;
	if (g->json) {
		json_array_append_new(g->results,
		                      json_pack("{s:s, s:s, s:s, s:I, s:O}", "record", record,
		                                "first_release", v[first].release, "first_date",
		                                v[first].date, "matches", (json_int_t)m->n,
		                                "versions", versions));
	} else {
		int dated = strcmp(v[first].release, v[first].date) != 0;

		printf("%s%s%s: first public in %s%s%s%s%s%s, %zu match%s; releases:",
		       cmd_color(g->ctx, "bold"), cmd_tty(record), cmd_color(g->ctx, "reset"),
		       cmd_color(g->ctx, "yellow"), cmd_tty(v[first].release),
		       cmd_color(g->ctx, "reset"), dated ? " (" : "",
		       dated ? cmd_tty(v[first].date) : "", dated ? ")" : "", m->n,
		       m->n == 1 ? "" : "es");
		for (i = 0; i < n; i++)
			printf("%s %s (%s)", i ? " ->" : "", cmd_tty(v[i].release),
			       v[i].release_type ? cmd_tty(v[i].release_type) : "?");
		printf("\n");
		for (i = 0; i < m->n && i < 3; i++)
			print_context(g, text, len, &m->v[i]);
	}
done:
	json_decref(versions);
	declass_matches_free(m);
	declass_matches_free(mv);
	declass_versions_free(v, n);
	free(text);
	free(vt);
	/* one text over the limit does not stop a search of the archive */
	return cmd_skip_over_limit(error);
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "record", required_argument, NULL, 'r' },
		{ "ignore-case", no_argument, NULL, 'i' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		CMD_TEXT_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	cmd_text text = CMD_TEXT_INIT;
	grep g = { 0 };
	const char *only = NULL;
	int opt, error, code;

	text.opts.ignore_case = 0;
	text.opts.tolerance = 0;
	while ((opt = getopt_long(argc, argv, "hi", opts, NULL)) != -1) {
		if ((error = cmd_limit_option(&ctx->limits, "grep", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		if ((error = cmd_text_option(&text, "grep", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		switch (opt) {
		case 'r':
			only = optarg;
			break;
		case 'i':
			text.opts.ignore_case = 1;
			break;
		case 'j':
			g.json = 1;
			break;
		case 'h':
			return cmd_help(&cmd_def_grep);
		default:
			return cmd_usage_error("grep", "unknown option");
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error("grep", "give one PATTERN (quote a phrase)");
	g.pattern = argv[optind];
	g.ctx = ctx;
	g.text = &text;
	if ((code = cmd_text_ready(&text)) != 0)
		return code;
	if ((code = cmd_open(&g.a, ctx, 0)) != 0)
		goto done;
	g.results = json_array();
	error = only ? grep_record(&g, only) : declass_records_each(g.a, NULL, grep_record, &g);
	if (error < 0) {
		code = cmd_fail(error);
		goto done;
	}
	if (g.json) {
		code = cmd_json_out(json_pack("{s:s, s:O, s:I, s:I}", "pattern", g.pattern,
		                              "records", g.results, "record_count",
		                              (json_int_t)g.records, "match_count",
		                              (json_int_t)g.matches));
	} else if (!g.records) {
		fprintf(stderr, "declass: '%s' is in no record's text\n", cmd_tty(g.pattern));
		code = EXIT_PROBLEMS;
	}
done:
	json_decref(g.results);
	declass_archive_free(g.a);
	cmd_text_free(&text);
	return code;
}

const cmd cmd_def_grep = {
	"grep",
	run,
	"where a phrase appears, and since which release",
	"usage: declass [-C ARCHIVE] grep [--record R] [-i | --ignore-case] [--json]\n"
	"                 [text options] PATTERN\n"
	"\n"
	"Every record whose newest text contains the words of PATTERN, in order,\n"
	"whatever spaces, line breaks or hyphenated line breaks lie between them,\n"
	"with the release in which the phrase first appeared in that record and\n"
	"the record's releases with their release types.  Exit 1 if no record\n"
	"has it.  Words match exactly unless --tolerance is given.\n"
	"\n"
	"  --record R       search one record only\n"
	"  -i, --ignore-case  ignore case and accents\n"
	"  --json           {pattern, records: [{record, first_release, first_date,\n"
	"                   matches, versions: [{release, date, release_type, "
	"matches}]}]}\n" CMD_TEXT_OPTIONS_HELP "\n"
	"Example:\n"
	"  declass grep Kostikov\n",
};
