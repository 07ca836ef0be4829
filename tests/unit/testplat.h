/* testplat.h - controls of the unit-test platform (virtual clock, log). */
#ifndef AOEBOOT_TESTPLAT_H
#define AOEBOOT_TESTPLAT_H

#include <stdint.h>

/** Move the virtual clock forward by @us microseconds. */
void test_clock_advance(uint64_t us);
/** Move the virtual clock forward to @us if it is in the future. */
void test_clock_set(uint64_t us);
/** The last line the core logged. */
const char *test_last_log(void);

#endif
