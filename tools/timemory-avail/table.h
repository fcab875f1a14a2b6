/* timemory-avail: a text table with aligned columns. */
#ifndef TM_AVAIL_TABLE_H
#define TM_AVAIL_TABLE_H

#include <stdio.h>

typedef struct avail_table {
    int ncols;
    int nrows;          /* data rows, header excluded */
    const char **cells; /* (nrows + 1) * ncols, row-major; row 0 the header */
    int cap;            /* rows allocated, header included */
} avail_table_t;

/* Starts a table with the `ncols` header names. Returns 0 or -1 (no memory). */
int avail_table_init(avail_table_t *t, int ncols, const char *const *header);

/* Appends a row of `ncols` cells. The strings are not copied: they must live
 * until avail_table_print(). Returns 0 or -1 (no memory). */
int avail_table_add(avail_table_t *t, const char *const *row);

/* Prints the table as "| cell | cell | last" lines, every column but the
 * last as wide as its widest cell, with rules above and below the header and
 * at the end. */
void avail_table_print(const avail_table_t *t, FILE *out);

void avail_table_free(avail_table_t *t);

#endif /* TM_AVAIL_TABLE_H */
