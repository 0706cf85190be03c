/*
 * The manifest parser (NARA CSV exports and JSON) on arbitrary bytes: no
 * crash, no leak, no undefined behaviour, and every row it accepts keeps
 * the promises of declass/manifest.h.
 */
#include <stdint.h>
#include <string.h>

#include "declass/manifest.h"
#include "declass/record.h"
#include "fuzz.h"

static void check_file_name(const char *f)
{
	const char *c = f;

	CHECK(*f && *f != '/' && !strchr(f, '\\'));
	while (*c) {
		size_t len = strcspn(c, "/");

		CHECK(!(len == 2 && c[0] == '.' && c[1] == '.'));
		c += len;
		if (*c == '/')
			c++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	declass_manifest *m = NULL;
	size_t i, k, n;

	if (declass_manifest_parse(&m, "fuzz", (const char *)data, size) < 0) {
		CHECK(m == NULL);
		return 0;
	}
	n = declass_manifest_count(m);
	CHECK(n > 0);
	CHECK(!strcmp(declass_manifest_format(m), "csv") ||
	      !strcmp(declass_manifest_format(m), "json"));
	for (i = 0; i < n; i++) {
		const declass_manifest_row *r = declass_manifest_row_at(m, i);
		declass_manifest_field f;
		size_t pos;

		CHECK(r && r->record && *r->record);
		CHECK(declass_record_check(r->record) == 0);
		if (r->file)
			check_file_name(r->file);
		if (r->release_date)
			CHECK(strlen(r->release_date) == 10);
		for (k = 0, pos = 0; declass_manifest_field_next(&f, m, r, &pos); k++)
			CHECK(f.key && f.value && f.raw && f.header);
		CHECK(k == r->nfields);
	}
	CHECK(declass_manifest_row_at(m, n) == NULL);
	declass_manifest_free(m);
	return 0;
}
