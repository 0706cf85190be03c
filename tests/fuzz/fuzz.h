/* What the harnesses share: a check that aborts (libFuzzer reports it). */
#ifndef DECLASS_FUZZ_H
#define DECLASS_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                 \
		}                                                                                \
	} while (0)

#endif
