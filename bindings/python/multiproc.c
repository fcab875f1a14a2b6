/*
 * _timemory functions for many processes (timemory/mpi.py): a profile as
 * the JSON text ranks send each other, the merge of two such texts, rank
 * 0's files of the merged text, and the rank / file-suffix the core puts
 * in names and metadata. mpi4py does the messaging: the extension itself
 * does not link MPI.
 */
#include "bindings/python/tm_py.h"

#include <stdlib.h>

#include <timemory/serialize.h>

#include "core/src/multiproc.h"

static PyObject *tm_py_text(char *text, size_t len) {
    PyObject *s = PyUnicode_DecodeUTF8(text ? text : "", (Py_ssize_t)len, "surrogateescape");
    free(text);
    return s;
}

static tm_profile_t *tm_py_parse(PyObject *obj, const char *what) {
    Py_ssize_t len = 0;
    const char *s = PyUnicode_Check(obj) ? PyUnicode_AsUTF8AndSize(obj, &len) : NULL;
    if (!s) {
        if (!PyErr_Occurred()) PyErr_Format(PyExc_TypeError, "%s must be a str (a profile's JSON text)", what);
        return NULL;
    }
    tm_profile_t *p = NULL;
    if (tm_profile_parse(s, (size_t)len, what, &p) != TM_OK) {
        PyErr_Format(PyExc_ValueError, "%s", tm_last_error());
        return NULL;
    }
    return p;
}

static PyObject *tm_py_profile_json(PyObject *module, PyObject *arg) {
    (void)module;
    long id = PyLong_AsLong(arg);
    if (id == -1 && PyErr_Occurred()) return NULL;
    tm_profile_t *p = NULL;
    int rc = tm_profile_capture((int)id, &p);
    if (rc != TM_OK) return tm_py_error_null(rc);
    size_t nodes = tm_profile_node_count(p), len = 0;
    char *text = NULL;
    rc = tm_profile_to_json(p, &text, &len);
    tm_profile_free(p);
    if (rc != TM_OK) {
        free(text);
        return tm_py_error_null(rc);
    }
    return Py_BuildValue("(nN)", (Py_ssize_t)nodes, tm_py_text(text, len));
}

static PyObject *tm_py_merge_json(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO:merge_json", &a, &b)) return NULL;
    tm_profile_t *into = tm_py_parse(a, "first profile"), *from = into ? tm_py_parse(b, "second profile") : NULL;
    int rc = from ? tm_profile_merge(into, from) : TM_OK;
    char *text = NULL;
    size_t len = 0;
    if (from && rc == TM_OK) rc = tm_profile_to_json(into, &text, &len);
    tm_profile_free(into);
    tm_profile_free(from);
    if (!from) return NULL;
    if (rc != TM_OK) {
        free(text);
        PyErr_Format(PyExc_ValueError, "cannot merge profiles: %s", tm_last_error());
        return NULL;
    }
    return tm_py_text(text, len);
}

/* compact_json(text): the profile without values per thread (tm_profile_compact) */
static PyObject *tm_py_compact_json(PyObject *module, PyObject *arg) {
    (void)module;
    tm_profile_t *p = tm_py_parse(arg, "profile");
    if (!p) return NULL;
    int rc = tm_profile_compact(p);
    char *text = NULL;
    size_t len = 0;
    if (rc == TM_OK) rc = tm_profile_to_json(p, &text, &len);
    tm_profile_free(p);
    if (rc != TM_OK) {
        free(text);
        return tm_py_error_null(rc);
    }
    return tm_py_text(text, len);
}

static PyObject *tm_py_write_reports_json(PyObject *module, PyObject *arg) {
    (void)module;
    tm_profile_t *p = tm_py_parse(arg, "merged profile");
    if (!p) return NULL;
    PyObject *out = PySys_GetObject("stdout"); /* borrowed: keep text order */
    if (out && out != Py_None) {
        PyObject *r = PyObject_CallMethod(out, "flush", NULL);
        if (r) Py_DECREF(r);
        else PyErr_Clear();
    }
    int rc = tm_profile_write_reports(p);
    tm_profile_free(p);
    return tm_py_result(rc);
}

static int64_t tm_py_rank = -1;
static int64_t tm_py_rank_of_process(void) { return tm_py_rank; }

static PyObject *tm_py_set_mpi_rank(PyObject *module, PyObject *arg) {
    (void)module;
    long long r = PyLong_AsLongLong(arg);
    if (r == -1 && PyErr_Occurred()) return NULL;
    tm_py_rank = r < 0 ? -1 : r;
    tm_rank_hook = r < 0 ? NULL : tm_py_rank_of_process;
    Py_RETURN_NONE;
}

static PyObject *tm_py_set_output_suffix(PyObject *module, PyObject *arg) {
    (void)module;
    const char *s = arg == Py_None ? NULL : tm_py_cstr(arg, "suffix");
    if (arg != Py_None && !s) return NULL;
    tm_output_suffix_force(s);
    Py_RETURN_NONE;
}

PyMethodDef tm_py_multiproc_methods[] = {
    {"profile_json", tm_py_profile_json, METH_O,
     "profile_json(component_id, /)\n--\n\n(node count, JSON text) of this process's profile."},
    {"merge_json", tm_py_merge_json, METH_VARARGS,
     "merge_json(a, b, /)\n--\n\nJSON text of profile b merged into profile a."},
    {"compact_json", tm_py_compact_json, METH_O,
     "compact_json(text, /)\n--\n\nThe profile's JSON text without values per thread (a merged tree)."},
    {"write_reports_json", tm_py_write_reports_json, METH_O,
     "write_reports_json(text, /)\n--\n\nWrites the report files of a (merged) profile's JSON text."},
    {"set_mpi_rank", tm_py_set_mpi_rank, METH_O,
     "set_mpi_rank(rank, /)\n--\n\nThe MPI rank written in the metadata (-1: none)."},
    {"set_output_suffix", tm_py_set_output_suffix, METH_O,
     "set_output_suffix(suffix, /)\n--\n\nForces the report files' suffix; None decides again."},
    {NULL, NULL, 0, NULL},
};

int tm_py_metadata_multiproc(PyObject *d, const tm_run_info_t *m) {
    const char *sfx = m->file_suffix ? m->file_suffix : "";
    PyObject *suffix = PyUnicode_DecodeUTF8(sfx, (Py_ssize_t)strlen(sfx), "surrogateescape");
    PyObject *ranks = PyList_New((Py_ssize_t)m->n_ranks);
    for (size_t i = 0; ranks && i < m->n_ranks; ++i) {
        PyObject *e = Py_BuildValue("{s:L,s:L}", "rank", (long long)m->rank_pids[2 * i], "pid",
                                    (long long)m->rank_pids[2 * i + 1]);
        if (!e) {
            Py_CLEAR(ranks);
            break;
        }
        PyList_SET_ITEM(ranks, (Py_ssize_t)i, e);
    }
    int rc = suffix && ranks && PyDict_SetItemString(d, "file_suffix", suffix) == 0 &&
                     PyDict_SetItemString(d, "ranks", ranks) == 0
                 ? 0
                 : -1;
    Py_XDECREF(suffix);
    Py_XDECREF(ranks);
    return rc;
}
