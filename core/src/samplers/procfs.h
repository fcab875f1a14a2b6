/* Reading small /proc files in one read(2), without stdio. */
#ifndef TIMEMORY_SAMPLERS_PROCFS_H
#define TIMEMORY_SAMPLERS_PROCFS_H

#include <fcntl.h>
#include <unistd.h>

/* Reads `path` into `buf` (NUL-terminated); returns its length or -1. */
static inline ssize_t tm_procfs_read(const char *path, char *buf, size_t n) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t len = read(fd, buf, n - 1);
    close(fd);
    if (len <= 0) return -1;
    buf[len] = '\0';
    return len;
}

#endif /* TIMEMORY_SAMPLERS_PROCFS_H */
