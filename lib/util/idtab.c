/* A compact table of elements keyed by uniformly distributed byte strings (see idtab.h). */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "idtab.h"

static size_t slot_of(size_t cap, const void *key)
{
	size_t h;

	memcpy(&h, key, sizeof(h)); /* keys are uniformly distributed */
	return h & (cap - 1);
}

void *dc_idtab_get(const dc_idtab *t, const void *key)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = slot_of(t->cap, key); t->index[i]; i = (i + 1) & (t->cap - 1)) {
		void *e = dc_idtab_at(t, t->index[i] - 1);

		if (!memcmp(e, key, t->klen))
			return e;
	}
	return NULL;
}

int dc_idtab_add(dc_idtab *t, const void *key, void **out)
{
	size_t i, j;
	void *e;

	if ((*out = dc_idtab_get(t, key)))
		return 0;
	if (t->n >= UINT32_MAX - 1)
		return dc_error_oom();
	if (4 * (t->n + 1) > 3 * t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 4096;
		uint32_t *index = calloc(cap, sizeof(*index));

		if (!index)
			return dc_error_oom();
		for (j = 0; j < t->n; j++) {
			for (i = slot_of(cap, dc_idtab_at(t, j)); index[i]; i = (i + 1) & (cap - 1))
				;
			index[i] = (uint32_t)j + 1;
		}
		free(t->index);
		t->index = index;
		t->cap = cap;
	}
	if (t->n == t->nchunks * DC_IDTAB_CHUNK) {
		unsigned char **chunks = realloc(t->chunks, (t->nchunks + 1) * sizeof(*chunks));

		if (!chunks)
			return dc_error_oom();
		t->chunks = chunks;
		if (!(chunks[t->nchunks] = malloc(DC_IDTAB_CHUNK * t->esize)))
			return dc_error_oom();
		t->nchunks++;
	}
	e = dc_idtab_at(t, t->n);
	memset(e, 0, t->esize);
	memcpy(e, key, t->klen);
	for (i = slot_of(t->cap, key); t->index[i]; i = (i + 1) & (t->cap - 1))
		;
	t->index[i] = (uint32_t)++t->n;
	*out = e;
	return 1;
}

void dc_idtab_free(dc_idtab *t)
{
	size_t i;

	for (i = 0; i < t->nchunks; i++)
		free(t->chunks[i]);
	free(t->chunks);
	t->chunks = NULL;
	free(t->index);
	t->index = NULL;
	t->nchunks = t->n = t->cap = 0;
}
