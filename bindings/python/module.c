/*
 * _timemory: the module (multi-phase init), its state, and the lifecycle
 * functions. The pure-Python package `timemory` is the public face.
 */
#include "bindings/python/tm_py.h"
#include "bindings/python/profiler_cache.h" /* profiler and trace hooks */

tm_py_state_t *tm_py_state_of_type(PyTypeObject *type) {
    PyObject *module = PyType_GetModuleByDef(type, &tm_py_module_def); /* borrowed */
    return module ? (tm_py_state_t *)PyModule_GetState(module) : NULL;
}

static PyObject *tm_py_init(PyObject *module, PyObject *args, PyObject *kwds) {
    (void)module;
    static char *kwlist[] = {"name", NULL};
    PyObject *nameobj = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O:init", kwlist, &nameobj))
        return NULL;
    const char *name = NULL;
    if (nameobj != Py_None && !(name = tm_py_cstr(nameobj, "name")))
        return NULL;
    return tm_py_result(tm_init(name));
}

/* The core prints to C's stdout; flush Python's first so text keeps its
 * order. Best effort: a closed sys.stdout must not stop the reports. */
static void tm_py_flush_stdout(void) {
    PyObject *out = PySys_GetObject("stdout"); /* borrowed */
    if (out && out != Py_None) {
        PyObject *r = PyObject_CallMethod(out, "flush", NULL);
        if (r)
            Py_DECREF(r);
        else
            PyErr_Clear();
    }
    fflush(stdout);
}

static PyObject *tm_py_finalize(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    tm_py_flush_stdout();
    /* The GIL stays held: every core call made from Python is then serialized,
     * so no Python thread records while finalize() walks the thread graphs. */
    int rc = tm_finalize();
    fflush(stdout);
    return tm_py_result(rc);
}

static PyObject *tm_py_storage_reset(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    tm_storage_reset();
    Py_RETURN_NONE;
}

/* (name, pyclass, label, unit, category id, description, unavailable reason) */
static PyObject *tm_py_components(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    int n = tm_component_count();
    PyObject *list = PyList_New(0);
    for (int i = 0; list && i < n; i++) {
        const tm_component_desc_t *d = tm_component_desc(i);
        PyObject *row = Py_BuildValue("(ssssisz)", d->name, d->pyclass, d->label, d->unit,
                                      (int)d->category, d->description,
                                      tm_component_unavailable(i));
        if (!row || PyList_Append(list, row) < 0)
            Py_CLEAR(list);
        Py_XDECREF(row);
    }
    return list;
}

static PyObject *tm_py_component_id(PyObject *module, PyObject *arg) {
    (void)module;
    const char *name = tm_py_cstr(arg, "component name");
    if (!name)
        return NULL;
    int id = tm_component_find(name);
    return id < 0 ? tm_py_error_null(id) : PyLong_FromLong(id);
}

static PyObject *tm_py_component_set_fn(PyObject *module, PyObject *arg) {
    tm_component_set_t set;
    if (tm_py_component_set(PyModule_GetState(module), arg, &set) < 0)
        return NULL;
    return PyLong_FromUnsignedLongLong(set);
}

static PyObject *tm_py_hash_string(PyObject *module, PyObject *arg) {
    (void)module;
    const char *s = tm_py_cstr(arg, "text");
    return s ? PyLong_FromUnsignedLongLong(tm_hash_string(s)) : NULL;
}

static PyObject *tm_py_warning_count(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    return PyLong_FromUnsignedLongLong(tm_warning_count());
}

static PyObject *tm_py_report_write(PyObject *module, PyObject *arg) {
    (void)module;
    long id = PyLong_AsLong(arg);
    if (id == -1 && PyErr_Occurred())
        return NULL;
    if (id < 0 || id >= tm_component_count()) {
        PyErr_Format(PyExc_ValueError, "no component with id %ld", id);
        return NULL;
    }
    tm_py_flush_stdout();
    int rc = tm_report_write((int)id, stdout);
    fflush(stdout);
    return tm_py_result(rc);
}

static PyMethodDef tm_py_module_methods[] = {
    {"init", (PyCFunction)(void (*)(void))tm_py_init, METH_VARARGS | METH_KEYWORDS,
     "init(name=None)\n--\n\nReads the TIMEMORY_* environment (tm_init)."},
    {"finalize", tm_py_finalize, METH_NOARGS,
     "finalize()\n--\n\nCloses open regions and writes the reports when auto_output is on."},
    {"storage_reset", tm_py_storage_reset, METH_NOARGS,
     "storage_reset()\n--\n\nDiscards every thread's recorded data (tm_storage_reset)."},
    {"components", tm_py_components, METH_NOARGS,
     "components()\n--\n\nThe C table: (name, pyclass, label, unit, category, description, "
     "unavailable) per component."},
    {"component_id", tm_py_component_id, METH_O,
     "component_id(name, /)\n--\n\nId of 'wall_clock' or 'WallClock'; ValueError listing "
     "the valid names."},
    {"component_set", tm_py_component_set_fn, METH_O,
     "component_set(components, /)\n--\n\nBit set of a component list."},
    {"hash_string", tm_py_hash_string, METH_O,
     "hash_string(text, /)\n--\n\nThe call graph's 64-bit label hash."},
    {"warning_count", tm_py_warning_count, METH_NOARGS,
     "warning_count()\n--\n\nNumber of distinct warnings issued so far."},
    {"report_write", tm_py_report_write, METH_O,
     "report_write(component_id, /)\n--\n\nPrints the text report of a component."},
    {NULL, NULL, 0, NULL},
};

static int tm_py_exec(PyObject *module) {
    tm_py_state_t *st = PyModule_GetState(module);
    if (PyModule_AddFunctions(module, tm_py_query_methods) < 0 ||
        PyModule_AddFunctions(module, tm_py_settings_methods) < 0 ||
        PyModule_AddFunctions(module, tm_py_load_methods) < 0 ||
        PyModule_AddFunctions(module, tm_py_multiproc_methods) < 0 ||
        tm_py_component_types_init(module, st) < 0 || tm_py_marker_types_init(module, st) < 0)
        return -1;
    if (tm_py_profiler_types_init(module) < 0 || tm_py_trace_types_init(module) < 0)
        return -1;
    return 0;
}

static int tm_py_traverse(PyObject *module, visitproc visit, void *arg) {
    tm_py_state_t *st = PyModule_GetState(module);
    if (!st)
        return 0;
    Py_VISIT(st->component_type);
    for (int i = 0; i < TM_COMPONENT_COUNT; i++)
        Py_VISIT(st->row_types[i]);
    Py_VISIT(st->marker_type);
    Py_VISIT(st->marked_type);
    return 0;
}

static int tm_py_clear(PyObject *module) {
    tm_py_state_t *st = PyModule_GetState(module);
    if (!st)
        return 0;
    Py_CLEAR(st->component_type);
    for (int i = 0; i < TM_COMPONENT_COUNT; i++)
        Py_CLEAR(st->row_types[i]);
    Py_CLEAR(st->marker_type);
    Py_CLEAR(st->marked_type);
    return 0;
}

static void tm_py_free(void *module) {
    tm_py_clear((PyObject *)module);
}

static PyModuleDef_Slot tm_py_module_slots[] = {
    {Py_mod_exec, tm_py_exec},
#ifdef Py_mod_multiple_interpreters
    /* the C core's storage is process-wide: one interpreter (tm_py.h) */
    {Py_mod_multiple_interpreters, Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED},
#endif
    {0, NULL},
};

PyModuleDef tm_py_module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "timemory._timemory",
    .m_doc = "C core of the timemory package (see timemory.component, .storage, .util).",
    .m_size = sizeof(tm_py_state_t),
    .m_methods = tm_py_module_methods,
    .m_slots = tm_py_module_slots,
    .m_traverse = tm_py_traverse,
    .m_clear = tm_py_clear,
    .m_free = tm_py_free,
};

PyMODINIT_FUNC PyInit__timemory(void) {
    return PyModuleDef_Init(&tm_py_module_def);
}
