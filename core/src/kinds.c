/* The traits of each KIND (kinds.h); the KIND column of components.def. */
#include "kinds.h"

const tm_kind_traits_t tm_kind_traits[TM_KIND_STORE + 1] = {
    [TM_KIND_DELTA] = {.subtracts_children = true},
    [TM_KIND_HWM] = {.subtracts_children = true},
    [TM_KIND_LEVEL] = {.reads_level = true, .keeps_last = true},
    [TM_KIND_TALLY] = {.reads_level = true},
    [TM_KIND_RATIO] = {.subtracts_children = true, .ratio = true},
    [TM_KIND_STORE] = {.stored = true},
};
