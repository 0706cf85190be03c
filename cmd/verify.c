/*
 * declass verify: check the whole archive (fixity, objects, history, tags,
 * trailers, paths), identify loose files by SHA-256, or check a downloaded
 * tranche against its manifest before ingest.  Output is signify's: one
 * `NAME: FAIL reason` line per problem, then a summary; exit 1 if anything
 * failed.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "declass/record.h"
#include "declass/verify.h"

typedef struct out {
	cmd_ctx *ctx;
	int json, quiet;
	int tranche;      /* problems name files of a download, not of the archive */
	json_t *problems; /* --json: every problem */
	cmd_progress bar; /* on stderr, only on a terminal */
} out;

static void show_progress(void *vctx, const declass_progress *p)
{
	out *o = vctx;

	if (!strcmp(p->phase, "check"))
		/* The whole archive: trees are read while files are hashed. */
		cmd_progress_show(&o->bar, "verify", p->files_done, 0, p->bytes_done, 0);
	else
		cmd_progress_show(&o->bar, "verify: hashing", p->files_done, p->files_total,
		                  p->bytes_done, p->bytes_total);
}

static void clear_progress(out *o)
{
	cmd_progress_end(&o->bar);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/*
 * NAME for a problem: release/record/file, as much of it as is known; a
 * path outside the record's folder is shown whole (release/records/...).
 */
static void problem_name(char *buf, size_t cap, const declass_verify_problem *p)
{
	char *place = NULL;
	const char *rest = NULL;
	size_t n = 0, len;

	buf[0] = '\0';
	if (p->record && p->path && declass_record_path(&place, p->record) == 0) {
		len = strlen(place);
		if (!strcmp(p->path, place))
			rest = "";
		else if (!strncmp(p->path, place, len) && p->path[len] == '/')
			rest = p->path + len + 1;
	}
	free(place);
	if (p->release)
		n += (size_t)snprintf(buf + n, cap - n, "%s", p->release);
	if (p->record && (rest || !p->path) && n < cap)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "/" : "", p->record);
	if (p->path && n < cap && (!rest || *rest))
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "/" : "",
		                      rest ? rest : p->path);
	if (!n)
		snprintf(buf, cap, "%.12s", p->object ? p->object : "archive");
}

static void on_problem(void *vctx, const declass_verify_problem *p)
{
	out *o = vctx;
	char name[1024];

	if (o->json) {
		json_array_append_new(o->problems,
		                      json_pack("{s:s, s:o, s:o, s:o, s:o, s:s}", "kind",
		                                declass_verify_kind_name(p->kind), "release",
		                                str_or_null(p->release), "record",
		                                str_or_null(p->record), "path",
		                                str_or_null(p->path), "object",
		                                str_or_null(p->object), "message", p->message));
		return;
	}
	if (o->quiet)
		return;
	clear_progress(o);
	if (o->tranche)
		snprintf(name, sizeof(name), "%s",
		         p->path     ? p->path
		         : p->record ? p->record
		                     : "tranche");
	else
		problem_name(name, sizeof(name), p);
	/* A forged name or message must not rewrite this line or an earlier one. */
	printf("%s: %sFAIL%s %s\n", cmd_tty(name), cmd_color(o->ctx, "red"),
	       cmd_color(o->ctx, "reset"), cmd_tty(p->message));
}

static json_t *counts_json(const declass_verify_counts *c)
{
	json_t *kinds = json_object();
	int k;

	for (k = 0; k < DECLASS_VERIFY__COUNT; k++)
		if (c->by_kind[k])
			json_object_set_new(kinds, declass_verify_kind_name((declass_verify_kind)k),
			                    json_integer((json_int_t)c->by_kind[k]));
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I}",
	                 "releases", (json_int_t)c->releases, "tags", (json_int_t)c->tags,
	                 "objects", (json_int_t)c->objects, "records", (json_int_t)c->records,
	                 "file_versions", (json_int_t)c->file_versions, "blobs",
	                 (json_int_t)c->blobs, "bytes", (json_int_t)c->bytes, "files",
	                 (json_int_t)c->files, "problems", (json_int_t)c->problems, "by_kind",
	                 kinds, "signed", (json_int_t)c->signed_ok, "revisions",
	                 (json_int_t)c->revisions, "revisions_signed",
	                 (json_int_t)c->revisions_signed_ok);
}

/* ": OK" or ": N problems (kind n, ...)" */
static void print_verdict(const out *o, const declass_verify_counts *c)
{
	int k, first = 1;

	if (!c->problems) {
		printf(": %sOK%s\n", cmd_color(o->ctx, "green"), cmd_color(o->ctx, "reset"));
		return;
	}
	printf(": %s%zu problem%s%s (", cmd_color(o->ctx, "red"), c->problems,
	       c->problems == 1 ? "" : "s", cmd_color(o->ctx, "reset"));
	for (k = 0; k < DECLASS_VERIFY__COUNT; k++)
		if (c->by_kind[k]) {
			printf("%s%s %zu", first ? "" : ", ",
			       declass_verify_kind_name((declass_verify_kind)k), c->by_kind[k]);
			first = 0;
		}
	printf(")\n");
}

static int finish(out *o, const char *mode, const declass_verify_counts *c, json_t *extra)
{
	if (o->json) {
		json_t *doc = extra ? extra : json_object();

		json_object_set_new(doc, "mode", json_string(mode));
		json_object_set_new(doc, "ok", json_boolean(c->problems == 0));
		json_object_set_new(doc, "counts", counts_json(c));
		json_object_set_new(doc, "problems", o->problems);
		o->problems = NULL;
		if (cmd_json_out(doc) != EXIT_OK)
			return EXIT_ARCHIVE;
	}
	return c->problems ? EXIT_PROBLEMS : EXIT_OK;
}

static int verify_archive(out *o, const declass_verify_opts *vo)
{
	declass_archive *a = NULL;
	declass_verify_counts c;
	char bytes[32];
	int error;

	if ((error = cmd_open(&a, o->ctx, 0)) != 0)
		return error;
	error = declass_verify_archive(&c, a, vo);
	clear_progress(o);
	declass_archive_free(a);
	if (error < 0)
		return cmd_fail(error);
	if (!o->json && !o->quiet) {
		printf("verify: %zu release%s, %zu tag%s, %zu record folders, %zu file versions, "
		       "%zu distinct files (%s), %zu objects",
		       c.releases, c.releases == 1 ? "" : "s", c.tags, c.tags == 1 ? "" : "s",
		       c.records, c.file_versions, c.blobs, cmd_bytes(bytes, c.bytes), c.objects);
		if (vo->ntrust && c.revisions)
			printf(", %zu of %zu releases and %zu of %zu text revisions signed by a "
			       "trusted key",
			       c.signed_ok, c.releases, c.revisions_signed_ok, c.revisions);
		else if (vo->ntrust)
			printf(", %zu of %zu signed by a trusted key", c.signed_ok, c.releases);
		print_verdict(o, &c);
	}
	return finish(o, "archive", &c, NULL);
}

static int verify_tranche(out *o, const declass_verify_opts *vo, const char *dir,
                          const char *manifest)
{
	declass_verify_counts c;
	char bytes[32];
	int error = declass_verify_tranche(&c, dir, manifest, vo);

	clear_progress(o);
	if (error < 0)
		return cmd_fail(error);
	if (!o->json && !o->quiet) {
		printf("verify: tranche '%s': %zu files listed, %s, %zu checksums checked",
		       cmd_tty(dir), c.files, cmd_bytes(bytes, c.bytes), c.blobs);
		print_verdict(o, &c);
	}
	return finish(o, "tranche", &c,
	              o->json ? json_pack("{s:s, s:s}", "dir", dir, "manifest", manifest) : NULL);
}

static json_t *match_json(const declass_file_match *m)
{
	json_t *later = json_array();
	size_t i;

	for (i = 0; i < m->nunchanged; i++)
		json_array_append_new(later, json_string(m->unchanged_in[i]));
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:s}", "record", m->record, "path",
	                 m->path, "release", m->release, "release_date", m->release_date,
	                 "unchanged_in", later, "size", (json_int_t)m->size, "sha256", m->sha256);
}

static void print_match(const declass_file_match *m)
{
	const char *base = strrchr(m->path, '/') ? strrchr(m->path, '/') + 1 : m->path;
	size_t i;

	printf("%s (%s) as released %s", cmd_tty(m->record), cmd_tty(base),
	       cmd_tty(m->release_date));
	if (strcmp(m->release, m->release_date))
		printf(" in release %s", cmd_tty(m->release));
	for (i = 0; i < m->nunchanged; i++)
		printf("%s%s", i ? ", " : " (and unchanged in ", cmd_tty(m->unchanged_in[i]));
	if (m->nunchanged)
		printf(")");
}

static int verify_files(out *o, const declass_verify_opts *vo, char **files, size_t n)
{
	declass_file_identity *ids = NULL;
	declass_archive *a = NULL;
	declass_verify_counts c;
	json_t *arr = NULL;
	size_t i, k, known = 0;
	int error;

	if ((error = cmd_open(&a, o->ctx, 0)) != 0)
		return error;
	error = declass_verify_files(&ids, &c, a, (const char *const *)files, n, vo);
	clear_progress(o);
	declass_archive_free(a);
	if (error < 0)
		return cmd_fail(error);
	if (o->json)
		arr = json_array();
	for (i = 0; i < n; i++) {
		const declass_file_identity *id = &ids[i];

		known += id->nmatches > 0;
		if (o->json) {
			json_t *ms = json_array();

			for (k = 0; k < id->nmatches; k++)
				json_array_append_new(ms, match_json(&id->matches[k]));
			json_array_append_new(
			        arr,
			        json_pack("{s:s, s:o, s:o, s:o, s:b, s:o, s:o}", "file", id->file,
			                  "sha256",
			                  id->error ? json_null() : json_string(id->sha256), "size",
			                  id->error ? json_null()
			                            : json_integer((json_int_t)id->size),
			                  "error", str_or_null(id->error), "known",
			                  id->nmatches > 0, "matches", ms, "closest",
			                  id->closest.record ? match_json(&id->closest)
			                                     : json_null()));
			continue;
		}
		if (o->quiet)
			continue;
		if (id->error) {
			printf("%s: %sFAIL%s %s\n", cmd_tty(id->file), cmd_color(o->ctx, "red"),
			       cmd_color(o->ctx, "reset"), cmd_tty(id->error));
			continue;
		}
		if (id->nmatches) {
			printf("%s: %sOK%s matches ", cmd_tty(id->file), cmd_color(o->ctx, "green"),
			       cmd_color(o->ctx, "reset"));
			for (k = 0; k < id->nmatches; k++) {
				if (k)
					printf("; also ");
				print_match(&id->matches[k]);
			}
			printf("\n");
			continue;
		}
		printf("%s: %sFAIL%s not in the archive (sha256 %.16s..., %llu bytes)",
		       cmd_tty(id->file), cmd_color(o->ctx, "red"), cmd_color(o->ctx, "reset"),
		       id->sha256, (unsigned long long)id->size);
		if (id->closest.record) {
			printf("; closest: ");
			print_match(&id->closest);
			printf(", %llu bytes", (unsigned long long)id->closest.size);
		}
		printf("\n");
	}
	if (!o->json && !o->quiet)
		printf("verify: %zu file%s: %zu in the archive, %zu not%s\n", n, n == 1 ? "" : "s",
		       known, n - known, n - known ? "" : " (OK)");
	declass_file_identities_free(ids, n);
	return finish(o, "files", &c, o->json ? json_pack("{s:o}", "files", arr) : NULL);
}

static int run(int argc, char **argv, cmd_ctx *ctx)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "tranche", required_argument, NULL, 't' },
		{ "manifest", required_argument, NULL, 'm' },
		{ "trust", required_argument, NULL, 'T' },
		{ "bag", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	declass_verify_opts vo = { 0 };
	const char *tranche = NULL, *manifest = NULL, *bag = NULL;
	declass_key *keys[CMD_MAX_TRUST];
	size_t nkeys = 0, i;
	out o = { 0 };
	int opt, code;
	char *end;
	long jobs;

	o.ctx = ctx;
	while ((opt = getopt_long(argc, argv, "hqj:", opts, NULL)) != -1) {
		switch (opt) {
		case 'J':
			o.json = 1;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 't':
			tranche = optarg;
			break;
		case 'm':
			manifest = optarg;
			break;
		case 'B':
			bag = optarg;
			break;
		case 'j':
			jobs = strtol(optarg, &end, 10);
			if (*end || jobs < 1 || jobs > 256)
				return cmd_usage_error(
				        "verify", "--jobs wants a number from 1 to 256, not '%s'",
				        optarg);
			vo.threads = (unsigned)jobs;
			break;
		case 'T':
			if ((code = cmd_trust_key(keys, &nkeys, "verify", optarg)) != 0)
				goto done;
			break;
		case 'h':
			code = cmd_help(&cmd_def_verify);
			goto done;
		default:
			code = cmd_usage_error("verify", "unknown option");
			goto done;
		}
	}
	if (bag) { /* a BagIt bag: cmd/export.c */
		code = tranche || nkeys || optind != argc
		               ? cmd_usage_error("verify", "--bag takes no other argument")
		               : cmd_verify_bag(ctx, bag, o.json, o.quiet);
		goto done;
	}
	if (!!tranche != !!manifest) {
		code = cmd_usage_error("verify", "--tranche and --manifest go together");
		goto done;
	}
	if (tranche && optind != argc) {
		code = cmd_usage_error("verify", "--tranche takes no FILE arguments");
		goto done;
	}
	if (nkeys && (tranche || optind != argc)) {
		code = cmd_usage_error("verify",
		                       "--trust checks the whole archive; it takes no FILE "
		                       "or --tranche");
		goto done;
	}
	vo.trust = (const declass_key *const *)keys;
	vo.ntrust = nkeys;
	if (o.json && !(o.problems = json_array())) {
		fprintf(stderr, "declass: out of memory\n");
		code = EXIT_ARCHIVE;
		goto done;
	}
	vo.problem = on_problem;
	vo.problem_ctx = &o;
	if (ctx->progress && !o.quiet) {
		cmd_progress_start(&o.bar, ctx);
		vo.progress = show_progress;
		vo.progress_ctx = &o;
	}
	if (tranche) {
		o.tranche = 1;
		code = verify_tranche(&o, &vo, tranche, manifest);
	} else if (optind < argc) {
		vo.problem = NULL; /* each file gets its own line */
		code = verify_files(&o, &vo, argv + optind, (size_t)(argc - optind));
	} else {
		code = verify_archive(&o, &vo);
	}
done:
	json_decref(o.problems);
	for (i = 0; i < nkeys; i++)
		declass_key_free(keys[i]);
	return code;
}

const cmd cmd_def_verify = {
	"verify",
	run,
	"check the archive's fixity and history, or identify files",
	"usage: declass [-C ARCHIVE] verify [--json] [--quiet] [--jobs N] [--trust PUB.pem]...\n"
	"       declass [-C ARCHIVE] verify [--json] [--quiet] FILE...\n"
	"       declass verify --tranche DIR --manifest FILE [--json] [--quiet]\n"
	"       declass verify --bag DIR [--json] [--quiet]\n"
	"\n"
	"Without arguments, verify the whole archive: every file version of every\n"
	"release (each distinct file hashed once, SHA-256 and size compared with\n"
	"meta.json and releases/ID.json), every Git object reached from the\n"
	"branch and the release tags (read back and hashed to its id), a linear\n"
	"history of release commits, each tag on its release's commit, each\n"
	"commit's trailers against its releases/ID.json, every record in its\n"
	"own place, and no replace ref or graft (through which git show and git\n"
	"diff would print other objects than the archive holds).  One line per\n"
	"problem, 'RELEASE/RECORD/FILE: FAIL reason', then a summary.\n"
	"\n"
	"With FILE arguments, identify loose files by SHA-256: which record and\n"
	"release they are, or that they are not in the archive (and, for a file\n"
	"named after a record, which archived version it is closest to).\n"
	"\n"
	"With --tranche, check a downloaded tranche before ingest: every file\n"
	"the manifest lists is there, nothing unlisted but NAME.txt sidecars,\n"
	"sizes and SHA-256 where the manifest has such columns, and that ingest\n"
	"would accept the folder.  No archive is needed.\n"
	"\n"
	"  --json       one JSON document with every problem and the counts\n"
	"  --quiet, -q  print nothing; the exit code tells\n"
	"  --jobs N     hashing threads (default: one per core)\n"
	"  --trust PUB.pem  every release must carry a valid signature by this\n"
	"               Ed25519 key (repeat for several trusted keys); releases\n"
	"               unsigned, signed by another key or tampered with fail\n"
	"               (docs/SIGNING.md)\n"
	"  --tranche DIR --manifest FILE   check a downloaded tranche\n"
	"  --bag DIR    validate a BagIt bag (declass export): complete and valid,\n"
	"               one line per file at fault (docs/REPORT.md); files its\n"
	"               fetch.txt lists that it lacks make it incomplete (exit 1)\n"
	"\n"
	"Exit: 0 nothing wrong, 1 problems found (or a file not in the archive),\n"
	"2 usage or bad input, 3 the archive cannot be opened.  docs/VERIFY.md\n"
	"lists every check.\n"
	"\n"
	"Example:\n"
	"  declass -C jfk.archive verify\n"
	"  declass -C jfk.archive verify --trust nara-archivist.pub.pem\n"
	"  declass -C jfk.archive verify ~/Downloads/104-10004-10143.pdf\n"
	"  declass verify --tranche downloads/2025-03-18 --manifest 2025.csv\n"
	"  declass verify --bag jfk-2021-12-15\n",
};
