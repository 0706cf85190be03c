/*
 * Error reporting inside the library: set the message where the failure
 * starts, return the code, pass it up unchanged.
 */
#ifndef DECLASS_ERROR_H
#define DECLASS_ERROR_H

#include "declass/declass.h"

#if defined(__GNUC__)
#define DC_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DC_PRINTF(a, b)
#endif

/* Record `code` and a printf-style message for this thread; returns code. */
int dc_error_set(int code, const char *fmt, ...) DC_PRINTF(2, 3);

/* Like dc_error_set, with ": strerror(errno)" appended. */
int dc_error_sys(int code, const char *fmt, ...) DC_PRINTF(2, 3);

/* Prefix the current message with a printf-style context ("ctx: msg"). */
void dc_error_prefix(const char *fmt, ...) DC_PRINTF(1, 2);

/* Set DECLASS_ENOMEM and return it. */
int dc_error_oom(void);

#endif
