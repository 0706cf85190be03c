/*
 * Record ids: validation, the archive path of a record's folder, and the
 * id a file name stands for when no manifest says.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "declass/hash.h"
#include "declass/record.h"
#include "util/utf8.h"

/* Does s start with a NARA record number, NNN-NNNNN-NNNNN? */
static int nara_prefix(const char *s)
{
	static const char shape[] = "ddd-ddddd-ddddd";
	size_t i;

	for (i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return 0;
	}
	return 1;
}

int declass_record_check(const char *id)
{
	size_t len = strlen(id), i, n, bad;

	if (len == 0)
		return dc_error_set(DECLASS_EINPUT, "empty record id");
	if (len > DECLASS_RECORD_ID_MAX)
		return dc_error_set(DECLASS_EINPUT,
		                    "record id '%.40s...' is %zu bytes long (at most %d)", id, len,
		                    DECLASS_RECORD_ID_MAX);
	if (!dc_utf8_valid(id, len, &bad))
		return dc_error_set(DECLASS_EINPUT,
		                    "record id '%.*s...' is not valid UTF-8 (byte %zu)", (int)bad,
		                    id, bad + 1);
	for (i = 0; i < len; i += n) {
		unsigned char c = (unsigned char)id[i];
		uint32_t cp;

		n = dc_utf8_decode(id + i, len - i, &cp);
		if (dc_utf8_hidden(cp))
			return dc_error_set(DECLASS_EINPUT, "record id '%.*s...' holds %s (U+%04X)",
			                    (int)i, id,
			                    cp < 0xA0 ? "a control character"
			                              : "an invisible or format character",
			                    (unsigned)cp);
		if (c == '/' || c == '\\')
			return dc_error_set(DECLASS_EINPUT, "record id '%s' holds '%c'", id, c);
	}
	if (isspace((unsigned char)id[0]) || isspace((unsigned char)id[len - 1]))
		return dc_error_set(DECLASS_EINPUT, "record id '%s' starts or ends with a blank",
		                    id);
	return 0;
}

/*
 * Append id with every byte outside [A-Za-z0-9._-], and a leading '.',
 * written as `esc` and two upper-case hex digits.
 */
static int escape_id(dc_buf *b, const char *id, char esc)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	int error = 0;

	for (i = 0; !error && id[i]; i++) {
		unsigned char c = (unsigned char)id[i];

		if (isalnum(c) || c == '-' || c == '_' || (c == '.' && i > 0))
			error = dc_buf_addch(b, (char)c);
		else if ((error = dc_buf_addch(b, esc)) == 0 &&
		         (error = dc_buf_addch(b, hex[c >> 4])) == 0)
			error = dc_buf_addch(b, hex[c & 15]);
	}
	return error;
}

int declass_record_path(char **out, const char *id)
{
	dc_buf b = DC_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = declass_record_check(id)) < 0)
		return error;
	if (strlen(id) == 15 && nara_prefix(id))
		error = dc_buf_addf(&b, "records/%.3s/%.5s/%.5s", id, id + 4, id + 10);
	else if ((error = dc_buf_adds(&b, "records/_/")) == 0)
		error = escape_id(&b, id, '%');
	if (error < 0) {
		dc_buf_free(&b);
		return error;
	}
	*out = dc_buf_detach(&b);
	return 0;
}

int declass_record_name(char **out, const char *id, char esc, const char *suffix)
{
	char sha[DECLASS_SHA256_HEX];
	dc_buf b = DC_BUF_INIT;
	size_t tail = strlen(suffix), keep;
	int error;

	*out = NULL;
	if ((error = escape_id(&b, id, esc)) < 0)
		goto done;
	if (b.len + tail > DECLASS_RECORD_NAME_MAX) {
		/* Room for '+', the digest and the suffix; never cut inside an escape. */
		keep = DECLASS_RECORD_NAME_MAX - 1 - (DECLASS_SHA256_HEX - 1) - tail;
		if (keep >= 1 && b.ptr[keep - 1] == esc)
			keep -= 1;
		else if (keep >= 2 && b.ptr[keep - 2] == esc)
			keep -= 2;
		dc_buf_truncate(&b, keep);
		if ((error = declass_sha256_buf(sha, id, strlen(id))) < 0 ||
		    (error = dc_buf_addch(&b, '+')) < 0 || (error = dc_buf_adds(&b, sha)) < 0)
			goto done;
	}
	if ((error = dc_buf_adds(&b, suffix)) < 0)
		goto done;
	*out = dc_buf_detach(&b);
done:
	dc_buf_free(&b);
	return error;
}

int declass_record_from_filename(char **out, const char *name)
{
	const char *base = strrchr(name, '/'), *dot;
	size_t len;
	char *id;
	int error;

	*out = NULL;
	base = base ? base + 1 : name;
	dot = strrchr(base, '.');
	len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	if (len > 15 && nara_prefix(base) &&
	    (base[15] == ' ' || base[15] == '[' || base[15] == '(' || base[15] == '_'))
		len = 15;
	if (!(id = malloc(len + 1)))
		return dc_error_oom();
	memcpy(id, base, len);
	id[len] = '\0';
	if ((error = declass_record_check(id)) < 0) {
		dc_error_prefix("file '%s'", name);
		free(id);
		return error;
	}
	*out = id;
	return 0;
}

int declass_record_from_path(char **out, const char *path)
{
	static const char prefix[] = "records/";
	const char *p;
	char *id, *w;
	int error;

	*out = NULL;
	if (strncmp(path, prefix, sizeof(prefix) - 1))
		goto bad;
	p = path + sizeof(prefix) - 1;
	if (!(id = malloc(strlen(p) + 1)))
		return dc_error_oom();
	if (!strncmp(p, "_/", 2)) {
		for (p += 2, w = id; *p; p++) {
			if (*p == '%' && dc_hexval(p[1]) >= 0 && dc_hexval(p[2]) >= 0) {
				*w++ = (char)(dc_hexval(p[1]) * 16 + dc_hexval(p[2]));
				p += 2;
			} else {
				*w++ = *p;
			}
		}
		*w = '\0';
	} else if (strlen(p) == 15 && p[3] == '/' && p[9] == '/') {
		memcpy(id, p, 16);
		id[3] = id[9] = '-';
		if (!nara_prefix(id)) {
			free(id);
			goto bad;
		}
	} else {
		free(id);
		goto bad;
	}
	if ((error = declass_record_check(id)) < 0) {
		free(id);
		return error;
	}
	*out = id;
	return 0;
bad:
	return dc_error_set(DECLASS_EINPUT, "'%s' is not a record folder", path);
}
