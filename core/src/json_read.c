/* Reads the documented JSON back into a profile (cJSON parses; this file
 * checks every field). Errors name the file and where: line:column for
 * broken JSON, the node's index and field for a wrong value. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "rank_table.h"

/* cJSON allocates every item, key and string separately: tens of millions
 * of malloc/free for a large file. While this thread parses, its items come
 * from a bump arena freed at once; other threads and other cJSON users of
 * the process keep malloc/free (the hooks are process-wide, the arena is
 * per thread). */
typedef struct tm_json_chunk {
    struct tm_json_chunk *next;
    size_t used, cap;
    max_align_t data[];
} tm_json_chunk_t;

static __thread tm_json_chunk_t *tm_json_arena;
static __thread bool tm_json_arena_on;
static pthread_once_t tm_json_hooks_once = PTHREAD_ONCE_INIT;

static void *tm_json_malloc(size_t n) {
    if (!tm_json_arena_on) return malloc(n);
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    tm_json_chunk_t *c = tm_json_arena;
    if (!c || c->cap - c->used < n) {
        /* 16 KiB doubling to 1 MiB: a small document does not pay for a
         * 1 MiB block (under ASan an mmap and its shadow, per parse) */
        size_t cap = c ? c->cap * 2 : (size_t)1 << 14;
        if (cap > (size_t)1 << 20) cap = (size_t)1 << 20;
        if (cap < n) cap = n;
        c = malloc(sizeof *c + cap);
        if (!c) return NULL;
        c->next = tm_json_arena;
        c->used = 0;
        c->cap = cap;
        tm_json_arena = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

static void tm_json_free(void *p) {
    if (!tm_json_arena_on) free(p);
}

static void tm_json_install_hooks(void) {
    cJSON_Hooks hooks = {tm_json_malloc, tm_json_free};
    cJSON_InitHooks(&hooks);
}

static void tm_json_arena_release(void) {
    for (tm_json_chunk_t *c = tm_json_arena, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    tm_json_arena = NULL;
    tm_json_arena_on = false;
}

/* Frees all but the newest chunk and empties it: the arena of one node
 * while the nodes are parsed one at a time. */
static void tm_json_arena_reset(void) {
    tm_json_chunk_t *keep = tm_json_arena;
    if (!keep) return;
    for (tm_json_chunk_t *c = keep->next, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    keep->next = NULL;
    keep->used = 0;
}

/* The nodes array is read one node at a time (a parsed cJSON item of every
 * node at once is ~2 KB a node: 20 GB for the 10 million nodes a merge of
 * thousands of ranks sends). These find its elements without parsing:
 * strings and nesting only; the parse of each element checks the rest. */
static size_t tm_skip_ws(const char *t, size_t len, size_t i) {
    while (i < len && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' || t[i] == '\t')) ++i;
    return i;
}

/* The index just after the value at t[i]; len when it does not end. */
static size_t tm_skip_value(const char *t, size_t len, size_t i) {
    size_t depth = 0;
    bool in_string = false;
    for (; i < len; ++i) {
        char c = t[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"') {
                in_string = false;
                if (!depth) return i + 1;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (!depth) return i; /* a literal ended by its container */
            if (--depth == 0) return i + 1;
        } else if (!depth && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
            return i;
        }
    }
    return len;
}

/* The top-level "nodes" array: offsets of its '[' and ']'. False when the
 * text is not shaped so (the whole-document parse then says why). */
static bool tm_find_nodes(const char *t, size_t len, size_t *open, size_t *close) {
    size_t i = tm_skip_ws(t, len, 0);
    if (i >= len || t[i] != '{') return false;
    for (i = tm_skip_ws(t, len, i + 1); i < len && t[i] == '"';) {
        size_t key = i, key_end = tm_skip_value(t, len, i);
        i = tm_skip_ws(t, len, key_end);
        if (i >= len || t[i] != ':') return false;
        size_t v = tm_skip_ws(t, len, i + 1), v_end = tm_skip_value(t, len, v);
        if (v >= len || v_end >= len) return false;
        if (key_end - key == 7 && memcmp(t + key, "\"nodes\"", 7) == 0 && t[v] == '[') {
            *open = v;
            *close = v_end - 1;
            return true;
        }
        i = tm_skip_ws(t, len, v_end);
        if (i < len && t[i] == ',') i = tm_skip_ws(t, len, i + 1);
    }
    return false;
}

typedef struct tm_reader {
    tm_profile_t *p;
    const char *name; /* file name for messages */
    char where[64];   /* "nodes[12]" or "metadata" */
    int rc;
    uint64_t file_threads; /* metadata thread_count: a merged tree's ids are not pairs to count */
} tm_reader_t;

static bool tm_bad(tm_reader_t *r, const char *field, const char *what) {
    if (r->rc == TM_OK)
        r->rc = tm_fail(TM_E_INVALID, "%s: %s%s%s: %s", r->name, r->where, *field ? "." : "", field, what);
    return false;
}

static const cJSON *tm_field(const cJSON *obj, const char *key) { return cJSON_GetObjectItemCaseSensitive(obj, key); }

static bool tm_get_string(tm_reader_t *r, const cJSON *obj, const char *key, bool required, const char **out) {
    const cJSON *v = tm_field(obj, key);
    if (!v && !required) {
        *out = "";
        return true;
    }
    if (!cJSON_IsString(v) || !v->valuestring) return tm_bad(r, key, v ? "expected a string" : "missing");
    *out = v->valuestring;
    return true;
}

static bool tm_get_int(tm_reader_t *r, const cJSON *obj, const char *key, double lo, double hi, int64_t *out) {
    const cJSON *v = tm_field(obj, key);
    if (!cJSON_IsNumber(v)) return tm_bad(r, key, v ? "expected an integer" : "missing");
    double d = v->valuedouble;
    if (d != floor(d) || d < lo || d > hi) return tm_bad(r, key, "expected an integer in range");
    *out = (int64_t)d;
    return true;
}

/* Numbers, or "Infinity", "-Infinity", "NaN" (JSON has none of those). */
static bool tm_get_double(tm_reader_t *r, const cJSON *obj, const char *key, double *out) {
    const cJSON *v = tm_field(obj, key);
    if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
        return true;
    }
    if (cJSON_IsString(v) && v->valuestring) {
        if (strcmp(v->valuestring, "Infinity") == 0) return *out = INFINITY, true;
        if (strcmp(v->valuestring, "-Infinity") == 0) return *out = -INFINITY, true;
        if (strcmp(v->valuestring, "NaN") == 0) return *out = NAN, true;
    }
    return tm_bad(r, key, v ? "expected a number" : "missing");
}

/* 64-bit hashes are decimal strings: JSON readers often hold numbers as
 * doubles, which keep only 53 bits. */
static bool tm_get_u64_string(tm_reader_t *r, const cJSON *obj, const char *key, uint64_t *out) {
    const char *s;
    if (!tm_get_string(r, obj, key, true, &s)) return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || *s == '-' || *s == ' ' || *s == '+')
        return tm_bad(r, key, "expected an unsigned 64-bit integer as a decimal string");
    *out = v;
    return true;
}

static bool tm_get_value(tm_reader_t *r, const cJSON *obj, const char *key, tm_value_t *out) {
    const cJSON *v = tm_field(obj, key);
    if (!cJSON_IsObject(v)) return tm_bad(r, key, v ? "expected an object" : "missing");
    char saved[64];
    snprintf(saved, sizeof saved, "%s", r->where);
    size_t len = strlen(r->where);
    snprintf(r->where + len, sizeof r->where - len, ".%s", key);
    int64_t count = 0;
    bool ok = tm_get_double(r, v, "data", &out->data) && tm_get_int(r, v, "count", 0, 9007199254740992.0, &count) &&
              tm_get_double(r, v, "sum", &out->stats.sum) && tm_get_double(r, v, "min", &out->stats.min) &&
              tm_get_double(r, v, "max", &out->stats.max) && tm_get_double(r, v, "sqr", &out->stats.sqr);
    out->stats.count = (uint64_t)count;
    /* optional: a writer without it leaves it to be derived from sqr */
    if (ok && tm_field(v, "variance")) {
        ok = tm_get_double(r, v, "variance", &out->stats.variance);
    } else if (ok) {
        const double n = (double)count, mean = n > 0 ? out->stats.sum / n : 0.0;
        const double var = count > 1 ? out->stats.sqr / n - mean * mean : 0.0;
        out->stats.variance = var > 0 ? var : 0.0;
    }
    snprintf(r->where, sizeof r->where, "%s", saved);
    return ok;
}

static int tm_hex(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The label: "label_hex" (exact bytes of a non-UTF-8 label) when present. */
static bool tm_get_label(tm_reader_t *r, const cJSON *node, const char **out) {
    if (!tm_get_string(r, node, "label", true, out)) return false;
    const cJSON *hex = tm_field(node, "label_hex");
    if (!hex) return true;
    const char *h = cJSON_IsString(hex) ? hex->valuestring : NULL;
    size_t n = h ? strlen(h) : 1;
    if (!h || n % 2) return tm_bad(r, "label_hex", "expected an even number of hex digits");
    char *bytes = malloc(n / 2 + 1);
    if (!bytes) return tm_bad(r, "label_hex", "out of memory");
    for (size_t i = 0; i < n / 2; ++i) {
        int hi = tm_hex(h[2 * i]), lo = tm_hex(h[2 * i + 1]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            free(bytes);
            return tm_bad(r, "label_hex", "expected hex digits of non-zero bytes");
        }
        bytes[i] = (char)(hi * 16 + lo);
    }
    bytes[n / 2] = '\0';
    *out = tm_profile_strdup(r->p, bytes);
    free(bytes);
    return *out ? true : tm_bad(r, "label_hex", "out of memory");
}

static bool tm_read_metadata(tm_reader_t *r, const cJSON *root) {
    snprintf(r->where, sizeof r->where, "metadata");
    const cJSON *m = tm_field(root, "metadata");
    if (!cJSON_IsObject(m)) return tm_bad(r, "", m ? "expected an object" : "missing");
    tm_profile_t *p = r->p;
    tm_run_info_t *info = &p->info;
    const char *s[10];
    static const char *const keys[] = {"component",        "label",    "unit",       "kind",     "description",
                                       "timemory_version", "hostname", "start_time", "end_time", "name"};
    for (int i = 0; i < 10; ++i)
        if (!tm_get_string(r, m, keys[i], i < 4, &s[i]) || !(s[i] = tm_profile_strdup(p, s[i])))
            return r->rc != TM_OK ? false : tm_bad(r, keys[i], "out of memory");
    info->component = s[0], info->label = s[1], info->unit = s[2], info->kind = s[3], info->description = s[4];
    info->timemory_version = s[5], info->hostname = s[6], info->start_time = s[7], info->end_time = s[8];
    info->name = s[9];
    int64_t v = 0;
    if (tm_field(m, "pid") && !tm_get_int(r, m, "pid", -9007199254740992.0, 9007199254740992.0, &v)) return false;
    info->pid = v;
    v = 1;
    if (tm_field(m, "runs") && !tm_get_int(r, m, "runs", 1, 9007199254740992.0, &v)) return false;
    info->runs = (uint64_t)v;
    v = 0;
    if (tm_field(m, "thread_count") && !tm_get_int(r, m, "thread_count", 0, 9007199254740992.0, &v)) return false;
    r->file_threads = (uint64_t)v;
    int kind = tm_kind_parse(info->kind);
    if (kind < 0) return tm_bad(r, "kind", "expected DELTA, HWM, LEVEL, TALLY, RATIO or STORE");
    p->kind = (tm_kind_t)kind;
    int id = tm_component_find(info->component);
    p->component = id >= 0 ? id : -1;
    const cJSON *argv = tm_field(m, "command_line");
    if (argv) {
        if (!cJSON_IsArray(argv)) return tm_bad(r, "command_line", "expected an array of strings");
        size_t n = (size_t)cJSON_GetArraySize(argv), k = 0;
        const char **a = calloc(n ? n : 1, sizeof *a);
        if (!a) return tm_bad(r, "command_line", "out of memory");
        info->argv = a;
        for (const cJSON *e = argv->child; e; e = e->next) {
            if (!cJSON_IsString(e)) return tm_bad(r, "command_line", "expected an array of strings");
            if (!(a[k++] = tm_profile_strdup(p, e->valuestring))) return tm_bad(r, "command_line", "out of memory");
        }
        info->argc = k;
    }
    const cJSON *settings = tm_field(m, "settings");
    if (settings) {
        if (!cJSON_IsObject(settings)) return tm_bad(r, "settings", "expected an object of strings");
        size_t n = (size_t)cJSON_GetArraySize(settings), k = 0;
        const char **names = calloc(n ? n : 1, sizeof *names), **values = calloc(n ? n : 1, sizeof *values);
        info->setting_names = names;
        info->setting_values = values;
        if (!names || !values) return tm_bad(r, "settings", "out of memory");
        for (const cJSON *e = settings->child; e; e = e->next, ++k) {
            if (!cJSON_IsString(e)) return tm_bad(r, "settings", "expected an object of strings");
            names[k] = tm_profile_strdup(p, e->string);
            values[k] = tm_profile_strdup(p, e->valuestring);
            if (!names[k] || !values[k]) return tm_bad(r, "settings", "out of memory");
        }
        info->n_settings = k;
    }
    const char *layout;
    if (!tm_get_string(r, m, "layout", false, &layout)) return false;
    if (*layout && strcmp(layout, "flat") != 0 && strcmp(layout, "tree") != 0)
        return tm_bad(r, "layout", "expected \"flat\" or \"tree\"");
    p->layout = *layout == 'f' ? "flat" : *layout == 't' ? "tree" : "";
    const char *bad = tm_json_read_rank_meta(p, m);
    return bad ? tm_bad(r, "", bad) : true;
}

static bool tm_read_ids(tm_reader_t *r, const cJSON *node, const char *key, cJSON **out) {
    const cJSON *v = tm_field(node, key);
    if (!cJSON_IsArray(v)) return tm_bad(r, key, v ? "expected an array" : "missing");
    *out = (cJSON *)v;
    return true;
}

/* The optional "seq" of a record (its thread's flat position when that is
 * not the tree order). */
static bool tm_read_seq(tm_reader_t *r, const cJSON *obj, tm_prec_t *rec) {
    int64_t seq;
    if (!tm_field(obj, "seq")) return true;
    if (!tm_get_int(r, obj, "seq", 0, 4294967294.0, &seq)) return false;
    rec->seq = (uint32_t)seq;
    return true;
}

/* One thread's values: a "threads" item. */
static bool tm_read_record(tm_reader_t *r, uint32_t id, const cJSON *t) {
    int64_t tid = 0, pid = 0;
    tm_value_t incl, excl;
    if (!tm_get_int(r, t, "tid", 0, 4294967295.0, &tid) ||
        !tm_get_int(r, t, "pid", -9007199254740992.0, 9007199254740992.0, &pid) ||
        !tm_get_value(r, t, "inclusive", &incl) || !tm_get_value(r, t, "exclusive", &excl))
        return false;
    tm_prec_t *rec = tm_profile_add_record(r->p, id, (uint32_t)tid, pid, &incl, &excl);
    if (!rec) return tm_bad(r, "threads", "out of memory");
    return tm_read_seq(r, t, rec);
}

/* The "tids" and "pids" of a node of a merged tree ("layout": "tree")
 * kept as id sets without values; with `missing_only`, only the ids the
 * node's records do not have. */
static bool tm_read_id_sets(tm_reader_t *r, uint32_t id, const cJSON *tids, const cJSON *pids, bool missing_only) {
    const tm_pnode_t *n = &r->p->nodes[id];
    size_t nt = (size_t)cJSON_GetArraySize(tids), np = (size_t)cJSON_GetArraySize(pids), kt = 0, kp = 0;
    uint32_t *t = malloc((nt ? nt : 1) * sizeof *t);
    int64_t *q = malloc((np ? np : 1) * sizeof *q);
    bool ok = t && q;
    if (!ok) tm_bad(r, "tids", "out of memory");
    for (const cJSON *e = tids->child; ok && e; e = e->next) {
        double d = cJSON_IsNumber(e) ? e->valuedouble : -1;
        if (d < 0 || d > 4294967295.0 || d != floor(d)) {
            ok = tm_bad(r, "tids", "expected thread indexes");
            break;
        }
        bool have = false;
        for (uint32_t i = 0; missing_only && i < n->n_recs && !have; ++i) have = n->recs[i].tid == (uint32_t)d;
        if (!have) t[kt++] = (uint32_t)d;
    }
    for (const cJSON *e = pids->child; ok && e; e = e->next) {
        double d = cJSON_IsNumber(e) ? e->valuedouble : 0.5;
        if (d != floor(d) || fabs(d) > 9007199254740992.0) {
            ok = tm_bad(r, "pids", "expected process ids");
            break;
        }
        bool have = false;
        for (uint32_t i = 0; missing_only && i < n->n_recs && !have; ++i) have = n->recs[i].pid == (int64_t)d;
        if (!have) q[kp++] = (int64_t)d;
    }
    if (ok && !tm_profile_add_ids(r->p, id, t, kt, q, kp)) ok = tm_bad(r, "tids", "out of memory");
    free(t);
    free(q);
    return ok;
}

static bool tm_read_node(tm_reader_t *r, uint32_t index, const cJSON *node, uint32_t *map) {
    snprintf(r->where, sizeof r->where, "nodes[%u]", index);
    tm_profile_t *p = r->p;
    if (!cJSON_IsObject(node)) return tm_bad(r, "", "expected an object");
    int64_t parent, depth;
    const char *kind_word, *label;
    uint64_t hash, rolling;
    if (!tm_get_int(r, node, "parent", -1, (double)index - 1, &parent) ||
        !tm_get_string(r, node, "kind", true, &kind_word) || !tm_get_label(r, node, &label) ||
        !tm_get_u64_string(r, node, "hash", &hash) || !tm_get_u64_string(r, node, "rolling_hash", &rolling) ||
        !tm_get_int(r, node, "depth", -1, 2147483647.0, &depth))
        return false;
    int kind = strcmp(kind_word, "region") == 0 ? TM_PNODE_REGION
               : strcmp(kind_word, "root") == 0 ? TM_PNODE_ROOT
               : strcmp(kind_word, "fork") == 0 ? TM_PNODE_FORK
                                                : -1;
    if (kind < 0) return tm_bad(r, "kind", "expected \"region\", \"root\" or \"fork\"");
    if (kind != TM_PNODE_REGION && hash != 0) return tm_bad(r, "hash", "a root or fork node has hash \"0\"");
    if (kind == TM_PNODE_REGION && hash != tm_hash_string(label)) return tm_bad(r, "hash", "is not the label's hash");
    uint32_t before = p->n_nodes;
    uint32_t id = tm_profile_child(p, parent < 0 ? TM_PNONE : map[parent], kind, label, hash, depth);
    if (id == TM_PNONE) return tm_bad(r, "", "out of memory");
    if (id < before) return tm_bad(r, "label", "the same path appears twice");
    if (p->nodes[id].rolling != rolling)
        return tm_bad(r, "rolling_hash", "is not the parent's rolling_hash plus this node's hash");
    map[index] = id;
    if (!tm_get_value(r, node, "inclusive", &p->nodes[id].incl) ||
        !tm_get_value(r, node, "exclusive", &p->nodes[id].excl))
        return false;
    cJSON *tids, *pids;
    if (!tm_read_ids(r, node, "tids", &tids) || !tm_read_ids(r, node, "pids", &pids)) return false;
    const cJSON *threads = tm_field(node, "threads");
    if (threads) {
        if (!cJSON_IsArray(threads)) return tm_bad(r, "threads", "expected an array");
        int k = 0;
        for (const cJSON *t = threads->child; t; t = t->next, ++k) {
            snprintf(r->where, sizeof r->where, "nodes[%u].threads[%d]", index, k);
            if (!cJSON_IsObject(t)) return tm_bad(r, "", "expected an object");
            if (!tm_read_record(r, id, t)) return false;
        }
        snprintf(r->where, sizeof r->where, "nodes[%u]", index);
        /* a merged tree may list more ids than it has values for */
        return strcmp(p->layout, "tree") != 0 || tm_read_id_sets(r, id, tids, pids, true);
    }
    int nt = cJSON_GetArraySize(tids), np = cJSON_GetArraySize(pids);
    if (nt == 0 && np == 0) return true;
    if (nt != 1 || np != 1) {
        if (strcmp(p->layout, "tree") == 0) return tm_read_id_sets(r, id, tids, pids, false);
        return tm_bad(r, "threads", "missing: a node of several threads lists their values");
    }
    if (!cJSON_IsNumber(tids->child) || !cJSON_IsNumber(pids->child)) return tm_bad(r, "tids", "expected integers");
    /* range-checked as doubles first: casting an out-of-range double is undefined */
    const double dt = tids->child->valuedouble, dp = pids->child->valuedouble;
    if (!(dt >= 0 && dt <= 4294967295.0) || dt != floor(dt)) return tm_bad(r, "tids", "expected a thread index");
    if (!(dp >= -9007199254740992.0 && dp <= 9007199254740992.0) || dp != floor(dp))
        return tm_bad(r, "pids", "expected a process id (an integer of at most 2^53)");
    const int64_t tid = (int64_t)dt, pid = (int64_t)dp;
    tm_prec_t *rec = tm_profile_add_record(p, id, (uint32_t)tid, pid, &p->nodes[id].incl, &p->nodes[id].excl);
    if (!rec) return tm_bad(r, "", "out of memory");
    return tm_read_seq(r, node, rec);
}

/* Records without "seq" are in tree order: number them so. */
static bool tm_read_fill_seq(tm_profile_t *p) {
    size_t n = 0;
    tm_thread_pos_t *threads = tm_profile_threads(p, &n);
    if (!threads) return false;
    for (uint32_t i = p->first_top; i != TM_PNONE; i = tm_profile_next(p, i))
        for (uint32_t r = 0; p->nodes[i].kind == TM_PNODE_REGION && r < p->nodes[i].n_recs; ++r) {
            uint32_t pos = tm_thread_pos_next(threads, n, &p->nodes[i].recs[r]);
            if (p->nodes[i].recs[r].seq == TM_PNONE) p->nodes[i].recs[r].seq = pos;
        }
    free(threads);
    return true;
}

/* 1-based line and column of byte `offset`. */
static void tm_line_col(const char *text, size_t offset, size_t *line, size_t *col) {
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n')
            ++*line, *col = 1;
        else
            ++*col;
    }
}

/* The nodes array at text[open] ('['), one element parsed at a time in an
 * arena emptied after each. */
static void tm_read_nodes_streamed(tm_reader_t *r, const char *text, size_t len, size_t open, uint32_t **map_out) {
    uint32_t *map = NULL, cap = 0, i = 0;
    size_t at = tm_skip_ws(text, len, open + 1);
    while (r->rc == TM_OK && at < len && text[at] != ']') {
        size_t end_at = tm_skip_value(text, len, at);
        tm_json_arena_reset();
        const char *end = NULL;
        cJSON *node = cJSON_ParseWithLengthOpts(text + at, end_at - at, &end, 0);
        if (!node) {
            size_t offset = end && end >= text + at && end <= text + end_at ? (size_t)(end - text) : end_at, line, col;
            tm_line_col(text, offset, &line, &col);
            r->rc = tm_fail(TM_E_INVALID, "%s:%zu:%zu: not valid JSON at byte %zu of %zu (nodes[%u])", r->name, line,
                            col, offset, len, i);
            break;
        }
        if (i == cap) {
            uint32_t *bigger = realloc(map, (size_t)(cap ? cap * 2 : 1024) * sizeof *map);
            if (!bigger) {
                r->rc = tm_fail(TM_E_NOMEM, "%s: out of memory", r->name);
                break;
            }
            map = bigger;
            cap = cap ? cap * 2 : 1024;
        }
        if (!tm_read_node(r, i, node, map)) break;
        ++i;
        at = tm_skip_ws(text, len, end_at);
        if (at < len && text[at] == ',')
            at = tm_skip_ws(text, len, at + 1);
        else if (at >= len || text[at] != ']') {
            size_t line, col;
            tm_line_col(text, at < len ? at : len, &line, &col);
            r->rc = tm_fail(TM_E_INVALID, "%s:%zu:%zu: not valid JSON after nodes[%u]", r->name, line, col, i - 1);
        }
    }
    *map_out = map;
}

int tm_profile_parse(const char *text, size_t len, const char *name, tm_profile_t **out) {
    if (!out) return tm_fail(TM_E_INVALID, "output pointer is NULL");
    *out = NULL;
    if (!name) name = "<text>";
    if (!text) return tm_fail(TM_E_INVALID, "%s: no text", name);
    const char *end = NULL;
    pthread_once(&tm_json_hooks_once, tm_json_install_hooks);
    tm_json_arena_on = true;
    /* everything but the nodes at once ("nodes": [] in its place), then
     * the nodes one by one */
    size_t open = 0, close = 0;
    char *head = NULL;
    size_t head_len = 0;
    if (tm_find_nodes(text, len, &open, &close) && (head = malloc(len - (close - open - 1) + 1))) {
        memcpy(head, text, open + 1);
        memcpy(head + open + 1, text + close, len - close);
        head_len = len - (close - open - 1);
        head[head_len] = '\0';
    }
    cJSON *root =
        head ? cJSON_ParseWithLengthOpts(head, head_len, &end, 0) : cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root && head) { /* positions in the text, not in the head */
        size_t at = end && end >= head && end <= head + head_len ? (size_t)(end - head) : head_len;
        end = text + (at > open ? at + (close - open - 1) : at);
    }
    free(head);
    if (!root) {
        tm_json_arena_release();
        size_t offset = end && end >= text && end <= text + len ? (size_t)(end - text) : len, line, col;
        tm_line_col(text, offset, &line, &col);
        size_t last = len;
        while (last > 0 &&
               (text[last - 1] == ' ' || text[last - 1] == '\n' || text[last - 1] == '\r' || text[last - 1] == '\t'))
            --last;
        bool truncated = last == 0 || text[last - 1] != '}';
        return tm_fail(TM_E_INVALID, "%s:%zu:%zu: not valid JSON at byte %zu of %zu%s", name, line, col, offset, len,
                       truncated ? " (unexpected end of the file: it looks truncated)" : "");
    }
    tm_reader_t r = {tm_profile_new(), name, "", TM_OK, 0};
    if (r.p && !(r.p->source = tm_profile_strdup(r.p, name))) r.rc = tm_fail(TM_E_NOMEM, "%s: out of memory", name);
    uint32_t *map = NULL;
    const cJSON *format = tm_field(root, "format"), *version = tm_field(root, "format_version");
    if (!r.p || r.rc != TM_OK) {
        r.rc = tm_fail(TM_E_NOMEM, "%s: out of memory", name);
    } else if (!cJSON_IsObject(root) || !cJSON_IsString(format) || strcmp(format->valuestring, "timemory-c") != 0) {
        r.rc = tm_fail(TM_E_INVALID,
                       "%s: not a timemory-c profile (the top-level object has no \"format\": "
                       "\"timemory-c\")",
                       name);
    } else if (!cJSON_IsNumber(version) || version->valuedouble != floor(version->valuedouble) ||
               version->valuedouble < 1 || version->valuedouble > TM_JSON_FORMAT_VERSION) {
        r.rc = tm_fail(TM_E_INVALID, "%s: format_version %g is not one this build reads (1 to %d)", name,
                       cJSON_IsNumber(version) ? version->valuedouble : 0.0, TM_JSON_FORMAT_VERSION);
    } else if (tm_read_metadata(&r, root)) {
        snprintf(r.where, sizeof r.where, "nodes");
        const cJSON *nodes = tm_field(root, "nodes");
        if (!cJSON_IsArray(nodes)) {
            tm_bad(&r, "", nodes ? "expected an array" : "missing");
        } else if (head_len) {
            tm_read_nodes_streamed(&r, text, len, open, &map);
        } else {
            int n = cJSON_GetArraySize(nodes);
            map = malloc((size_t)(n ? n : 1) * sizeof *map);
            if (!map) r.rc = tm_fail(TM_E_NOMEM, "%s: out of memory", name);
            uint32_t i = 0;
            for (const cJSON *node = nodes->child; map && node; node = node->next, ++i)
                if (!tm_read_node(&r, i, node, map)) break;
        }
        if (r.rc == TM_OK && !tm_read_fill_seq(r.p)) r.rc = tm_fail(TM_E_NOMEM, "%s: out of memory", name);
    }
    free(map);
    tm_json_arena_release(); /* the whole document at once, not cJSON_Delete */
    if (r.rc != TM_OK) {
        tm_profile_free(r.p);
        return r.rc;
    }
    r.p->info.format_version = TM_JSON_FORMAT_VERSION;
    tm_run_info_count_threads(r.p);
    if (r.p->ids_only && r.p->info.thread_count < r.file_threads) r.p->info.thread_count = r.file_threads;
    *out = r.p;
    return TM_OK;
}

int tm_profile_load(const char *path, tm_profile_t **out) {
    if (!out) return tm_fail(TM_E_INVALID, "output pointer is NULL");
    *out = NULL;
    if (!path) return tm_fail(TM_E_INVALID, "path is NULL");
    FILE *f = fopen(path, "rb");
    if (!f) return tm_fail(TM_E_IO, "cannot read %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    while (text) {
        len += fread(text + len, 1, cap - len, f);
        if (len < cap) break;
        char *bigger = realloc(text, cap * 2);
        if (!bigger) {
            free(text);
            text = NULL;
            break;
        }
        text = bigger;
        cap *= 2;
    }
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (!text) return tm_fail(TM_E_NOMEM, "cannot read %s: out of memory", path);
    if (err) {
        free(text);
        return tm_fail(TM_E_IO, "cannot read %s: %s", path, strerror(err));
    }
    int rc = tm_profile_parse(text, len, path, out);
    free(text);
    return rc;
}
