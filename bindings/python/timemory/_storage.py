"""The two storage layouts of the spec, over the C snapshots of _timemory.

Every object here is a snapshot: changing it does not change what timemory
recorded. The generated timemory/storage.py derives one class per component
from Storage.
"""

import struct

from timemory import _timemory

# Component names by id, for Data.component.
_NAMES = [row[0] for row in _timemory.components()]

# One value as flat_get()/tree_get() pack it: (data, count, sum, min, max,
# sqr, mean, stddev); a node's bytes hold its inclusive then its exclusive.
_VALUE = struct.Struct("=dQdddddd")


def _unpack_values(values):
    """(inclusive, exclusive) raw tuples of a node's packed values."""
    return _VALUE.unpack_from(values, 0), _VALUE.unpack_from(values, _VALUE.size)

__all__ = ["Data", "FlatEntry", "Stats", "Storage", "TreeNode", "TreeValue", "Value", "reset"]


def reset():
    """Discards every thread's recorded data (tm_storage_reset). Call it only
    while no other thread records."""
    _timemory.storage_reset()


class Stats:
    """Per-sample statistics of a node: sum, min, max, sqr (sum of squares),
    count, and the derived mean and stddev (population)."""

    __slots__ = ("count", "sum", "min", "max", "sqr", "mean", "stddev")

    def __init__(self, count, sum, min, max, sqr, mean, stddev):
        self.count, self.sum, self.min, self.max = count, sum, min, max
        self.sqr, self.mean, self.stddev = sqr, mean, stddev

    def __str__(self):
        return _timemory.format_stats(self.count, self.sum, self.min, self.max, self.sqr)

    def __repr__(self):
        return "<Stats {}>".format(self)


class Data:
    """A value of one component in display units; str() is the report text
    ("   6.534 sec wall")."""

    __slots__ = ("component", "value", "_id")

    def __init__(self, component_id, value):
        self._id = component_id
        self.component = _NAMES[component_id]
        self.value = value

    def get(self):
        return self.value

    def __float__(self):
        return float(self.value)

    def __str__(self):
        return _timemory.format_value(self._id, self.value)

    def __repr__(self):
        return "<Data {}: {}>".format(self.component, str(self).strip())


class Value:
    """Inclusive or exclusive value of a node: data() and stats()."""

    __slots__ = ("_data", "_stats")

    def __init__(self, component_id, raw):
        data, count, sum_, min_, max_, sqr, mean, stddev = raw
        self._data = Data(component_id, data)
        self._stats = Stats(count, sum_, min_, max_, sqr, mean, stddev)

    def data(self):
        return self._data

    def stats(self):
        return self._stats


class _Node:
    """What flat entries and tree values both have: position and values.
    The values stay packed bytes until inclusive()/exclusive() is called, so
    a view of many nodes costs little more than its tuples."""

    __slots__ = ("_depth", "_hash", "_rolling", "_label", "_prefix", "_inclusive", "_exclusive",
                 "_cid")

    def _set_values(self, component_id, values):
        self._cid = component_id
        self._inclusive = self._exclusive = values

    def depth(self):
        return self._depth

    def hash(self):
        return self._hash

    def rolling_hash(self):
        return self._rolling

    def label(self):
        return self._label

    def prefix(self):
        return self._prefix

    def inclusive(self):
        value = self._inclusive
        if isinstance(value, bytes):
            value = self._inclusive = Value(self._cid, _VALUE.unpack_from(value, 0))
        return value

    def exclusive(self):
        value = self._exclusive
        if isinstance(value, bytes):
            value = self._exclusive = Value(self._cid, _VALUE.unpack_from(value, _VALUE.size))
        return value


class FlatEntry(_Node):
    """One node of one thread in the flat layout. prefix() and hierarchy()
    are computed on access from the depth, the label and the link to the
    parent entry, so get() of a recursion N deep costs O(N), not O(N^2)."""

    __slots__ = ("_tid", "_pid", "_up")

    def __init__(self, component_id, raw):
        # raw[6], the prefix, is None: prefix() derives it. raw[7] is the
        # parent entry's raw tuple, or the whole hierarchy (a list) when the
        # entry is not linked (a thread's top entries).
        (self._tid, self._pid, self._depth, self._hash, self._rolling, self._label,
         _, self._up, values) = raw
        self._set_values(component_id, values)

    def tid(self):
        return self._tid

    def pid(self):
        return self._pid

    def prefix(self):
        """">>> foo", ">>> |_bar", ">>>   |_baz": indented by depth."""
        depth = self._depth
        if depth <= 0:
            return ">>> " + self._label
        return ">>> " + "  " * (depth - 1) + "|_" + self._label

    def hierarchy(self):
        """Hashes of the path from the top, this entry's last."""
        node, tail = self._up, [self._hash]
        while isinstance(node, tuple):  # a parent's raw tuple
            link = node[7]
            if not isinstance(link, tuple):
                tail.reverse()
                return list(link) + tail
            tail.append(node[3])
            node = link
        return list(node)

    def data(self):
        """Inclusive value."""
        return self.inclusive().data()

    def stats(self):
        """Inclusive statistics."""
        return self.inclusive().stats()

    def __repr__(self):
        return "<FlatEntry tid={} {!r}: {}>".format(self._tid, self.prefix(),
                                                    str(self.data()).strip())


class TreeValue(_Node):
    """A node of the merged tree: tid()/pid() are the sets of threads and
    processes that recorded it."""

    __slots__ = ("_dummy", "_tids", "_pids")

    def __init__(self, component_id, raw):
        # raw[9], the children, is read by TreeNode
        (self._dummy, self._depth, self._hash, self._rolling, self._label, self._prefix,
         tids, pids, values, _) = raw
        self._tids, self._pids = tids, pids  # tuples: tid()/pid() give new sets
        self._set_values(component_id, values)

    def tid(self):
        return set(self._tids)

    def pid(self):
        return set(self._pids)

    def is_dummy(self):
        """True for the root and thread-fork bookmarks (depth -1, hash 0)."""
        return self._dummy

    def __repr__(self):
        return "<TreeValue {!r}{}>".format(self._prefix, " (dummy)" if self._dummy else "")


class TreeNode:
    """value() and children() of one node of the merged tree."""

    __slots__ = ("_value", "_children")
    _value_class = TreeValue

    def __init__(self, component_id, raw):
        # built with an explicit stack: a graph any depth deep needs no
        # Python recursion (nor the C stack it would touch). The raw lists
        # are emptied as they are read, so their tuples go while the nodes
        # come (the peak is not both).
        value_cls = self._value_class
        self._value = value_cls(component_id, raw)
        self._children = []
        stack, cls = [(self, raw[9])], type(self)
        while stack:
            node, kids = stack.pop()
            out = node._children
            for child in kids:
                sub = cls.__new__(cls)
                sub._value = value_cls(component_id, child)
                sub._children = []
                out.append(sub)
                stack.append((sub, child[9]))
            kids.clear()

    def value(self):
        return self._value

    def children(self):
        return list(self._children)

    def __repr__(self):
        return "<TreeNode {!r} children={}>".format(self._value.prefix(), len(self._children))


class Storage:
    """Call-graph storage of one component; subclasses set `component`."""

    component = None

    @classmethod
    def _id(cls):
        if cls.component is None:
            raise TypeError("Storage is abstract: use a class of timemory.storage "
                            "such as WallClockStorage")
        return _timemory.component_id(cls.component)

    @classmethod
    def get(cls):
        """Flat layout: one FlatEntry per thread and node, depth first, no dummies."""
        cid = cls._id()
        return [FlatEntry(cid, raw) for raw in _timemory.flat_get(cid)]

    @classmethod
    def get_tree(cls):
        """Nested layout: TreeNodes of every thread merged, dummies kept."""
        cid = cls._id()
        return [TreeNode(cid, raw) for raw in _timemory.tree_get(cid)]

    @classmethod
    def mpi_get(cls):
        """Under mpi4py (collective: call on every rank): the flat layout of
        every rank merged, on rank 0; the rank's own on the others. Without
        MPI: get()."""
        from timemory import mpi  # pylint: disable=import-outside-toplevel
        saved = mpi.merged_storage(cls._id())
        return cls.get() if saved is None else saved.get()

    @classmethod
    def mpi_get_tree(cls):
        """As mpi_get(), for get_tree(): rank 0 holds every rank's pids."""
        from timemory import mpi  # pylint: disable=import-outside-toplevel
        saved = mpi.merged_storage(cls._id())
        return cls.get_tree() if saved is None else saved.get_tree()

    # The reference toolkit's distributed forms: the same as mpi_get() /
    # mpi_get_tree() (MPI through mpi4py); without MPI, get() / get_tree().
    @classmethod
    def dmp_get(cls):
        """get() across every process of a distributed run; without MPI, get()."""
        return cls.mpi_get()

    @classmethod
    def dmp_get_tree(cls):
        """get_tree() across every process of a distributed run; without MPI, get_tree()."""
        return cls.mpi_get_tree()

    # The reference toolkit's JSON forms, in our documented profile format
    # (docs/json-format.md; timemory/_dumps.py).
    @classmethod
    def dumps(cls, result):
        """JSON text (docs/json-format.md, metadata "layout": "flat" or
        "tree") of a get() or get_tree() result, live or loaded."""
        from timemory import _dumps  # pylint: disable=import-outside-toplevel
        return _dumps.dumps(cls._id(), result)

    @classmethod
    def load(cls, obj):
        """A result read from a path, a file object, a JSON string or a dict
        (dumps() text or a saved <component>.json): get_tree()'s layout when
        the text was dumped from a tree, get()'s otherwise."""
        from timemory import _dumps  # pylint: disable=import-outside-toplevel
        return _dumps.load(cls.component, obj)

    @classmethod
    def load_json(cls, obj):
        """As load(), always the flat layout (get()). ValueError naming the
        input for a dumped tree: it has no values per thread."""
        from timemory import _dumps  # pylint: disable=import-outside-toplevel
        return _dumps.load_json(cls.component, obj)

    @classmethod
    def load_json_tree(cls, obj):
        """As load(), always the tree layout (get_tree())."""
        from timemory import _dumps  # pylint: disable=import-outside-toplevel
        return _dumps.load_json_tree(cls.component, obj)
