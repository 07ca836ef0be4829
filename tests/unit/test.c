/*
 * test.c - the unit test harness and a test platform for the core.
 *
 * The test platform gives the core a virtual clock (tests advance it, so a
 * case with 30% loss and long timeouts still finishes in milliseconds),
 * malloc-backed memory and a log that is quiet unless TEST_VERBOSE is set.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "testplat.h"
#include "../../src/core/platform.h"

struct test_state test_state;
static int total_failed;
static uint64_t clock_us = 1000000;
static char last_log[512];

int test_run_one(const char *name, void (*fn)(void))
{
	test_state.failures = 0;
	test_state.first[0] = '\0';
	fn();
	if (test_state.failures) {
		printf("FAIL: %s: %s\n", name, test_state.first);
		total_failed++;
	} else {
		printf("PASS: %s\n", name);
	}
	fflush(stdout);
	return test_state.failures;
}

int test_exit(void)
{
	return total_failed ? 1 : 0;
}

uint64_t plat_now_us(void)
{
	return clock_us;
}

void test_clock_advance(uint64_t us)
{
	clock_us += us;
}

void test_clock_set(uint64_t us)
{
	if (us > clock_us)
		clock_us = us;
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
	snprintf(last_log, sizeof(last_log), "%s", line);
	if (getenv("TEST_VERBOSE"))
		fprintf(stderr, "[%d] %s\n", level, line);
}

const char *test_last_log(void)
{
	return last_log;
}

void plat_progress(const char *what, uint64_t done, uint64_t total,
		   uint64_t elapsed_us)
{
	(void)what; (void)done; (void)total; (void)elapsed_us;
}
