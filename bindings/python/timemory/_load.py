"""timemory.load: a saved run read back with the live storage's classes.

    run = timemory.load("timemory-output/wall_clock.json")
    run.get()        # FlatEntry list, as WallClockStorage.get()
    run.get_tree()   # TreeNode list, as WallClockStorage.get_tree()
    run.metadata     # component, unit, pid, hostname, times, settings, ...

A list of paths is merged into one run (tid/pid sets united, statistics
combined). Values print in the unit the file was written in.
"""

import os

from timemory import _timemory, settings
from timemory._storage import Data, FlatEntry, TreeNode, TreeValue, Value, _unpack_values

__all__ = ["SavedStorage", "load"]


class _Component:
    """What a saved value needs to print itself: the file's component."""

    __slots__ = ("id", "name", "label", "unit")

    def __init__(self, metadata, component_id):
        self.id = component_id
        self.name = metadata["component"]
        self.label = metadata["label"]
        self.unit = metadata["unit"]


class _SavedData(Data):
    """A Data whose text uses the saved unit, not today's timing_units."""

    __slots__ = ("_saved",)

    def __init__(self, comp, value):  # pylint: disable=super-init-not-called
        self._saved = comp
        self._id = comp.id
        self.component = comp.name
        self.value = value

    def __str__(self):
        c = self._saved
        text = "{:{w}.{p}f}".format(self.value, w=settings.width, p=settings.precision)
        return " ".join(x for x in (text, c.unit, c.label) if x)


class _SavedValue(Value):
    __slots__ = ()

    def __init__(self, comp, raw):
        super().__init__(0, raw)
        self._data = _SavedData(comp, raw[0])


class _SavedFlatEntry(FlatEntry):
    __slots__ = ()

    def _set_values(self, comp, values):
        inc, exc = _unpack_values(values)
        self._inclusive = _SavedValue(comp, inc)
        self._exclusive = _SavedValue(comp, exc)


class _SavedTreeValue(TreeValue):
    __slots__ = ()

    def _set_values(self, comp, values):
        inc, exc = _unpack_values(values)
        self._inclusive = _SavedValue(comp, inc)
        self._exclusive = _SavedValue(comp, exc)


class _SavedTreeNode(TreeNode):
    """Built as TreeNode (no recursion, any depth) with saved values."""

    __slots__ = ()
    _value_class = _SavedTreeValue


class SavedStorage:
    """A saved run of one component: get(), get_tree() and metadata, like
    the <Class>Storage of a live run."""

    def __init__(self, metadata, component_id, profile):
        self.metadata = metadata
        self.component = metadata["component"]
        self._comp = _Component(metadata, component_id)
        self._profile = profile  # the C profile; layouts are built when asked for

    def get(self):
        """Flat layout: one FlatEntry per thread and node, no dummies."""
        return [_SavedFlatEntry(self._comp, raw) for raw in _timemory.profile_flat(self._profile)]

    def get_tree(self):
        """Nested layout: TreeNodes of every thread merged, dummies kept."""
        return [_SavedTreeNode(self._comp, raw) for raw in _timemory.profile_tree(self._profile)]

    def __repr__(self):
        return "<SavedStorage {} from pid {} ({} run(s))>".format(
            self.component, self.metadata["pid"], self.metadata["runs"])


def load(path):
    """Reads `path` (a <component>.json written by timemory), or merges a
    list of such paths. Raises OSError when a file cannot be read and
    ValueError naming the file and position when it is not a valid profile
    (or when the files' components or units differ)."""
    if isinstance(path, (list, tuple)):
        paths = [os.fspath(p) for p in path]
    else:
        paths = [os.fspath(path)]
    return SavedStorage(*_timemory.load(paths))
