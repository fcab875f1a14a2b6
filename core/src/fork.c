/* fork(): the child starts with empty storage of its own. The handlers take
 * the engine's locks before the fork (so no lock is copied half-held) and
 * release them in the parent; the child rebuilds its thread table, so its
 * only thread records as tid 0 of the new pid and the parent's records,
 * copied with the address space, are never reported twice. fork.c sits at
 * the top of the engine's layers: it calls the fork handlers each layer
 * declares in its own header. */
#include <pthread.h>
#include <stdatomic.h>

#include "labels.h"
#include "multiproc.h"
#include "samplers/clock.h"
#include "settings_cache.h"
#include "thread.h"
#include "timeline.h"

static _Atomic bool tm_forked;

bool tm_is_fork_child(void) { return atomic_load(&tm_forked); }

/* Settings first: a setting change may take other locks; the others are
 * leaves (nothing else is locked while one is held). */
static void tm_fork_prepare(void) {
    tm_settings_fork_prepare();
    tm_labels_fork_prepare();
    tm_threads_fork_prepare();
    tm_timeline_fork_prepare();
}

static void tm_fork_parent(void) {
    tm_timeline_fork_parent();
    tm_threads_fork_parent();
    tm_labels_fork_parent();
    tm_settings_fork_parent();
}

static void tm_fork_child(void) {
    atomic_store(&tm_forked, true);
    tm_threads_fork_child(); /* starts a new storage generation */
    tm_timeline_fork_child();
    tm_labels_fork_child();
    tm_settings_fork_child();
    tm_clock_fork_child();
    tm_output_suffix_force(NULL);
}

__attribute__((constructor)) static void tm_fork_register(void) {
    pthread_atfork(tm_fork_prepare, tm_fork_parent, tm_fork_child);
}
