"""Small readers of the storage layouts shared by the tests."""

import time

from timemory.component import WallClock
from timemory.util import marker

# The spec's scenario runs in units of UNIT seconds (the spec uses 1 s).
UNIT = 0.02


def spec_scenario(unit=UNIT):
    """The spec's foo/bar example: foo sleeps 1 unit, then bar records 5
    samples of two laps each (laps i+1 = 1..10 tenths of a unit)."""

    @marker(["wall_clock"])
    def foo():
        time.sleep(unit)
        wc = WallClock("bar")
        for i in range(0, 10):
            if i % 2 == 0:
                wc.push()
            wc.start()
            time.sleep(0.1 * unit * (i + 1))
            wc.stop()
            if i % 2 == 1:
                wc.pop()

    foo()


def flat_by_prefix(storage):
    """Flat entries keyed by prefix (single-thread tests)."""
    return {entry.prefix(): entry for entry in storage.get()}


def walk_tree(nodes, depth=0):
    """Yields (depth in the tree, TreeValue) for every node, depth first."""
    for node in nodes:
        yield depth, node.value()
        yield from walk_tree(node.children(), depth + 1)


def labels(storage):
    """Prefixes of the flat layout, in order."""
    return [entry.prefix() for entry in storage.get()]


def repo_file(*parts):
    """Path of a source file of the repository: from the Bazel runfiles when
    run by Bazel, else from the directories above tests/python."""
    import os
    roots = []
    if os.environ.get("TEST_SRCDIR"):
        roots.append(os.path.join(os.environ["TEST_SRCDIR"], "timemory"))
    here = os.path.dirname(os.path.abspath(__file__))
    while os.path.dirname(here) != here:
        here = os.path.dirname(here)
        roots.append(here)
    for root in roots:
        path = os.path.join(root, *parts)
        if os.path.isfile(path):
            return path
    raise FileNotFoundError(os.path.join(*parts))


def table_rows():
    """Rows of components.def, parsed by the generators' own parser."""
    import os
    import sys
    sys.path.insert(0, os.path.dirname(repo_file("gen", "table.py")))
    try:
        import table
    finally:
        sys.path.pop(0)
    return table.parse(repo_file("components.def"))


def python_env():
    """Environment for a child interpreter that imports this timemory."""
    import os
    import sys
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return env
