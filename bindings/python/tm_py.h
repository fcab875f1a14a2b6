/*
 * _timemory: declarations shared by the extension's files.
 *
 * Every type is a heap type (PyType_Spec) whose pointer lives in the module
 * state, as in CPython's Modules/_lsprof.c; functions reach the state through
 * PyType_GetModuleByDef(). The module still supports one interpreter per
 * process: the C core's storage, settings and labels are process-wide, so
 * two interpreters would record into (and reset) the same call graph. The
 * module says so with Py_mod_multiple_interpreters where Python has it.
 */
#ifndef TM_PY_H
#define TM_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <timemory/timemory.h>

/* Python 3.12 names of the member types; older versions spell them in
 * structmember.h. */
#ifndef Py_T_OBJECT_EX
#include <structmember.h>
#define Py_T_OBJECT_EX T_OBJECT_EX
#define Py_T_PYSSIZET T_PYSSIZET
#define Py_READONLY READONLY
#endif

typedef struct tm_py_state {
    PyTypeObject *component_type;              /* timemory.component.Component */
    PyTypeObject *row_types[TM_COMPONENT_COUNT]; /* WallClock, ... (table order) */
    PyTypeObject *marker_type;                 /* marker(...) objects */
    PyTypeObject *marked_type;                 /* functions wrapped by a marker */
} tm_py_state_t;

/* An instance of timemory.component.Component (component_type.c). */
typedef struct tm_py_component {
    PyObject_HEAD
    tm_component_t c;
    PyObject *key; /* the label given to the constructor (or to rekey()) */
} tm_py_component_t;

/* component_api.c: the reference toolkit's names on Component (laps(),
 * get_value(), hash(), is_available(), ...) and the class attributes
 * `available`/`has_value` of every row type; called once the row types exist. */
int tm_py_component_api_init(tm_py_state_t *st);
PyObject *tm_py_component_add(PyObject *a, PyObject *b);
PyObject *tm_py_component_subtract(PyObject *a, PyObject *b);
PyObject *tm_py_component_inplace_add(PyObject *a, PyObject *b);
PyObject *tm_py_component_inplace_subtract(PyObject *a, PyObject *b);

extern PyModuleDef tm_py_module_def;

/* State of the module that defined `type` (or a base of it); NULL with an
 * exception set if there is none. */
tm_py_state_t *tm_py_state_of_type(PyTypeObject *type);

/* Reports the tm_error_t `rc` (< 0): sets a Python exception and returns -1.
 * TM_E_UNBALANCED is only a RuntimeWarning (the core repaired it): then it
 * returns 0 unless the warning was turned into an error. */
int tm_py_error(int rc);

/* For a call whose failure leaves no result: sets the exception for `rc`
 * (TM_E_UNBALANCED as RuntimeError) and returns NULL. */
PyObject *tm_py_error_null(int rc);

/* Py_None, or tm_py_error(rc) when rc < 0. */
PyObject *tm_py_result(int rc);

/* UTF-8 text of the str `obj`: TypeError naming `what` if it is not a str,
 * ValueError if it holds a NUL. Borrowed from `obj`. */
const char *tm_py_cstr(PyObject *obj, const char *what);

/* tm_format_value() as a str. */
PyObject *tm_py_format_value(int id, double value);

/* Parses a component list (a name string "a,b", or an iterable of names or
 * component classes) into *out. Returns 0, or -1 with TypeError/ValueError. */
int tm_py_component_set(tm_py_state_t *st, PyObject *spec, tm_component_set_t *out);

/* Component id of a component class (or subclass), or -1 if it is not one. */
int tm_py_row_of_type(tm_py_state_t *st, PyTypeObject *type);

/* Type creation, called once from the module's exec slot. */
int tm_py_component_types_init(PyObject *module, tm_py_state_t *st);
int tm_py_marker_types_init(PyObject *module, tm_py_state_t *st);

/* The storage layouts as the tuples flat_get()/tree_get() return (query.c),
 * shared with load() (load.c) so a saved run reads like a live one. */
PyObject *tm_py_flat_list(const tm_flat_t *flat);
PyObject *tm_py_tree_nodes(const tm_tree_node_t *nodes, size_t n);

/* Module-level functions, by file. */
extern PyMethodDef tm_py_query_methods[];
extern PyMethodDef tm_py_settings_methods[];
extern PyMethodDef tm_py_load_methods[];
extern PyMethodDef tm_py_multiproc_methods[];

/* Adds "file_suffix" and "ranks" (list of {"rank", "pid"}) to a metadata dict. */
int tm_py_metadata_multiproc(PyObject *d, const tm_run_info_t *m);

#endif /* TM_PY_H */
