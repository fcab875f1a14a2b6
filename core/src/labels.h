/* Interned region labels (labels.c): the object behind a tm_region_t. */
#ifndef TIMEMORY_LABELS_H
#define TIMEMORY_LABELS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <timemory/api.h>

/* Problems warned about once per label. */
enum tm_label_warning {
    TM_WARN_END_WITHOUT_BEGIN = 1u << 0,
    TM_WARN_END_NOT_INNERMOST = 1u << 1,
    TM_WARN_POP_WITHOUT_PUSH = 1u << 2,
    TM_WARN_LEFT_OPEN = 1u << 3
};

struct tm_label {
    uint32_t id;
    uint64_t hash;
    _Atomic uint32_t warned; /* tm_label_warning bits already reported */
    char name[];
};
typedef struct tm_label tm_label_t;

/* True the first time `bit` is claimed for `label` (warn-once). */
bool tm_label_first_warning(tm_label_t *label, uint32_t bit);

/* fork() (fork.c): the label table's lock is held across it; interned
 * labels stay valid in the child. */
void tm_labels_fork_prepare(void);
void tm_labels_fork_parent(void);
void tm_labels_fork_child(void);

#endif /* TIMEMORY_LABELS_H */
