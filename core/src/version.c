/* tm_version(): the version from version.bzl (via the generated header). */
#include <timemory/api.h>

#include "timemory_version.h"

const char *tm_version(void) { return TM_VERSION_STRING; }
