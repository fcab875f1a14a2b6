/*
 * _timemory: the C settings as text. timemory/settings.py turns them into
 * typed attributes; the C side stays the only place values are validated.
 */
#include "bindings/python/tm_py.h"

static const char *tm_py_setting_types[] = {"bool", "int", "str", "choice", "components"};

static PyObject *tm_py_settings_list(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    size_t n = tm_settings_count();
    PyObject *list = PyList_New(0);
    for (size_t i = 0; list && i < n; i++) {
        const tm_setting_desc_t *d = tm_settings_desc(i);
        if (!d)
            continue;
        const char *type = (unsigned)d->type < 5 ? tm_py_setting_types[d->type] : "str";
        PyObject *row = Py_BuildValue("(sssszs)", d->name, d->env ? d->env : "", type,
                                      d->default_value ? d->default_value : "", d->choices,
                                      d->description ? d->description : "");
        if (!row || PyList_Append(list, row) < 0)
            Py_CLEAR(list);
        Py_XDECREF(row);
    }
    return list;
}

static PyObject *tm_py_settings_get(PyObject *module, PyObject *arg) {
    (void)module;
    const char *name = tm_py_cstr(arg, "setting name");
    if (!name)
        return NULL;
    const char *value = tm_settings_get(name);
    if (!value) {
        PyErr_Format(PyExc_AttributeError, "no timemory setting named '%s'", name);
        return NULL;
    }
    return PyUnicode_FromString(value);
}

static PyObject *tm_py_settings_set(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *nameobj, *valueobj;
    if (!PyArg_ParseTuple(args, "OO:settings_set", &nameobj, &valueobj))
        return NULL;
    const char *name = tm_py_cstr(nameobj, "setting name");
    const char *value = name ? tm_py_cstr(valueobj, "setting value") : NULL;
    if (!value)
        return NULL;
    return tm_py_result(tm_settings_set(name, value));
}

PyMethodDef tm_py_settings_methods[] = {
    {"settings_list", tm_py_settings_list, METH_NOARGS,
     "settings_list()\n--\n\n(name, env, type, default, choices, description) of every setting."},
    {"settings_get", tm_py_settings_get, METH_O,
     "settings_get(name, /)\n--\n\nCurrent value as text; AttributeError if unknown."},
    {"settings_set", tm_py_settings_set, METH_VARARGS,
     "settings_set(name, value, /)\n--\n\nValidates and sets (text); ValueError if invalid."},
    {NULL, NULL, 0, NULL},
};
