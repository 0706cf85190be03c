/*
 * The packed cell store of a manifest (see manifest.c).  A row's cells are
 * packed one after the other in the arena (row->cells), each a header and
 * a body, with a 0 byte after the last:
 *
 *   header  (column + 1) * 2, plus 1 when the body is shared, as a
 *           varint (LEB128: 7 bits a byte, low first);
 *   body    none in a JSON "files" column: its raw and value are the
 *           row's file; else the raw cell, NUL-terminated, then, unless
 *           the value is a tail of raw (only leading blanks trimmed, not a
 *           date column), the value NUL-terminated, in a slot of at least
 *           ISO_SLOT bytes in date columns so that dc_manifest_fix_dates()
 *           can write YYYY-MM-DD over it in place.  A shared body is stored once,
 *           apart, and the cell holds its index in m->shared (a varint).
 *
 * Which of those a body holds follows from raw and its column, so cells
 * need no flags; a field is read back by scanning raw once.  The rows made
 * from one source row (one per file) share its cells: in a "file" column
 * the value is the row's own file.
 *
 * NARA's columns repeat a few values over thousands of rows (release date,
 * "Redact", agency, document type, originator, review date), so a body
 * seen before in the same column is shared (see SHARE_MIN): on a 100,000-
 * row manifest that halves the cells.  Sharing is safe for dates: two
 * cells of a column with the same raw get the same ISO value.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "declass/manifest.h"
#include "manifest_internal.h"
#include "util/error.h"

/*
 * Sharing repeated cells (see above): a body is shared when it
 * takes at least SHARE_MIN bytes (a shorter one costs no more than the
 * reference to it), a column stops sharing new values once it has
 * SHARE_TRIAL of them and fewer cells that found one already (a column of
 * unique values, such as file names or titles, is not worth it), and a
 * manifest shares at most SHARE_MAX bodies.
 */
#define SHARE_MIN   4
#define SHARE_TRIAL 64
#define SHARE_MAX   ((size_t)1 << 20)

static int put_varint(dc_buf *b, size_t v)
{
	unsigned char c[(sizeof(v) * 8 + 6) / 7];
	size_t n = 0;

	do {
		c[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		c[n++] |= v ? 0x80 : 0;
	} while (v);
	return dc_buf_add(b, c, n);
}

static const unsigned char *get_varint(const unsigned char *p, size_t *out)
{
	size_t v = 0;
	unsigned shift = 0;

	do {
		v |= (size_t)(*p & 0x7f) << shift;
		shift += 7;
	} while (*p++ & 0x80);
	*out = v;
	return p;
}

/* The bytes the value of a cell trimmed to [a, b) of its `len` takes after raw. */
static size_t value_slot(const mcol *c, size_t len, size_t a, size_t b)
{
	if (c->date < 0 && b == len)
		return 0;
	return c->date >= 0 && b - a + 1 < ISO_SLOT ? ISO_SLOT : b - a + 1;
}

/* Read the body at `q`, of column c; returns its size. */
static size_t read_body(const mcol *c, const char *q, const char **raw, const char **value)
{
	size_t len = strlen(q), a, b, slot;

	dc_manifest_trim(q, len, &a, &b);
	slot = value_slot(c, len, a, b);
	*raw = q;
	*value = slot ? q + len + 1 : q + a;
	return len + 1 + slot;
}

/* Read the cell at `p` of `row` into *out; returns where the next one starts. */
const unsigned char *dc_manifest_read_cell(declass_manifest_field *out, const declass_manifest *m,
                                           const declass_manifest_row *row, const unsigned char *p)
{
	const mcol *c;
	size_t h;

	p = get_varint(p, &h);
	assert(h >= 2 && (h >> 1) <= m->ncols);
	c = &m->cols[(h >> 1) - 1];
	out->key = c->key;
	out->header = c->header;
	if (c->files) {
		out->raw = out->value = row->file;
		return p;
	}
	if (h & 1) {
		size_t i;

		p = get_varint(p, &i);
		assert(i < m->nshared);
		read_body(c, m->shared[i], &out->raw, &out->value);
	} else {
		p += read_body(c, (const char *)p, &out->raw, &out->value);
	}
	if (c->k == K_FILE && row->file)
		out->value = row->file;
	return p;
}

/* Write the body of raw[0..len), trimmed to [a, b), at q (see above). */
static void put_body(char *q, const char *raw, size_t len, size_t a, size_t b, size_t slot)
{
	memcpy(q, raw, len);
	q[len] = '\0';
	if (slot) {
		memcpy(q + len + 1, raw + a, b - a);
		memset(q + len + 1 + (b - a), 0, slot - (b - a));
	}
}

static uint32_t hash_cell(size_t col, const char *raw, size_t len)
{
	uint32_t h = 2166136261u ^ (uint32_t)col; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)raw[i]) * 16777619u;
	return h;
}

/* The slot of p->share_slots for a body of column `col`, raw[0..len). */
static uint32_t *share_slot(parser *p, uint32_t h, size_t col, const char *raw, size_t len)
{
	size_t mask = p->share_size - 1, i = h & mask;
	uint32_t e;

	while ((e = p->share_slots[i]) != 0) {
		const struct share *sh = &p->share[e - 1];
		const char *body = p->m->shared[e - 1];

		if (sh->hash == h && sh->col == col && !strncmp(body, raw, len) && !body[len])
			break;
		i = (i + 1) & mask;
	}
	return &p->share_slots[i];
}

/*
 * Double the table of shared bodies when it is half full.  Returns 0, or
 * an error when out of memory.
 */
static int share_grow(parser *p)
{
	declass_manifest *m = p->m;
	size_t n, i;
	uint32_t *slots;

	if (m->nshared == m->shared_alloc) {
		const char **sh;
		struct share *meta;

		n = m->shared_alloc ? m->shared_alloc * 2 : 256;
		if (!(sh = realloc(m->shared, n * sizeof(*sh))))
			return dc_error_oom();
		m->shared = sh;
		if (!(meta = realloc(p->share, n * sizeof(*meta))))
			return dc_error_oom();
		p->share = meta;
		m->shared_alloc = n;
	}
	if (2 * (m->nshared + 1) <= p->share_size)
		return 0;
	n = p->share_size ? p->share_size * 2 : 1024;
	if (!(slots = calloc(n, sizeof(*slots))))
		return dc_error_oom();
	free(p->share_slots);
	p->share_slots = slots;
	p->share_size = n;
	for (i = 0; i < m->nshared; i++) {
		const char *body = m->shared[i];

		*share_slot(p, p->share[i].hash, p->share[i].col, body, strlen(body)) =
		        (uint32_t)i + 1;
	}
	return 0;
}

/*
 * The shared body for a cell of column `col`: the one stored already for
 * the same raw cell, or a new one while the column is worth sharing (see
 * SHARE_TRIAL).  Returns 1 and sets *out to its index in m->shared, 0
 * when the cell is to keep its own body, or an error.
 */
static int share_body(parser *p, size_t col, const char *raw, size_t len, size_t a, size_t b,
                      size_t slot, size_t *out)
{
	declass_manifest *m = p->m;
	mcol *c = &m->cols[col];
	uint32_t h = hash_cell(col, raw, len), *at;
	char *body;
	int error;

	if ((error = share_grow(p)) < 0)
		return error;
	at = share_slot(p, h, col, raw, len);
	if (*at) {
		c->hits++;
		*out = *at - 1;
		return 1;
	}
	if (m->nshared >= SHARE_MAX || (c->shared >= SHARE_TRIAL && c->hits < c->shared))
		return 0;
	if (!(body = dc_manifest_alloc(m, len + 1 + slot)))
		return dc_error_oom();
	put_body(body, raw, len, a, b, slot);
	m->shared[m->nshared] = body;
	p->share[m->nshared].col = (uint32_t)col;
	p->share[m->nshared].hash = h;
	*at = (uint32_t)++m->nshared;
	c->shared++;
	*out = m->nshared - 1;
	return 1;
}

/*
 * Pack a cell of column `col` at the end of the row being read, unless it
 * is empty or all blanks.  Returns 1 and sets *off to where in p->cells it
 * starts, or 0 when it is blank.
 */
int dc_manifest_add_cell(parser *p, size_t col, const char *raw, size_t len, size_t *off)
{
	const mcol *c = &p->m->cols[col];
	size_t a, b, slot, start = p->cells.len, shared = 0;
	int error, is_shared = 0;

	dc_manifest_trim(raw, len, &a, &b);
	if (a == b)
		return 0;
	slot = value_slot(c, len, a, b);
	if (len + 1 + slot >= SHARE_MIN &&
	    (is_shared = share_body(p, col, raw, len, a, b, slot, &shared)) < 0)
		return is_shared;
	if ((error = put_varint(&p->cells, (col + 1) << 1 | (size_t)is_shared)) < 0)
		goto fail;
	if (is_shared) {
		if ((error = put_varint(&p->cells, shared)) < 0)
			goto fail;
	} else {
		if ((error = dc_buf_grow(&p->cells, len + 1 + slot)) < 0)
			goto fail;
		put_body(p->cells.ptr + p->cells.len, raw, len, a, b, slot);
		p->cells.len += len + 1 + slot;
		p->cells.ptr[p->cells.len] = '\0';
	}
	*off = start;
	p->ncells++;
	return 1;
fail:
	dc_buf_truncate(&p->cells, start);
	return error;
}

/* Add a cell of JSON "files" column `col`: a header alone (see above). */
int dc_manifest_add_files_cell(parser *p, size_t col)
{
	int error = put_varint(&p->cells, (col + 1) << 1);

	if (!error)
		p->ncells++;
	return error;
}

/*
 * Copy the row just read into the arena; *out is where it starts.  Its
 * cells are read back (dc_manifest_read_cell) from there on, so that the values a row
 * points to (record, file) are the manifest's.
 */
int dc_manifest_publish_cells(parser *p, const unsigned char **out)
{
	unsigned char *c;
	int error;

	if ((error = dc_buf_addch(&p->cells, '\0')) < 0)
		return error;
	if (!(c = dc_manifest_alloc(p->m, p->cells.len)))
		return dc_error_oom();
	memcpy(c, p->cells.ptr, p->cells.len);
	*out = c;
	return 0;
}

/* The value of the cell at offset `off` of the cells just published. */
const char *dc_manifest_cell_value(parser *p, const unsigned char *cells, size_t off)
{
	static const declass_manifest_row none;
	declass_manifest_field f;

	dc_manifest_read_cell(&f, p->m, &none, cells + off);
	return f.value;
}
