/* Chunked arenas (arena.h). The directory is two fixed levels, so growing
 * allocates a chunk (and, every TM_ARENA_BLOCK chunks, a block) but never
 * moves anything a reader may be looking at. */
#include <stdlib.h>
#include <string.h>

#include "arena.h"

void *tm_arena_reserve(tm_arena_t *a, size_t size) {
    const uint32_t i = a->count;
    const uint32_t chunk = i / TM_CHUNK_ITEMS, block = chunk / TM_ARENA_BLOCK;
    if (block >= TM_ARENA_BLOCKS) return NULL;
    if (i % TM_CHUNK_ITEMS == 0) {
        /* written before the element is published: readers that index
         * below the published count see these pointers */
        if (!a->blocks[block]) {
            a->blocks[block] = calloc(TM_ARENA_BLOCK, sizeof *a->blocks[block]);
            if (!a->blocks[block]) return NULL;
        }
        void **slot = &a->blocks[block][chunk % TM_ARENA_BLOCK];
        if (!*slot) {
            /* cache-line aligned, so aligned elements (tm_slot_t) stay so */
            size_t bytes = ((size_t)TM_CHUNK_ITEMS * size + 63) & ~(size_t)63;
            *slot = aligned_alloc(64, bytes);
            if (!*slot) return NULL;
            memset(*slot, 0, bytes);
        }
    }
    return tm_arena_at(a, i, size);
}

void tm_arena_free(tm_arena_t *a) {
    for (uint32_t b = 0; b < TM_ARENA_BLOCKS && a->blocks[b]; ++b) {
        for (uint32_t c = 0; c < TM_ARENA_BLOCK; ++c) free(a->blocks[b][c]);
        free(a->blocks[b]);
    }
    memset(a, 0, sizeof *a);
}
