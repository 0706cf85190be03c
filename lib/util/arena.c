/* Strings that live and die together, in large blocks (see arena.h). */
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_BLOCK ((size_t)256 << 10)

struct dc_arena_block {
	dc_arena_block *next;
	size_t used, size;
	char data[];
};

void *dc_arena_alloc(dc_arena *a, size_t n)
{
	dc_arena_block *b = a->head;

	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;

		if (!(b = malloc(sizeof(*b) + size)))
			return NULL;
		b->used = 0;
		b->size = size;
		/* A big block is used up at once: keep the current one in front. */
		if (size == n && a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	b->used += n;
	return b->data + b->used - n;
}

char *dc_arena_strndup(dc_arena *a, const char *s, size_t n)
{
	char *p = dc_arena_alloc(a, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void dc_arena_free(dc_arena *a)
{
	dc_arena_block *b, *next;

	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
}
