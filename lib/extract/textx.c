/* Text extracted from a released PDF, stored, and described in meta.json. */
#include <stdlib.h>
#include <string.h>

#include "declass/pdftext.h"
#include "textx.h"
#include "util/utf8.h"

void dc_textx_free(dc_textx *x)
{
	if (!x)
		return;
	free(x->extractor);
	free(x->note);
	free(x);
}

void dc_pdf_text_limits(declass_pdf_text_options *po, const declass_limits *l)
{
	po->max_pages = l->pdf_pages;
	po->max_page_seconds = l->pdf_page_seconds;
	po->max_seconds = l->pdf_seconds;
	po->max_content = l->pdf_content;
	po->max_text = l->text;
}

/* The reason poppler gave, with `name` in place of the path it was given. */
static char *note_for(const char *message, const char *path, const char *name)
{
	const char *at = name ? strstr(message, path) : NULL;
	size_t plen = strlen(path), nlen = name ? strlen(name) : 0;
	char *s;

	if (!at)
		return strdup(message);
	if (!(s = malloc(strlen(message) - plen + nlen + 1)))
		return NULL;
	memcpy(s, message, (size_t)(at - message));
	memcpy(s + (at - message), name, nlen);
	strcpy(s + (at - message) + nlen, at + plen);
	return s;
}

int dc_textx_extract(dc_textx **out, const char *path, const char *name, store_writer *w,
                     const declass_pdf_text_options *po)
{
	declass_pdf_text *t = NULL;
	declass_sha256 *h = NULL;
	store_blob *b = NULL;
	dc_textx *x;
	size_t bad;
	int error;

	if (!(x = *out = calloc(1, sizeof(*x))))
		return dc_error_oom();
	if ((error = declass_pdf_text_extract(&t, path, po)) < 0) {
		if (error == DECLASS_ENOMEM)
			return error;
		/* this process has no PDF reader: another one may read it later */
		if (error == DECLASS_ERROR && !declass_pdf_text_supported())
			x->incomplete = DECLASS_PDF_NO_READER;
		return (x->note = note_for(declass_error_last(), path, name)) ? 0 : dc_error_oom();
	}
	x->pages = t->npages;
	x->ocr_pages = t->npages_ocr;
	x->missing_pages = t->npages_missing;
	x->incomplete = t->incomplete;
	if (!(x->extractor = strdup(t->extractor ? t->extractor : "unknown")) ||
	    (t->message && !(x->note = strdup(t->message)))) {
		error = dc_error_oom();
		goto done;
	}
	if (t->len == 0 || !dc_utf8_valid(t->text, t->len, &bad))
		goto done; /* nothing to store: meta.json says why */
	if ((error = declass_sha256_new(&h)) < 0 ||
	    (error = declass_sha256_update(h, t->text, t->len)) < 0 ||
	    (error = declass_sha256_final(h, x->sha256)) < 0 ||
	    (error = store_blob_open(&b, w, t->len, 1)) < 0 ||
	    (error = store_blob_write(b, t->text, t->len)) < 0)
		goto done;
	error = store_blob_finish(b, &x->blob);
	b = NULL;
	if (!error) {
		x->extracted = 1;
		x->size = t->len;
	}
done:
	store_blob_abort(b);
	declass_sha256_free(h);
	declass_pdf_text_free(t);
	return error;
}

/* "incomplete": why, in o, when the text is not the whole PDF's. */
static json_t *with_incomplete(json_t *o, const dc_textx *x)
{
	const char *why = declass_pdf_incomplete_name(x->incomplete);

	if (o && why && json_object_set_new(o, "incomplete", json_string(why)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *dc_textx_json(const dc_textx *x)
{
	return with_incomplete(json_pack("{s:s?, s:I, s:I, s:I, s:s?}", "extractor", x->extractor,
	                                 "pages", (json_int_t)x->pages, "ocr_pages",
	                                 (json_int_t)x->ocr_pages, "missing_pages",
	                                 (json_int_t)x->missing_pages, "note", x->note),
	                       x);
}

json_t *dc_text_part_json(const char *base, const char *source, const char *sha256, uint64_t size,
                          const char *provider, const dc_textx *x)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:I}", "file", base, "source", source, "sha256",
	                      sha256, "size", (json_int_t)size);

	if (o && !strcmp(source, "third-party") && provider &&
	    json_object_set_new(o, "provider", json_string(provider)) < 0)
		goto fail;
	if (o && !strcmp(source, "extracted") && x &&
	    json_object_update_new(o, json_pack("{s:s, s:I, s:I, s:I}", "extractor",
	                                        x->extractor ? x->extractor : "unknown", "pages",
	                                        (json_int_t)x->pages, "ocr_pages",
	                                        (json_int_t)x->ocr_pages, "missing_pages",
	                                        (json_int_t)x->missing_pages)) < 0)
		goto fail;
	if (o && !strcmp(source, "extracted") && x)
		o = with_incomplete(o, x);
	return o;
fail:
	json_decref(o);
	return NULL;
}
