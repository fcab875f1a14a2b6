/* Plain C11 user code of the public API (compiled with -Wall -Wextra
 * -Werror): the caching region macros and a generated component wrapper.
 * c_api_test.cc calls these functions. */
#include <timemory/timemory.h>

#include "tests/c/c_usage.h"

int c_usage_nested_regions(int n) {
    for (int i = 0; i < n; ++i) {
        TM_REGION_BEGIN("c_outer");
        TM_REGION_BEGIN("c_inner");
        TM_REGION_END("c_inner");
        TM_REGION_END("c_outer");
    }
    return 0;
}

int c_usage_component(const char *label) {
    tm_wall_clock_t wc;
    int rc = tm_wall_clock_init(&wc, label);
    if (rc == TM_OK) rc = tm_wall_clock_push(&wc);
    if (rc == TM_OK) rc = tm_wall_clock_start(&wc);
    if (rc == TM_OK) rc = tm_wall_clock_stop(&wc);
    if (rc == TM_OK) rc = tm_wall_clock_pop(&wc);
    return rc;
}
