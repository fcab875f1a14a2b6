/*
 * timemory-c: the one header users include.
 *
 *   #include <timemory/timemory.h>
 *   TM_REGION_BEGIN("solve"); ... TM_REGION_END("solve");
 */
#ifndef TIMEMORY_TIMEMORY_H
#define TIMEMORY_TIMEMORY_H

#include <timemory/api.h>
#include <timemory/component.h>
#include <timemory/components.h>
#include <timemory/formats.h>
#include <timemory/query.h>
#include <timemory/serialize.h>
#include <timemory/settings.h>
#include <timemory/timing.h>

#endif /* TIMEMORY_TIMEMORY_H */
