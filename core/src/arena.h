/* Chunked arenas: elements in fixed-size chunks reached through a fixed
 * two-level directory. Nothing ever moves as an arena grows, so elements
 * can be handed to other threads and a reader can index the directory while
 * the owner appends. One writer (the owning thread); readers see the
 * elements [0, tm_arena_published()). */
#ifndef TIMEMORY_ARENA_H
#define TIMEMORY_ARENA_H

#include <stddef.h>
#include <stdint.h>

#define TM_CHUNK_ITEMS 64u    /* elements per chunk */
#define TM_ARENA_BLOCK 256u   /* chunk pointers per directory block */
#define TM_ARENA_BLOCKS 1024u /* directory blocks: 16M elements per arena */

typedef struct tm_arena {
    void **blocks[TM_ARENA_BLOCKS]; /* each: TM_ARENA_BLOCK chunk pointers */
    uint32_t count;                 /* published elements (release store) */
} tm_arena_t;

/* A zeroed element at index tm_arena_published(a), not yet visible to
 * readers; NULL when out of memory or full. Publish it once initialised. */
void *tm_arena_reserve(tm_arena_t *a, size_t size);

/* Makes the reserved element visible to readers. */
static inline void tm_arena_publish(tm_arena_t *a) { __atomic_store_n(&a->count, a->count + 1, __ATOMIC_RELEASE); }

/* Elements a reader may index: every one of them is fully initialised. */
static inline uint32_t tm_arena_published(const tm_arena_t *a) { return __atomic_load_n(&a->count, __ATOMIC_ACQUIRE); }

/* Element `i` (< a count published or reserved by the caller). */
static inline void *tm_arena_at(const tm_arena_t *a, uint32_t i, size_t size) {
    uint32_t chunk = i / TM_CHUNK_ITEMS;
    return (char *)a->blocks[chunk / TM_ARENA_BLOCK][chunk % TM_ARENA_BLOCK] + (size_t)(i % TM_CHUNK_ITEMS) * size;
}

void tm_arena_free(tm_arena_t *a);

#endif /* TIMEMORY_ARENA_H */
