/* Conversion of raw accumulators to display values and statistics. */
#include <math.h>
#include <stdio.h>

#include "errors.h"
#include "registry.h"
#include "settings_cache.h"
#include "values.h"

void tm_value_from_acc(int c, const tm_acc_t *acc, double last, tm_value_t *out) {
    const double scale = tm_component_scale(c);
    out->stats.count = acc->count;
    out->stats.sum = acc->sum / scale;
    out->stats.min = acc->count ? acc->min / scale : 0.0;
    out->stats.max = acc->count ? acc->max / scale : 0.0;
    /* sum of squares from the Welford terms: as exact as summing v*v */
    double sqr = acc->count ? acc->m2 + acc->sum * (acc->sum / (double)acc->count) : 0.0;
    /* an infinite sample leaves m2 NaN (inf - inf), but its square is +inf */
    if (isinf(acc->sum)) sqr = INFINITY;
    out->stats.sqr = sqr / (scale * scale);
    out->stats.variance = acc->count ? acc->m2 / (double)acc->count / (scale * scale) : 0.0;
    const tm_kind_traits_t *k = tm_traits(c);
    if (k->ratio)
        out->data = acc->den > 0 ? acc->num / acc->den / scale : 0.0;
    else if (k->keeps_last)
        out->data = last / scale;
    else
        out->data = out->stats.sum;
}

double tm_stats_mean(const tm_stats_t *s) { return s && s->count ? s->sum / (double)s->count : 0.0; }

double tm_stats_stddev(const tm_stats_t *s) {
    if (!s || s->count < 2) return 0.0;
    return s->variance > 0 ? sqrt(s->variance) : 0.0;
}

int tm_format_value(int component, double value, char *buf, size_t n) {
    const tm_component_desc_t *d = tm_component_desc(component);
    if (!d || !buf) return tm_fail(TM_E_INVALID, "bad component id %d or NULL buffer", component);
    int width = (int)tm_settings_int("width"), precision = (int)tm_settings_int("precision");
    const char *unit = tm_component_unit(component);
    if (*unit) return snprintf(buf, n, "%*.*f %s %s", width, precision, value, unit, d->label);
    return snprintf(buf, n, "%*.*f %s", width, precision, value, d->label);
}

int tm_format_stats(const tm_stats_t *s, char *buf, size_t n) {
    if (!s || !buf) return tm_fail(TM_E_INVALID, "NULL statistics or buffer");
    return snprintf(buf, n, "[sum: %g] [min: %g] [max: %g] [sqr: %g] [count: %llu]", s->sum, s->min, s->max, s->sqr,
                    (unsigned long long)s->count);
}
