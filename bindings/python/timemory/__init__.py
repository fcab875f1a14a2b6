"""timemory: performance measurement with a C core.

    timemory.component.WallClock("label")   one component, measured by hand
    timemory.storage.WallClockStorage.get()  the recorded call graph (flat)
    timemory.util.marker(["wall_clock"])     decorator / context manager
    timemory.settings.precision = 6          the C settings, typed
    timemory.load("timemory-output/wall_clock.json")  a saved run, as storage

Reports are written at interpreter exit when settings.auto_output is on.
"""

import atexit as _atexit
from timemory import units  # the reference toolkit's unit constants (constants only)

from timemory import _timemory
from timemory._version import __version__
from timemory import component, settings, storage, util
from timemory._load import load

__all__ = ["component", "components", "finalize", "init", "load", "settings", "storage", "util"]

_finalized = False


def init(name=None):
    """Reads the TIMEMORY_* environment variables; `name` labels the reports."""
    global _finalized
    _finalized = False
    _timemory.init(name)


def finalize():
    """Closes open regions and, when settings.auto_output is on, writes the reports."""
    global _finalized
    _finalized = True
    _timemory.finalize()


def components():
    """Names of every component in the table (components.def order)."""
    return [row[0] for row in _timemory.components()]


@_atexit.register
def _finalize_at_exit():
    # Only the reports are wanted at exit; an explicit finalize() already ran.
    if not _finalized and settings.auto_output:
        try:
            finalize()
        except OSError:
            # The core already printed one line naming the path and the OS
            # reason; a traceback at exit would only bury it.
            pass
