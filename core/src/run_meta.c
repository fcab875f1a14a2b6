/* The metadata written with every profile: component, version, process,
 * host, command line, start and end time, settings, thread count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "multiproc.h"
#include "profile.h"
#include "rank_table.h"
#include "run_name.h"

/* The version written in the files: the library's. */
const char *tm_report_version(void) { return tm_version(); }

/* "2026-11-29T23:07:47.120Z" for `sec` + `msec` since the epoch. */
static void tm_iso8601(time_t sec, long msec, char *buf, size_t n) {
    struct tm utc;
    gmtime_r(&sec, &utc);
    size_t k = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(buf + k, n - k, ".%03ldZ", msec);
}

/* Process start: /proc/self/stat field 22 (ticks after boot) + btime. */
static bool tm_process_start(time_t *sec, long *msec) {
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f) return false;
    char line[4096];
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    const char *p = ok ? strrchr(line, ')') : NULL; /* the command may hold spaces */
    if (!p) return false;
    unsigned long long ticks = 0;
    int field = 2;
    for (const char *s = p + 1; *s && field < 22; ++s)
        if (*s == ' ' && ++field == 22) ticks = strtoull(s + 1, NULL, 10);
    if (field != 22) return false;
    f = fopen("/proc/stat", "r");
    if (!f) return false;
    unsigned long long btime = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "btime %llu", &btime) == 1) break;
    fclose(f);
    long hz = sysconf(_SC_CLK_TCK);
    if (!btime || hz <= 0) return false;
    *sec = (time_t)(btime + ticks / (unsigned long long)hz);
    *msec = (long)((ticks % (unsigned long long)hz) * 1000 / (unsigned long long)hz);
    return true;
}

/* argv from /proc/self/cmdline (NUL-separated) into the profile. */
static bool tm_capture_argv(tm_profile_t *p) {
    FILE *f = fopen("/proc/self/cmdline", "r");
    char buf[65536];
    size_t len = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[len] = '\0';
    size_t argc = 0;
    for (size_t i = 0; i < len; i += strlen(buf + i) + 1) ++argc;
    const char **argv = calloc(argc ? argc : 1, sizeof *argv);
    if (!argv) return false;
    size_t k = 0;
    for (size_t i = 0; i < len && k < argc; i += strlen(buf + i) + 1)
        if (!(argv[k++] = tm_profile_strdup(p, buf + i))) {
            free(argv);
            return false;
        }
    p->info.argv = argv;
    p->info.argc = argc;
    return true;
}

static bool tm_capture_settings(tm_profile_t *p) {
    size_t n = tm_settings_count();
    const char **names = calloc(n ? n : 1, sizeof *names), **values = calloc(n ? n : 1, sizeof *values);
    bool ok = names && values;
    for (size_t i = 0; ok && i < n; ++i) {
        const tm_setting_desc_t *d = tm_settings_desc(i);
        names[i] = tm_profile_strdup(p, d->name);
        values[i] = tm_profile_strdup(p, tm_settings_get(d->name));
        ok = names[i] && values[i];
    }
    if (!ok) {
        free(names);
        free(values);
        return false;
    }
    p->info.setting_names = names;
    p->info.setting_values = values;
    p->info.n_settings = n;
    return true;
}

int tm_run_info_capture(tm_profile_t *p, int component) {
    const tm_component_desc_t *d = tm_component_desc(component);
    tm_run_info_t *info = &p->info;
    p->component = component;
    p->kind = d->kind;
    char host[256] = "";
    if (gethostname(host, sizeof host) != 0) host[0] = '\0';
    host[sizeof host - 1] = '\0';
    struct timeval now;
    gettimeofday(&now, NULL);
    char start[64], end[64];
    time_t start_sec = now.tv_sec;
    long start_ms = now.tv_usec / 1000;
    tm_process_start(&start_sec, &start_ms);
    tm_iso8601(start_sec, start_ms, start, sizeof start);
    tm_iso8601(now.tv_sec, now.tv_usec / 1000, end, sizeof end);
    char name[256];
    tm_run_name_copy(name, sizeof name);
    info->name = tm_profile_strdup(p, name);
    info->component = tm_profile_strdup(p, d->name);
    info->label = tm_profile_strdup(p, d->label);
    info->unit = tm_profile_strdup(p, tm_component_unit(component));
    info->kind = tm_profile_strdup(p, tm_kind_name(d->kind));
    info->description = tm_profile_strdup(p, d->description);
    info->timemory_version = tm_profile_strdup(p, tm_report_version());
    info->hostname = tm_profile_strdup(p, host);
    info->start_time = tm_profile_strdup(p, start);
    info->end_time = tm_profile_strdup(p, end);
    info->pid = (int64_t)getpid();
    info->format_version = TM_JSON_FORMAT_VERSION;
    info->runs = 1;
    info->file_suffix = tm_profile_strdup(p, tm_output_suffix());
    int64_t rank = tm_rank_hook ? tm_rank_hook() : -1;
    if (rank >= 0 && !tm_rank_table_add(p, rank, info->pid)) return tm_fail(TM_E_NOMEM, "out of memory");
    if (!info->name || !info->component || !info->label || !info->unit || !info->kind || !info->description ||
        !info->timemory_version || !info->hostname || !info->start_time || !info->end_time || !tm_capture_argv(p) ||
        !tm_capture_settings(p))
        return tm_fail(TM_E_NOMEM, "out of memory capturing the run's metadata");
    return TM_OK;
}

/* Metadata only: what Python's <Class>Storage.dumps() writes results under. */
int tm_profile_capture_info(int component, tm_profile_t **out) {
    if (!out) return tm_fail(TM_E_INVALID, "output pointer is NULL");
    *out = NULL;
    if (!tm_component_desc(component))
        return tm_fail(TM_E_UNKNOWN_COMPONENT, "component id %d is out of range", component);
    tm_profile_t *p = tm_profile_new();
    if (!p) return tm_fail(TM_E_NOMEM, "out of memory capturing a profile");
    int rc = tm_run_info_capture(p, component);
    if (rc != TM_OK) {
        tm_profile_free(p);
        return rc;
    }
    *out = p;
    return TM_OK;
}

static int tm_pair_order(const void *a, const void *b) {
    const tm_prec_t *x = a, *y = b;
    if (x->pid != y->pid) return x->pid < y->pid ? -1 : 1;
    return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* Every thread that recorded adds a record to the root it starts from. */
void tm_run_info_count_threads(tm_profile_t *p) {
    size_t n = 0;
    for (uint32_t t = p->first_top; t != TM_PNONE; t = p->nodes[t].next_sibling) n += p->nodes[t].n_recs;
    tm_prec_t *all = malloc((n ? n : 1) * sizeof *all);
    if (!all) return;
    size_t k = 0;
    for (uint32_t t = p->first_top; t != TM_PNONE; t = p->nodes[t].next_sibling)
        for (uint32_t r = 0; r < p->nodes[t].n_recs; ++r) all[k++] = p->nodes[t].recs[r];
    qsort(all, k, sizeof *all, tm_pair_order);
    uint64_t distinct = 0;
    for (size_t i = 0; i < k; ++i) distinct += i == 0 || tm_pair_order(&all[i - 1], &all[i]) != 0;
    free(all);
    p->info.thread_count = distinct;
}
