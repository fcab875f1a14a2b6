/* The engine's lowest layer: branch hints and the store used for fields
 * other threads read. Every other internal header builds on it. */
#ifndef TIMEMORY_BASE_H
#define TIMEMORY_BASE_H

#define TM_LIKELY(x) __builtin_expect(!!(x), 1)
#define TM_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Stores a field that other threads may read at the same time (through a
 * seqlock or a published pointer). Under ThreadSanitizer it is a relaxed
 * atomic store, so the tool checks the protocol; otherwise a volatile store,
 * which for aligned 1-8 byte fields is the same single instruction (the
 * Linux kernel's WRITE_ONCE) without the round trip of a double through an
 * integer register that gcc emits for an atomic double. */
#if defined(__SANITIZE_THREAD__)
#define TM_PUT_ATOMIC 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TM_PUT_ATOMIC 1
#endif
#endif
#ifdef TM_PUT_ATOMIC
#define TM_PUT(lvalue, value)                                                                                          \
    do {                                                                                                               \
        __typeof__(lvalue) tm_put_ = (value);                                                                          \
        __atomic_store(&(lvalue), &tm_put_, __ATOMIC_RELAXED);                                                         \
    } while (0)
#else
#define TM_PUT(lvalue, value) (*(volatile __typeof__(lvalue) *)&(lvalue) = (value))
#endif

#endif /* TIMEMORY_BASE_H */
