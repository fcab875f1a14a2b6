/*
 * _timemory.load: saved JSON profiles (serialize.h) with their metadata;
 * several paths merge. profile_flat/profile_tree give the same tuples the
 * live storage gives (query.c), built when asked for.
 * timemory/_load.py wraps the result in the storage classes.
 */
#include "bindings/python/tm_py.h"

#include <stdlib.h>

#include "core/src/multiproc.h"

static PyObject *tm_py_loaded(tm_profile_t *p);

/* Loads one path (str, bytes or os.PathLike); NULL with an exception set. */
static tm_profile_t *tm_py_load_one(PyObject *path) {
    PyObject *bytes = NULL;
    if (!PyUnicode_FSConverter(path, &bytes))
        return NULL;
    tm_profile_t *p = NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tm_profile_load(PyBytes_AS_STRING(bytes), &p);
    Py_END_ALLOW_THREADS
    Py_DECREF(bytes);
    if (rc < 0) {
        tm_py_error_null(rc);
        return NULL;
    }
    return p;
}

/* Text of a loaded file as str: bytes that are not UTF-8 become lone
 * surrogates (as os.fsdecode does) instead of failing the whole load. */
static PyObject *tm_py_text(const char *s) {
    if (!s)
        s = "";
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

static PyObject *tm_py_strings(const char *const *s, size_t n) {
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *x = tm_py_text(s[i]);
        if (!x) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, x);
    }
    return list;
}

static PyObject *tm_py_settings_dict(const tm_run_info_t *m) {
    PyObject *d = PyDict_New();
    for (size_t i = 0; d && i < m->n_settings; i++) {
        PyObject *k = tm_py_text(m->setting_names[i]);
        PyObject *v = tm_py_text(m->setting_values[i]);
        if (!k || !v || PyDict_SetItem(d, k, v) < 0)
            Py_CLEAR(d);
        Py_XDECREF(k);
        Py_XDECREF(v);
    }
    return d;
}

static PyObject *tm_py_metadata(const tm_profile_t *p) {
    const tm_run_info_t *m = tm_profile_info(p);
    PyObject *d = Py_BuildValue("{s:N,s:N,s:N,s:N,s:N,s:N,s:L,s:N,s:L,s:N,s:N,s:N,s:N,s:K,s:K,s:N}", "name",
                         tm_py_text(m->name), "component", tm_py_text(m->component), "label", tm_py_text(m->label),
                         "unit", tm_py_text(m->unit), "kind", tm_py_text(m->kind), "description",
                         tm_py_text(m->description), "format_version", (long long)m->format_version,
                         "timemory_version", tm_py_text(m->timemory_version), "pid", (long long)m->pid, "hostname",
                         tm_py_text(m->hostname), "command_line", tm_py_strings(m->argv, m->argc), "start_time",
                         tm_py_text(m->start_time), "end_time", tm_py_text(m->end_time),
                         "thread_count", (unsigned long long)m->thread_count, "runs", (unsigned long long)m->runs,
                         "settings", tm_py_settings_dict(m));
    if (d && tm_py_metadata_multiproc(d, m) < 0)
        Py_CLEAR(d);
    if (d) {
        /* "flat", "tree" (Storage.dumps() of a get() / get_tree() result), or "" */
        PyObject *layout = PyUnicode_FromString(tm_profile_layout(p));
        if (!layout || PyDict_SetItemString(d, "layout", layout) < 0)
            Py_CLEAR(d);
        Py_XDECREF(layout);
    }
    return d;
}

static PyObject *tm_py_profile_flat(const tm_profile_t *p) {
    tm_flat_t *flat = NULL;
    int rc = tm_profile_flat(p, &flat);
    if (rc < 0)
        return tm_py_error_null(rc);
    PyObject *list = tm_py_flat_list(flat); /* linked as the live layout */
    tm_flat_free(flat);
    return list;
}

static PyObject *tm_py_profile_tree(const tm_profile_t *p) {
    tm_tree_t *tree = NULL;
    int rc = tm_profile_tree(p, &tree);
    if (rc < 0)
        return tm_py_error_null(rc);
    PyObject *list = tm_py_tree_nodes(tree->roots, tree->n_roots);
    tm_tree_free(tree);
    return list;
}

#define TM_PY_PROFILE "timemory._timemory.profile"

static void tm_py_profile_destroy(PyObject *capsule) {
    tm_profile_free(PyCapsule_GetPointer(capsule, TM_PY_PROFILE));
}

static tm_profile_t *tm_py_profile_arg(PyObject *capsule) {
    return PyCapsule_GetPointer(capsule, TM_PY_PROFILE); /* sets TypeError/ValueError */
}

/* load(paths) -> (metadata, component id or None, profile capsule); the
 * layouts are built on demand by profile_flat()/profile_tree(). */
static PyObject *tm_py_load(PyObject *module, PyObject *arg) {
    (void)module;
    PyObject *paths = PyUnicode_Check(arg) || PyBytes_Check(arg) || !PySequence_Check(arg)
                          ? PyTuple_Pack(1, arg)
                          : PySequence_Tuple(arg);
    if (!paths)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(paths);
    if (n == 0) {
        Py_DECREF(paths);
        PyErr_SetString(PyExc_ValueError, "load() needs at least one path");
        return NULL;
    }
    tm_profile_t *merged = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        tm_profile_t *p = tm_py_load_one(PyTuple_GET_ITEM(paths, i));
        if (!p) {
            tm_profile_free(merged);
            Py_DECREF(paths);
            return NULL;
        }
        if (!merged) {
            merged = p;
            continue;
        }
        int rc = tm_profile_merge(merged, p);
        tm_profile_free(p);
        if (rc < 0) {
            PyObject *bytes = NULL;
            PyUnicode_FSConverter(PyTuple_GET_ITEM(paths, i), &bytes);
            PyErr_Format(PyExc_ValueError, "cannot merge %s: %s", bytes ? PyBytes_AS_STRING(bytes) : "?",
                         tm_last_error());
            Py_XDECREF(bytes);
            tm_profile_free(merged);
            Py_DECREF(paths);
            return NULL;
        }
    }
    Py_DECREF(paths);
    return tm_py_loaded(merged);
}

static PyObject *tm_py_loaded(tm_profile_t *p) {
    PyObject *meta = tm_py_metadata(p);
    if (!meta) {
        tm_profile_free(p);
        return NULL;
    }
    int id = tm_profile_component(p);
    PyObject *capsule = PyCapsule_New(p, TM_PY_PROFILE, tm_py_profile_destroy);
    if (!capsule) {
        tm_profile_free(p);
        Py_DECREF(meta);
        return NULL;
    }
    return Py_BuildValue("(NNN)", meta, id < 0 ? Py_NewRef(Py_None) : PyLong_FromLong(id), capsule);
}

/* loads(text, name) -> as load(), from JSON text; `name` is used in errors. */
static PyObject *tm_py_loads(PyObject *module, PyObject *args) {
    (void)module;
    const char *text, *name;
    Py_ssize_t len;
    if (!PyArg_ParseTuple(args, "s#s:loads", &text, &len, &name))
        return NULL;
    tm_profile_t *p = NULL;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = tm_profile_parse(text, (size_t)len, name, &p);
    Py_END_ALLOW_THREADS
    if (rc < 0)
        return tm_py_error_null(rc);
    return tm_py_loaded(p);
}

/* run_metadata_json(component id) -> JSON text of a profile with this
 * process's metadata for the component and no nodes. */
static PyObject *tm_py_run_metadata_json(PyObject *module, PyObject *arg) {
    (void)module;
    long id = PyLong_AsLong(arg);
    if (id == -1 && PyErr_Occurred())
        return NULL;
    tm_profile_t *p = NULL;
    int rc = tm_profile_capture_info((int)id, &p);
    if (rc != TM_OK)
        return tm_py_error_null(rc);
    char *text = NULL;
    size_t len = 0;
    rc = tm_profile_to_json(p, &text, &len);
    tm_profile_free(p);
    if (rc != TM_OK) {
        free(text);
        return tm_py_error_null(rc);
    }
    PyObject *s = PyUnicode_DecodeUTF8(text, (Py_ssize_t)len, "surrogateescape");
    free(text);
    return s;
}

static PyObject *tm_py_profile_flat_fn(PyObject *module, PyObject *capsule) {
    (void)module;
    tm_profile_t *p = tm_py_profile_arg(capsule);
    return p ? tm_py_profile_flat(p) : NULL;
}

static PyObject *tm_py_profile_tree_fn(PyObject *module, PyObject *capsule) {
    (void)module;
    tm_profile_t *p = tm_py_profile_arg(capsule);
    return p ? tm_py_profile_tree(p) : NULL;
}

PyMethodDef tm_py_load_methods[] = {
    {"load", tm_py_load, METH_O,
     "load(paths, /)\n--\n\nReads saved JSON profiles (one path or a list, merged): "
     "(metadata dict, component id or None, profile)."},
    {"loads", tm_py_loads, METH_VARARGS,
     "loads(text, name, /)\n--\n\nReads a profile from its JSON text (name is used in errors): as load()."},
    {"run_metadata_json", tm_py_run_metadata_json, METH_O,
     "run_metadata_json(component, /)\n--\n\nJSON text of a profile with this process's metadata and no nodes."},
    {"profile_flat", tm_py_profile_flat_fn, METH_O,
     "profile_flat(profile, /)\n--\n\nFlat layout of a loaded profile, as flat_get()."},
    {"profile_tree", tm_py_profile_tree_fn, METH_O,
     "profile_tree(profile, /)\n--\n\nMerged tree of a loaded profile, as tree_get()."},
    {NULL, NULL, 0, NULL},
};
