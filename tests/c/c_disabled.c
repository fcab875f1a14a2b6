/* The region macros with TIMEMORY_DISABLE defined: they must compile to
 * nothing (no call, no recording). */
#define TIMEMORY_DISABLE 1
#include <timemory/timemory.h>

#include "tests/c/c_usage.h"

int c_disabled_regions(int n) {
    int sum = 0;
    for (int i = 0; i < n; ++i) {
        TM_REGION_BEGIN("c_disabled");
        sum += i;
        TM_REGION_END("c_disabled");
    }
    return sum;
}
