/* libFuzzer target: tm_profile_parse(), the JSON profile loader, on
 * arbitrary bytes (not NUL-terminated: the loader takes a length). A profile
 * it accepts is written back out and parsed again, which must succeed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <timemory/serialize.h>
#include <timemory/timemory.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* an exact-size copy, so ASan sees any read past `size` */
    char *text = malloc(size ? size : 1);
    if (!text) return 0;
    memcpy(text, data, size);
    tm_profile_t *p = NULL;
    int rc = tm_profile_parse(text, size, "fuzz.json", &p);
    free(text);
    if (rc != TM_OK) {
        if (p) abort(); /* a failed parse hands out nothing */
        return 0;
    }
    /* round trip: what the library accepted it must be able to write and reread */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
        int wrc = tm_profile_write_json(p, f);
        fclose(f);
        if (wrc == TM_OK) {
            tm_profile_t *q = NULL;
            if (tm_profile_parse(buf, len, "fuzz-roundtrip.json", &q) != TM_OK) {
                fprintf(stderr, "round trip failed: %s\n", tm_last_error());
                abort();
            }
            tm_profile_free(q);
        }
        free(buf);
    }
    tm_profile_free(p);
    return 0;
}
