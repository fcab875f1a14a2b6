"""<Class>Storage.dumps() and load(): get() / get_tree() results as the
documented JSON profile (docs/json-format.md) and back.

dumps() writes the profile from the Python objects under this process's
metadata for the component (the C writer's, so the two never drift) plus
"layout": "flat" for a get() result, "tree" for a get_tree() result. A flat
result carries every thread's values (each node lists them in "threads",
with each thread's "seq"), so it reads back entry for entry. A tree result
has only each node's merged values and its tid/pid sets: the file lists the
sets without values per thread, and reads back only as a tree.

load() reads the text with the C reader (tm_profile_parse) and gives the
layout the file was written from.
"""

import io
import json
import math
import os

from timemory import _timemory
from timemory._load import SavedStorage
from timemory._storage import _unpack_values

__all__ = ["dumps", "load", "load_json", "load_json_tree"]


def _num(x):
    """A double as JSON: repr() reads back bit for bit; JSON has no inf/nan."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _value(v):
    st = v.stats()
    return {"data": _num(v.data().value), "count": int(st.count), "sum": _num(st.sum),
            "min": _num(st.min), "max": _num(st.max), "sqr": _num(st.sqr),
            # the population variance; stddev == sqrt(stddev**2) exactly
            "variance": _num(st.stddev * st.stddev)}


def _merge(kind, into, frm):
    """tm_value_merge (core/src/tree_merge.c) on value dicts: the node of a
    flat result is its threads' records combined."""
    if into is None:
        return dict(frm)
    na, nb = into["count"], frm["count"]
    if kind == "RATIO":
        if na + nb:
            into["data"] = (into["data"] * na + frm["data"] * nb) / (na + nb)
    elif kind == "LEVEL":
        if nb and (not na or frm["data"] > into["data"]):
            into["data"] = frm["data"]
    else:
        into["data"] = into["data"] + frm["data"]
    if nb:
        if not na or frm["min"] < into["min"]:
            into["min"] = frm["min"]
        if not na or frm["max"] > into["max"]:
            into["max"] = frm["max"]
        mean_a = into["sum"] / na if na else 0.0
        mean_b = frm["sum"] / nb
        m2 = into["variance"] * na + frm["variance"] * nb
        m2 += (mean_b - mean_a) ** 2 * na * nb / (na + nb)
        into["variance"] = m2 / (na + nb)
        into["count"] = na + nb
        into["sum"] = into["sum"] + frm["sum"]
        into["sqr"] = into["sqr"] + frm["sqr"]
    return into


def _saved_unit(entry_value):
    """(unit, label) of a loaded result's values, or None for a live one."""
    data = entry_value.data()
    saved = getattr(data, "_saved", None)
    return None if saved is None else (saved.unit, saved.label)


def _values(node):
    """(inclusive, exclusive) value dicts of a FlatEntry or TreeValue, read
    from its packed values when they were never asked for (nothing cached
    on the node: dumps() of a large result stays small)."""
    # pylint: disable=protected-access
    inc, exc = node._inclusive, node._exclusive
    if isinstance(inc, bytes) or isinstance(exc, bytes):
        raw_inc, raw_exc = _unpack_values(inc if isinstance(inc, bytes) else exc)
        return (_raw_value(raw_inc) if isinstance(inc, bytes) else _value(inc),
                _raw_value(raw_exc) if isinstance(exc, bytes) else _value(exc))
    return _value(inc), _value(exc)


def _raw_value(raw):
    data, count, sum_, min_, max_, sqr, _, stddev = raw
    return {"data": _num(data), "count": int(count), "sum": _num(sum_), "min": _num(min_),
            "max": _num(max_), "sqr": _num(sqr), "variance": _num(stddev * stddev)}


def _flat_nodes(result):
    """The tree of a flat result: per node [parent, label, hash,
    rolling_hash, depth, [(tid, pid, seq, entry), ...]], and the threads.
    Linear in the entries: a node is found from its parent's node and its
    label; the parent is the thread's last entry one level up when the
    rolling hashes agree, else it is looked up by the entry's path of hashes
    from the top (a thread's top, which may sit under nodes another thread
    recorded)."""
    nodes, index, by_hash, seqs, last = [], {}, {}, {}, {}

    def by_path(e):
        parent = -1
        path = e.hierarchy()
        for h in path[:-1]:
            parent = by_hash.get((parent, h), -2)
            if parent == -2:
                raise ValueError("dumps(): the parent of {!r} (tid {}) is not in the result: "
                                 "pass a whole get() result".format(e.label(), e.tid()))
        return parent

    for e in result:
        thread = (e.pid(), e.tid())
        depth = e.depth()
        levels = last.setdefault(thread, {})
        up = levels.get(depth - 1)
        if depth == 0:
            parent = -1
        elif up is not None and (nodes[up][3] + e.hash()) % 2**64 == e.rolling_hash():
            parent = up
        else:
            parent = by_path(e)
        key = (parent, e.label())
        at = index.get(key)
        if at is None:
            at = index[key] = len(nodes)
            by_hash.setdefault((parent, e.hash()), at)
            nodes.append([parent, e.label(), e.hash(), e.rolling_hash(), depth, []])
        levels[depth] = at
        seq = seqs.get(thread, 0)
        seqs[thread] = seq + 1
        nodes[at][5].append((e.tid(), e.pid(), seq, e))
    return nodes, seqs


def _flat_texts(nodes, kind):
    """JSON text of each node of _flat_nodes(), freeing them as it goes."""
    texts = []
    for i, (parent, label, hash_, rolling, depth, threads) in enumerate(nodes):
        nodes[i] = None
        records, incl, excl = [], None, None
        for tid, pid, seq, e in threads:
            inc, exc = _values(e)
            records.append({"tid": tid, "pid": pid, "seq": seq, "inclusive": inc, "exclusive": exc})
            incl = _merge(kind, incl, inc)
            excl = _merge(kind, excl, exc)
        texts.append(json.dumps({
            "parent": parent, "kind": "region", "label": label, "hash": str(hash_),
            "rolling_hash": str(rolling), "depth": depth, "threads": records,
            "tids": sorted({r["tid"] for r in records}), "pids": sorted({r["pid"] for r in records}),
            "inclusive": incl, "exclusive": excl}, allow_nan=False))
    return texts


def _tree_texts(result, tids):
    """JSON text of each node of a tree result in pre-order (merged values
    and tid/pid sets; an explicit stack: any depth); adds the tids seen."""
    texts = []
    stack = [(top, -1) for top in reversed(result)]
    while stack:
        node, parent = stack.pop()
        v = node.value()
        kind = "region"
        if v.is_dummy():
            kind = "fork" if v.label() == "[fork]" else "root"
        inc, exc = _values(v)
        node_tids = sorted(v.tid())
        tids.update(node_tids)
        texts.append(json.dumps({
            "parent": parent, "kind": kind, "label": v.label(), "hash": str(v.hash()),
            "rolling_hash": str(v.rolling_hash()), "depth": v.depth(), "tids": node_tids,
            "pids": sorted(v.pid()), "inclusive": inc, "exclusive": exc}, allow_nan=False))
        at = len(texts) - 1
        stack.extend((child, at) for child in reversed(node.children()))
    return texts


def dumps(component_id, result):
    """JSON text of a get() (FlatEntry list) or get_tree() (TreeNode list)
    result of the component, live or loaded. Each node is encoded on its own
    and the texts joined: the peak is about twice the text, not the whole
    document as Python objects."""
    if isinstance(result, (str, bytes, dict)) or not hasattr(result, "__iter__"):
        raise TypeError("dumps() takes a get() result (FlatEntry list) or a get_tree() result "
                        "(TreeNode list), not {}".format(type(result).__name__))
    result = list(result)
    from timemory._storage import FlatEntry, TreeNode  # pylint: disable=import-outside-toplevel
    if all(isinstance(x, FlatEntry) for x in result):
        layout = "flat"
    elif all(isinstance(x, TreeNode) for x in result):
        layout = "tree"
    else:
        kinds = sorted({type(x).__name__ for x in result})
        raise TypeError("dumps() takes a get() result (FlatEntry list) or a get_tree() result "
                        "(TreeNode list), not a list of {}".format(", ".join(kinds)))
    doc = json.loads(_timemory.run_metadata_json(component_id))
    meta = doc["metadata"]
    meta["layout"] = layout
    if result:
        first = result[0].inclusive() if layout == "flat" else result[0].value().inclusive()
        saved = _saved_unit(first)
        if saved is not None:  # a loaded result keeps the unit it was written in
            meta["unit"], meta["label"] = saved
    if layout == "flat":
        nodes, threads = _flat_nodes(result)
        meta["thread_count"] = len(threads)
        texts = _flat_texts(nodes, meta["kind"])
    else:
        tids = set()
        texts = _tree_texts(result, tids)
        meta["thread_count"] = len(tids)
    # the document with a placeholder where the nodes go, then the nodes
    placeholder = "nodes-" + os.urandom(16).hex()
    doc["nodes"] = [placeholder]
    head = json.dumps(doc, indent=None, allow_nan=False)
    at = head.index('"' + placeholder + '"')
    start, end = head[:at], head[at + len(placeholder) + 2:]
    if not texts:
        return start + end
    # one join of everything: the nodes' texts and the result, no copy between
    texts[0] = start + texts[0]
    texts[-1] = texts[-1] + end
    return ", ".join(texts)


def _loads(text, name):
    """The C parser on the text's bytes: bytes that are not UTF-8 (kept by
    surrogateescape) reach it as they were in the file, so it reports them
    with the input's name like any other bad byte."""
    return _timemory.loads(text.encode("utf-8", "surrogateescape"), name)


def _read(obj):
    """(metadata, component id or None, profile) of a path, a file object, a
    JSON string or a dict."""
    if isinstance(obj, dict):
        try:
            text = json.dumps(obj, allow_nan=False)
        except (TypeError, ValueError) as err:  # NaN, or a value JSON has no form for
            raise type(err)("<dict>: not a JSON document: {}".format(err)) from None
        return _timemory.loads(text, "<dict>")
    if isinstance(obj, (bytes, bytearray)):
        obj = bytes(obj).decode("utf-8", "surrogateescape")
    if isinstance(obj, str) and obj.lstrip().startswith("{"):
        return _loads(obj, "<JSON string>")
    if isinstance(obj, (str, os.PathLike)):
        return _timemory.load([os.fspath(obj)])
    if isinstance(obj, io.IOBase) or hasattr(obj, "read"):
        name = getattr(obj, "name", None)
        name = "<file object>" if not isinstance(name, (str, bytes)) else os.fsdecode(name)
        text = obj.read()
        if isinstance(text, bytes):
            text = text.decode("utf-8", "surrogateescape")
        if not isinstance(text, str):
            raise TypeError("{}: read() gave {}, not text".format(name, type(text).__name__))
        return _loads(text, name)
    raise TypeError("load() takes a path, a file object, a JSON string or a dict, not {}".format(
        type(obj).__name__))


def _saved(component, obj):
    saved = SavedStorage(*_read(obj))
    if component is not None and saved.component != component:
        raise ValueError("{}: holds component '{}', not '{}'".format(
            _describe(obj), saved.component, component))
    return saved


def _describe(obj):
    if isinstance(obj, (str, os.PathLike)) and not str(obj).lstrip().startswith("{"):
        return os.fspath(obj)
    if isinstance(obj, dict):
        return "<dict>"
    if isinstance(obj, str):
        return "<JSON string>"
    return str(getattr(obj, "name", "<file object>"))


def load(component, obj):
    """The result the text was dumped from: get_tree()'s layout for a file
    with "layout": "tree", get()'s otherwise."""
    saved = _saved(component, obj)
    return saved.get_tree() if saved.metadata.get("layout") == "tree" else saved.get()


def load_json(component, obj):
    """The flat layout (get()); ValueError for a merged tree."""
    return _saved(component, obj).get()


def load_json_tree(component, obj):
    """The tree layout (get_tree())."""
    return _saved(component, obj).get_tree()
