/* _timemory: Python arguments to C values (text, component sets). */
#include <string.h>

#include "bindings/python/tm_py.h"

const char *tm_py_cstr(PyObject *obj, const char *what) {
    if (!PyUnicode_Check(obj)) {
        PyErr_Format(PyExc_TypeError, "%s must be str, not %.100s", what, Py_TYPE(obj)->tp_name);
        return NULL;
    }
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(obj, &n);
    if (s && strlen(s) != (size_t)n) {
        PyErr_Format(PyExc_ValueError, "%s must not contain a NUL character", what);
        return NULL;
    }
    return s;
}

/* One item of a component list: a name or a component class. */
static int tm_py_component_bit(tm_py_state_t *st, PyObject *item, tm_component_set_t *out) {
    int id;
    if (PyType_Check(item)) {
        id = tm_py_row_of_type(st, (PyTypeObject *)item);
        if (id < 0) {
            PyErr_Format(PyExc_TypeError, "%.100s is not a timemory component class",
                         ((PyTypeObject *)item)->tp_name);
            return -1;
        }
    } else {
        const char *name = tm_py_cstr(item, "a component name");
        if (!name)
            return -1;
        id = tm_component_find(name);
        if (id < 0) {
            tm_py_error(id);
            return -1;
        }
    }
    *out |= (tm_component_set_t)1 << id;
    return 0;
}

int tm_py_component_set(tm_py_state_t *st, PyObject *spec, tm_component_set_t *out) {
    *out = 0;
    if (PyUnicode_Check(spec)) {
        const char *names = tm_py_cstr(spec, "components");
        if (!names)
            return -1;
        int rc = tm_component_set_parse(names, out);
        if (rc < 0) {
            tm_py_error(rc);
            return -1;
        }
    } else if (PyType_Check(spec)) {
        if (tm_py_component_bit(st, spec, out) < 0)
            return -1;
    } else {
        PyObject *it = PyObject_GetIter(spec);
        if (!it) {
            PyErr_Format(PyExc_TypeError,
                         "components must be a list of component names, not %.100s",
                         Py_TYPE(spec)->tp_name);
            return -1;
        }
        PyObject *item;
        while ((item = PyIter_Next(it)) != NULL) {
            int rc = tm_py_component_bit(st, item, out);
            Py_DECREF(item);
            if (rc < 0) {
                Py_DECREF(it);
                return -1;
            }
        }
        Py_DECREF(it);
        if (PyErr_Occurred())
            return -1;
    }
    if (*out == 0) {
        PyErr_SetString(PyExc_ValueError, "components is empty: name at least one component");
        return -1;
    }
    /* the core's policy: unavailable components are left out with a warning */
    int rc = tm_component_set_available(*out, out);
    if (rc < 0) {
        tm_py_error(rc);
        return -1;
    }
    return 0;
}
