#include <stdio.h>

#include <timemory/timemory.h>

int main(void) {
    TM_REGION_BEGIN("hello");
    puts("hello from a workspace that depends on @timemory");
    TM_REGION_END("hello");
    return tm_finalize() == TM_OK ? 0 : 1;
}
