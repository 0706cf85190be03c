/* Calendar dates as the archive writes them: YYYY-MM-DD. */
#ifndef DECLASS_DATE_H
#define DECLASS_DATE_H

#include <stdint.h>

/* 1 if y-m-d is a real date of the Gregorian calendar. */
int dc_date_valid(int y, int m, int d);

/* Parse exactly "YYYY-MM-DD" naming a real date; 0 on success, -1 if not. */
int dc_date_parse_iso(const char *s, int *y, int *m, int *d);

/* Format seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ" (21 bytes). */
void dc_time_iso(char out[21], int64_t when);

/* Now, or SOURCE_DATE_EPOCH when set (reproducible archives). */
int64_t dc_now(void);

/* Seconds on a clock that only goes forward (CLOCK_MONOTONIC): for limits. */
double dc_clock(void);

#endif
