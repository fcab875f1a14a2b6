/* timemory-report --diff: regions matched by path of labels, their
 * inclusive values compared, sorted by the size of the change. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tools/timemory-report/diff.h"

typedef struct tmr_region {
    char *key;   /* labels joined by '/', with '/' and '\' escaped: unique */
    char *shown; /* the key with control characters escaped, for printing */
    double a, b;
    bool in_a, in_b;
} tmr_region_t;

typedef struct tmr_regions {
    tmr_region_t *v;
    size_t n, cap;
    bool failed;
} tmr_regions_t;

static char *tmr_join(const char *parent, const char *label) {
    size_t n = (parent ? strlen(parent) + 1 : 0) + 2 * strlen(label) + 1, k = 0;
    char *key = malloc(n);
    if (!key) return NULL;
    if (parent) {
        k = strlen(parent);
        memcpy(key, parent, k);
        key[k++] = '/';
    }
    for (const char *s = label; *s; ++s) {
        if (*s == '/' || *s == '\\') key[k++] = '\\';
        key[k++] = *s;
    }
    key[k] = '\0';
    return key;
}

static char *tmr_printable(const char *key) {
    char *out = malloc(4 * strlen(key) + 1), *o = out;
    if (!out) return NULL;
    for (const unsigned char *s = (const unsigned char *)key; *s; ++s) {
        if (*s == '\n')
            o += sprintf(o, "\\n");
        else if (*s == '\t')
            o += sprintf(o, "\\t");
        else if (*s < 0x20 || *s == 0x7f)
            o += sprintf(o, "\\x%02x", *s);
        else
            *o++ = (char)*s;
    }
    *o = '\0';
    return out;
}

static void tmr_collect(tmr_regions_t *r, const tm_tree_node_t *n, size_t count, const char *parent) {
    for (size_t i = 0; i < count && !r->failed; ++i) {
        const tm_tree_node_t *c = &n[i];
        if (c->is_dummy) {
            tmr_collect(r, c->children, c->n_children, parent);
            continue;
        }
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 64;
            tmr_region_t *v = realloc(r->v, cap * sizeof *v);
            if (!v) {
                r->failed = true;
                return;
            }
            r->v = v;
            r->cap = cap;
        }
        tmr_region_t *x = &r->v[r->n];
        memset(x, 0, sizeof *x);
        x->key = tmr_join(parent, c->label);
        if (!x->key) {
            r->failed = true;
            return;
        }
        x->a = c->inclusive.data;
        ++r->n;
        tmr_collect(r, c->children, c->n_children, x->key);
    }
}

static int tmr_key_order(const void *x, const void *y) {
    return strcmp(((const tmr_region_t *)x)->key, ((const tmr_region_t *)y)->key);
}

static double tmr_change(const tmr_region_t *r) { return (r->in_b ? r->b : 0) - (r->in_a ? r->a : 0); }

static int tmr_impact_order(const void *x, const void *y) {
    double dx = fabs(tmr_change(x)), dy = fabs(tmr_change(y));
    if (dx != dy) return dx > dy ? -1 : 1;
    return tmr_key_order(x, y);
}

/* Percent change, or NAN when A is zero or a side is missing. */
static double tmr_percent(const tmr_region_t *r) {
    if (!r->in_a || !r->in_b || r->a == 0) return NAN;
    return 100.0 * (r->b - r->a) / fabs(r->a);
}

static bool tmr_regions_of(const tm_profile_t *p, tmr_regions_t *out) {
    tm_tree_t *tree = NULL;
    if (tm_profile_tree(p, &tree) != TM_OK) return false;
    tmr_collect(out, tree->roots, tree->n_roots, NULL);
    tm_tree_free(tree);
    return !out->failed;
}

static void tmr_regions_free(tmr_regions_t *r) {
    for (size_t i = 0; i < r->n; ++i) {
        free(r->v[i].key);
        free(r->v[i].shown);
    }
    free(r->v);
}

/* Matches B's regions to A's: one list, each region once. */
static bool tmr_match(tmr_regions_t *ra, tmr_regions_t *rb) {
    qsort(ra->v, ra->n, sizeof *ra->v, tmr_key_order);
    for (size_t i = 0; i < ra->n; ++i) ra->v[i].in_a = true;
    size_t n_a = ra->n;
    for (size_t i = 0; i < rb->n; ++i) {
        tmr_region_t key = {rb->v[i].key, NULL, 0, 0, false, false};
        tmr_region_t *hit = bsearch(&key, ra->v, n_a, sizeof *ra->v, tmr_key_order);
        if (hit) {
            hit->in_b = true;
            hit->b = rb->v[i].a;
            continue;
        }
        if (ra->n == ra->cap) {
            size_t cap = ra->cap ? ra->cap * 2 : 64;
            tmr_region_t *v = realloc(ra->v, cap * sizeof *v);
            if (!v) return false;
            ra->v = v;
            ra->cap = cap;
        }
        ra->v[ra->n] = (tmr_region_t){rb->v[i].key, NULL, 0, rb->v[i].a, false, true};
        rb->v[i].key = NULL; /* moved */
        ++ra->n;
    }
    for (size_t i = 0; i < ra->n; ++i)
        if (!(ra->v[i].shown = tmr_printable(ra->v[i].key))) return false;
    qsort(ra->v, ra->n, sizeof *ra->v, tmr_impact_order);
    return true;
}

static void tmr_json_string(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)s; *c; ++c) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20 || *c == 0x7f)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

static void tmr_json_number(FILE *out, double v, bool present) {
    if (!present || !isfinite(v))
        fputs("null", out);
    else
        fprintf(out, "%.17g", v);
}

static void tmr_write_json(const tmr_regions_t *r, const tm_run_info_t *m, const char *name_a, const char *name_b,
                           FILE *out) {
    fputs("{\"component\": ", out);
    tmr_json_string(out, m->component);
    fputs(", \"unit\": ", out);
    tmr_json_string(out, m->unit);
    fputs(", \"a\": ", out);
    tmr_json_string(out, name_a);
    fputs(", \"b\": ", out);
    tmr_json_string(out, name_b);
    fputs(", \"regions\": [", out);
    for (size_t i = 0; i < r->n; ++i) {
        const tmr_region_t *x = &r->v[i];
        fputs(i ? ",\n  {\"path\": " : "\n  {\"path\": ", out);
        tmr_json_string(out, x->key);
        fputs(", \"status\": ", out);
        tmr_json_string(out, !x->in_a ? "added" : !x->in_b ? "removed" : "both");
        fputs(", \"a\": ", out);
        tmr_json_number(out, x->a, x->in_a);
        fputs(", \"b\": ", out);
        tmr_json_number(out, x->b, x->in_b);
        fputs(", \"change\": ", out);
        tmr_json_number(out, tmr_change(x), true);
        fputs(", \"change_pct\": ", out);
        tmr_json_number(out, tmr_percent(x), true);
        fputc('}', out);
    }
    fputs("\n]}\n", out);
}

static void tmr_write_text(const tmr_regions_t *r, const tm_run_info_t *m, const char *name_a, const char *name_b,
                           FILE *out) {
    int width = 6;
    for (size_t i = 0; i < r->n; ++i)
        if ((int)strlen(r->v[i].shown) > width) width = (int)strlen(r->v[i].shown);
    fprintf(out, "[%s] change from %s to %s (%s)\n", m->component, name_a, name_b, *m->unit ? m->unit : "count");
    fprintf(out, "| %-*s | %14s | %14s | %14s | %9s |\n", width, "region", "A", "B", "change", "change %");
    for (size_t i = 0; i < r->n; ++i) {
        const tmr_region_t *x = &r->v[i];
        char a[32] = "-", b[32] = "-", pct[32];
        if (x->in_a) snprintf(a, sizeof a, "%.6g", x->a);
        if (x->in_b) snprintf(b, sizeof b, "%.6g", x->b);
        double p = tmr_percent(x);
        if (!x->in_a)
            snprintf(pct, sizeof pct, "added");
        else if (!x->in_b)
            snprintf(pct, sizeof pct, "removed");
        else if (isnan(p))
            snprintf(pct, sizeof pct, "n/a");
        else
            snprintf(pct, sizeof pct, "%+.1f%%", p);
        fprintf(out, "| %-*s | %14s | %14s | %+14.6g | %9s |\n", width, x->shown, a, b, tmr_change(x), pct);
    }
}

int tmr_diff(const tm_profile_t *a, const char *name_a, const tm_profile_t *b, const char *name_b,
             const tmr_options_t *o, FILE *out, size_t *regressions) {
    const tm_run_info_t *ma = tm_profile_info(a), *mb = tm_profile_info(b);
    *regressions = 0;
    if (strcmp(ma->component, mb->component) != 0 || strcmp(ma->unit, mb->unit) != 0) {
        fprintf(stderr, "timemory-report: cannot compare %s (%s in '%s') with %s (%s in '%s')\n", name_a, ma->component,
                ma->unit, name_b, mb->component, mb->unit);
        return TMR_EXIT_FAILED;
    }
    tmr_regions_t ra = {0}, rb = {0};
    bool ok = tmr_regions_of(a, &ra) && tmr_regions_of(b, &rb) && tmr_match(&ra, &rb);
    if (!ok) {
        fprintf(stderr, "timemory-report: out of memory comparing %s and %s\n", name_a, name_b);
    } else {
        if (o->format == TMR_JSON)
            tmr_write_json(&ra, ma, name_a, name_b, out);
        else
            tmr_write_text(&ra, ma, name_a, name_b, out);
        for (size_t i = 0; o->has_threshold && i < ra.n; ++i) {
            double p = tmr_percent(&ra.v[i]);
            if (!isnan(p) && p > o->threshold) {
                ++*regressions;
                fprintf(stderr, "timemory-report: regression: '%s' grew by %.1f%% (%.6g -> %.6g %s; threshold %g%%)\n",
                        ra.v[i].shown, p, ra.v[i].a, ra.v[i].b, ma->unit, o->threshold);
            }
        }
    }
    tmr_regions_free(&ra);
    tmr_regions_free(&rb);
    return ok ? TMR_EXIT_OK : TMR_EXIT_FAILED;
}
