/* _timemory: the per-code-object decision cache of the profile and trace hooks. */
#include "bindings/python/profiler_cache.h"

char tm_py_pcache_skip_value;
char tm_py_pcache_own_value;

static int tm_py_pcache_grow(tm_py_pcache_t *c) {
    size_t cap = c->mask ? (c->mask + 1) * 2 : 256;
    tm_py_pcache_slot_t *slots = PyMem_Calloc(cap, sizeof *slots);
    if (!slots) {
        PyErr_NoMemory();
        return -1;
    }
    tm_py_pcache_t bigger = {slots, cap - 1, 0, c->free_value};
    for (size_t i = 0; c->mask && i <= c->mask; i++) {
        tm_py_pcache_slot_t *s = &c->slots[i];
        if (!s->key)
            continue;
        size_t j = (size_t)(((uintptr_t)s->key >> 4) * 0x9E3779B97F4A7C15ull >> 20) & bigger.mask;
        while (slots[j].key)
            j = (j + 1) & bigger.mask;
        slots[j] = *s;
        bigger.used++;
    }
    PyMem_Free(c->slots);
    *c = bigger;
    return 0;
}

int tm_py_pcache_put(tm_py_pcache_t *c, const void *key, PyObject *ref, void *value) {
    /* Keep the load under one half so probes stay short. */
    if ((c->used + 1) * 2 > c->mask + 1 && tm_py_pcache_grow(c) < 0)
        return -1;
    size_t i = (size_t)(((uintptr_t)key >> 4) * 0x9E3779B97F4A7C15ull >> 20) & c->mask;
    while (c->slots[i].key && c->slots[i].key != key)
        i = (i + 1) & c->mask;
    tm_py_pcache_slot_t *s = &c->slots[i];
    if (s->key) { /* already decided (the decide callback can run twice) */
        if (c->free_value && !TM_PY_PCACHE_DECIDED_NO(s->value))
            c->free_value(s->value);
        Py_XSETREF(s->ref, Py_XNewRef(ref));
        s->value = value;
        return 0;
    }
    s->key = key;
    s->ref = Py_XNewRef(ref);
    s->value = value;
    c->used++;
    return 0;
}

void tm_py_pcache_clear(tm_py_pcache_t *c) {
    tm_py_pcache_slot_t *slots = c->slots;
    size_t cap = c->mask ? c->mask + 1 : 0;
    c->slots = NULL;
    c->mask = 0;
    c->used = 0;
    for (size_t i = 0; i < cap; i++) {
        if (!slots[i].key)
            continue;
        if (c->free_value && !TM_PY_PCACHE_DECIDED_NO(slots[i].value))
            c->free_value(slots[i].value);
        Py_XDECREF(slots[i].ref);
    }
    PyMem_Free(slots);
}

void *tm_py_decide_region(PyObject *decide, PyObject *obj, const char *what) {
    PyObject *label = PyObject_CallOneArg(decide, obj);
    if (!label)
        return NULL;
    if (label == Py_None || label == Py_False) {
        void *v = label == Py_None ? TM_PY_PCACHE_SKIP : TM_PY_PCACHE_OWN;
        Py_DECREF(label);
        return v;
    }
    const char *text = tm_py_cstr(label, what);
    tm_region_t region = text ? tm_region(text) : NULL;
    if (text && !region)
        PyErr_Format(PyExc_ValueError, "%s returned an invalid region label %R: %s", what,
                     label, tm_last_error());
    Py_DECREF(label);
    return region;
}

void tm_py_hook_unraisable(const char *what) {
    PyObject *msg = PyUnicode_FromFormat("timemory %s (the call is not recorded)", what);
    if (!msg) {
        PyErr_Clear();
        return;
    }
    PyErr_WriteUnraisable(msg);
    Py_DECREF(msg);
}

PyObject *tm_py_current_hook_obj(int trace) {
    PyObject *sys = PyImport_ImportModule("sys");
    if (!sys)
        return NULL;
    PyObject *r = PyObject_CallMethod(sys, trace ? "gettrace" : "getprofile", NULL);
    Py_DECREF(sys);
    return r;
}
