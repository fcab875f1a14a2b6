/* The name given to tm_init(): it labels the reports. */
#ifndef TIMEMORY_RUN_NAME_H
#define TIMEMORY_RUN_NAME_H

#include <stddef.h>

/* Sets the name (ignored when NULL or empty). */
void tm_run_name_set(const char *name);

/* Copies the name ("timemory" until tm_init names the run) into buf. */
void tm_run_name_copy(char *buf, size_t n);

#endif /* TIMEMORY_RUN_NAME_H */
