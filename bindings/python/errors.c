/* _timemory: tm_error_t codes as Python exceptions. */
#include "bindings/python/tm_py.h"

/* The detailed message when the core left one, else the code's name. */
static const char *tm_py_message(int rc) {
    const char *detail = tm_last_error();
    return (detail && detail[0]) ? detail : tm_strerror(rc);
}

/* Sets the exception of a failure that is not a repair; returns -1. */
static int tm_py_raise(int rc) {
    PyObject *type;
    switch (rc) {
    case TM_E_NOMEM:
        PyErr_NoMemory();
        return -1;
    case TM_E_UNBALANCED:
        type = PyExc_RuntimeError;
        break;
    case TM_E_IO:
        type = PyExc_OSError;
        break;
    case TM_E_WRONG_KIND:
        type = PyExc_TypeError;
        break;
    case TM_E_UNAVAILABLE:
        type = PyExc_RuntimeError;
        break;
    case TM_E_INVALID:
    case TM_E_UNKNOWN_COMPONENT:
    case TM_E_BAD_SETTING:
    default:
        type = PyExc_ValueError;
        break;
    }
    PyErr_SetString(type, tm_py_message(rc));
    return -1;
}

int tm_py_error(int rc) {
    if (rc == TM_E_UNBALANCED) {
        /* Repaired by the core; a warning lets -W error make it fatal. */
        return PyErr_WarnEx(PyExc_RuntimeWarning, tm_py_message(rc), 1) < 0 ? -1 : 0;
    }
    return tm_py_raise(rc);
}

PyObject *tm_py_error_null(int rc) {
    tm_py_raise(rc);
    return NULL;
}

PyObject *tm_py_result(int rc) {
    if (rc < TM_OK && tm_py_error(rc) < 0)
        return NULL;
    Py_RETURN_NONE;
}
