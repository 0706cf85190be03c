/*
 * Record ids: the check, the archive path (which must be safe and map back
 * to the id), the id read back from a path, and the id a file name stands
 * for.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "declass/record.h"
#include "fuzz.h"

static void check_path(const char *id, const char *path)
{
	char *back = NULL;
	const char *c;

	CHECK(!strncmp(path, "records/", 8) && !strchr(path, '\\'));
	for (c = path; *c; c++)
		CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
	/* No empty, "." or ".." component; no component starting with '.'. */
	for (c = path; *c;) {
		size_t len = strcspn(c, "/");

		CHECK(len > 0 && c[0] != '.');
		c += len;
		if (*c == '/')
			CHECK(*++c);
	}
	CHECK(declass_record_from_path(&back, path) == 0);
	CHECK(back && !strcmp(back, id));
	free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *path = NULL, *id = NULL;

	if (!(s = malloc(size + 1)))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (declass_record_check(s) == 0) {
		CHECK(declass_record_path(&path, s) == 0);
		check_path(s, path);
		free(path);
		path = NULL;
	} else {
		CHECK(declass_record_path(&path, s) < 0 && !path);
	}
	if (declass_record_from_filename(&id, s) == 0) {
		CHECK(declass_record_check(id) == 0);
		free(id);
		id = NULL;
	}
	if (declass_record_from_path(&id, s) == 0) {
		CHECK(declass_record_check(id) == 0);
		free(id);
	}
	free(s);
	return 0;
}
