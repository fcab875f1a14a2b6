"""Region markers: decorators and context managers recording into the call graph.

marker(["wall_clock"]) and marker(components, key) return the C Marker, whose
decorated functions cost two core calls per call. The reference toolkit's
(NERSC/timemory) label options -- add_args, is_class, mode, a callable giving
the components, report_at_exit -- build each label in Python instead
(base_decorator below), which is slower per call but labels regions the way
the reference does:

  mode     decorator label        context-manager label
  blank    key                    key
  basic    func/key               func/key        (func: the enclosing function
  full     func@file:line/key     func@file:line/key    for a context manager)
  defer    as basic               as blank
  None     key, else func         key, else the enclosing function (ours)

add_args appends the argument values, "(n=5)", to func (to key in blank mode);
is_class inserts "[Class]" (the class of the first argument) before them. A
trailing or leading "/" is dropped; a label left empty becomes func.
"""

import atexit
import functools
import inspect
import os
import sys
import threading

from timemory import _timemory

Marker = _timemory.Marker
MarkedFunction = _timemory.MarkedFunction

__all__ = [
    "Marker",
    "MarkedFunction",
    "auto_timer",
    "auto_tuple",
    "base_decorator",
    "marker",
    "rss_usage",
    "timer",
]

# The reference's auto_timer bundle (wall_clock, cpu_clock, cpu_util,
# peak_rss) in our names; its user_global_bundle has no equivalent here.
AUTO_TIMER_COMPONENTS = ("wall_clock", "cpu_clock", "cpu_util", "peak_rss")
# The reference's rss_usage bundle.
RSS_USAGE_COMPONENTS = ("page_rss", "peak_rss", "num_minor_page_faults",
                        "num_major_page_faults", "voluntary_context_switch",
                        "priority_context_switch")
MODES = ("blank", "basic", "full", "defer")


def _is_supplier(obj):
    """A callable returning components (a class is a component or a mistake)."""
    return callable(obj) and not isinstance(obj, type)


def _is_component_class(obj):
    return isinstance(obj, type) and isinstance(getattr(obj, "name", None), str) and \
        hasattr(obj, "push")


def _flatten(items):
    """Names and component classes of `items`; callables (not classes) are
    called and their result flattened, as the reference's get_components."""
    if isinstance(items, str) or _is_component_class(items):
        return [items]
    if _is_supplier(items):
        return _flatten(items())
    out = []
    for item in items:
        if _is_supplier(item):
            out.extend(_flatten(item()))
        else:
            out.append(item)
    return out


def _needs_flatten(components):
    if isinstance(components, str):
        return False
    if _is_supplier(components):
        return True
    try:
        return any(_is_supplier(c) for c in components)
    except TypeError:
        return False  # not iterable: the C Marker names the problem


def _format_args(names, varargs, varkw, values):
    """The text inspect.formatargvalues gives for a frame: "(a=1, *rest=(2,))"."""
    specs = ["{}={!r}".format(name, values[name]) for name in names]
    if varargs:
        specs.append("*{}={!r}".format(varargs, values[varargs]))
    if varkw:
        specs.append("**{}={!r}".format(varkw, values[varkw]))
    return "(" + ", ".join(specs) + ")"


def _signature(func):
    try:
        return inspect.signature(func)
    except (TypeError, ValueError):
        return None  # a builtin without one


def _call_args(sig, args, kwargs):
    """Argument text of a call with signature `sig`, as the reference writes
    the function's frame."""
    try:
        if sig is None:
            raise TypeError
        bound = sig.bind(*args, **kwargs)
    except TypeError:
        return _format_args([], "args" if args else None, "kwargs" if kwargs else None,
                            {"args": args, "kwargs": kwargs})
    bound.apply_defaults()
    names, varargs, varkw = [], None, None
    for name, param in bound.signature.parameters.items():
        if param.kind is param.VAR_POSITIONAL:
            varargs = name
        elif param.kind is param.VAR_KEYWORD:
            varkw = name
        else:
            names.append(name)
    return _format_args(names, varargs, varkw, bound.arguments)


def _frame_args(frame):
    info = inspect.getargvalues(frame)
    return _format_args(info.args, info.varargs, info.keywords, info.locals)


class base_decorator(object):
    """Label building shared by marker, auto_timer, timer and rss_usage on
    their Python path (see the module docstring)."""

    def __init__(self, key="", add_args=False, is_class=False, mode=None):
        if key is None:
            key = ""
        if not isinstance(key, str):
            raise TypeError("key must be a str, not {}".format(type(key).__name__))
        if mode is not None and mode not in MODES:
            raise ValueError("unknown mode {!r}: valid modes are {} (or None for "
                             "timemory-c's own labels)".format(mode, ", ".join(MODES)))
        self.key = key
        self.add_args = bool(add_args)
        self.is_class = bool(is_class)
        self.mode = mode
        self._local = threading.local()

    def _label(self, func, file, line, args_text, decorating):
        mode = self.mode
        if mode is None:
            label = (self.key or func) + args_text
        else:
            if mode == "defer":
                mode = "basic" if decorating else "blank"
            if mode == "blank":
                label = self.key + args_text
            elif mode == "basic":
                label = "{}{}/{}".format(func, args_text, self.key)
            else:
                label = "{}{}@{}:{}/{}".format(func, args_text, file, line, self.key)
            label = label.strip("/")
        return label or func

    def _class_text(self, args):
        if self.is_class and args and args[0] is not None:
            tag = "[{}]".format(type(args[0]).__name__)
            return "" if tag in self.key else tag
        return ""

    def _decorator_label(self, func, where, sig, args, kwargs):
        text = self._class_text(args)
        if self.add_args:
            text += _call_args(sig, args, kwargs)
        return self._label(getattr(func, "__name__", type(func).__name__), where[0], where[1],
                           text, True)

    def _context_label(self, frame):
        text = _frame_args(frame) if self.add_args else ""
        return self._label(frame.f_code.co_name, os.path.basename(frame.f_code.co_filename),
                           frame.f_lineno, text, False)

    # Subclasses: _begin(label) returns a token, _end(token) closes it.
    def __call__(self, func):
        if not callable(func):
            raise TypeError("{} can only decorate a callable, not {}".format(
                type(self).__name__, type(func).__name__))
        caller = sys._getframe(1)
        where = (os.path.basename(caller.f_code.co_filename), caller.f_lineno)
        sig = _signature(func) if self.add_args else None
        begin, end = self._begin, self._end

        if not (self.add_args or self.is_class):
            label = self._decorator_label(func, where, None, (), {})  # the same every call

            @functools.wraps(func)
            def function_wrapper(*args, **kwargs):
                token = begin(label)
                try:
                    return func(*args, **kwargs)
                finally:
                    end(token)
        else:
            @functools.wraps(func)
            def function_wrapper(*args, **kwargs):
                token = begin(self._decorator_label(func, where, sig, args, kwargs))
                try:
                    return func(*args, **kwargs)
                finally:
                    end(token)

        return function_wrapper

    def __enter__(self):
        stack = getattr(self._local, "stack", None)
        if stack is None:
            stack = self._local.stack = []
        stack.append(self._begin(self._context_label(sys._getframe(1))))
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self._end(self._local.stack.pop())
        return False


class _LabelledMarker(base_decorator):
    """marker() with the reference's label options: records like Marker, one
    region per label."""

    def __init__(self, components, key, add_args, is_class, report_at_exit, mode):
        super(_LabelledMarker, self).__init__(key, add_args, is_class, mode)
        self._static = None if _needs_flatten(components) else components
        self._source = components
        if self._static is not None:
            Marker(self._static, None)  # unknown names fail here, not at the first call
        self._markers = {}
        self._labels = set()
        if report_at_exit:
            atexit.register(self._report)

    @property
    def components(self):
        comps = self._static if self._static is not None else _flatten(self._source)
        return Marker(comps, None).components

    def _marker(self, label):
        if self._static is not None:
            m = self._markers.get(label)
            if m is None:
                if len(self._markers) > 4096:
                    self._markers.clear()
                m = self._markers[label] = Marker(self._static, label)
            return m
        comps = _flatten(self._source)
        cache_key = (label, tuple(comps) if not isinstance(comps, str) else comps)
        m = self._markers.get(cache_key)
        if m is None:
            if len(self._markers) > 4096:
                self._markers.clear()
            m = self._markers[cache_key] = Marker(comps, label)
        return m

    def _begin(self, label):
        m = self._marker(label)
        m.__enter__()
        self._labels.add(label)
        return m

    def _end(self, m):
        m.__exit__(None, None, None)

    def _report(self):
        _print_recorded(self._labels, self._markers.values())


def _storage_of(name):
    from timemory import storage
    for attr in dir(storage):
        cls = getattr(storage, attr)
        if isinstance(cls, type) and getattr(cls, "component", None) == name:
            return cls
    return None


def _print_recorded(labels, markers):
    """report_at_exit: one line per recorded label and component."""
    names = []
    for m in markers:
        names.extend(n for n in m.components if n not in names)
    for name in names:
        store = _storage_of(name)
        for entry in store.get() if store else []:
            if entry.label() in labels:
                print("[{}] {} : {} {}".format(name, entry.prefix(), str(entry.data()).strip(),
                                               entry.stats()))


def marker(components=None, key="", add_args=False, is_class=False, report_at_exit=False,
           mode=None):
    """Records `components` (names such as "wall_clock", component classes, or a
    callable returning them; default: settings.components) for a region.

    As a decorator every call is one sample; as a context manager the `with`
    block is. An exception raised inside still closes the region. Unknown
    names raise ValueError. The label options follow the reference toolkit
    (module docstring); without them the label is `key`, else the function's
    __name__ (decorator) or the enclosing function's name (context manager),
    and the region is handled entirely in C.
    """
    if components is None:
        from timemory import settings
        components = settings.components
    elif _is_component_class(components):
        components = [components]
    if not (add_args or is_class or report_at_exit or mode is not None or
            _needs_flatten(components)):
        return Marker(components, key or None)
    return _LabelledMarker(components, key, add_args, is_class, report_at_exit, mode)


auto_tuple = marker


def auto_timer(key="", add_args=False, is_class=False, report_at_exit=False, mode=None):
    """marker() of the reference's auto_timer set: wall_clock, cpu_clock,
    cpu_util and peak_rss."""
    return marker(list(AUTO_TIMER_COMPONENTS), key, add_args, is_class, report_at_exit, mode)


class _Printing(base_decorator):
    """Measures a region with component objects and prints them at its end."""

    components = ()
    record = True  # push/pop into the call graph as well

    def __init__(self, key="", add_args=False, is_class=False, mode=None):
        super(_Printing, self).__init__(key, add_args, is_class, mode)
        from timemory import component
        by_name = {cls.name: cls for cls in component.Component.__subclasses__()}
        self._classes = [by_name[name] for name in self.components]

    def _begin(self, label):
        objs = [cls(label) for cls in self._classes if cls.is_available()]
        # One region for the whole set (pushing each object would nest them).
        region = Marker(list(self.components), label) if self.record else None
        if region is not None:
            region.__enter__()
        for obj in objs:
            obj.start()
        return label, objs, region

    def _end(self, token):
        label, objs, region = token
        for obj in reversed(objs):
            obj.stop()
        if region is not None:
            region.__exit__(None, None, None)
        print(_report_line(label, objs))


def _report_line(label, objs):
    return "{} : {}".format(label, ", ".join(str(o).strip() for o in objs))


class timer(_Printing):
    """Decorator or context manager that records the auto_timer set (wall_clock,
    cpu_clock, cpu_util, peak_rss) into the call graph and prints the region's
    values at its end, as the reference's timer does."""

    components = AUTO_TIMER_COMPONENTS


class rss_usage(_Printing):
    """Decorator or context manager printing the change in page_rss, peak_rss,
    page faults and context switches over the region (recorded nowhere, as
    the reference's rss_usage)."""

    components = RSS_USAGE_COMPONENTS
    record = False

    def _begin(self, label):
        before = [cls(label) for cls in self._classes if cls.is_available()]
        for obj in before:
            obj.measure()
        return label, before, None

    def _end(self, token):
        label, before, _ = token
        after = [type(obj)(label) for obj in before]
        for end, start in zip(after, before):
            end.measure()
            end -= start  # the reference's record(); obj -= start
        print(_report_line(label, after))
