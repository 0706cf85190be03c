/* Streaming SHA-256 over OpenSSL's EVP interface. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "declass/hash.h"
#include "error.h"

#define CHUNK (128 * 1024)

struct declass_sha256 {
	EVP_MD_CTX *ctx;
};

int declass_sha256_new(declass_sha256 **out)
{
	declass_sha256 *h;

	*out = NULL;
	if (!(h = calloc(1, sizeof(*h))) || !(h->ctx = EVP_MD_CTX_new())) {
		free(h);
		return dc_error_oom();
	}
	if (EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		declass_sha256_free(h);
		return dc_error_set(DECLASS_ERROR, "cannot initialise SHA-256");
	}
	*out = h;
	return 0;
}

int declass_sha256_update(declass_sha256 *h, const void *data, size_t len)
{
	if (EVP_DigestUpdate(h->ctx, data, len) != 1)
		return dc_error_set(DECLASS_ERROR, "SHA-256 update failed");
	return 0;
}

int declass_sha256_final(declass_sha256 *h, char hex[DECLASS_SHA256_HEX])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	if (EVP_DigestFinal_ex(h->ctx, md, &len) != 1 || len != 32 ||
	    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		return dc_error_set(DECLASS_ERROR, "SHA-256 final failed");
	for (i = 0; i < len; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return 0;
}

void declass_sha256_free(declass_sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

int declass_sha256_buf(char hex[DECLASS_SHA256_HEX], const void *data, size_t len)
{
	declass_sha256 *h;
	int error;

	if ((error = declass_sha256_new(&h)) < 0)
		return error;
	if ((error = declass_sha256_update(h, data, len)) == 0)
		error = declass_sha256_final(h, hex);
	declass_sha256_free(h);
	return error;
}

int declass_sha256_file(char hex[DECLASS_SHA256_HEX], uint64_t *size, const char *path)
{
	declass_sha256 *h = NULL;
	uint64_t total = 0;
	char *chunk = NULL;
	struct stat st;
	int fd, error;
	ssize_t n;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return dc_error_sys(DECLASS_EINPUT, "cannot open '%s'", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return dc_error_set(DECLASS_EINPUT, "'%s' is not a regular file", path);
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		close(fd);
		return dc_error_sys(DECLASS_EINPUT, "cannot open '%s'", path);
	}
	if ((error = declass_sha256_new(&h)) < 0)
		goto done;
	if (!(chunk = malloc(CHUNK))) {
		error = dc_error_oom();
		goto done;
	}
	for (;;) {
		n = read(fd, chunk, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = dc_error_sys(DECLASS_EINPUT, "cannot read '%s'", path);
			goto done;
		}
		if (n == 0)
			break;
		if ((error = declass_sha256_update(h, chunk, (size_t)n)) < 0)
			goto done;
		total += (uint64_t)n;
	}
	if ((error = declass_sha256_final(h, hex)) < 0)
		goto done;
	if (size)
		*size = total;
done:
	free(chunk);
	declass_sha256_free(h);
	close(fd);
	return error;
}
