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

/* A node's inclusive then exclusive value as one bytes object of two
 * native (double data, uint64 count, double sum, min, max, sqr, mean,
 * stddev) records (timemory/_storage.py unpacks one when it is asked for):
 * 161 bytes a node instead of two tuples of eight numbers (~650). */
typedef struct tm_py_value_rec {
    double data;
    uint64_t count;
    double sum, min, max, sqr, mean, stddev;
} tm_py_value_rec_t;

static void tm_py_value_fill(tm_py_value_rec_t *r, const tm_value_t *v) {
    *r = (tm_py_value_rec_t){v->data,          v->stats.count, v->stats.sum,           v->stats.min,
                             v->stats.max,     v->stats.sqr,   tm_stats_mean(&v->stats), tm_stats_stddev(&v->stats)};
}

static PyObject *tm_py_values(const tm_value_t *inclusive, const tm_value_t *exclusive) {
    tm_py_value_rec_t r[2];
    tm_py_value_fill(&r[0], inclusive);
    tm_py_value_fill(&r[1], exclusive);
    return PyBytes_FromStringAndSize((const char *)r, (Py_ssize_t)sizeof r);
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

/* (tid, pid, depth, hash, rolling_hash, label, None, up, values): `up` is
 * the parent entry's tuple when `parent` is one (0: not linked), else the
 * whole hierarchy as a list; the Python side computes prefix() and
 * hierarchy() from these on access, so a view of a chain N deep stays O(N). */
static PyObject *tm_py_flat_linked(const tm_flat_entry_t *e, PyObject *parent, PyObject *label) {
    PyObject *up = parent;
    if (up)
        Py_INCREF(up);
    else
        up = tm_py_hashes(e->hierarchy, e->hierarchy_len);
    return Py_BuildValue("(ILLKKNONN)", (unsigned)e->tid, (long long)e->pid, (long long)e->depth,
                         (unsigned long long)e->hash, (unsigned long long)e->rolling_hash,
                         label ? label : tm_py_text(e->label), Py_None, up,
                         tm_py_values(&e->inclusive, &e->exclusive));
}

PyObject *tm_py_flat_list(const tm_flat_t *flat) {
    PyObject *list = PyList_New(flat ? (Py_ssize_t)flat->size : 0);
    for (size_t i = 0; list && flat && i < flat->size; i++) {
        const tm_flat_entry_t *fe = &flat->entries[i];
        /* entries come after their parent: its tuple is already in the list */
        PyObject *up = fe->parent && fe->parent <= i ? PyList_GET_ITEM(list, (Py_ssize_t)(fe->parent - 1)) : NULL;
        /* a recursion's label: one str for the whole chain */
        PyObject *label = up && flat->entries[fe->parent - 1].label == fe->label ? PyTuple_GET_ITEM(up, 5) : NULL;
        Py_XINCREF(label);
        PyObject *e = tm_py_flat_linked(fe, up, label);
        if (!e) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, e);
    }
    return list;
}

static PyObject *tm_py_flat_get(PyObject *module, PyObject *arg) {
    (void)module;
    int id = tm_py_component_arg(arg);
    if (id < 0)
        return NULL;
    tm_flat_t *flat = NULL;
    int rc = tm_flat_get(id, &flat);
    if (rc < 0)
        return tm_py_error_null(rc);
    PyObject *list = tm_py_flat_list(flat);
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

/* (is_dummy, depth, hash, rolling_hash, label, prefix, tids, pids, values,
 *  children) of `n`; what equals its parent's (label, tid and pid sets, as
 * along a recursion) is the parent's object, shared. */
static PyObject *tm_py_tree_tuple(const tm_tree_node_t *n, const tm_tree_node_t *pn, PyObject *up) {
    PyObject *label, *prefix, *tids, *pids;
    if (pn && pn->label == n->label) {
        label = Py_NewRef(PyTuple_GET_ITEM(up, 4));
    } else {
        label = tm_py_text(n->label);
    }
    if (label && n->prefix == n->label)
        prefix = Py_NewRef(label);
    else
        prefix = pn && pn->prefix == n->prefix ? Py_NewRef(PyTuple_GET_ITEM(up, 5)) : tm_py_text(n->prefix);
    if (pn && pn->n_tids == n->n_tids && (!n->n_tids || !memcmp(pn->tids, n->tids, n->n_tids * sizeof *n->tids)))
        tids = Py_NewRef(PyTuple_GET_ITEM(up, 6));
    else
        tids = tm_py_u32s(n->tids, n->n_tids);
    if (pn && pn->n_pids == n->n_pids && (!n->n_pids || !memcmp(pn->pids, n->pids, n->n_pids * sizeof *n->pids)))
        pids = Py_NewRef(PyTuple_GET_ITEM(up, 7));
    else
        pids = tm_py_i64s(n->pids, n->n_pids);
    return Py_BuildValue("(NLKKNNNNNN)", PyBool_FromLong(n->is_dummy), (long long)n->depth,
                         (unsigned long long)n->hash, (unsigned long long)n->rolling_hash, label, prefix, tids,
                         pids, tm_py_values(&n->inclusive, &n->exclusive), PyList_New((Py_ssize_t)n->n_children));
}

/* The trees as nested tuples, built with an explicit stack (a graph any
 * depth deep needs no C recursion). */
PyObject *tm_py_tree_nodes(const tm_tree_node_t *nodes, size_t n) {
    typedef struct {
        const tm_tree_node_t *parent; /* NULL at the top */
        PyObject *tuple;              /* the parent's (borrowed) */
        PyObject *list;               /* where the children go (borrowed) */
        const tm_tree_node_t *kids;
        size_t count, next;
    } frame_t;
    PyObject *top = PyList_New((Py_ssize_t)n);
    size_t cap = 64, depth = 0;
    frame_t *st = top ? PyMem_Malloc(cap * sizeof *st) : NULL;
    if (!st) {
        Py_XDECREF(top);
        return PyErr_NoMemory();
    }
    st[depth++] = (frame_t){NULL, NULL, top, nodes, n, 0};
    int ok = 1;
    while (depth && ok) {
        frame_t *f = &st[depth - 1];
        if (f->next == f->count) {
            --depth;
            continue;
        }
        const size_t i = f->next++;
        const tm_tree_node_t *node = &f->kids[i];
        PyObject *t = tm_py_tree_tuple(node, f->parent, f->tuple);
        if (!t || PyTuple_GET_ITEM(t, 9) == NULL || PyTuple_GET_ITEM(t, 8) == NULL) {
            Py_XDECREF(t);
            ok = 0;
            break;
        }
        PyList_SET_ITEM(f->list, (Py_ssize_t)i, t);
        if (!node->n_children)
            continue;
        if (depth == cap) {
            frame_t *grown = PyMem_Realloc(st, 2 * cap * sizeof *st);
            if (!grown) {
                PyErr_NoMemory();
                ok = 0;
                break;
            }
            st = grown, cap *= 2;
        }
        st[depth++] = (frame_t){node, t, PyTuple_GET_ITEM(t, 9), node->children, node->n_children, 0};
    }
    PyMem_Free(st);
    if (!ok)
        Py_CLEAR(top);
    return top;
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
     "rolling_hash, label, None, up, values); up is the parent's tuple, or "
     "at a thread's top the whole hierarchy list; values is bytes: the inclusive then "
     "the exclusive value as native (double data, uint64 count, double sum, min, max, "
     "sqr, mean, stddev)."},
    {"tree_get", tm_py_tree_get, METH_O,
     "tree_get(component_id, /)\n--\n\nMerged tree: a list of (is_dummy, depth, hash, "
     "rolling_hash, label, prefix, tids, pids, values, children); values as in flat_get()."},
    {"format_value", tm_py_format_value_fn, METH_VARARGS,
     "format_value(component_id, value, /)\n--\n\n'   6.534 sec wall' (tm_format_value)."},
    {"format_stats", tm_py_format_stats, METH_VARARGS,
     "format_stats(count, sum, min, max, sqr, /)\n--\n\n"
     "'[sum: ...] [min: ...] [max: ...] [sqr: ...] [count: ...]' (tm_format_stats)."},
    {NULL, NULL, 0, NULL},
};
