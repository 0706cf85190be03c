/*
 * Optional libraries loaded when first needed (dlopen), not linked: PDF
 * text (poppler, lib/extract/pdftext.c) and OCR (Tesseract, lib/extract/ocr.c).  Linked,
 * they cost every declass process their start-up memory (about 13 MB
 * together: static objects and relocations), though most commands (verify,
 * log, diff...) never read a PDF.  Their headers are compiled against; the
 * library is found at run time by its soname.
 */
#ifndef DECLASS_LIB_DL_H
#define DECLASS_LIB_DL_H

#include <stddef.h>

/* One function to look up: its name, and where to store its address. */
typedef struct dc_dl_sym {
	const char *name;
	void *fn;    /* the address of a function pointer */
	size_t size; /* sizeof that pointer */
} dc_dl_sym;

#define DC_DL_SYM(name, ptr)              \
	{                                 \
		name, &(ptr), sizeof(ptr) \
	}

/*
 * Open `soname` and fill in every symbol (looked up in it and in the
 * libraries it depends on).  0, or -1 with a message in why[len] naming
 * what is missing and `package`, the Debian package to install.  The
 * library stays loaded for the life of the process.
 */
int dc_dl_load(const char *soname, const char *package, const dc_dl_sym *syms, size_t n, char *why,
               size_t len);

#endif
