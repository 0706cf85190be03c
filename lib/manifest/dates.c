/*
 * The date columns of a manifest (release, document and review dates),
 * rewritten as ISO 8601 once every row is in (see manifest.c).  NARA's
 * spreadsheets give Excel serial numbers, ISO dates, A/B/YYYY in either
 * order and month names; a column's day/month order is decided from all
 * its values.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "declass/manifest.h"
#include "manifest_internal.h"

/* Days since 1970-01-01 and back (H. Hinnant's civil calendar algorithms). */
static long days_from_civil(long y, long mo, long d)
{
	long era, yoe, doy, doe;

	y -= mo <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *mo, long *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*mo = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*mo <= 2);
}

/* Read min..max digits at *s. */
static int read_num(const char **s, int min, int max, long *out)
{
	const char *p = *s;
	long v = 0;
	int n = 0;

	while (n < max && isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (n < min || isdigit((unsigned char)*p))
		return 0;
	*out = v;
	*s = p;
	return 1;
}

/* Read an English month name or its three-letter abbreviation at *s. */
static int read_month(const char **s, long *out)
{
	static const char *const names[] = { "january",   "february", "march",    "april",
		                             "may",       "june",     "july",     "august",
		                             "september", "october",  "november", "december" };
	const char *p = *s;
	char word[16];
	size_t n = 0, i;

	while (isalpha((unsigned char)*p) && n < sizeof(word) - 1)
		word[n++] = (char)tolower((unsigned char)*p++);
	word[n] = '\0';
	if (n < 3 || isalpha((unsigned char)*p))
		return 0;
	for (i = 0; i < 12; i++) {
		if (!strcmp(word, names[i]) || (n == 3 && !strncmp(word, names[i], 3)) ||
		    (i == 8 && !strcmp(word, "sept"))) {
			*out = (long)i + 1;
			*s = p;
			return 1;
		}
	}
	return 0;
}

static int is_sep(char c)
{
	return c == '/' || c == '-' || c == '.';
}

/* Is s "A/B/YYYY" with 1-2 digit A and B (separator '/', '-' or '.')? */
static int numeric_parts(const char *s, long *a, long *b)
{
	long y;
	char sep;

	if (!read_num(&s, 1, 2, a) || !is_sep(sep = *s++) || !read_num(&s, 1, 2, b) ||
	    *s++ != sep || !read_num(&s, 4, 4, &y))
		return 0;
	return *s == '\0';
}

/*
 * Read a trimmed date cell: an Excel serial number (5 to 7 digits, days
 * since 1899-12-30, any fraction of a day dropped), ISO YYYY-MM-DD (with or
 * without a time), A/B/YYYY with `day_first` choosing the order, or a month
 * name before or after the day ("Aug/18/2017", "15-Dec-2021").  Returns 1
 * and a real calendar date, or 0.
 */
static int parse_date(const char *s, int day_first, long *y, long *mo, long *d)
{
	const char *p = s;
	long a, b, v;
	char sep;

	if (read_num(&p, 5, 7, &v) &&
	    (*p == '\0' || (*p == '.' && isdigit((unsigned char)p[1]) &&
	                    strspn(p + 1, "0123456789") == strlen(p + 1)))) {
		if (v > 2958465) /* 9999-12-31 */
			return 0;
		civil_from_days(days_from_civil(1899, 12, 30) + v, y, mo, d);
		return dc_date_valid((int)*y, (int)*mo, (int)*d);
	}
	p = s;
	if (read_num(&p, 4, 4, y) && *p++ == '-' && read_num(&p, 2, 2, mo) && *p++ == '-' &&
	    read_num(&p, 2, 2, d)) {
		if (*p != '\0' &&
		    ((*p != 'T' && *p != ' ') || strspn(p + 1, "0123456789:.+-Z") != strlen(p + 1)))
			return 0;
		return dc_date_valid((int)*y, (int)*mo, (int)*d);
	}
	if (numeric_parts(s, &a, &b)) {
		*y = strtol(s + strlen(s) - 4, NULL, 10);
		*mo = day_first ? b : a;
		*d = day_first ? a : b;
		return dc_date_valid((int)*y, (int)*mo, (int)*d);
	}
	p = s;
	if (read_month(&p, mo) && is_sep(sep = *p++) && read_num(&p, 1, 2, d) && *p++ == sep &&
	    read_num(&p, 4, 4, y) && *p == '\0')
		return dc_date_valid((int)*y, (int)*mo, (int)*d);
	p = s;
	if (read_num(&p, 1, 2, d) && is_sep(sep = *p++) && read_month(&p, mo) && *p++ == sep &&
	    read_num(&p, 4, 4, y) && *p == '\0')
		return dc_date_valid((int)*y, (int)*mo, (int)*d);
	return 0;
}

/*
 * Rewrite each date column's readable values as ISO 8601.  The order of
 * A/B/YYYY is decided per column: day first when some value has A > 12 and
 * none has B > 12, month first otherwise.  Per column rather than per
 * manifest because the 2017 export has day-first release dates
 * (26/10/2017) beside month-first document dates (06/26/1975).
 */
void dc_manifest_fix_dates(declass_manifest *m)
{
	size_t day_first_seen[NDATE_KEYS] = { 0 }, month_first_seen[NDATE_KEYS] = { 0 };
	int day_first[NDATE_KEYS];
	size_t pass, i, d;

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < m->nrows; i++) {
			const declass_manifest_row *row = &m->rows[i];
			declass_manifest_field f;
			size_t pos = 0;

			/* The rows of one source row share its cells. */
			if (i > 0 && row->cells == m->rows[i - 1].cells)
				continue;
			while (declass_manifest_field_next(&f, m, row, &pos)) {
				long a, b, y, mo, dd;
				int date = -1;

				for (d = 0; d < NDATE_KEYS; d++)
					if (f.key ==
					    dc_manifest_key_names[dc_manifest_date_keys[d]])
						date = (int)d;
				if (date < 0)
					continue;
				if (pass == 0 && numeric_parts(f.value, &a, &b)) {
					if (a > 12 && a <= 31 && b >= 1 && b <= 12)
						day_first_seen[date]++;
					else if (b > 12 && b <= 31 && a >= 1 && a <= 12)
						month_first_seen[date]++;
				} else if (pass == 1 &&
				           parse_date(f.value, day_first[date], &y, &mo, &dd)) {
					/* the value's slot has room (see cells.c) */
					snprintf((char *)f.value, ISO_SLOT, "%04ld-%02ld-%02ld", y,
					         mo, dd);
				}
			}
		}
		for (d = 0; d < NDATE_KEYS; d++)
			day_first[d] = day_first_seen[d] > 0 && month_first_seen[d] == 0;
	}
}
