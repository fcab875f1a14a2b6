/*
 * _timemory: timemory.util.marker.
 *
 * Marker(components, key=None) parses the component set once. Used as a
 * decorator it returns a MarkedFunction: a vectorcall object that calls
 * tm_region_begin_set() / the function / tm_region_end() with the label
 * handle interned at decoration, so a call costs two core calls and no
 * Python-level frame. Used as a context manager it opens the region `key`,
 * or the name of the function containing the `with`.
 */
#include <stddef.h>

#include "bindings/python/tm_py.h"


typedef struct tm_py_marker {
    PyObject_HEAD
    tm_component_set_t set;
    PyObject *key;          /* str or Py_None */
    tm_region_t region;     /* interned key; NULL when the label is the caller's */
    PyObject *cached_code;  /* caller code object whose name `cached_region` is */
    tm_region_t cached_region;
} tm_py_marker_t;

typedef struct tm_py_marked {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *func;
    PyObject *dict; /* __name__, __doc__, ... copied from func (functools.wraps) */
    tm_region_t region;
    tm_component_set_t set;
} tm_py_marked_t;

/* ---- MarkedFunction: the hot path ---- */

static PyObject *tm_py_marked_vectorcall(PyObject *op, PyObject *const *args, size_t nargsf,
                                         PyObject *kwnames) {
    tm_py_marked_t *self = (tm_py_marked_t *)op;
    int rc = tm_region_begin_set(self->region, self->set);
    PyObject *result = PyObject_Vectorcall(self->func, args, nargsf, kwnames);
    /* Close the region whether or not the function raised; a failed begin
     * recorded nothing, so there is nothing to close. */
    if (rc == TM_OK)
        (void)tm_region_end(self->region);
    return result;
}

static PyObject *tm_py_marked_descr_get(PyObject *self, PyObject *obj, PyObject *type) {
    (void)type;
    if (obj == NULL || obj == Py_None)
        return Py_NewRef(self);
    return PyMethod_New(self, obj); /* bind like a plain function */
}

static int tm_py_marked_traverse(PyObject *op, visitproc visit, void *arg) {
    tm_py_marked_t *self = (tm_py_marked_t *)op;
    Py_VISIT(Py_TYPE(op));
    Py_VISIT(self->func);
    Py_VISIT(self->dict);
    return 0;
}

static int tm_py_marked_clear(PyObject *op) {
    tm_py_marked_t *self = (tm_py_marked_t *)op;
    Py_CLEAR(self->func);
    Py_CLEAR(self->dict);
    return 0;
}

static void tm_py_marked_dealloc(PyObject *op) {
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    tm_py_marked_clear(op);
    tp->tp_free(op);
    Py_DECREF(tp);
}

static PyObject *tm_py_marked_repr(PyObject *op) {
    tm_py_marked_t *self = (tm_py_marked_t *)op;
    return PyUnicode_FromFormat("<timemory marker '%s' of %R>", tm_region_name(self->region),
                                self->func);
}

static PyMemberDef tm_py_marked_members[] = {
    {"__wrapped__", Py_T_OBJECT_EX, offsetof(tm_py_marked_t, func), Py_READONLY, "The decorated callable."},
    {"__vectorcalloffset__", Py_T_PYSSIZET, offsetof(tm_py_marked_t, vectorcall), Py_READONLY, NULL},
    {"__dictoffset__", Py_T_PYSSIZET, offsetof(tm_py_marked_t, dict), Py_READONLY, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot tm_py_marked_slots[] = {
    {Py_tp_doc, "A function wrapped by timemory.util.marker: each call is one region."},
    {Py_tp_call, PyVectorcall_Call},
    {Py_tp_descr_get, tm_py_marked_descr_get},
    {Py_tp_traverse, tm_py_marked_traverse},
    {Py_tp_clear, tm_py_marked_clear},
    {Py_tp_dealloc, tm_py_marked_dealloc},
    {Py_tp_repr, tm_py_marked_repr},
    {Py_tp_members, tm_py_marked_members},
    {0, NULL},
};

static PyType_Spec tm_py_marked_spec = {
    .name = "timemory.util.MarkedFunction",
    .basicsize = sizeof(tm_py_marked_t),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL |
             Py_TPFLAGS_METHOD_DESCRIPTOR | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = tm_py_marked_slots,
};

/* Copies what functools.update_wrapper copies, so the wrapper looks like func. */
static int tm_py_copy_wrapper_attrs(PyObject *dict, PyObject *func) {
    static const char *names[] = {"__module__", "__name__", "__qualname__", "__doc__",
                                  "__annotations__"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        PyObject *v = PyObject_GetAttrString(func, names[i]);
        if (!v) {
            if (!PyErr_ExceptionMatches(PyExc_AttributeError))
                return -1;
            PyErr_Clear();
            continue;
        }
        int rc = PyDict_SetItemString(dict, names[i], v);
        Py_DECREF(v);
        if (rc < 0)
            return -1;
    }
    PyObject *fdict = PyObject_GetAttrString(func, "__dict__");
    if (!fdict) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError))
            return -1;
        PyErr_Clear();
        return 0;
    }
    int rc = PyDict_Check(fdict) ? PyDict_Update(dict, fdict) : 0;
    Py_DECREF(fdict);
    return rc;
}

/* ---- Marker: decorator factory and context manager ---- */

static PyObject *tm_py_marker_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"components", "key", NULL};
    PyObject *components, *key = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O:marker", kwlist, &components, &key))
        return NULL;
    tm_py_state_t *st = tm_py_state_of_type(type);
    if (!st)
        return NULL;
    tm_component_set_t set;
    if (tm_py_component_set(st, components, &set) < 0)
        return NULL;
    tm_region_t region = NULL;
    if (key != Py_None) {
        const char *name = tm_py_cstr(key, "key");
        if (!name)
            return NULL;
        region = tm_region(name);
        if (!region)
            return tm_py_error_null(TM_E_INVALID);
    }
    tm_py_marker_t *self = (tm_py_marker_t *)type->tp_alloc(type, 0);
    if (!self)
        return NULL;
    self->set = set;
    self->key = Py_NewRef(key);
    self->region = region;
    return (PyObject *)self;
}

static void tm_py_marker_dealloc(PyObject *op) {
    tm_py_marker_t *self = (tm_py_marker_t *)op;
    PyTypeObject *tp = Py_TYPE(op);
    Py_CLEAR(self->key);
    Py_CLEAR(self->cached_code);
    tp->tp_free(op);
    Py_DECREF(tp);
}

/* Decorating: the label is `key`, else the function's __name__. */
static PyObject *tm_py_marker_call(PyObject *op, PyObject *args, PyObject *kwds) {
    tm_py_marker_t *self = (tm_py_marker_t *)op;
    PyObject *func;
    if (kwds && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError, "a marker decorates one function: marker(...)(func)");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "O:marker", &func))
        return NULL;
    if (!PyCallable_Check(func)) {
        PyErr_Format(PyExc_TypeError, "marker can only decorate a callable, not %.100s",
                     Py_TYPE(func)->tp_name);
        return NULL;
    }
    tm_region_t region = self->region;
    if (!region) {
        PyObject *name = PyObject_GetAttrString(func, "__name__");
        if (!name) {
            PyErr_Clear();
            name = PyObject_GetAttrString((PyObject *)Py_TYPE(func), "__name__");
            if (!name)
                return NULL;
        }
        const char *label = tm_py_cstr(name, "the function's __name__");
        region = label ? tm_region(label) : NULL;
        Py_DECREF(name);
        if (!label)
            return NULL;
        if (!region)
            return tm_py_error_null(TM_E_INVALID);
    }
    tm_py_state_t *st = tm_py_state_of_type(Py_TYPE(op));
    if (!st)
        return NULL;
    tm_py_marked_t *m = PyObject_GC_New(tm_py_marked_t, st->marked_type);
    if (!m)
        return NULL;
    m->vectorcall = tm_py_marked_vectorcall;
    m->func = Py_NewRef(func);
    m->dict = PyDict_New();
    m->region = region;
    m->set = self->set;
    PyObject_GC_Track(m);
    if (!m->dict || tm_py_copy_wrapper_attrs(m->dict, func) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return (PyObject *)m;
}

/* The region a `with` block opens: `key`, else the enclosing function. */
static tm_region_t tm_py_marker_region(tm_py_marker_t *self) {
    if (self->region)
        return self->region;
    PyFrameObject *frame = PyEval_GetFrame(); /* borrowed */
    PyCodeObject *code = frame ? PyFrame_GetCode(frame) : NULL; /* new ref */
    if (code && (PyObject *)code == self->cached_code) {
        Py_DECREF(code);
        return self->cached_region;
    }
    /* co_name through the attribute: the struct field is not public API */
    PyObject *co_name = code ? PyObject_GetAttrString((PyObject *)code, "co_name") : NULL;
    const char *name = code ? (co_name ? PyUnicode_AsUTF8(co_name) : NULL) : "marker";
    if (!name) {
        Py_XDECREF(co_name);
        Py_XDECREF(code);
        return NULL;
    }
    tm_region_t region = tm_region(name);
    Py_XDECREF(co_name);
    if (region && code) {
        Py_XSETREF(self->cached_code, (PyObject *)code);
        self->cached_region = region;
    } else {
        Py_XDECREF(code);
    }
    if (!region)
        tm_py_error(TM_E_INVALID);
    return region;
}

static PyObject *tm_py_marker_enter(PyObject *op, PyObject *unused) {
    (void)unused;
    tm_region_t region = tm_py_marker_region((tm_py_marker_t *)op);
    if (!region)
        return NULL;
    int rc = tm_region_begin_set(region, ((tm_py_marker_t *)op)->set);
    if (rc < 0 && tm_py_error(rc) < 0)
        return NULL;
    return Py_NewRef(op);
}

static PyObject *tm_py_marker_exit(PyObject *op, PyObject *args) {
    (void)args; /* an exception in the block still closes the region */
    tm_region_t region = tm_py_marker_region((tm_py_marker_t *)op);
    if (!region)
        return NULL;
    int rc = tm_region_end(region);
    if (rc < 0 && tm_py_error(rc) < 0)
        return NULL;
    Py_RETURN_FALSE;
}

static PyObject *tm_py_marker_repr(PyObject *op) {
    tm_py_marker_t *self = (tm_py_marker_t *)op;
    return PyUnicode_FromFormat("<timemory marker key=%R components=0x%llx>", self->key,
                                (unsigned long long)self->set);
}

static PyObject *tm_py_marker_components(PyObject *op, void *closure) {
    (void)closure;
    tm_component_set_t set = ((tm_py_marker_t *)op)->set;
    PyObject *names = PyList_New(0);
    for (int i = 0; names && i < TM_COMPONENT_COUNT; i++) {
        if (!(set & ((tm_component_set_t)1 << i)))
            continue;
        PyObject *name = PyUnicode_FromString(tm_component_desc(i)->name);
        if (!name || PyList_Append(names, name) < 0)
            Py_CLEAR(names);
        Py_XDECREF(name);
    }
    return names;
}

static PyMethodDef tm_py_marker_methods[] = {
    {"__enter__", tm_py_marker_enter, METH_NOARGS, "Opens the region."},
    {"__exit__", tm_py_marker_exit, METH_VARARGS, "Closes the region (also on an exception)."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef tm_py_marker_members[] = {
    {"key", Py_T_OBJECT_EX, offsetof(tm_py_marker_t, key), Py_READONLY, "The region label, or None."},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef tm_py_marker_getset[] = {
    {"components", tm_py_marker_components, NULL, "Names of the recorded components.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot tm_py_marker_slots[] = {
    {Py_tp_doc, "Marker(components, key=None)\n--\n\n"
                "Records `components` for a region: a decorator (label = key or the "
                "function's __name__) and a context manager (label = key or the "
                "enclosing function's name)."},
    {Py_tp_new, tm_py_marker_new},
    {Py_tp_dealloc, tm_py_marker_dealloc},
    {Py_tp_call, tm_py_marker_call},
    {Py_tp_repr, tm_py_marker_repr},
    {Py_tp_methods, tm_py_marker_methods},
    {Py_tp_members, tm_py_marker_members},
    {Py_tp_getset, tm_py_marker_getset},
    {0, NULL},
};

static PyType_Spec tm_py_marker_spec = {
    .name = "timemory.util.Marker",
    .basicsize = sizeof(tm_py_marker_t),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = tm_py_marker_slots,
};

int tm_py_marker_types_init(PyObject *module, tm_py_state_t *st) {
    st->marker_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &tm_py_marker_spec, NULL);
    if (!st->marker_type || PyModule_AddType(module, st->marker_type) < 0)
        return -1;
    st->marked_type = (PyTypeObject *)PyType_FromModuleAndSpec(module, &tm_py_marked_spec, NULL);
    if (!st->marked_type || PyModule_AddType(module, st->marked_type) < 0)
        return -1;
    return 0;
}
