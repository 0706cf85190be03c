/*
 * Many small strings that live and die together (a manifest's cells, a
 * tranche's file names) in a few large blocks: no malloc header or
 * rounding per string, one free for all.
 */
#ifndef DECLASS_LIB_ARENA_H
#define DECLASS_LIB_ARENA_H

#include <stddef.h>

typedef struct dc_arena_block dc_arena_block;

typedef struct dc_arena {
	dc_arena_block *head;
} dc_arena;

#define DC_ARENA_INIT \
	{             \
		NULL  \
	}

/* n bytes, not aligned (strings), or NULL when out of memory. */
void *dc_arena_alloc(dc_arena *a, size_t n);

/* A NUL-terminated copy of s[0..n), or NULL when out of memory. */
char *dc_arena_strndup(dc_arena *a, const char *s, size_t n);

/* Free every block; the arena is empty again. */
void dc_arena_free(dc_arena *a);

#endif
