/*
 * test.h - a tiny table-free unit test harness for the host.
 *
 * check(expr) records the file, line and expression of a failure without
 * stopping; each test_run() prints "PASS: name" or "FAIL: name: file:line:
 * expr" so tests/run can count the cases.
 */
#ifndef AOEBOOT_TEST_H
#define AOEBOOT_TEST_H

#include <stdio.h>
#include <stdlib.h>

struct test_state {
	int failures;
	char first[256];
};

extern struct test_state test_state;

#define check(expr) do { \
	if (!(expr)) { \
		if (!test_state.failures++) \
			snprintf(test_state.first, sizeof(test_state.first), \
				 "%s:%d: %s", __FILE__, __LINE__, #expr); \
		fprintf(stderr, "  check failed: %s:%d: %s\n", \
			__FILE__, __LINE__, #expr); \
	} \
} while (0)

#define check_eq(a, b) do { \
	long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) \
		fprintf(stderr, "  %s = %lld, %s = %lld\n", #a, _a, #b, _b); \
	check(_a == _b); \
} while (0)

/** Run one test function and print its PASS/FAIL line. */
#define test_run(fn) test_run_one(#fn, fn)

int test_run_one(const char *name, void (*fn)(void));
/** Exit status for main(): 0 when every test passed. */
int test_exit(void);

#endif
