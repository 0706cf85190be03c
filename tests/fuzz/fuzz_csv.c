/*
 * The CSV reader under the manifest parser (lib/manifest/csv.c), on its own: the
 * first byte picks the separator, the rest is the file.  No crash, cells
 * within the limits, progress on every row.
 */
#include <stdint.h>
#include <string.h>

#include "manifest/csv.h"
#include "fuzz.h"

#define MAX_CELL 4096
#define MAX_ROW  16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char seps[] = { ',', ';', '\t', '|' };
	dc_csv r;
	char sep;
	size_t rows = 0, i, last = 0;
	int rc;

	if (size < 1)
		return 0;
	sep = data[0] & 0x80 ? dc_csv_sniff((const char *)data + 1, size - 1)
	                     : seps[data[0] % sizeof(seps)];
	dc_csv_init(&r, "fuzz", (const char *)data + 1, size - 1, sep, MAX_CELL, MAX_ROW);
	while ((rc = dc_csv_next(&r)) > 0) {
		CHECK(r.ncells >= 1);
		CHECK(r.pos > last || r.pos == size - 1);
		last = r.pos;
		for (i = 0; i < r.ncells; i++) {
			size_t len = dc_csv_cell_len(&r, i);

			CHECK(len <= MAX_CELL);
			CHECK(strlen(dc_csv_cell(&r, i)) <= len);
		}
		CHECK(++rows <= size);
	}
	dc_csv_free(&r);
	return 0;
}
