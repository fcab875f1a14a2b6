/* Functions of c_usage.c and c_disabled.c, called by c_api_test.cc. */
#ifndef TIMEMORY_TESTS_C_C_USAGE_H
#define TIMEMORY_TESTS_C_C_USAGE_H

#ifdef __cplusplus
extern "C" {
#endif

int c_usage_nested_regions(int n);
int c_usage_component(const char *label);
int c_disabled_regions(int n);

#ifdef __cplusplus
}
#endif

#endif /* TIMEMORY_TESTS_C_C_USAGE_H */
