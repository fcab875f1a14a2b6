/* libFuzzer target: tm_component_set_parse() on arbitrary text. It must
 * return TM_OK with a non-empty set of known components, or an error code
 * with a message, never read past the text or crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <timemory/timemory.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* the API takes a C string: stop at the first NUL */
    tm_component_set_t set = 0;
    int rc = tm_component_set_parse(text, &set);
    if (rc == TM_OK && set == 0) abort();                   /* TM_OK promises at least one component */
    if (rc != TM_OK && tm_last_error()[0] == '\0') abort(); /* errors name the input */
    free(text);
    return 0;
}
