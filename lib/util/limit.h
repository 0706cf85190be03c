/*
 * The limits of declass/limits.h as the library applies them, and how its
 * messages name them.
 */
#ifndef DECLASS_LIB_LIMIT_H
#define DECLASS_LIB_LIMIT_H

#include "declass/limits.h"
#include "util/error.h"

/* `n` bytes as a message says it: "32 MiB", "600 bytes". */
const char *dc_limit_bytes(char buf[32], uint64_t n);

/*
 * DECLASS_ELIMIT: "<what> is <size> bytes, over the limit of <limit> on
 * one text (--max-text)"; `what` is a printf format.
 */
int dc_limit_text_error(uint64_t size, uint64_t limit, const char *fmt, ...) DC_PRINTF(3, 4);

#endif
