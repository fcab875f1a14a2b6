/* timemory-avail: text names of the descriptor enums. */
#ifndef TM_AVAIL_NAMES_H
#define TM_AVAIL_NAMES_H

#include <timemory/component.h>
#include <timemory/settings.h>

const char *avail_category_name(tm_category_t c);         /* "timing" */
const char *avail_kind_name(tm_kind_t k);                 /* "delta" */
const char *avail_type_name(tm_value_type_t t);           /* "i64" */
const char *avail_setting_type_name(tm_setting_type_t t); /* "bool" */

#endif /* TM_AVAIL_NAMES_H */
