/* The TSC time source (see clock.h and timemory/timing.h): which source
 * timing_source picks on this machine, the TSC's first rate (the kernel's
 * figure, or a 0.5 ms calibration) and its refinement against
 * CLOCK_MONOTONIC while the program runs. Everything here is off the hot
 * path except tm_g_clock, which every reading loads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include <timemory/testing.h>
#include <timemory/timemory.h>
#include <timemory/timing.h>

#include "../errors.h"
#include "clock.h"

tm_clock_state_t tm_g_clock; /* use_tsc = 0: clock_gettime until tm_init */

#define TM_CLOCKSOURCE_PATH "/sys/devices/system/clocksource/clocksource0/current_clocksource"
#define TM_NS_1MS 1000000LL
#define TM_NS_64S 64000000000LL

/* Serialises choosing and refining; a reading never takes it. */
static pthread_mutex_t tm_clock_lock = PTHREAD_MUTEX_INITIALIZER;
static char tm_clock_why[192] = "not chosen yet (tm_init chooses)";

/* Test overrides of the probe (tm_testing_set_tsc_probe). */
static int tm_probe_invariant = -1;
static char tm_probe_path[256];

#if defined(__x86_64__)

/* A TSC reading and the CLOCK_MONOTONIC time at that tick. */
typedef struct tm_tsc_pair {
    uint64_t t;
    int64_t ns;
} tm_tsc_pair_t;

static bool tm_calibrated;
static tm_tsc_pair_t tm_base;  /* start of the interval the rate is measured over */
static uint64_t tm_first_tick; /* when calibration happened */
static char tm_rate_from[96];

/* clock_gettime bracketed by two rdtsc; the narrowest of a few tries, read
 * at its middle, so a preemption in one try does not spoil the pair. */
static tm_tsc_pair_t tm_tsc_pair(void) {
    tm_tsc_pair_t best = {0, 0};
    uint64_t width = UINT64_MAX;
    for (int i = 0; i < 5; ++i) {
        uint64_t t1 = __rdtsc();
        int64_t ns = tm_clock_gettime_ns();
        uint64_t t2 = __rdtsc();
        if (t2 - t1 < width) {
            width = t2 - t1;
            best.t = t1 + width / 2;
            best.ns = ns;
        }
    }
    return best;
}

/* Asked once (under tm_clock_lock): in a VM every CPUID traps to the
 * hypervisor, and each timing_source store asks. */
static int tm_cpuid_invariant = -1;

static bool tm_cpu_invariant_tsc(void) {
    if (tm_probe_invariant >= 0) return tm_probe_invariant != 0;
    if (tm_cpuid_invariant < 0) {
        unsigned a, b, c, d;
        if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u)
            tm_cpuid_invariant = 0;
        else {
            __cpuid(0x80000007u, a, b, c, d);
            tm_cpuid_invariant = (d >> 8) & 1; /* "TscInvariant" */
        }
    }
    return tm_cpuid_invariant != 0;
}

static bool tm_cpuinfo_has_flag(const char *flags, const char *flag) {
    size_t n = strlen(flag);
    for (const char *p = strstr(flags, flag); p; p = strstr(p + 1, flag))
        if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0')) return true;
    return false;
}

/* The kernel's (or the hardware's) TSC frequency in kHz, 0 when none is
 * published; `from` names the source. */
static uint64_t tm_tsc_known_khz(char *from, size_t n) {
    unsigned a, b, c, d;
    unsigned max = __get_cpuid_max(0, NULL);
    if (max >= 0x15) {
        __cpuid_count(0x15, 0, a, b, c, d); /* TSC = crystal (c Hz) * b / a */
        if (a && b && c) {
            snprintf(from, n, "CPUID leaf 0x15");
            return (uint64_t)c * b / a / 1000;
        }
    }
    __cpuid(1, a, b, c, d);
    if ((c >> 31) & 1) { /* under a hypervisor: its timing leaf, when offered */
        __cpuid(0x40000000u, a, b, c, d);
        if (a >= 0x40000010u) {
            __cpuid(0x40000010u, a, b, c, d);
            if (a) {
                snprintf(from, n, "the hypervisor (CPUID leaf 0x40000010)");
                return a;
            }
        }
    }
    /* /proc/cpuinfo's "cpu MHz" is the kernel's tsc_khz only where nothing
     * else feeds it: the kernel knows the TSC frequency (tsc_known_freq) and
     * there is no APERF/MPERF (CPUID.6:ECX[0]) and no cpufreq driver */
    if (max >= 6) {
        __cpuid(6, a, b, c, d);
        if (c & 1) return 0;
    }
    struct stat st;
    if (stat("/sys/devices/system/cpu/cpu0/cpufreq", &st) == 0) return 0;
    FILE *f = fopen("/proc/cpuinfo", "re");
    if (!f) return 0;
    char line[4096];
    double mhz = 0;
    bool known = false, seen_flags = false;
    while (fgets(line, sizeof line, f) && !(seen_flags && mhz > 0)) {
        if (strncmp(line, "cpu MHz", 7) == 0) {
            const char *colon = strchr(line, ':');
            if (colon) mhz = atof(colon + 1);
        } else if (strncmp(line, "flags", 5) == 0) {
            seen_flags = true;
            known = tm_cpuinfo_has_flag(line, "tsc_known_freq");
        }
    }
    fclose(f);
    if (!known || mhz < 1.0) return 0;
    snprintf(from, n, "/proc/cpuinfo (tsc_known_freq)");
    return (uint64_t)(mhz * 1000.0 + 0.5);
}

/* Publishes a conversion through the latch (clock.h). Holds tm_clock_lock. */
static void tm_tsc_publish(uint64_t tsc0, int64_t ns0, uint64_t mult, uint64_t refine_at) {
    uint32_t s = atomic_load(&tm_g_clock.seq);
    for (int k = 0; k < 2; ++k) {
        atomic_store(&tm_g_clock.seq, s + 1 + (uint32_t)k); /* readers move to the other copy */
        atomic_thread_fence(memory_order_release);
        tm_tsc_conv_t *c = &tm_g_clock.conv[(s + (uint32_t)k) & 1];
        atomic_store_explicit(&c->tsc0, tsc0, memory_order_relaxed);
        atomic_store_explicit(&c->ns0, ns0, memory_order_relaxed);
        atomic_store_explicit(&c->mult, mult, memory_order_relaxed);
        atomic_store_explicit(&c->refine_at, refine_at, memory_order_relaxed);
        atomic_thread_fence(memory_order_seq_cst);
    }
}

/* ticks in `ns` nanoseconds at rate `mult` */
static uint64_t tm_tsc_ticks(int64_t ns, uint64_t mult) {
    return (uint64_t)(((unsigned __int128)ns << TM_TSC_SHIFT) / mult);
}

/* First rate: the kernel's figure (no wait), else a 0.5 ms calibration. */
static void tm_tsc_calibrate(void) {
    char from[64] = "";
    tm_tsc_pair_t a = tm_tsc_pair(), anchor = a;
    uint64_t khz = tm_tsc_known_khz(from, sizeof from), mult;
    if (khz) {
        mult = (uint64_t)((1000000ull << TM_TSC_SHIFT) / khz);
    } else {
        while (tm_clock_gettime_ns() < a.ns + TM_NS_1MS / 2) {
        }
        anchor = tm_tsc_pair();
        mult = (uint64_t)(((unsigned __int128)(anchor.ns - a.ns) << TM_TSC_SHIFT) / (anchor.t - a.t));
        snprintf(from, sizeof from, "a %.2f ms calibration", (double)(anchor.ns - a.ns) / 1e6);
    }
    snprintf(tm_rate_from, sizeof tm_rate_from, "%s", from);
    tm_base = a;
    tm_first_tick = a.t;
    tm_tsc_publish(anchor.t, anchor.ns, mult, anchor.t + tm_tsc_ticks(TM_NS_1MS, mult));
    tm_calibrated = true;
}

int64_t tm_tsc_refine(uint64_t t, int64_t ns) {
    (void)t;
    if (pthread_mutex_trylock(&tm_clock_lock) != 0) return ns; /* another thread refines */
    tm_tsc_conv_t *c = &tm_g_clock.conv[atomic_load(&tm_g_clock.seq) & 1];
    uint64_t tsc0 = atomic_load(&c->tsc0), mult = atomic_load(&c->mult);
    int64_t ns0 = atomic_load(&c->ns0);
    if (__rdtsc() >= atomic_load(&c->refine_at)) { /* not refined meanwhile */
        tm_tsc_pair_t p = tm_tsc_pair();
        /* continuous at p: the new conversion starts where the old one is */
        int64_t at_p = tm_tsc_to_ns(p.t, tsc0, ns0, mult);
        uint64_t rate = mult;
        if (p.t > tm_base.t && p.ns > tm_base.ns)
            rate = (uint64_t)(((unsigned __int128)(p.ns - tm_base.ns) << TM_TSC_SHIFT) / (p.t - tm_base.t));
        /* next check after as long again as since calibration (1 ms .. 64 s) */
        int64_t since = tm_tsc_to_ns(p.t, tm_first_tick, 0, rate);
        int64_t wait = since < TM_NS_1MS ? TM_NS_1MS : since > TM_NS_64S ? TM_NS_64S : since;
        uint64_t interval = tm_tsc_ticks(wait, rate);
        /* slew away the offset from CLOCK_MONOTONIC over that interval, at
         * most 100 ppm: never a step, so readings stay monotonic */
        __int128 slew = (__int128)(p.ns - at_p) * ((__int128)1 << TM_TSC_SHIFT) / (__int128)(interval ? interval : 1);
        __int128 cap = rate / 10000;
        slew = slew > cap ? cap : slew < -cap ? -cap : slew;
        tm_tsc_publish(p.t, at_p, (uint64_t)((__int128)rate + slew), p.t + interval);
        /* a rate over the last minute or two follows NTP's corrections */
        if (tm_tsc_to_ns(p.t, tm_base.t, 0, rate) >= TM_NS_64S) tm_base = p;
    }
    pthread_mutex_unlock(&tm_clock_lock);
    return ns;
}

/* Reads the kernel's current clocksource ("" when unreadable). */
static void tm_kernel_clocksource(char *buf, size_t n) {
    buf[0] = '\0';
    FILE *f = fopen(tm_probe_path[0] ? tm_probe_path : TM_CLOCKSOURCE_PATH, "re");
    if (!f) return;
    if (!fgets(buf, (int)n, f)) buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, " \n")] = '\0';
}

/* Whether `mode` may use the TSC here; `why` says why (not). */
static bool tm_tsc_allowed(const char *mode, char *why, size_t n) {
    bool invariant = tm_cpu_invariant_tsc();
    char cs[64];
    tm_kernel_clocksource(cs, sizeof cs);
    bool kernel_tsc = strcmp(cs, "tsc") == 0;
    const char *cs_text = cs[0] ? cs : "unknown";
    if (strcmp(mode, "tsc") == 0) {
        if (!invariant) {
            snprintf(why, n, "timing_source=tsc, but CPUID reports no invariant TSC");
            return false;
        }
        snprintf(why, n, "timing_source=tsc; kernel clocksource %s", cs_text);
        return true;
    }
    if (!invariant)
        snprintf(why, n, "auto: CPUID reports no invariant TSC");
    else if (!kernel_tsc)
        snprintf(why, n, "auto: the kernel's clocksource is %s, not tsc", cs_text);
    else
        snprintf(why, n, "auto: invariant TSC, kernel clocksource tsc");
    return invariant && kernel_tsc;
}

#else /* not x86-64: clock_gettime only */

int64_t tm_tsc_refine(uint64_t t, int64_t ns) {
    (void)t;
    return ns;
}

static bool tm_tsc_allowed(const char *mode, char *why, size_t n) {
    snprintf(why, n, "%s: no TSC on this architecture (not x86-64)",
             strcmp(mode, "tsc") == 0 ? "timing_source=tsc" : "auto");
    return false;
}

#endif

int tm_clock_select(const char *mode) {
    if (!mode || (strcmp(mode, "auto") != 0 && strcmp(mode, "tsc") != 0 && strcmp(mode, "clock_gettime") != 0))
        return tm_fail(TM_E_BAD_SETTING, "timing_source=\"%s\" is not a valid choice (valid: auto|tsc|clock_gettime)",
                       mode ? mode : "(null)");
    pthread_mutex_lock(&tm_clock_lock);
    char why[160];
    bool tsc = false;
    if (strcmp(mode, "clock_gettime") == 0) {
        snprintf(why, sizeof why, "timing_source=clock_gettime");
    } else {
        tsc = tm_tsc_allowed(mode, why, sizeof why);
        if (!tsc && strcmp(mode, "tsc") == 0) tm_warn("%s; using clock_gettime", why);
    }
#if defined(__x86_64__)
    if (tsc && !tm_calibrated) tm_tsc_calibrate();
#endif
    snprintf(tm_clock_why, sizeof tm_clock_why, "%s", why);
    atomic_store(&tm_g_clock.use_tsc, tsc ? 1u : 0u);
    pthread_mutex_unlock(&tm_clock_lock);
    return TM_OK;
}

const char *tm_timing_source(void) {
    tm_init(NULL);
    return atomic_load(&tm_g_clock.use_tsc) ? "tsc" : "clock_gettime";
}

const char *tm_timing_source_info(void) {
    static __thread char info[320];
    tm_init(NULL);
    pthread_mutex_lock(&tm_clock_lock);
    bool tsc = atomic_load(&tm_g_clock.use_tsc) != 0;
    int used = snprintf(info, sizeof info, "%s (%s", tsc ? "tsc" : "clock_gettime", tm_clock_why);
#if defined(__x86_64__)
    if (tsc && used > 0 && (size_t)used < sizeof info) {
        uint64_t mult = atomic_load(&tm_g_clock.conv[atomic_load(&tm_g_clock.seq) & 1].mult);
        snprintf(info + used, sizeof info - (size_t)used, "; %.3f MHz, from %s, refined against CLOCK_MONOTONIC",
                 mult ? 1e3 * (double)(1ull << TM_TSC_SHIFT) / (double)mult : 0.0, tm_rate_from);
    }
#endif
    pthread_mutex_unlock(&tm_clock_lock);
    strncat(info, ")", sizeof info - strlen(info) - 1);
    return info;
}

int64_t tm_now_ns(void) { return tm_wall_now_ns(); }

int tm_testing_set_tsc_probe(int invariant_tsc, const char *clocksource_path) {
    pthread_mutex_lock(&tm_clock_lock);
    tm_probe_invariant = invariant_tsc < 0 ? -1 : invariant_tsc != 0;
    snprintf(tm_probe_path, sizeof tm_probe_path, "%s", clocksource_path ? clocksource_path : "");
    pthread_mutex_unlock(&tm_clock_lock);
    return tm_clock_select(tm_settings_get("timing_source"));
}

/* fork() (fork.c): a refinement another thread was making is abandoned (it
 * only ever trylocks, so it is not taken before the fork). */
void tm_clock_fork_child(void) { pthread_mutex_init(&tm_clock_lock, NULL); }
