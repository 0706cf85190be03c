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
 *
 * The work is bounded (declass/limits.h): what the PDF's streams decode
 * to is measured before poppler opens it (pdfscan.c), pages past
 * max_pages are not read, OCR stops inside a page at the page's or the
 * document's deadline (Tesseract's cancel callback), and poppler's own
 * work, which cannot be stopped inside a page, is checked between pages.
 * Calls into poppler and Tesseract run under dc_cxx_guard(): a C++
 * exception (std::bad_alloc) fails the page, not the process.  This file
 * and ocr.c are compiled with -fexceptions for that.
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
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
#include "util/cxx.h"
#include "util/date.h"
#include "util/dl.h"
#include "util/error.h"
#include "util/limit.h"
#include "ocr.h"
#include "pdfscan.h"
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

const char *declass_pdf_incomplete_name(declass_pdf_incomplete why)
{
	static const char *const names[] = {
		NULL,
		"max-pages",
		"max-page-seconds",
		"max-pdf-seconds",
		"max-pdf-content",
		"max-text",
		"no-pdf-reader",
		"no-ocr",
		"ocr-failed",
	};

	return (unsigned)why < sizeof(names) / sizeof(*names) ? names[why] : NULL;
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
	dc_error_set(DECLASS_ERROR, "declass was built without PDF support (poppler-glib and "
	                            "cairo; run scripts/deps.sh and rebuild)");
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
	declass_pdf_incomplete failed; /* why it has no text it should have */
} page;

/* What the OCR threads share. */
typedef struct job {
	const char *path;
	const char *datadir;
	const char *lang;
	unsigned int dpi;
	double page_seconds, deadline; /* the limits; deadline on dc_clock() */
	page *pages;
	size_t npages;
	pthread_mutex_t lock;
	size_t next;                       /* the next page to consider */
	declass_pdf_incomplete start_fail; /* why a thread could not start */
	char reason[512];                  /* the first failure's message */
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

/*
 * The calls into poppler, each run by dc_cxx_guard(): poppler is C++
 * inside.  The frames between the guard and poppler own nothing.
 */
typedef struct pl_call {
	const char *uri;
	PopplerDocument *doc;
	PopplerPage *page;
	GError *gerr;
	int index;
	char *text;
	cairo_t *cr;
	GObject *obj;
} pl_call;

static void call_open(void *arg)
{
	pl_call *c = arg;

	c->doc = pl.poppler_document_new_from_file(c->uri, NULL, &c->gerr);
}

static void call_page_text(void *arg)
{
	pl_call *c = arg;

	if ((c->page = pl.poppler_document_get_page(c->doc, c->index)))
		c->text = pl.poppler_page_get_text(c->page);
}

static void call_render(void *arg)
{
	pl_call *c = arg;

	pl.poppler_page_render(c->page, c->cr);
}

static void call_unref(void *arg)
{
	pl_call *c = arg;

	if (c->obj)
		pl.g_object_unref(c->obj);
}

/* g_object_unref() of a poppler object, guarded. */
static void unref(void *obj)
{
	pl_call c = { 0 };

	c.obj = obj;
	dc_cxx_guard(call_unref, &c, "poppler");
}

static int open_doc(PopplerDocument **out, const char *path)
{
	pl_call c = { 0 };
	gchar *abs = pl.g_canonicalize_filename(path, NULL);
	gchar *uri = abs ? pl.g_filename_to_uri(abs, NULL, &c.gerr) : NULL;
	int error = 0;

	c.uri = uri;
	if (uri && (error = dc_cxx_guard(call_open, &c, "poppler")) < 0)
		dc_error_prefix("cannot read PDF '%s'", path);
	*out = c.doc;
	if (!error && !*out) {
		if (c.gerr && c.gerr->domain == pl.poppler_error_quark() &&
		    c.gerr->code == POPPLER_ERROR_ENCRYPTED)
			error = dc_error_set(DECLASS_EINPUT,
			                     "cannot read PDF '%s': it "
			                     "is encrypted",
			                     path);
		else
			error = dc_error_set(DECLASS_EINPUT, "cannot read PDF '%s': %s", path,
			                     c.gerr ? c.gerr->message : "not a PDF");
	}
	pl.g_clear_error(&c.gerr);
	pl.g_free(uri);
	pl.g_free(abs);
	return error;
}

/*
 * Render page `pg` (wpt x hpt points) at `scale` onto a new RGB24 surface
 * (*out, the caller's to destroy).
 */
static int render(cairo_surface_t **out, PopplerPage *pg, const char *path, int index, double wpt,
                  double hpt, double scale)
{
	pl_call c = { 0 };
	int w = (int)ceil(wpt * scale), h = (int)ceil(hpt * scale), error;

	*out = pl.cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	if (pl.cairo_surface_status(*out) != CAIRO_STATUS_SUCCESS) {
		error = dc_error_set(DECLASS_ERROR,
		                     "PDF '%s' page %d: cannot make "
		                     "a %d x %d image: %s",
		                     path, index + 1, w, h,
		                     pl.cairo_status_to_string(pl.cairo_surface_status(*out)));
		pl.cairo_surface_destroy(*out);
		*out = NULL;
		return error;
	}
	c.cr = pl.cairo_create(*out);
	c.page = pg;
	pl.cairo_set_source_rgb(c.cr, 1, 1, 1);
	pl.cairo_paint(c.cr);
	pl.cairo_scale(c.cr, scale, scale);
	error = dc_cxx_guard(call_render, &c, "rendering a page");
	pl.cairo_destroy(c.cr);
	pl.cairo_surface_flush(*out);
	if (error < 0) {
		pl.cairo_surface_destroy(*out);
		*out = NULL;
	}
	return error;
}

/* Is every pixel of an RGB24 surface the same colour?  (The top byte is unused.) */
static int uniform(cairo_surface_t *surface, double wpt, double hpt, double scale)
{
	const unsigned char *data = pl.cairo_image_surface_get_data(surface);
	int stride = pl.cairo_image_surface_get_stride(surface);
	int w = (int)ceil(wpt * scale), h = (int)ceil(hpt * scale), x, y;
	uint32_t first = *(const uint32_t *)(const void *)data & 0xffffff;

	for (y = 0; y < h; y++) {
		const uint32_t *row =
		        (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);

		for (x = 0; x < w; x++)
			if ((row[x] & 0xffffff) != first)
				return 0;
	}
	return 1;
}

/*
 * Render page `index` at about `dpi` as 8-bit grey (*w x *h, stride *w)
 * and OCR it, by `deadline` (dc_clock()).  The colour image is freed
 * before OCR starts, so a thread holds one page image at its largest.
 * A blank page (one colour all over when rendered at 36 dpi, where any
 * mark still shades a pixel) reads as empty, without the full rendering
 * and OCR that cost half a second a page.
 */
static int ocr_page(char **out, PopplerDocument *doc, dc_ocr *ocr, const char *path, int index,
                    unsigned int dpi, double deadline)
{
	PopplerPage *pg = pl.poppler_document_get_page(doc, index);
	cairo_surface_t *surface = NULL;
	unsigned char *grey = NULL;
	const unsigned char *data;
	double wpt = 0, hpt = 0, scale = dpi / 72.0, thumb;
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
	thumb = fmin(scale, 0.5);
	if ((error = render(&surface, pg, path, index, wpt, hpt, thumb)) < 0)
		goto done;
	if (uniform(surface, wpt, hpt, thumb)) {
		error = (*out = strdup("")) ? 0 : dc_error_oom();
		goto done;
	}
	pl.cairo_surface_destroy(surface);
	surface = NULL;
	if ((error = render(&surface, pg, path, index, wpt, hpt, scale)) < 0)
		goto done;
	w = (int)ceil(wpt * scale);
	h = (int)ceil(hpt * scale);
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
	error = dc_ocr_read(out, ocr, grey, w, h, w, (unsigned int)lround(scale * 72.0), deadline);
done:
	free(grey);
	if (surface)
		pl.cairo_surface_destroy(surface);
	unref(pg);
	return error;
}

/* Note the first failure of the thread's last call; the caller locks. */
static void note_failure(job *j)
{
	if (!j->reason[0])
		snprintf(j->reason, sizeof(j->reason), "%s", declass_error_last());
}

/* Why OCR of a page could not run, from its error. */
static declass_pdf_incomplete failure_kind(int error, const job *j)
{
	if (error == DECLASS_ELIMIT)
		return dc_clock() > j->deadline ? DECLASS_PDF_MAX_SECONDS
		                                : DECLASS_PDF_MAX_PAGE_SECONDS;
	if (error == DECLASS_ENOTFOUND)
		return DECLASS_PDF_NO_OCR;
	return DECLASS_PDF_OCR_FAILED;
}

/* An OCR thread: take the next page that wants OCR, until none is left. */
static void *ocr_worker(void *arg)
{
	job *j = arg;
	PopplerDocument *doc = NULL;
	dc_ocr *ocr = NULL;
	int error;

	if ((error = open_doc(&doc, j->path)) < 0 ||
	    (error = dc_ocr_new(&ocr, j->datadir, j->lang)) < 0) {
		/* the pages go to the other threads, if any can start */
		pthread_mutex_lock(&j->lock);
		note_failure(j);
		if (!j->start_fail)
			j->start_fail = failure_kind(error, j);
		pthread_mutex_unlock(&j->lock);
		goto done;
	}
	for (;;) {
		size_t i;
		char *text;
		double now;

		pthread_mutex_lock(&j->lock);
		while (j->next < j->npages && !j->pages[j->next].want_ocr)
			j->next++;
		i = j->next;
		if (i < j->npages)
			j->next++;
		pthread_mutex_unlock(&j->lock);
		if (i >= j->npages)
			break;
		if ((now = dc_clock()) > j->deadline) {
			j->pages[i].failed = DECLASS_PDF_MAX_SECONDS;
			continue;
		}
		if (!doc && (error = open_doc(&doc, j->path)) < 0) {
			pthread_mutex_lock(&j->lock);
			note_failure(j);
			pthread_mutex_unlock(&j->lock);
			j->pages[i].failed = DECLASS_PDF_OCR_FAILED;
			continue;
		}
		error = ocr_page(&text, doc, ocr, j->path, (int)i, j->dpi,
		                 fmin(now + j->page_seconds, j->deadline));
		if (error == 0 && !(j->pages[i].ocr = normalise(text)))
			error = dc_error_oom();
		free(text);
		if (error < 0) {
			/* each page is one thread's alone */
			j->pages[i].failed = failure_kind(error, j);
			if (error != DECLASS_ELIMIT) {
				pthread_mutex_lock(&j->lock);
				note_failure(j);
				pthread_mutex_unlock(&j->lock);
				/* an exception may have left the document in any state */
				unref(doc);
				doc = NULL;
			}
		}
	}
done:
	dc_ocr_free(ocr);
	unref(doc);
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

/* Add "; " between the parts of a message. */
static int say(dc_buf *msg, const char *fmt, ...) DC_PRINTF(2, 3);
static int say(dc_buf *msg, const char *fmt, ...)
{
	char part[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(part, sizeof(part), fmt, ap);
	va_end(ap);
	if (msg->len && dc_buf_adds(msg, "; ") < 0)
		return DECLASS_ENOMEM;
	return dc_buf_adds(msg, part);
}

static int make_result(declass_pdf_text **out, page *pages, size_t npages, size_t total,
                       const declass_pdf_text_options *o, const char *reason)
{
	declass_pdf_text *t;
	dc_buf text = DC_BUF_INIT, msg = DC_BUF_INIT, ex = DC_BUF_INIT;
	size_t i, not_ocred = 0, why[DECLASS_PDF_OCR_FAILED + 1] = { 0 }, kept;
	char lim[32];
	int error = 0;

	*out = NULL;
	if (!(t = calloc(1, sizeof(*t))) ||
	    !(t->pages = calloc(npages ? npages : 1, sizeof(*t->pages)))) {
		error = dc_error_oom();
		goto done;
	}
	t->npages_total = total;
	for (i = 0; i < npages; i++) {
		const char *s = "";
		size_t len;

		if (pages[i].ocr)
			s = pages[i].ocr;
		else if (pages[i].layer && !is_blank(pages[i].layer))
			s = pages[i].layer;
		len = strlen(s);
		/* the text stops before the page that would take it past max_text */
		if (text.len + (i > 0) + len > o->max_text)
			break;
		if (pages[i].ocr) {
			t->pages[i].source = DECLASS_PDF_PAGE_OCR;
			t->npages_ocr++;
		} else if (*s) {
			t->pages[i].source = DECLASS_PDF_PAGE_TEXT;
		} else {
			t->pages[i].source = DECLASS_PDF_PAGE_MISSING;
			t->npages_missing++;
		}
		if (pages[i].want_ocr && !pages[i].ocr) {
			not_ocred++;
			why[pages[i].failed]++;
		}
		if (i > 0 && (error = dc_buf_addch(&text, '\f')) < 0)
			goto done;
		t->pages[i].offset = text.len;
		t->pages[i].len = len;
		if ((error = dc_buf_add(&text, s, len)) < 0)
			goto done;
	}
	kept = t->npages = i;
	/* declass_pdf_text_extractor_current() reads this format back. */
	if ((error = dc_buf_addf(&ex, "poppler %s", pl.poppler_get_version())) < 0 ||
	    (t->npages_ocr && (error = dc_buf_addf(&ex, " + tesseract %s (%s, %u dpi)",
	                                           dc_ocr_version(), o->ocr_lang, o->dpi)) < 0))
		goto done;
	/* The limits first, in the order they stopped the work. */
	if (why[DECLASS_PDF_MAX_SECONDS] &&
	    (error = say(&msg,
	                 "reading the PDF took over %g s, the limit on one PDF "
	                 "(--max-pdf-seconds): %zu of its %zu pages were left without text",
	                 o->max_seconds, why[DECLASS_PDF_MAX_SECONDS], npages)) < 0)
		goto done;
	if (total > npages &&
	    (error = say(&msg,
	                 "the PDF has %zu pages, over the limit of %u pages (--max-pages): "
	                 "only the first %zu were read",
	                 total, o->max_pages, npages)) < 0)
		goto done;
	if (why[DECLASS_PDF_MAX_PAGE_SECONDS] &&
	    (error = say(&msg,
	                 "OCR of %zu page%s ran over %g s, the limit on one page "
	                 "(--max-page-seconds): left without text",
	                 why[DECLASS_PDF_MAX_PAGE_SECONDS],
	                 why[DECLASS_PDF_MAX_PAGE_SECONDS] == 1 ? "" : "s", o->max_page_seconds)) <
	            0)
		goto done;
	if (kept < npages &&
	    (error = say(&msg,
	                 "its text reached the limit of %s on one text (--max-text): "
	                 "the first %zu of %zu pages were kept",
	                 dc_limit_bytes(lim, o->max_text), kept, npages)) < 0)
		goto done;
	not_ocred -= why[DECLASS_PDF_MAX_SECONDS] + why[DECLASS_PDF_MAX_PAGE_SECONDS];
	if (o->ocr == DECLASS_OCR_NEVER && t->npages_missing)
		error = say(&msg,
		            "%zu of %zu pages have no text layer, and "
		            "OCR is off",
		            t->npages_missing, kept);
	else if (o->ocr == DECLASS_OCR_AUTO && not_ocred)
		error = say(&msg,
		            "%zu of %zu pages have no text layer and "
		            "were not OCRed: %s",
		            not_ocred, kept, reason);
	else if (not_ocred)
		error = say(&msg,
		            "%zu of %zu pages were not OCRed (%zu of "
		            "them have no text layer): %s",
		            not_ocred, kept, t->npages_missing, reason);
	if (error < 0)
		goto done;
	/* the reason named first in the message */
	if (why[DECLASS_PDF_MAX_SECONDS])
		t->incomplete = DECLASS_PDF_MAX_SECONDS;
	else if (total > npages)
		t->incomplete = DECLASS_PDF_MAX_PAGES;
	else if (why[DECLASS_PDF_MAX_PAGE_SECONDS])
		t->incomplete = DECLASS_PDF_MAX_PAGE_SECONDS;
	else if (kept < npages)
		t->incomplete = DECLASS_PDF_MAX_TEXT;
	else if (why[DECLASS_PDF_OCR_FAILED])
		t->incomplete = DECLASS_PDF_OCR_FAILED;
	else if (why[DECLASS_PDF_NO_OCR])
		t->incomplete = DECLASS_PDF_NO_OCR;
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

/* A text of no page: the PDF was not read, `why` says which limit stopped it. */
static int unread(declass_pdf_text **out, declass_pdf_incomplete why, const char *fmt, ...)
        DC_PRINTF(3, 4);
static int unread(declass_pdf_text **out, declass_pdf_incomplete why, const char *fmt, ...)
{
	declass_pdf_text *t;
	dc_buf ex = DC_BUF_INIT;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!(t = calloc(1, sizeof(*t))) || !(t->pages = calloc(1, sizeof(*t->pages))) ||
	    !(t->text = strdup("")) || !(t->message = strdup(msg)) ||
	    dc_buf_addf(&ex, "poppler %s", pl.poppler_get_version()) < 0) {
		declass_pdf_text_free(t);
		dc_buf_free(&ex);
		return dc_error_oom();
	}
	t->extractor = dc_buf_detach(&ex);
	t->incomplete = why;
	*out = t;
	return 0;
}

/* The options with every default and limit filled in; or an error. */
static int resolve(declass_pdf_text_options *o, const declass_pdf_text_options *opts)
{
	declass_limits l;

	*o = (declass_pdf_text_options)DECLASS_PDF_TEXT_OPTIONS_INIT;
	if (opts) {
		if (opts->version != DECLASS_PDF_TEXT_OPTIONS_VERSION)
			return dc_error_set(DECLASS_ERROR,
			                    "pdf text options version %u "
			                    "(this library has %d)",
			                    opts->version, DECLASS_PDF_TEXT_OPTIONS_VERSION);
		*o = *opts;
	}
	if (!o->ocr_lang)
		o->ocr_lang = "eng";
	if (!o->dpi)
		o->dpi = PDF_DEFAULT_DPI;
	if (o->dpi < 36 || o->dpi > PDF_MAX_DPI)
		return dc_error_set(DECLASS_EINPUT,
		                    "OCR resolution %u dpi is out "
		                    "of range (36 to %d)",
		                    o->dpi, PDF_MAX_DPI);
	if (!o->threads)
		o->threads = PDF_DEFAULT_THREADS;
	if (o->threads > PDF_MAX_THREADS)
		o->threads = PDF_MAX_THREADS;
	l.text = o->max_text;
	l.pdf_pages = o->max_pages;
	l.pdf_page_seconds = o->max_page_seconds;
	l.pdf_seconds = o->max_seconds;
	l.pdf_content = o->max_content;
	declass_limits_resolve(&l, &l);
	o->max_text = l.text;
	o->max_pages = l.pdf_pages;
	o->max_page_seconds = l.pdf_page_seconds;
	o->max_seconds = l.pdf_seconds;
	o->max_content = l.pdf_content;
	return 0;
}

/* A page's text layer, or NULL (none, or poppler failed on it). */
static int layer_of(page *p, PopplerDocument *doc, int index)
{
	pl_call c = { 0 };
	int error;

	c.doc = doc;
	c.index = index;
	error = dc_cxx_guard(call_page_text, &c, "reading a page's text");
	if (!error && c.text && !(p->layer = normalise(c.text)))
		error = dc_error_oom();
	pl.g_free(c.text);
	unref(c.page);
	return error;
}

int declass_pdf_text_extract(declass_pdf_text **out, const char *path,
                             const declass_pdf_text_options *opts)
{
	declass_pdf_text_options o;
	PopplerDocument *doc = NULL;
	page *pages = NULL;
	size_t npages = 0, total, want = 0, i;
	char *datadir = NULL, reason[512] = "", lim[32];
	dc_pdf_scan scan = { 0 };
	double start = dc_clock(), deadline;
	int error;
	job j;

	assert(out && path);
	*out = NULL;
	if ((error = resolve(&o, opts)) < 0 || (error = pl_ready()) < 0)
		return error;
	deadline = start + o.max_seconds;
	/* poppler cannot be stopped inside a page: measure what it would decode */
	if (o.max_content != UINT64_MAX &&
	    (error = dc_pdf_scan_content(&scan, path, o.max_content)) < 0) {
		if (error == DECLASS_EINPUT)
			dc_error_prefix("cannot read PDF '%s'", path);
		return error;
	}
	if (scan.over && scan.why[0])
		return unread(out, DECLASS_PDF_MAX_CONTENT,
		              "%s, and the limit is %s (--max-pdf-content): the PDF was not read",
		              scan.why, dc_limit_bytes(lim, o.max_content));
	if (scan.over)
		return unread(out, DECLASS_PDF_MAX_CONTENT,
		              "its streams decode to over %s, the limit on one PDF "
		              "(--max-pdf-content): it was not read",
		              dc_limit_bytes(lim, o.max_content));
	if ((error = open_doc(&doc, path)) < 0)
		return error;
	if (scan.encrypted) {
		unref(doc);
		return unread(out, DECLASS_PDF_MAX_CONTENT,
		              "it is encrypted, so what its streams decode to cannot be measured "
		              "before it is read (--max-pdf-content none reads it): it was not "
		              "read");
	}
	total = (size_t)pl.poppler_document_get_n_pages(doc);
	npages = o.max_pages < total ? o.max_pages : total;
	if (!(pages = calloc(npages ? npages : 1, sizeof(*pages)))) {
		error = dc_error_oom();
		goto done;
	}
	for (i = 0; i < npages; i++) {
		if (dc_clock() > deadline) {
			/* the pages left: no text layer read, no OCR */
			for (; i < npages; i++)
				pages[i].want_ocr = 1, pages[i].failed = DECLASS_PDF_MAX_SECONDS;
			break;
		}
		/* a page poppler fails on has no text layer: OCR may read it */
		(void)layer_of(&pages[i], doc, (int)i);
		pages[i].want_ocr = o.ocr == DECLASS_OCR_ALWAYS ||
		                    (o.ocr == DECLASS_OCR_AUTO &&
		                     (!pages[i].layer || is_blank(pages[i].layer)));
		want += pages[i].want_ocr;
	}
	unref(doc);
	doc = NULL;
	if (want && dc_ocr_find_data(&datadir, o.ocr_lang, o.tessdata) < 0) {
		if (declass_error_code() == DECLASS_EINPUT) {
			error = DECLASS_EINPUT;
			goto done;
		}
		snprintf(reason, sizeof(reason), "%s", declass_error_last());
		for (i = 0; i < npages; i++)
			if (pages[i].want_ocr && !pages[i].failed)
				pages[i].failed = DECLASS_PDF_NO_OCR;
	} else if (want) {
		memset(&j, 0, sizeof(j));
		j.path = path;
		j.datadir = datadir;
		j.lang = o.ocr_lang;
		j.dpi = o.dpi;
		j.page_seconds = o.max_page_seconds;
		j.deadline = deadline;
		j.pages = pages;
		j.npages = npages;
		pthread_mutex_init(&j.lock, NULL);
		run_ocr(&j, o.threads, want);
		pthread_mutex_destroy(&j.lock);
		memcpy(reason, j.reason, sizeof(reason));
		/* pages no thread could take: why the threads could not start */
		for (i = 0; i < npages; i++)
			if (pages[i].want_ocr && !pages[i].ocr && !pages[i].failed)
				pages[i].failed =
				        j.start_fail ? j.start_fail : DECLASS_PDF_OCR_FAILED;
	}
	error = make_result(out, pages, npages, total, &o, reason);
done:
	unref(doc);
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
