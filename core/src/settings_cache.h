/* Settings as the engine reads them (settings.c): the three read on the hot
 * path cached in atomics, and typed reads of the others. */
#ifndef TIMEMORY_SETTINGS_CACHE_H
#define TIMEMORY_SETTINGS_CACHE_H

#include <stdbool.h>

#include <timemory/timemory.h>

typedef struct tm_settings_cache {
    _Atomic int enabled;
    _Atomic tm_component_set_t components;
    _Atomic int timeline; /* timeline_profile, read by the frame layer's hooks */
} tm_settings_cache_t;
extern tm_settings_cache_t tm_g_settings;

/* Defaults, then the environment (once per process; every accessor calls it). */
void tm_settings_init(void);
bool tm_settings_flag(const char *name);
long tm_settings_int(const char *name);

/* fork() (fork.c): the settings lock is taken first (a setting change may
 * take other locks) and held across it. */
void tm_settings_fork_prepare(void);
void tm_settings_fork_parent(void);
void tm_settings_fork_child(void);

#endif /* TIMEMORY_SETTINGS_CACHE_H */
