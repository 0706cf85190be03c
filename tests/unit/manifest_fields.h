/*
 * The fields of a manifest row by position or by key, for the unit tests.
 * Include after <cmocka.h> and "declass/manifest.h".
 */
#ifndef DECLASS_TEST_MANIFEST_FIELDS_H
#define DECLASS_TEST_MANIFEST_FIELDS_H

#include <string.h>

/* Field i of `row` into *out: 1, or 0 when the row has fewer fields. */
static inline int row_field_at(declass_manifest_field *out, const declass_manifest *m,
                               const declass_manifest_row *row, size_t i)
{
	size_t pos = 0, n = 0;

	while (declass_manifest_field_next(out, m, row, &pos))
		if (n++ == i)
			return 1;
	return 0;
}

/* The field of `row` with `key` into *out: 1, or 0 when it has none. */
static inline int row_field(declass_manifest_field *out, const declass_manifest *m,
                            const declass_manifest_row *row, const char *key)
{
	size_t pos = 0;

	while (declass_manifest_field_next(out, m, row, &pos))
		if (!strcmp(out->key, key))
			return 1;
	return 0;
}

/* Field i of `row`, which must have it. */
static inline declass_manifest_field row_field_must(const declass_manifest *m,
                                                    const declass_manifest_row *row, size_t i)
{
	declass_manifest_field f;

	if (!row_field_at(&f, m, row, i))
		fail_msg("row at line %zu has no field %zu", row->line, i);
	return f;
}

/* The value of `key` in `row`, or NULL. */
static inline const char *row_value(const declass_manifest *m, const declass_manifest_row *row,
                                    const char *key)
{
	declass_manifest_field f;

	return row_field(&f, m, row, key) ? f.value : NULL;
}

#endif
