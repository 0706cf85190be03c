/*
 * Growing an array by doubling, the realloc idiom of a list that is
 * appended to:
 *
 *	if ((error = dc_grow(&list->v, &list->alloc, list->n + 1, sizeof(*list->v))) < 0)
 *		return error;
 *	list->v[list->n++] = item;
 */
#ifndef DECLASS_LIB_GROW_H
#define DECLASS_LIB_GROW_H

#include <stddef.h>

/*
 * Make room for `need` elements of `elem` bytes in the array whose
 * address is `arrayp` (a T **: &list->v), which has room for *cap: if
 * need > *cap, realloc it to 16 elements or twice *cap, doubled until
 * need fits, and update *cap.  0, or DECLASS_ENOMEM (the library error
 * set; also when the size overflows) with the array and *cap unchanged.
 * Amortised O(1) an element; the slack is at most half the array.
 */
int dc_grow(void *arrayp, size_t *cap, size_t need, size_t elem);

#endif
