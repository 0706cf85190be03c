/*
 * What a parsed manifest costs: loads each manifest named on the command
 * line with declass_manifest_load(), walks every field of every row, and
 * prints its rows, fields, the time taken and the process's peak resident
 * set (VmHWM) after each, and with glibc the heap the manifest holds once
 * loaded (the file it was read from is freed by then).  Not a test; built
 * with the rest (cmake --build build):
 *   ./build/manifest_mem /tmp/scale/2017-10-26/manifest.csv
 * (bench/gen.py makes large synthetic manifests.)  For who holds the
 * memory, run it under heaptrack and read heaptrack_print's peak consumers.
 */
#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <time.h>

#include "declass/manifest.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's peak and current resident set, in KiB, from /proc. */
static void rss(long *hwm, long *now_kb)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	*hwm = *now_kb = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmHWM:", 6))
			*hwm = strtol(line + 6, NULL, 10);
		else if (!strncmp(line, "VmRSS:", 6))
			*now_kb = strtol(line + 6, NULL, 10);
	}
	fclose(f);
}

/* Bytes malloc has handed out and not had back, or 0 where we cannot tell. */
static size_t heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
#else
	return 0;
#endif
}

int main(int argc, char **argv)
{
	long hwm, cur;
	int i;

	rss(&hwm, &cur);
	printf("start: VmHWM %ld KiB, VmRSS %ld KiB\n", hwm, cur);
	for (i = 1; i < argc; i++) {
		declass_manifest *m;
		size_t n, r, fields = 0, bytes = 0, heap0 = heap_in_use(), heap;
		double t0 = now(), t1;

		if (declass_manifest_load(&m, argv[i]) < 0) {
			fprintf(stderr, "%s\n", declass_error_last());
			return 1;
		}
		t1 = now();
		heap = heap_in_use() - heap0;
		n = declass_manifest_count(m);
		for (r = 0; r < n; r++) {
			const declass_manifest_row *row = declass_manifest_row_at(m, r);
			declass_manifest_field f;
			size_t pos = 0;

			while (declass_manifest_field_next(&f, m, row, &pos)) {
				bytes += strlen(f.value);
				fields++;
			}
		}
		rss(&hwm, &cur);
		printf("%s: %s, %zu rows, %zu fields (%zu bytes of values); "
		       "load %.3f s, walk %.3f s; manifest %zu KiB; VmHWM %ld KiB, VmRSS %ld KiB\n",
		       argv[i], declass_manifest_format(m), n, fields, bytes, t1 - t0, now() - t1,
		       heap >> 10, hwm, cur);
		declass_manifest_free(m);
	}
	return 0;
}
