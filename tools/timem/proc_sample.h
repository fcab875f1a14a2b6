/* timem: one reading of a running process from /proc/PID/statm and /proc/PID/io. */
#ifndef TIMEM_PROC_SAMPLE_H
#define TIMEM_PROC_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct timem_proc_sample {
    bool have_statm;     /* statm was read and shows a live address space */
    bool have_io;        /* io was read */
    int64_t vm_bytes;    /* statm size * page size */
    int64_t rss_bytes;   /* statm resident * page size */
    int64_t rchar;       /* io rchar */
    int64_t wchar;       /* io wchar */
    int64_t read_bytes;  /* io read_bytes */
    int64_t write_bytes; /* io write_bytes */
} timem_proc_sample_t;

/* Reads /proc/PID/statm and /proc/PID/io into `out`. A file that cannot be
 * read leaves its `have_` flag false. A zombie has no address space (statm is
 * all zero: have_statm false) but still shows its final I/O totals, including
 * those of the children it reaped. */
void timem_proc_sample(pid_t pid, timem_proc_sample_t *out);

#endif /* TIMEM_PROC_SAMPLE_H */
