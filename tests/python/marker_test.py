"""timemory.util.marker / auto_timer: decorator, context manager, errors,
recursion and threads."""

import inspect
import sys
import threading
import time

import pytest

import timemory
from timemory.component import CpuClock, WallClock
from timemory.storage import CpuClockStorage, WallClockStorage
from timemory.util import auto_timer, marker

import helpers


def test_decorator_labels_with_function_name():
    @marker(["wall_clock"])
    def compute():
        time.sleep(0.002)

    for _ in range(3):
        compute()
    (entry,) = WallClockStorage.get()
    assert entry.prefix() == ">>> compute"
    assert entry.stats().count == 3
    assert entry.data().get() >= 0.006


def test_decorator_key_overrides_name():
    @marker(["wall_clock"], key="custom")
    def compute():
        return 7

    assert compute() == 7
    assert helpers.labels(WallClockStorage) == [">>> custom"]


def test_context_manager_key_and_enclosing_name():
    def enclosing():
        with marker(["wall_clock"]):
            with marker(["wall_clock"], key="block"):
                pass

    enclosing()
    assert helpers.labels(WallClockStorage) == [">>> enclosing", ">>> |_block"]


def test_exception_still_closes_region():
    @marker(["wall_clock"])
    def fails():
        raise KeyError("inside")

    with pytest.raises(KeyError):
        fails()
    with pytest.raises(ZeroDivisionError):
        with marker(["wall_clock"], key="block"):
            1 / 0
    # Both closed: the two regions are siblings at depth 0, one sample each.
    flat = WallClockStorage.get()
    assert [(e.prefix(), e.stats().count) for e in flat] == [(">>> fails", 1), (">>> block", 1)]


def test_recursion_nests():
    @marker(["wall_clock"])
    def rec(n):
        return 0 if n == 0 else 1 + rec(n - 1)

    assert rec(3) == 3
    flat = WallClockStorage.get()
    assert [e.prefix() for e in flat] == [">>> rec", ">>> |_rec", ">>>   |_rec", ">>>     |_rec"]
    assert [e.depth() for e in flat] == [0, 1, 2, 3]
    incl = [e.data().get() for e in flat]
    assert incl == sorted(incl, reverse=True)


def test_auto_timer_records_the_reference_set():
    # The reference toolkit's auto_timer bundle: wall_clock, cpu_clock,
    # cpu_util and peak_rss (it was wall_clock alone before issue 13).
    @auto_timer()
    def timed():
        time.sleep(0.002)

    timed()
    with auto_timer("scoped"):
        pass
    assert helpers.labels(WallClockStorage) == [">>> timed", ">>> scoped"]
    assert helpers.labels(CpuClockStorage) == [">>> timed", ">>> scoped"]
    assert auto_timer().components == ["wall_clock", "cpu_clock", "cpu_util", "peak_rss"]


def test_several_components_and_classes():
    @marker(["wall_clock", CpuClock])
    def both():
        sum(range(10000))

    both()
    assert helpers.labels(WallClockStorage) == [">>> both"]
    assert helpers.labels(CpuClockStorage) == [">>> both"]
    assert marker("wall_clock, cpu_clock").components == ["wall_clock", "cpu_clock"]


def test_unknown_component_lists_valid_names():
    with pytest.raises(ValueError) as err:
        marker(["wall_clok"])
    assert "wall_clok" in str(err.value)
    assert "wall_clock" in str(err.value) and "peak_rss" in str(err.value)
    with pytest.raises(ValueError):
        marker("no_such_thing")
    with pytest.raises(ValueError):
        marker([])


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError):
        marker(42)
    with pytest.raises(TypeError):
        marker([1.5])
    with pytest.raises(TypeError):
        marker([int])
    with pytest.raises(TypeError):
        marker(["wall_clock"], key=3)
    with pytest.raises(TypeError):
        marker(["wall_clock"])("not callable")


def test_wrapper_looks_like_the_function():
    def documented(a, b=2):
        """Adds."""
        return a + b

    wrapped = marker(["wall_clock"])(documented)
    assert wrapped.__name__ == "documented" and wrapped.__doc__ == "Adds."
    assert wrapped.__wrapped__ is documented
    assert str(inspect.signature(wrapped)) == "(a, b=2)"
    assert wrapped(1, b=5) == 6 and wrapped(*[1], **{"b": 1}) == 2


def test_methods_bind_self():
    class Box:
        def __init__(self):
            self.n = 0

        @marker(["wall_clock"])
        def bump(self, k=1):
            self.n += k
            return self.n

    box = Box()
    box.bump()
    assert box.bump(k=2) == 3
    assert Box.bump(box) == 4
    assert WallClockStorage.get()[0].stats().count == 3


def test_threads_merge_into_tid_sets():
    @marker(["wall_clock"])
    def work():
        time.sleep(0.002)

    @marker(["wall_clock"])
    def main():
        threads = [threading.Thread(target=work) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        work()

    main()
    flat = WallClockStorage.get()
    main_tid = [e.tid() for e in flat if e.label() == "main"]
    work_tids = [e.tid() for e in flat if e.label() == "work"]
    assert len(main_tid) == 1 and len(work_tids) == 4 and len(set(work_tids)) == 4
    tree = [v for _, v in helpers.walk_tree(WallClockStorage.get_tree()) if not v.is_dummy()]
    merged = [v for v in tree if v.prefix() == "work"]
    tids = set().union(*(v.tid() for v in merged))
    assert tids == set(work_tids)
    # the workers start where main was, so all four merge by rolling hash
    assert len(merged) == 1 and len(merged[0].tid()) == 4
    assert merged[0].inclusive().stats().count == 4


def test_disabled_records_nothing():
    timemory.settings.enabled = False
    try:
        @marker(["wall_clock"])
        def quiet():
            return 1

        assert quiet() == 1
        WallClock("q").push()
    finally:
        timemory.settings.enabled = True
    assert WallClockStorage.get() == []


def test_unavailable_component_is_left_out_and_the_rest_records():
    from timemory.component import HwCpuCycles
    from timemory.storage import HwCpuCyclesStorage

    @marker(["wall_clock", "hw_cpu_cycles"])
    def measured():
        time.sleep(0.001)

    measured()
    measured()
    walls = [e for e in WallClockStorage.get() if e.label() == "measured"]
    assert len(walls) == 1 and walls[0].stats().count == 2
    if HwCpuCycles.unavailable:
        assert HwCpuCyclesStorage.get() == []
        with pytest.raises(RuntimeError, match="hw_cpu_cycles"):
            marker(["hw_cpu_cycles"])
    else:
        counts = [e.stats().count for e in HwCpuCyclesStorage.get() if e.label() == "measured"]
        assert counts == [2]


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))
