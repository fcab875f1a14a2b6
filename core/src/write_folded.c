/* <component>.folded: one line per stack, "main;solve;assemble 7000", for
 * flamegraph.pl, inferno and speedscope (facts in
 * shared/formats/folded-stacks.md). Weights are the nodes' exclusive values
 * as integers of the component's raw unit (ns, bytes, counts), so a frame's
 * width (its line plus every line below it) is its inclusive value.
 * Each line repeats its whole stack (the format), so the file is
 * O(nodes x levels); past flamegraph_max_depth levels a subtree becomes one
 * "[N more levels]" frame of the same total weight, which bounds it. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <stdbool.h>

#include <timemory/formats.h>

#include "internal.h"
#include "flame.h"
#include "label_text.h"
#include "tree_walk.h"

/* The stack text of the current path, ';'-joined: frames are appended on
 * entry and cut off on exit, so each node's label is escaped once and a
 * line costs only its own output. */
typedef struct tm_folded {
    int c;
    FILE *out;
    char *path;
    size_t len, cap;
    size_t *saved; /* per walk level: the path length before that node */
    size_t n_saved;
    bool nomem;
} tm_folded_t;

static bool tm_folded_append(tm_folded_t *f, const char *frame) {
    size_t flen = strlen(frame), need = f->len + 1 + flen + 1;
    if (need > f->cap) {
        char *grown = realloc(f->path, 2 * need);
        if (!grown) return false;
        f->path = grown, f->cap = 2 * need;
    }
    if (f->len) f->path[f->len++] = ';';
    memcpy(f->path + f->len, frame, flen + 1);
    f->len += flen;
    return true;
}

static void tm_folded_line(tm_folded_t *f, uint64_t w) {
    if (w) fprintf(f->out, "%s %" PRIu64 "\n", f->path, w);
}

/* Enters a real node `frames` levels deep (itself counted); at the level
 * cap, its subtree's weights go on one "[N more levels]" line. */
static bool tm_folded_enter(tm_folded_t *f, tm_tree_walk_t *w, const tm_tree_node_t *n, size_t frames) {
    char *frame = tm_label_display(n->label, TM_ESC_FOLDED, NULL);
    bool ok = frame && tm_folded_append(f, frame);
    free(frame);
    if (!ok) return false;
    tm_folded_line(f, tm_flame_weight(f->c, n));
    if (frames < tm_flame_max_levels() || !n->n_children) return true;
    uint64_t weight;
    size_t levels;
    char more[64];
    if (!tm_flame_below(f->c, n, &weight, &levels)) return false;
    tm_tree_walk_prune(w);
    if (!weight) return true;
    snprintf(more, sizeof more, "[%zu more levels]", levels);
    size_t saved = f->len;
    if (!tm_folded_append(f, more)) return false;
    tm_folded_line(f, weight);
    f->len = saved;
    f->path[saved] = '\0';
    return true;
}

static void tm_folded_walk(tm_folded_t *f, const tm_tree_t *tree) {
    tm_tree_walk_t w;
    tm_tree_walk_start(&w, tree->roots, tree->n_roots);
    size_t frames = 0; /* non-dummy nodes on the path */
    bool enter;
    for (const tm_tree_node_t *n; !f->nomem && (n = tm_tree_walk_next(&w, &enter));) {
        const size_t level = tm_tree_walk_level(&w, enter);
        if (!enter) {
            frames -= !n->is_dummy;
            f->len = f->saved[level];
            f->path[f->len] = '\0';
            continue;
        }
        if (level >= f->n_saved) {
            size_t cap = 2 * level + 64;
            size_t *saved = realloc(f->saved, cap * sizeof *saved);
            if (!saved) {
                f->nomem = true;
                break;
            }
            f->saved = saved, f->n_saved = cap;
        }
        f->saved[level] = f->len;
        if (!n->is_dummy && !tm_folded_enter(f, &w, n, ++frames)) f->nomem = true;
    }
    if (w.nomem) f->nomem = true;
    tm_tree_walk_end(&w);
}

int tm_write_folded(int c, const tm_tree_t *tree, void *file) {
    const tm_component_desc_t *d = tm_component_desc(c);
    if (!file) return tm_fail(TM_E_INVALID, "folded output is NULL");
    if (!tree) return tm_fail(TM_E_INVALID, "folded stacks: tree is NULL");
    if (!d) return tm_fail(TM_E_INVALID, "folded stacks: unknown component %d", c);
    if (!tm_flame_additive(c))
        return tm_fail(TM_E_INVALID, "folded stacks need values that add up; '%s' is a %s", d->name,
                       d->kind == TM_KIND_RATIO ? "ratio" : "level");
    tm_folded_t f = {c, file, malloc(256), 0, 256, NULL, 0, false};
    if (!f.path) return tm_fail(TM_E_NOMEM, "out of memory writing folded stacks");
    f.path[0] = '\0';
    tm_folded_walk(&f, tree);
    free(f.path);
    free(f.saved);
    if (f.nomem) return tm_fail(TM_E_NOMEM, "out of memory writing folded stacks");
    return ferror(f.out) ? tm_fail(TM_E_IO, "error writing the %s folded stacks", d->name) : TM_OK;
}
