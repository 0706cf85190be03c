/* Thread-local error state behind declass_error_last(). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static _Thread_local char last_msg[1024];
static _Thread_local int last_code;

const char *declass_error_last(void)
{
	return last_msg[0] ? last_msg : "no error";
}

int declass_error_code(void)
{
	return last_code;
}

const char *declass_version(void)
{
	return DECLASS_VERSION;
}

int dc_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

int dc_error_sys(int code, const char *fmt, ...)
{
	int saved = errno;
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	len = strlen(last_msg);
	snprintf(last_msg + len, sizeof(last_msg) - len, ": %s", strerror(saved));
	last_code = code;
	return code;
}

void dc_error_prefix(const char *fmt, ...)
{
	char prefix[512], old[sizeof(last_msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last_msg, sizeof(old));
	if (snprintf(last_msg, sizeof(last_msg), "%s: %s", prefix, old) >= (int)sizeof(last_msg))
		last_msg[sizeof(last_msg) - 1] = '\0'; /* truncated, still a message */
}

int dc_error_oom(void)
{
	return dc_error_set(DECLASS_ENOMEM, "out of memory");
}
