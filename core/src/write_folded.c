/* <component>.folded: one line per stack, "main;solve;assemble 7000", for
 * flamegraph.pl, inferno and speedscope (facts in
 * shared/formats/folded-stacks.md). Weights are the nodes' exclusive values
 * as integers of the component's raw unit (ns, bytes, counts), so a frame's
 * width (its line plus every line below it) is its inclusive value. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <stdbool.h>

#include <timemory/formats.h>

#include "internal.h"
#include "flame.h"
#include "label_text.h"

typedef struct tm_folded {
    int c;
    FILE *out;
    char *path;
    size_t len, cap;
    bool nomem;
} tm_folded_t;

static void tm_folded_node(tm_folded_t *f, const tm_tree_node_t *n) {
    size_t saved = f->len;
    if (!n->is_dummy) {
        char *frame = tm_label_display(n->label, TM_ESC_FOLDED, NULL);
        size_t need = f->len + 1 + (frame ? strlen(frame) : 0) + 1;
        char *grown = need > f->cap ? realloc(f->path, 2 * need) : f->path;
        if (!frame || !grown) {
            free(frame);
            f->nomem = true;
            return;
        }
        if (need > f->cap) f->path = grown, f->cap = 2 * need;
        if (f->len) f->path[f->len++] = ';';
        memcpy(f->path + f->len, frame, strlen(frame) + 1);
        f->len += strlen(frame);
        free(frame);
        uint64_t w = tm_flame_weight(f->c, n);
        if (w) fprintf(f->out, "%s %" PRIu64 "\n", f->path, w);
    }
    for (size_t i = 0; i < n->n_children && !f->nomem; ++i) tm_folded_node(f, &n->children[i]);
    f->len = saved;
    if (f->path) f->path[saved] = '\0';
}

int tm_write_folded(int c, const tm_tree_t *tree, void *file) {
    const tm_component_desc_t *d = tm_component_desc(c);
    if (!file) return tm_fail(TM_E_INVALID, "folded output is NULL");
    if (!tree) return tm_fail(TM_E_INVALID, "folded stacks: tree is NULL");
    if (!d) return tm_fail(TM_E_INVALID, "folded stacks: unknown component %d", c);
    if (!tm_flame_additive(c))
        return tm_fail(TM_E_INVALID, "folded stacks need values that add up; '%s' is a %s", d->name,
                       d->kind == TM_KIND_RATIO ? "ratio" : "level");
    tm_folded_t f = {c, file, malloc(256), 0, 256, false};
    if (!f.path) return tm_fail(TM_E_NOMEM, "out of memory writing folded stacks");
    f.path[0] = '\0';
    for (size_t i = 0; i < tree->n_roots && !f.nomem; ++i) tm_folded_node(&f, &tree->roots[i]);
    free(f.path);
    if (f.nomem) return tm_fail(TM_E_NOMEM, "out of memory writing folded stacks");
    return ferror(f.out) ? tm_fail(TM_E_IO, "error writing the %s folded stacks", d->name) : TM_OK;
}
