"""timemory: performance measurement with a C core.

    timemory.component.WallClock("label")   one component, measured by hand
    timemory.storage.WallClockStorage.get()  the recorded call graph (flat)
    timemory.util.marker(["wall_clock"])     decorator / context manager
    timemory.settings.precision = 6          the C settings, typed
    timemory.load("timemory-output/wall_clock.json")  a saved run, as storage

Reports are written at interpreter exit when settings.auto_output is on.
"""

import atexit as _atexit
import os as _os
import sys as _sys

from timemory import units  # the reference toolkit's unit constants (constants only)

from timemory import _timemory
from timemory._version import __version__
from timemory import component, mpi, settings, storage, util
from timemory._load import load

__all__ = ["component", "components", "finalize", "init", "load", "settings", "storage", "util"]

_finalized = False


def init(name=None):
    """Reads the TIMEMORY_* environment variables; `name` labels the reports."""
    global _finalized
    _finalized = False
    _timemory.init(name)


def finalize():
    """Closes open regions and, when settings.auto_output is on, writes the reports.
    Under mpi4py it is collective: rank 0 writes every rank's merged results."""
    global _finalized
    _finalized = True
    from timemory import mpi as _mpi  # pylint: disable=import-outside-toplevel
    world = _mpi.comm()
    if world is None:
        _timemory.finalize()
    else:
        _mpi.finalize_collective(world)


def components():
    """Names of every component in the table (components.def order)."""
    return [row[0] for row in _timemory.components()]


def _after_fork_in_child():
    # The core gave the child empty storage; it writes its own reports.
    global _finalized
    _finalized = False


def _before_fork():
    # A multiprocessing child leaves through os._exit after running
    # multiprocessing's exit finalizers, not atexit: register one there.
    util_mod = _sys.modules.get("multiprocessing.util")
    if util_mod is not None and not _mp_hook:
        util_mod.register_after_fork(_mp_hook_token, _mp_after_fork)
        _mp_hook.append(True)


class _Token:  # register_after_fork keeps a weak reference to its object
    pass


_mp_hook_token = _Token()
_mp_hook = []


def _mp_after_fork(_token):
    util_mod = _sys.modules["multiprocessing.util"]
    util_mod.Finalize(None, _finalize_at_exit, exitpriority=100)


_os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)


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
