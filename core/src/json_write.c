/* Writes a profile as the documented JSON (docs/json-format.md): streamed,
 * one node per line, doubles with enough digits to read back bit for bit. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label_text.h"
#include "profile.h"
#include "rank_table.h"

/* The label as a string, plus "label_hex" (its exact bytes) when it is not
 * valid UTF-8: JSON text must be UTF-8, and this keeps such labels exact. */
static void tm_json_label(FILE *out, const char *label) {
    fputs("\"label\": ", out);
    if (tm_json_write_string_replacing(out, label)) return;
    fputs(", \"label_hex\": \"", out);
    for (const unsigned char *s = (const unsigned char *)label; *s; ++s) fprintf(out, "%02x", *s);
    fputc('"', out);
}

/* A double; JSON has no inf/nan, so those are the strings "Infinity",
 * "-Infinity", "NaN". */
static void tm_json_double(FILE *out, double v) {
    if (isnan(v))
        fputs("\"NaN\"", out);
    else if (isinf(v))
        fputs(v > 0 ? "\"Infinity\"" : "\"-Infinity\"", out);
    else if (v == 0 && !signbit(v))
        fputc('0', out);
    else {
        /* 15 digits when they read back exactly (0.013160438, not
         * 0.013160438000000001): smaller files, faster to read */
        char buf[40];
        snprintf(buf, sizeof buf, "%.15g", v);
        if (strtod(buf, NULL) != v) snprintf(buf, sizeof buf, "%.17g", v);
        fputs(buf, out);
    }
}

static void tm_json_value(FILE *out, const char *key, const tm_value_t *v) {
    fprintf(out, "\"%s\": {\"data\": ", key);
    tm_json_double(out, v->data);
    fprintf(out, ", \"count\": %" PRIu64 ", \"sum\": ", v->stats.count);
    tm_json_double(out, v->stats.sum);
    fputs(", \"min\": ", out);
    tm_json_double(out, v->stats.min);
    fputs(", \"max\": ", out);
    tm_json_double(out, v->stats.max);
    fputs(", \"sqr\": ", out);
    tm_json_double(out, v->stats.sqr);
    /* population variance, as recorded (Welford per sample, Chan per merge) */
    fputs(", \"variance\": ", out);
    tm_json_double(out, v->stats.variance);
    fputc('}', out);
}

static const char *const tm_kind_words[] = {"region", "root", "fork"};

/* "tids", "pids" (the sets: records and ids without records united), and
 * "threads" when more than one thread recorded the node (one thread's
 * values are the node's own) or when its one record is not all of its ids. */
static bool tm_json_records(FILE *out, const tm_pnode_t *n, tm_thread_pos_t *threads, size_t n_threads) {
    uint32_t *tids;
    int64_t *pids;
    size_t nt, np;
    if (!tm_pnode_ids(n, &tids, &nt, &pids, &np)) return false;
    fputs(", \"tids\": [", out);
    for (size_t i = 0; i < nt; ++i) fprintf(out, "%s%" PRIu32, i ? ", " : "", tids[i]);
    fputs("], \"pids\": [", out);
    for (size_t i = 0; i < np; ++i) fprintf(out, "%s%" PRId64, i ? ", " : "", pids[i]);
    fputc(']', out);
    free(tids);
    free(pids);
    bool list = n->n_recs > 1 || (n->n_recs == 1 && (n->n_set_tids || n->n_set_pids));
    /* "seq": a thread's flat position, only where it is not the tree order */
    long long *seq = malloc((n->n_recs ? n->n_recs : 1) * sizeof *seq);
    if (!seq) return false;
    for (uint32_t r = 0; r < n->n_recs; ++r) {
        uint32_t pos = n->kind == TM_PNODE_REGION ? tm_thread_pos_next(threads, n_threads, &n->recs[r]) : TM_PNONE;
        bool own_order = n->kind == TM_PNODE_REGION && n->recs[r].seq != TM_PNONE && n->recs[r].seq != pos;
        seq[r] = own_order ? (long long)n->recs[r].seq : -1;
    }
    if (!list && n->n_recs == 1 && seq[0] >= 0) fprintf(out, ", \"seq\": %lld", seq[0]);
    if (list) {
        fputs(", \"threads\": [", out);
        for (uint32_t r = 0; r < n->n_recs; ++r) {
            fprintf(out, "%s{\"tid\": %" PRIu32 ", \"pid\": %" PRId64 ", ", r ? ", " : "", n->recs[r].tid,
                    n->recs[r].pid);
            if (seq[r] >= 0) fprintf(out, "\"seq\": %lld, ", seq[r]);
            tm_json_value(out, "inclusive", &n->recs[r].incl);
            fputs(", ", out);
            tm_json_value(out, "exclusive", &n->recs[r].excl);
            fputc('}', out);
        }
        fputc(']', out);
    }
    free(seq);
    return true;
}

static void tm_json_metadata(FILE *out, const tm_run_info_t *m, const char *layout) {
    fputs("  \"metadata\": {\n    \"name\": ", out);
    tm_json_write_string_replacing(out, m->name);
    fputs(",\n    \"component\": ", out);
    tm_json_write_string_replacing(out, m->component);
    fputs(",\n    \"label\": ", out);
    tm_json_write_string_replacing(out, m->label);
    fputs(",\n    \"unit\": ", out);
    tm_json_write_string_replacing(out, m->unit);
    fputs(",\n    \"kind\": ", out);
    tm_json_write_string_replacing(out, m->kind);
    fputs(",\n    \"description\": ", out);
    tm_json_write_string_replacing(out, m->description);
    fputs(",\n    \"timemory_version\": ", out);
    tm_json_write_string_replacing(out, m->timemory_version);
    fprintf(out, ",\n    \"pid\": %" PRId64 ",\n    \"hostname\": ", m->pid);
    tm_json_write_string_replacing(out, m->hostname);
    fputs(",\n    \"command_line\": [", out);
    for (size_t i = 0; i < m->argc; ++i) {
        if (i) fputs(", ", out);
        tm_json_write_string_replacing(out, m->argv[i]);
    }
    fputs("],\n    \"start_time\": ", out);
    tm_json_write_string_replacing(out, m->start_time);
    fputs(",\n    \"end_time\": ", out);
    tm_json_write_string_replacing(out, m->end_time);
    fprintf(out, ",\n    \"thread_count\": %" PRIu64 ",\n    \"runs\": %" PRIu64 ",\n    \"settings\": {",
            m->thread_count, m->runs);
    for (size_t i = 0; i < m->n_settings; ++i) {
        fputs(i ? ", " : "", out);
        tm_json_write_string_replacing(out, m->setting_names[i]);
        fputs(": ", out);
        tm_json_write_string_replacing(out, m->setting_values[i]);
    }
    fputc('}', out);
    tm_json_write_rank_meta(out, m);
    if (layout && *layout) {
        fputs(",\n    \"layout\": ", out);
        tm_json_write_string_replacing(out, layout);
    }
    fputs("\n  },\n", out);
}

int tm_profile_write_json(const tm_profile_t *p, void *file) {
    FILE *out = file;
    if (!p || !out) return tm_fail(TM_E_INVALID, "profile or output file is NULL");
    /* nodes are written depth-first; a node's "parent" is its parent's
     * position in that order */
    uint32_t *pos = malloc((p->n_nodes ? p->n_nodes : 1) * sizeof *pos);
    size_t n_threads = 0;
    tm_thread_pos_t *threads = tm_profile_threads(p, &n_threads);
    if (!pos || !threads) {
        free(pos);
        free(threads);
        return tm_fail(TM_E_NOMEM, "out of memory writing a profile");
    }
    fprintf(out, "{\n  \"format\": \"timemory-c\",\n  \"format_version\": %d,\n", TM_JSON_FORMAT_VERSION);
    /* a profile with ids but no records at some node reads back only as a tree */
    tm_json_metadata(out, &p->info, p->ids_only ? "tree" : p->layout);
    fputs("  \"nodes\": [", out);
    uint32_t k = 0;
    bool ok = true;
    for (uint32_t i = p->first_top; ok && i != TM_PNONE; i = tm_profile_next(p, i)) {
        const tm_pnode_t *n = &p->nodes[i];
        pos[i] = k;
        fprintf(out, "%s\n    {\"parent\": %" PRId64 ", \"kind\": \"%s\", ", k ? "," : "",
                n->parent == TM_PNONE ? (int64_t)-1 : (int64_t)pos[n->parent], tm_kind_words[n->kind]);
        tm_json_label(out, n->label);
        fprintf(out, ", \"hash\": \"%" PRIu64 "\", \"rolling_hash\": \"%" PRIu64 "\", \"depth\": %" PRId64, n->hash,
                n->rolling, n->depth);
        ok = tm_json_records(out, n, threads, n_threads);
        tm_json_write_node_ranks(out, &p->info, n);
        fputs(", ", out);
        tm_json_value(out, "inclusive", &n->incl);
        fputs(", ", out);
        tm_json_value(out, "exclusive", &n->excl);
        fputc('}', out);
        ++k;
    }
    fputs("\n  ]\n}\n", out);
    free(pos);
    free(threads);
    if (!ok) return tm_fail(TM_E_NOMEM, "out of memory writing a profile");
    if (fflush(out) != 0 || ferror(out))
        return tm_fail(TM_E_IO, "error writing the %s profile: %s", p->info.component, strerror(errno));
    return TM_OK;
}

int tm_profile_save(const tm_profile_t *p, const char *path) {
    if (!p || !path) return tm_fail(TM_E_INVALID, "profile or path is NULL");
    FILE *f = fopen(path, "w");
    if (!f) return tm_fail(TM_E_IO, "cannot write %s: %s", path, strerror(errno));
    char buf[1 << 16];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    int rc = tm_profile_write_json(p, f);
    int err = errno;
    if (rc == TM_E_IO) rc = tm_fail(TM_E_IO, "cannot write %s: %s", path, strerror(err));
    if (fclose(f) != 0 && rc == TM_OK) rc = tm_fail(TM_E_IO, "cannot write %s: %s", path, strerror(errno));
    return rc;
}
