/* libFuzzer target: tm_profile_parse(), the JSON profile loader, on
 * arbitrary bytes (not NUL-terminated: the loader takes a length). A profile
 * it accepts is written back out and parsed again, which must succeed; its
 * tree and flat layouts are built and the tree goes through every tree
 * writer (formats.h), into memory. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <timemory/formats.h>
#include <timemory/serialize.h>
#include <timemory/timemory.h>

/* The layouts and writers of an accepted profile: any error is a clean
 * return code, never a crash. */
static void fuzz_layouts(const tm_profile_t *p) {
    tm_flat_t *flat = NULL;
    if (tm_profile_flat(p, &flat) == TM_OK) tm_flat_free(flat);
    tm_tree_t *tree = NULL;
    if (tm_profile_tree(p, &tree) != TM_OK) return;
    int c = tm_profile_component(p);
    if (c >= 0) {
        int (*writers[])(int, const tm_tree_t *, void *) = {tm_report_write_tree, tm_write_tree_json, tm_write_folded,
                                                            tm_write_flamegraph_svg};
        for (size_t i = 0; i < sizeof writers / sizeof writers[0]; ++i) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            if (!f) continue;
            (void)writers[i](c, tree, f);
            fclose(f);
            free(buf);
        }
    }
    tm_tree_free(tree);
}

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
    fuzz_layouts(p);
    tm_profile_free(p);
    return 0;
}
