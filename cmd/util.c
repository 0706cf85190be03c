/* Output helpers shared by the subcommands: errors, JSON, colour. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
	fprintf(stderr, "declass: %s\n", declass_error_last());
	switch (code) {
	case DECLASS_EINPUT:
	case DECLASS_ENOTFOUND:
	case DECLASS_ECONFLICT:
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

	return error < 0 ? cmd_fail(error) : 0;
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

const char *cmd_color(const cmd_ctx *ctx, const char *what)
{
	static const struct { const char *name, *esc; } colors[] = {
		{ "bold", "\033[1m" }, { "green", "\033[32m" }, { "red", "\033[31m" },
		{ "yellow", "\033[33m" }, { "dim", "\033[2m" }, { "reset", "\033[0m" },
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
			return -cmd_usage_error(name, "--tolerance wants a number from 0 to 1, not '%s'", arg);
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
	}
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
