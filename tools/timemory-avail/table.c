/* timemory-avail: a text table with aligned columns. */
#define _GNU_SOURCE
#include "tools/timemory-avail/table.h"

#include <stdlib.h>
#include <string.h>

int avail_table_init(avail_table_t *t, int ncols, const char *const *header) {
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    t->cap = 32;
    t->cells = calloc((size_t)t->cap * (size_t)ncols, sizeof *t->cells);
    if (!t->cells) return -1;
    memcpy(t->cells, header, (size_t)ncols * sizeof *header);
    return 0;
}

int avail_table_add(avail_table_t *t, const char *const *row) {
    if (t->nrows + 1 >= t->cap) {
        int cap = t->cap * 2;
        const char **cells = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *cells);
        if (!cells) return -1;
        t->cells = cells;
        t->cap = cap;
    }
    memcpy(t->cells + (size_t)(t->nrows + 1) * (size_t)t->ncols, row, (size_t)t->ncols * sizeof *row);
    t->nrows++;
    return 0;
}

static const char *cell(const avail_table_t *t, int row, int col) {
    const char *s = t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
    return s ? s : "";
}

static void rule(FILE *out, const size_t *width, int ncols) {
    for (int c = 0; c < ncols; ++c) {
        fputc('|', out);
        for (size_t i = 0; i < width[c] + (c + 1 < ncols ? 2 : 1); ++i) fputc('-', out);
    }
    fputc('\n', out);
}

/* The last column is not padded, so one long cell there (a reason why a
 * component is unavailable) does not widen every line. */
static void line(FILE *out, const avail_table_t *t, const size_t *width, int row) {
    for (int c = 0; c + 1 < t->ncols; ++c) fprintf(out, "| %-*s ", (int)width[c], cell(t, row, c));
    fprintf(out, "| %s\n", cell(t, row, t->ncols - 1));
}

void avail_table_print(const avail_table_t *t, FILE *out) {
    size_t *width = calloc((size_t)t->ncols, sizeof *width);
    if (!width) return;
    for (int r = 0; r <= t->nrows; ++r) {
        for (int c = 0; c < t->ncols; ++c) {
            size_t n = strlen(cell(t, r, c));
            if (n > width[c]) width[c] = n;
        }
    }
    rule(out, width, t->ncols);
    line(out, t, width, 0);
    rule(out, width, t->ncols);
    for (int r = 1; r <= t->nrows; ++r) line(out, t, width, r);
    rule(out, width, t->ncols);
    free(width);
}

void avail_table_free(avail_table_t *t) {
    free(t->cells);
    memset(t, 0, sizeof *t);
}
