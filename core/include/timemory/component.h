/*
 * timemory-c: component descriptors and the generic component object.
 *
 * The typed wrappers in <timemory/components.h> (tm_wall_clock_t,
 * tm_wall_clock_start(), ...) are generated from components.def and call the
 * functions here. A component object measures on its own; only push()/pop()
 * record into the calling thread's call graph: one pop() adds one sample, the
 * value accumulated since the matching push().
 */
#ifndef TIMEMORY_COMPONENT_H
#define TIMEMORY_COMPONENT_H

#include <stdint.h>

#include <timemory/api.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tm_value_type { TM_TYPE_I64, TM_TYPE_U64, TM_TYPE_F64 } tm_value_type_t;

/* How a start/stop pair becomes one sample (the KIND column). */
typedef enum tm_kind {
    TM_KIND_DELTA, /* stop reading - start reading */
    TM_KIND_HWM,   /* same, on a high-water mark */
    TM_KIND_LEVEL, /* the reading at stop; value = the latest sample */
    TM_KIND_TALLY, /* the reading at stop; value = the sum of samples */
    TM_KIND_RATIO, /* d(first counter) / d(second counter) */
    TM_KIND_STORE  /* values stored by the user */
} tm_kind_t;

typedef enum tm_category {
    TM_CATEGORY_TIMING,
    TM_CATEGORY_MEMORY,
    TM_CATEGORY_IO,
    TM_CATEGORY_CONTEXT_SWITCH,
    TM_CATEGORY_HW_COUNTER,
    TM_CATEGORY_USER
} tm_category_t;

/* One row of components.def. */
typedef struct tm_component_desc {
    int id;
    const char *name;    /* "wall_clock" */
    const char *pyclass; /* "WallClock" */
    const char *label;   /* "wall" */
    const char *unit;    /* table display unit: "sec", "MB", "%", "" */
    double scale;        /* raw units per table display unit */
    tm_value_type_t type;
    tm_kind_t kind;
    tm_category_t category;
    void (*sample)(int64_t out[2]); /* NULL for STORE */
    const char *(*available)(void); /* NULL: always available */
    const char *description;
} tm_component_desc_t;

/* Number of rows and row `id` (NULL when out of range). */
TM_EXPORT int tm_component_count(void);
TM_EXPORT const tm_component_desc_t *tm_component_desc(int id);

/* Id of `name` ("wall_clock") or of a Python class name ("WallClock"), or
 * TM_E_UNKNOWN_COMPONENT (tm_last_error() lists the valid names). */
TM_EXPORT int tm_component_find(const char *name);

/* NULL when component `id` works here, else the reason it does not. */
TM_EXPORT const char *tm_component_unavailable(int id);

/* Display unit and raw-per-display scale after the timing_units and
 * memory_units settings ("msec" and 1e6 for a timer in msec). */
TM_EXPORT const char *tm_component_unit(int id);
TM_EXPORT double tm_component_scale(int id);

/* Generic component object; treat the fields as private. */
typedef struct tm_component {
    int id;
    tm_region_t label;
    uint32_t flags;   /* running, pushed */
    int64_t start[2]; /* readings at start() */
    double value[2];  /* raw value accumulated since push()/reset() */
    double last;      /* last level reading (LEVEL) */
    uint64_t laps;
    void *thread;        /* thread graph it was pushed on */
    uint32_t frame;      /* stack depth of its frame there */
    uint32_t generation; /* storage generation of the push */
} tm_component_t;

TM_EXPORT int tm_component_init(tm_component_t *c, int id, const char *label);
TM_EXPORT int tm_component_start(tm_component_t *c);
TM_EXPORT int tm_component_stop(tm_component_t *c);
TM_EXPORT int tm_component_push(tm_component_t *c);
TM_EXPORT int tm_component_pop(tm_component_t *c);
TM_EXPORT int tm_component_reset(tm_component_t *c);
TM_EXPORT int tm_component_measure(tm_component_t *c);
/* STORE components: adds `v` to the component and, when pushed, to its node
 * as one sample; otherwise to the innermost open region of this thread. */
TM_EXPORT int tm_component_store(tm_component_t *c, double v);
/* Accumulated value (including a running lap) in display units / raw units. */
TM_EXPORT double tm_component_get(const tm_component_t *c);
TM_EXPORT double tm_component_get_raw(const tm_component_t *c);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_COMPONENT_H */
