"""Whole-program function profiling into the timemory call graph.

    from timemory.profiler import Profiler

    @Profiler(["wall_clock"])          # a decorator: each call of main is profiled
    def main(): ...

    with Profiler():                   # a context manager
        work()

    p = Profiler(components="wall_clock,cpu_clock", trace_c=True)
    p.start(); work(); p.stop()

    python3 -m timemory.profiler [-c wall_clock,...] [-o DIR] script.py args...

Every Python function called while a profiler runs is a region labelled with
its qualified name (plus " [file:line]" when file_line, default the
profiler_file_line setting) recording `components` (default the
profiler_components setting). The hook is C (PyEval_SetProfile); the label
and the filters are decided once per code object, never per call. Threads
started while a profiler runs are profiled too (threading.setprofile); threads
already running are not.
"""

import argparse
import functools
import os
import re
import sys
import threading

from timemory import _timemory, settings

__all__ = ["Profiler", "profile", "main"]

# timemory's own Python code (the profiler's start/stop/__exit__, the
# decorator's wrapper, marker() building a Marker, the storage readers) is
# instrumentation, not the user's program: never recorded.
_OWN_DIR = os.path.dirname(os.path.abspath(__file__))


def _is_own(filename):
    return os.path.dirname(os.path.abspath(filename)) == _OWN_DIR


def _patterns(value, what):
    """A list of compiled regular expressions from None, a str or an iterable of str."""
    if value is None:
        return ()
    if isinstance(value, (str, re.Pattern)):
        value = [value]
    elif not hasattr(value, "__iter__"):
        raise TypeError("{} must be a regular expression (str) or a list of them, not {}".format(
            what, type(value).__name__))
    out = []
    for item in value:
        if not isinstance(item, (str, re.Pattern)):
            raise TypeError("{} must be regular expressions (str), not {}".format(
                what, type(item).__name__))
        try:
            out.append(re.compile(item))
        except re.error as err:
            raise ValueError("{}: invalid regular expression {!r}: {}".format(what, item, err))
    return tuple(out)


class _Filters:
    """only_/skip_ functions and filenames: regular expressions searched in the
    qualified function name and in the file name."""

    def __init__(self, only_functions, skip_functions, only_filenames, skip_filenames):
        self.only_functions = _patterns(only_functions, "only_functions")
        self.skip_functions = _patterns(skip_functions, "skip_functions")
        self.only_filenames = _patterns(only_filenames, "only_filenames")
        self.skip_filenames = _patterns(skip_filenames, "skip_filenames")

    def wanted(self, name, filename):
        def any_match(patterns, text):
            return any(p.search(text) for p in patterns)

        if self.only_functions and not any_match(self.only_functions, name):
            return False
        if self.only_filenames and not any_match(self.only_filenames, filename):
            return False
        return not (any_match(self.skip_functions, name) or
                    any_match(self.skip_filenames, filename))


def _components(components):
    if components is None:
        components = settings.profiler_components or "wall_clock"
    return components


def _component_names(components):
    bits = _timemory.component_set(components)
    return [row[0] for i, row in enumerate(_timemory.components()) if bits >> i & 1]


class _Runner:
    """What Profiler and Tracer share: start/stop counting (re-entrant), the
    decorator and the context manager. Subclasses set self._hook and
    self._set_thread_hook (threading.setprofile or threading.settrace)."""

    _running_kind = {}  # kind -> the running instance (one per kind at a time)
    _kind = None

    def start(self):
        """Starts recording on this thread and on threads started from now on."""
        if self._count == 0:
            other = _Runner._running_kind.get(self._kind)
            if other is not None and other is not self:
                raise RuntimeError("another timemory {} is running; stop it first".format(
                    self._kind))
            # threading's hook first: its setter is Python code that the
            # running hook would record
            previous = self._get_thread_hook()
            self._set_thread_hook(self._hook)
            try:
                self._hook.start()
            except BaseException:
                self._set_thread_hook(previous)
                raise
            _Runner._running_kind[self._kind] = self
        self._count += 1
        return self

    def stop(self):
        """Stops recording (after as many stop() as start() calls); what is
        open on this thread is closed, other threads close theirs as their
        frames return."""
        if self._count == 0:
            return
        self._count -= 1
        if self._count == 0:
            self._hook.stop()
            if self._get_thread_hook() is self._hook:
                self._set_thread_hook(None)
            _Runner._running_kind.pop(self._kind, None)

    @property
    def running(self):
        return self._count > 0

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    def __call__(self, func):
        """Decorator: profiles every call of func (nested calls included)."""
        if not callable(func):
            raise TypeError("{} decorates a callable, not {}".format(
                type(self).__name__, type(func).__name__))

        @functools.wraps(func)
        def profiled(*args, **kwargs):
            self.start()
            try:
                return func(*args, **kwargs)
            finally:
                self.stop()

        return profiled


class Profiler(_Runner):
    """Profiler(components=None, *, trace_c=False, only_functions=None,
    skip_functions=None, only_filenames=None, skip_filenames=None,
    file_line=None)

    Records every Python function call (and every builtin call when trace_c)
    as a region. Filters are regular expressions searched in the qualified
    name (only_/skip_functions) and in the file name (only_/skip_filenames;
    for a builtin, its module name); a function is recorded when it matches
    an only_ pattern (if any are given) and no skip_ pattern. A function that
    is not recorded still runs its callees, which nest under the nearest
    recorded caller.
    """

    _kind = "profiler"

    def __init__(self, components=None, *, trace_c=False, only_functions=None,
                 skip_functions=None, only_filenames=None, skip_filenames=None,
                 file_line=None):
        self._filters = _Filters(only_functions, skip_functions, only_filenames, skip_filenames)
        self._file_line = settings.profiler_file_line if file_line is None else bool(file_line)
        self.trace_c = bool(trace_c)
        self._count = 0
        self._components = _components(components)
        self._hook = _timemory.ProfilerHook(self._components, self._decide,
                                            self._decide_c if trace_c else None)
        self._set_thread_hook = threading.setprofile
        self._get_thread_hook = threading.getprofile

    @property
    def components(self):
        """Names of the recorded components."""
        return _component_names(self._components)

    def _decide(self, code):
        """Label of a code object, None to skip it, False for timemory's own
        code (called once per code)."""
        filename = code.co_filename
        if _is_own(filename):
            return False  # skipped, and so are the C functions it calls
        name = code.co_qualname
        if not self._filters.wanted(name, filename):
            return None
        if self._file_line:
            return "{} [{}:{}]".format(name, os.path.basename(filename), code.co_firstlineno)
        return name

    def _decide_c(self, func):
        """Label of a builtin, or None (called once per C function)."""
        name = getattr(func, "__qualname__", None) or getattr(func, "__name__", "?")
        module = getattr(func, "__module__", None)
        if not isinstance(module, str):
            module = "builtins"
        owner_module = type(getattr(func, "__self__", None)).__module__
        if module.startswith("timemory") or owner_module.startswith("timemory"):
            # timemory's own C functions (a marker's __exit__ ends the region
            # it opened, which a region around the call would break)
            return None
        if module != "builtins":
            name = "{}.{}".format(module, name)
        if not self._filters.wanted(name, module):
            return None
        return name


profile = Profiler


# ---- python3 -m timemory.profiler / timemory.trace ----

def _parser(prog, what):
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Runs a Python script (or -m module) with {} and prints/writes the "
                    "timemory reports.".format(what))
    parser.add_argument("-c", "--components", default=None,
                        help="components to record, comma-separated (default: the "
                             "profiler_components setting, wall_clock)")
    parser.add_argument("-o", "--output", default=None, metavar="DIR",
                        help="directory the report files are written to (output_path)")
    parser.add_argument("-m", dest="module", action="store_true",
                        help="run a library module as a script, like python3 -m")
    parser.add_argument("target", help="the script (or module with -m)")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="its arguments")
    return parser


def run_main(make, prog, what, argv=None):
    """The -m entry points: runs the target as __main__ under make(components),
    then writes the reports. Returns the script's exit status."""
    import importlib.util
    import traceback
    import types

    import timemory

    opts = _parser(prog, what).parse_args(argv)
    try:
        recorder = make(opts.components)
    except (TypeError, ValueError) as err:
        print("{}: -c {}: {}".format(prog, opts.components, err), file=sys.stderr)
        return 2
    if opts.output is not None:
        try:
            settings.output_path = opts.output
        except ValueError as err:
            print("{}: -o {!r}: {}".format(prog, opts.output, err), file=sys.stderr)
            return 2
    settings.auto_output = True
    timemory.init(os.path.basename(opts.target))

    # Find and compile the code first, so only the target is profiled.
    module = types.ModuleType("__main__")
    module.__builtins__ = __builtins__
    try:
        if opts.module:
            sys.path.insert(0, os.getcwd())
            spec = importlib.util.find_spec(opts.target)
            if spec is not None and spec.submodule_search_locations is not None:
                spec = importlib.util.find_spec(opts.target + ".__main__")  # a package
            if spec is None or spec.loader is None:
                raise ImportError("no module named {!r}".format(opts.target))
            code = spec.loader.get_code(spec.name)
            module.__spec__, module.__loader__ = spec, spec.loader
            module.__package__ = spec.parent
            script = spec.origin
        else:
            script = opts.target
            with open(script, "rb") as fp:
                code = compile(fp.read(), script, "exec")
            sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    except (OSError, ImportError, SyntaxError) as err:
        print("{}: cannot run {!r}: {}".format(prog, opts.target, err), file=sys.stderr)
        return 2
    module.__file__ = script
    sys.argv[:] = [script] + opts.args
    main_module = sys.modules.get("__main__")
    sys.modules["__main__"] = module

    status = 0
    recorder.start()
    try:
        exec(code, module.__dict__)
    except SystemExit as exc:
        status = exc.code
    except BaseException as exc:
        recorder.stop()
        tb = exc.__traceback__.tb_next  # from the script's first frame on
        traceback.print_exception(type(exc), exc, tb)
        status = 1
    finally:
        recorder.stop()
        if main_module is not None:
            sys.modules["__main__"] = main_module
    sys.stdout.flush()
    try:
        timemory.finalize()
    except OSError:
        pass  # the core printed one line naming the path and the reason; keep the script's status
    return status


def main(argv=None):
    return run_main(Profiler,
                    "python3 -m timemory.profiler", "the function profiler", argv)


if __name__ == "__main__":
    # python3 -m runs this file as __main__: use the importable module's
    # classes, so a script importing timemory.profiler shares them
    from timemory.profiler import main as _main
    sys.exit(_main())
