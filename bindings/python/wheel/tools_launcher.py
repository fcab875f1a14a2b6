"""Console scripts of the timemory wheel (installed as timemory/_tools.py).

Each script NAME runs the C program timemory/_bin/NAME that the wheel ships:
`timemory-avail = timemory._tools:timemory_avail` resolves through
__getattr__ below, so adding a program to the wheel needs no code here.
"""

import os
import sys

_BIN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_bin")


def _run(name):
    path = os.path.join(_BIN, name)
    if not os.access(path, os.X_OK):
        sys.exit("timemory: {} is not installed with this package (looked for {})".format(
            name, path))
    os.execv(path, [name] + sys.argv[1:])


def __getattr__(attr):
    name = attr.replace("_", "-")
    if not attr.startswith("_") and os.path.isfile(os.path.join(_BIN, name)):
        return lambda: _run(name)
    raise AttributeError("module 'timemory._tools' has no program {!r} (programs: {})".format(
        attr, ", ".join(sorted(os.listdir(_BIN))) if os.path.isdir(_BIN) else "none"))
