/* Output helpers shared by the subcommands: errors, JSON, colour. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"

int cmd_help(const cmd *c)
{
	fputs(c->usage, stdout);
	return EXIT_OK;
}

int cmd_usage_error(const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "declass %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsee 'declass %s --help'\n", name);
	return EXIT_USAGE;
}

int cmd_fail(int code)
{
	fprintf(stderr, "declass: %s\n", cmd_tty(declass_error_last()));
	switch (code) {
	case DECLASS_EINPUT:
	case DECLASS_ENOTFOUND:
	case DECLASS_ECONFLICT:
	case DECLASS_ELIMIT:
		return EXIT_USAGE;
	case DECLASS_ELOCKED:
	case DECLASS_EARCHIVE:
	case DECLASS_ENOMEM:
	case DECLASS_ERROR:
	default:
		return EXIT_ARCHIVE;
	}
}

int cmd_open(declass_archive **out, cmd_ctx *ctx, unsigned flags)
{
	int error = declass_archive_open(out, ctx->archive, flags, 10000);

	if (error < 0)
		return cmd_fail(error);
	declass_archive_set_limits(*out, &ctx->limits);
	return 0;
}

/* A size: bytes, or with K, M or G (powers of 1024); `none`: no limit. */
static int parse_size(const char *arg, uint64_t *out)
{
	char *end;
	unsigned long long n;
	unsigned shift = 0;

	if (!strcmp(arg, "none")) {
		*out = UINT64_MAX;
		return 0;
	}
	errno = 0;
	n = strtoull(arg, &end, 10);
	if (end == arg || errno || *arg == '-')
		return -1;
	if (*end == 'K' || *end == 'k')
		shift = 10, end++;
	else if (*end == 'M' || *end == 'm')
		shift = 20, end++;
	else if (*end == 'G' || *end == 'g')
		shift = 30, end++;
	if (*end || n == 0 || n > (UINT64_MAX >> 1) >> shift)
		return -1;
	*out = (uint64_t)n << shift;
	return 0;
}

int cmd_limit_option(declass_limits *l, const char *name, int opt, const char *arg)
{
	static const char *const names[] = { "--max-text", "--max-pages", "--max-page-seconds",
		                             "--max-pdf-seconds", "--max-pdf-content" };
	unsigned long n;
	char *end;
	double s;

	if (opt < 0x200 || opt > 0x204)
		return 0;
	errno = 0;
	switch (opt) {
	case 0x200:
		if (parse_size(arg, &l->text) < 0)
			break;
		return 1;
	case 0x201:
		n = !strcmp(arg, "none") ? UINT_MAX : strtoul(arg, &end, 10);
		if (n != UINT_MAX &&
		    (*arg == '-' || end == arg || *end || errno || n == 0 || n >= UINT_MAX))
			break;
		l->pdf_pages = (unsigned int)n;
		return 1;
	case 0x202:
	case 0x203:
		s = !strcmp(arg, "none") ? INFINITY : strtod(arg, &end);
		if (!isinf(s) && (end == arg || *end || !(s >= 0.001) || s > 1e9))
			break;
		*(opt == 0x202 ? &l->pdf_page_seconds : &l->pdf_seconds) = s;
		return 1;
	case 0x204:
		if (parse_size(arg, &l->pdf_content) < 0)
			break;
		return 1;
	}
	return -cmd_usage_error(name, "%s wants %s or 'none', not '%s'", names[opt - 0x200],
	                        opt == 0x201                   ? "a count of pages"
	                        : opt == 0x202 || opt == 0x203 ? "seconds (0.001 or more)"
	                                                       : "a size (bytes, or 64K, 32M, 1G)",
	                        arg);
}

int cmd_skip_over_limit(int error)
{
	if (error != DECLASS_ELIMIT)
		return error;
	fprintf(stderr, "declass: warning: %s: skipped\n", declass_error_last());
	return 0;
}

int cmd_json_out(json_t *doc)
{
	int error;

	if (!doc || json_object_set_new(doc, "schema", json_integer(CMD_JSON_SCHEMA)) < 0) {
		json_decref(doc);
		fprintf(stderr, "declass: out of memory\n");
		return EXIT_ARCHIVE;
	}
	error = json_dumpf(doc, stdout, JSON_SORT_KEYS | JSON_INDENT(2));
	json_decref(doc);
	if (error < 0 || fputc('\n', stdout) == EOF)
		return cmd_finish(EXIT_ARCHIVE);
	return EXIT_OK;
}

int cmd_finish(int code)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "declass: cannot write output: %s\n", strerror(errno));
		return EXIT_ARCHIVE;
	}
	return code;
}

static char *tty_slots[CMD_TTY_SLOTS];
static size_t tty_next;

const char *cmd_tty(const char *s)
{
	char *esc;

	if (!s)
		return NULL;
	if (declass_display_escape(&esc, s, strlen(s), 0) < 0)
		return "(out of memory)";
	if (!esc)
		return s;
	free(tty_slots[tty_next]);
	tty_slots[tty_next] = esc;
	tty_next = (tty_next + 1) % CMD_TTY_SLOTS;
	return esc;
}

void cmd_tty_free(void)
{
	size_t i;

	for (i = 0; i < CMD_TTY_SLOTS; i++) {
		free(tty_slots[i]);
		tty_slots[i] = NULL;
	}
}

void cmd_put_text(FILE *f, const char *s, size_t len)
{
	char *esc = NULL;

	if (declass_display_escape(&esc, s, len, DECLASS_DISPLAY_LINES) < 0)
		fputs("(out of memory)", f);
	else if (esc)
		fputs(esc, f);
	else
		fwrite(s, 1, len, f);
	free(esc);
}

const char *cmd_color(const cmd_ctx *ctx, const char *what)
{
	static const struct {
		const char *name, *esc;
	} colors[] = {
		{ "bold", "\033[1m" },    { "green", "\033[32m" }, { "red", "\033[31m" },
		{ "yellow", "\033[33m" }, { "dim", "\033[2m" },    { "reset", "\033[0m" },
	};
	size_t i;

	if (!ctx->color)
		return "";
	for (i = 0; i < sizeof(colors) / sizeof(*colors); i++)
		if (!strcmp(colors[i].name, what))
			return colors[i].esc;
	return "";
}

const char *cmd_bytes(char buf[32], uint64_t n)
{
	static const char *units[] = { "B", "kB", "MB", "GB", "TB" };
	double v = (double)n;
	size_t u = 0;

	while (v >= 1000 && u + 1 < sizeof(units) / sizeof(*units)) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(buf, 32, "%llu B", (unsigned long long)n);
	else
		snprintf(buf, 32, "%.1f %s", v, units[u]);
	return buf;
}

char *cmd_split_at(char *arg, char **release)
{
	char *at = strrchr(arg, '@');

	*release = NULL;
	if (at && at != arg) {
		*at = '\0';
		*release = at + 1;
	}
	return arg;
}

int cmd_text_option(cmd_text *t, const char *name, int opt, const char *arg)
{
	char *end;

	switch (opt) {
	case 0x100:
		t->opts.tolerance = strtod(arg, &end);
		if (*end || end == arg || t->opts.tolerance < 0 || t->opts.tolerance >= 1)
			return -cmd_usage_error(
			        name, "--tolerance wants a number from 0 to 1, not '%s'", arg);
		return 1;
	case 0x101: {
		unsigned long n = strtoul(arg, &end, 10);

		if (*end || end == arg || n > 1000)
			return -cmd_usage_error(name, "--min-words wants a count, not '%s'", arg);
		t->opts.min_words = (size_t)n;
		return 1;
	}
	case 0x102:
		t->markers_path = arg;
		return 1;
	case 0x103:
		t->opts.patience = 1;
		return 1;
	case 0x104:
		t->opts.min_confidence = strtod(arg, &end);
		if (*end || end == arg || t->opts.min_confidence < 0 || t->opts.min_confidence > 1)
			return -cmd_usage_error(
			        name, "--min-confidence wants a number from 0 to 1, not '%s'", arg);
		return 1;
	}
	return 0;
}

struct vocab_progress {
	cmd_progress bar;
	int started;
	const cmd_ctx *ctx;
};

static void vocab_tick(void *ctx, size_t done, size_t total)
{
	struct vocab_progress *p = ctx;

	if (!p->started) {
		cmd_progress_start(&p->bar, p->ctx);
		p->started = 1;
	}
	cmd_progress_show(&p->bar, "counting the collection's vocabulary", done, total, 0, 0);
}

int cmd_text_lexicon(cmd_text *t, declass_archive *a, const cmd_ctx *ctx)
{
	struct vocab_progress p = { { 0 }, 0, ctx };
	int error;

	if (t->opts.lexicon)
		return 0;
	error = declass_archive_lexicon(&t->opts.lexicon, a, vocab_tick, &p);
	if (p.started)
		cmd_progress_end(&p.bar);
	if (error < 0)
		return error;
	if (declass_archive_lexicon_lacks_words(a))
		fprintf(stderr,
		        "declass: note: no English word list at %s (Debian package "
		        "wamerican): words are judged by the archive's vocabulary and "
		        "their shape only\n",
		        declass_lexicon_default_words());
	return 0;
}

int cmd_text_ready(cmd_text *t)
{
	int error;

	if (!t->markers_path)
		return 0;
	if ((error = declass_markers_load(&t->markers, t->markers_path, 1)) < 0)
		return cmd_fail(error);
	t->opts.markers = t->markers;
	return 0;
}

void cmd_text_free(cmd_text *t)
{
	declass_markers_free(t->markers);
	t->markers = NULL;
}

static double now_secs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cmd_progress_start(cmd_progress *p, const cmd_ctx *ctx)
{
	p->on = ctx->progress;
	p->start = now_secs();
	p->last = 0;
	p->label = NULL;
}

static void eta_text(char buf[32], double secs)
{
	unsigned s = secs >= 0 && secs < 360000 ? (unsigned)(secs + 0.5) : 0;

	if (secs < 0 || secs >= 360000)
		snprintf(buf, 32, "--:--");
	else if (s >= 3600)
		snprintf(buf, 32, "%u:%02u:%02u", s / 3600 % 1000, s / 60 % 60, s % 60);
	else
		snprintf(buf, 32, "%u:%02u", s / 60 % 60, s % 60);
}

void cmd_progress_show(cmd_progress *p, const char *label, uint64_t done, uint64_t total,
                       uint64_t bytes_done, uint64_t bytes_total)
{
	double t, elapsed, frac, rate;
	uint64_t of, at;
	char bar[32], eta[32], a[32], b[32], r[48];
	int width = 24, fill, i;

	if (!p->on)
		return;
	t = now_secs();
	/* Redraw at most ten times a second, but always for a new label or the end. */
	if (p->label == label && t - p->last < 0.1 && !(total && done >= total))
		return;
	p->last = t;
	p->label = label;
	elapsed = t - p->start;
	if (!total && !bytes_total) {
		if (done)
			fprintf(stderr, "\r%s... %llu\033[K", label, (unsigned long long)done);
		else
			fprintf(stderr, "\r%s...\033[K", label);
		fflush(stderr);
		return;
	}
	at = bytes_total ? bytes_done : done;
	of = bytes_total ? bytes_total : total;
	frac = of ? (double)at / (double)of : 0;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * width + 0.5);
	for (i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '-';
	bar[width] = '\0';
	rate = elapsed > 0.2 ? (double)at / elapsed : 0;
	eta_text(eta, rate > 0 ? (double)(of - (at < of ? at : of)) / rate : -1);
	if (bytes_total)
		snprintf(r, sizeof(r), "%s/s", cmd_bytes(a, (uint64_t)rate));
	else
		snprintf(r, sizeof(r), "%.1f/s", rate);
	fprintf(stderr, "\r%s [%s] %3d%%  %llu/%llu", label, bar, (int)(frac * 100),
	        (unsigned long long)done, (unsigned long long)total);
	if (bytes_total)
		fprintf(stderr, "  %s/%s", cmd_bytes(a, bytes_done), cmd_bytes(b, bytes_total));
	fprintf(stderr, "  %s  ETA %s\033[K", rate > 0 ? r : "-", eta);
	fflush(stderr);
}

void cmd_progress_end(cmd_progress *p)
{
	if (p->on && p->label) {
		fprintf(stderr, "\r\033[K");
		fflush(stderr);
	}
	p->label = NULL;
}

int cmd_ocr_mode(declass_ocr_mode *out, const char *arg)
{
	if (!strcmp(arg, "auto"))
		*out = DECLASS_OCR_AUTO;
	else if (!strcmp(arg, "always"))
		*out = DECLASS_OCR_ALWAYS;
	else if (!strcmp(arg, "never"))
		*out = DECLASS_OCR_NEVER;
	else
		return -1;
	return 0;
}

int cmd_trust_key(declass_key **keys, size_t *n, const char *name, const char *path)
{
	if (*n == CMD_MAX_TRUST)
		return cmd_usage_error(name, "at most %d --trust keys", CMD_MAX_TRUST);
	if (declass_key_load(&keys[*n], path) < 0)
		return cmd_fail(declass_error_code());
	(*n)++;
	return 0;
}
