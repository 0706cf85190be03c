/*
 * Trust in the archive's history: the branch's commits read oldest first
 * (each a release or a text revision), a text revision checked to change
 * records' text only, and each release tag checked to sit on its
 * release's commit, annotated, with signatures that verify (by a trusted
 * key, with --trust).  docs/VERIFY.md and docs/SIGNING.md describe the
 * checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive/sign.h"
#include "util/grow.h"
#include "util/jsonutil.h"
#include "verify_internal.h"

/* ---- commits --------------------------------------------------------- */

/* The trailer `key` of a message as a new string; NULL if absent or unreadable. */
char *verify_trailer(const char *message, const char *key)
{
	char *t = NULL;

	dc_trailer_dup(&t, message, key);
	return t;
}

int verify_load_history(verifier *v)
{
	relinfo *list = NULL;
	size_t n = 0, alloc = 0, i;
	store_oid c, tree, parent;
	size_t nparents;
	dc_buf msg = DC_BUF_INIT;
	int error;

	error = store_tip(v->s, &c);
	if (error == DECLASS_ENOTFOUND)
		return 0;
	if (error < 0)
		return error;
	for (;;) {
		char hex[STORE_OID_HEX];

		dc_buf_truncate(&msg, 0);
		store_oid_fmt(hex, &c);
		error = store_commit_read(v->s, &c, &tree, &parent, &nparents, &msg);
		if (error < 0) {
			/* The walk ends here: older commits cannot be reached. */
			char what[64];

			snprintf(what, sizeof(what), "commit %.12s", hex);
			error = verify_report_read(&v->r, error, n ? list[n - 1].label : NULL, NULL,
			                           NULL, &c);
			if (error == 0)
				verify_report(&v->r, DECLASS_VERIFY_HISTORY,
				              n ? list[n - 1].label : NULL, NULL, NULL, &c,
				              "the history below %s cannot be read: older releases "
				              "are not verified",
				              n ? list[n - 1].label : what);
			break;
		}
		v->r.c->objects++;
		if ((error = dc_grow(&list, &alloc, n + 1, sizeof(*list))) < 0)
			break;
		memset(&list[n], 0, sizeof(list[n]));
		list[n].commit = c;
		list[n].tree = tree;
		list[n].message = dc_buf_detach(&msg);
		list[n].id = verify_trailer(list[n].message, "Release-Id");
		list[n].date = verify_trailer(list[n].message, "Release-Date");
		list[n].json_sha = verify_trailer(list[n].message, "Release-JSON-SHA256");
		if (dc_message_kind(list[n].message, &list[n].kind) < 0)
			list[n].kind = DC_COMMIT_OTHER;
		if (list[n].id)
			list[n].label = strdup(list[n].id);
		else if ((list[n].label = malloc(40)))
			snprintf(list[n].label, 40, "%s %.12s",
			         list[n].kind == DC_COMMIT_REVISION ? "text revision" : "commit",
			         hex);
		if (!list[n++].label) {
			error = dc_error_oom();
			break;
		}
		if (nparents > 1)
			verify_report(&v->r, DECLASS_VERIFY_HISTORY, list[n - 1].label, NULL, NULL,
			              &c,
			              "commit %.12s is a merge of %zu commits: the history must be "
			              "linear",
			              hex, nparents);
		if (nparents == 0)
			break;
		c = parent;
	}
	/* Oldest first. */
	for (i = 0; i < n / 2; i++) {
		relinfo t = list[i];

		list[i] = list[n - 1 - i];
		list[n - 1 - i] = t;
	}
	v->rels = list;
	v->nrels = n;
	dc_buf_free(&msg);
	return error;
}

/* ---- text revisions -------------------------------------------------- */

/* meta.json without what a text revision may change: the text. */
static json_t *meta_sans_text(const json_t *meta)
{
	json_t *copy = json_deep_copy(meta), *f;
	const char *name;

	if (!copy)
		return NULL;
	json_object_del(copy, "text");
	json_object_foreach(json_object_get(copy, "files"), name, f)
	        json_object_del(f, "text_extraction");
	return copy;
}

typedef struct revcheck {
	verifier *v;
	const relinfo *r, *parent;
	store_oid *names_oid; /* the parent's folder: names and ids */
	char **names;
	size_t n, alloc;
	dc_buf a, b;
} revcheck;

static int rev_collect(void *ctx, const char *name, int is_dir, const store_oid *oid)
{
	revcheck *c = ctx;

	(void)is_dir;
	if (c->n == c->alloc) {
		size_t cap = c->alloc ? 2 * c->alloc : 8;
		char **names = realloc(c->names, cap * sizeof(*names));
		store_oid *oids = names ? realloc(c->names_oid, cap * sizeof(*oids)) : NULL;

		if (names)
			c->names = names;
		if (!names || !oids)
			return dc_error_oom();
		c->names_oid = oids;
		c->alloc = cap;
	}
	if (!(c->names[c->n] = strdup(name)))
		return dc_error_oom();
	c->names_oid[c->n++] = *oid;
	return 0;
}

/* One file of the revised folder: the same as before unless it is text. */
static int rev_compare(void *ctx, const char *name, int is_dir, const store_oid *oid)
{
	revcheck *c = ctx;
	size_t i;

	(void)is_dir;
	if (!strcmp(name, "text.txt") || !strcmp(name, "meta.json"))
		return 0;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->names[i], name)) {
			if (!store_oid_equal(&c->names_oid[i], oid))
				break;
			free(c->names[i]);
			c->names[i] = c->names[--c->n];
			c->names_oid[i] = c->names_oid[c->n];
			return 0;
		}
	verify_report(&c->v->r, DECLASS_VERIFY_HISTORY, c->r->label, NULL, c->a.ptr, oid,
	              "the text revision %s released file '%s' of %s: a text revision may change "
	              "text.txt and meta.json's text only",
	              i < c->n ? "changed" : "added", name, c->a.ptr);
	return 0;
}

/* The part of a meta.json's text for file `name`, or NULL. */
static const json_t *text_part(const json_t *meta, const char *name)
{
	const json_t *parts = json_object_get(json_object_get(meta, "text"), "parts"), *p;
	size_t i;

	json_array_foreach(parts, i, p)
	{
		const char *f = json_string_value(json_object_get(p, "file"));

		if (f && !strcmp(f, name))
			return p;
	}
	return NULL;
}

/*
 * What a re-extraction may change of a record's text: the parts it
 * extracts from the released files, each written by an extractor its
 * commit names.  A text that came with the release (a sidecar, a released
 * .txt, a third party's OCR) is the release's own and stays as it is.
 */
static void rev_text_parts(revcheck *c, const char *path, const json_t *old, const json_t *new)
{
	const json_t *parts = json_object_get(json_object_get(new, "text"), "parts"), *p, *q;
	char *extractors = verify_trailer(c->r->message, "Extractor");
	size_t i;

	json_array_foreach(json_object_get(json_object_get(old, "text"), "parts"), i, p)
	{
		const char *f = json_string_value(json_object_get(p, "file"));
		const char *src = json_string_value(json_object_get(p, "source"));

		if (!f || !src || !strcmp(src, "extracted"))
			continue;
		if (!(q = text_part(new, f)) || !json_equal(p, q))
			verify_report(
			        &c->v->r, DECLASS_VERIFY_HISTORY, c->r->label, NULL, path, NULL,
			        "the text revision changed the text of '%s' in %s, which came "
			        "with its release (source '%s'): a text revision re-extracts "
			        "extracted text only",
			        f, path, src);
	}
	json_array_foreach(parts, i, q)
	{
		const char *f = json_string_value(json_object_get(q, "file"));
		const char *src = json_string_value(json_object_get(q, "source"));
		const char *ex = json_string_value(json_object_get(q, "extractor"));

		p = f ? text_part(old, f) : NULL;
		if (p && json_equal(p, q))
			continue; /* unchanged */
		if (!src || strcmp(src, "extracted"))
			verify_report(
			        &c->v->r, DECLASS_VERIFY_HISTORY, c->r->label, NULL, path, NULL,
			        "the text revision wrote text for '%s' in %s with source '%s': "
			        "a text revision writes extracted text only",
			        f ? f : "?", path, src ? src : "(none)");
		else if (!ex || !extractors || !strstr(extractors, ex))
			verify_report(
			        &c->v->r, DECLASS_VERIFY_HISTORY, c->r->label, NULL, path, NULL,
			        "the text revision wrote text for '%s' in %s by extractor '%s', "
			        "which its Extractor trailer does not name",
			        f ? f : "?", path, ex ? ex : "(none)");
	}
	free(extractors);
}

static int rev_record(void *ctx, const char *path)
{
	revcheck *c = ctx;
	json_t *old = NULL, *new = NULL, *x = NULL, *y = NULL;
	size_t i;
	int error;

	for (i = 0; i < c->n; i++)
		free(c->names[i]);
	c->n = 0;
	dc_buf_truncate(&c->a, 0);
	if ((error = dc_buf_adds(&c->a, path)) < 0)
		return error;
	error = store_list_dir(c->v->s, &c->parent->commit, path, rev_collect, c);
	if (error == DECLASS_ENOTFOUND) {
		verify_report(&c->v->r, DECLASS_VERIFY_HISTORY, c->r->label, NULL, path, NULL,
		              "the text revision added the record folder %s", path);
		return 0;
	}
	if (error < 0)
		return error;
	error = store_list_dir(c->v->s, &c->r->commit, path, rev_compare, c);
	if (error == DECLASS_ENOTFOUND) {
		verify_report(&c->v->r, DECLASS_VERIFY_HISTORY, c->r->label, NULL, path, NULL,
		              "the text revision removed the record folder %s", path);
		return 0;
	}
	if (error < 0)
		return error;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->names[i], "text.txt") && strcmp(c->names[i], "meta.json"))
			verify_report(&c->v->r, DECLASS_VERIFY_HISTORY, c->r->label, NULL, path,
			              NULL, "the text revision removed released file '%s' of %s",
			              c->names[i], path);
	/* meta.json: nothing but the text may differ. */
	dc_buf_truncate(&c->b, 0);
	if ((error = dc_buf_addf(&c->b, "%s/meta.json", path)) < 0)
		return error;
	dc_buf_truncate(&c->a, 0);
	if (store_read_file(c->v->s, &c->parent->commit, c->b.ptr, &c->a, NULL) < 0 ||
	    dc_json_parse(&old, &c->a, c->b.ptr) < 0)
		goto done; /* the release's own check reports it */
	dc_buf_truncate(&c->a, 0);
	if (store_read_file(c->v->s, &c->r->commit, c->b.ptr, &c->a, NULL) < 0 ||
	    dc_json_parse(&new, &c->a, c->b.ptr) < 0)
		goto done; /* check_record() reports it */
	if (!(x = meta_sans_text(old)) || !(y = meta_sans_text(new))) {
		error = dc_error_oom();
		goto done;
	}
	if (!json_equal(x, y))
		verify_report(&c->v->r, DECLASS_VERIFY_HISTORY, c->r->label, NULL, c->b.ptr, NULL,
		              "the text revision changed %s beyond its text: a text revision may "
		              "change the text only",
		              c->b.ptr);
	rev_text_parts(c, path, old, new);
done:
	json_decref(old);
	json_decref(new);
	json_decref(x);
	json_decref(y);
	return error;
}

static int trusted(const verifier *v, const char *fp);

/*
 * The signature lines of a release tag or a text revision, judged:
 * malformed and invalid ones reported (and counted in *bad), and with
 * trust keys, a commit signed only by untrusted keys.  `subject` names
 * what is signed ("release X"), `holder` where the lines are ("tag
 * release/X"), `altered` what an invalid signature means.  Returns the
 * number of good signatures (valid, and trusted when keys are given).
 */
static size_t judge_sigs(verifier *v, const relinfo *r, const store_oid *obj,
                         const dc_tag_sigs *sigs, const char *subject, const char *holder,
                         const char *altered, size_t *bad)
{
	size_t ntrust = v->o ? v->o->ntrust : 0, i, good = 0;
	const char *untrusted = NULL;

	for (i = 0; i < sigs->n; i++) {
		const dc_tag_sig *s = &sigs->v[i];

		if (s->malformed) {
			(*bad)++;
			verify_report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, obj,
			              "%s has a malformed " DC_SIG_TRAILER " line (%zu)", holder,
			              i + 1);
		} else if (!s->valid) {
			(*bad)++;
			verify_report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, obj,
			              "the signature by key %.16s... on %s does not verify: %s",
			              s->fp, subject, altered);
		} else if (!ntrust || trusted(v, s->fp)) {
			good++;
		} else if (!untrusted) {
			untrusted = s->fp;
		}
	}
	if (ntrust && !good && untrusted)
		verify_report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, obj,
		              "%s is signed by key %.16s..., which is not a trusted key", subject,
		              untrusted);
	return good;
}

/*
 * The signature of a text revision, in its own message (docs/SIGNING.md):
 * required from a trusted key when trust keys are given, like a release's.
 */
static int rev_signature(verifier *v, const relinfo *r, const relinfo *parent)
{
	size_t ntrust = v->o ? v->o->ntrust : 0, good = 0, bad = 0;
	char tree[STORE_OID_HEX], par[STORE_OID_HEX];
	dc_tag_sigs sigs;
	int error;

	v->r.c->revisions++;
	store_oid_fmt(tree, &r->tree);
	store_oid_fmt(par, &parent->commit);
	if ((error = dc_revision_sigs_check(&sigs, r->message, tree, par)) < 0)
		return error;
	if (sigs.n == 0 && ntrust)
		verify_report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, &r->commit,
		              "%s is not signed: its message carries no " DC_SIG_TRAILER " line "
		              "(declass reextract --sign)",
		              r->label);
	if (sigs.altered) {
		bad++;
		verify_report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, &r->commit,
		              "the message of %s has lines after its signatures", r->label);
	}
	good = judge_sigs(v, r, &r->commit, &sigs, r->label, r->label,
	                  "its text, message or history was altered after signing", &bad);
	if (good && !bad)
		v->r.c->revisions_signed_ok++;
	dc_tag_sigs_free(&sigs);
	return 0;
}

/*
 * A text revision (declass reextract): after a release, and changing
 * nothing but records' text.txt and the text in their meta.json.
 */
int verify_check_revision(verifier *v)
{
	const relinfo *r = &v->rels[v->cur], *p;
	revcheck c = { v, r, NULL, NULL, NULL, 0, 0, DC_BUF_INIT, DC_BUF_INIT };
	static const char *const same[] = { "DECLASS.json", "releases" };
	store_oid x, y;
	char *after = verify_trailer(r->message, "Text-Revision");
	size_t i;
	int error = 0, found;

	if (v->cur == 0) {
		verify_report(&v->r, DECLASS_VERIFY_HISTORY, r->label, NULL, NULL, &r->commit,
		              "the branch begins with a text revision, not a release");
		goto done;
	}
	c.parent = p = &v->rels[v->cur - 1];
	for (i = v->cur, found = 0; i-- > 0 && !found;)
		if (v->rels[i].id) {
			found = 1;
			if (!after || strcmp(after, v->rels[i].id))
				verify_report(&v->r, DECLASS_VERIFY_TRAILER, r->label, NULL, NULL,
				              &r->commit,
				              "Text-Revision says it follows release '%s', but the "
				              "newest "
				              "release before it is %s",
				              after ? after : "", v->rels[i].id);
		}
	for (i = 0; i < 2; i++) {
		int ex = store_path_oid(v->s, &p->commit, same[i], &x),
		    ey = store_path_oid(v->s, &r->commit, same[i], &y);

		if (ex != ey || (ex == 0 && !store_oid_equal(&x, &y)))
			verify_report(&v->r, DECLASS_VERIFY_HISTORY, r->label, NULL, same[i], NULL,
			              "the text revision changed %s: a text revision may change "
			              "text only",
			              same[i]);
	}
	error = store_changed_records(v->s, &p->commit, &r->commit, rev_record, &c);
	if (error == 0)
		error = rev_signature(v, r, p);
done:
	for (i = 0; i < c.n; i++)
		free(c.names[i]);
	free(c.names);
	free(c.names_oid);
	dc_buf_free(&c.a);
	dc_buf_free(&c.b);
	free(after);
	return error;
}

/* ---- tags and signatures --------------------------------------------- */

/* A trusted key's fingerprint? */
static int trusted(const verifier *v, const char *fp)
{
	size_t i;

	for (i = 0; v->o && i < v->o->ntrust; i++)
		if (!strcmp(declass_key_fingerprint(v->o->trust[i]), fp))
			return 1;
	return 0;
}

/*
 * The signatures in the message of release r's tag (docs/SIGNING.md): each
 * must verify over the statement of the release as its commit states it,
 * the message above them must be the one ingest wrote, and with trusted
 * keys one of them must be by a trusted key.
 */
static int check_signature(verifier *v, relinfo *r, const store_oid *tag, const char *msg)
{
	size_t ntrust = v->o ? v->o->ntrust : 0, good = 0, bad = 0;
	dc_buf who = DC_BUF_INIT, holder = DC_BUF_INIT;
	dc_tag_sigs sigs;
	char hex[STORE_OID_HEX];
	int error;

	r->sig_seen = 1;
	if (!r->date || !r->json_sha) {
		/* The trailer problem is reported by check_release(). */
		if (ntrust)
			verify_report(
			        &v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, tag,
			        "release %s cannot be checked for a signature: its commit lacks "
			        "Release-Date or Release-JSON-SHA256",
			        r->id);
		return 0;
	}
	store_oid_fmt(hex, &r->commit);
	if ((error = dc_tag_sigs_check(&sigs, msg, hex, r->id, r->date, r->json_sha)) < 0)
		return error;
	if (sigs.n == 0) {
		if (ntrust)
			verify_report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, tag,
			              "release %s is not signed: its tag carries no " DC_SIG_TRAILER
			              " line",
			              r->id);
		goto done;
	}
	if (sigs.altered) {
		bad++;
		verify_report(&v->r, DECLASS_VERIFY_SIGNATURE, r->label, NULL, NULL, tag,
		              "the message of tag release/%s was altered: above its signatures it "
		              "must be "
		              "exactly 'Release %s (%s)', a blank line and the commit's "
		              "Release-JSON-SHA256",
		              r->id, r->id, r->date);
	}
	if ((error = dc_buf_addf(&who, "release %s", r->id)) < 0 ||
	    (error = dc_buf_addf(&holder, "tag release/%s", r->id)) < 0)
		goto done;
	good = judge_sigs(v, r, tag, &sigs, who.ptr, holder.ptr,
	                  "the release or its signature was altered after signing", &bad);
	if (good && !bad)
		v->r.c->signed_ok++;
done:
	dc_tag_sigs_free(&sigs);
	dc_buf_free(&who);
	dc_buf_free(&holder);
	return error;
}

int verify_check_tags(verifier *v)
{
	store_tag_ref *refs = v->tagrefs;
	dc_buf name = DC_BUF_INIT, msg = DC_BUF_INIT;
	size_t n = v->ntagrefs, i, j;
	int error = 0;

	for (i = 0; i < n; i++) {
		const store_tag_ref *t = &refs[i];
		store_oid target;
		relinfo *r = NULL, *at = NULL;
		int type = 0, ttype = 0;
		char want[STORE_OID_HEX], got[STORE_OID_HEX];

		v->r.c->tags++;
		for (j = 0; j < v->nrels; j++) {
			if (v->rels[j].id && !strcmp(v->rels[j].id, t->name))
				r = &v->rels[j];
		}
		if (r)
			r->has_ref = 1;
		if (t->symbolic) {
			verify_report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, NULL,
			              "tag release/%s is a symbolic ref, not a tag", t->name);
			continue;
		}
		dc_buf_truncate(&name, 0);
		dc_buf_truncate(&msg, 0);
		{
			void *e;

			if ((error = dc_idtab_add(&v->seen, t->target.id, &e)) < 0)
				goto done;
			v->r.c->objects += (size_t)error;
		}
		if ((error = store_object_read(v->s, &t->target, &type, &target, &ttype, &name,
		                               &msg)) < 0) {
			if ((error = verify_report_read(&v->r, error, t->name, NULL, NULL,
			                                &t->target)) < 0)
				goto done;
			continue;
		}
		if (type == STORE_OBJ_TAG) {
			char *tsha;

			if (strncmp(name.ptr, "release/", 8) || strcmp(name.ptr + 8, t->name))
				verify_report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL,
				              &t->target,
				              "tag release/%s holds the tag object of '%s'",
				              t->name, name.ptr);
			if (ttype != STORE_OBJ_COMMIT) {
				verify_report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL,
				              &t->target,
				              "tag release/%s does not point at a commit", t->name);
				continue;
			}
			tsha = verify_trailer(msg.ptr, "Release-JSON-SHA256");
			if (r && (!tsha || !r->json_sha || strcmp(tsha, r->json_sha)))
				verify_report(
				        &v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &t->target,
				        "tag release/%s has Release-JSON-SHA256 %.16s..., its "
				        "release's commit %.16s...",
				        t->name, tsha ? tsha : "(absent)",
				        r->json_sha ? r->json_sha : "(absent)");
			free(tsha);
		} else if (type == STORE_OBJ_COMMIT) {
			target = t->target;
			verify_report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &t->target,
			              "tag release/%s is not an annotated tag", t->name);
		} else {
			verify_report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &t->target,
			              "tag release/%s does not point at a commit", t->name);
			continue;
		}
		for (j = 0; j < v->nrels; j++)
			if (store_oid_equal(&v->rels[j].commit, &target))
				at = &v->rels[j];
		store_oid_fmt(got, &target);
		if (r && at == r) {
			if (type == STORE_OBJ_TAG &&
			    (error = check_signature(v, r, &t->target, msg.ptr)) < 0)
				goto done;
			continue;
		}
		if (r) {
			store_oid_fmt(want, &r->commit);
			verify_report(
			        &v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &target,
			        "tag release/%s points at commit %.12s (%s), not at the release's "
			        "commit %.12s: "
			        "the tag was moved",
			        t->name, got, at ? at->label : "not on the branch", want);
		} else {
			verify_report(&v->r, DECLASS_VERIFY_TAG, t->name, NULL, NULL, &target,
			              "tag release/%s names no release on the branch (it points at "
			              "commit "
			              "%.12s%s%s)",
			              t->name, got, at ? ", " : "", at ? at->label : "");
		}
	}
	for (j = 0; j < v->nrels; j++)
		if (v->rels[j].id && !v->rels[j].has_ref)
			verify_report(
			        &v->r, DECLASS_VERIFY_TAG, v->rels[j].label, NULL, NULL,
			        &v->rels[j].commit,
			        "release %s has no tag release/%s (the next ingest recreates it)",
			        v->rels[j].id, v->rels[j].id);
	for (j = 0; v->o && v->o->ntrust && j < v->nrels; j++)
		if (v->rels[j].id && !v->rels[j].sig_seen)
			verify_report(
			        &v->r, DECLASS_VERIFY_SIGNATURE, v->rels[j].label, NULL, NULL,
			        &v->rels[j].commit,
			        "release %s is not signed: it has no annotated tag release/%s on "
			        "its commit",
			        v->rels[j].id, v->rels[j].id);
done:
	dc_buf_free(&name);
	dc_buf_free(&msg);
	return error;
}

/* ---- what Git alone would show --------------------------------------- */

/*
 * declass reads the objects the branch and tags name; git show, git log
 * and git diff follow replace refs and grafts instead, so through them a
 * forged blob or commit would pass for archived content.  None is ever
 * written by declass: each is a problem, with the way to remove it.
 */
static int on_override(void *ctx, const char *name, const store_oid *by)
{
	verifier *v = ctx;
	const char *dir = store_gitdir(v->s);
	char hex[STORE_OID_HEX] = "";

	if (by)
		store_oid_fmt(hex, by);
	if (!strncmp(name, "refs/", 5))
		verify_report(&v->r, DECLASS_VERIFY_REPLACED, NULL, NULL, name, by,
		              "git show, git log and git diff show %s%.12s in place of the "
		              "archived object %s (declass reads the archived one); remove "
		              "it: git -C '%s' update-ref -d %s",
		              by ? "object " : "another object", hex, name + 13, dir, name);
	else
		verify_report(&v->r, DECLASS_VERIFY_REPLACED, NULL, NULL, name, NULL,
		              "git log, git show and git diff see other parents than the "
		              "archived commits have (declass reads the commits); remove "
		              "it: rm '%s%s'",
		              dir, name);
	return 0;
}

int verify_check_overrides(verifier *v)
{
	return store_git_overrides(v->s, on_override, v);
}
