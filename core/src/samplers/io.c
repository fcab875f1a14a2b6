/* I/O samplers: /proc/self/io (chars and storage bytes) and
 * /proc/self/net/dev (network bytes). */
#include "procfs.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/src/samplers/samplers.h"

/* Value of `key` ("rchar") in /proc/self/io, or -1 when unreadable. */
static int64_t tm_proc_io(const char *key) {
    char buf[1024];
    if (tm_procfs_read("/proc/self/io", buf, sizeof buf) < 0) return -1;
    size_t len = strlen(key);
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        if (strncmp(line, key, len) == 0 && line[len] == ':') return strtoll(line + len + 1, NULL, 10);
    return -1;
}

static int64_t tm_nonneg(int64_t v) { return v < 0 ? 0 : v; }

void tm_sample_io_rchar(int64_t out[2]) { out[0] = tm_nonneg(tm_proc_io("rchar")); }
void tm_sample_io_wchar(int64_t out[2]) { out[0] = tm_nonneg(tm_proc_io("wchar")); }
void tm_sample_io_read_bytes(int64_t out[2]) { out[0] = tm_nonneg(tm_proc_io("read_bytes")); }
void tm_sample_io_write_bytes(int64_t out[2]) { out[0] = tm_nonneg(tm_proc_io("write_bytes")); }

const char *tm_avail_proc_io(void) {
    return tm_proc_io("rchar") < 0 ? "/proc/self/io is not readable (kernel without task I/O accounting?)" : NULL;
}

/* Sum of received and transmitted bytes over every interface. */
static int64_t tm_net_bytes(void) {
    FILE *f = fopen("/proc/self/net/dev", "re");
    if (!f) return -1;
    char line[512];
    int64_t total = 0;
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (!colon) continue; /* the two header lines */
        unsigned long long v[16] = {0};
        if (sscanf(colon + 1, "%llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                   &v[6], &v[7], &v[8]) == 9)
            total += (int64_t)(v[0] + v[8]); /* rx bytes, tx bytes */
    }
    fclose(f);
    return total;
}

void tm_sample_net_bytes(int64_t out[2]) { out[0] = tm_nonneg(tm_net_bytes()); }

const char *tm_avail_net_dev(void) { return tm_net_bytes() < 0 ? "/proc/self/net/dev is not readable" : NULL; }
