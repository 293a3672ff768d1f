/*
 * timeutil.c - UTC times and a monotonic clock.
 */
#include "lib/timeutil.h"

#include <string.h>

time_t cu_time_now(void)
{
	return time(NULL);
}

double cu_time_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cu_time_iso8601(char *out, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	if (strftime(out, CU_ISO8601_SIZE, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		out[0] = '\0';
}

bool cu_time_parse_iso8601(const char *text, time_t *t)
{
	struct tm tm = {0};
	const char *end;

	if (strlen(text) != CU_ISO8601_SIZE - 1)
		return false;
	end = strptime(text, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return false;
	*t = timegm(&tm);
	return *t != (time_t)-1;
}
