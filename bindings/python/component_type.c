/*
 * _timemory: timemory.component.Component and one subclass per table row
 * (WallClock, ...), built from the rows gen/gen_python.py generates.
 *
 * An instance wraps one tm_component_t; every method is a direct call of the
 * matching tm_component_* function, so the object stores nothing in the call
 * graph unless push()/pop() are called (the core's semantics).
 */
#include <string.h>

#include "bindings/python/tm_py.h"

typedef struct tm_py_row {
    int id;                /* TM_WALL_CLOCK: ties the row to the C table */
    const char *name;      /* "wall_clock" */
    const char *qualname;  /* "timemory.component.WallClock"; must outlive the type */
    const char *doc;
} tm_py_row_t;

#include "bindings/python/components_py.c.h"

_Static_assert(sizeof(tm_py_rows) / sizeof(tm_py_rows[0]) == TM_COMPONENT_COUNT,
               "components_py.c.h and components.h come from different tables");

int tm_py_row_of_type(tm_py_state_t *st, PyTypeObject *type) {
    for (int i = 0; i < TM_COMPONENT_COUNT; i++) {
        if (st->row_types[i] && PyType_IsSubtype(type, st->row_types[i]))
            return i;
    }
    return -1;
}

static PyObject *tm_py_component_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"label", NULL};
    PyObject *key;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:Component", kwlist, &key))
        return NULL;
    tm_py_state_t *st = tm_py_state_of_type(type);
    if (!st)
        return NULL;
    int id = tm_py_row_of_type(st, type);
    if (id < 0) {
        PyErr_SetString(PyExc_TypeError,
                        "timemory.component.Component is abstract: instantiate one of "
                        "its subclasses (timemory.component.WallClock, ...)");
        return NULL;
    }
    const char *label = tm_py_cstr(key, "label");
    if (!label)
        return NULL;
    tm_py_component_t *self = (tm_py_component_t *)type->tp_alloc(type, 0);
    if (!self)
        return NULL;
    int rc = tm_component_init(&self->c, id, label);
    if (rc < 0) {
        Py_DECREF(self);
        return tm_py_error(rc);
    }
    Py_INCREF(key);
    self->key = key;
    return (PyObject *)self;
}

static void tm_py_component_dealloc(PyObject *op) {
    tm_py_component_t *self = (tm_py_component_t *)op;
    PyTypeObject *tp = Py_TYPE(op);
    Py_CLEAR(self->key);
    tp->tp_free(op);
    Py_DECREF(tp);
}

/* A pushed frame only compares against the object's address and records
 * the laps the object hands it, so the object may be freed while pushed. */
static PyObject *tm_py_component_push(PyObject *op, PyObject *unused) {
    (void)unused;
    return tm_py_result(tm_component_push(&((tm_py_component_t *)op)->c));
}

static PyObject *tm_py_component_pop(PyObject *op, PyObject *unused) {
    (void)unused;
    return tm_py_result(tm_component_pop(&((tm_py_component_t *)op)->c));
}

/* The other no-argument methods differ only in the core function they call. */
#define TM_PY_COMPONENT_CALL(verb)                                              \
    static PyObject *tm_py_component_##verb(PyObject *op, PyObject *unused) {   \
        (void)unused;                                                           \
        return tm_py_result(tm_component_##verb(&((tm_py_component_t *)op)->c)); \
    }
TM_PY_COMPONENT_CALL(start)
TM_PY_COMPONENT_CALL(stop)
TM_PY_COMPONENT_CALL(reset)
TM_PY_COMPONENT_CALL(measure)
#undef TM_PY_COMPONENT_CALL

static PyObject *tm_py_component_store(PyObject *op, PyObject *arg) {
    double v = PyFloat_AsDouble(arg);
    if (v == -1.0 && PyErr_Occurred())
        return NULL;
    return tm_py_result(tm_component_store(&((tm_py_component_t *)op)->c, v));
}

static PyObject *tm_py_component_get(PyObject *op, PyObject *unused) {
    (void)unused;
    return PyFloat_FromDouble(tm_component_get(&((tm_py_component_t *)op)->c));
}

static PyObject *tm_py_component_get_raw(PyObject *op, PyObject *unused) {
    (void)unused;
    return PyFloat_FromDouble(tm_component_get_raw(&((tm_py_component_t *)op)->c));
}

static PyObject *tm_py_component_enter(PyObject *op, PyObject *unused) {
    (void)unused;
    int rc = tm_component_start(&((tm_py_component_t *)op)->c);
    if (rc < 0 && !tm_py_error(rc))
        return NULL;
    return Py_NewRef(op);
}

static PyObject *tm_py_component_exit(PyObject *op, PyObject *args) {
    (void)args;
    int rc = tm_component_stop(&((tm_py_component_t *)op)->c);
    if (rc < 0 && !tm_py_error(rc))
        return NULL;
    Py_RETURN_FALSE;
}

/* tm_format_value() into a str, growing the buffer if the text is long. */
PyObject *tm_py_format_value(int id, double value) {
    char small[128];
    int n = tm_format_value(id, value, small, sizeof small);
    if (n < 0)
        return tm_py_error(n);
    if ((size_t)n < sizeof small)
        return PyUnicode_FromString(small);
    char *big = PyMem_Malloc((size_t)n + 1);
    if (!big)
        return PyErr_NoMemory();
    tm_format_value(id, value, big, (size_t)n + 1);
    PyObject *s = PyUnicode_FromString(big);
    PyMem_Free(big);
    return s;
}

static PyObject *tm_py_component_str(PyObject *op) {
    tm_py_component_t *self = (tm_py_component_t *)op;
    return tm_py_format_value(self->c.id, tm_component_get(&self->c));
}

static PyObject *tm_py_component_repr(PyObject *op) {
    tm_py_component_t *self = (tm_py_component_t *)op;
    PyObject *value = tm_py_component_str(op);
    if (!value)
        return NULL;
    PyObject *r = PyUnicode_FromFormat("<%s %R: %U>", _PyType_Name(Py_TYPE(op)), self->key, value);
    Py_DECREF(value);
    return r;
}

static PyObject *tm_py_component_key(PyObject *op, void *closure) {
    (void)closure;
    return Py_NewRef(((tm_py_component_t *)op)->key);
}

static PyMethodDef tm_py_component_methods[] = {
    {"start", tm_py_component_start, METH_NOARGS, "start()\n--\n\nBegins a lap."},
    {"stop", tm_py_component_stop, METH_NOARGS,
     "stop()\n--\n\nEnds a lap; its value is added to the component."},
    {"push", tm_py_component_push, METH_NOARGS,
     "push()\n--\n\nEnters the call graph of the calling thread under this label."},
    {"pop", tm_py_component_pop, METH_NOARGS,
     "pop()\n--\n\nRecords the value accumulated since push() as one sample and leaves the node."},
    {"reset", tm_py_component_reset, METH_NOARGS, "reset()\n--\n\nClears the value and the laps."},
    {"measure", tm_py_component_measure, METH_NOARGS,
     "measure()\n--\n\nTakes one reading now (a level, not a difference)."},
    {"store", tm_py_component_store, METH_O,
     "store(value, /)\n--\n\nAdds value (STORE components only; TypeError otherwise)."},
    {"get", tm_py_component_get, METH_NOARGS,
     "get()\n--\n\nAccumulated value (including a running lap) in display units."},
    {"get_raw", tm_py_component_get_raw, METH_NOARGS,
     "get_raw()\n--\n\nAccumulated value in raw units (ns, bytes, counts)."},
    {"__enter__", tm_py_component_enter, METH_NOARGS, "Starts the component."},
    {"__exit__", tm_py_component_exit, METH_VARARGS, "Stops the component."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef tm_py_component_getset[] = {
    {"key", tm_py_component_key, NULL, "The label given to the constructor.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot tm_py_component_slots[] = {
    {Py_tp_doc, "Base of the per-component classes of timemory.component."},
    {Py_tp_new, tm_py_component_new},
    {Py_tp_dealloc, tm_py_component_dealloc},
    {Py_tp_methods, tm_py_component_methods},
    {Py_tp_getset, tm_py_component_getset},
    {Py_tp_str, tm_py_component_str},
    {Py_tp_repr, tm_py_component_repr},
    /* reference-toolkit arithmetic (component_api.c) */
    {Py_nb_add, tm_py_component_add},
    {Py_nb_subtract, tm_py_component_subtract},
    {Py_nb_inplace_add, tm_py_component_inplace_add},
    {Py_nb_inplace_subtract, tm_py_component_inplace_subtract},
    {0, NULL},
};

static PyType_Spec tm_py_component_spec = {
    .name = "timemory.component.Component",
    .basicsize = sizeof(tm_py_component_t),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = tm_py_component_slots,
};

/* Class attributes from the C table: what the component is, for tools. */
static int tm_py_set_class_info(PyTypeObject *type, const tm_component_desc_t *d) {
    static const char *categories[] = {"timing", "memory", "io", "context_switch",
                                       "hw_counter", "user"};
    const char *why = tm_component_unavailable(d->id);
    PyObject *unavailable = why ? PyUnicode_FromString(why) : Py_NewRef(Py_None);
    PyObject *attrs[][2] = {
        {PyUnicode_FromString("name"), PyUnicode_FromString(d->name)},
        {PyUnicode_FromString("label"), PyUnicode_FromString(d->label)},
        {PyUnicode_FromString("unit"), PyUnicode_FromString(d->unit)},
        {PyUnicode_FromString("category"),
         PyUnicode_FromString((unsigned)d->category < 6 ? categories[d->category] : "unknown")},
        {PyUnicode_FromString("description"), PyUnicode_FromString(d->description)},
        {PyUnicode_FromString("unavailable"), unavailable},
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
        if (rc == 0 && (!attrs[i][0] || !attrs[i][1] ||
                        PyObject_SetAttr((PyObject *)type, attrs[i][0], attrs[i][1]) < 0))
            rc = -1;
        Py_XDECREF(attrs[i][0]);
        Py_XDECREF(attrs[i][1]);
    }
    return rc;
}

int tm_py_component_types_init(PyObject *module, tm_py_state_t *st) {
    if (tm_component_count() != TM_COMPONENT_COUNT) {
        PyErr_SetString(PyExc_ImportError, "_timemory was built for a different components.def");
        return -1;
    }
    st->component_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &tm_py_component_spec, NULL);
    if (!st->component_type || PyModule_AddType(module, st->component_type) < 0)
        return -1;
    PyObject *bases = PyTuple_Pack(1, (PyObject *)st->component_type);
    if (!bases)
        return -1;
    for (int i = 0; i < TM_COMPONENT_COUNT; i++) {
        const tm_py_row_t *row = &tm_py_rows[i];
        const tm_component_desc_t *d = tm_component_desc(row->id);
        if (row->id != i || !d || strcmp(d->name, row->name) != 0) {
            PyErr_Format(PyExc_ImportError, "_timemory: row %d (%s) does not match the C table",
                         i, row->name);
            goto fail;
        }
        PyType_Slot slots[] = {{Py_tp_doc, (void *)row->doc}, {0, NULL}};
        PyType_Spec spec = {
            .name = row->qualname,
            .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
            .slots = slots,
        };
        st->row_types[i] = (PyTypeObject *)PyType_FromModuleAndSpec(module, &spec, bases);
        if (!st->row_types[i] || tm_py_set_class_info(st->row_types[i], d) < 0 ||
            PyModule_AddType(module, st->row_types[i]) < 0)
            goto fail;
    }
    Py_DECREF(bases);
    return tm_py_component_api_init(st);
fail:
    Py_DECREF(bases);
    return -1;
}
