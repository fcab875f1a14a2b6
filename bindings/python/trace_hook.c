/*
 * _timemory: the C trace hook behind timemory.trace.
 *
 * TracerHook(components, decide, line_label) records every executed line of
 * the traced code objects as a region: a line's region opens at its line
 * event and closes at the next line event of the same frame or when the frame
 * returns, so what a line calls nests under it. decide(code) says once per
 * code object whether to trace it; line_label(code, lineno) gives the label
 * of a line once per (code, line), kept in a per-code array indexed by line.
 *
 * Threads and stop() work as in profiler_hook.c (PyEval_SetTrace, a
 * _TracerThread per thread, threading.settrace for new threads). A line event
 * of a frame entered before start() (the body of `with Tracer():`) opens an
 * entry for that frame, so the lines of the with-block are traced too.
 */
#include "bindings/python/profiler_cache.h"

/* Per traced code object: region per line, lazily decided. */
typedef struct tm_py_tcode {
    PyObject *code;      /* borrowed: the cache holds the reference */
    int first;           /* co_firstlineno */
    int n;               /* entries in lines[] */
    tm_region_t *lines;  /* lines[lineno - first]: NULL undecided, else region or skip */
} tm_py_tcode_t;

typedef struct tm_py_tracer {
    PyObject_HEAD
    tm_component_set_t set;
    int active;
    PyObject *decide;     /* decide(code) -> bool */
    PyObject *line_label; /* line_label(code, lineno) -> label or None */
    PyObject *thread_type;
    tm_py_pcache_t cache; /* code object -> tm_py_tcode_t* or skip */
} tm_py_tracer_t;

typedef struct tm_py_tentry {
    tm_py_tcode_t *code; /* NULL: not traced */
    tm_region_t open;    /* region of the line being executed, or NULL */
} tm_py_tentry_t;

typedef struct tm_py_tthread {
    PyObject_HEAD
    tm_py_tracer_t *hook;
    tm_py_tentry_t *stack;
    size_t depth, cap;
    size_t lost; /* calls above the stack that could not grow (out of memory) */
} tm_py_tthread_t;

static void tm_py_tcode_free(void *value) {
    tm_py_tcode_t *tc = value;
    PyMem_Free(tc->lines);
    PyMem_Free(tc);
}

/* ---- deciding ---- */

__attribute__((noinline)) static tm_py_tcode_t *tm_py_tracer_code(tm_py_tracer_t *p,
                                                                   PyObject *code) {
    void *v = tm_py_pcache_get(&p->cache, code);
    if (TM_PY_LIKELY(v))
        return TM_PY_PCACHE_DECIDED_NO(v) ? NULL : v;
    if (!p->decide)
        return NULL; /* cleared by the garbage collector */
    Py_INCREF(p);
    PyObject *yes = PyObject_CallOneArg(p->decide, code);
    int traced = yes ? PyObject_IsTrue(yes) : -1;
    Py_XDECREF(yes);
    PyObject *first = traced > 0 ? PyObject_GetAttrString(code, "co_firstlineno") : NULL;
    tm_py_tcode_t *tc = NULL;
    if (traced < 0 || (traced > 0 && !first)) {
        tm_py_hook_unraisable("trace: deciding whether to trace a code object failed");
    } else if (traced > 0 && (tc = PyMem_Calloc(1, sizeof *tc)) != NULL) {
        tc->code = code;
        tc->first = (int)PyLong_AsLong(first);
        if (PyErr_Occurred()) {
            PyErr_Clear();
            tc->first = 0;
        }
    }
    Py_XDECREF(first);
    if (tm_py_pcache_put(&p->cache, code, code, tc ? (void *)tc : TM_PY_PCACHE_SKIP) < 0) {
        PyErr_Clear();
        if (tc)
            tm_py_tcode_free(tc);
        tc = NULL;
    }
    Py_DECREF(p);
    return tc;
}

__attribute__((noinline)) static tm_region_t tm_py_tracer_line_slow(tm_py_tracer_t *p,
                                                                  tm_py_tcode_t *tc,
                                                                  int line) {
    int i = line - tc->first;
    if (i < 0)
        return NULL; /* not expected: a line before the def; not recorded */
    if (i >= tc->n) {
        int n = i + 16;
        tm_region_t *lines = PyMem_Realloc(tc->lines, (size_t)n * sizeof *lines);
        if (!lines)
            return NULL;
        for (int k = tc->n; k < n; k++)
            lines[k] = NULL;
        tc->lines = lines;
        tc->n = n;
    }
    if (!p->line_label)
        return NULL;
    Py_INCREF(p);
    PyObject *code = Py_NewRef(tc->code);
    PyObject *label = PyObject_CallFunction(p->line_label, "Oi", code, line);
    void *v = NULL;
    if (label == Py_None) {
        v = TM_PY_PCACHE_SKIP;
    } else if (label) {
        const char *text = tm_py_cstr(label, "trace line label");
        v = text ? (void *)tm_region(text) : NULL;
        if (text && !v)
            PyErr_Format(PyExc_ValueError, "invalid line label %R: %s", label, tm_last_error());
    }
    Py_XDECREF(label);
    if (!v) {
        tm_py_hook_unraisable("trace: labelling a line failed");
        v = TM_PY_PCACHE_SKIP;
    }
    /* The callback ran Python code: re-find the slot (the table may have
     * been cleared only by the tracer's deallocation, which p's reference
     * prevents). */
    if (i < tc->n)
        tc->lines[i] = v;
    Py_DECREF(code);
    Py_DECREF(p);
    return TM_PY_PCACHE_DECIDED_NO(v) ? NULL : v;
}

static inline tm_region_t tm_py_tracer_line(tm_py_tracer_t *p, tm_py_tcode_t *tc, int line) {
    int i = line - tc->first;
    if (TM_PY_LIKELY(i >= 0 && i < tc->n && tc->lines[i]))
        return TM_PY_PCACHE_DECIDED_NO(tc->lines[i]) ? NULL : tc->lines[i];
    return tm_py_tracer_line_slow(p, tc, line);
}

/* ---- the per-thread stack ---- */

static int tm_py_tthread_push(tm_py_tthread_t *ts, tm_py_tcode_t *code) {
    if (TM_PY_UNLIKELY(ts->depth == ts->cap || ts->lost)) {
        size_t cap = ts->cap ? ts->cap * 2 : 64;
        tm_py_tentry_t *stack = ts->lost ? NULL : PyMem_RawRealloc(ts->stack, cap * sizeof *stack);
        if (!stack) {
            /* Out of memory: the frames above are not traced; their returns
             * are counted off before anything is popped. */
            ts->lost++;
            return -1;
        }
        ts->stack = stack;
        ts->cap = cap;
    }
    ts->stack[ts->depth++] = (tm_py_tentry_t){code, NULL};
    return 0;
}

static void tm_py_tthread_pop(tm_py_tthread_t *ts) {
    if (TM_PY_UNLIKELY(ts->lost)) {
        ts->lost--;
        return;
    }
    if (ts->depth == 0)
        return;
    tm_py_tentry_t *e = &ts->stack[--ts->depth];
    if (e->open)
        (void)tm_region_end(e->open);
}

/* ---- the hook ---- */

static int tm_py_trace_func(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg) {
    (void)arg;
    tm_py_tthread_t *ts = (tm_py_tthread_t *)obj;
    tm_py_tracer_t *p = ts->hook;
    switch (what) {
    case PyTrace_CALL:
    case PyTrace_LINE: {
        if (what == PyTrace_LINE && TM_PY_UNLIKELY(ts->lost))
            return 0; /* a line of a frame the stack had no room for */
        if (what == PyTrace_LINE && ts->depth == 0 && !p->active) {
            PyEval_SetTrace(NULL, NULL); /* stopped, nothing open here */
            return 0;
        }
        tm_py_tcode_t *tc = NULL;
        if (p->active && (what == PyTrace_CALL || ts->depth == 0)) {
            PyCodeObject *code = PyFrame_GetCode(frame);
            tc = tm_py_tracer_code(p, (PyObject *)code);
            Py_DECREF(code);
        }
        if (what == PyTrace_CALL || ts->depth == 0) {
            /* a call, or a line of a frame entered before start() */
            if (tm_py_tthread_push(ts, tc) < 0 || what == PyTrace_CALL)
                return 0;
        }
        tm_py_tentry_t *e = &ts->stack[ts->depth - 1];
        if (!e->code)
            return 0;
        if (e->open) {
            (void)tm_region_end(e->open);
            e->open = NULL;
        }
        if (!p->active)
            return 0;
        tm_region_t r = tm_py_tracer_line(p, e->code, PyFrame_GetLineNumber(frame));
        /* the callback may have run other threads, never this stack */
        if (r && tm_region_begin_set(r, p->set) == TM_OK)
            ts->stack[ts->depth - 1].open = r;
        return 0;
    }
    case PyTrace_RETURN:
        tm_py_tthread_pop(ts);
        if (TM_PY_UNLIKELY(!p->active) && ts->depth == 0)
            PyEval_SetTrace(NULL, NULL);
        return 0;
    default:
        return 0;
    }
}

/* ---- _TracerThread ---- */

static int tm_py_tthread_traverse(PyObject *op, visitproc visit, void *arg) {
    Py_VISIT(Py_TYPE(op));
    Py_VISIT(((tm_py_tthread_t *)op)->hook);
    return 0;
}

static int tm_py_tthread_clear(PyObject *op) {
    Py_CLEAR(((tm_py_tthread_t *)op)->hook);
    return 0;
}

static void tm_py_tthread_dealloc(PyObject *op) {
    tm_py_tthread_t *ts = (tm_py_tthread_t *)op;
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    tm_py_tthread_clear(op);
    PyMem_RawFree(ts->stack);
    tp->tp_free(op);
    Py_DECREF(tp);
}

static PyType_Slot tm_py_tthread_slots[] = {
    {Py_tp_doc, "A tracer's state on one thread (the object of its trace hook)."},
    {Py_tp_traverse, tm_py_tthread_traverse},
    {Py_tp_clear, tm_py_tthread_clear},
    {Py_tp_dealloc, tm_py_tthread_dealloc},
    {0, NULL},
};

static PyType_Spec tm_py_tthread_spec = {
    .name = "timemory._timemory._TracerThread",
    .basicsize = sizeof(tm_py_tthread_t),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = tm_py_tthread_slots,
};

/* ---- TracerHook ---- */

static int tm_py_tracer_owns(tm_py_tracer_t *p, PyObject *obj) {
    return Py_IS_TYPE(obj, (PyTypeObject *)p->thread_type) && ((tm_py_tthread_t *)obj)->hook == p;
}

static int tm_py_tracer_install(tm_py_tracer_t *p) {
    tm_py_tthread_t *ts = PyObject_GC_New(tm_py_tthread_t, (PyTypeObject *)p->thread_type);
    if (!ts)
        return -1;
    ts->hook = (tm_py_tracer_t *)Py_NewRef(p);
    ts->stack = NULL;
    ts->depth = ts->cap = ts->lost = 0;
    PyObject_GC_Track(ts);
    PyEval_SetTrace(tm_py_trace_func, (PyObject *)ts);
    Py_DECREF(ts);
    return 0;
}

static PyObject *tm_py_tracer_start(PyObject *op, PyObject *unused) {
    (void)unused;
    tm_py_tracer_t *p = (tm_py_tracer_t *)op;
    PyObject *cur = tm_py_current_hook_obj(1);
    if (!cur)
        return NULL;
    int mine = tm_py_tracer_owns(p, cur);
    int other = !mine && Py_IS_TYPE(cur, (PyTypeObject *)p->thread_type) &&
                ((tm_py_tthread_t *)cur)->hook->active;
    Py_DECREF(cur);
    if (other) {
        PyErr_SetString(PyExc_RuntimeError,
                        "another timemory tracer is running on this thread; stop it first");
        return NULL;
    }
    p->active = 1;
    if (!mine && tm_py_tracer_install(p) < 0) {
        p->active = 0;
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *tm_py_tracer_stop(PyObject *op, PyObject *unused) {
    (void)unused;
    tm_py_tracer_t *p = (tm_py_tracer_t *)op;
    p->active = 0;
    PyObject *cur = tm_py_current_hook_obj(1);
    if (!cur)
        return NULL;
    if (tm_py_tracer_owns(p, cur)) {
        tm_py_tthread_t *ts = (tm_py_tthread_t *)cur;
        ts->lost = 0;
        while (ts->depth)
            tm_py_tthread_pop(ts);
        PyEval_SetTrace(NULL, NULL);
    }
    Py_DECREF(cur);
    Py_RETURN_NONE;
}

/* Installs the C hook on this thread and hands it this first event. */
static PyObject *tm_py_tracer_bootstrap(tm_py_tracer_t *p, PyObject *frame,
                                        const char *event, PyObject *arg) {
    if (tm_py_tracer_install(p) < 0)
        return NULL;
    int what = strcmp(event, "call") == 0 ? PyTrace_CALL
               : strcmp(event, "line") == 0 ? PyTrace_LINE
               : strcmp(event, "return") == 0 ? PyTrace_RETURN : -1;
    PyObject *ts = tm_py_current_hook_obj(1);
    if (!ts)
        return NULL;
    if (what >= 0 && tm_py_tracer_owns(p, ts))
        tm_py_trace_func(ts, (PyFrameObject *)frame, what, arg);
    Py_DECREF(ts);
    Py_RETURN_NONE;
}

/* hook(frame, event, arg) as threading.settrace calls it first in a new thread. */
static PyObject *tm_py_tracer_call(PyObject *op, PyObject *args, PyObject *kwds) {
    tm_py_tracer_t *p = (tm_py_tracer_t *)op;
    PyObject *frame, *arg;
    const char *event;
    if (kwds && PyDict_GET_SIZE(kwds)) {
        PyErr_SetString(PyExc_TypeError, "TracerHook takes (frame, event, arg)");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "OsO:TracerHook", &frame, &event, &arg))
        return NULL;
    if (!p->active || !PyFrame_Check(frame)) {
        PyEval_SetTrace(NULL, NULL);
        Py_RETURN_NONE;
    }
    /* Installing drops the thread's reference to this object (the
     * trampoline's); keep it alive until this call returns. */
    Py_INCREF(p);
    PyObject *result = tm_py_tracer_bootstrap(p, frame, event, arg);
    Py_DECREF(p);
    return result;
}

static PyObject *tm_py_tracer_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"components", "decide", "line_label", NULL};
    PyObject *components, *decide, *line_label;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOO:TracerHook", kwlist, &components, &decide,
                                     &line_label))
        return NULL;
    if (!PyCallable_Check(decide) || !PyCallable_Check(line_label)) {
        PyErr_SetString(PyExc_TypeError, "TracerHook: decide and line_label must be callables");
        return NULL;
    }
    tm_py_state_t *st = tm_py_state_of_type(type);
    if (!st)
        return NULL;
    tm_component_set_t set;
    if (tm_py_component_set(st, components, &set) < 0)
        return NULL;
    PyObject *module = PyType_GetModuleByDef(type, &tm_py_module_def);
    PyObject *thread_type = module ? PyObject_GetAttrString(module, "_TracerThread") : NULL;
    if (!thread_type)
        return NULL;
    tm_py_tracer_t *self = (tm_py_tracer_t *)type->tp_alloc(type, 0);
    if (!self) {
        Py_DECREF(thread_type);
        return NULL;
    }
    self->set = set;
    self->decide = Py_NewRef(decide);
    self->line_label = Py_NewRef(line_label);
    self->thread_type = thread_type;
    self->cache.free_value = tm_py_tcode_free;
    return (PyObject *)self;
}

static int tm_py_tracer_traverse(PyObject *op, visitproc visit, void *arg) {
    tm_py_tracer_t *self = (tm_py_tracer_t *)op;
    Py_VISIT(Py_TYPE(op));
    Py_VISIT(self->decide);
    Py_VISIT(self->line_label);
    Py_VISIT(self->thread_type);
    return 0;
}

static int tm_py_tracer_clear(PyObject *op) {
    tm_py_tracer_t *self = (tm_py_tracer_t *)op;
    Py_CLEAR(self->decide);
    Py_CLEAR(self->line_label);
    Py_CLEAR(self->thread_type);
    return 0;
}

static void tm_py_tracer_dealloc(PyObject *op) {
    tm_py_tracer_t *self = (tm_py_tracer_t *)op;
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    tm_py_tracer_clear(op);
    tm_py_pcache_clear(&self->cache);
    tp->tp_free(op);
    Py_DECREF(tp);
}

static PyObject *tm_py_tracer_active(PyObject *op, void *closure) {
    (void)closure;
    return PyBool_FromLong(((tm_py_tracer_t *)op)->active);
}

static PyMethodDef tm_py_tracer_methods[] = {
    {"start", tm_py_tracer_start, METH_NOARGS,
     "Traces the calling thread (and, through threading.settrace, new threads)."},
    {"stop", tm_py_tracer_stop, METH_NOARGS,
     "Stops recording; closes what is open on the calling thread."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef tm_py_tracer_getset[] = {
    {"active", tm_py_tracer_active, NULL, "True between start() and stop().", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot tm_py_tracer_slots[] = {
    {Py_tp_doc, "TracerHook(components, decide, line_label)\n--\n\n"
                "The C trace hook of timemory.trace: decide(code) once per code object, "
                "line_label(code, lineno) once per line."},
    {Py_tp_new, tm_py_tracer_new},
    {Py_tp_call, tm_py_tracer_call},
    {Py_tp_traverse, tm_py_tracer_traverse},
    {Py_tp_clear, tm_py_tracer_clear},
    {Py_tp_dealloc, tm_py_tracer_dealloc},
    {Py_tp_methods, tm_py_tracer_methods},
    {Py_tp_getset, tm_py_tracer_getset},
    {0, NULL},
};

static PyType_Spec tm_py_tracer_spec = {
    .name = "timemory._timemory.TracerHook",
    .basicsize = sizeof(tm_py_tracer_t),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = tm_py_tracer_slots,
};

int tm_py_trace_types_init(PyObject *module) {
    PyObject *types[2] = {
        PyType_FromModuleAndSpec(module, &tm_py_tthread_spec, NULL),
        PyType_FromModuleAndSpec(module, &tm_py_tracer_spec, NULL),
    };
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        if (!types[i] || PyModule_AddType(module, (PyTypeObject *)types[i]) < 0)
            rc = -1;
        Py_XDECREF(types[i]);
    }
    return rc;
}
