/* test_sha256.c - SHA-256 against the FIPS 180-4 examples and sha256sum. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"

static int access_ok(const char *p) { return access(p, F_OK) == 0; }
#include "../../src/core/sha256.h"

static void hash_hex(const void *data, size_t len, size_t step, char hex[65])
{
	struct sha256 s;
	uint8_t d[32];
	const uint8_t *p = data;

	sha256_init(&s);
	for (size_t off = 0; off < len; off += step)
		sha256_update(&s, p + off, len - off < step ? len - off : step);
	sha256_final(&s, d);
	sha256_hex(d, hex);
}

static void test_sha256_vectors(void)
{
	char hex[65];
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char *million = malloc(1000000);

	hash_hex("", 0, 1, hex);
	check(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	hash_hex("abc", 3, 3, hex);
	check(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
	hash_hex(two, strlen(two), 7, hex);
	check(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
	memset(million, 'a', 1000000);
	hash_hex(million, 1000000, 4097, hex);
	check(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
	free(million);
}

static void test_sha256_against_sha256sum(void)
{
	char hex[65], want[65] = "", cmd[128];
	uint8_t buf[10007];
	FILE *f;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 131 + (i >> 5));
	f = fopen("build/sha256-test.bin", "wb");
	if (!f)
		f = fopen("/tmp/sha256-test.bin", "wb");
	check(f != NULL);
	if (!f)
		return;
	fwrite(buf, 1, sizeof(buf), f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "sha256sum %s",
		 access_ok("build/sha256-test.bin") ? "build/sha256-test.bin" :
		 "/tmp/sha256-test.bin");
	f = popen(cmd, "r");
	check(f && fscanf(f, "%64s", want) == 1);
	if (f)
		pclose(f);
	for (size_t step = 1; step < 200; step += 37) {
		hash_hex(buf, sizeof(buf), step, hex);
		check(!strcmp(hex, want));
	}
}

int main(void)
{
	test_run(test_sha256_vectors);
	test_run(test_sha256_against_sha256sum);
	return test_exit();
}
