/* timem: the JSON report (-o FILE). */
#define _GNU_SOURCE
#include "tools/timem/json.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "tools/timem/report.h"

static void json_string(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; ++p) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* The shortest of %.15g and %.17g that reads back as v: values as large as
 * an ASan process's 20 TB of virtual memory keep every digit of the text
 * report. */
static void json_number(FILE *out, double v) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, sizeof buf, "%.17g", v);
    fputs(buf, out);
}

static const char *unit_of(timem_metric_kind_t kind) {
    switch (kind) {
    case TIMEM_SECONDS: return "sec";
    case TIMEM_PERCENT: return "%";
    case TIMEM_MEGABYTES:
    case TIMEM_IO: return "MB";
    case TIMEM_COUNT: return "";
    }
    return "";
}

int timem_json_write(FILE *out, char **command, int exit_status, const timem_run_t *run, const timem_totals_t *t,
                     const bool selected[TIMEM_METRIC_COUNT]) {
    errno = 0;
    fputs("{\n  \"timem\": {\n    \"command\": [", out);
    for (char **a = command; *a; ++a) {
        if (a != command) fputs(", ", out);
        json_string(out, *a);
    }
    fprintf(out, "],\n    \"pid\": %ld,\n    \"exit_status\": %d,\n", (long)run->pid, exit_status);
    if (WIFSIGNALED(run->wait_status)) fprintf(out, "    \"signal\": %d,\n", WTERMSIG(run->wait_status));
    fprintf(out, "    \"sample_interval_ms\": %d,\n    \"samples\": %lld,\n", TIMEM_SAMPLE_INTERVAL_MS,
            (long long)run->nsamples);
    fputs("    \"measurements\": {", out);

    int n = 0;
    for (int i = 0; i < TIMEM_METRIC_COUNT; ++i) {
        if (!selected[i]) continue;
        const timem_metric_t *m = &timem_metrics[i];
        double scale = (m->kind == TIMEM_MEGABYTES || m->kind == TIMEM_IO) ? TIMEM_BYTES_PER_MB : 1.0;
        fprintf(out, "%s\n      ", n++ ? "," : "");
        json_string(out, m->name);
        fputs(": {\"label\": ", out);
        json_string(out, m->label);
        if (m->kind == TIMEM_COUNT)
            fprintf(out, ", \"value\": %.0f", t->value[i]);
        else {
            fputs(", \"value\": ", out);
            json_number(out, t->value[i] / scale);
        }
        fprintf(out, ", \"unit\": \"%s\"", unit_of(m->kind));
        if (m->kind == TIMEM_IO) {
            fputs(", \"rate\": ", out);
            json_number(out, t->rate[i] / scale);
            fputs(", \"rate_unit\": \"MB/sec\"", out);
        }
        if (i == TIMEM_page_rss || i == TIMEM_virtual_memory) {
            fputs(", \"max_sampled\": ", out);
            json_number(out, (double)(i == TIMEM_page_rss ? run->max_rss_bytes : run->max_vm_bytes) / scale);
        }
        fputc('}', out);
    }
    fputs("\n    }\n  }\n}\n", out);
    if (fflush(out) != 0 || ferror(out)) {
        if (errno == 0) errno = EIO;
        return -1;
    }
    return 0;
}
