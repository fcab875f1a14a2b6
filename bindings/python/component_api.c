/*
 * _timemory: the names the reference toolkit (NERSC/timemory) gives its
 * per-component Python classes, on timemory.component.Component so every
 * row of components.def has them.
 *
 * Values are in raw units (ns, bytes, counts) as in the reference:
 *   get_value()  the current value, a running lap included (= get_raw());
 *   get_accum()  the laps completed by stop() only;
 *   get_last()   the latest reading kept by the core: the reading of a LEVEL
 *                component at stop(), any component's measure(), or the last
 *                store() of a data tracker (0 before any);
 *   value        property, = get_value().
 * Arithmetic (+ - += -=) combines two objects of the same class: values and
 * laps add or subtract; a mismatch is a TypeError. The result of + and - is a
 * new object with the left operand's label that is not pushed. Arithmetic
 * changes objects only, never what push()/pop() recorded.
 *
 * The lifecycle statics (global_init, thread_init, global_finalize,
 * thread_finalize, configure) are no-ops: the core sets itself up lazily per
 * process and per thread, and components take no configuration.
 */
#include <string.h>

#include "bindings/python/tm_py.h"

#define TM_PY_SELF(op) (&((tm_py_component_t *)(op))->c)

/* Component id of the class a METH_CLASS method was called on; -1 with
 * TypeError for the abstract base. */
static int tm_py_api_row(PyObject *cls) {
    tm_py_state_t *st = tm_py_state_of_type((PyTypeObject *)cls);
    if (!st)
        return -1;
    int id = tm_py_row_of_type(st, (PyTypeObject *)cls);
    if (id < 0)
        PyErr_SetString(PyExc_TypeError, "timemory.component.Component is abstract: call this on "
                                         "one of its subclasses (timemory.component.WallClock, ...)");
    return id;
}

/* ---- instance queries ---- */

static PyObject *tm_py_api_laps(PyObject *op, PyObject *unused) {
    (void)unused;
    return PyLong_FromUnsignedLongLong(TM_PY_SELF(op)->laps);
}

static PyObject *tm_py_api_get_value(PyObject *op, PyObject *unused) {
    (void)unused;
    return PyFloat_FromDouble(tm_component_get_raw(TM_PY_SELF(op)));
}

static PyObject *tm_py_api_value(PyObject *op, void *closure) {
    (void)closure;
    return tm_py_api_get_value(op, NULL);
}

static PyObject *tm_py_api_get_accum(PyObject *op, PyObject *unused) {
    (void)unused;
    const tm_component_t *c = TM_PY_SELF(op);
    if (tm_component_desc(c->id)->kind == TM_KIND_RATIO)
        return PyFloat_FromDouble(c->value[1] > 0 ? c->value[0] / c->value[1] : 0.0);
    return PyFloat_FromDouble(c->value[0]);
}

static PyObject *tm_py_api_get_last(PyObject *op, PyObject *unused) {
    (void)unused;
    return PyFloat_FromDouble(TM_PY_SELF(op)->last);
}

/* The label's 64-bit hash: the hash() of the storage entries it records. */
static PyObject *tm_py_api_hash(PyObject *op, PyObject *unused) {
    (void)unused;
    return PyLong_FromUnsignedLongLong(tm_region_hash(TM_PY_SELF(op)->label));
}

static PyObject *tm_py_api_rekey(PyObject *op, PyObject *key) {
    const char *name = tm_py_cstr(key, "key");
    if (!name)
        return NULL;
    tm_region_t r = tm_region(name);
    if (!r) {
        PyErr_Format(PyExc_ValueError, "cannot use %R as a label: %s", key, tm_last_error());
        return NULL;
    }
    tm_py_component_t *self = (tm_py_component_t *)op;
    self->c.label = r; /* an open push keeps its node; the next push uses the new label */
    Py_INCREF(key);
    Py_SETREF(self->key, key);
    Py_RETURN_NONE;
}

static PyObject *tm_py_api_noop(PyObject *op, PyObject *unused) {
    (void)op;
    (void)unused;
    Py_RETURN_NONE;
}

static PyObject *tm_py_api_noop_any(PyObject *op, PyObject *args, PyObject *kwds) {
    (void)op;
    (void)args;
    (void)kwds;
    Py_RETURN_NONE;
}

/* ---- class queries (callable on the class or an instance) ---- */

static PyObject *tm_py_api_is_available(PyObject *cls, PyObject *unused) {
    (void)unused;
    int id = tm_py_api_row(cls);
    if (id < 0)
        return NULL;
    return PyBool_FromLong(tm_component_unavailable(id) == NULL);
}

static PyObject *tm_py_api_display_unit(PyObject *cls, PyObject *unused) {
    (void)unused;
    int id = tm_py_api_row(cls);
    if (id < 0)
        return NULL;
    return PyUnicode_FromString(tm_component_unit(id));
}

static PyObject *tm_py_api_id(PyObject *cls, PyObject *unused) {
    (void)unused;
    int id = tm_py_api_row(cls);
    if (id < 0)
        return NULL;
    return PyUnicode_FromString(tm_component_desc(id)->name);
}

static PyObject *tm_py_api_index(PyObject *cls, PyObject *unused) {
    (void)unused;
    int id = tm_py_api_row(cls);
    if (id < 0)
        return NULL;
    return PyLong_FromLong(id);
}

/* One reading of the component's sampler now, raw units: a float, or for a
 * RATIO component the (numerator, denominator) counters. */
static PyObject *tm_py_api_record(PyObject *cls, PyObject *unused) {
    (void)unused;
    int id = tm_py_api_row(cls);
    if (id < 0)
        return NULL;
    const tm_component_desc_t *d = tm_component_desc(id);
    const char *why = tm_component_unavailable(id);
    if (why) {
        PyErr_Format(PyExc_RuntimeError, "component '%s' is not available here: %s", d->name, why);
        return NULL;
    }
    if (!d->sample) {
        PyErr_Format(PyExc_TypeError, "%s stores values given to store(): it has nothing to read",
                     d->name);
        return NULL;
    }
    int64_t out[2] = {0, 0};
    d->sample(out);
    if (d->kind == TM_KIND_RATIO)
        return Py_BuildValue("(LL)", (long long)out[0], (long long)out[1]);
    return PyFloat_FromDouble((double)out[0]);
}

/* ---- arithmetic ---- */

/* 1 when a and b are components of the same row, 0 when not (the caller
 * returns NotImplemented, which Python turns into a TypeError), -1 on error. */
static int tm_py_api_same_row(PyObject *a, PyObject *b) {
    tm_py_state_t *st = tm_py_state_of_type(Py_TYPE(a));
    if (!st) {
        PyErr_Clear();
        st = tm_py_state_of_type(Py_TYPE(b));
        if (!st)
            return -1;
    }
    if (!PyObject_TypeCheck(a, st->component_type) || !PyObject_TypeCheck(b, st->component_type))
        return 0;
    return TM_PY_SELF(a)->id == TM_PY_SELF(b)->id;
}

static void tm_py_api_combine(tm_component_t *lhs, const tm_component_t *rhs, double sign) {
    lhs->value[0] += sign * rhs->value[0];
    lhs->value[1] += sign * rhs->value[1];
    lhs->laps = sign > 0 ? lhs->laps + rhs->laps : lhs->laps - rhs->laps;
}

static PyObject *tm_py_api_binary(PyObject *a, PyObject *b, double sign) {
    int same = tm_py_api_same_row(a, b);
    if (same < 0)
        return NULL;
    if (!same)
        Py_RETURN_NOTIMPLEMENTED;
    PyTypeObject *type = Py_TYPE(a);
    tm_py_component_t *r = (tm_py_component_t *)type->tp_alloc(type, 0);
    if (!r)
        return NULL;
    r->c = *TM_PY_SELF(a);
    r->c.thread = NULL; /* a copy is never the owner of a's pushed frame */
    r->key = Py_NewRef(((tm_py_component_t *)a)->key);
    tm_py_api_combine(&r->c, TM_PY_SELF(b), sign);
    return (PyObject *)r;
}

static PyObject *tm_py_api_inplace(PyObject *a, PyObject *b, double sign) {
    int same = tm_py_api_same_row(a, b);
    if (same < 0)
        return NULL;
    if (!same)
        Py_RETURN_NOTIMPLEMENTED;
    tm_py_api_combine(TM_PY_SELF(a), TM_PY_SELF(b), sign);
    return Py_NewRef(a);
}

PyObject *tm_py_component_add(PyObject *a, PyObject *b) {
    return tm_py_api_binary(a, b, 1.0);
}

PyObject *tm_py_component_subtract(PyObject *a, PyObject *b) {
    return tm_py_api_binary(a, b, -1.0);
}

PyObject *tm_py_component_inplace_add(PyObject *a, PyObject *b) {
    return tm_py_api_inplace(a, b, 1.0);
}

PyObject *tm_py_component_inplace_subtract(PyObject *a, PyObject *b) {
    return tm_py_api_inplace(a, b, -1.0);
}

/* ---- tables ---- */

static PyMethodDef tm_py_api_methods[] = {
    {"laps", tm_py_api_laps, METH_NOARGS,
     "laps()\n--\n\nNumber of stop() (or store()) calls since construction, push() or reset()."},
    {"get_value", tm_py_api_get_value, METH_NOARGS,
     "get_value()\n--\n\nCurrent value in raw units (ns, bytes, counts), a running lap included."},
    {"get_accum", tm_py_api_get_accum, METH_NOARGS,
     "get_accum()\n--\n\nValue of the completed laps in raw units (updated only by stop())."},
    {"get_last", tm_py_api_get_last, METH_NOARGS,
     "get_last()\n--\n\nLatest reading in raw units: a LEVEL component's reading at stop(), "
     "measure()'s reading, or the last value store()d; 0 before any."},
    {"hash", tm_py_api_hash, METH_NOARGS,
     "hash()\n--\n\n64-bit hash of the label, as hash() of the storage entries it records."},
    {"rekey", tm_py_api_rekey, METH_O,
     "rekey(key, /)\n--\n\nChanges the label; the next push() records under it."},
    {"mark_begin", tm_py_api_noop, METH_NOARGS,
     "mark_begin()\n--\n\nNo-op: no component here records asynchronous marks."},
    {"mark_end", tm_py_api_noop, METH_NOARGS,
     "mark_end()\n--\n\nNo-op: no component here records asynchronous marks."},
    {"is_available", tm_py_api_is_available, METH_CLASS | METH_NOARGS,
     "is_available()\n--\n\nWhether this component can measure on this machine "
     "(see the class attribute `unavailable` for why not)."},
    {"display_unit", tm_py_api_display_unit, METH_CLASS | METH_NOARGS,
     "display_unit()\n--\n\nUnit of get() under the current timing_units/memory_units settings."},
    {"id", tm_py_api_id, METH_CLASS | METH_NOARGS,
     "id()\n--\n\nThe component's name in components.def (\"wall_clock\")."},
    {"index", tm_py_api_index, METH_CLASS | METH_NOARGS,
     "index()\n--\n\nThe component's row number in components.def."},
    {"record", tm_py_api_record, METH_CLASS | METH_NOARGS,
     "record()\n--\n\nOne reading of the component now, raw units: a float, or "
     "(numerator, denominator) for a ratio component. Changes no object."},
    {"sample", tm_py_api_record, METH_CLASS | METH_NOARGS,
     "sample()\n--\n\nSame as record()."},
    {"global_init", (PyCFunction)(void (*)(void))tm_py_api_noop_any,
     METH_STATIC | METH_VARARGS | METH_KEYWORDS,
     "global_init()\n--\n\nNo-op: the core initialises itself at first use."},
    {"global_finalize", (PyCFunction)(void (*)(void))tm_py_api_noop_any,
     METH_STATIC | METH_VARARGS | METH_KEYWORDS,
     "global_finalize()\n--\n\nNo-op: timemory.finalize() finalizes every component."},
    {"thread_init", (PyCFunction)(void (*)(void))tm_py_api_noop_any,
     METH_STATIC | METH_VARARGS | METH_KEYWORDS,
     "thread_init()\n--\n\nNo-op: a thread's storage is created at its first record."},
    {"thread_finalize", (PyCFunction)(void (*)(void))tm_py_api_noop_any,
     METH_STATIC | METH_VARARGS | METH_KEYWORDS,
     "thread_finalize()\n--\n\nNo-op: a thread's storage is kept until it is reported."},
    {"configure", (PyCFunction)(void (*)(void))tm_py_api_noop_any,
     METH_STATIC | METH_VARARGS | METH_KEYWORDS,
     "configure(*args, **kwargs)\n--\n\nNo-op: components here take no configuration "
     "(use timemory.settings)."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef tm_py_api_getset[] = {
    {"value", tm_py_api_value, NULL, "Current value in raw units (= get_value()).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

/* Adds `def` to `type` the way PyType_Ready adds tp_methods. */
static int tm_py_api_add_method(PyTypeObject *type, PyMethodDef *def) {
    PyObject *descr;
    if (def->ml_flags & METH_CLASS) {
        descr = PyDescr_NewClassMethod(type, def);
    } else if (def->ml_flags & METH_STATIC) {
        PyObject *func = PyCFunction_NewEx(def, (PyObject *)type, NULL);
        descr = func ? PyStaticMethod_New(func) : NULL;
        Py_XDECREF(func);
    } else {
        descr = PyDescr_NewMethod(type, def);
    }
    if (!descr)
        return -1;
    int rc = PyObject_SetAttrString((PyObject *)type, def->ml_name, descr);
    Py_DECREF(descr);
    return rc;
}

int tm_py_component_api_init(tm_py_state_t *st) {
    PyTypeObject *base = st->component_type;
    for (PyMethodDef *def = tm_py_api_methods; def->ml_name; def++) {
        if (tm_py_api_add_method(base, def) < 0)
            return -1;
    }
    for (PyGetSetDef *gs = tm_py_api_getset; gs->name; gs++) {
        PyObject *descr = PyDescr_NewGetSet(base, gs);
        int rc = descr ? PyObject_SetAttrString((PyObject *)base, gs->name, descr) : -1;
        Py_XDECREF(descr);
        if (rc < 0)
            return -1;
    }
    /* Class properties of the reference: `available` and `has_value` (every
     * component here has a value, data trackers included). */
    for (int i = 0; i < TM_COMPONENT_COUNT; i++) {
        PyObject *type = (PyObject *)st->row_types[i];
        if (PyObject_SetAttrString(type, "available",
                                   tm_component_unavailable(i) ? Py_False : Py_True) < 0 ||
            PyObject_SetAttrString(type, "has_value", Py_True) < 0)
            return -1;
    }
    return 0;
}
