/* timem: runs a command, sampling it while it runs, and reaps it. */
#ifndef TIMEM_RUN_H
#define TIMEM_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "tools/timem/proc_sample.h"

/* Interval between two samples of /proc/PID while the command runs. */
#define TIMEM_SAMPLE_INTERVAL_MS 20

typedef struct timem_run {
    pid_t pid;
    int exec_errno;                                /* nonzero: the command could not be started */
    int wait_status;                               /* from wait4() */
    struct rusage rusage;                          /* from wait4() */
    int64_t wall_ns;                               /* fork to exit */
    int64_t nsamples;                              /* samples with a live address space */
    timem_proc_sample_t last;                      /* last sample with a live address space */
    int64_t max_rss_bytes;                         /* max of sampled statm resident */
    int64_t max_vm_bytes;                          /* max of sampled statm size */
    bool have_io;                                  /* I/O totals below were read */
    int64_t rchar, wchar, read_bytes, write_bytes; /* last /proc/PID/io reading */
} timem_run_t;

/* Runs argv[0] (searched in PATH) with argv, forwarding SIGINT, SIGTERM and
 * SIGHUP to it, samples /proc/PID every TIMEM_SAMPLE_INTERVAL_MS and reaps it.
 * Returns 0 with `run` filled (run->exec_errno set when the command could not
 * be executed; it was reaped all the same), or -1 with errno set when timem
 * itself failed (fork, pipe); `what` then names the failed call. */
int timem_run(char **argv, timem_run_t *run, const char **what);

#endif /* TIMEM_RUN_H */
