/* Display values (values.c): raw accumulators to tm_value_t. */
#ifndef TIMEMORY_VALUES_H
#define TIMEMORY_VALUES_H

#include <timemory/timemory.h>

#include "graph.h"

/* Display conversion for component `c`. */
void tm_value_from_acc(int c, const tm_acc_t *acc, double last, tm_value_t *out);

#endif /* TIMEMORY_VALUES_H */
