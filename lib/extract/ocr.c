/*
 * Tesseract behind a small interface (see ocr.h).  The data files are
 * looked for here, before Tesseract is started, because Tesseract itself
 * only prints to stderr when a language is missing and returns -1: we want
 * to say where we looked and what to install, and to decide before any
 * page is rendered whether OCR can run at all.
 *
 * Tesseract may be built with OpenMP (Debian's is): its LSTM then runs
 * each text line on 4 threads, in parallel regions so small that on a
 * 2-core machine with our page threads beside them it spends most of its
 * time waiting (measured: a 4-page scan took 25 s against 10 s).  We give
 * pages to threads ourselves, so dc_ocr_read() makes tesseract's parallel
 * regions run on one thread, for the calling thread only, by setting that
 * thread's max-active-levels to 0 (looked up with dlsym, so that we do
 * not link OpenMP ourselves) and restoring it afterwards.  Setting
 * OMP_THREAD_LIMIT=1 before the process starts does the same for all.
 *
 * Tesseract itself is loaded with dlopen() the first time OCR is asked
 * for, not linked: its static parameters and relocations cost a process
 * about 11 MB of memory at start, and most commands (verify, log, diff, an
 * ingest of PDFs with a text layer) never OCR a page.
 */
#include <assert.h>
#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef DECLASS_HAVE_TESSERACT
#include <tesseract/capi.h>
#endif

#include "util/buf.h"
#include "util/cxx.h"
#include "util/date.h"
#include "util/dl.h"
#include "util/error.h"
#include "ocr.h"

static int check_lang(const char *lang)
{
	const char *s;

	if (!*lang || strlen(lang) > 64)
		return dc_error_set(DECLASS_EINPUT, "OCR language '%s' is not one", lang);
	for (s = lang; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '+' && *s != '-')
			return dc_error_set(DECLASS_EINPUT,
			                    "OCR language '%s' is not "
			                    "one (letters, digits, '_', '-', and '+' "
			                    "between languages)",
			                    lang);
	return 0;
}

#ifdef DECLASS_HAVE_TESSERACT

struct dc_ocr {
	TessBaseAPI *api;    /* NULL after an exception: started again */
	ETEXT_DESC *monitor; /* stops a page at its deadline */
	double deadline;     /* dc_clock() seconds; 0: none */
	char *datadir, *lang;
};

/* The functions of Tesseract's C API we use, once it is loaded. */
static struct {
	__typeof__(&TessBaseAPICreate) create;
	__typeof__(&TessBaseAPIInit3) init3;
	__typeof__(&TessBaseAPISetPageSegMode) set_psm;
	__typeof__(&TessBaseAPISetVariable) set_variable;
	__typeof__(&TessBaseAPISetImage) set_image;
	__typeof__(&TessBaseAPISetSourceResolution) set_resolution;
	__typeof__(&TessBaseAPIRecognize) recognize;
	__typeof__(&TessBaseAPIGetUTF8Text) get_utf8;
	__typeof__(&TessBaseAPIClear) clear;
	__typeof__(&TessBaseAPIEnd) end;
	__typeof__(&TessBaseAPIDelete) del;
	__typeof__(&TessDeleteText) delete_text;
	__typeof__(&TessVersion) version;
	__typeof__(&TessMonitorCreate) monitor_create;
	__typeof__(&TessMonitorDelete) monitor_delete;
	__typeof__(&TessMonitorSetCancelFunc) monitor_cancel_func;
	__typeof__(&TessMonitorSetCancelThis) monitor_cancel_this;
	int (*omp_get_levels)(void); /* NULL without OpenMP */
	void (*omp_set_levels)(int);
	int loaded;
	char why[300]; /* why it could not be loaded */
} tess;
static pthread_once_t tess_once = PTHREAD_ONCE_INIT;

static void tess_load(void)
{
	const dc_dl_sym syms[] = {
		DC_DL_SYM("TessBaseAPICreate", tess.create),
		DC_DL_SYM("TessBaseAPIInit3", tess.init3),
		DC_DL_SYM("TessBaseAPISetPageSegMode", tess.set_psm),
		DC_DL_SYM("TessBaseAPISetVariable", tess.set_variable),
		DC_DL_SYM("TessBaseAPISetImage", tess.set_image),
		DC_DL_SYM("TessBaseAPISetSourceResolution", tess.set_resolution),
		DC_DL_SYM("TessBaseAPIRecognize", tess.recognize),
		DC_DL_SYM("TessBaseAPIGetUTF8Text", tess.get_utf8),
		DC_DL_SYM("TessBaseAPIClear", tess.clear),
		DC_DL_SYM("TessBaseAPIEnd", tess.end),
		DC_DL_SYM("TessBaseAPIDelete", tess.del),
		DC_DL_SYM("TessDeleteText", tess.delete_text),
		DC_DL_SYM("TessVersion", tess.version),
		DC_DL_SYM("TessMonitorCreate", tess.monitor_create),
		DC_DL_SYM("TessMonitorDelete", tess.monitor_delete),
		DC_DL_SYM("TessMonitorSetCancelFunc", tess.monitor_cancel_func),
		DC_DL_SYM("TessMonitorSetCancelThis", tess.monitor_cancel_this),
	};
	/* OpenMP comes with Tesseract, if at all. */
	const dc_dl_sym omp[] = {
		DC_DL_SYM("omp_get_max_active_levels", tess.omp_get_levels),
		DC_DL_SYM("omp_set_max_active_levels", tess.omp_set_levels),
	};
	char why[256];

	if (dc_dl_load(DECLASS_TESSERACT_SONAME, "libtesseract5", syms,
	               sizeof(syms) / sizeof(*syms), why, sizeof(why)) < 0) {
		snprintf(tess.why, sizeof(tess.why), "OCR is not available: %s", why);
		return;
	}
	if (dc_dl_load(DECLASS_TESSERACT_SONAME, "libtesseract5", omp, 2, why, sizeof(why)) < 0)
		tess.omp_get_levels = NULL, tess.omp_set_levels = NULL;
	tess.loaded = 1;
}

/* Load Tesseract once; DECLASS_ENOTFOUND saying why if it cannot be. */
static int tess_ready(void)
{
	pthread_once(&tess_once, tess_load);
	return tess.loaded ? 0 : dc_error_set(DECLASS_ENOTFOUND, "%s", tess.why);
}

/* Where Debian, Fedora, Homebrew and source builds put tessdata. */
static const char *const data_dirs[] = {
	"/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
	"/usr/share/tesseract/tessdata",       "/usr/share/tessdata",
	"/usr/local/share/tessdata",           "/opt/homebrew/share/tessdata",
};

/* Does `dir` hold a .traineddata file for every language of `lang`? */
static int has_langs(const char *dir, const char *lang, dc_buf *missing)
{
	const char *s = lang;
	int ok = 1;

	dc_buf_truncate(missing, 0);
	while (*s) {
		size_t n = strcspn(s, "+");
		char path[4096];

		if (n && ((size_t)snprintf(path, sizeof(path), "%s/%.*s.traineddata", dir, (int)n,
		                           s) >= sizeof(path) ||
		          access(path, R_OK) != 0)) {
			ok = 0;
			if (missing->len)
				dc_buf_adds(missing, ", ");
			dc_buf_addf(missing, "%.*s.traineddata", (int)n, s);
		}
		s += n + (s[n] == '+');
	}
	return ok;
}

int dc_ocr_find_data(char **out, const char *lang, const char *tessdata)
{
	dc_buf looked = DC_BUF_INIT, missing = DC_BUF_INIT, cand = DC_BUF_INIT;
	const char *prefix = getenv("TESSDATA_PREFIX");
	size_t i;
	int error;

	*out = NULL;
	if ((error = check_lang(lang)) < 0 || (error = tess_ready()) < 0)
		return error;
	for (i = 0;; i++) {
		const char *dir = NULL;

		dc_buf_truncate(&cand, 0);
		if (tessdata) {
			if (i > 0)
				break;
			dir = tessdata;
		} else if (prefix && *prefix && i < 2) {
			/* Tesseract 4 wanted the parent of tessdata/, 5 the folder */
			if (i == 0)
				dir = prefix;
			else if (dc_buf_addf(&cand, "%s/tessdata", prefix) == 0)
				dir = cand.ptr;
		} else {
			size_t k = i - (prefix && *prefix ? 2 : 0);

			if (k >= sizeof(data_dirs) / sizeof(data_dirs[0]))
				break;
			dir = data_dirs[k];
		}
		if (!dir) {
			error = dc_error_oom();
			goto done;
		}
		if (has_langs(dir, lang, &missing)) {
			if (!(*out = strdup(dir)))
				error = dc_error_oom();
			goto done;
		}
		if (looked.len)
			dc_buf_adds(&looked, ", ");
		dc_buf_adds(&looked, dir);
	}
	error = dc_error_set(DECLASS_ENOTFOUND,
	                     "OCR is not available: no "
	                     "Tesseract data for '%s' (%s) in %s; install "
	                     "tesseract-ocr-%s or set TESSDATA_PREFIX",
	                     lang, missing.ptr, looked.ptr, strchr(lang, '+') ? "LANG" : lang);
done:
	dc_buf_free(&looked);
	dc_buf_free(&missing);
	dc_buf_free(&cand);
	return error;
}

/*
 * The calls into Tesseract, each run by dc_cxx_guard(): an exception
 * thrown inside (std::bad_alloc) unwinds through these frames, which hold
 * nothing of their own, to the guard.
 */
typedef struct tess_call {
	dc_ocr *o;
	const char *datadir, *lang;
	const unsigned char *grey;
	int width, height, stride, rc;
	unsigned int dpi;
	char *text;
} tess_call;

static void call_start(void *arg)
{
	tess_call *c = arg;

	if (!(c->o->api = tess.create()) || !(c->o->monitor = tess.monitor_create())) {
		c->rc = -2;
		return;
	}
	if ((c->rc = tess.init3(c->o->api, c->datadir, c->lang)) != 0)
		return;
	/* Whole pages with columns, stamps and margins: let it find blocks. */
	tess.set_psm(c->o->api, PSM_AUTO);
	/* Its progress notes and warnings would go to stderr. */
	tess.set_variable(c->o->api, "debug_file", "/dev/null");
}

static void call_read(void *arg)
{
	tess_call *c = arg;

	tess.set_image(c->o->api, c->grey, c->width, c->height, 1, c->stride);
	tess.set_resolution(c->o->api, (int)c->dpi);
	if ((c->rc = tess.recognize(c->o->api, c->o->monitor)) == 0)
		c->text = tess.get_utf8(c->o->api);
}

static void call_clear(void *arg)
{
	tess.clear(((tess_call *)arg)->o->api);
}

static void call_end(void *arg)
{
	dc_ocr *o = ((tess_call *)arg)->o;
	TessBaseAPI *api = o->api;
	ETEXT_DESC *monitor = o->monitor;

	/* once: what an exception interrupts is left to the end of the process */
	o->api = NULL;
	o->monitor = NULL;
	if (api) {
		tess.end(api);
		tess.del(api);
	}
	if (monitor)
		tess.monitor_delete(monitor);
}

/* Tesseract's cancel callback: has the page's deadline passed? */
static bool past_deadline(void *arg, int words)
{
	const dc_ocr *o = arg;

	(void)words;
	return o->deadline > 0 && dc_clock() > o->deadline;
}

/* Stop the instance's Tesseract, keeping the last error's message. */
static void end_quietly(tess_call *c)
{
	char msg[1024];
	int code = declass_error_code();

	snprintf(msg, sizeof(msg), "%s", declass_error_last());
	if (dc_cxx_guard(call_end, c, "stopping Tesseract") < 0)
		dc_error_set(code, "%s", msg);
}

/* Start (or start again) the instance's Tesseract. */
static int start(dc_ocr *o)
{
	tess_call c = { 0 };
	int error;

	c.o = o;
	c.datadir = o->datadir;
	c.lang = o->lang;
	if ((error = dc_cxx_guard(call_start, &c, "starting Tesseract")) < 0)
		goto fail;
	if (c.rc == -2) {
		error = dc_error_oom();
		goto fail;
	}
	if (c.rc != 0) {
		error = dc_error_set(DECLASS_ENOTFOUND,
		                     "OCR is not available: "
		                     "Tesseract could not load '%s' from '%s'",
		                     o->lang, o->datadir);
		goto fail;
	}
	tess.monitor_cancel_func(o->monitor, past_deadline);
	tess.monitor_cancel_this(o->monitor, o);
	return 0;
fail:
	end_quietly(&c);
	return error;
}

int dc_ocr_new(dc_ocr **out, const char *datadir, const char *lang)
{
	dc_ocr *o;
	int error;

	assert(out && datadir && lang);
	*out = NULL;
	if ((error = tess_ready()) < 0)
		return error;
	if (!(o = calloc(1, sizeof(*o))) || !(o->datadir = strdup(datadir)) ||
	    !(o->lang = strdup(lang))) {
		dc_ocr_free(o);
		return dc_error_oom();
	}
	if ((error = start(o)) < 0) {
		dc_ocr_free(o);
		return error;
	}
	*out = o;
	return 0;
}

int dc_ocr_read(char **out, dc_ocr *ocr, const unsigned char *grey, int width, int height,
                int stride, unsigned int dpi, double deadline)
{
	tess_call c = { 0 };
	int levels = -1, error;

	assert(out && ocr && grey);
	*out = NULL;
	if (!ocr->api && (error = start(ocr)) < 0)
		return error;
	c.o = ocr;
	c.grey = grey;
	c.width = width;
	c.height = height;
	c.stride = stride;
	c.dpi = dpi;
	ocr->deadline = deadline;
	if (tess.omp_set_levels) {
		levels = tess.omp_get_levels();
		tess.omp_set_levels(0);
	}
	error = dc_cxx_guard(call_read, &c, "OCR");
	if (error == 0)
		error = dc_cxx_guard(call_clear, &c, "OCR");
	if (tess.omp_set_levels)
		tess.omp_set_levels(levels);
	if (error < 0) {
		/* the state an exception left it in is unknown: the next page
		 * starts a new one */
		end_quietly(&c);
		if (c.text)
			tess.delete_text(c.text);
		return error;
	}
	if (past_deadline(ocr, 0)) {
		/* stopped, or finished late: either way over the limit */
		if (c.text)
			tess.delete_text(c.text);
		return dc_error_set(DECLASS_ELIMIT, "OCR of a %dx%d page image ran out of time",
		                    width, height);
	}
	if (!c.text)
		return dc_error_set(DECLASS_ERROR,
		                    "tesseract read no text from a "
		                    "%dx%d page image",
		                    width, height);
	*out = strdup(c.text);
	tess.delete_text(c.text);
	return *out ? 0 : dc_error_oom();
}

void dc_ocr_free(dc_ocr *ocr)
{
	tess_call c = { 0 };

	if (!ocr)
		return;
	c.o = ocr;
	end_quietly(&c);
	free(ocr->datadir);
	free(ocr->lang);
	free(ocr);
}

const char *dc_ocr_version(void)
{
	return tess_ready() == 0 ? tess.version() : NULL;
}

#else /* !DECLASS_HAVE_TESSERACT */

int dc_ocr_find_data(char **out, const char *lang, const char *tessdata)
{
	int error;

	(void)tessdata;
	*out = NULL;
	if ((error = check_lang(lang)) < 0)
		return error;
	return dc_error_set(DECLASS_ENOTFOUND, "OCR is not available: declass "
	                                       "was built without Tesseract (install "
	                                       "libtesseract-dev and rebuild)");
}

int dc_ocr_new(dc_ocr **out, const char *datadir, const char *lang)
{
	(void)datadir;
	(void)lang;
	*out = NULL;
	return dc_error_set(DECLASS_ENOTFOUND, "OCR is not available: declass "
	                                       "was built without Tesseract");
}

int dc_ocr_read(char **out, dc_ocr *ocr, const unsigned char *grey, int width, int height,
                int stride, unsigned int dpi, double deadline)
{
	(void)deadline;
	(void)ocr;
	(void)grey;
	(void)width;
	(void)height;
	(void)stride;
	(void)dpi;
	*out = NULL;
	return dc_error_set(DECLASS_ENOTFOUND, "OCR is not available: declass "
	                                       "was built without Tesseract");
}

void dc_ocr_free(dc_ocr *ocr)
{
	(void)ocr;
}

const char *dc_ocr_version(void)
{
	return NULL;
}

#endif
