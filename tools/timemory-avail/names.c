/* timemory-avail: text names of the descriptor enums (the components.def
 * spellings, lower case). */
#include "tools/timemory-avail/names.h"

const char *avail_category_name(tm_category_t c) {
    switch (c) {
    case TM_CATEGORY_TIMING: return "timing";
    case TM_CATEGORY_MEMORY: return "memory";
    case TM_CATEGORY_IO: return "io";
    case TM_CATEGORY_CONTEXT_SWITCH: return "context_switch";
    case TM_CATEGORY_HW_COUNTER: return "hw_counter";
    case TM_CATEGORY_USER: return "user";
    }
    return "unknown";
}

const char *avail_kind_name(tm_kind_t k) {
    switch (k) {
    case TM_KIND_DELTA: return "delta";
    case TM_KIND_HWM: return "hwm";
    case TM_KIND_LEVEL: return "level";
    case TM_KIND_TALLY: return "tally";
    case TM_KIND_RATIO: return "ratio";
    case TM_KIND_STORE: return "store";
    }
    return "unknown";
}

const char *avail_type_name(tm_value_type_t t) {
    switch (t) {
    case TM_TYPE_I64: return "i64";
    case TM_TYPE_U64: return "u64";
    case TM_TYPE_F64: return "f64";
    }
    return "unknown";
}

const char *avail_setting_type_name(tm_setting_type_t t) {
    switch (t) {
    case TM_SETTING_BOOL: return "bool";
    case TM_SETTING_INT: return "int";
    case TM_SETTING_STRING: return "string";
    case TM_SETTING_CHOICE: return "choice";
    case TM_SETTING_COMPONENTS: return "components";
    }
    return "unknown";
}
