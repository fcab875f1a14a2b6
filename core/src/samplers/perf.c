/* perf_event_open samplers (no PAPI). Each thread opens its own counter
 * for itself on first use; availability is probed once per process so a
 * machine without a PMU (virtual machines) says why instead of recording 0. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/src/samplers/samplers.h"

enum {
    TM_PERF_TASK_CLOCK,
    TM_PERF_MIGRATIONS,
    TM_PERF_PAGE_FAULTS,
    TM_PERF_CYCLES,
    TM_PERF_INSTRUCTIONS,
    TM_PERF_CACHE_MISSES,
    TM_PERF_BRANCH_MISSES,
    TM_PERF_N
};

static const struct {
    uint32_t type;
    uint64_t config;
    const char *name;
} tm_perf_events[TM_PERF_N] = {
    {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, "PERF_COUNT_SW_TASK_CLOCK"},
    {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS, "PERF_COUNT_SW_CPU_MIGRATIONS"},
    {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, "PERF_COUNT_SW_PAGE_FAULTS"},
    {PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "PERF_COUNT_HW_CPU_CYCLES"},
    {PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS, "PERF_COUNT_HW_INSTRUCTIONS"},
    {PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES, "PERF_COUNT_HW_CACHE_MISSES"},
    {PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES, "PERF_COUNT_HW_BRANCH_MISSES"},
};

/* Per thread: 0 = not opened yet, -1 = failed, else fd + 1. */
static __thread int tm_perf_fd[TM_PERF_N];

static int tm_perf_open(int which) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = tm_perf_events[which].type;
    attr.config = tm_perf_events[which].config;
    attr.exclude_kernel = attr.type == PERF_TYPE_HARDWARE; /* allowed at perf_event_paranoid 2 */
    attr.exclude_hv = 1;
    return (int)syscall(SYS_perf_event_open, &attr, 0 /* this thread */, -1, -1, PERF_FLAG_FD_CLOEXEC);
}

/* A thread that opened counters closes them when it exits, whether or not
 * it ever recorded a region. */
static pthread_key_t tm_perf_key;
static pthread_once_t tm_perf_key_once = PTHREAD_ONCE_INIT;
static void tm_perf_thread_exit(void *unused);
static void tm_perf_key_create(void) { pthread_key_create(&tm_perf_key, tm_perf_thread_exit); }

static int64_t tm_perf_read(int which) {
    if (tm_perf_fd[which] == 0) {
        pthread_once(&tm_perf_key_once, tm_perf_key_create);
        pthread_setspecific(tm_perf_key, tm_perf_fd);
        int fd = tm_perf_open(which);
        tm_perf_fd[which] = fd < 0 ? -1 : fd + 1;
    }
    if (tm_perf_fd[which] < 0) return 0;
    uint64_t v = 0;
    if (read(tm_perf_fd[which] - 1, &v, sizeof v) != (ssize_t)sizeof v) return 0;
    return (int64_t)v;
}

void tm_sample_perf_task_clock(int64_t out[2]) { out[0] = tm_perf_read(TM_PERF_TASK_CLOCK); }
void tm_sample_perf_cpu_migrations(int64_t out[2]) { out[0] = tm_perf_read(TM_PERF_MIGRATIONS); }
void tm_sample_perf_page_faults(int64_t out[2]) { out[0] = tm_perf_read(TM_PERF_PAGE_FAULTS); }
void tm_sample_perf_cycles(int64_t out[2]) { out[0] = tm_perf_read(TM_PERF_CYCLES); }
void tm_sample_perf_instructions(int64_t out[2]) { out[0] = tm_perf_read(TM_PERF_INSTRUCTIONS); }
void tm_sample_perf_cache_misses(int64_t out[2]) { out[0] = tm_perf_read(TM_PERF_CACHE_MISSES); }
void tm_sample_perf_branch_misses(int64_t out[2]) { out[0] = tm_perf_read(TM_PERF_BRANCH_MISSES); }

static void tm_perf_thread_exit(void *unused) {
    (void)unused;
    for (int i = 0; i < TM_PERF_N; ++i) {
        if (tm_perf_fd[i] > 0) close(tm_perf_fd[i] - 1);
        tm_perf_fd[i] = 0;
    }
}

/* Availability: probe one event of the group once per process. */
static pthread_once_t tm_perf_probe_once = PTHREAD_ONCE_INIT;
static char tm_perf_sw_reason[256], tm_perf_hw_reason[256];

static void tm_perf_probe_one(int which, char *reason, size_t n) {
    int fd = tm_perf_open(which);
    if (fd >= 0) {
        close(fd);
        return;
    }
    int err = errno;
    const char *why = err == ENOENT || err == EOPNOTSUPP || err == ENODEV
                          ? "the CPU exposes no such counter here (no PMU, e.g. a virtual machine)"
                      : err == EACCES || err == EPERM ? "not permitted (see /proc/sys/kernel/perf_event_paranoid)"
                      : err == ENOSYS                 ? "the kernel has no perf_event_open"
                                                      : "perf_event_open failed";
    snprintf(reason, n, "perf_event_open(%s) failed: %s: %s", tm_perf_events[which].name, strerror(err), why);
}

static void tm_perf_probe(void) {
    tm_perf_probe_one(TM_PERF_TASK_CLOCK, tm_perf_sw_reason, sizeof tm_perf_sw_reason);
    tm_perf_probe_one(TM_PERF_CYCLES, tm_perf_hw_reason, sizeof tm_perf_hw_reason);
}

const char *tm_avail_perf_sw(void) {
    pthread_once(&tm_perf_probe_once, tm_perf_probe);
    return tm_perf_sw_reason[0] ? tm_perf_sw_reason : NULL;
}

const char *tm_avail_perf_hw(void) {
    pthread_once(&tm_perf_probe_once, tm_perf_probe);
    return tm_perf_hw_reason[0] ? tm_perf_hw_reason : NULL;
}
