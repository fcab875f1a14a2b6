"""Line-level tracing into the timemory call graph.

    from timemory.trace import Tracer

    @Tracer(["wall_clock"])            # a decorator
    def main(): ...

    with Tracer(only_filenames=[r"mycode\\.py$"]):   # a context manager: the
        work()                                       # with-block's lines too

    t = Tracer(); t.start(); work(); t.stop()

    python3 -m timemory.trace [-c wall_clock,...] [-o DIR] script.py args...

Every executed line of the traced code is a region labelled
"file.py:LINE source text" (file name without its directory, source stripped)
recording `components` (default the profiler_components setting). A line's
region lasts until the next line of its frame starts or the frame returns, so
the lines of a called function nest under the calling line. Filters are the
profiler's (timemory.profiler.Profiler): regular expressions on the function's
qualified name and file name, decided once per code object.
"""

import linecache
import os
import sys
import threading

from timemory import _timemory
from timemory.profiler import _Filters, _Runner, _component_names, _components, _is_own, run_main

__all__ = ["Tracer", "trace", "main"]


class Tracer(_Runner):
    """Tracer(components=None, *, only_functions=None, skip_functions=None,
    only_filenames=None, skip_filenames=None)"""

    _kind = "tracer"

    def __init__(self, components=None, *, only_functions=None, skip_functions=None,
                 only_filenames=None, skip_filenames=None):
        self._filters = _Filters(only_functions, skip_functions, only_filenames, skip_filenames)
        self._count = 0
        self._components = _components(components)
        self._hook = _timemory.TracerHook(self._components, self._decide, self._line_label)
        self._set_thread_hook = threading.settrace
        self._get_thread_hook = threading.gettrace

    @property
    def components(self):
        """Names of the recorded components."""
        return _component_names(self._components)

    def _decide(self, code):
        filename = code.co_filename
        return not _is_own(filename) and self._filters.wanted(code.co_qualname, filename)

    @staticmethod
    def _line_label(code, lineno):
        filename = code.co_filename
        source = linecache.getline(filename, lineno).strip()
        label = "{}:{}".format(os.path.basename(filename), lineno)
        return "{} {}".format(label, source) if source else label


trace = Tracer


def main(argv=None):
    return run_main(Tracer,
                    "python3 -m timemory.trace", "the line tracer", argv)


if __name__ == "__main__":
    # python3 -m runs this file as __main__: use the importable module's
    # classes, so a script importing timemory.trace shares them
    from timemory.trace import main as _main
    sys.exit(_main())
