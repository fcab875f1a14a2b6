/* What each KIND of components.def means, in one table: every file that
 * treats kinds differently asks these traits instead of comparing kinds. */
#ifndef TIMEMORY_KINDS_H
#define TIMEMORY_KINDS_H

#include <stdbool.h>

#include <timemory/component.h>

typedef struct tm_kind_traits {
    bool subtracts_children; /* exclusive = sample - children's samples; the
                                sample passes up to the parent frame */
    bool reads_level;        /* a sample is the reading at stop, not stop - start */
    bool keeps_last;         /* the value is the latest sample, not the sum */
    bool ratio;              /* sample = d(first) / d(second); value = ratio of sums */
    bool stored;             /* fed by store(), never read by a region */
} tm_kind_traits_t;

/* Indexed by tm_kind_t. */
extern const tm_kind_traits_t tm_kind_traits[TM_KIND_STORE + 1];

#endif /* TIMEMORY_KINDS_H */
