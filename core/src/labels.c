/* Interned region labels: each distinct name is hashed once and gets a
 * handle that stays valid for the life of the process. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "labels.h"

static pthread_mutex_t tm_labels_lock = PTHREAD_MUTEX_INITIALIZER;
static tm_label_t **tm_labels; /* open addressing on the hash */
static uint32_t tm_labels_cap, tm_labels_used;

uint64_t tm_hash_string(const char *s) {
    /* FNV-1a, 64-bit */
    uint64_t h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; ++p) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return h;
}

static bool tm_labels_grow(void) {
    uint32_t cap = tm_labels_cap ? tm_labels_cap * 2 : 256;
    tm_label_t **table = calloc(cap, sizeof *table);
    if (!table) return false;
    for (uint32_t i = 0; i < tm_labels_cap; ++i) {
        tm_label_t *l = tm_labels[i];
        if (!l) continue;
        uint32_t j = (uint32_t)l->hash & (cap - 1);
        while (table[j]) j = (j + 1) & (cap - 1);
        table[j] = l;
    }
    free(tm_labels);
    tm_labels = table;
    tm_labels_cap = cap;
    return true;
}

tm_region_t tm_region(const char *name) {
    if (!name || !*name) {
        tm_fail(TM_E_INVALID, "region name is %s; give a non-empty string", name ? "empty" : "NULL");
        return NULL;
    }
    uint64_t hash = tm_hash_string(name);
    tm_label_t *found = NULL;
    pthread_mutex_lock(&tm_labels_lock);
    if ((tm_labels_used + 1) * 2 > tm_labels_cap && !tm_labels_grow()) goto out;
    uint32_t j = (uint32_t)hash & (tm_labels_cap - 1);
    for (; tm_labels[j]; j = (j + 1) & (tm_labels_cap - 1)) {
        if (tm_labels[j]->hash == hash && strcmp(tm_labels[j]->name, name) == 0) {
            found = tm_labels[j];
            goto out;
        }
    }
    size_t len = strlen(name);
    found = malloc(sizeof *found + len + 1);
    if (!found) goto out;
    found->id = tm_labels_used;
    found->hash = hash;
    atomic_init(&found->warned, 0);
    memcpy(found->name, name, len + 1);
    tm_labels[j] = found;
    ++tm_labels_used;
out:
    pthread_mutex_unlock(&tm_labels_lock);
    if (!found) tm_fail(TM_E_NOMEM, "out of memory interning region '%s'", name);
    return found;
}

const char *tm_region_name(tm_region_t r) { return r ? r->name : NULL; }
uint64_t tm_region_hash(tm_region_t r) { return r ? r->hash : 0; }

bool tm_label_first_warning(tm_label_t *label, uint32_t bit) { return !(atomic_fetch_or(&label->warned, bit) & bit); }

/* fork() (fork.c): interned labels stay valid in the child. */
void tm_labels_fork_prepare(void) { pthread_mutex_lock(&tm_labels_lock); }
void tm_labels_fork_parent(void) { pthread_mutex_unlock(&tm_labels_lock); }
void tm_labels_fork_child(void) { pthread_mutex_init(&tm_labels_lock, NULL); }
