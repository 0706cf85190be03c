/* SHA-256: known vectors, streaming in pieces, files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "declass/hash.h"

static void test_hash__vectors(void **state)
{
	char hex[DECLASS_SHA256_HEX];

	(void)state;
	assert_int_equal(declass_sha256_buf(hex, "", 0), 0);
	assert_string_equal(hex,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(declass_sha256_buf(hex, "abc", 3), 0);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_hash__streaming(void **state)
{
	static const char msg[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[DECLASS_SHA256_HEX];
	declass_sha256 *h;
	size_t i;

	(void)state;
	assert_int_equal(declass_sha256_new(&h), 0);
	for (i = 0; i < sizeof(msg) - 1; i += 5)
		assert_int_equal(
		        declass_sha256_update(h, msg + i,
		                              i + 5 < sizeof(msg) - 1 ? 5 : sizeof(msg) - 1 - i),
		        0);
	assert_int_equal(declass_sha256_final(h, hex), 0);
	assert_string_equal(hex,
	                    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* final resets the context */
	assert_int_equal(declass_sha256_final(h, hex), 0);
	assert_string_equal(hex,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	declass_sha256_free(h);
	declass_sha256_free(NULL);
}

static void test_hash__file(void **state)
{
	char path[] = "/tmp/declass-hash-XXXXXX", hex[DECLASS_SHA256_HEX], want[DECLASS_SHA256_HEX];
	size_t len = 1000000 + 17, i;
	uint64_t size = 0;
	char *data = malloc(len);
	int fd = mkstemp(path);

	(void)state;
	assert_non_null(data);
	assert_true(fd >= 0);
	for (i = 0; i < len; i++)
		data[i] = (char)(i * 7 + i / 251);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	assert_int_equal(declass_sha256_file(hex, &size, path), 0);
	assert_int_equal(size, len);
	assert_int_equal(declass_sha256_buf(want, data, len), 0);
	assert_string_equal(hex, want);
	unlink(path);
	assert_int_equal(declass_sha256_file(hex, &size, path), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), path));
	/* What is no regular file is refused at once: never waits, never reads forever. */
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(declass_sha256_file(hex, &size, path), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "is not a regular file"));
	unlink(path);
	assert_int_equal(declass_sha256_file(hex, &size, "/dev/zero"), DECLASS_EINPUT);
	assert_non_null(strstr(declass_error_last(), "'/dev/zero' is not a regular file"));
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash__vectors),
		cmocka_unit_test(test_hash__streaming),
		cmocka_unit_test(test_hash__file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
