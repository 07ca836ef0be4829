/* test_crc.c - CRC-32 and CRC-32C against published check values. */
#include <stdint.h>
#include <string.h>
#include "test.h"
#include "../../src/core/crc.h"

static void test_crc32_check_value(void)
{
	check_eq(crc32_le(0, "123456789", 9), 0xCBF43926u);
	check_eq(crc32_le(0, "", 0), 0);
	/* RFC 1952 / zlib: "The quick brown fox jumps over the lazy dog". */
	check_eq(crc32_le(0, "The quick brown fox jumps over the lazy dog", 43),
		 0x414FA339u);
}

static void test_crc32_chaining(void)
{
	uint32_t c = crc32_le(0, "1234", 4);

	check_eq(crc32_le(c, "56789", 5), 0xCBF43926u);
}

static void test_crc32c_check_value(void)
{
	uint8_t zeros[32], ones[32], inc[32];
	unsigned int i;

	/* Textbook CRC-32C = ~raw(~0, ...). */
	check_eq(~crc32c(~0u, "123456789", 9), 0xE3069283u);
	/* The raw register ext4 stores. */
	check_eq(crc32c(~0u, "123456789", 9), 0x1CF96D7Cu);
	/* RFC 3720 (iSCSI) appendix B.4 vectors. */
	memset(zeros, 0, sizeof(zeros));
	memset(ones, 0xff, sizeof(ones));
	for (i = 0; i < sizeof(inc); i++)
		inc[i] = (uint8_t)i;
	check_eq(~crc32c(~0u, zeros, 32), 0x8A9136AAu);
	check_eq(~crc32c(~0u, ones, 32), 0x62A8AB43u);
	check_eq(~crc32c(~0u, inc, 32), 0x46DD794Eu);
}

static void test_crc32c_chaining(void)
{
	uint32_t c = crc32c(~0u, "12345", 5);

	check_eq(~crc32c(c, "6789", 4), 0xE3069283u);
	check_eq(crc32c(0x1234, "", 0), 0x1234);
}

int main(void)
{
	test_run(test_crc32_check_value);
	test_run(test_crc32_chaining);
	test_run(test_crc32c_check_value);
	test_run(test_crc32c_chaining);
	return test_exit();
}
