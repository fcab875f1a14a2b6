/* /proc samplers for memory levels. */
#include "procfs.h"
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/src/samplers/samplers.h"

/* Reads field `index` (0-based) of /proc/self/statm, in pages; -1 on error. */
static int64_t tm_statm_pages(int index) {
    char buf[256];
    if (tm_procfs_read("/proc/self/statm", buf, sizeof buf) < 0) return -1;
    char *p = buf;
    for (int i = 0; i < index; ++i) {
        strtoll(p, &p, 10);
    }
    return strtoll(p, NULL, 10);
}

/* Current resident set size of the process in bytes. */
void tm_sample_page_rss(int64_t out[2]) {
    int64_t pages = tm_statm_pages(1);
    out[0] = pages < 0 ? 0 : pages * (int64_t)sysconf(_SC_PAGESIZE);
}

/* Virtual memory size of the process in bytes. */
void tm_sample_virtual_memory(int64_t out[2]) {
    int64_t pages = tm_statm_pages(0);
    out[0] = pages < 0 ? 0 : pages * (int64_t)sysconf(_SC_PAGESIZE);
}
