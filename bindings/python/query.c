/*
 * _timemory: the storage layouts (query.h) as plain tuples; the package's
 * timemory/_storage.py gives them the spec's methods. Tuples keep this file
 * a straight copy of the C snapshot.
 */
#include "bindings/python/tm_py.h"

/* A valid component id from a Python int, or -1 with ValueError/TypeError. */
static int tm_py_component_arg(PyObject *arg) {
    long id = PyLong_AsLong(arg);
    if (id == -1 && PyErr_Occurred())
        return -1;
    if (id < 0 || id >= tm_component_count()) {
        PyErr_Format(PyExc_ValueError, "no component with id %ld", id);
        return -1;
    }
    return (int)id;
}

/* (data, count, sum, min, max, sqr, mean, stddev) */
static PyObject *tm_py_value(const tm_value_t *v) {
    return Py_BuildValue("(dKdddddd)", v->data, (unsigned long long)v->stats.count,
                         v->stats.sum, v->stats.min, v->stats.max, v->stats.sqr,
                         tm_stats_mean(&v->stats), tm_stats_stddev(&v->stats));
}

static PyObject *tm_py_hashes(const uint64_t *h, size_t n) {
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *x = PyLong_FromUnsignedLongLong(h[i]);
        if (!x) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, x);
    }
    return list;
}

static PyObject *tm_py_text(const char *s) {
    return PyUnicode_DecodeUTF8(s ? s : "", (Py_ssize_t)strlen(s ? s : ""), "replace");
}

/* (tid, pid, depth, hash, rolling_hash, label, prefix, up, inclusive, exclusive):
 * `up` is the parent entry's tuple when `parent` is one (0: not linked),
 * else the whole hierarchy as a list; the Python side computes prefix()
 * and hierarchy() from these on access, so a view of a chain N deep stays
 * O(N) (prefix is None here for the same reason). */
static PyObject *tm_py_flat_linked(const tm_flat_entry_t *e, PyObject *parent, PyObject *label,
                                   int with_prefix) {
    PyObject *up = parent;
    if (up)
        Py_INCREF(up);
    else
        up = tm_py_hashes(e->hierarchy, e->hierarchy_len);
    PyObject *prefix = with_prefix ? tm_py_text(e->prefix) : Py_NewRef(Py_None);
    return Py_BuildValue("(ILLKKNNNNN)", (unsigned)e->tid, (long long)e->pid, (long long)e->depth,
                         (unsigned long long)e->hash, (unsigned long long)e->rolling_hash,
                         label ? label : tm_py_text(e->label), prefix, up, tm_py_value(&e->inclusive),
                         tm_py_value(&e->exclusive));
}

PyObject *tm_py_flat_entry(const tm_flat_entry_t *e) { return tm_py_flat_linked(e, NULL, NULL, 1); }

static PyObject *tm_py_flat_get(PyObject *module, PyObject *arg) {
    (void)module;
    int id = tm_py_component_arg(arg);
    if (id < 0)
        return NULL;
    tm_flat_t *flat = NULL;
    int rc = tm_flat_get(id, &flat);
    if (rc < 0)
        return tm_py_error_null(rc);
    PyObject *list = PyList_New(flat ? (Py_ssize_t)flat->size : 0);
    for (size_t i = 0; list && flat && i < flat->size; i++) {
        const tm_flat_entry_t *fe = &flat->entries[i];
        /* entries come after their parent: its tuple is already in the list */
        PyObject *up = fe->parent && fe->parent <= i ? PyList_GET_ITEM(list, (Py_ssize_t)(fe->parent - 1)) : NULL;
        /* a recursion's label: one str for the whole chain */
        PyObject *label = up && flat->entries[fe->parent - 1].label == fe->label ? PyTuple_GET_ITEM(up, 5) : NULL;
        Py_XINCREF(label);
        PyObject *e = tm_py_flat_linked(fe, up, label, 0);
        if (!e) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, e);
    }
    tm_flat_free(flat);
    return list;
}


static PyObject *tm_py_u32s(const uint32_t *v, size_t n) {
    PyObject *t = PyTuple_New((Py_ssize_t)n);
    for (size_t i = 0; t && i < n; i++) {
        PyObject *x = PyLong_FromUnsignedLong(v[i]);
        if (!x) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, (Py_ssize_t)i, x);
    }
    return t;
}

static PyObject *tm_py_i64s(const int64_t *v, size_t n) {
    PyObject *t = PyTuple_New((Py_ssize_t)n);
    for (size_t i = 0; t && i < n; i++) {
        PyObject *x = PyLong_FromLongLong(v[i]);
        if (!x) {
            Py_CLEAR(t);
            break;
        }
        PyTuple_SET_ITEM(t, (Py_ssize_t)i, x);
    }
    return t;
}

/* (is_dummy, depth, hash, rolling_hash, label, prefix, tids, pids, inclusive,
 *  exclusive, children) */
static PyObject *tm_py_tree_node(const tm_tree_node_t *node) {
    if (Py_EnterRecursiveCall(" while converting a timemory tree"))
        return NULL;
    PyObject *children = tm_py_tree_nodes(node->children, node->n_children);
    Py_LeaveRecursiveCall();
    if (!children)
        return NULL;
    return Py_BuildValue("(NLKKNNNNNNN)", PyBool_FromLong(node->is_dummy), (long long)node->depth,
                         (unsigned long long)node->hash, (unsigned long long)node->rolling_hash,
                         tm_py_text(node->label), tm_py_text(node->prefix),
                         tm_py_u32s(node->tids, node->n_tids), tm_py_i64s(node->pids, node->n_pids),
                         tm_py_value(&node->inclusive), tm_py_value(&node->exclusive), children);
}

PyObject *tm_py_tree_nodes(const tm_tree_node_t *nodes, size_t n) {
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *x = tm_py_tree_node(&nodes[i]);
        if (!x) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, x);
    }
    return list;
}

static PyObject *tm_py_tree_get(PyObject *module, PyObject *arg) {
    (void)module;
    int id = tm_py_component_arg(arg);
    if (id < 0)
        return NULL;
    tm_tree_t *tree = NULL;
    int rc = tm_tree_get(id, &tree);
    if (rc < 0)
        return tm_py_error_null(rc);
    PyObject *list = tree ? tm_py_tree_nodes(tree->roots, tree->n_roots) : PyList_New(0);
    tm_tree_free(tree);
    return list;
}

static PyObject *tm_py_format_value_fn(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *idobj;
    double value;
    if (!PyArg_ParseTuple(args, "Od:format_value", &idobj, &value))
        return NULL;
    int id = tm_py_component_arg(idobj);
    if (id < 0)
        return NULL;
    return tm_py_format_value(id, value);
}

static PyObject *tm_py_format_stats(PyObject *module, PyObject *args) {
    (void)module;
    tm_stats_t s;
    unsigned long long count;
    if (!PyArg_ParseTuple(args, "Kdddd:format_stats", &count, &s.sum, &s.min, &s.max, &s.sqr))
        return NULL;
    s.count = count;
    char text[256]; /* five %g fields and a count always fit */
    int n = tm_format_stats(&s, text, sizeof text);
    if (n < 0)
        return tm_py_error_null(n);
    return PyUnicode_FromString(text);
}

PyMethodDef tm_py_query_methods[] = {
    {"flat_get", tm_py_flat_get, METH_O,
     "flat_get(component_id, /)\n--\n\nFlat layout: a list of (tid, pid, depth, hash, "
     "rolling_hash, label, None, up, inclusive, exclusive); up is the parent's tuple, or "
     "at a thread's top the whole hierarchy list; each value is "
     "(data, count, sum, min, max, sqr, mean, stddev)."},
    {"tree_get", tm_py_tree_get, METH_O,
     "tree_get(component_id, /)\n--\n\nMerged tree: a list of (is_dummy, depth, hash, "
     "rolling_hash, label, prefix, tids, pids, inclusive, exclusive, children)."},
    {"format_value", tm_py_format_value_fn, METH_VARARGS,
     "format_value(component_id, value, /)\n--\n\n'   6.534 sec wall' (tm_format_value)."},
    {"format_stats", tm_py_format_stats, METH_VARARGS,
     "format_stats(count, sum, min, max, sqr, /)\n--\n\n"
     "'[sum: ...] [min: ...] [max: ...] [sqr: ...] [count: ...]' (tm_format_stats)."},
    {NULL, NULL, 0, NULL},
};
