/* timem: one reading of a running process from /proc/PID/statm and /proc/PID/io. */
#define _GNU_SOURCE
#include "tools/timem/proc_sample.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads /proc/PID/NAME into buf (NUL-terminated); returns bytes read or -1. */
static ssize_t read_proc_file(pid_t pid, const char *name, char *buf, size_t size) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/%s", (long)pid, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t used = 0;
    while (used + 1 < size) {
        ssize_t n = read(fd, buf + used, size - 1 - used);
        if (n < 0) {
            close(fd);
            return -1;
        }
        if (n == 0) break;
        used += (size_t)n;
    }
    close(fd);
    buf[used] = '\0';
    return (ssize_t)used;
}

/* Value of "key: N" in /proc/PID/io text, or -1 when missing. */
static int64_t io_field(const char *text, const char *key) {
    size_t klen = strlen(key);
    for (const char *line = text; line && *line; line = strchr(line, '\n')) {
        if (*line == '\n') ++line;
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') return strtoll(line + klen + 1, NULL, 10);
    }
    return -1;
}

void timem_proc_sample(pid_t pid, timem_proc_sample_t *out) {
    memset(out, 0, sizeof *out);
    char buf[1024];

    if (read_proc_file(pid, "statm", buf, sizeof buf) > 0) {
        long long size = 0, resident = 0;
        if (sscanf(buf, "%lld %lld", &size, &resident) == 2 && size > 0) {
            long page = sysconf(_SC_PAGESIZE);
            out->have_statm = true;
            out->vm_bytes = (int64_t)size * page;
            out->rss_bytes = (int64_t)resident * page;
        }
    }

    if (read_proc_file(pid, "io", buf, sizeof buf) > 0) {
        out->rchar = io_field(buf, "rchar");
        out->wchar = io_field(buf, "wchar");
        out->read_bytes = io_field(buf, "read_bytes");
        out->write_bytes = io_field(buf, "write_bytes");
        out->have_io = out->rchar >= 0 && out->wchar >= 0 && out->read_bytes >= 0 && out->write_bytes >= 0;
    }
}
