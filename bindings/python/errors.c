/* _timemory: tm_error_t codes as Python exceptions. */
#include "bindings/python/tm_py.h"

/* The detailed message when the core left one, else the code's name. */
static const char *tm_py_message(int rc) {
    const char *detail = tm_last_error();
    return (detail && detail[0]) ? detail : tm_strerror(rc);
}

PyObject *tm_py_error(int rc) {
    PyObject *type;
    switch (rc) {
    case TM_E_UNBALANCED:
        /* Repaired by the core; a warning lets -W error make it fatal. */
        if (PyErr_WarnEx(PyExc_RuntimeWarning, tm_py_message(rc), 1) < 0)
            return NULL;
        Py_RETURN_NONE;
    case TM_E_NOMEM:
        return PyErr_NoMemory();
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
    return NULL;
}

PyObject *tm_py_result(int rc) {
    if (rc >= TM_OK)
        Py_RETURN_NONE;
    return tm_py_error(rc);
}
