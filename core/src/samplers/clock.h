/* The wall clock of regions and of wall_clock: nanoseconds on the
 * CLOCK_MONOTONIC timeline, read either with clock_gettime or, when
 * tm_clock_select chose it (samplers/tsc.c), with rdtsc and a multiply and
 * shift. Internal; both the sampler and the region fast path inline
 * tm_wall_now_ns, so the choice costs one predictable branch. */
#ifndef TIMEMORY_CLOCK_H
#define TIMEMORY_CLOCK_H

#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#define TM_TSC_SHIFT 32

/* ticks -> ns: ns0 + ((tsc - tsc0) * mult) >> TM_TSC_SHIFT, valid from tsc0
 * until refine_at, when the rate is measured again (tm_tsc_refine). Fields
 * are atomics (relaxed: plain moves on x86-64) so a reader racing a refine
 * is defined behaviour; the seq latch makes it retry instead. */
typedef struct tm_tsc_conv {
    _Atomic uint64_t tsc0;
    _Atomic int64_t ns0;
    _Atomic uint64_t mult;
    _Atomic uint64_t refine_at;
} tm_tsc_conv_t;

/* One cache line read by every reading. Readers use conv[seq & 1]; the
 * writer bumps seq, rewrites the copy readers left, bumps seq, rewrites the
 * other (a latch: a writer preempted half-way never blocks a reader). */
typedef struct tm_clock_state {
    _Atomic uint32_t use_tsc;
    _Atomic uint32_t seq;
    tm_tsc_conv_t conv[2];
} __attribute__((aligned(64))) tm_clock_state_t;

extern tm_clock_state_t tm_g_clock;

/* Re-measures the TSC rate once `t` passed refine_at; returns t in ns
 * (samplers/tsc.c). Cold: a few times in the first second, then every 64 s. */
int64_t tm_tsc_refine(uint64_t t, int64_t ns);

/* Chooses the time source for timing_source `mode` (auto, tsc,
 * clock_gettime); calibrates the TSC on its first use. TM_OK, or
 * TM_E_BAD_SETTING for an unknown mode (the source is then unchanged). */
int tm_clock_select(const char *mode);

static inline int64_t tm_clock_gettime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int64_t tm_tsc_to_ns(uint64_t t, uint64_t tsc0, int64_t ns0, uint64_t mult) {
    /* signed: a reading may precede tsc0 by a few ticks after a refine */
    return ns0 + (int64_t)(((__int128)(int64_t)(t - tsc0) * (__int128)mult) >> TM_TSC_SHIFT);
}

static inline int64_t tm_wall_now_ns(void) {
#if defined(__x86_64__)
    if (__builtin_expect(atomic_load_explicit(&tm_g_clock.use_tsc, memory_order_relaxed) != 0, 1)) {
        for (;;) {
            uint32_t s = atomic_load_explicit(&tm_g_clock.seq, memory_order_acquire);
            tm_tsc_conv_t *c = &tm_g_clock.conv[s & 1];
            uint64_t tsc0 = atomic_load_explicit(&c->tsc0, memory_order_relaxed);
            int64_t ns0 = atomic_load_explicit(&c->ns0, memory_order_relaxed);
            uint64_t mult = atomic_load_explicit(&c->mult, memory_order_relaxed);
            uint64_t refine_at = atomic_load_explicit(&c->refine_at, memory_order_relaxed);
            uint64_t t = __rdtsc();
            atomic_thread_fence(memory_order_acquire);
            if (__builtin_expect(atomic_load_explicit(&tm_g_clock.seq, memory_order_relaxed) != s, 0)) continue;
            int64_t ns = tm_tsc_to_ns(t, tsc0, ns0, mult);
            if (__builtin_expect(t >= refine_at, 0)) return tm_tsc_refine(t, ns);
            return ns;
        }
    }
#endif
    return tm_clock_gettime_ns();
}

/* fork() child (fork.c): a refinement another thread was making is
 * abandoned (samplers/tsc.c only trylocks its lock). */
void tm_clock_fork_child(void);

#endif /* TIMEMORY_CLOCK_H */
