/* declass changes: every record a release added or changed, with word counts. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "declass/history.h"

typedef struct changes {
	declass_archive *a;
	cmd_text *text;
	const char *from, *to;
	int format; /* 'h', 'j' or 'c' */
	const cmd_ctx *ctx;
	json_t *records, *agencies;
	size_t added, changed, released, withheld, uncertain, dropout;
	int csv_started; /* the CSV header is out */
} changes;

/*
 * One quoted CSV cell.  A cell that a spreadsheet would take for a formula
 * (it starts with '=', '+', '-', '@', a tab or a carriage return) gets a
 * leading "'", as OWASP recommends against CSV injection: a manifest cell
 * "=HYPERLINK(...)" must not become a live link or command when the report
 * is opened (docs/JSON.md).
 */
static void csv_cell(const char *s)
{
	putchar('"');
	if (s && *s && strchr("=+-@\t\r", *s))
		putchar('\'');
	for (; s && *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* The header line, before the first row (or alone, when no record changed). */
static void csv_header(changes *c)
{
	if (!c->csv_started)
		printf("record,status,agency,released_words,withheld_words\n");
	c->csv_started = 1;
}

static int agency_of(char **out, declass_archive *a, const char *record, const char *release)
{
	declass_record_version *v = NULL;
	size_t n = 0;
	long i;
	int error;

	*out = NULL;
	if ((error = declass_record_log(&v, &n, a, record)) < 0 ||
	    (error = declass_record_version_as_of(&i, a, v, n, release)) < 0)
		goto done;
	if (!(*out = strdup(i >= 0 && v[i].agency ? v[i].agency : "(unknown)")))
		error = DECLASS_ENOMEM;
done:
	declass_versions_free(v, n);
	return error;
}

static int one(void *ctx, const char *record)
{
	changes *c = ctx;
	char *agency = NULL;
	size_t rel, wh, unc, drop;
	declass_record_diff *rd = NULL;
	const declass_wdiff *d;
	json_t *ag;
	int error, added = 0;

	/* Added: the record was not in the archive as of FROM. */
	error = declass_record_diff_words(&rd, c->a, record, c->from, c->to, &c->text->opts);
	if (error == DECLASS_ENOTFOUND) {
		added = 1;
		error = declass_record_diff_words(&rd, c->a, record, NULL, c->to, &c->text->opts);
	}
	if (error < 0 || (error = agency_of(&agency, c->a, record, c->to)) < 0)
		goto done;
	d = rd->d;
	rel = d->totals[DECLASS_SPAN_RELEASED].new_words;
	wh = d->totals[DECLASS_SPAN_WITHHELD].old_words;
	unc = d->totals[DECLASS_SPAN_UNCERTAIN].new_words +
	      d->totals[DECLASS_SPAN_UNCERTAIN].old_words;
	drop = d->totals[DECLASS_SPAN_DROPOUT].new_words +
	       d->totals[DECLASS_SPAN_DROPOUT].old_words;
	c->released += rel;
	c->withheld += wh;
	c->uncertain += unc;
	c->dropout += drop;
	added ? c->added++ : c->changed++;
	if (!(ag = json_object_get(c->agencies, agency))) {
		ag = json_pack("{s:I, s:I, s:I}", "records", (json_int_t)0, "released",
		               (json_int_t)0, "withheld", (json_int_t)0);
		json_object_set_new(c->agencies, agency, ag);
	}
	json_object_set_new(ag, "records",
	                    json_integer(json_integer_value(json_object_get(ag, "records")) + 1));
	json_object_set_new(ag, "released",
	                    json_integer(json_integer_value(json_object_get(ag, "released")) +
	                                 (json_int_t)rel));
	json_object_set_new(
	        ag, "withheld",
	        json_integer(json_integer_value(json_object_get(ag, "withheld")) + (json_int_t)wh));
	switch (c->format) {
	case 'j':
		json_array_append_new(
		        c->records,
		        json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "record", record,
		                  "status", added ? "added" : "changed", "agency", agency,
		                  "released", (json_int_t)rel, "withheld", (json_int_t)wh,
		                  "uncertain", (json_int_t)unc, "dropout", (json_int_t)drop,
		                  "noise", (json_int_t)d->totals[DECLASS_SPAN_NOISE].spans));
		break;
	case 'c':
		csv_header(c);
		csv_cell(record);
		printf(",%s,", added ? "added" : "changed");
		csv_cell(agency);
		printf(",%zu,%zu\n", rel, wh);
		break;
	default:
		printf("%s%-20s%s %-8s %-10s %s+%zu%s %s-%zu%s\n", cmd_color(c->ctx, "bold"),
		       cmd_tty(record), cmd_color(c->ctx, "reset"), added ? "added" : "changed",
		       cmd_tty(agency), cmd_color(c->ctx, "green"), rel, cmd_color(c->ctx, "reset"),
		       cmd_color(c->ctx, "red"), wh, cmd_color(c->ctx, "reset"));
	}
done:
	declass_record_diff_free(rd);
	free(agency);
	/* one text over the limit does not stop the list */
	return cmd_skip_over_limit(error);
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		CMD_TEXT_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	cmd_text text = CMD_TEXT_INIT;
	changes c = { 0 };
	const char *key;
	json_t *ag;
	int opt, error, code;

	c.format = 'h';
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if ((error = cmd_limit_option(&ctx->limits, "changes", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		if ((error = cmd_text_option(&text, "changes", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		switch (opt) {
		case 'j':
		case 'c':
			c.format = opt;
			break;
		case 'h':
			return cmd_help(&cmd_def_changes);
		default:
			return cmd_usage_error("changes", "unknown option");
		}
	}
	if (optind + 2 != argc)
		return cmd_usage_error("changes", "give FROM and TO releases");
	c.from = argv[optind];
	c.to = argv[optind + 1];
	c.ctx = ctx;
	c.text = &text;
	if ((code = cmd_text_ready(&text)) != 0)
		return code;
	if ((code = cmd_open(&c.a, ctx, 0)) != 0)
		goto done;
	if ((error = cmd_text_lexicon(&text, c.a, ctx)) < 0) {
		code = cmd_fail(error);
		goto done;
	}
	c.records = json_array();
	c.agencies = json_object();
	/* Nothing is printed before the library has checked FROM and TO. */
	if ((error = declass_records_changed(c.a, c.from, c.to, one, &c)) < 0) {
		code = cmd_fail(error);
		goto done;
	}
	if (c.format == 'c') {
		csv_header(&c);
	} else if (c.format == 'j') {
		code = cmd_json_out(json_pack(
		        "{s:s, s:s, s:O, s:O, s:{s:I, s:I, s:I, s:I, s:I, s:I}}", "from", c.from,
		        "to", c.to, "records", c.records, "agencies", c.agencies, "totals", "added",
		        (json_int_t)c.added, "changed", (json_int_t)c.changed, "released",
		        (json_int_t)c.released, "withheld", (json_int_t)c.withheld, "uncertain",
		        (json_int_t)c.uncertain, "dropout", (json_int_t)c.dropout));
	} else if (c.format == 'h') {
		printf("\n%zu records added, %zu changed: %zu words released, %zu withheld "
		       "(%zu uncertain, %zu lost by one OCR run)\n",
		       c.added, c.changed, c.released, c.withheld, c.uncertain, c.dropout);
		json_object_foreach(c.agencies, key, ag)
		        printf("  %-12s %5lld records  +%lld -%lld\n", cmd_tty(key),
		               (long long)json_integer_value(json_object_get(ag, "records")),
		               (long long)json_integer_value(json_object_get(ag, "released")),
		               (long long)json_integer_value(json_object_get(ag, "withheld")));
	}
done:
	json_decref(c.records);
	json_decref(c.agencies);
	declass_archive_free(c.a);
	cmd_text_free(&text);
	return code;
}

const cmd cmd_def_changes = {
	"changes",
	run,
	"every record added or changed between two releases",
	"usage: declass [-C ARCHIVE] changes [--json | --csv] [text options] FROM TO\n"
	"\n"
	"Every record that release TO holds in another version than release FROM\n"
	"(added, or changed), with the words released and withheld in its text,\n"
	"then totals per agency (the manifest's Agency, else its Originator).\n"
	"\n"
	"Words count only where the evidence is good enough (--min-confidence);\n"
	"the rest are uncertain, and text one OCR run lost is dropout.\n"
	"\n"
	"  --json   {from, to, records: [{record, status, agency, released,\n"
	"           withheld, uncertain, dropout, noise}], agencies: {NAME:\n"
	"           {records, released, withheld}}, totals}\n"
	"  --csv    record,status,agency,released_words,withheld_words; a cell\n"
	"           that starts with = + - @, a tab or a carriage return (a\n"
	"           spreadsheet formula) gets a leading ' (OWASP)\n" CMD_TEXT_OPTIONS_HELP "\n"
	"FROM must be TO or a release before it.\n"
	"\n"
	"Example:\n"
	"  declass changes 2017-10-26 2022-12-15\n",
};
