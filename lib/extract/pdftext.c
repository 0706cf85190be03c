/*
 * The text of a PDF, page by page (see declass/pdftext.h): poppler's text
 * layer first, in the calling thread; then, for the pages that need it,
 * OCR (lib/extract/ocr.c) of the page rendered by poppler on a cairo image.
 *
 * OCR runs on `threads` threads, the caller's among them, that take pages
 * from a shared counter.  Each thread opens the PDF itself (a
 * PopplerDocument is not to be shared between threads), has its own
 * Tesseract, and holds one rendered page at a time: memory is a page image
 * per thread whatever the page count.  glib types stay in this file.
 */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef DECLASS_HAVE_POPPLER
#include <cairo.h>
#include <poppler.h>
#endif

#include "util/buf.h"
#include "declass/pdftext.h"
#include "util/dl.h"
#include "util/error.h"
#include "ocr.h"
#include "util/utf8.h"

#define PDF_DEFAULT_DPI     300
#define PDF_MAX_DPI         1200
#define PDF_DEFAULT_THREADS 2
#define PDF_MAX_THREADS     32
/* A page image of at most this many pixels (4 bytes each while rendered,
 * 1 for OCR): a poster-sized page is rendered at a lower resolution. */
#define PDF_MAX_PIXELS 48e6

void declass_pdf_text_free(declass_pdf_text *t)
{
	if (!t)
		return;
	free(t->text);
	free(t->pages);
	free(t->extractor);
	free(t->message);
	free(t);
}

#ifndef DECLASS_HAVE_POPPLER

int declass_pdf_text_extract(declass_pdf_text **out, const char *path,
                             const declass_pdf_text_options *opts)
{
	(void)opts;
	*out = NULL;
	return dc_error_set(DECLASS_ERROR,
	                    "cannot read PDF '%s': declass was "
	                    "built without PDF support (poppler-glib and cairo; "
	                    "run scripts/deps.sh and rebuild)",
	                    path);
}

int declass_pdf_text_supported(void)
{
	return 0;
}

const char *declass_pdf_text_poppler_version(void)
{
	return NULL;
}

int declass_pdf_text_extractor_current(const char *extractor)
{
	(void)extractor;
	return 0;
}

#else

typedef struct page {
	char *layer; /* the text layer (normalised), or NULL */
	char *ocr;   /* the OCR text, or NULL */
	int want_ocr;
} page;

/* What the OCR threads share. */
typedef struct job {
	const char *path;
	const char *datadir;
	const char *lang;
	unsigned int dpi;
	page *pages;
	size_t npages;
	pthread_mutex_t lock;
	size_t next;      /* the next page to consider */
	size_t failed;    /* pages whose OCR failed */
	char reason[512]; /* the first failure's message */
} job;

/*
 * poppler-glib, and the cairo and glib functions we call, loaded with the
 * first PDF (dl.h): found through libpoppler-glib, which depends on them.
 */
static struct {
	__typeof__(&poppler_get_version) poppler_get_version;
	__typeof__(&poppler_document_new_from_file) poppler_document_new_from_file;
	__typeof__(&poppler_document_get_n_pages) poppler_document_get_n_pages;
	__typeof__(&poppler_document_get_page) poppler_document_get_page;
	__typeof__(&poppler_page_get_text) poppler_page_get_text;
	__typeof__(&poppler_page_get_size) poppler_page_get_size;
	__typeof__(&poppler_page_render) poppler_page_render;
	__typeof__(&poppler_error_quark) poppler_error_quark;
	__typeof__(&cairo_image_surface_create) cairo_image_surface_create;
	__typeof__(&cairo_surface_status) cairo_surface_status;
	__typeof__(&cairo_status_to_string) cairo_status_to_string;
	__typeof__(&cairo_create) cairo_create;
	__typeof__(&cairo_set_source_rgb) cairo_set_source_rgb;
	__typeof__(&cairo_paint) cairo_paint;
	__typeof__(&cairo_scale) cairo_scale;
	__typeof__(&cairo_destroy) cairo_destroy;
	__typeof__(&cairo_surface_flush) cairo_surface_flush;
	__typeof__(&cairo_image_surface_get_data) cairo_image_surface_get_data;
	__typeof__(&cairo_image_surface_get_stride) cairo_image_surface_get_stride;
	__typeof__(&cairo_surface_destroy) cairo_surface_destroy;
	__typeof__(&g_object_unref) g_object_unref;
	__typeof__(&g_free) g_free;
	__typeof__(&g_clear_error) g_clear_error;
	__typeof__(&g_canonicalize_filename) g_canonicalize_filename;
	__typeof__(&g_filename_to_uri) g_filename_to_uri;
	int loaded;
	char why[300];
} pl;
static pthread_once_t pl_once = PTHREAD_ONCE_INIT;

static void pl_load(void)
{
	const dc_dl_sym syms[] = {
		DC_DL_SYM("poppler_get_version", pl.poppler_get_version),
		DC_DL_SYM("poppler_document_new_from_file", pl.poppler_document_new_from_file),
		DC_DL_SYM("poppler_document_get_n_pages", pl.poppler_document_get_n_pages),
		DC_DL_SYM("poppler_document_get_page", pl.poppler_document_get_page),
		DC_DL_SYM("poppler_page_get_text", pl.poppler_page_get_text),
		DC_DL_SYM("poppler_page_get_size", pl.poppler_page_get_size),
		DC_DL_SYM("poppler_page_render", pl.poppler_page_render),
		DC_DL_SYM("poppler_error_quark", pl.poppler_error_quark),
		DC_DL_SYM("cairo_image_surface_create", pl.cairo_image_surface_create),
		DC_DL_SYM("cairo_surface_status", pl.cairo_surface_status),
		DC_DL_SYM("cairo_status_to_string", pl.cairo_status_to_string),
		DC_DL_SYM("cairo_create", pl.cairo_create),
		DC_DL_SYM("cairo_set_source_rgb", pl.cairo_set_source_rgb),
		DC_DL_SYM("cairo_paint", pl.cairo_paint),
		DC_DL_SYM("cairo_scale", pl.cairo_scale),
		DC_DL_SYM("cairo_destroy", pl.cairo_destroy),
		DC_DL_SYM("cairo_surface_flush", pl.cairo_surface_flush),
		DC_DL_SYM("cairo_image_surface_get_data", pl.cairo_image_surface_get_data),
		DC_DL_SYM("cairo_image_surface_get_stride", pl.cairo_image_surface_get_stride),
		DC_DL_SYM("cairo_surface_destroy", pl.cairo_surface_destroy),
		DC_DL_SYM("g_object_unref", pl.g_object_unref),
		DC_DL_SYM("g_free", pl.g_free),
		DC_DL_SYM("g_clear_error", pl.g_clear_error),
		DC_DL_SYM("g_canonicalize_filename", pl.g_canonicalize_filename),
		DC_DL_SYM("g_filename_to_uri", pl.g_filename_to_uri),
	};

	pl.loaded = dc_dl_load(DECLASS_POPPLER_SONAME, "libpoppler-glib8", syms,
	                       sizeof(syms) / sizeof(*syms), pl.why, sizeof(pl.why)) == 0;
}

/* Load poppler once; DECLASS_ERROR saying why if it cannot be. */
static int pl_ready(void)
{
	pthread_once(&pl_once, pl_load);
	return pl.loaded ? 0 : dc_error_set(DECLASS_ERROR, "cannot read PDFs: %s", pl.why);
}

int declass_pdf_text_supported(void)
{
	return pl_ready() == 0;
}

const char *declass_pdf_text_poppler_version(void)
{
	return pl_ready() == 0 ? pl.poppler_get_version() : NULL;
}

int declass_pdf_text_extractor_current(const char *extractor)
{
	const char *pv = declass_pdf_text_poppler_version(), *tv = dc_ocr_version(), *rest;
	size_t n;

	if (!extractor || !pv || strncmp(extractor, "poppler ", 8))
		return 0;
	n = strlen(pv);
	if (strncmp(extractor + 8, pv, n))
		return 0;
	rest = extractor + 8 + n;
	if (!*rest)
		return 1;
	/* " + tesseract <version> (<lang>, <dpi> dpi)" */
	if (strncmp(rest, " + tesseract ", 13) || !tv)
		return 0;
	rest += 13;
	n = strlen(tv);
	return !strncmp(rest, tv, n) && rest[n] == ' ';
}

static int is_blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r' && *s != '\f' && *s != '\v')
			return 0;
	return 1;
}

/*
 * A page's text as we store it: '\f' and CR become '\n' (a form feed
 * separates pages), bytes that are not UTF-8 become '?', trailing blanks
 * go, and a non-empty page ends with '\n'.  Returns malloc'd text or NULL.
 */
static char *normalise(const char *s)
{
	size_t len = strlen(s), pos = 0, bad, i;
	char *t;

	while (len > 0 && strchr(" \t\n\r\f\v", s[len - 1]))
		len--;
	if (!(t = malloc(len + 2)))
		return NULL;
	memcpy(t, s, len);
	for (i = 0; i < len; i++)
		if (t[i] == '\f' || t[i] == '\r')
			t[i] = '\n';
	while (pos < len && !dc_utf8_valid(t + pos, len - pos, &bad)) {
		t[pos + bad] = '?';
		pos += bad + 1;
	}
	if (len)
		t[len++] = '\n';
	t[len] = '\0';
	return t;
}

static int open_doc(PopplerDocument **out, const char *path)
{
	GError *gerr = NULL;
	gchar *abs = pl.g_canonicalize_filename(path, NULL);
	gchar *uri = abs ? pl.g_filename_to_uri(abs, NULL, &gerr) : NULL;
	int error = 0;

	*out = uri ? pl.poppler_document_new_from_file(uri, NULL, &gerr) : NULL;
	if (!*out) {
		if (gerr && gerr->domain == pl.poppler_error_quark() &&
		    gerr->code == POPPLER_ERROR_ENCRYPTED)
			error = dc_error_set(DECLASS_EINPUT,
			                     "cannot read PDF '%s': it "
			                     "is encrypted",
			                     path);
		else
			error = dc_error_set(DECLASS_EINPUT, "cannot read PDF '%s': %s", path,
			                     gerr ? gerr->message : "not a PDF");
	}
	pl.g_clear_error(&gerr);
	pl.g_free(uri);
	pl.g_free(abs);
	return error;
}

/*
 * Render page `index` at about `dpi` as 8-bit grey (*w x *h, stride *w)
 * and OCR it.  The colour image is freed before OCR starts, so a thread
 * holds one page image at its largest.
 */
static int ocr_page(char **out, PopplerDocument *doc, dc_ocr *ocr, const char *path, int index,
                    unsigned int dpi)
{
	PopplerPage *pg = pl.poppler_document_get_page(doc, index);
	cairo_surface_t *surface = NULL;
	cairo_t *cr;
	unsigned char *grey = NULL;
	const unsigned char *data;
	double wpt = 0, hpt = 0, scale = dpi / 72.0;
	int w, h, x, y, stride, error = 0;

	*out = NULL;
	if (!pg)
		return dc_error_set(DECLASS_EINPUT, "PDF '%s': cannot read page %d", path,
		                    index + 1);
	pl.poppler_page_get_size(pg, &wpt, &hpt);
	if (!(wpt >= 1 && hpt >= 1 && wpt < 1e6 && hpt < 1e6)) {
		error = dc_error_set(DECLASS_EINPUT,
		                     "PDF '%s' page %d: a page of "
		                     "%g x %g points cannot be rendered",
		                     path, index + 1, wpt, hpt);
		goto done;
	}
	if (wpt * hpt * scale * scale > PDF_MAX_PIXELS)
		scale = sqrt(PDF_MAX_PIXELS / (wpt * hpt));
	w = (int)ceil(wpt * scale);
	h = (int)ceil(hpt * scale);
	surface = pl.cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (pl.cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		error = dc_error_set(DECLASS_ERROR,
		                     "PDF '%s' page %d: cannot make "
		                     "a %d x %d image: %s",
		                     path, index + 1, w, h,
		                     pl.cairo_status_to_string(pl.cairo_surface_status(surface)));
		goto done;
	}
	cr = pl.cairo_create(surface);
	pl.cairo_set_source_rgb(cr, 1, 1, 1);
	pl.cairo_paint(cr);
	pl.cairo_scale(cr, scale, scale);
	pl.poppler_page_render(pg, cr);
	pl.cairo_destroy(cr);
	pl.cairo_surface_flush(surface);
	/* RGB24 is a native-endian 0x00RRGGBB word a pixel */
	data = pl.cairo_image_surface_get_data(surface);
	stride = pl.cairo_image_surface_get_stride(surface);
	if (!(grey = malloc((size_t)w * (size_t)h))) {
		error = dc_error_oom();
		goto done;
	}
	for (y = 0; y < h; y++) {
		const uint32_t *row =
		        (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
		unsigned char *g = grey + (size_t)y * (size_t)w;

		for (x = 0; x < w; x++) {
			uint32_t px = row[x];

			g[x] = (unsigned char)((((px >> 16) & 0xff) * 77 +
			                        ((px >> 8) & 0xff) * 150 + (px & 0xff) * 29) >>
			                       8);
		}
	}
	pl.cairo_surface_destroy(surface);
	surface = NULL;
	error = dc_ocr_read(out, ocr, grey, w, h, w, (unsigned int)lround(scale * 72.0));
done:
	free(grey);
	if (surface)
		pl.cairo_surface_destroy(surface);
	pl.g_object_unref(pg);
	return error;
}

/* Note the first failure of the thread's last call; the caller locks. */
static void note_failure(job *j)
{
	if (!j->reason[0])
		snprintf(j->reason, sizeof(j->reason), "%s", declass_error_last());
}

/* An OCR thread: take the next page that wants OCR, until none is left. */
static void *ocr_worker(void *arg)
{
	job *j = arg;
	PopplerDocument *doc = NULL;
	dc_ocr *ocr = NULL;

	if (open_doc(&doc, j->path) < 0 || dc_ocr_new(&ocr, j->datadir, j->lang) < 0) {
		/* the pages go to the other threads, if any can start */
		pthread_mutex_lock(&j->lock);
		note_failure(j);
		pthread_mutex_unlock(&j->lock);
		goto done;
	}
	for (;;) {
		size_t i;
		char *text;

		pthread_mutex_lock(&j->lock);
		while (j->next < j->npages && !j->pages[j->next].want_ocr)
			j->next++;
		i = j->next;
		if (i < j->npages)
			j->next++;
		pthread_mutex_unlock(&j->lock);
		if (i >= j->npages)
			break;
		if (ocr_page(&text, doc, ocr, j->path, (int)i, j->dpi) < 0) {
			pthread_mutex_lock(&j->lock);
			note_failure(j);
			j->failed++;
			pthread_mutex_unlock(&j->lock);
			continue;
		}
		/* each page is one thread's alone */
		j->pages[i].ocr = normalise(text);
		free(text);
		if (!j->pages[i].ocr) {
			pthread_mutex_lock(&j->lock);
			dc_error_oom();
			note_failure(j);
			j->failed++;
			pthread_mutex_unlock(&j->lock);
		}
	}
done:
	dc_ocr_free(ocr);
	if (doc)
		pl.g_object_unref(doc);
	return NULL;
}

/* OCR the pages that want it on up to `threads` threads, this one too. */
static void run_ocr(job *j, unsigned int threads, size_t want)
{
	pthread_t tids[PDF_MAX_THREADS];
	unsigned int n = 0, i;

	if (threads > want)
		threads = (unsigned int)want;
	while (n + 1 < threads && pthread_create(&tids[n], NULL, ocr_worker, j) == 0)
		n++;
	ocr_worker(j);
	for (i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
}

static int make_result(declass_pdf_text **out, page *pages, size_t npages, size_t total,
                       const declass_pdf_text_options *o, const char *reason)
{
	declass_pdf_text *t;
	dc_buf text = DC_BUF_INIT, msg = DC_BUF_INIT, ex = DC_BUF_INIT;
	size_t i, not_ocred = 0;
	int error = 0;

	*out = NULL;
	if (!(t = calloc(1, sizeof(*t))) ||
	    !(t->pages = calloc(npages ? npages : 1, sizeof(*t->pages)))) {
		error = dc_error_oom();
		goto done;
	}
	t->npages = npages;
	t->npages_total = total;
	for (i = 0; i < npages; i++) {
		const char *s = "";

		if (pages[i].ocr) {
			s = pages[i].ocr;
			t->pages[i].source = DECLASS_PDF_PAGE_OCR;
			t->npages_ocr++;
		} else if (pages[i].layer && !is_blank(pages[i].layer)) {
			s = pages[i].layer;
			t->pages[i].source = DECLASS_PDF_PAGE_TEXT;
		} else {
			t->pages[i].source = DECLASS_PDF_PAGE_MISSING;
			t->npages_missing++;
		}
		not_ocred += pages[i].want_ocr && !pages[i].ocr;
		if (i > 0 && (error = dc_buf_addch(&text, '\f')) < 0)
			goto done;
		t->pages[i].offset = text.len;
		t->pages[i].len = strlen(s);
		if ((error = dc_buf_add(&text, s, t->pages[i].len)) < 0)
			goto done;
	}
	/* declass_pdf_text_extractor_current() reads this format back. */
	if ((error = dc_buf_addf(&ex, "poppler %s", pl.poppler_get_version())) < 0 ||
	    (t->npages_ocr && (error = dc_buf_addf(&ex, " + tesseract %s (%s, %u dpi)",
	                                           dc_ocr_version(), o->ocr_lang, o->dpi)) < 0))
		goto done;
	if (o->ocr == DECLASS_OCR_NEVER && t->npages_missing)
		error = dc_buf_addf(&msg,
		                    "%zu of %zu pages have no text layer, and "
		                    "OCR is off",
		                    t->npages_missing, npages);
	else if (o->ocr == DECLASS_OCR_AUTO && not_ocred)
		error = dc_buf_addf(&msg,
		                    "%zu of %zu pages have no text layer and "
		                    "were not OCRed: %s",
		                    not_ocred, npages, reason);
	else if (not_ocred)
		error = dc_buf_addf(&msg,
		                    "%zu of %zu pages were not OCRed (%zu of "
		                    "them have no text layer): %s",
		                    not_ocred, npages, t->npages_missing, reason);
	if (error < 0)
		goto done;
	t->len = text.len;
	t->text = dc_buf_detach(&text);
	t->extractor = dc_buf_detach(&ex);
	t->message = msg.len ? dc_buf_detach(&msg) : NULL;
	*out = t;
	t = NULL;
done:
	declass_pdf_text_free(t);
	dc_buf_free(&text);
	dc_buf_free(&msg);
	dc_buf_free(&ex);
	return error;
}

int declass_pdf_text_extract(declass_pdf_text **out, const char *path,
                             const declass_pdf_text_options *opts)
{
	declass_pdf_text_options o = DECLASS_PDF_TEXT_OPTIONS_INIT;
	PopplerDocument *doc = NULL;
	page *pages = NULL;
	size_t npages = 0, total, want = 0, i;
	char *datadir = NULL, reason[512] = "";
	int error;
	job j;

	assert(out && path);
	*out = NULL;
	if (opts) {
		if (opts->version != DECLASS_PDF_TEXT_OPTIONS_VERSION)
			return dc_error_set(DECLASS_ERROR,
			                    "pdf text options version %u "
			                    "(this library has %d)",
			                    opts->version, DECLASS_PDF_TEXT_OPTIONS_VERSION);
		o = *opts;
	}
	if (!o.ocr_lang)
		o.ocr_lang = "eng";
	if (!o.dpi)
		o.dpi = PDF_DEFAULT_DPI;
	if (o.dpi < 36 || o.dpi > PDF_MAX_DPI)
		return dc_error_set(DECLASS_EINPUT,
		                    "OCR resolution %u dpi is out "
		                    "of range (36 to %d)",
		                    o.dpi, PDF_MAX_DPI);
	if (!o.threads)
		o.threads = PDF_DEFAULT_THREADS;
	if (o.threads > PDF_MAX_THREADS)
		o.threads = PDF_MAX_THREADS;
	if ((error = pl_ready()) < 0 || (error = open_doc(&doc, path)) < 0)
		return error;
	total = (size_t)pl.poppler_document_get_n_pages(doc);
	npages = o.max_pages && o.max_pages < total ? o.max_pages : total;
	if (!(pages = calloc(npages ? npages : 1, sizeof(*pages)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < npages; i++) {
		PopplerPage *pg = pl.poppler_document_get_page(doc, (int)i);
		char *s = pg ? pl.poppler_page_get_text(pg) : NULL;

		if (s && !(pages[i].layer = normalise(s)))
			error = dc_error_oom();
		pl.g_free(s);
		if (pg)
			pl.g_object_unref(pg);
		if (error < 0)
			goto done;
		pages[i].want_ocr = o.ocr == DECLASS_OCR_ALWAYS ||
		                    (o.ocr == DECLASS_OCR_AUTO &&
		                     (!pages[i].layer || is_blank(pages[i].layer)));
		want += pages[i].want_ocr;
	}
	pl.g_object_unref(doc);
	doc = NULL;
	if (want && dc_ocr_find_data(&datadir, o.ocr_lang, o.tessdata) < 0) {
		if (declass_error_code() == DECLASS_EINPUT) {
			error = DECLASS_EINPUT;
			goto done;
		}
		snprintf(reason, sizeof(reason), "%s", declass_error_last());
	} else if (want) {
		memset(&j, 0, sizeof(j));
		j.path = path;
		j.datadir = datadir;
		j.lang = o.ocr_lang;
		j.dpi = o.dpi;
		j.pages = pages;
		j.npages = npages;
		pthread_mutex_init(&j.lock, NULL);
		run_ocr(&j, o.threads, want);
		pthread_mutex_destroy(&j.lock);
		memcpy(reason, j.reason, sizeof(reason));
	}
	error = make_result(out, pages, npages, total, &o, reason);
done:
	if (doc)
		pl.g_object_unref(doc);
	for (i = 0; pages && i < npages; i++) {
		free(pages[i].layer);
		free(pages[i].ocr);
	}
	free(pages);
	free(datadir);
	return error;
}

#endif /* DECLASS_HAVE_POPPLER */

const char *declass_pdf_text_tesseract_version(void)
{
	return dc_ocr_version();
}

int declass_pdf_text_ocr_check(const char *lang, const char *tessdata)
{
	char *dir = NULL;
	int error = dc_ocr_find_data(&dir, lang ? lang : "eng", tessdata);

	free(dir);
	return error;
}
