/* Growing an array by doubling (see grow.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "grow.h"

int dc_grow(void *arrayp, size_t *cap, size_t need, size_t elem)
{
	size_t n;
	void *p;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap : 16;
	while (n < need)
		n = n > SIZE_MAX / 2 ? need : 2 * n;
	if (elem && n > SIZE_MAX / elem)
		return dc_error_oom();
	/*
	 * *arrayp is a T *, read and written as bytes: T * and void * have
	 * the same representation on every platform we build for, and
	 * memcpy does not break the aliasing rules a (void **) cast would.
	 */
	memcpy(&p, arrayp, sizeof(p));
	if (!(p = realloc(p, n * elem)))
		return dc_error_oom();
	memcpy(arrayp, &p, sizeof(p));
	*cap = n;
	return 0;
}
