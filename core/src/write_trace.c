/* <component>.trace.json: the timeline as Chrome trace-event JSON ("X"
 * complete events, µs timestamps with ns fractions, one track per thread,
 * thread and process names), read by Perfetto and chrome://tracing (facts in
 * shared/formats/chrome-trace.md). */
#include <inttypes.h>
#include <stdlib.h>

#include <timemory/formats.h>

#include "internal.h"
#include "label_text.h"
#include "timeline.h"

/* Start order, the enclosing (longer) event first on ties, so viewers that
 * read events in order see parents before their children. */
static int tm_trace_order(const void *a, const void *b) {
    const tm_timeline_event_t *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end > y->end ? -1 : 1;
    return (x->depth > y->depth) - (x->depth < y->depth);
}

static void tm_trace_us(FILE *out, int64_t ns) {
    fprintf(out, "%s%" PRId64 ".%03d", ns < 0 ? "-" : "", (ns < 0 ? -ns : ns) / 1000,
            (int)((ns < 0 ? -ns : ns) % 1000));
}

int tm_write_trace_json(void *file) {
    FILE *out = file;
    if (!out) return tm_fail(TM_E_INVALID, "trace output is NULL");
    size_t n = 0;
    tm_timeline_buf_t **bufs = tm_timeline_snapshot(&n);
    if (!bufs) return tm_fail(TM_E_NOMEM, "out of memory writing the timeline");
    int64_t t0 = INT64_MAX;
    uint64_t dropped = 0;
    for (size_t i = 0; i < n; ++i) {
        qsort(bufs[i]->events, bufs[i]->count, sizeof *bufs[i]->events, tm_trace_order);
        if (bufs[i]->count && bufs[i]->events[0].start < t0) t0 = bufs[i]->events[0].start;
        dropped += bufs[i]->dropped;
    }
    if (t0 == INT64_MAX) t0 = 0;
    const int64_t pid = n ? bufs[0]->pid : 0;
    fprintf(out,
            "{\"traceEvents\": [\n{\"ph\": \"M\", \"name\": \"process_name\", \"pid\": %" PRId64
            ", \"tid\": 0, \"args\": {\"name\": \"timemory (pid %" PRId64 ")\"}}",
            pid, pid);
    for (size_t i = 0; i < n; ++i) {
        const tm_timeline_buf_t *b = bufs[i];
        fprintf(out,
                ",\n{\"ph\": \"M\", \"name\": \"thread_name\", \"pid\": %" PRId64 ", \"tid\": %u, "
                "\"args\": {\"name\": \"thread %u\"}}",
                b->pid, b->tid, b->tid);
        fprintf(out,
                ",\n{\"ph\": \"M\", \"name\": \"thread_sort_index\", \"pid\": %" PRId64 ", \"tid\": %u, "
                "\"args\": {\"sort_index\": %u}}",
                b->pid, b->tid, b->tid);
        for (uint64_t k = 0; k < b->count; ++k) {
            const tm_timeline_event_t *e = &b->events[k];
            fputs(",\n{\"name\": ", out);
            tm_json_write_string(out, e->label->name);
            fputs(", \"cat\": \"region\", \"ph\": \"X\", \"ts\": ", out);
            tm_trace_us(out, e->start - t0);
            fputs(", \"dur\": ", out);
            tm_trace_us(out, e->end - e->start);
            fprintf(out, ", \"pid\": %" PRId64 ", \"tid\": %u, \"args\": {\"depth\": %u}}", b->pid, b->tid, e->depth);
        }
    }
    fputs("\n], \"displayTimeUnit\": \"ns\", \"otherData\": {\"clock\": \"wall_clock\", \"max_events_per_thread\": ",
          out);
    fprintf(out, "%ld, \"dropped_events\": %" PRIu64 ", \"dropped_per_thread\": {",
            tm_settings_int("timeline_max_events"), dropped);
    for (size_t i = 0; i < n; ++i) fprintf(out, "%s\"%u\": %" PRIu64, i ? ", " : "", bufs[i]->tid, bufs[i]->dropped);
    fputs("}}}\n", out);
    free(bufs);
    return ferror(out) ? tm_fail(TM_E_IO, "error writing the timeline") : TM_OK;
}

uint64_t tm_timeline_events(void) {
    size_t n = 0;
    tm_timeline_buf_t **bufs = tm_timeline_snapshot(&n);
    uint64_t count = 0;
    for (size_t i = 0; bufs && i < n; ++i) count += bufs[i]->count;
    free(bufs);
    return count;
}
