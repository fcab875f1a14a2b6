/*
 * _timemory: the C profile hook behind timemory.profiler.
 *
 * ProfilerHook(components, decide, decide_c=None) holds what a profiler
 * decided: the component set, and per code object (or per C function when
 * decide_c is given) the region handle to record or "skip". decide(code) /
 * decide_c(func) return the label or None; each runs once per key, so a call
 * costs: event switch, code object, one table probe, tm_region_begin_set.
 * A return costs a pop of the thread's own stack and tm_region_end.
 *
 * start() installs the hook on the calling thread (PyEval_SetProfile) with a
 * per-thread _ProfilerThread as its object; calling the hook object like a
 * sys.setprofile function (threading.setprofile) installs it on a new thread.
 * Each thread keeps the stack of what its call events opened (NULL for a
 * skipped call), so returns pop exactly what their call pushed: a generator
 * or coroutine yields with a return event and resumes with a call event,
 * exceptions unwind with return events, and returns of frames entered before
 * start() find an empty stack and are ignored. After stop() a thread that
 * still has open entries keeps popping (pushing nothing new to record) until
 * it is back where it started, then uninstalls itself.
 */
#include "bindings/python/profiler_cache.h"

#include <structmember.h>

typedef struct tm_py_profiler {
    PyObject_HEAD
    tm_component_set_t set;
    int active;
    PyObject *decide;      /* decide(code) -> label or None */
    PyObject *decide_c;    /* decide_c(builtin) -> label or None, or NULL: C calls ignored */
    PyObject *thread_type; /* _ProfilerThread */
    tm_py_pcache_t cache;  /* code object / C function -> region or skip */
} tm_py_profiler_t;

typedef struct tm_py_pthread {
    PyObject_HEAD
    tm_py_profiler_t *hook;
    tm_region_t *stack; /* regions opened by the call events; NULL: nothing to end */
    size_t depth, cap;
    size_t lost; /* calls above the stack that could not grow (out of memory) */
} tm_py_pthread_t;

/* ---- the per-thread stack ---- */

static int tm_py_pthread_grow(tm_py_pthread_t *ts) {
    size_t cap = ts->cap ? ts->cap * 2 : 64;
    tm_region_t *stack = PyMem_RawRealloc(ts->stack, cap * sizeof *stack);
    if (!stack)
        return -1;
    ts->stack = stack;
    ts->cap = cap;
    return 0;
}

static inline void tm_py_pthread_push(tm_py_pthread_t *ts, tm_region_t r, tm_component_set_t set) {
    if (TM_PY_UNLIKELY(ts->depth == ts->cap || ts->lost) &&
        (ts->lost || tm_py_pthread_grow(ts) < 0)) {
        /* Out of memory: the calls above are not recorded; their returns
         * are counted off before anything is popped. */
        ts->lost++;
        return;
    }
    if (r && tm_region_begin_set(r, set) != TM_OK)
        r = NULL;
    ts->stack[ts->depth++] = r;
}

static inline void tm_py_pthread_pop(tm_py_pthread_t *ts) {
    if (TM_PY_UNLIKELY(ts->lost)) {
        ts->lost--;
        return;
    }
    if (ts->depth == 0)
        return; /* the return of a frame entered before start() */
    tm_region_t r = ts->stack[--ts->depth];
    if (r)
        (void)tm_region_end(r);
}

/* Ends every region this thread's stack holds (stop() on this thread). */
static void tm_py_pthread_close_all(tm_py_pthread_t *ts) {
    ts->lost = 0;
    while (ts->depth)
        tm_py_pthread_pop(ts);
}

/* ---- deciding once per key ---- */

/* Region (or TM_PY_PCACHE_SKIP) for `key`, asking decide(obj) the first time.
 * A failing callback is reported as unraisable and the key is skipped. */
__attribute__((noinline)) static void *tm_py_profiler_decide(tm_py_profiler_t *p, const void *key,
                                                             PyObject *ref, PyObject *decide,
                                                             PyObject *obj) {
    if (!decide)
        return TM_PY_PCACHE_SKIP; /* cleared by the garbage collector */
    /* The callback runs Python code with the hook disabled; keep the
     * profiler alive across it (stop() could drop the last reference). */
    Py_INCREF(p);
    void *v = tm_py_decide_region(decide, obj, "profiler label callback");
    if (!v) {
        tm_py_hook_unraisable("profiler: deciding the label of a function failed");
        v = TM_PY_PCACHE_SKIP;
    }
    if (tm_py_pcache_put(&p->cache, key, ref, v) < 0)
        PyErr_Clear(); /* decided again next time */
    Py_DECREF(p);
    return v;
}

/* True when the Python function calling a C function is timemory's own code
 * (decided TM_PY_PCACHE_OWN at its call): its C calls are not the user's. */
static inline int tm_py_profiler_called_from_own(tm_py_profiler_t *p, PyFrameObject *frame) {
    PyCodeObject *caller = PyFrame_GetCode(frame); /* new reference */
    void *v = tm_py_pcache_get(&p->cache, caller);
    Py_DECREF(caller);
    return v == TM_PY_PCACHE_OWN;
}

/* ---- the hook ---- */

static int tm_py_profile_func(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg) {
    tm_py_pthread_t *ts = (tm_py_pthread_t *)obj;
    tm_py_profiler_t *p = ts->hook;
    switch (what) {
    case PyTrace_CALL: {
        tm_region_t r = NULL;
        if (TM_PY_LIKELY(p->active)) {
            PyCodeObject *code = PyFrame_GetCode(frame); /* new reference */
            void *v = tm_py_pcache_get(&p->cache, code);
            if (TM_PY_UNLIKELY(!v))
                v = tm_py_profiler_decide(p, code, (PyObject *)code, p->decide, (PyObject *)code);
            Py_DECREF(code);
            if (!TM_PY_PCACHE_DECIDED_NO(v))
                r = v;
        }
        tm_py_pthread_push(ts, r, p->set);
        return 0;
    }
    case PyTrace_RETURN:
        break;
    case PyTrace_C_CALL: {
        if (!p->decide_c)
            return 0;
        tm_region_t r = NULL;
        if (p->active && PyCFunction_Check(arg) && PyCFunction_GetSelf(arg) != (PyObject *)p &&
            !tm_py_profiler_called_from_own(p, frame)) {
            const void *key = (const void *)PyCFunction_GetFunction(arg);
            void *v = tm_py_pcache_get(&p->cache, key);
            if (!v)
                v = tm_py_profiler_decide(p, key, NULL, p->decide_c, arg);
            if (!TM_PY_PCACHE_DECIDED_NO(v))
                r = v;
        }
        tm_py_pthread_push(ts, r, p->set);
        return 0;
    }
    case PyTrace_C_RETURN:
    case PyTrace_C_EXCEPTION:
        if (!p->decide_c)
            return 0;
        break;
    default:
        return 0;
    }
    tm_py_pthread_pop(ts);
    if (TM_PY_UNLIKELY(!p->active) && ts->depth == 0) {
        /* stopped, and this thread is back where it started: uninstall */
        PyEval_SetProfile(NULL, NULL); /* drops the thread's reference to ts */
    }
    return 0;
}

/* ---- _ProfilerThread ---- */

static int tm_py_pthread_traverse(PyObject *op, visitproc visit, void *arg) {
    Py_VISIT(Py_TYPE(op));
    Py_VISIT(((tm_py_pthread_t *)op)->hook);
    return 0;
}

static int tm_py_pthread_clear(PyObject *op) {
    Py_CLEAR(((tm_py_pthread_t *)op)->hook);
    return 0;
}

static void tm_py_pthread_dealloc(PyObject *op) {
    tm_py_pthread_t *ts = (tm_py_pthread_t *)op;
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    tm_py_pthread_clear(op);
    PyMem_RawFree(ts->stack);
    tp->tp_free(op);
    Py_DECREF(tp);
}

static PyObject *tm_py_pthread_depth(PyObject *op, void *closure) {
    (void)closure;
    return PyLong_FromSize_t(((tm_py_pthread_t *)op)->depth);
}

static PyGetSetDef tm_py_pthread_getset[] = {
    {"depth", tm_py_pthread_depth, NULL, "Entries open on this thread's stack.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot tm_py_pthread_slots[] = {
    {Py_tp_doc, "A profiler's state on one thread (the object of its profile hook)."},
    {Py_tp_traverse, tm_py_pthread_traverse},
    {Py_tp_clear, tm_py_pthread_clear},
    {Py_tp_dealloc, tm_py_pthread_dealloc},
    {Py_tp_getset, tm_py_pthread_getset},
    {0, NULL},
};

static PyType_Spec tm_py_pthread_spec = {
    .name = "timemory._timemory._ProfilerThread",
    .basicsize = sizeof(tm_py_pthread_t),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = tm_py_pthread_slots,
};

/* ---- ProfilerHook ---- */

static tm_py_pthread_t *tm_py_profiler_new_thread(tm_py_profiler_t *p) {
    PyTypeObject *tp = (PyTypeObject *)p->thread_type;
    tm_py_pthread_t *ts = PyObject_GC_New(tm_py_pthread_t, tp);
    if (!ts)
        return NULL;
    ts->hook = (tm_py_profiler_t *)Py_NewRef(p);
    ts->stack = NULL;
    ts->depth = ts->cap = ts->lost = 0;
    PyObject_GC_Track(ts);
    return ts;
}

/* Is `obj` (the thread's profile object) a thread state of this profiler? */
static int tm_py_profiler_owns(tm_py_profiler_t *p, PyObject *obj) {
    return Py_IS_TYPE(obj, (PyTypeObject *)p->thread_type) && ((tm_py_pthread_t *)obj)->hook == p;
}

/* Installs the hook on the calling thread. */
static int tm_py_profiler_install(tm_py_profiler_t *p) {
    tm_py_pthread_t *ts = tm_py_profiler_new_thread(p);
    if (!ts)
        return -1;
    PyEval_SetProfile(tm_py_profile_func, (PyObject *)ts);
    Py_DECREF(ts); /* the thread state holds it now */
    return 0;
}

static PyObject *tm_py_profiler_start(PyObject *op, PyObject *unused) {
    (void)unused;
    tm_py_profiler_t *p = (tm_py_profiler_t *)op;
    PyObject *cur = tm_py_current_hook_obj(0);
    if (!cur)
        return NULL;
    int mine = tm_py_profiler_owns(p, cur);
    int other = !mine && Py_IS_TYPE(cur, (PyTypeObject *)p->thread_type) &&
                ((tm_py_pthread_t *)cur)->hook->active;
    Py_DECREF(cur);
    if (other) {
        PyErr_SetString(PyExc_RuntimeError,
                        "another timemory profiler is running on this thread; stop it first");
        return NULL;
    }
    p->active = 1;
    if (!mine && tm_py_profiler_install(p) < 0) {
        p->active = 0;
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *tm_py_profiler_stop(PyObject *op, PyObject *unused) {
    (void)unused;
    tm_py_profiler_t *p = (tm_py_profiler_t *)op;
    p->active = 0;
    PyObject *cur = tm_py_current_hook_obj(0);
    if (!cur)
        return NULL;
    if (tm_py_profiler_owns(p, cur)) {
        tm_py_pthread_close_all((tm_py_pthread_t *)cur);
        PyEval_SetProfile(NULL, NULL);
    }
    Py_DECREF(cur);
    Py_RETURN_NONE;
}

/* Installs the C hook on this thread and hands it this first event. */
static PyObject *tm_py_profiler_bootstrap(tm_py_profiler_t *p, PyObject *frame,
                                          const char *event, PyObject *arg) {
    if (tm_py_profiler_install(p) < 0)
        return NULL;
    static const struct { const char *name; int what; } events[] = {
        {"call", PyTrace_CALL},         {"return", PyTrace_RETURN},
        {"c_call", PyTrace_C_CALL},     {"c_return", PyTrace_C_RETURN},
        {"c_exception", PyTrace_C_EXCEPTION},
    };
    PyObject *ts = tm_py_current_hook_obj(0);
    if (!ts)
        return NULL;
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++) {
        if (strcmp(event, events[i].name) == 0 && tm_py_profiler_owns(p, ts)) {
            tm_py_profile_func(ts, (PyFrameObject *)frame, events[i].what, arg);
            break;
        }
    }
    Py_DECREF(ts);
    Py_RETURN_NONE;
}

/* hook(frame, event, arg), as threading.setprofile calls it first in a new
 * thread: install the C hook on this thread, then handle this event. */
static PyObject *tm_py_profiler_call(PyObject *op, PyObject *args, PyObject *kwds) {
    tm_py_profiler_t *p = (tm_py_profiler_t *)op;
    PyObject *frame, *arg;
    const char *event;
    if (kwds && PyDict_GET_SIZE(kwds)) {
        PyErr_SetString(PyExc_TypeError, "ProfilerHook takes (frame, event, arg)");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "OsO:ProfilerHook", &frame, &event, &arg))
        return NULL;
    if (!p->active || !PyFrame_Check(frame)) {
        PyEval_SetProfile(NULL, NULL);
        Py_RETURN_NONE;
    }
    /* Installing drops the thread's reference to this object (the
     * trampoline's); keep it alive until this call returns. */
    Py_INCREF(p);
    PyObject *result = tm_py_profiler_bootstrap(p, frame, event, arg);
    Py_DECREF(p);
    return result;
}

static PyObject *tm_py_profiler_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"components", "decide", "decide_c", NULL};
    PyObject *components, *decide, *decide_c = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO|O:ProfilerHook", kwlist, &components,
                                     &decide, &decide_c))
        return NULL;
    if (!PyCallable_Check(decide) || (decide_c != Py_None && !PyCallable_Check(decide_c))) {
        PyErr_SetString(PyExc_TypeError, "ProfilerHook: decide and decide_c must be callables");
        return NULL;
    }
    tm_py_state_t *st = tm_py_state_of_type(type);
    if (!st)
        return NULL;
    tm_component_set_t set;
    if (tm_py_component_set(st, components, &set) < 0)
        return NULL;
    PyObject *module = PyType_GetModuleByDef(type, &tm_py_module_def); /* borrowed */
    PyObject *thread_type = module ? PyObject_GetAttrString(module, "_ProfilerThread") : NULL;
    if (!thread_type)
        return NULL;
    tm_py_profiler_t *self = (tm_py_profiler_t *)type->tp_alloc(type, 0);
    if (!self) {
        Py_DECREF(thread_type);
        return NULL;
    }
    self->set = set;
    self->decide = Py_NewRef(decide);
    self->decide_c = decide_c == Py_None ? NULL : Py_NewRef(decide_c);
    self->thread_type = thread_type;
    return (PyObject *)self;
}

static int tm_py_profiler_traverse(PyObject *op, visitproc visit, void *arg) {
    tm_py_profiler_t *self = (tm_py_profiler_t *)op;
    Py_VISIT(Py_TYPE(op));
    Py_VISIT(self->decide);
    Py_VISIT(self->decide_c);
    Py_VISIT(self->thread_type);
    return 0;
}

static int tm_py_profiler_clear(PyObject *op) {
    tm_py_profiler_t *self = (tm_py_profiler_t *)op;
    Py_CLEAR(self->decide);
    Py_CLEAR(self->decide_c);
    Py_CLEAR(self->thread_type);
    return 0;
}

static void tm_py_profiler_dealloc(PyObject *op) {
    tm_py_profiler_t *self = (tm_py_profiler_t *)op;
    PyTypeObject *tp = Py_TYPE(op);
    PyObject_GC_UnTrack(op);
    tm_py_profiler_clear(op);
    tm_py_pcache_clear(&self->cache);
    tp->tp_free(op);
    Py_DECREF(tp);
}

static PyObject *tm_py_profiler_active(PyObject *op, void *closure) {
    (void)closure;
    return PyBool_FromLong(((tm_py_profiler_t *)op)->active);
}

static PyObject *tm_py_profiler_decided(PyObject *op, void *closure) {
    (void)closure;
    return PyLong_FromSize_t(((tm_py_profiler_t *)op)->cache.used);
}

static PyMethodDef tm_py_profiler_methods[] = {
    {"start", tm_py_profiler_start, METH_NOARGS,
     "Profiles the calling thread (and, through threading.setprofile, new threads)."},
    {"stop", tm_py_profiler_stop, METH_NOARGS,
     "Stops recording; closes what is open on the calling thread."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef tm_py_profiler_getset[] = {
    {"active", tm_py_profiler_active, NULL, "True between start() and stop().", NULL},
    {"decided", tm_py_profiler_decided, NULL,
     "Number of code objects and C functions decided (label or skip).", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot tm_py_profiler_slots[] = {
    {Py_tp_doc, "ProfilerHook(components, decide, decide_c=None)\n--\n\n"
                "The C profile hook of timemory.profiler: decide(code) / decide_c(func) "
                "return the region label or None, once per code object / C function."},
    {Py_tp_new, tm_py_profiler_new},
    {Py_tp_call, tm_py_profiler_call},
    {Py_tp_traverse, tm_py_profiler_traverse},
    {Py_tp_clear, tm_py_profiler_clear},
    {Py_tp_dealloc, tm_py_profiler_dealloc},
    {Py_tp_methods, tm_py_profiler_methods},
    {Py_tp_getset, tm_py_profiler_getset},
    {0, NULL},
};

static PyType_Spec tm_py_profiler_spec = {
    .name = "timemory._timemory.ProfilerHook",
    .basicsize = sizeof(tm_py_profiler_t),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .slots = tm_py_profiler_slots,
};

int tm_py_profiler_types_init(PyObject *module) {
    PyObject *types[2] = {
        PyType_FromModuleAndSpec(module, &tm_py_pthread_spec, NULL),
        PyType_FromModuleAndSpec(module, &tm_py_profiler_spec, NULL),
    };
    int rc = 0;
    for (int i = 0; i < 2; i++) {
        if (!types[i] || PyModule_AddType(module, (PyTypeObject *)types[i]) < 0)
            rc = -1;
        Py_XDECREF(types[i]);
    }
    return rc;
}
