/* declass diff: what a release revealed (or withheld) in a record, word by word. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "declass/history.h"

typedef struct render {
	const cmd_ctx *ctx;
	const char *old, *new;
	int show_noise;
	int show_uncertain;
	/* The rendered text and, per line, whether it shows a change. */
	char *out;
	size_t len, alloc;
	unsigned char *changed;
	size_t nlines, lines_alloc;
} render;

/* Append s[0..n) as it is: markers and colours. */
static void put_raw(render *r, const char *s, size_t n)
{
	size_t i;

	if (r->len + n + 1 > r->alloc) {
		size_t alloc = r->alloc ? r->alloc : 4096;

		while (alloc < r->len + n + 1)
			alloc *= 2;
		if (!(r->out = realloc(r->out, alloc)))
			abort();
		r->alloc = alloc;
	}
	memcpy(r->out + r->len, s, n);
	r->len += n;
	for (i = 0; i < n; i++)
		if (s[i] == '\n') {
			if (r->nlines + 2 > r->lines_alloc) {
				r->lines_alloc = r->lines_alloc ? 2 * r->lines_alloc : 256;
				if (!(r->changed = realloc(r->changed, r->lines_alloc)))
					abort();
			}
			r->changed[++r->nlines] = 0;
		}
}

/* Append text of the record, escaped for a terminal (cmd_put_text()). */
static void put(render *r, const char *s, size_t n)
{
	char *esc = NULL;

	if (declass_display_escape(&esc, s, n, DECLASS_DISPLAY_LINES) < 0)
		abort();
	if (esc)
		put_raw(r, esc, strlen(esc));
	else
		put_raw(r, s, n);
	free(esc);
}

static void puts_(render *r, const char *s)
{
	put_raw(r, s, strlen(s));
}

static void mark(render *r)
{
	if (r->nlines + 1 > r->lines_alloc) {
		r->lines_alloc = r->lines_alloc ? 2 * r->lines_alloc : 256;
		if (!(r->changed = realloc(r->changed, r->lines_alloc)))
			abort();
	}
	r->changed[r->nlines] = 1;
}

/* A changed span: open marker, text, close marker, coloured on a terminal. */
static void changed(render *r, const char *color, const char *open, const char *text, size_t n,
                    const char *close)
{
	mark(r);
	if (r->ctx->color) {
		puts_(r, cmd_color(r->ctx, color));
		put(r, text, n);
		puts_(r, cmd_color(r->ctx, "reset"));
	} else {
		puts_(r, open);
		put(r, text, n);
		puts_(r, close);
	}
	mark(r);
}

static void render_diff(render *r, const declass_wdiff *d, size_t new_len)
{
	size_t pos = 0, i;

	r->changed = calloc(1, 256);
	r->lines_alloc = r->changed ? 256 : 0;
	if (!r->changed)
		abort();
	for (i = 0; i < d->nspans; i++) {
		const declass_span *s = &d->spans[i];
		const char *oldt = r->old + s->old_start, *newt = r->new + s->new_start;
		size_t on = s->old_end - s->old_start, nn = s->new_end - s->new_start;

		if (s->new_start > pos)
			put(r, r->new + pos, s->new_start - pos);
		if (s->new_start >= pos)
			pos = s->new_end;
		switch (s->cls) {
		case DECLASS_SPAN_RELEASED:
			if (s->has_marker)
				changed(r, "red", "[-", r->old + s->marker_start,
				        s->marker_end - s->marker_start, "-]");
			changed(r, "green", "{+", newt, nn, "+}");
			break;
		case DECLASS_SPAN_WITHHELD:
			/* Words gone from the newer text sit between two of its words. */
			if (!nn && r->len && r->out[r->len - 1] != ' ' &&
			    r->out[r->len - 1] != '\n')
				put(r, " ", 1);
			changed(r, "red", "[-", oldt, on, "-]");
			if (nn)
				changed(r, "green", "{+", newt, nn, "+}");
			break;
		case DECLASS_SPAN_UNCERTAIN:
		case DECLASS_SPAN_DROPOUT:
			/* Maybe released or withheld, or lost by one OCR run: on request. */
			if (r->show_uncertain && on && !nn) {
				if (r->len && r->out[r->len - 1] != ' ' &&
				    r->out[r->len - 1] != '\n')
					put(r, " ", 1);
				changed(r, "yellow", "[?", oldt, on, "?]");
			} else if (r->show_uncertain && nn) {
				changed(r, "yellow", "{?", newt, nn, "?}");
			} else {
				put(r, newt, nn);
			}
			break;
		case DECLASS_SPAN_NOISE:
			if (r->show_noise && (on || nn)) {
				mark(r);
				puts_(r, r->ctx->color ? cmd_color(r->ctx, "dim") : "{~");
				put(r, oldt, on);
				puts_(r, "~>");
				put(r, newt, nn);
				puts_(r, r->ctx->color ? cmd_color(r->ctx, "reset") : "~}");
			} else {
				put(r, newt, nn);
			}
			break;
		default:
			put(r, newt, nn);
			break;
		}
	}
	if (pos < new_len)
		put(r, r->new + pos, new_len - pos);
	if (r->len && r->out[r->len - 1] != '\n')
		put(r, "\n", 1);
}

/* Print the lines within `context` of a changed line, git-style hunks. */
static void print_hunks(const render *r, long context)
{
	size_t line = 0, start = 0, i, nlines = r->nlines;
	long last_printed = -2;
	unsigned char *show = calloc(nlines + 1, 1);

	if (!show)
		abort();
	for (i = 0; i < nlines; i++)
		if (r->changed[i]) {
			long a = (long)i - context, b = (long)i + context, k;

			for (k = a < 0 ? 0 : a; k <= b && k < (long)nlines; k++)
				show[k] = 1;
		}
	for (i = 0; i <= r->len && line < nlines; i++) {
		if (i < r->len && r->out[i] != '\n')
			continue;
		if (show[line] || context < 0) {
			if (context >= 0 && last_printed != (long)line - 1)
				printf("%s@@ line %zu @@%s\n", cmd_color(r->ctx, "dim"), line + 1,
				       cmd_color(r->ctx, "reset"));
			fwrite(r->out + start, 1,
			       i - start + 1 <= r->len - start ? i - start + 1 : r->len - start,
			       stdout);
			last_printed = (long)line;
		}
		start = i + 1;
		line++;
	}
	free(show);
}

static json_t *span_json(const declass_span *s, const char *old, const char *new)
{
	const char *text = s->new_end > s->new_start ? new + s->new_start : old + s->old_start;
	size_t len =
	        s->new_end > s->new_start ? s->new_end - s->new_start : s->old_end - s->old_start;
	json_t *o = json_pack("{s:s, s:s%, s:[I,I], s:[I,I]}", "op",
	                      declass_span_class_name(s->cls), "text", text, len, "old",
	                      (json_int_t)s->old_start, (json_int_t)s->old_end, "new",
	                      (json_int_t)s->new_start, (json_int_t)s->new_end);

	if (s->cls == DECLASS_SPAN_NOISE ||
	    (s->cls == DECLASS_SPAN_WITHHELD && s->new_end > s->new_start))
		json_object_set_new(o, "old_text",
		                    json_stringn(old + s->old_start, s->old_end - s->old_start));
	if (s->cls == DECLASS_SPAN_RELEASED || s->cls == DECLASS_SPAN_WITHHELD ||
	    s->cls == DECLASS_SPAN_UNCERTAIN || s->cls == DECLASS_SPAN_DROPOUT) {
		json_object_set_new(o, "evidence", json_string(declass_evidence_name(s->evidence)));
		json_object_set_new(o, "confidence",
		                    json_real((double)(int)(s->confidence * 100 + 0.5) / 100));
	}
	if (s->has_marker)
		json_object_set_new(o, "marker",
		                    json_stringn((s->cls == DECLASS_SPAN_RELEASED ? old : new) +
		                                         s->marker_start,
		                                 s->marker_end - s->marker_start));
	return o;
}

static json_t *totals_json(const declass_wdiff *d)
{
	json_t *t = json_object();
	int c;

	for (c = 0; c < DECLASS_SPAN__COUNT; c++)
		json_object_set_new(t, declass_span_class_name((declass_span_class)c),
		                    json_pack("{s:I, s:I, s:I}", "spans",
		                              (json_int_t)d->totals[c].spans, "old_words",
		                              (json_int_t)d->totals[c].old_words, "new_words",
		                              (json_int_t)d->totals[c].new_words));
	return t;
}

static void stat_line(const cmd_ctx *ctx, const char *record, const char *from, const char *to,
                      const declass_wdiff *d)
{
	const declass_span_total *u = &d->totals[DECLASS_SPAN_UNCERTAIN],
	                         *o = &d->totals[DECLASS_SPAN_DROPOUT];

	printf("%s %s..%s: %s%zu words released%s (%zu spans), %s%zu withheld%s (%zu spans), "
	       "%zu uncertain, %zu lost by one OCR run, %zu noise, %zu moved\n",
	       cmd_tty(record), cmd_tty(from), cmd_tty(to), cmd_color(ctx, "green"),
	       d->totals[DECLASS_SPAN_RELEASED].new_words, cmd_color(ctx, "reset"),
	       d->totals[DECLASS_SPAN_RELEASED].spans, cmd_color(ctx, "red"),
	       d->totals[DECLASS_SPAN_WITHHELD].old_words, cmd_color(ctx, "reset"),
	       d->totals[DECLASS_SPAN_WITHHELD].spans, u->new_words + u->old_words,
	       o->new_words + o->old_words, d->totals[DECLASS_SPAN_NOISE].spans,
	       d->totals[DECLASS_SPAN_MOVED].spans);
}

/* Where the text of the version of release `id` came from, if it is one. */
static const char *text_source(const declass_record_version *v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; id && i < n; i++)
		if (!strcmp(v[i].release, id))
			return v[i].text_extractor;
	return NULL;
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "stat", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "show-noise", no_argument, NULL, 'n' },
		{ "show-uncertain", no_argument, NULL, 'u' },
		{ "context", required_argument, NULL, 'U' },
		{ "full", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		CMD_TEXT_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	cmd_text text = CMD_TEXT_INIT;
	declass_record_version *v = NULL;
	declass_archive *a = NULL;
	declass_record_diff *rd = NULL;
	const declass_wdiff *d;
	render r = { 0 };
	const char *record, *from = NULL, *to = NULL, *from_src, *to_src;
	char *old, *new, *end;
	size_t n = 0, nlen;
	long context = 3;
	int opt, stat = 0, json = 0, error, code = EXIT_OK;

	while ((opt = getopt_long(argc, argv, "hU:", opts, NULL)) != -1) {
		if ((error = cmd_limit_option(&ctx->limits, "diff", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		if ((error = cmd_text_option(&text, "diff", opt, optarg)) < 0)
			return -error;
		if (error)
			continue;
		switch (opt) {
		case 's':
			stat = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'n':
			r.show_noise = 1;
			break;
		case 'u':
			r.show_uncertain = 1;
			break;
		case 'U':
			context = strtol(optarg, &end, 10);
			if (*end || context < 0)
				return cmd_usage_error("diff", "--context wants a line count");
			break;
		case 'F':
			context = -1;
			break;
		case 'h':
			return cmd_help(&cmd_def_diff);
		default:
			return cmd_usage_error("diff", "unknown option");
		}
	}
	if (optind >= argc || argc - optind > 3)
		return cmd_usage_error("diff", "give RECORD [FROM [TO]]");
	record = argv[optind];
	if (argc - optind >= 2)
		from = argv[optind + 1];
	if (argc - optind == 3)
		to = argv[optind + 2];
	if ((code = cmd_text_ready(&text)) != 0)
		return code;
	if ((code = cmd_open(&a, ctx, 0)) != 0)
		goto done;
	if ((error = declass_record_log(&v, &n, a, record)) < 0) {
		code = cmd_fail(error);
		goto done;
	}
	/* Default: the two newest versions; FROM alone: FROM against the newest. */
	if (!to)
		to = v[n - 1].release;
	if (!from) {
		if (n < 2) {
			fprintf(stderr,
			        "declass: record %s has one version (release %s); "
			        "all its text is shown as released then\n",
			        cmd_tty(record), cmd_tty(to));
			from = NULL;
		} else {
			from = v[n - 2].release;
		}
	}
	if ((error = cmd_text_lexicon(&text, a, ctx)) < 0 ||
	    (error = declass_record_diff_words(&rd, a, record, from, to, &text.opts)) < 0) {
		code = cmd_fail(error);
		goto done;
	}
	d = rd->d;
	old = rd->old_text;
	new = rd->new_text;
	nlen = rd->new_len;
	from_src = text_source(v, n, from);
	to_src = text_source(v, n, to);
	if (json) {
		json_t *spans = json_array();
		size_t i;

		for (i = 0; i < d->nspans; i++)
			json_array_append_new(spans, span_json(&d->spans[i], old, new));
		code = cmd_json_out(json_pack("{s:s, s:s?, s:s, s:o, s:o, s:{s:s?, s:s?}}",
		                              "record", record, "from", from, "to", to, "spans",
		                              spans, "totals", totals_json(d), "text_from", "from",
		                              from_src, "to", to_src));
		goto done;
	}
	/* Another extractor misreads other words: say so, it is not a release. */
	if (from_src && to_src && strcmp(from_src, to_src))
		fprintf(stderr,
		        "declass: note: the two texts were made differently (%s: %s; %s: %s); "
		        "some differences may come from how each was read, not from a release\n",
		        cmd_tty(from), cmd_tty(from_src), cmd_tty(to), cmd_tty(to_src));
	stat_line(ctx, record, from ? from : "(none)", to, d);
	if (stat)
		goto done;
	r.ctx = ctx;
	r.old = old;
	r.new = new;
	render_diff(&r, d, nlen);
	print_hunks(&r, context);
done:
	free(r.out);
	free(r.changed);
	declass_record_diff_free(rd);
	declass_versions_free(v, n);
	declass_archive_free(a);
	cmd_text_free(&text);
	return code;
}

const cmd cmd_def_diff = {
	"diff",
	run,
	"word diff of a record's text between two releases",
	"usage: declass [-C ARCHIVE] diff [--stat | --json] [--show-noise]\n"
	"                 [--show-uncertain] [--context N | --full] [text options]\n"
	"                 RECORD [FROM [TO]]\n"
	"\n"
	"What release TO made public in RECORD that release FROM hid (released),\n"
	"and what it hides that FROM showed (withheld).  Default: the two newest\n"
	"versions of the record; FROM alone compares it with the newest.\n"
	"A word is released only where FROM's text shows something hidden at its\n"
	"place: a redaction marker, a gap in a line whose other words match, or\n"
	"junk; words two OCR runs read differently are noise, lines one run lost\n"
	"are dropout, and candidates with weaker evidence are uncertain\n"
	"(docs/DIFF.md).  The record's other versions count: words an older\n"
	"version already showed were not released by TO.\n"
	"\n"
	"On a terminal released words are green and withheld red; otherwise\n"
	"they are written {+released+} and [-withheld-] (noise {~old~>new~},\n"
	"uncertain and dropout {?new?} and [?old?]).\n"
	"\n"
	"  --stat         one line of counts\n"
	"  --json         every span {op, text, old, new, marker, evidence,\n"
	"                 confidence} and totals (docs/JSON.md)\n"
	"  --show-noise   mark OCR noise too\n"
	"  --show-uncertain  mark uncertain words and dropout too\n"
	"  -U, --context N  lines of context around changes (default 3)\n"
	"  --full         the whole text\n" CMD_TEXT_OPTIONS_HELP "\n"
	"Example:\n"
	"  declass diff 104-10004-10143 2017-10-26 2021-12-15\n",
};
