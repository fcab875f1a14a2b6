"""A recursion thousands of levels deep: get() entries derive prefix() and
hierarchy() from parent links, so get() costs memory linear in the depth;
get_tree(), dumps() and load() work at any depth without recursion."""

import sys
import threading
import tracemalloc

import pytest

from timemory.storage import WallClockStorage
from timemory.util import marker


def in_big_thread(func, *args):
    """func(*args) with room for deep recursion: a 256 MB stack, a high limit."""
    result, errors = [], []
    old_limit, old_stack = sys.getrecursionlimit(), threading.stack_size()
    sys.setrecursionlimit(max(old_limit, 50_000))
    threading.stack_size(256 << 20)
    try:
        def body():
            try:
                result.append(func(*args))
            except BaseException as exc:  # re-raised in the test's thread
                errors.append(exc)
        thread = threading.Thread(target=body)
        thread.start()
        thread.join()
    finally:
        threading.stack_size(old_stack)
        sys.setrecursionlimit(old_limit)
    if errors:
        raise errors[0]
    return result[0]


def record_recursion(depth):
    @marker(["wall_clock"])
    def rec(n):
        return rec(n - 1) + 1 if n > 1 else 1

    assert in_big_thread(rec, depth) == depth


def test_deep_entries_have_prefix_and_hierarchy():
    depth = 5000
    record_recursion(depth)
    flat = WallClockStorage.get()
    assert len(flat) == depth
    top = flat[0].hash()
    for d in (0, 1, 2, 1000, depth - 1):
        entry = flat[d]
        assert entry.depth() == d and entry.label() == "rec"
        expected = ">>> rec" if d == 0 else ">>> " + "  " * (d - 1) + "|_rec"
        assert entry.prefix() == expected
        assert entry.hierarchy() == [top] * (d + 1)
        assert entry.rolling_hash() == sum(entry.hierarchy()) % 2**64
        assert entry.stats().count == 1
    assert flat[2].prefix() == ">>>   |_rec"


def chain_levels(tree):
    """Levels of the one chain of "rec" nodes below the root dummy."""
    levels, node = 0, tree[0]
    while node.children():  # the root dummy, then one node per level
        # (the recording thread's fork bookmark is a dummy leaf beside it)
        kids = [c for c in node.children() if not c.value().is_dummy()]
        if not kids:
            break
        (node,) = kids
        assert node.value().depth() == levels and node.value().label() == "rec"
        assert node.value().inclusive().stats().count == 1
        levels += 1
    return levels


def test_deep_tree_has_one_node_per_level():
    depth = 5000
    record_recursion(depth)
    # converted from C and built in Python without recursion: the main
    # thread's default recursion limit (1000) and stack do
    assert depth > sys.getrecursionlimit()
    assert chain_levels(WallClockStorage.get_tree()) == depth


def test_deep_results_dump_and_load_back():
    depth = 5000
    record_recursion(depth)
    # on the main thread under the default recursion limit
    tree = WallClockStorage.load(WallClockStorage.dumps(WallClockStorage.get_tree()))
    assert chain_levels(tree) == depth
    flat = WallClockStorage.load(WallClockStorage.dumps(WallClockStorage.get()))
    assert len(flat) == depth
    assert flat[-1].hierarchy() == [flat[0].hash()] * depth
    assert flat[-1].prefix() == ">>> " + "  " * (depth - 2) + "|_rec"
    assert flat[-1].inclusive().stats().count == 1


def dumps_peak_bytes(depth):
    """Peak Python allocations of dumps() of a get() result."""
    record_recursion(depth)
    flat = WallClockStorage.get()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        text = WallClockStorage.dumps(flat)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert text.count('"label": "rec"') == depth
    return peak


def test_dumps_memory_grows_linearly_with_depth():
    from timemory import storage  # pylint: disable=import-outside-toplevel
    small = dumps_peak_bytes(2000)
    storage.reset()
    large = dumps_peak_bytes(4000)
    # linear: about 2; a path of hashes kept per entry: about 4
    assert large / small < 2.6, (small, large)


def get_peak_bytes(depth):
    """Peak Python allocations of get() (entries kept, one hierarchy read)."""
    record_recursion(depth)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        flat = WallClockStorage.get()
        assert len(flat[-1].hierarchy()) == depth
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    del flat
    return peak


def test_get_memory_grows_linearly_with_depth():
    from timemory import storage  # pylint: disable=import-outside-toplevel
    small = get_peak_bytes(2000)
    storage.reset()
    large = get_peak_bytes(4000)
    # linear: about 2; every entry holding its own hierarchy list: about 4
    assert large / small < 2.6, (small, large)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
