/*
 * fuzzplat.c - the platform functions for libFuzzer harnesses: malloc
 * memory, a clock that ticks on every call (so no loop can wait forever on
 * it), and silent logging.
 */
#include <stdint.h>
#include <stdlib.h>
#include "../../src/core/platform.h"

static uint64_t fuzz_clock;

uint64_t plat_now_us(void)
{
	return fuzz_clock += 1000;
}

void *plat_alloc(size_t size)
{
	return malloc(size ? size : 1);
}

void plat_free(void *ptr)
{
	free(ptr);
}

void plat_log(enum log_level level, const char *line)
{
	(void)level;
	(void)line;
}

void plat_progress(const char *what, uint64_t done, uint64_t total,
		   uint64_t elapsed_us)
{
	(void)what; (void)done; (void)total; (void)elapsed_us;
}
